"""metadata.json is checked against a JSON Schema (issue 23) that catches what
the old field list let through (issue 21 C8: strings, nested lists and nulls
in the normalisation statistics)."""

import copy
import json
import pathlib
import shutil
import subprocess
import sys

import hypothesis.strategies as st
import jsonschema
import numpy as np
import pytest
from hypothesis import given, settings

import nda_models as nda
from nda_models.export.format import metadata_schema
from nda_models.export.format.checksums import metadata_sha256
from nda_models.zoo.output_kinds import OUTPUT_KINDS
from nda_models.zoo.tasks import TASKS

OLD_BUNDLE = pathlib.Path(__file__).parent / "data" / "bundle_v1_linear"
CORRUPT = "corrupt or incomplete bundle"


def test_the_schema_is_a_valid_json_schema_checked_at_import():
    schema = json.loads(
        (pathlib.Path(metadata_schema.__file__).parent / "metadata.schema.json")
        .read_text()
    )  # fmt: skip
    jsonschema.Draft202012Validator.check_schema(schema)
    typo = copy.deepcopy(schema)
    typo["properties"]["input_dim"]["type"] = "integr"
    with pytest.raises(jsonschema.SchemaError, match="integr"):
        jsonschema.Draft202012Validator.check_schema(typo)


def test_checking_a_bundle_imports_no_jsonschema_and_no_format_library():
    """Beside JupyterLab, importing jsonschema builds rfc3987-syntax's grammar
    (1.8 s of CPU): the loader's validator is fastjsonschema, imported at the
    first check, which still refuses bad metadata naming the field."""
    code = (
        "import sys, nda_models as nda\n"
        "from nda_models.export.format.metadata_schema import check_field\n"
        "print('fastjsonschema' in sys.modules)\n"
        "try:\n"
        "    check_field({'input_dim': 4.0}, 'input_dim', 'b')\n"
        "except ValueError as error:\n"
        "    print('fastjsonschema' in sys.modules, error)\n"
        "print(sorted({'jsonschema', 'rfc3987_syntax', 'lark'} & set(sys.modules)))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.splitlines()
    assert out[0] == "False"
    assert out[1].startswith("True corrupt or incomplete bundle at 'b'")
    assert "'input_dim'" in out[1] and "found 4.0" in out[1]
    assert out[2] == "[]"


# The oracle: jsonschema, the reference implementation, with the format's one
# departure (an integer is a JSON integer: not True, not 4.0).
def _reference_validator():
    draft = jsonschema.Draft202012Validator
    integers = draft.TYPE_CHECKER.redefine("integer", lambda _, v: type(v) is int)
    return jsonschema.validators.extend(draft, type_checker=integers)(
        metadata_schema.SCHEMA
    )


def _loader_accepts(metadata):
    try:
        for name in metadata_schema.FIELDS:
            metadata_schema.check_field(metadata, name, "b")
    except ValueError as error:
        assert CORRUPT in str(error), error
        return False
    return True


_SHA = st.text("0123456789abcdef", min_size=63, max_size=65)  # 64 is valid
_KEYS = st.sampled_from(
    ["layer", "mean", "variance", "file", "opset", "input", "outputs",
     "class_names", "directory", "signature", "exporter", "model.keras", "x"]
)  # fmt: skip
# Near-valid values as well as wrong ones: names, numbers (4.0 beside 4,
# True beside 1, -1 beside 0), hashes one digit short or long, the enums'
# words. No string ends in a newline: Python's ``$`` (jsonschema's pattern
# engine) matches before one, ECMA-262's (JSON Schema's dialect and
# fastjsonschema's) does not; the test below pins which the loader follows.
_LEAF = st.sampled_from(
    [None, True, False, 0, 1, 4, -1, 4.0, 0.5, -1.5, "", "a", "0" * 64,
     "regression", "binary", "multiclass", "binary_probability",
     "multiclass_probability", "nda_models.bundle"]
) | _SHA | st.text("abxy", max_size=3)  # fmt: skip
_JSON = st.recursive(
    _LEAF,
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(_KEYS, children, max_size=4)
    ),
    max_leaves=10,
)


@settings(max_examples=1500, deadline=None)
@given(
    changes=st.lists(
        st.tuples(st.sampled_from(metadata_schema.FIELDS), _LEAF | _JSON,
                  st.sampled_from([False, False, False, True])),
        min_size=1, max_size=2,
    )
)  # fmt: skip
def test_the_loader_and_jsonschema_agree_on_every_document(changes):
    metadata = json.loads((OLD_BUNDLE / "metadata.json").read_text())
    for name, value, drop in changes:
        if drop:
            metadata.pop(name, None)
        else:
            metadata[name] = value
    assert _loader_accepts(metadata) == _reference_validator().is_valid(metadata)


def test_the_loader_and_jsonschema_agree_on_the_saved_and_the_damaged_fields(
    normalised,
):
    """The nested fields a real bundle fills (normalisation, serving, onnx,
    files), each damaged one way, have the same verdict from both."""
    good = json.loads((normalised / "metadata.json").read_text())
    reference = _reference_validator()
    assert _loader_accepts(good) and reference.is_valid(good)
    damages = [
        ("normalization", "variance", [1.0, -0.5]), ("normalization", "mean", [1, "2"]),
        ("normalization", "layer", None), ("serving", "outputs", ["a", 1]),
        ("serving", "class_names", ["a", None]), ("onnx", "opset", 13.0),
        ("onnx", "opset", 0), ("onnx", "opset", True),
        ("files", "model.keras", "0" * 63), ("files", "x", "0" * 64),
        ("serving", "directory", 1),
    ]  # fmt: skip
    for field, key, value in damages:
        metadata = copy.deepcopy(good)
        metadata[field][key] = value
        assert _loader_accepts(metadata) == reference.is_valid(metadata), (field, key)


