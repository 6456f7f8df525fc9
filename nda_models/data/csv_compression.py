"""Compressed CSV files: recognised by their first bytes, read the same way
by every reader.

A file is compressed if its content says so (the format's magic bytes),
whatever its name: ``data.csv.gz`` holding plain text is read as text, and
a gzip file named ``data.csv`` is decompressed. Every reader
(``load_dataset("csv:...")``, ``stream_csv``, ``csv_normalization``) reads
plain and gzip files, and counts rows and lines of the decompressed text in
its messages. bzip2 and xz files are read whole (``load_dataset``,
``csv_normalization``) with Python's own decompressors, but not streamed:
TensorFlow's ``TextLineDataset`` decompresses only gzip (``compression_type=
"GZIP"``), so ``stream_csv`` refuses them and says how to recompress. A zip
archive (which may hold several files) and zstd are refused by every reader.

A damaged compressed file is refused as such. ``stream_csv`` decompresses
each gzip file once when the stream is made (``check_whole``), because
TensorFlow reads a truncated gzip file up to the cut without a word; that
pass costs a small part of one epoch (zlib decompresses far faster than the
pipeline parses).
"""

import bz2
import gzip
import lzma
import re

# Magic bytes -> format; bzip2 is "BZh", a level 1-9 and a block or end mark.
_MAGIC = (
    (re.compile(rb"\x1f\x8b"), "gzip"),
    (re.compile(rb"BZh[1-9](1AY&SY|\x17rE8P\x90)"), "bzip2"),
    (re.compile(rb"\xfd7zXZ\x00"), "xz"),
    (re.compile(rb"PK(\x03\x04|\x05\x06)"), "zip archive"),
    (re.compile(rb"\x28\xb5\x2f\xfd"), "zstd"),
)
_OPENERS = {None: open, "gzip": gzip.open, "bzip2": bz2.open, "xz": lzma.open}
# What pandas' `compression=` calls each format we read.
PANDAS_NAMES = {None: None, "gzip": "gzip", "bzip2": "bz2", "xz": "xz"}
STREAMED = (None, "gzip")
_BLOCK = 1 << 20


def compression_of(path, *, streamed=False):
    """The compression of a CSV file: ``None`` (plain text), ``"gzip"``,
    ``"bzip2"`` or ``"xz"``.

    Args:
        path: An existing file.
        streamed: Refuse what ``stream_csv`` cannot stream (bzip2, xz).

    Raises:
        ValueError: for a zip archive or a zstd file, and when ``streamed``
            for bzip2 or xz, saying how to convert the file.

    Example:
        >>> import gzip, pathlib
        >>> _ = pathlib.Path("d.csv").write_bytes(gzip.compress(b"a,y\\n1,2\\n"))
        >>> compression_of("d.csv")
        'gzip'
    """
    with open(path, "rb") as file:
        start = file.read(16)
    kind = next((name for magic, name in _MAGIC if magic.match(start)), None)
    if kind in ("zip archive", "zstd"):
        raise ValueError(
            f"CSV file '{path}' is a {kind}; the CSV readers read plain text or "
            f"gzip. Extract or decompress it, or recompress it with gzip "
            f"(e.g. gzip data.csv). Received: a {kind}"
        )
    if streamed and kind not in STREAMED:
        raise ValueError(
            f"CSV file '{path}' is {kind}-compressed; stream_csv streams plain or "
            f"gzip files (TensorFlow decompresses gzip only). Recompress it with "
            f"gzip, or read it whole with load_dataset('csv:...'). Received: {kind}"
        )
    return kind


def open_text(path, encoding="utf-8", errors="strict"):
    """The decompressed text of a CSV file, for ``csv.reader`` (``newline=""``)."""
    opener = _OPENERS[compression_of(path)]
    return opener(path, "rt", encoding=encoding, errors=errors, newline="")


def open_bytes(path):
    """The decompressed bytes of a CSV file, as a binary file object."""
    kind = compression_of(path)
    return open(path, "rb") if kind is None else _OPENERS[kind](path, "rb")


def check_whole(path):
    """Decompresses a compressed file to its end (length and CRC checked).

    Raises:
        ValueError: for a truncated or damaged file.
    """
    kind = compression_of(path)
    if kind is None:
        return
    try:
        with open_bytes(path) as file:
            while file.read(_BLOCK):
                pass
    except (OSError, EOFError, lzma.LZMAError) as error:
        raise damaged_error(path, kind, error) from None


def damaged_error(path, kind, error):
    """The ``ValueError`` for a compressed file that does not decompress."""
    return ValueError(
        f"CSV file '{path}' is a damaged {kind} file: it could not be decompressed "
        f"to its end (truncated or corrupted). Compress it again from the original "
        f"data. Received: {error}"
    )
