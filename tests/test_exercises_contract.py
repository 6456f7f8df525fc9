"""The exercises' contract: names, seeds, params, forms, malformed answers, display.

``check`` must never raise: every malformed answer (None, wrong types, wrong
keys, wrong lengths, NaN, strings, nested junk, objects that misbehave) gets
``correct=False`` and a message saying what form is expected and what was
received.
"""

import collections.abc
import json
import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nda_models import exercises
from nda_models.exercises import get_exercise, list_exercises

NAMES = list_exercises()
FIXED = ["example3_backward", "sgd_step", "softmax_nll"]


def test_at_least_twelve_exercises_covering_the_lecture():
    assert NAMES == sorted(NAMES) and len(NAMES) >= 12
    assert {*FIXED, "least_squares", "gd_step", "minibatch_variance", "robbins_monro",
            "sigmoid_derivative", "perceptron_update", "bce", "softmax", "log_softmax",
            "example1_gradient", "example2_gradient",
            "forward_reverse_cost"} <= set(NAMES)  # fmt: skip


def test_unknown_names_and_bad_seeds_are_refused_with_the_names():
    with pytest.raises(ValueError, match=r"Unknown exercise 'sgd_stpe'. Did you mean "
                       r"'sgd_step'\? Expected one of \['bce', "):  # fmt: skip
        get_exercise("sgd_stpe")
    with pytest.raises(ValueError, match=r"Expected one of .*'softmax_nll'"):
        get_exercise("nothing like it")
    with pytest.raises(TypeError, match="`name` must be a string"):
        get_exercise(3)
    with pytest.raises(ValueError, match="`seed` must be an integer >= 0"):
        get_exercise("bce", seed=-1)
    with pytest.raises(TypeError, match="`seed` must be an integer >= 0"):
        get_exercise("bce", seed=True)
    assert get_exercise("bce", seed=np.int64(3)).params == get_exercise("bce", 3).params


def plain(value):
    """Only JSON types: bool-free ints, floats, strings, lists, dicts."""
    if isinstance(value, dict):
        return all(isinstance(k, str) and plain(v) for k, v in value.items())
    if isinstance(value, list):
        return all(plain(v) for v in value)
    return type(value) in (int, float, str)


def numbers_in(value):
    if isinstance(value, dict):
        return [n for v in value.values() for n in numbers_in(v)]
    if isinstance(value, list):
        return [n for v in value for n in numbers_in(v)]
    return [value] if type(value) in (int, float) else []


@pytest.mark.parametrize("name", NAMES)
def test_seeds_give_plain_params_shown_in_the_question(name):
    ex = get_exercise(name, seed=4)
    assert plain(ex.params) and json.loads(json.dumps(ex.params)) == ex.params
    assert get_exercise(name, seed=4).params == ex.params  # same seed, same numbers
    draws = {json.dumps(get_exercise(name, seed=s).params) for s in range(10)}
    assert len(draws) >= 5  # different seeds, different numbers
    for number in numbers_in(ex.params):
        assert f"{number:g}" in ex.question, (number, ex.question)
    assert "**Answer** with `check(answer)`" in ex.question
    if name not in ("robbins_monro", "forward_reverse_cost"):
        assert (
            "within a relative error of 0.001 (absolute 0.0001 for values near 0)"
            in ex.question
        )


def test_the_three_fixed_forms():
    ex = get_exercise("example3_backward", seed=5)
    assert set(ex.params) == {"w", "x", "b", "y_star"}
    assert set(ex.solution()) == {"dl_dw", "dl_db"}
    ex = get_exercise("sgd_step", seed=5)
    assert set(ex.params) == {"theta", "b", "x", "y", "eta"}
    assert isinstance(ex.params["theta"], list) and isinstance(ex.params["x"], list)
    solution = ex.solution()
    assert set(solution) == {"theta", "b"} and isinstance(solution["theta"], list)
    ex = get_exercise("softmax_nll", seed=5)
    assert set(ex.params) == {"logits", "label"}
    assert isinstance(ex.solution(), float)


class Exploding:
    def __repr__(self):
        raise RuntimeError("no repr")

    def __float__(self):
        raise RuntimeError("no float")


