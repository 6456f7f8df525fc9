"""Lists of names in messages and displays: the first few, then how many more.

A data set can have hundreds of columns (``digits`` has 64 pixels, an
image data set thousands); a message or a table lists the first few and
says how many it left out, so no line grows with the data.

Example:
    >>> shown_names([f"pixel_{i}" for i in range(64)], limit=3)
    'pixel_0, pixel_1, pixel_2 and 61 more'
    >>> shown_names(["a", "b"])
    'a, b'
    >>> shown_list(["a", "b", "c"], limit=2)
    "['a', 'b'] and 1 more"
"""

LIMIT = 8


def shown_names(names, limit=LIMIT, *, quote=False):
    """``"a, b, c and N more"``: at most ``limit`` names of ``names``.

    Args:
        names: The names, in order.
        limit: How many to show.
        quote: Show each name as ``repr`` (``'a'``), as in an error message.
    """
    names = list(names)
    shown = [repr(str(name)) if quote else str(name) for name in names[:limit]]
    more = len(names) - len(shown)
    return ", ".join(shown) + (f" and {more} more" if more else "")


def shown_list(names, limit=LIMIT):
    """``"['a', 'b'] and N more"``: the list as Python shows it, cut at
    ``limit`` names (the whole ``repr`` when it is that short)."""
    names = [str(name) for name in names]
    more = len(names) - limit
    return repr(names[:limit]) + (f" and {more} more" if more > 0 else "")
