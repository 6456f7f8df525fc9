"""A ``TF_CONFIG`` cluster of worker processes on 127.0.0.1, for the tests.

Each process runs a script written by the test; its output goes to
``NAME.log`` beside it. ``wait_all`` fails the test with every log's tail if
a process fails, or if the cluster hangs (a worker waiting forever for a
dead peer): the deadline is a hang guard, not a time limit on training.
"""

import json
import os
import socket
import subprocess
import sys
import time

import pytest

DEADLINE_SECONDS = 600  # hang guard for the cluster, see the module docstring


def free_ports(count):
    """Ports the OS reports free on 127.0.0.1 (all bound at once: distinct)."""
    sockets = [socket.socket() for _ in range(count)]
    try:
        for sock in sockets:
            sock.bind(("127.0.0.1", 0))
        return [sock.getsockname()[1] for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


def launch(folder, name, script, args, tf_config=None):
    """Starts ``python script *args`` with ``TF_CONFIG`` (or none)."""
    env = dict(os.environ, CUDA_VISIBLE_DEVICES="", TF_CPP_MIN_LOG_LEVEL="3")
    env.pop("TF_CONFIG", None)
    if tf_config is not None:
        env["TF_CONFIG"] = json.dumps(tf_config)
    log = open(folder / f"{name}.log", "w")  # noqa: SIM115 (closed in wait_all)
    command = [sys.executable, str(script), *map(str, args)]
    process = subprocess.Popen(command, env=env, stdout=log, stderr=log)
    return name, process, log


def start_workers(folder, name, script, args_of, count=2):
    """Starts ``count`` workers of one cluster; worker i gets ``args_of(i)``."""
    cluster = {"worker": [f"127.0.0.1:{port}" for port in free_ports(count)]}
    return [
        launch(
            folder,
            f"{name}-worker{index}",
            script,
            args_of(index),
            {"cluster": cluster, "task": {"type": "worker", "index": index}},
        )
        for index in range(count)
    ]


def wait_all(folder, launched):
    """Waits for every process; on a failure or a hang kills the rest and fails."""
    deadline = time.monotonic() + DEADLINE_SECONDS
    failed = None
    while failed is None and any(p.poll() is None for _, p, _ in launched):
        failed = next((n for n, p, _ in launched if p.poll() not in (None, 0)), None)
        if time.monotonic() > deadline:
            failed = "deadline"
        time.sleep(0.2)
    failed = failed or next((n for n, p, _ in launched if p.returncode != 0), None)
    for _, process, log in launched:
        if process.poll() is None:
            process.kill()
        process.wait()
        log.close()
    if failed is not None:
        logs = "\n".join(
            f"--- {n} (exit {p.returncode}):\n{_tail(folder / f'{n}.log')}"
            for n, p, _ in launched
        )
        pytest.fail(f"{failed} failed or hung:\n{logs}")


def _tail(path):
    return path.read_text()[-3000:]
