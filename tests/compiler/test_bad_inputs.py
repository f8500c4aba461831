"""Every malformed site file gets exactly its expected located messages and exit code 2.

A case is a file `bad/sites/NAME.yaml` with the expected stderr in `NAME.expect`:
adding a case adds files, not code.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from iosgen.cli import app

BAD = Path(__file__).parent / "bad"
CASES = sorted((BAD / "sites").glob("*.yaml"))


@pytest.fixture
def in_bad_inventory(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(BAD)
    monkeypatch.setenv("IOSGEN_TEST_PASSWORD", "test-password")
    monkeypatch.setenv("IOSGEN_TEST_CHAP", "test-chap")
    monkeypatch.delenv("IOSGEN_TEST_NOT_SET", raising=False)


def test_there_are_at_least_25_cases() -> None:
    assert len(CASES) >= 25


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
@pytest.mark.usefixtures("in_bad_inventory")
def test_bad_site_is_reported_with_location(case: Path, tmp_path: Path) -> None:
    expected = case.with_suffix(".expect").read_text()
    out = tmp_path / "out.cfg"
    result = CliRunner().invoke(app, ["build", f"sites/{case.name}", "-o", str(out)])
    assert result.exit_code == 2, result.output
    assert result.stderr == expected
    assert "Traceback" not in result.output
    assert not out.exists(), "nothing is written for bad input"
    for line in expected.splitlines():
        assert line.startswith(f"sites/{case.name}:"), "every message starts file:line:column"


@pytest.mark.usefixtures("in_bad_inventory")
def test_two_sites_with_one_hostname(tmp_path: Path) -> None:
    inventory = tmp_path / "inv"
    (inventory / "sites").mkdir(parents=True)
    (inventory / "groups").mkdir()
    (inventory / "groups" / "branch.yaml").write_text("{}\n")
    good = (BAD / "sites" / "bad-mppe.yaml").read_text().replace("    mppe: 56\n", "")
    (inventory / "sites" / "a.yaml").write_text(good)
    (inventory / "sites" / "b.yaml").write_text(good.replace("R-TEST", "r-test"))
    result = CliRunner().invoke(
        app, ["build", "--all", "-i", str(inventory), "-o", str(tmp_path / "out")]
    )
    assert result.exit_code == 2
    assert "b.yaml:1:11: hostname: hostname 'r-test' is also the hostname of" in result.stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.usefixtures("in_bad_inventory")
def test_every_problem_of_a_file_is_reported_at_once(tmp_path: Path) -> None:
    text = (BAD / "sites" / "bad-role.yaml").read_text()
    text = text.replace("192.168.10.1/24", "192.168.10.300/24").replace("dialer: 2", "dialer: x")
    text = text.replace("groups: [branch]\n", "")
    (tmp_path / "site.yaml").write_text(text)
    result = CliRunner().invoke(app, ["build", str(tmp_path / "site.yaml")])
    assert result.exit_code == 2
    assert len(result.stderr.splitlines()) == 3
    assert "role: 'dmz'" in result.stderr
    assert "ipv4: '192.168.10.300/24'" in result.stderr
    assert "dialer: 'x'" in result.stderr
