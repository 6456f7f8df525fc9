"""Argument parsing, dispatch and error reporting for ``nda``.

User errors become one line on stderr and a non-zero exit code (2 for bad
arguments or input, 1 for failures at run time); ``--debug`` shows the
traceback instead. A closed pipe (``nda list | head``) ends the command
quietly with 141, the shell's status of a process ended by SIGPIPE.
"""

import argparse
import importlib
import os
import signal
import sys

import nda_models
from nda_models.cli.arguments import RecipeHelp
from nda_models.core.atomic_file import NO_ROOM, no_room
from nda_models.core.quiet_tensorflow import import_tensorflow_quietly, quiet_tensorflow

# Sub-command name -> module under nda_models.cli, in the order --help shows.
COMMANDS = {
    "list": "list_models",
    "describe": "describe",
    "datasets": "datasets",
    "train": "train",
    "tune": "tune",
    "predict": "predict",
    "evaluate": "evaluate",
    "runs": "runs",
    "demo": "demo",
    "autodiff": "autodiff",
}


# Commands that train or evaluate models; TensorFlow is imported for them up
# front, with its C++ start-up chatter (absl, oneDNN, CUDA stubs) kept off
# stderr. `predict` needs it only for bundles served by Keras, and then imports
# it through the same quiet hook, which `main` installs for every command (an
# application may quiet TensorFlow; `import nda_models` does not).
TENSORFLOW_COMMANDS = ("demo", "train", "tune")


def _command_module(name):
    return importlib.import_module(f"nda_models.cli.{COMMANDS[name]}")


def build_parser():
    """Builds the ``nda`` parser; each sub-command adds its own arguments."""
    parser = argparse.ArgumentParser(
        prog="nda",
        description="nda_models: the NDA lecture's neural networks, runnable.",
    )
    parser.add_argument(
        "--debug", action="store_true", help="show the full traceback on errors"
    )
    parser.add_argument(
        "--version", action="version", version=f"%(prog)s {nda_models.__version__}"
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    subparsers.required = True
    for name in COMMANDS:
        module = _command_module(name)
        sub = subparsers.add_parser(
            name, help=module.HELP, description=module.HELP, add_help=False
        )
        sub.add_argument("-h", "--help", action=RecipeHelp)
        module.add_arguments(sub)
    return parser


def _fail(message, code):
    print(f"nda: error: {message}", file=sys.stderr)
    return code


def main(argv=None):
    """Runs ``nda`` with ``argv`` (default: ``sys.argv[1:]``); returns the exit code."""
    argv = sys.argv[1:] if argv is None else list(argv)
    quiet_tensorflow()
    parser = build_parser()
    args = parser.parse_args(argv)
    module = _command_module(args.command)
    try:
        if hasattr(module, "check"):
            module.check(args)  # bad arguments are refused before TensorFlow loads
        # Inside the try: Ctrl-C while TensorFlow loads is a clean exit 130 too.
        if args.command in TENSORFLOW_COMMANDS and not args.debug:
            import_tensorflow_quietly()
        code = int(module.run(args) or 0)
        sys.stdout.flush()  # a closed pipe shows here, not at exit
        return code
    except BrokenPipeError:  # `nda ... | head`: the reader is gone
        if args.debug:
            raise
        return _closed_pipe()
    except KeyboardInterrupt:
        if args.debug:
            raise
        return _fail("interrupted", 130)
    except (ValueError, TypeError, FileNotFoundError, IsADirectoryError) as error:
        if args.debug:
            raise
        return _fail(_one_line(error), 2)
    except (PermissionError, NotADirectoryError) as error:
        if args.debug:
            raise
        return _fail(_one_line(error), 2)
    except Exception as error:  # noqa: BLE001 - the CLI's last line of defence
        if args.debug:
            raise
        return _fail(_unexpected_line(error), 1)


def _closed_pipe():
    """Ends quietly, as a Unix tool killed by SIGPIPE: no message, code 141.

    The exception (rather than ``signal(SIGPIPE, SIG_DFL)``) unwinds the
    command, so a training run saves its checkpoint as on Ctrl-C. Stdout is
    pointed at ``os.devnull`` so that Python's last flush has nowhere to fail.
    """
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):  # no file descriptor (captured, closed)
        pass
    return 128 + signal.SIGPIPE


def _unexpected_line(error):
    """``Type: message``; a write that ran out of room says only what happened.

    Our writers name the file (``atomic_file.write_failure``); a library's
    writer (TensorFlow's event files) is quoted by the line that names it.
    """
    code = no_room(error)
    if code is None:
        return f"{type(error).__name__}: {_one_line(error)}"
    if isinstance(error, OSError) and str(error.strerror).startswith("cannot write"):
        return _one_line(error.strerror)
    words = os.strerror(code)
    where = next(line for line in str(error).splitlines() if words in line)
    return (
        f"a write failed: {NO_ROOM[code]} ({_one_line(where)[-160:]}). Free space "
        "or raise the limit, then run again (saved bundles and checkpoints are kept)."
    )


def _one_line(error):
    text = str(error).strip() or type(error).__name__
    return " ".join(text.split())


if __name__ == "__main__":
    sys.exit(main())
