"""Import TensorFlow without its C++ start-up chatter on the terminal.

TensorFlow 2.21 logs through absl before ``TF_CPP_MIN_LOG_LEVEL`` is read
("All log messages before absl::InitializeLog()...", oneDNN and CUDA-stub
notices). The command line and the lecture scripts import it through this
function so that a user sees only what the program prints.
"""

import os
import sys


def import_tensorflow_quietly():
    """Imports TensorFlow with file descriptor 2 pointed at /dev/null.

    Python exceptions are unaffected: an import error is still raised.

    Returns:
        The ``tensorflow`` module.
    """
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    if "tensorflow" in sys.modules:
        return sys.modules["tensorflow"]
    sys.stderr.flush()
    saved = os.dup(2)
    try:
        with open(os.devnull, "w") as devnull:
            os.dup2(devnull.fileno(), 2)
            import tensorflow
    finally:
        os.dup2(saved, 2)
        os.close(saved)
    # Its Python logger's "N out of the last M calls triggered retracing" counts
    # new Trainers (nda tune builds one per pair), not real retraces.
    tensorflow.get_logger().setLevel("ERROR")
    return tensorflow
