"""The base of every checked exercise: numbers from a seed, an answer checked.

An exercise draws its numbers from ``numpy.random.default_rng`` seeded with
the seed and the exercise's name (the same seed, the same numbers; two
exercises of one seed, different numbers), states the question in the
lecture's notation, and checks an answer part by part: each part is right
within the stated tolerance or it is not. A wrong part is explained by the
first typical mistake that reproduces it (``Mistake``: a sign error, a
missing factor ½ or 1/M, a forgotten chain-rule factor...), else by a
generic diagnosis (wrong sign, off by a factor 2, swapped parts), else by
the part's hint. The numbers are redrawn until no two diagnoses give the
same value, so the feedback is never ambiguous.

Subclasses define ``name``, ``title``, ``slide`` and the methods ``draw``,
``form``, ``statement``, ``solve`` and ``mistakes``.

Example:
    >>> from nda_models.exercises import get_exercise
    >>> ex = get_exercise("example3_backward", seed=1)
    >>> ex.check(ex.solution()).correct
    True
    >>> ex.check({"dl_dw": 1.0}).malformed
    True
"""

import abc
import dataclasses
import numbers
import zlib

import numpy as np

from nda_models.core.constraints import Interval
from nda_models.exercises.answer_forms import AnswerError, Fields, shown
from nda_models.exercises.diagnosis import diagnose
from nda_models.exercises.feedback import Feedback
from nda_models.exercises.tolerance import Tolerance

SEED = Interval(numbers.Integral, 0, None)
_DRAWS = 200  # redraws allowed before an exercise is declared ambiguous
ANSWER = "answer"  # the part name of a single-valued answer


@dataclasses.dataclass(frozen=True)
class Mistake:
    """A typical mistake: the value it gives for some parts, and the hint.

    Attributes:
        name: Short id (``"sign"``, ``"forgot_du_dw"``).
        hint: One or two sentences: what went wrong and how to fix it.
        parts: Part name -> the value the mistake gives, in the answer's
            form (a single-valued answer has the one part ``"answer"``).
    """

    name: str
    hint: str
    parts: dict


class Exercise(abc.ABC):
    """A checked exercise (see the module docstring).

    Args:
        seed: Integer >= 0; the numbers of the exercise.

    Attributes:
        params: The numbers of the question (plain Python values).
    """

    name = ""
    title = ""
    slide = ""  # the lecture slide the exercise practises
    answer_label = "the answer"  # how feedback names a single-valued answer
    hints = {}  # part name -> what to recompute when that part is wrong
    tolerance = Tolerance(relative=1e-3, absolute=1e-4)

    def __init__(self, seed=0):
        self.seed = SEED.check("seed", seed)
        # The name joins the seed, so two exercises of one seed differ.
        rng = np.random.default_rng([self.seed, zlib.crc32(self.name.encode())])
        for _ in range(_DRAWS):
            self.params = self.draw(rng)
            if self._unambiguous():
                return
        raise RuntimeError(
            f"exercise {self.name!r}: no unambiguous draw for seed {seed}"
        )

    # -- what a subclass defines ------------------------------------------
    @abc.abstractmethod
    def draw(self, rng):
        """Returns the params dict, drawn from ``rng``."""

    @abc.abstractmethod
    def form(self):
        """The answer's form (``answer_forms``)."""

    @abc.abstractmethod
    def statement(self):
        """The question in Markdown, with the numbers of ``self.params``."""

    @abc.abstractmethod
    def solve(self):
        """The right answer, in the form ``check`` takes."""

    def mistakes(self):
        """The typical mistakes for these numbers, most specific first."""
        return []

    # -- the public face --------------------------------------------------
    @property
    def question(self):
        """The question, the answer's form and the tolerance (Markdown)."""
        numbers_note = ""
        if self.tolerance is not None:
            numbers_note = (
                f" Numbers are checked to within {self.tolerance.describe()}."
            )
        return (
            f"{self.statement()}\n\n**Answer** with `check(answer)`, where answer "
            f"is {self.form().describe()}.{numbers_note}"
        )

    def solution(self):
        """The right answer, exactly in the form ``check`` takes (for teachers)."""
        return self.solve()

    def check(self, answer):
        """Checks ``answer``; never raises on a malformed one.

        Returns:
            A ``Feedback``: ``.correct``, ``.message`` (what is right, what is
            wrong, a hint), ``.mistakes`` (the typical mistakes recognised).
        """
        form = self.form()
        try:
            given = self._parts(form.parse(answer))
        except AnswerError as error:
            return self._malformed(form, answer, str(error))
        except Exception as error:  # noqa: BLE001 - a student's object misbehaved
            problem = f"reading the answer raised {type(error).__name__}: {error}"
            return self._malformed(form, answer, problem)
        return self._grade(given)

    def __repr__(self):
        return f"<Exercise {self.name!r} seed={self.seed}: {self.title}>"

    def _repr_markdown_(self):
        return (
            f"**Exercise `{self.name}`**: {self.title} "
            f'*(slide "{self.slide}", seed {self.seed})*\n\n{self.question}'
        )

    # -- grading ----------------------------------------------------------
    def _parts(self, value):
        return dict(value) if isinstance(self.form(), Fields) else {ANSWER: value}

    def _label(self, part):
        form = self.form()
        return form.label(part) if isinstance(form, Fields) else self.answer_label

    def _expected(self):
        return self._parts(self.form().parse(self.solve()))

    def _mistake_parts(self, mistake):
        form = self.form()
        if isinstance(form, Fields):
            return {k: form.parts[k][0].parse(v) for k, v in mistake.parts.items()}
        return {ANSWER: form.parse(mistake.parts[ANSWER])}

    def _same(self, given, expected, scale=1.0):
        if isinstance(expected, float):
            close = dataclasses.replace(
                self.tolerance,
                relative=self.tolerance.relative * scale,
                absolute=self.tolerance.absolute * scale,
            )
            return close.close(given, expected)
        if isinstance(expected, tuple):
            return len(given) == len(expected) and all(
                self._same(g, e, scale) for g, e in zip(given, expected, strict=True)
            )
        return given == expected

    def _unambiguous(self):
        """No mistake gives the right value, no two mistakes the same one."""
        expected = self._expected()
        seen = {part: [value] for part, value in expected.items()}
        for mistake in self.mistakes():
            for part, value in self._mistake_parts(mistake).items():
                if any(self._same(value, other, scale=10) for other in seen[part]):
                    return False
                seen[part].append(value)
        return True

    def _malformed(self, form, answer, problem):
        message = f"{problem} Expected {form.describe()}. Received: {shown(answer)}."
        return Feedback(False, message, malformed=True)

    def _grade(self, given):
        return diagnose(self, given, self._expected())
