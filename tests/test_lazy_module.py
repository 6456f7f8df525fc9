"""lazy_module: a heavy library named at a module's top, imported on first use."""

import subprocess
import sys

import pytest

from nda_models.core.lazy_module import lazy_module


def run(code):
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    return out.stdout.split()


def test_the_library_is_imported_at_the_first_attribute_only():
    code = (
        "import sys; from nda_models.core.lazy_module import lazy_module; "
        "w = lazy_module('wave'); print('wave' in sys.modules); "
        "print(w.WAVE_FORMAT_PCM, 'wave' in sys.modules, sys.modules['wave'] is not w)"
    )
    assert run(code) == ["False", "1", "True", "True"]


def test_a_program_importing_the_library_itself_gets_the_real_module():
    code = (
        "import sys, types; from nda_models.core.lazy_module import lazy_module; "
        "w = lazy_module('wave'); import wave; "
        "print(type(wave) is types.ModuleType, w.Wave_read is wave.Wave_read)"
    )
    assert run(code) == ["True", "True"]


def test_a_missing_attribute_or_module_says_so():
    with pytest.raises(AttributeError, match="no attribute 'nothing_here'"):
        _ = lazy_module("json").nothing_here
    with pytest.raises(ModuleNotFoundError, match="no_such_library_xyz"):
        _ = lazy_module("no_such_library_xyz").anything


@pytest.mark.parametrize("name", ["", ".relative", None, 3])
def test_only_an_absolute_module_name_is_taken(name):
    with pytest.raises(ValueError, match=r"absolute import name.*Received: "):
        lazy_module(name)


def test_a_tool_probing_for_dunders_imports_nothing():
    code = (
        "import inspect, sys; from nda_models.core.lazy_module import lazy_module; "
        "w = lazy_module('wave'); inspect.unwrap(w); "
        "print(hasattr(w, '__wrapped__'), 'wave' in sys.modules)"
    )
    assert run(code) == ["False", "False"]
