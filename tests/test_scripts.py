"""Runs every lecture script in --quick mode and checks what it prints and writes.

Each script is imported by path and its ``main`` called in-process (TensorFlow
is imported once for the whole file). Numbers are checked against what the
lecture claims: the closed form near (5, 2, −3), unbiased stochastic
gradients, the 1/M variance law, a perceptron at 100 % training accuracy,
formulas matching to float32 round-off, the hand SGD step equal to the
Trainer's.
"""

import importlib.util
import pathlib
import re

import pytest

SCRIPTS = pathlib.Path(__file__).resolve().parents[1] / "scripts"
FIGURES = {
    "01_gradient_descent": ["trajectories.png", "regression_example.png"],
    "02_stochastic_gradient": ["gradient_clouds.png", "variance_vs_batch_size.png"],
    "03_step_size_schedules": ["distance_to_optimum.png", "region_of_confusion.png"],
    "04_neuron_and_perceptron": ["decision_boundaries.png"],
    "05_activations_and_losses": [
        "activations.png",
        "losses.png",
        "activation_derivatives.png",
    ],
    "06_mlp": ["learning_curves.png"],
    "07_iteration_cycle": ["iteration_cycle.png"],
    "08_sampling_methods": ["sampling_methods.png"],
    "09_cost_per_step": ["cost_per_step.png"],
    "10_batch_size_and_minima": ["sharpness.png"],
    "11_sklearn_grid_search": ["grid_search_cv.png", "nda_tune.png"],
}
NUMBER = r"([-+]?\d+\.\d+(?:e[-+]?\d+)?)"


