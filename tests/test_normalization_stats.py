"""Normalisation statistics: constant features scaled by 1 as scikit-learn's
StandardScaler does, huge features refused, old bundles repaired on load."""

import numpy as np
import pandas as pd
import pytest
from sklearn.preprocessing import StandardScaler

import nda_models as nda
from nda_models.cli import main
from nda_models.core.normalization_stats import NEAR_ZERO_STD, compute_normalization


def standardised_by_the_model(model, x):
    """Output of the model's Normalization layer on ``x``."""
    import keras

    layer = model.get_layer("normalization")
    return keras.ops.convert_to_numpy(layer(x.astype(np.float32)))


def test_threshold_is_scikit_learns_for_float32_scales():
    # sklearn.preprocessing._data._handle_zeros_in_scale: scale < 10 * eps(dtype).
    assert NEAR_ZERO_STD == pytest.approx(10 * np.finfo(np.float32).eps)


def test_statistics_match_standard_scaler_including_constant_columns():
    rng = np.random.default_rng(0)
    x = np.column_stack(
        [rng.normal(3, 2, 200), np.full(200, 7.0), rng.normal(0, 1e-9, 200),
         rng.normal(0, 1e-3, 200)]
    )  # fmt: skip
    mean, variance = compute_normalization(x)
    scaler = StandardScaler().fit(x)
    np.testing.assert_allclose(mean, scaler.mean_, rtol=1e-6)
    # Constant (and std 1e-9, below the threshold) columns: scale 1, as sklearn's
    # scale_ for the constant one; the others keep their variance.
    np.testing.assert_allclose(variance, [scaler.var_[0], 1.0, 1.0, scaler.var_[3]],
                               rtol=1e-5)  # fmt: skip
    assert scaler.scale_[1] == 1.0


def test_digits_constant_pixels_stay_small_on_unseen_rows():
    ds = nda.load_dataset("digits")
    constant = ds.x_train.std(axis=0) == 0
    assert constant.sum() >= 1  # the blank border pixels of the issue
    model = nda.build_model("mlp_classifier", input_dim=64, num_classes=10,
                            normalization=ds.normalization, seed=0)  # fmt: skip
    scaler = StandardScaler().fit(ds.x_train)
    for split in ("val", "test"):
        x = ds.split(split)[0]
        np.testing.assert_allclose(
            standardised_by_the_model(model, x), scaler.transform(x), atol=1e-4
        )


def test_builder_scales_a_zero_variance_it_is_given_by_one():
    x = np.array([[1.0, 5.0], [3.0, 5.0], [2.0, 5.0]])
    model = nda.build_model("linear_regressor", input_dim=2,
                            normalization=([2.0, 5.0], [2 / 3, 0.0]))  # fmt: skip
    unseen = np.array([[2.0, 6.0]])
    np.testing.assert_allclose(
        standardised_by_the_model(model, unseen),
        StandardScaler().fit(x).transform(unseen),
        rtol=1e-5,
    )


def test_a_column_that_overflows_float32_is_refused_by_name():
    rng = np.random.default_rng(0)
    x = np.column_stack([rng.normal(size=30), rng.normal(size=30) * 1e20])
    ds = nda.Dataset("big", "regression", x, x[:, 0], x, x[:, 0], x, x[:, 0],
                     ("small", "huge"))  # fmt: skip
    with pytest.raises(ValueError, match=r"column 'huge'.*overflows float32.*"
                       r"--no-normalize"):  # fmt: skip
        ds.normalization  # noqa: B018
    with pytest.raises(ValueError, match=r"feature 1.*overflows float32"):
        nda.build_model("linear_regressor", input_dim=2,
                        normalization=([0.0, 0.0], [1.0, 1e40]))  # fmt: skip


def test_cli_refuses_the_huge_column_before_training(tmp_path, capsys):
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"a": rng.normal(size=60), "huge": rng.normal(size=60) * 1e20})
    frame["y"] = frame["a"] * 2
    frame.to_csv(tmp_path / "big.csv", index=False)
    code = main(["train", "mlp_regressor", "--dataset", f"csv:{tmp_path}/big.csv",
                 "--logdir", str(tmp_path / "runs"), "--quiet"])  # fmt: skip
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1
    assert "column 'huge'" in err and "--no-normalize" in err
    assert not (tmp_path / "runs").exists()


def test_an_old_bundle_with_variance_zero_predicts_sanely(tmp_path):
    ds = nda.load_dataset("digits")
    mean, variance = ds.normalization
    constant = ds.x_train.std(axis=0) == 0
    model = nda.build_model("mlp_classifier", input_dim=64, num_classes=10,
                            normalization=(mean, variance), seed=0)  # fmt: skip
    # What bundles held before the fix: variance 0 for the constant pixels.
    old = np.where(constant, 0.0, variance)
    layer = model.get_layer("normalization")
    import keras

    layer.input_variance = old.tolist()
    layer.variance = keras.ops.reshape(keras.ops.convert_to_tensor(old, "float32"),
                                       tuple(layer.variance.shape))  # fmt: skip
    nda.save_model(model, tmp_path / "old", dataset=ds)
    bundle = nda.load_model(tmp_path / "old")
    got = standardised_by_the_model(bundle.model, ds.x_test)
    expected = StandardScaler().fit(ds.x_train).transform(ds.x_test)
    np.testing.assert_allclose(got, expected, atol=1e-4)
    assert np.abs(got).max() < 100  # not the 1e7 of dividing by Keras's epsilon


def test_csv_normalization_streams_the_same_statistics_in_chunks(tmp_path):
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"a": rng.normal(5, 3, 1001), "const": 7.0,
                          "big": 1e6 + 1e4 * rng.normal(size=1001)})  # fmt: skip
    frame["y"] = frame["a"]
    frame.to_csv(tmp_path / "d.csv", index=False)
    mean, variance = nda.csv_normalization(tmp_path / "d.csv", target="y",
                                           chunk_rows=97)  # fmt: skip
    x = frame[["a", "const", "big"]].to_numpy()
    np.testing.assert_allclose(mean, x.mean(axis=0), rtol=1e-6)
    np.testing.assert_allclose(variance, [x[:, 0].var(), 1.0, x[:, 2].var()],
                               rtol=1e-5)  # fmt: skip
    # What the streamed model gets equals load_dataset's rule on the same rows.
    whole = nda.load_dataset(f"csv:{tmp_path / 'd.csv'}", target="y",
                             test_size=0.0, val_size=0.0)  # fmt: skip
    np.testing.assert_allclose(variance, whole.normalization[1], rtol=1e-5)


def test_csv_normalization_refuses_text_and_huge_columns(tmp_path):
    (tmp_path / "t.csv").write_text("a,b,y\n1,2,0\n3,oops,1\n")
    with pytest.raises(ValueError, match=r"column 'b', row 2: .*'oops'"):
        nda.csv_normalization(tmp_path / "t.csv", chunk_rows=1)
    (tmp_path / "h.csv").write_text("a,huge,y\n1,1e20,0\n2,-1e20,1\n")
    with pytest.raises(ValueError, match=r"column 'huge'.*overflows.*--no-normalize"):
        nda.csv_normalization(tmp_path / "h.csv")
