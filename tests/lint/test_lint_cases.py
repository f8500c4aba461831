"""Lint rules against hand-written configs: `cases/NAME.cfg` with `cases/NAME.expected` beside it.

A new case adds two files, not code. An expected file lists every finding of
its config as `LINE CODE [text the message must contain]`, and nothing else may
be found.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from iosgen.lint import RULES, lint_config
from iosgen.lint.checks.secrets import secret_fields

CASES = Path(__file__).parent / "cases"
CASE_FILES = sorted(CASES.glob("*.cfg"))
GOLDEN = Path(__file__).resolve().parents[2] / "golden"

Expected = list[tuple[int, str, str]]


def expected_of(case: Path) -> Expected:
    rows: Expected = []
    for raw in case.with_suffix(".expected").read_text().splitlines():
        if raw.strip() and not raw.startswith("#"):
            line, code, *text = raw.split(" ", 2)
            rows.append((int(line), code, text[0] if text else ""))
    return rows


def test_every_case_has_an_expected_file() -> None:
    assert CASE_FILES, "no lint cases found"
    missing = [c.name for c in CASE_FILES if not c.with_suffix(".expected").exists()]
    assert missing == []


@pytest.mark.parametrize("case", CASE_FILES, ids=[c.stem for c in CASE_FILES])
def test_case_findings(case: Path) -> None:
    findings = lint_config(case.read_text(), case.name)
    expected = expected_of(case)
    assert [(f.line, f.code) for f in findings] == [(line, code) for line, code, _ in expected]
    for finding, (_line, _code, text) in zip(findings, expected, strict=True):
        assert text in finding.message
        assert finding.file == case.name


def test_every_ios_rule_has_a_case() -> None:
    covered = {code for case in CASE_FILES for _l, code, _t in expected_of(case)}
    ios_codes = {rule.code for rule in RULES if rule.code.startswith("IOS")}
    assert ios_codes - covered == set()
    # and a case is named after each rule it exists for
    named = {case.stem.split("-")[0] for case in CASE_FILES}
    assert ios_codes - named == set()


@pytest.mark.parametrize("case", CASE_FILES, ids=[c.stem for c in CASE_FILES])
def test_no_secret_value_in_any_message(case: Path) -> None:
    text = case.read_text()
    commands = [line.strip() for line in text.splitlines() if not line.startswith("!")]
    values = {line[f.start : f.end] for line in commands for f in secret_fields(line)}
    messages = " ".join(f.message for f in lint_config(text, case.name))
    assert [v for v in values if v in messages] == []


GOLDEN_FILES = sorted(GOLDEN.glob("*.cfg"))


@pytest.mark.parametrize("golden", GOLDEN_FILES, ids=[g.stem for g in GOLDEN_FILES])
def test_golden_configs_have_no_errors_and_pptp_warnings_where_pptp_runs(golden: Path) -> None:
    findings = lint_config(golden.read_text(), golden.name)
    assert [f.render() for f in findings if f.severity == "error"] == []
    runs_pptp = "protocol pptp" in golden.read_text()
    assert ("IOS401" in {f.code for f in findings}) == runs_pptp


def test_golden_files_exist() -> None:
    assert GOLDEN_FILES
