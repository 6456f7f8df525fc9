"""Bad arguments are refused before TensorFlow loads (issue 26 item 4).

``nda train linear_regressor --schedule robbins_monro --power 0.3`` used to
be refused by the Trainer, after TensorFlow's start-up (5.7 s). Every case
below runs ``main`` in one fresh process and records, after each refusal,
whether ``tensorflow`` (or Keras) has been imported: never.
"""

import json
import subprocess
import sys

import pytest

DRIVER = r"""
import contextlib, io, json, sys
from nda_models.cli.main import main
results = []
for argv in json.loads(sys.argv[1]):
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        try:
            code = main(argv)
        except SystemExit as stop:  # argparse's own refusals
            code = stop.code
    loaded = sorted(m for m in ("tensorflow", "keras") if m in sys.modules)
    results.append({"code": code, "err": err.getvalue(), "loaded": loaded})
print(json.dumps(results))
"""

RC = ["--schedule", "robbins_monro"]
CASES = [
    (["train", "linear_regressor", *RC, "--power", "0.3"],
     r"`power` must be in \(0.5, 1\]"),
    (["train", "linear_regressor", "--power", "0.7"],
     "--power applies only with --schedule robbins_monro"),
    (["train", "linear_regressor", *RC, "--tau", "0"], "expected a number > 0"),
    (["train", "linear_regressor", "--optimizer", "momentum", "--momentum", "1.5"],
     r"`momentum` must be in \[0, 1\)"),
    (["train", "linear_regressor", "--momentum", "0.5"],
     "--momentum applies only with --optimizer momentum"),
    (["train", "linear_regressor", "--learning-rate", "0"], "expected a number > 0"),
    (["train", "perceptron", "--hidden", "8"],
     "--hidden: not a hyper-parameter of perceptron"),
    (["train", "mlp_regressor", "--dropout", "1.5"], r"`dropout` must be in \[0, 1\)"),
    (["train", "mlp_regressor", "--l2", "-1"], "`l2` must be a finite number >= 0"),
    (["train", "perceptorn"], "Did you mean 'perceptron'"),
    (["train", "perceptron", "--dataset", "iris_setsoa"], "Unknown dataset"),
    (["train", "linear_regressor", "--dataset", "iris"], "is a regression model"),
    (["train", "perceptron", "--dataset", "csv:missing.csv"], "does not exist"),
    (["train", "perceptron", "--val-size", "0.6", "--test-size", "0.5"], "size"),
    (["train", "perceptron", "--seed", "-1"], r"`seed` must be an integer in \[0, "),
    (["train", "perceptron", "--out", "a_file/bundle"], "cannot write --out"),
    (["train", "perceptron", "--out", "thesis"], "thesis"),
    (["train", "perceptron", "--logdir", "a_file/runs"], "cannot write --logdir"),
    (["train", "perceptron", "--checkpoint-dir", "a_file/ck"],
     "cannot write --checkpoint-dir"),
    (["tune", "linear_regressor", "--learning-rates", "0.1,0.1"], "more than once"),
    (["tune", "linear_regressor", "--batch-sizes", "0,16"],
     r"`batch_sizes\[0\]` must be an integer >= 1"),
    (["tune", "linear_regressor", *RC, "--power", "2"], r"`power` must be in"),
    (["tune", "linear_regressor", "--results", "a_file/t"], "cannot write --results"),
    (["tune", "perceptron", "--results", "saved_models"],
     "`--results` would write the tables into the bundle folder `--out`"),
    (["tune", "perceptron", "--out", "t", "--results", "t"], "is inside 't'"),
    (["tune", "perceptron", "--out", "a", "--bundle", "b"],
     "--bundle is the former name of --out"),
    (["tune", "mlp_classifier", "--dataset", "diabetes"], "is a multiclass model"),
    (["demo", "--seed", "-1"], r"`seed` must be an integer in \[0, "),
    (["demo", "--logdir", "a_file/r"], "cannot write --logdir"),
    (["demo", "--saved-models", "a_file"], "cannot write --saved-models"),
    (["demo", "--epochs", "0"], "expected an integer >= 1"),
]  # fmt: skip


@pytest.fixture(scope="module")
def refusals(tmp_path_factory):
    cwd = tmp_path_factory.mktemp("early")
    (cwd / "a_file").write_text("not a folder")
    (cwd / "thesis").mkdir()
    (cwd / "thesis" / "chapter1.tex").write_text("user data")
    argvs = [argv for argv, _ in CASES]
    done = subprocess.run(
        [sys.executable, "-c", DRIVER, json.dumps(argvs)],
        cwd=cwd, capture_output=True, text=True, check=True,
    )  # fmt: skip
    results = json.loads(done.stdout.splitlines()[-1])
    assert (cwd / "thesis" / "chapter1.tex").read_text() == "user data"
    assert sorted(p.name for p in cwd.iterdir()) == ["a_file", "thesis"]
    return dict(zip(map(tuple, argvs), results, strict=True))


@pytest.mark.parametrize(("argv", "match"), CASES, ids=[" ".join(a) for a, _ in CASES])
def test_refused_before_tensorflow_loads(refusals, argv, match):
    import re

    result = refusals[tuple(argv)]
    assert result["code"] == 2, result
    assert re.search(match, result["err"]), result["err"]
    assert result["err"].count("\n") == 1 or "usage:" in result["err"]
    assert result["loaded"] == [], f"{result['loaded']} imported before refusing"
