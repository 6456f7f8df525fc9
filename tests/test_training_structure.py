"""The training package's shape (issue 23): parts get what they use.

No module of ``nda_models/training`` except ``trainer.py`` takes the
``Trainer``: no function has a ``trainer`` parameter and no code reads a
``.trainer`` attribute (callbacks, in ``nda_models/callbacks``, bind to it
as Keras callbacks bind to their model).
"""

import ast
import pathlib

import nda_models

TRAINING = pathlib.Path(nda_models.__file__).parent / "training"


def _modules():
    return [p for p in sorted(TRAINING.rglob("*.py")) if p.name != "trainer.py"]


def test_no_training_module_but_the_trainer_takes_the_trainer():
    found = []
    for path in _modules():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                names = [a.arg for a in (*node.args.args, *node.args.kwonlyargs)]
                if "trainer" in names:
                    found.append(f"{path.name}:{node.lineno} {node.name}(trainer)")
            if isinstance(node, ast.Attribute) and node.attr == "trainer":
                found.append(f"{path.name}:{node.lineno} .trainer")
    assert not found, found
