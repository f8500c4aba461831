"""Shell completion answers from the command tree alone: no pydantic (typer's coercion of
the help and completion flags used to load it, ~80 ms a TAB), and the right words."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest


def complete(words: str) -> tuple[list[str], set[str]]:
    """The words bash would offer after `words`, and the modules the process imported."""
    env = os.environ | {
        "_IOSGEN_COMPLETE": "complete_bash",
        "COMP_WORDS": words,
        "COMP_CWORD": str(len(words.split()) - (0 if words.endswith(" ") else 1)),
    }
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "from iosgen.cli import main; main()"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    modules = {
        line.split("|")[-1].strip()
        for line in proc.stderr.splitlines()
        if line.startswith("import time:")
    }
    return proc.stdout.split(), modules


@pytest.mark.parametrize(
    ("words", "offered"),
    [("iosgen bu", ["build"]), ("iosgen au", ["audit"]), ("iosgen sc", ["schema"])],
    ids=["build", "audit", "schema"],
)
def test_completion_of_a_command_loads_no_pydantic(words: str, offered: list[str]) -> None:
    words_offered, modules = complete(words)
    assert words_offered == offered
    assert "pydantic_core" not in modules
    assert "typer._adapters" not in modules
