"""A load while a save replaces the same bundle reads one bundle, never a mix.

The save swaps the whole folder in one rename, but a load reads its files
one by one: before, a load whose metadata.json came from the old bundle and
model.keras from the new one said "corrupt or incomplete bundle" of two good
bundles (1 load in ~300 beside a loop of saves). The save here runs at the
worst moment, right after the load has read the metadata: a real
``save_model`` of another model into the same folder.
"""

import numpy as np
import pytest

import nda_models as nda
from nda_models.export.read import load


def _linear(bias):
    model = nda.build_model("linear_regressor", input_dim=2)
    model.set_weights([np.array([[2.0], [-3.0]]), np.array([bias])])
    return model


@pytest.mark.parametrize("runtime", ["onnx", "keras"])
def test_a_save_during_a_load_gives_the_new_bundle(tmp_path, monkeypatch, runtime):
    folder = nda.save_model(_linear(5.0), tmp_path / "linear")
    real_read = load.read_metadata
    saves = []

    def read_then_save(path):
        metadata = real_read(path)
        if not saves:  # another process saves now, once
            saves.append(nda.save_model(_linear(7.0), folder))
        return metadata

    monkeypatch.setattr(load, "read_metadata", read_then_save)
    bundle = nda.load_model(folder, runtime=runtime)
    assert saves, "the save did not run during the load"
    # 7 + 2 * 1 - 3 * 2 = 3: the new bundle's model, with its metadata.
    np.testing.assert_allclose(bundle.predict([[1.0, 2.0]]), [3.0], rtol=1e-6)
    assert bundle.metadata == real_read(folder)


def test_a_bundle_damaged_in_place_is_still_reported(tmp_path):
    folder = nda.save_model(_linear(5.0), tmp_path / "linear")
    with open(folder / "model.keras", "r+b") as file:  # same folder, one byte
        file.seek(100)
        file.write(b"\0")
    with pytest.raises(ValueError, match="corrupt or incomplete bundle.*model.keras"):
        nda.load_model(folder)
