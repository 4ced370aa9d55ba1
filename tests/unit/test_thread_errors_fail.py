"""A background thread that raises fails the test that started it (the suite's
``filterwarnings`` turns pytest's unhandled-thread-exception warning into an error): a
simulator thread that outlives its server, or a bus worker that dies, cannot pass unseen."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.support.paths import REPO_ROOT

RAISING = """
import threading


def test_starts_a_thread_that_raises():
    def work():
        raise RuntimeError("asks for the URL of a stopped server")

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
"""


def test_a_thread_that_raises_fails_its_test(tmp_path: Path) -> None:
    test_file = tmp_path / "test_raising_thread.py"
    test_file.write_text(RAISING)
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "-c",
            str(REPO_ROOT / "pyproject.toml"),
            "--rootdir",
            str(tmp_path),
            str(test_file),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 1, done.stdout + done.stderr
    assert "1 failed" in done.stdout
    assert "asks for the URL of a stopped server" in done.stdout
