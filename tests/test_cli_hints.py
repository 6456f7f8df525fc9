"""The commands the CLI prints work when pasted into a shell."""

import shlex
import subprocess

import pytest

from nda_models.cli.hints import tensorboard_command


@pytest.mark.parametrize(
    "logdir", ["runs", "my runs", "it's here", "a;rm -rf x", "$HOME"]
)
def test_the_tensorboard_command_survives_the_shell(logdir):
    command = tensorboard_command(logdir)
    assert shlex.split(command)[1:] == ["--logdir", logdir]
    words = subprocess.run(
        ["sh", "-c", f"printf '%s\\n' {command}"],
        capture_output=True, text=True, check=True,
    ).stdout.splitlines()  # fmt: skip
    assert words[1:] == ["--logdir", logdir]
