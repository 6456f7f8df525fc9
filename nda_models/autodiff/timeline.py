"""Every state of a step-through page, computed once in Python.

A page shows one position t of one mode. Positions 0..F are the forward
pass (F blocks computed one by one; t = F is its end), and t = F + s is the
state after the s-th message of the mode. Each property of the page (an
attribute or the text of one element) is stored as its changes, ``[t,
value]`` sorted by t; the value at t is the last change at or before t
(``None``: attribute absent, text empty). The page's script only looks
values up (a binary search per property), so any step, or a jump across a
200-node graph, costs no arithmetic in the browser.
"""

import bisect
import json


class Timeline:
    """The precomputed changes of every property, per mode.

    Args:
        forward_steps: F, the number of blocks the forward pass computes.
        steps: ``{mode: number of messages}`` (``"reverse"``, ``"forward"``).
        default_mode: The mode a page opens in.

    Example:
        >>> timeline = Timeline(2, {"reverse": 3}, "reverse")
        >>> timeline.set("n1", "data-value", "2.0", at=1)
        >>> timeline.value("n1", "data-value", "reverse", 0) is None
        True
        >>> timeline.value("n1", "data-value", "reverse", timeline.last("reverse"))
        '2.0'
    """

    def __init__(self, forward_steps, steps, default_mode):
        self.forward_steps = int(forward_steps)
        self.steps = dict(steps)
        self.default_mode = default_mode
        self._changes = {}  # (element, key) -> {mode: [[t, value], ...]}

    @property
    def modes(self):
        """The modes, in the order given."""
        return tuple(self.steps)

    def last(self, mode):
        """The last position of ``mode``: F + its number of messages."""
        return self.forward_steps + self.steps[mode]

    def set(self, element, key, value, *, at, modes=None):
        """From position ``at`` on, ``element``'s ``key`` is ``value``.

        Args:
            element: The element's id.
            key: ``"text"`` or an attribute name.
            value: A string, or ``None`` (attribute removed, text empty).
            at: The position t.
            modes: The modes this change belongs to (default: all).
        """
        timelines = self._changes.setdefault((element, key), {})
        for mode in self.modes if modes is None else modes:
            changes = timelines.setdefault(mode, [])
            if changes and changes[-1][0] > at:
                raise ValueError(
                    "Changes must be set in order of position. "
                    f"Received: {element}.{key} at t={at} after t={changes[-1][0]}"
                )
            if changes and changes[-1][0] == at:
                changes[-1][1] = value
            elif not changes or changes[-1][1] != value:
                changes.append([at, value])

    def value(self, element, key, mode, t):
        """The value of ``element``'s ``key`` at position ``t`` of ``mode``."""
        changes = self._changes.get((element, key), {}).get(mode, [])
        k = bisect.bisect_right([c[0] for c in changes], t) - 1
        return changes[k][1] if k >= 0 else None

    def changes_of(self, element, key):
        """``{mode: [[t, value], ...]}`` of one property (empty if never set)."""
        return self._changes.get((element, key), {})

    def to_json(self):
        """The timeline as JSON, safe inside ``<script type="application/json">``.

        A property whose changes are the same in every mode is stored once,
        under ``"*"``.
        """
        props = []
        for (element, key), timelines in self._changes.items():
            series = list(timelines.values())
            same = len(timelines) == len(self.modes) and all(
                s == series[0] for s in series
            )
            props.append([element, key, {"*": series[0]} if same else timelines])
        text = json.dumps(
            {
                "forward": self.forward_steps,
                "steps": self.steps,
                "default": self.default_mode,
                "props": props,
            },
            ensure_ascii=False,
            separators=(",", ":"),
        )
        # "</script>" or "<!--" inside a string would end the script element.
        return text.replace("<", "\\u003c")