def _run(stem, tmp_path, capsys):
    spec = importlib.util.spec_from_file_location(
        f"script_{stem}", SCRIPTS / f"{stem}.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.__doc__ and "Lecture 12" in module.__doc__
    assert module.main(["--quick", "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert f"Figures go to {tmp_path}" in out
    for name in FIGURES[stem]:
        path = tmp_path / name
        assert path.stat().st_size > 5000, name
        assert path.read_bytes()[:4] == b"\x89PNG"
        assert f"wrote {path}" in out
    return out


def test_every_script_is_tested():
    assert sorted(p.stem for p in SCRIPTS.glob("[0-9]*.py")) == sorted(FIGURES)


@pytest.mark.parametrize("page", ["README.md", "docs/lecture/index.md"])
def test_readme_lists_every_script_and_where_each_slide_runs(page):
    text = (SCRIPTS.parent / page).read_text(encoding="utf-8")
    section = text[text.index("# The lecture, runnable") :]
    for stem in FIGURES:
        assert f"`{stem}.py`" in section, stem
    for slide in (
        "Regression Example",
        "The Perceptron",
        "SGD characteristics",
        "Hyperparameters choice",
        "Example 3",
        "Loss functions",
    ):
        assert f"| {slide}" in section, slide  # fmt: skip


def test_01_gradient_descent(tmp_path, capsys):
    out = _run("01_gradient_descent", tmp_path, capsys)
    closed = re.search(rf"closed form: b={NUMBER} w1={NUMBER} w2={NUMBER}", out)
    b, w1, w2 = map(float, closed.groups())
    assert abs(b - 5) < 0.1 and abs(w1 - 2) < 0.1 and abs(w2 + 3) < 0.1
    distances = dict(
        re.findall(rf"^(.+?): \d+ iterations.*closed form {NUMBER}$", out, re.M)
    )
    assert len(distances) == 3
    assert float(distances["gradient descent (M = n)"]) < 0.05
    assert float(distances["mini-batch SGD (M = 32)"]) < 0.3
    assert float(distances["SGD (M = 1)"]) < 0.6
    assert "#it" in out  # the iteration tables
    assert "The package's own example (not the slides' numbers)" in out
    assert "Loss convention: J = (1/M) Σ (y − ŷ)², the batch mean, no ½" in out
    # Counted as the slide's table counts: T iterations are T steps.
    iterations = re.search(r"^gradient descent \(M = n\): (\d+) iterations", out, re.M)
    steps = re.search(r"^gradient descent \(M = n\): J\(θ_t\) decreased at every "
                      r"one of the (\d+) steps", out, re.M)  # fmt: skip
    assert int(iterations.group(1)) == int(steps.group(1)) > 0
    # The slide's "Regression Example" table, first and last rows as printed.
    slide = out[out.index("The slide 'Regression Example', reproduced") :]
    assert "0     +12.481   -6.777   -1.732     -3.388   +0.000" in slide
    assert "200   +0.250    -0.041   -0.010     -0.020   +0.861" in slide
    assert "200 iterations, J(θ_t) decreased at every one of the 200 steps" in slide
    _check_same_gradient_as_script_02(out, tmp_path, capsys)


def _gradient_at_zero(out):
    line = re.search(r"^full gradient at theta = 0 \(MSE\): (.*)$", out, re.M)
    return [float(v) for v in re.findall(NUMBER, line.group(1))]


def _check_same_gradient_as_script_02(out, tmp_path, capsys):
    """Scripts 01 and 02 state one convention and report one gradient at θ = 0."""
    first = _gradient_at_zero(out)
    second = _run("02_stochastic_gradient", tmp_path / "02", capsys)
    assert first == pytest.approx(_gradient_at_zero(second), abs=2e-4)
    assert first[0] == pytest.approx(-10.2902, abs=2e-4)  # ∂J/∂b, MSE convention
    half = re.search(rf"½ convention \(half of it\): dJ/db={NUMBER}", second)
    assert float(half.group(1)) == pytest.approx(first[0] / 2, abs=2e-4)


def test_02_stochastic_gradient(tmp_path, capsys):
    out = _run("02_stochastic_gradient", tmp_path, capsys)
    rows = re.findall(rf"^(uniform|permutation)\s+(\d+)\s.*\s{NUMBER}$", out, re.M)
    assert len(rows) == 6
    for _, _, max_z in rows:
        assert float(max_z) < 4.5  # mean within a few standard errors of ∇J
    table = re.findall(
        rf"^\s*(\d+)\s+{NUMBER}\s+{NUMBER}\s+{NUMBER}\s+{NUMBER}$", out, re.M
    )
    assert len(table) == 10
    for m, uniform, theory_u, permutation, theory_p in table:
        # 1000 draws: the variance estimate is within ~15 % (heavier tails at M = 1)
        assert float(uniform) == pytest.approx(float(theory_u), rel=0.25), m
        assert float(permutation) == pytest.approx(float(theory_p), rel=0.25), m
    last = table[-1]
    assert float(last[4]) < 0.2 * float(last[2])  # finite-population factor at M=512


def test_03_step_size_schedules(tmp_path, capsys):
    out = _run("03_step_size_schedules", tmp_path, capsys)
    tails = [float(v) for v in re.findall(rf"{NUMBER}\s+{NUMBER}$", out, re.M)[-3:]
             for v in v[1:]]  # fmt: skip
    large, small, robbins_monro = tails
    assert robbins_monro < small < large  # smaller steps, smaller region of confusion


def test_04_neuron_and_perceptron(tmp_path, capsys):
    out = _run("04_neuron_and_perceptron", tmp_path, capsys)
    accuracy = dict(
        re.findall(rf"^(\w+): \d+ epochs, training accuracy {NUMBER}", out, re.M)
    )
    assert float(accuracy["perceptron"]) == 1.0
    assert float(accuracy["logistic_neuron"]) >= 0.95
    assert "perceptron on raw cm: Θ = (" in out  # the slide's raw features


def test_05_activations_and_losses(tmp_path, capsys):
    out = _run("05_activations_and_losses", tmp_path, capsys)
    rows = re.findall(r"^(activation|loss)\s+(\w+)\s+(\S+)$", out, re.M)
    assert {name for _, name, _ in rows} == {
        "relu", "sigmoid", "softmax", "tanh",
        "mean_squared_error", "binary_crossentropy", "negative_log_likelihood",
    }  # fmt: skip
    for _, name, error in rows:
        assert float(error) < 1e-4, name
    derivatives = re.findall(rf"^(relu|sigmoid|tanh|softmax \(Jacobian\))\s+{NUMBER}"
                             rf"\s+{NUMBER}$", out, re.M)  # fmt: skip
    assert [name for name, _, _ in derivatives] == [
        "relu", "sigmoid", "tanh", "softmax (Jacobian)",
    ]  # fmt: skip
    for name, autodiff, finite in derivatives:
        assert float(autodiff) < 1e-12 and float(finite) < 1e-8, name


def test_06_mlp(tmp_path, capsys):
    out = _run("06_mlp", tmp_path, capsys)
    first = [float(v) for v in re.findall(rf"first epoch: loss {NUMBER}", out)]
    last = [float(v) for v in re.findall(rf"last epoch: loss {NUMBER}", out)]
    assert len(first) == len(last) == 2
    assert all(b < a for a, b in zip(first, last, strict=True))  # training learns
    assert "val_loss" in out and "test accuracy" in out
    assert "  loss: J = (1/M) Σ (y − ŷ)², the batch mean, no ½" in out
    assert "  loss: J = (1/M) Σ −log softmax_y(z)" in out


def test_07_iteration_cycle(tmp_path, capsys):
    out = _run("07_iteration_cycle", tmp_path, capsys)
    loss = re.search(rf"NLL = {NUMBER}\s+\(NumPy from log-probabilities {NUMBER}", out)
    assert float(loss.group(1)) == pytest.approx(float(loss.group(2)), abs=1e-5)
    message = re.search(rf"one_hot\)/M: max abs error {NUMBER}", out)
    assert float(message.group(1)) < 1e-6
    step = re.search(rf"max \|θ_by_hand − θ_Trainer\| = {NUMBER}", out)
    assert float(step.group(1)) < 1e-5
    assert out.index("FORWARD PASS") < out.index("BACKWARD PASS") < out.index("UPDATE")


def test_08_sampling_methods(tmp_path, capsys):
    out = _run("08_sampling_methods", tmp_path, capsys)
    rows = dict(
        (name, [float(v) for v in values])
        for name, *values in re.findall(
            rf"^(uniform|permutation|preshuffle)\s+{NUMBER}\s+{NUMBER}\s+{NUMBER}$",
            out, re.M,
        )
    )  # fmt: skip
    assert sorted(rows) == ["permutation", "preshuffle", "uniform"]
    # Pre-shuffled SGD repeats the same updates each epoch: its end-of-epoch
    # iterates settle on one point; reshuffled and uniform ones keep moving.
    assert rows["preshuffle"][2] < 1e-3 * rows["permutation"][2]
    assert rows["uniform"][2] > 0.01 and rows["permutation"][2] > 0.01
    assert all(r[0] < 1.0 for r in rows.values())  # all in a region around θ*


def test_09_cost_per_step(tmp_path, capsys):
    out = _run("09_cost_per_step", tmp_path, capsys)
    rows = re.findall(r"^\s*(\d+)" + rf"\s+{NUMBER}" * 6 + "$", out, re.M)
    assert [int(r[0]) for r in rows] == [100, 1000, 10000]
    for row in rows:
        assert all(float(v) > 0 for v in row[1:])  # timings only, no time limits


def test_10_batch_size_and_minima(tmp_path, capsys):
    out = _run("10_batch_size_and_minima", tmp_path, capsys)
    rows = re.findall(
        rf"^(small batch|full batch) \(M = \w\)\s+(\d+)\s+{NUMBER}\s+(\d+)"
        rf"\s+{NUMBER}\s+{NUMBER}\s+{NUMBER}((?:\s+{NUMBER})+)$", out, re.M,
    )  # fmt: skip
    assert [r[0] for r in rows] == ["small batch", "full batch"]
    for row in rows:
        assert float(row[4]) <= 0.1  # both reached the same target training loss
        sharpness = [float(v) for v in row[7].split()]
        assert len(sharpness) == 4 and all(s > 0 for s in sharpness)
        assert sharpness == sorted(sharpness)  # larger moves, larger rises
    assert "measured: val_loss(M = n) − val_loss(M = 4) = " in out


def test_11_sklearn_grid_search(tmp_path, capsys):
    out = _run("11_sklearn_grid_search", tmp_path, capsys)
    rows = re.findall(rf"^\s+([\d.e-]+)\s+(\d+)\s+{NUMBER}\s+{NUMBER}$", out, re.M)
    assert len(rows) == 4  # the --quick grid: 2 learning rates x 2 batch sizes
    table = {
        (float(eta), int(m)): (float(cv), float(tune)) for eta, m, cv, tune in rows
    }
    for column, who in ((0, "GridSearchCV"), (1, "nda tune")):
        eta, m = min(table, key=lambda pair: table[pair][column])
        pick = re.search(
            rf"{who} .*picks eta=([\d.e-]+) M=(\d+): test MSE {NUMBER}", out
        )
        assert (float(pick.group(1)), int(pick.group(2))) == (eta, m), who
        assert float(pick.group(3)) < 1.5  # noise variance ~1 in linear_synthetic
    assert re.search(r"The two choices (agree|differ)\.", out)
