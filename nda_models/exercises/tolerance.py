"""When a number counts as right: a relative tolerance, absolute near zero.

A student computes by hand or with a few digits on a calculator, so answers
are compared with |given − expected| ≤ max(relative·|expected|, absolute):
four significant digits are always enough.

Example:
    >>> tolerance = Tolerance(relative=1e-3, absolute=1e-4)
    >>> tolerance.close(0.1234, 0.12345), tolerance.close(0.12, 0.12345)
    (True, False)
    >>> tolerance.describe()
    'a relative error of 0.001 (absolute 0.0001 for values near 0)'
"""

import dataclasses


@dataclasses.dataclass(frozen=True)
class Tolerance:
    """Relative tolerance with an absolute floor.

    Attributes:
        relative: Allowed error as a fraction of the expected value.
        absolute: Allowed error for expected values near 0.
    """

    relative: float = 1e-3
    absolute: float = 1e-4

    def close(self, given, expected):
        """True when ``given`` is within the tolerance of ``expected``."""
        return abs(given - expected) <= max(
            self.relative * abs(expected), self.absolute
        )

    def describe(self):
        return (
            f"a relative error of {self.relative:g} "
            f"(absolute {self.absolute:g} for values near 0)"
        )
