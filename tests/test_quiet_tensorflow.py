"""``nda.quiet_tensorflow()`` keeps TensorFlow's C++ start-up lines off the
terminal; ``import nda_models`` alone leaves the process as TensorFlow would."""

import os
import subprocess
import sys

# What TensorFlow 2.21 prints on a CPU-only machine when nothing silences it.
NOISE = ("absl::InitializeLog", "oneDNN", "cudart", "cpu_feature_guard", "cuInit")

USE_TF_THROUGH_THE_PACKAGE = """
import numpy as np
import nda_models as nda
nda.quiet_tensorflow()
model = nda.build_model("perceptron", input_dim=2)
print(model(np.zeros((1, 2), np.float32)).numpy().tolist())
import tensorflow as tf
print(type(tf.__loader__).__name__, tf.__spec__.loader is tf.__loader__)
"""


def _run(argv, **env):
    unset = ("TF_CPP_MIN_LOG_LEVEL", "NDA_MODELS_QUIET_TF")
    clean = {k: v for k, v in os.environ.items() if k not in unset}
    return subprocess.run(
        argv, capture_output=True, text=True, env={**clean, **env}, check=False
    )


def test_import_and_use_prints_no_tensorflow_start_up_lines():
    result = _run([sys.executable, "-c", USE_TF_THROUGH_THE_PACKAGE])
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["[[0.0]]", "SourceFileLoader True"]
    assert [word for word in NOISE if word in result.stderr] == []
    assert result.stderr == ""


def test_describe_build_is_quiet():
    code = (
        "from nda_models.cli import main; "
        "main(['describe', 'perceptron', '--build', '2'])"
    )
    result = _run([sys.executable, "-c", code])
    assert result.returncode == 0, result.stderr
    assert "Total params: 3" in result.stdout
    assert result.stderr == ""


def test_a_user_log_level_leaves_tensorflow_alone():
    code = (
        "import sys, nda_models.core.quiet_tensorflow as q; "
        "q.quiet_tensorflow(); print(q._HOOK in sys.meta_path)"
    )
    assert _run([sys.executable, "-c", code]).stdout.strip() == "True"
    chosen = _run([sys.executable, "-c", code], TF_CPP_MIN_LOG_LEVEL="0")
    assert chosen.stdout.strip() == "False"
    # A child of a process whose level we set (a script running `nda`) is ours.
    child = _run([sys.executable, "-c", code], TF_CPP_MIN_LOG_LEVEL="3",
                 NDA_MODELS_QUIET_TF="3")  # fmt: skip
    assert child.stdout.strip() == "True"


# What a process looks like after `import tensorflow`: its environment, the
# `tensorflow` and root loggers, the import machinery, matplotlib.
STATE = """
import json, logging, os, sys
{setup}
import tensorflow as tf
tf_logger, root = logging.getLogger("tensorflow"), logging.getLogger()
print(json.dumps({{
    "env": dict(os.environ),
    "tensorflow_logger": [
        tf_logger.level, tf_logger.getEffectiveLevel(), tf_logger.propagate,
        [type(handler).__name__ for handler in tf_logger.handlers],
    ],
    "root_logger": [root.level, [type(handler).__name__ for handler in root.handlers]],
    "meta_path": [type(finder).__name__ for finder in sys.meta_path],
    "tensorflow_loader": type(tf.__spec__.loader).__name__,
    "matplotlib": "matplotlib" in sys.modules,
}}))
"""


def _state(setup):
    import json

    result = _run([sys.executable, "-c", STATE.format(setup=setup)])
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.splitlines()[-1])


def test_the_library_leaves_the_process_as_tensorflow_alone_does():
    """Before, `import nda_models` made the next `import tensorflow` set
    TF_CPP_MIN_LOG_LEVEL=3 and the tensorflow logger to ERROR for the whole
    process (and list the devices): a library must not."""
    alone = _state("")
    assert "TF_CPP_MIN_LOG_LEVEL" not in alone["env"]
    library = _state(
        "import nda_models as nda, nda_models.lecture, nda_models.workflows\n"
        "nda.list_models(); nda.describe_model('perceptron')\n"
        "nda.build_model('mlp_classifier', input_dim=2, num_classes=3)"
    )
    assert library == alone
