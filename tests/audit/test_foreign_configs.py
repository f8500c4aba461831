"""Configs saved as typed by their authors (tests/foreign/*.cfg) through capture, diff,
audit --from and lint, as a new user would run them.

Each `NAME.cfg` has `NAME.running` beside it: what IOS prints for it. The capture must
read the typed file as that config; `diff` and `audit` must report of the typed file what
they report of the printed one; no output shows a secret of the file in clear.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from iosgen.cli import app
from iosgen.ios.capture import running_config_text
from iosgen.ios.config import parse
from iosgen.lint import lint_config

FOREIGN = Path(__file__).resolve().parents[1] / "foreign"
TYPED = sorted(FOREIGN.glob("*.cfg"))
IDS = [p.stem for p in TYPED]
# The secret values of the files, read by hand: the isakmp keys, the clear passwords.
SECRETS = {"gtl-r2-typed": ("Hydrohomie",), "gtl-r2-session": ("hydrohomie",)}
# r-lan1's passwords are the word `tfg`, also its domain (`tfg.uoc`): looked for as a
# value after `password`/`secret`, not as a bare word.
_CLEAR_VALUE = re.compile(r"\b(?:password|secret) (?:0 )?tfg\b")
TYPED_ONLY = re.compile(
    r"^\s*(?:no )?(?:conf(?:igure)? t\S*|exit|end|wr(?:ite)?(?: mem\S*)?|do .*|int \S+|R1#.*)$"
)


def run(*args: str | Path) -> Any:
    result = CliRunner().invoke(app, [str(a) for a in args])
    assert "Traceback" not in result.output, result.output
    return result


def leaks(path: Path, text: str) -> list[str]:
    found = [s for s in SECRETS.get(path.stem, ()) if s in text]
    return found + _CLEAR_VALUE.findall(text)


def test_there_are_typed_configs() -> None:
    assert len(TYPED) >= 3
    assert all(path.with_suffix(".running").is_file() for path in TYPED)


@pytest.mark.parametrize("path", TYPED, ids=IDS)
def test_the_capture_reads_it_as_ios_prints_it(path: Path) -> None:
    got = parse(running_config_text(path.read_text(), path.name)).render()
    assert got == parse(path.with_suffix(".running").read_text()).render()


@pytest.mark.parametrize("path", TYPED, ids=IDS)
def test_diff_of_the_typed_file_is_the_diff_of_its_config(
    path: Path, inventory_dir: Path, tmp_path: Path
) -> None:
    site = inventory_dir / "sites" / "plovdiv.yaml"
    printed = tmp_path / f"{path.stem}.printed.cfg"
    printed.write_text(path.with_suffix(".running").read_text())
    got = run("diff", site, "--running", path, "--format", "json")
    want = run("diff", site, "--running", printed, "--format", "json")
    assert (got.exit_code, want.exit_code) == (1, 1)
    assert json.loads(got.output) == json.loads(want.output)
    result = json.loads(got.output)
    lines = result["remediation"] + result["rollback"]
    assert [line for line in lines if TYPED_ONLY.match(line)] == []
    assert leaks(path, got.output) == []
    text = run("diff", site, "--running", path)
    assert leaks(path, text.output) == [] and "<redacted>" in text.output


@pytest.mark.parametrize("path", TYPED, ids=IDS)
def test_audit_from_the_typed_file(path: Path, inventory_dir: Path, tmp_path: Path) -> None:
    (tmp_path / "R-ITD.cfg").write_text(path.read_text())
    for fmt in ("text", "json", "junit"):
        got = run(
            "audit", "--host", "R-ITD", "-i", inventory_dir, "--from", tmp_path, "--format", fmt
        )
        assert got.exit_code == 1, got.output
        assert leaks(path, got.output) == []
        assert "no conf" not in got.output and "no exit" not in got.output


@pytest.mark.parametrize("path", TYPED, ids=IDS)
def test_lint_of_the_typed_file_finds_what_lint_of_its_config_finds(path: Path) -> None:
    typed = path.read_text()
    printed = path.with_suffix(".running").read_text()

    def found(text: str) -> list[tuple[str, str]]:
        lines = text.splitlines()
        # line 1: a finding of the whole file (`no ip ssh version 2`), at its first line
        return sorted(
            (f.code, " ".join(lines[f.line - 1].split()) if f.line > 1 else "")
            for f in lint_config(text, "r.cfg")
        )

    # the same finding on the same config line, the line as typed read in full
    from iosgen.ios.capture import typed_in_full

    assert [(code, typed_in_full(line)) for code, line in found(typed)] == found(printed)
    messages = " ".join(f.message for f in lint_config(typed, path.name))
    assert leaks(path, messages) == []
