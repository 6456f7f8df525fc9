"""metadata.json is checked against a JSON Schema (issue 23) that catches what
the old field list let through (issue 21 C8: strings, nested lists and nulls
in the normalisation statistics)."""

import copy
import json
import pathlib
import shutil
import subprocess
import sys

import jsonschema
import numpy as np
import pytest

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


def test_jsonschema_waits_for_the_first_bundle_check():
    """Beside JupyterLab, importing jsonschema builds rfc3987-syntax's grammar
    (about 1 s of CPU): ``import nda_models`` leaves it for the first check,
    which still refuses bad metadata naming the field."""
    code = (
        "import sys, nda_models as nda\n"
        "from nda_models.export.format.metadata_schema import check_field\n"
        "print('jsonschema' in sys.modules)\n"
        "try:\n"
        "    check_field({'input_dim': 4.0}, 'input_dim', 'b')\n"
        "except ValueError as error:\n"
        "    print('jsonschema' in sys.modules, error)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.splitlines()
    assert out[0] == "False"
    assert out[1].startswith("True corrupt or incomplete bundle at 'b'")
    assert "'input_dim'" in out[1] and "found 4.0" in out[1]


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
