"""Decoding a batch of CSV lines of ``stream_csv`` into ``(x, y)``, checked.

Each batch of lines goes through the checks ``load_dataset("csv:...")``
runs on a whole file, vectorised (one reduction per check, see
``pipeline_errors``), each naming the file and line of the first bad row:

1. the text is UTF-8 (a bad byte would otherwise reach Python inside
   TensorFlow's error message and fail to decode there);
2. every row has as many fields as the header (too many AND too few: fields
   are counted outside quoted cells) and its quotes are balanced;
3. every feature cell (and a numeric target) is a number, finite;
4. class labels are whole numbers >= 0 (0/1 for a binary task), or keys
   of ``class_names`` (``csv_labels``: one label normalisation with the
   checks before streaming).

Blank lines (empty or whitespace only) are skipped, as pandas skips them.
"""

import numpy as np

from nda_models.core.lazy_module import lazy_module
from nda_models.data.csv_labels import NUMBER, class_keys, label_key_tensor
from nda_models.data.pipeline_errors import after_checks, batch_check

tf = lazy_module("tensorflow")

# A quoted cell ("" is a quote inside it); a line of cells, each quoted whole
# or holding no quote (what decode_csv reads); what TensorFlow's float parsing
# (safe_strtof) reads: NUMBER with spaces around.
_QUOTED = r'"([^"]|"")*"'
_CELL = rf'([^,"]*|{_QUOTED})'
_CELLS = rf"{_CELL}(,{_CELL})*"
_CELL_NUMBER = rf"\s*{NUMBER}\s*"


def decoder(schema, task, class_names):
    """Returns ``decode(files, numbers, lines) -> (x, y)`` for a batch of lines."""
    columns = sorted((*schema.feature_indices, schema.target_index))
    where = {index: position for position, index in enumerate(columns)}
    # Cells are read as text and checked to be numbers here, so a bad cell is
    # reported with its file, line and column (decode_csv's own float parsing
    # would only say "record N", a position in the batch).
    defaults = [tf.constant([""]) for _ in columns]
    numeric = [*schema.features] + ([schema.target] if class_names is None else [])
    lookup = _label_lookup(class_names)

    def decode(files, numbers, lines):
        # Blank lines are skipped, as pandas does; masked per batch, not per line.
        kept = tf.strings.length(tf.strings.strip(lines)) > 0
        lines, numbers = tf.boolean_mask(lines, kept), tf.boolean_mask(numbers, kept)
        files = tf.boolean_mask(files, kept)
        lines = _checked_text(lines, files, numbers, len(schema.header))
        fields = tf.io.decode_csv(lines, defaults, select_cols=columns)
        cells = [fields[where[i]] for i in schema.feature_indices]
        if class_names is None:
            cells.append(fields[where[schema.target_index]])
        values = _numbers(cells, numeric, files, numbers)
        x = values[:, : len(schema.feature_indices)]
        y = values[:, -1]
        checks = [_finite_check(files, numbers, x, y, task)]
        if task != "regression" and lookup is None:
            checks.append(_label_check(files, numbers, y, task, schema.target))
            y = tf.cast(y, tf.int32)
        elif task != "regression":
            labels = fields[where[schema.target_index]]
            y = lookup.lookup(label_key_tensor(labels))
            checks.append(_known_label_check(files, numbers, y, labels, schema.target))
        return after_checks(checks, x, y)

    return decode


def _line_check(ok, files, numbers, message, more=lambda first: []):
    """One check per batch: ``message`` names the file and line of the first
    bad row, then what ``more(first)`` gives."""

    def where(first):
        return [tf.gather(files, first), tf.gather(numbers, first), *more(first)]

    return batch_check(ok, message, where)


def _shown(text):
    """A cell or line as shown in a message: brackets (which end a message's
    fields) replaced, at most 60 characters."""
    text = tf.strings.regex_replace(text, r"[\[\]{}]", "?")
    return tf.strings.substr(text, 0, 60, unit="UTF8_CHAR")


def _checked_text(lines, files, numbers, width):
    """``lines`` once each is UTF-8 and has ``width`` fields, balanced quotes.

    One regular expression per batch says whether every line is fine (RE2
    matches only valid UTF-8); only when one is not are the three checks
    below run to say which problem the first bad line has.
    """
    fine = tf.strings.regex_full_match(lines, rf"{_CELL}(,{_CELL}){{{width - 1}}}")

    def explain():  # runs only when a line is bad
        checks = _line_problems(lines, fine, files, numbers, width)
        return after_checks(checks, lines)[0]

    return tf.cond(tf.reduce_all(fine), lambda: lines, explain)