def test_a_hash_with_a_trailing_newline_is_refused():
    """ECMA-262's ``$`` (JSON Schema's regular expressions) does not match
    before a final newline; Python's does, so jsonschema would accept it."""
    metadata = {"metadata_sha256": "0" * 64 + "\n"}
    with pytest.raises(ValueError, match="'metadata_sha256' should be a SHA-256"):
        metadata_schema.check_field(metadata, "metadata_sha256", "b")


def test_the_schema_lists_the_zoos_tasks_and_output_kinds():
    properties = metadata_schema.SCHEMA["properties"]
    assert properties["task"]["enum"] == list(TASKS)
    assert properties["output_kind"]["enum"] == list(OUTPUT_KINDS)


def test_a_bundle_saved_before_the_schema_still_loads():
    """tests/data/bundle_v1_linear was saved by nda_models before this change."""
    import keras

    model = keras.saving.load_model(OLD_BUNDLE / "model.keras", compile=False)
    kernel, bias = (np.asarray(w) for w in model.get_weights())
    x = np.array([[1.0, 2.0], [-3.0, 0.5]], np.float32)
    for runtime in ("onnx", "keras"):
        bundle = nda.load_model(OLD_BUNDLE, runtime=runtime)
        np.testing.assert_allclose(
            bundle.predict(x), (x @ kernel + bias)[:, 0], rtol=1e-5, atol=1e-6
        )


@pytest.fixture(scope="module")
def normalised(tmp_path_factory):
    model = nda.build_model(
        "linear_regressor", input_dim=2, normalization=([1.0, 2.0], [4.0, 9.0])
    )
    return nda.save_model(model, tmp_path_factory.mktemp("schema") / "n")


def _with(bundle, folder, change):
    shutil.copytree(bundle, folder)
    metadata = json.loads((folder / "metadata.json").read_text())
    change(metadata)
    metadata["metadata_sha256"] = metadata_sha256(metadata)
    text = json.dumps(metadata, allow_nan=True)
    (folder / "metadata.json").write_text(text)
    return folder


def _variance(value):
    return lambda m: m["normalization"].__setitem__("variance", value)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (_variance(["x", 9.0]), r"'normalization.variance' should be a list of "
         r"numbers >= 0, one per feature, found \['x', 9.0\]"),
        (_variance([[4.0], 9.0]), r"'normalization.variance' should be a list"),
        (_variance([None, 9.0]), r"'normalization.variance' should be .* \[None"),
        (_variance([-4.0, 9.0]), r"'normalization.variance' should be a list of "
         r"numbers >= 0"),
        (_variance([4.0]), r"'normalization.variance' has 1 values for "
         r"input_dim=2"),
        (_variance("4, 9"), r"'normalization.variance' should be a list"),
        (lambda m: m["normalization"].pop("mean"), r"'normalization' has no 'mean'"),
        (_variance([float("nan"), 9.0]), r"is not valid JSON \(NaN is not a JSON"),
        (lambda m: m.__setitem__("input_dim", 2.0), r"'input_dim' should be an "
         r"integer, found 2.0"),
        (lambda m: m.__setitem__("input_dim", 0), r"'input_dim' should be at "
         r"least 1, found 0"),
        (lambda m: m["serving"].__setitem__("class_names", 3), r"'serving."
         r"class_names' should be a list of strings or null, found 3"),
        (lambda m: m.__setitem__("format", "other"), r"is not nda_models metadata"),
        # an int no float can hold (was OverflowError from math.isfinite)
        (_variance([10**400, 9.0]), r"'normalization.variance' holds a value "
         r"that is not finite"),
        # which item: a field may hold thousands (was only the first 57 chars)
        (_variance([9.0, -4.0]), r"'normalization.variance' should be a list of "
         r"numbers >= 0, one per feature, found \[9.0, -4.0\]; "
         r"normalization.variance\[1\] is -4.0\."),
        # a file name with dots and brackets, which fastjsonschema's path splits
        # (was the first, good, entry: found {'model.keras': '...)
        (lambda m: m["files"].__setitem__("saved_model/x.y[0]", "bad"),
         r"'files' should be an object of file -> SHA-256 \(64 hex digits\), "
         r"found \{.*; files\['saved_model/x.y\[0\]'\] is 'bad'\."),
    ],
)  # fmt: skip
def test_bad_metadata_is_a_corrupt_bundle_naming_the_field(
    normalised, tmp_path, change, message
):
    folder = _with(normalised, tmp_path / "bad", change)
    for runtime in ("onnx", "keras"):
        with pytest.raises(ValueError, match=f"{CORRUPT}.*{message}"):
            nda.load_model(folder, runtime=runtime)


def test_user_metadata_keys_stay_unchecked(normalised, tmp_path):
    folder = _with(normalised, tmp_path / "own", lambda m: m.update(note=[1, "x"]))
    assert nda.load_model(folder).metadata["note"] == [1, "x"]