class BadMapping(collections.abc.Mapping):
    def __getitem__(self, key):
        raise RuntimeError("gone")

    def __iter__(self):
        return iter(["dl_dw", "dl_db"])

    def __len__(self):
        return 2


cycle = []
cycle.append(cycle)
JUNK = [None, "0.5", b"1", True, float("nan"), float("inf"), [], {}, [[1.0, 2.0]],
        [None, None], {"a": 1}, {1: 2}, np.zeros((2, 2)), np.array(["a"]), object(),
        Exploding(), [Exploding()], BadMapping(), cycle, {"theta": cycle, "b": 1},
        {"x": {"y": {"z": []}}}, 1 + 2j, set(), frozenset({"A", 3})]  # fmt: skip


@pytest.mark.parametrize("name", NAMES)
def test_malformed_answers_never_raise_and_say_the_expected_form(name):
    for seed in (0, 1):
        ex = get_exercise(name, seed=seed)
        expected = f"Expected {ex.form().describe()}."
        for junk in JUNK:
            feedback = ex.check(junk)
            if feedback.malformed:
                assert not feedback.correct and expected in feedback.message
                assert "Received: " in feedback.message, feedback.message
            else:  # read as some answer (e.g. an empty set of letters): graded
                assert not feedback.correct or name == "robbins_monro"


KEYS = ["theta", "b", "w", "dl_dw", "dl_db", "g", "gradient", "with_replacement",
        "forward_passes", "reverse_passes"]  # fmt: skip
ANSWERS = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=4),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.tuples(inner, inner)
        | st.dictionaries(
            st.sampled_from(KEYS) | st.text(max_size=3), inner, max_size=3
        )
    ),
    max_leaves=8,
)


@settings(max_examples=200, deadline=None)
@given(name=st.sampled_from(NAMES), answer=ANSWERS)
def test_check_never_raises_on_any_nested_value(name, answer):
    feedback = get_exercise(name).check(answer)
    assert isinstance(feedback.correct, bool) and feedback.message


@pytest.mark.parametrize(
    "answer, says",
    [
        (None, "your answer is None, not a dict."),
        ({"dl_dw": 1.0}, "your answer lacks the key 'dl_db'."),
        (
            {"dl_dw": 1.0, "dl_db": 2.0, "dl_dx": 3.0},
            "has the key 'dl_dx', which is not one",
        ),
        ({"dl_w": 1.0, "dl_db": 2.0}, "Did you mean 'dl_dw'?"),
        (
            {"dl_dw": "1.5", "dl_db": 2.0},
            "answer['dl_dw'] is the string '1.5', not a number: drop the quotes.",
        ),
        ({"dl_dw": float("nan"), "dl_db": 2.0}, "answer['dl_dw'] is nan, not a finite"),
        (
            {"dl_dw": True, "dl_db": 2.0},
            "answer['dl_dw'] is a bool (True), not a number.",
        ),
        ({"dl_dw": [1.0], "dl_db": 2.0}, "answer['dl_dw'] is a list, not a number."),
        ([1.0, 2.0], "your answer is a list, not a dict."),
        (Exploding(), "Received: <a Exploding object>."),
        (BadMapping(), "reading the answer raised RuntimeError: gone"),
        ({"dl_dw": 10**400, "dl_db": 1}, "answer['dl_dw'] is too large for a float."),
    ],
)
def test_malformed_messages_say_what_is_wrong(answer, says):
    feedback = get_exercise("example3_backward").check(answer)
    assert feedback.malformed and not feedback.correct
    assert says in feedback.message
    assert str(feedback).startswith("Cannot check this answer: ")


def test_vectors_and_numbers_accept_numpy_and_refuse_wrong_lengths():
    ex = get_exercise("sgd_step", seed=2)
    right = ex.solution()
    assert ex.check({"theta": np.array(right["theta"], np.float32),
                     "b": np.float32(right["b"])}).correct  # fmt: skip
    assert ex.check({"theta": tuple(right["theta"]), "b": np.array(right["b"])}).correct
    short = ex.check({"theta": right["theta"][:1], "b": right["b"]})
    assert short.malformed and "answer['theta'] has 1 entries, not 2." in short.message
    flat = ex.check({"theta": np.array([right["theta"]]), "b": right["b"]})
    assert "an array of shape (1, 2), not a flat list" in flat.message
    entry = ex.check({"theta": [right["theta"][0], "x"], "b": right["b"]})
    assert "entry 2 of answer['theta'] is the string 'x'" in entry.message


