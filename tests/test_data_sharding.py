"""stream_csv over several files, and each input pipeline's share of the rows.

The shares are what ``strategy.distribute_datasets_from_function`` gives each
worker: a ``tf.distribute.InputContext`` per worker, built here directly, so
no cluster is needed. The oracle is the row ids written into the files.
"""

import numpy as np
import pandas as pd
import pytest
import tensorflow as tf

from nda_models.data import stream_csv


def write_parts(folder, sizes):
    """Writes CSV parts of ``sizes`` rows; column ``id`` numbers the rows."""
    folder.mkdir(exist_ok=True)
    start, paths = 0, []
    for index, size in enumerate(sizes):
        ids = np.arange(start, start + size)
        frame = pd.DataFrame({"id": ids, "x": ids * 0.5, "y": ids % 3})
        paths.append(folder / f"part-{index}.csv")
        frame.to_csv(paths[-1], index=False)
        start += size
    return paths


def read_ids(stream):
    """The ids of each batch (the ``id`` feature is column 0)."""
    return [x.numpy()[:, 0].astype(int).tolist() for x, _ in stream]


def shares(path, workers, replicas, **options):
    """Each worker's batches, as its InputContext makes them."""
    return [
        read_ids(
            stream_csv(
                path,
                target="y",
                input_context=tf.distribute.InputContext(workers, worker, replicas),
                **options,
            )
        )
        for worker in range(workers)
    ]


def test_files_are_shared_by_file_and_one_file_by_line(tmp_path):
    parts = write_parts(tmp_path / "parts", [30, 25, 20, 26])  # 101 rows
    (single,) = write_parts(tmp_path / "one", [101])
    everything = list(range(101))

    # A glob: files in sorted order; the whole stream is every row once.
    whole = read_ids(stream_csv(str(tmp_path / "parts" / "*.csv"), shuffle=False))
    assert sum(whole, []) == everything

    # 4 files over 2 workers: worker 0 reads parts 0 and 2, worker 1 parts 1
    # and 3 (tf.data's FILE sharding); per-replica batches of 32 / 2.
    first, second = shares(parts, 2, 2, batch_size=32, shuffle=False)
    assert sum(first, []) == list(range(30)) + list(range(55, 75))
    assert sum(second, []) == list(range(30, 55)) + list(range(75, 101))
    assert max(len(batch) for batch in first + second) == 16

    # One file over 2 workers: every other line, before shuffling, so the
    # shares are disjoint even with an unseeded shuffle.
    for options in ({"shuffle": False}, {"shuffle": True, "seed": None}):
        first, second = shares(single, 2, 2, batch_size=8, **options)
        first, second = sum(first, []), sum(second, [])
        assert not set(first) & set(second)
        assert sorted(first + second) == everything
    assert sum(shares(single, 2, 2, batch_size=8, shuffle=False)[0], []) == list(
        range(0, 101, 2)
    )


def test_several_files_are_checked_before_streaming(tmp_path):
    parts = write_parts(tmp_path / "parts", [5, 5])
    with pytest.raises(ValueError, match=r"No file matches the pattern '.*nope-\*"):
        stream_csv(str(tmp_path / "nope-*.csv"))
    with pytest.raises(ValueError, match="is an empty list; give at least one"):
        stream_csv([])
    with pytest.raises(ValueError, match="may appear once in `path`"):
        stream_csv([parts[0], parts[1], parts[0]])
    with pytest.raises(TypeError, match="a glob pattern or a list of files"):
        stream_csv(3)
    other = tmp_path / "other.csv"
    other.write_text("id,z,y\n1,2,0\n")
    with pytest.raises(ValueError, match=r"needs the same header"):
        stream_csv([*parts, other], target="y")
    context = tf.distribute.InputContext(1, 0, 2)
    with pytest.raises(ValueError, match=r"divisible by the 2 replicas.*batch_size=5"):
        stream_csv(parts, target="y", batch_size=5, input_context=context)


def test_a_bad_cell_in_a_later_part_names_that_file_and_line(tmp_path):
    from nda_models.data.pipeline_errors import value_error_from

    parts = write_parts(tmp_path / "parts", [5, 5])
    lines = parts[1].read_text().splitlines()
    lines[3] = "7,nan,1"  # line 4 of part-1.csv
    parts[1].write_text("\n".join(lines) + "\n")
    stream = stream_csv(parts, target="y", shuffle=False, check_rows=2)
    with pytest.raises(tf.errors.InvalidArgumentError) as caught:
        read_ids(stream)
    error = value_error_from(caught.value)
    assert str(error).startswith(f"CSV file '{parts[1]}', line 4: a cell is NaN")