def _line_problems(lines, fine, files, numbers, width):
    """The checks that say what is wrong with the first line that is not
    ``fine``: its bytes, its quotes, its field count (or none of these)."""
    text = tf.strings.unicode_transcode(lines, "UTF-8", "UTF-8", errors="replace")
    unquoted = tf.strings.regex_replace(text, _QUOTED, "")
    count = tf.strings.length(tf.strings.regex_replace(unquoted, "[^,]", "")) + 1
    kind = tf.where(count > width, "many", "few")

    def line(first):
        return [_shown(text[first])]

    return [
        _line_check(
            tf.equal(text, lines), files, numbers,
            "CSV file '{}', line {}: the text is not UTF-8. Re-save the file as "
            "UTF-8 (stream_csv reads UTF-8 only). Received: '{}' (bad bytes "
            "shown as U+FFFD)",
            line,
        ),
        _line_check(
            tf.strings.regex_full_match(text, _CELLS), files, numbers,
            "CSV file '{}', line {} has an unbalanced or misplaced quote. A quoted "
            "cell is quoted whole, and a quote inside it is written twice. "
            "Received: '{}'",
            line,
        ),
        _line_check(
            tf.equal(count, width), files, numbers,
            f"CSV file '{{}}', line {{}} has too {{}} fields: {{}} where the header "
            f"has {width}. Give every row one value per column; quote cells that "
            "contain commas. Received: '{}'",
            lambda first: [kind[first], count[first], *line(first)],
        ),
        _line_check(
            fine, files, numbers,
            "CSV file '{}', line {} cannot be read as CSV fields. Received: '{}'",
            line,
        ),
    ]  # fmt: skip


def _numbers(cells, names, files, numbers):
    """Text cells (one tensor per column) -> float32 (batch, k), each checked
    to be a number; the first that is not is reported with file, line, column."""
    cells = tf.stack(cells, axis=1)
    ok = tf.strings.regex_full_match(cells, _CELL_NUMBER)
    shown = tf.constant([str(name).replace("[", "(").replace("]", ")")
                         for name in names])  # fmt: skip

    def details(first):  # runs only when a row is bad
        column = tf.argmin(tf.cast(ok[first], tf.int32))
        cell = _shown(cells[first, column])
        return [files[first], numbers[first], shown[column], cell]

    check = batch_check(
        tf.reduce_all(ok, axis=1),
        "CSV file '{}', line {}: the value in column '{}' is not a number; fix "
        "or remove that row. Received: '{}'",
        details,
    )
    (checked,) = after_checks([check], cells)
    return tf.strings.to_number(checked, tf.float32)


def _finite_check(files, numbers, x, y, task):
    """NaN/inf cells (``nan``, ``inf`` in the file) are refused with their line."""
    ok = tf.reduce_all(tf.math.is_finite(x), axis=1)
    if task == "regression":
        ok = ok & tf.math.is_finite(y)
    return _line_check(
        ok,
        files,
        numbers,
        "CSV file '{}', line {}: a cell is NaN or inf. Drop or impute "
        "that row. Received: a non-finite number",
    )


def _label_check(files, numbers, y, task, target):
    """Integer class labels: whole numbers >= 0, and 0 or 1 for a binary task."""
    ok = tf.math.is_finite(y) & tf.equal(y, tf.round(y)) & (y >= 0)
    expected = "a whole number >= 0 (a class index)"
    if task == "binary":
        ok = ok & (y <= 1)
        expected = "0 or 1 (a binary task)"
    return _line_check(
        ok,
        files,
        numbers,
        f"CSV file '{{}}', line {{}}: the label in column '{target}' must be "
        f"{expected}. Fix the row or pass task=/class_names=. Received: an "
        "invalid label",
    )


def _known_label_check(files, numbers, y, labels, target):
    """A label looked up in ``class_names`` (index -1 when it is not there)."""
    return _line_check(
        y >= 0,
        files,
        numbers,
        "CSV file '{}', line {}: the label in column "
        f"'{target}' is not one of class_names. Add it to "
        "class_names or fix the row. Received: '{}'",
        lambda first: [_shown(labels[first])],
    )


def _label_lookup(class_names):
    """A table from label key to class index, or ``None``."""
    if class_names is None:
        return None
    keys = tf.constant(class_keys(class_names))
    values = tf.constant(np.arange(len(class_names), dtype=np.int32))
    initializer = tf.lookup.KeyValueTensorInitializer(keys, values)
    return tf.lookup.StaticHashTable(initializer, default_value=-1)