def test_letters_are_read_leniently_and_refused_clearly():
    ex = get_exercise("robbins_monro", seed=0)
    right = ex.solution()
    assert ex.check(set(right)).correct
    assert ex.check([x.lower() for x in right]).correct
    assert ex.check(", ".join(right)).correct
    bad = ex.check(["Z"])
    assert bad.malformed and "holds 'Z', which is not one of the letters" in bad.message


class Endless:
    """Says it has two entries but iterates on (a lying ``__len__``), counting
    the entries drawn; it stops at 100,000, so that reading it all is a test
    failure, not an out-of-memory kill."""

    def __init__(self, item):
        self.item, self.drawn = item, 0

    def __len__(self):
        return 2

    def __getitem__(self, index):
        return self.item

    def __iter__(self):
        for i in range(100_000):
            self.drawn += 1
            yield self.item(i) if callable(self.item) else self.item


class EndlessSequence(Endless, collections.abc.Sequence):
    pass


class EndlessKeys(Endless, collections.abc.Mapping):
    pass


@pytest.mark.parametrize(
    "name, endless, place, says",
    [
        ("sgd_step", EndlessSequence(1.0), "theta", "more than 2 entries: it needs 2"),
        ("robbins_monro", EndlessSequence("A"), None, "has more than 100 entries"),
        ("sgd_step", EndlessKeys(lambda i: f"k{i}"), None, "has the key 'k0'"),
    ],
)
def test_an_endless_answer_is_refused_after_a_few_entries(name, endless, place, says):
    """An answer that iterates forever was read whole (list(answer)): the
    kernel ran out of memory. Only as many entries as the form holds (plus
    one) are read."""
    answer = endless if place is None else {"theta": endless, "b": 0.0}
    feedback = get_exercise(name).check(answer)
    assert feedback.malformed and not feedback.correct
    assert says in feedback.message
    assert endless.drawn <= 101


def test_whole_numbers_are_exact():
    ex = get_exercise("forward_reverse_cost", seed=1)
    right = ex.solution()
    assert ex.check({k: float(v) for k, v in right.items()}).correct
    half = ex.check({**right, "forward_passes": right["forward_passes"] + 0.5})
    assert half.malformed and "not a whole number" in half.message


def test_exercises_and_feedback_display_in_jupyter_and_print_well():
    ex = get_exercise("example3_backward", seed=0)
    markdown = ex._repr_markdown_()
    assert markdown.startswith("**Exercise `example3_backward`**")
    assert ex.question in markdown and 'slide "Example 3", seed 0' in markdown
    assert repr(ex).startswith("<Exercise 'example3_backward' seed=0")
    good, bad = ex.check(ex.solution()), ex.check({"dl_dw": 0, "dl_db": 0})
    assert str(good).startswith("Correct: ∂ℓ/∂w and ∂ℓ/∂b are right (checked to within")
    assert bool(good) and not bool(bad)
    assert "✔ Correct</b>" in good._repr_html_() and "#1a7f37" in good._repr_html_()
    junk = ex.check("<script>")
    assert (
        "&lt;script&gt;" in junk._repr_html_() and "<script>" not in junk._repr_html_()
    )


def test_importing_the_exercises_imports_no_tensorflow():
    code = ("import sys; from nda_models import exercises; "
            "exercises.get_exercise('example2_gradient').solution(); "
            "print('tensorflow' in sys.modules, 'keras' in sys.modules)")  # fmt: skip
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)  # fmt: skip
    assert out.stdout.split() == ["False", "False"]


def test_the_package_reaches_the_exercises():
    import nda_models as nda

    assert nda.exercises is exercises
    assert exercises.list_exercises() == NAMES


@pytest.mark.parametrize("name", NAMES)
def test_a_hundred_seeds_build_and_accept_their_solution(name):
    """Every draw is unambiguous (or the constructor raises) and self-consistent."""
    for seed in range(100):
        ex = get_exercise(name, seed=seed)
        assert ex.check(ex.solution()).correct, (seed, ex.params)
