"""Raw-input validation of loaded bundles (nda_models.export.read.input_checks)."""

import warnings

import numpy as np
import pandas as pd
import pytest

from nda_models.export.read.input_checks import features_array

NAMES = ("petal_length", "petal_width", "sepal_length")


def test_array_list_and_frame_give_the_same_float32_values():
    rows = [[1, 2, 3], [4, 5, 6]]
    expected = np.array(rows, dtype=np.float32)
    for x in (
        rows,
        np.array(rows, dtype=np.int64),
        np.array(rows, dtype=np.float64),
        pd.DataFrame(rows, columns=list(NAMES)),
    ):
        out = features_array(x, NAMES)
        assert out.dtype == np.float32 and out.flags.c_contiguous
        np.testing.assert_array_equal(out, expected)


def test_frame_columns_are_matched_by_name_in_any_order():
    frame = pd.DataFrame(
        {"sepal_length": [3.0], "petal_width": [2.0], "petal_length": [1.0]}
    )
    np.testing.assert_array_equal(features_array(frame, NAMES), [[1.0, 2.0, 3.0]])


def test_missing_columns_are_named():
    frame = pd.DataFrame({"petal_length": [1.0], "sepal_length": [3.0]})
    with pytest.raises(ValueError, match=r"lacks the column\(s\) \['petal_width'\]"):
        features_array(frame, NAMES)


def test_extra_columns_are_ignored_with_a_warning():
    frame = pd.DataFrame([[1.0, 2.0, 3.0, 9.0]], columns=[*NAMES, "species"])
    with pytest.warns(
        UserWarning, match=r"Ignoring DataFrame column\(s\) \['species'\]"
    ):
        out = features_array(frame, NAMES)
    np.testing.assert_array_equal(out, [[1.0, 2.0, 3.0]])


def test_frame_without_string_columns_is_used_by_position_with_a_warning():
    frame = pd.DataFrame(np.ones((2, 3)))
    with pytest.warns(UserWarning, match="does not have valid feature names"):
        assert features_array(frame, NAMES).shape == (2, 3)


def test_frame_for_a_bundle_without_feature_names_warns():
    frame = pd.DataFrame(np.ones((1, 3)), columns=list("abc"))
    with pytest.warns(UserWarning, match="saved without feature names"):
        features_array(frame, None, 3)


def test_arrays_do_not_warn():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        features_array(np.ones((2, 3)), NAMES)


def test_repeated_column_names_are_rejected():
    frame = pd.DataFrame(np.ones((1, 4)), columns=[*NAMES, "petal_width"])
    with pytest.raises(ValueError, match=r"repeated column names.*'petal_width'"):
        features_array(frame, NAMES)


@pytest.mark.parametrize("x", [[], np.empty((0,)), np.empty((0, 3))])
def test_zero_rows_give_an_empty_batch(x):
    assert features_array(x, NAMES).shape == (0, 3)


def test_wrong_feature_count_is_rejected():
    with pytest.raises(ValueError, match=r"x has 2 features, but the model expects 3"):
        features_array(np.ones((4, 2)), NAMES)
    with pytest.raises(ValueError, match=r"x has 2 features"):
        features_array(np.empty((0, 2)), NAMES)


def test_one_dimensional_input_is_rejected_with_the_fix():
    with pytest.raises(ValueError, match=r"Expected a 2-D array.*reshape\(1, -1\)"):
        features_array(np.ones(3), NAMES)
    with pytest.raises(ValueError, match="got a 3-D array"):
        features_array(np.ones((1, 1, 3)), NAMES)


@pytest.mark.parametrize(
    ("bad", "words"),
    [
        (np.nan, r"NaN \(a missing value\) at row 1, column 'petal_width'"),
        (np.inf, r"infinity at row 1, column 'petal_width'"),
        (1e300, "too large for float32"),
    ],
)
def test_non_finite_values_are_located(bad, words):
    x = np.ones((3, 3))
    x[1, 1] = bad
    with pytest.raises(ValueError, match=words):
        features_array(x, NAMES)


def test_missing_value_in_a_frame_names_the_index_label():
    frame = pd.DataFrame(
        [[1.0, 2.0, 3.0], [1.0, None, 3.0]], columns=list(NAMES), index=[10, 11]
    )
    with pytest.raises(ValueError, match=r"row with index 11, column 'petal_width'"):
        features_array(frame, NAMES)
    nullable = frame.astype("Float64")
    with pytest.raises(ValueError, match="NaN"):
        features_array(nullable, NAMES)


def test_text_cells_are_rejected_naming_row_and_column():
    frame = pd.DataFrame(
        {
            "petal_length": [1.0, 2.0],
            "petal_width": ["0.5", "big"],
            "sepal_length": [3.0, 4.0],
        }
    )
    with pytest.raises(
        ValueError,
        match=r"row with index 1, column 'petal_width'.*"
        r"not a number.*'big'",
    ):
        features_array(frame, NAMES)
    # Numeric text converts, as in scikit-learn.
    np.testing.assert_array_equal(
        features_array([["1", "2", "3.5"]], NAMES), [[1.0, 2.0, 3.5]]
    )


def test_non_numeric_dtypes_are_rejected():
    with pytest.raises(TypeError, match=r"must be numbers.*complex"):
        features_array(np.ones((1, 3), dtype=complex), NAMES)
    with pytest.raises(TypeError, match="must be numbers"):
        features_array(np.zeros((1, 3), dtype="datetime64[s]"), NAMES)


@pytest.mark.parametrize("x", [None, "1,2,3", {"petal_length": 1.0}, {1, 2, 3}])
def test_unsupported_containers_are_rejected(x):
    with pytest.raises(TypeError, match="NumPy array, a list of rows or a pandas"):
        features_array(x, NAMES)


def test_ragged_rows_are_rejected():
    with pytest.raises(ValueError, match="different lengths"):
        features_array([[1.0, 2.0, 3.0], [1.0]], NAMES)


def test_booleans_count_as_numbers():
    np.testing.assert_array_equal(
        features_array(np.array([[True, False, True]]), NAMES), [[1.0, 0.0, 1.0]]
    )
