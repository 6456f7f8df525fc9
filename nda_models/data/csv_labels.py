"""One normalisation of class labels, for pandas and for TensorFlow.

A label is compared by its key: the text without the whitespace around it
(so ``"a, yes"`` has the label ``yes``), and a whole number written with
its integer digits (``1.0``, ``+1``, ``1e0`` and ``01`` are all ``1``). Any
other label (``0.5``, ``inf``, ``setosa``) is its stripped text.
``load_dataset("csv:...")``, the checks ``stream_csv`` runs before
streaming (both through ``label_keys``) and the stream's own pipeline
(``label_key_tensor``) compute the same keys, so a label one of them accepts
the others accept too; ``class_names`` are matched by their keys.

What counts as a number is what TensorFlow's float parser reads (``NUMBER``),
and whitespace is ASCII whitespace, as ``tf.strings.strip`` strips it.
"""

import numpy as np

from nda_models.core.lazy_module import lazy_module
from nda_models.data.shown_names import shown_list

pd = lazy_module("pandas")
tf = lazy_module("tensorflow")

# Decimals with an optional exponent, nan and inf (ASCII digits only).
NUMBER = r"[-+]?(([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?|(?i:nan|inf|infinity))"
WHITESPACE = " \t\n\r\x0b\x0c"
# Whole numbers up to 2**53 are exact in float64, and so is their integer text.
_EXACT = 2.0**53


def label_keys(labels):
    """The keys of a pandas Series of label texts, as a list of str.

    Example:
        >>> import pandas as pd
        >>> label_keys(pd.Series([" 1.0", "+2", "0.5", " yes ", "1e1"]))
        ['1', '2', '0.5', 'yes', '10']
    """
    text = labels.astype(str).str.strip(WHITESPACE)
    numeric = text.str.fullmatch(NUMBER).to_numpy(dtype=bool)
    values = np.array(
        [float(t) if n else np.nan for t, n in zip(text, numeric, strict=True)]
    )
    finite = np.isfinite(values)
    safe = np.where(finite, values, 0.0)
    whole = finite & (safe == np.round(safe)) & (np.abs(safe) < _EXACT)
    return [
        str(int(value)) if is_whole else label
        for label, value, is_whole in zip(text, values, whole, strict=True)
    ]


def label_key_tensor(labels):
    """The keys of a string tensor of label texts (the same as ``label_keys``)."""
    text = tf.strings.strip(labels)
    numeric = tf.strings.regex_full_match(text, NUMBER)
    values = tf.strings.to_number(tf.where(numeric, text, "nan"), tf.float64)
    finite = tf.math.is_finite(values)
    safe = tf.where(finite, values, 0.0)
    whole = finite & tf.equal(safe, tf.round(safe)) & (tf.abs(safe) < _EXACT)
    digits = tf.strings.as_string(tf.cast(tf.where(whole, values, 0.0), tf.int64))
    return tf.where(whole, digits, text)


def class_keys(class_names):
    """The keys of ``class_names`` in their order; refuses two names with one key.

    Example:
        >>> class_keys(["0", "1.0"])
        ['0', '1']
    """
    names = [str(name) for name in class_names]
    keys = label_keys(pd.Series(names, dtype=object))
    if len(set(keys)) != len(keys):
        same = [n for n, k in zip(names, keys, strict=True) if keys.count(k) > 1]
        raise ValueError(
            "class_names has repeated labels (labels are compared without the "
            "spaces around them, and whole numbers by value, so '1' and '1.0' are "
            f"one label). Name each class once. Received: {shown_list(names)}; "
            f"repeated: {shown_list(same)}"
        )
    return keys
