"""What ``Exercise.check`` returns: right or not, and what to do next.

Example:
    >>> feedback = Feedback(False, "∂ℓ/∂b is right; ∂ℓ/∂w has the wrong sign.",
    ...                     right=("dl_db",), wrong=("dl_dw",), mistakes=("sign",))
    >>> print(feedback)
    Not yet: ∂ℓ/∂b is right; ∂ℓ/∂w has the wrong sign.
    >>> bool(feedback)
    False
"""

import dataclasses
import html


@dataclasses.dataclass(frozen=True)
class Feedback:
    """The verdict on one answer.

    Attributes:
        correct: True when every part of the answer is right.
        message: What is right, what is wrong, and a hint (plain text).
        right: Names of the parts that are right.
        wrong: Names of the parts that are wrong (empty for a malformed answer).
        mistakes: Names of the typical mistakes recognised (``"sign"``,
            ``"forgot_du_dw"``...), for tools that grade many answers.
        malformed: True when the answer could not be read in the expected form.
    """

    correct: bool
    message: str
    right: tuple = ()
    wrong: tuple = ()
    mistakes: tuple = ()
    malformed: bool = False

    def __bool__(self):
        return self.correct

    @property
    def verdict(self):
        """``"Correct"``, ``"Not yet"`` or ``"Cannot check this answer"``."""
        if self.correct:
            return "Correct"
        return "Cannot check this answer" if self.malformed else "Not yet"

    def __str__(self):
        return f"{self.verdict}: {self.message}"

    def _repr_html_(self):
        colour = (
            "#1a7f37" if self.correct else "#b35900" if self.malformed else "#cf222e"
        )
        mark = "✔" if self.correct else "✘"
        return (
            f'<div style="border-left: 4px solid {colour}; padding: 0.4em 0.8em">'
            f'<b style="color: {colour}">{mark} {html.escape(self.verdict)}</b>: '
            f"{html.escape(self.message)}</div>"
        )
