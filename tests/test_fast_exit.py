"""`iosgen.cli.root.exit_now`: the console script's exit that skips the interpreter's
teardown must lose nothing: buffered output, atexit handlers, running threads, the code."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

PRELUDE = "import atexit, sys, threading, time\nfrom iosgen.cli.root import exit_now\n"


# buffered, as a console script's stdout is on a pipe (this sandbox sets PYTHONUNBUFFERED)
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}


def run(code: str, stdout: int = subprocess.PIPE) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", PRELUDE + code],
        env=ENV,
        stdout=stdout,
        stderr=subprocess.PIPE,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    ("code", "expected"),
    [(None, 0), (0, 0), (1, 1), (3, 3)],
    ids=["none-is-0", "zero", "findings", "unreachable"],
)
def test_exit_code_and_buffered_output_survive(code: int | None, expected: int) -> None:
    # 100 kB without a newline: still in the buffer of a piped stdout when exit_now runs
    proc = run(
        f"sys.stdout.write('x' * 100_000)\nsys.stderr.write('note')\n"
        f"exit_now(SystemExit({code}))\nprint('not reached')"
    )
    assert proc.returncode == expected
    assert proc.stdout == "x" * 100_000
    assert proc.stderr == "note"


def test_atexit_handlers_run(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    proc = run(
        f"atexit.register(lambda: open({str(marker)!r}, 'w').write('yes'))\nexit_now(SystemExit(0))"
    )
    assert proc.returncode == 0
    assert marker.read_text() == "yes"


def test_a_running_thread_gets_the_ordinary_exit(tmp_path: Path) -> None:
    # exit_now returns (the caller re-raises): Python waits for the thread, as always
    marker = tmp_path / "finished"
    proc = run(
        "def late():\n"
        "    time.sleep(0.3)\n"
        f"    open({str(marker)!r}, 'w').write('yes')\n"
        "threading.Thread(target=late).start()\n"
        "try:\n"
        "    exit_now(SystemExit(4))\n"
        "    print('returned')\n"
        "    raise SystemExit(4)\n"
        "finally:\n"
        "    pass\n"
    )
    assert proc.returncode == 4
    assert proc.stdout == "returned\n"
    assert marker.read_text() == "yes"


def test_a_message_exit_is_left_to_python() -> None:
    # SystemExit("text"): Python prints it and exits 1; exit_now does not guess
    proc = run("exit_now(SystemExit('bad'))\nprint('returned')\nraise SystemExit('bad')")
    assert proc.returncode == 1
    assert proc.stdout == "returned\n"
    assert proc.stderr.strip() == "bad"


def test_a_reader_that_quit_ends_as_sigpipe() -> None:
    # `iosgen ... | head`: the reader is gone before the buffered rest is flushed; the
    # process ends as SIGPIPE would have ended it (141), without a traceback
    read, write = os.pipe()
    os.close(read)
    try:
        proc = run(
            "sys.stdout.write('y' * 1000)\nexit_now(SystemExit(0))",
            stdout=write,
        )
    finally:
        os.close(write)
    assert proc.returncode == 141
    assert proc.stderr == ""
