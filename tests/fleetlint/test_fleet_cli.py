"""`iosgen lint --fleet`, the fleet gate of `build --all` and `check`, and the CI formats
(SARIF read back with sarif-tools, JUnit with ElementTree) of every kind of lint."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from sarif.loader import load_sarif_file
from typer.testing import CliRunner

from iosgen.cli import app
from iosgen.lint import RULES
from iosgen.lint.fleet import FLEET_RULES
from tests.conftest import GOLDEN, INVENTORY, example_env

HERE = Path(__file__).parent
BROKEN = HERE / "broken"
CLEAN = HERE / "clean"
CONFIG_CASE = Path(__file__).parents[1] / "lint" / "cases" / "IOS101-route-map-acl.cfg"


def shown(path: Path) -> str:
    """A path as the loader prints it: relative to the working folder when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    assert "Traceback" not in result.stdout + result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result.exit_code, result.stdout, result.stderr


# --- lint --fleet -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("case", "code"),
    [(CLEAN, 0), (INVENTORY, 0), (BROKEN / "FLEET107", 1), (BROKEN / "FLEET112", 0)],
    ids=["clean", "example", "error", "warning-only"],
)
def test_lint_fleet_exit_code(case: Path, code: int) -> None:
    exit_code, out, _ = run("lint", "--fleet", "-i", str(case))
    assert exit_code == code, out
    assert out.splitlines()[-1].startswith(f"{case} (fleet): {1 if code else 0} error(s)")


def test_lint_fleet_names_both_files_with_line_and_column() -> None:
    code, out, _ = run("lint", "--fleet", "-i", str(BROKEN / "FLEET101"))
    assert code == 1
    first = out.splitlines()[0]
    sites = BROKEN / "FLEET101" / "sites"
    assert first.startswith(f"{shown(sites / 'b.yaml')}:7:27: error FLEET101:")
    assert f"(see {shown(sites / 'a.yaml')}:6:38: interfaces.FastEthernet0/1.ipv4)" in first


def test_lint_fleet_json() -> None:
    code, out, _ = run("lint", "--fleet", "-i", str(BROKEN / "FLEET109"), "--format", "json")
    assert code == 1
    data = json.loads(out)
    assert data["summary"] == {"error": 1, "warning": 0, "info": 0}
    finding = data["findings"][0]
    assert finding["code"] == "FLEET109"
    assert finding["node"]["file"].endswith("a.yaml") and finding["other"]["site"] == "R-HQ"


@pytest.mark.parametrize(
    "args",
    [("--fleet", str(INVENTORY / "sites" / "plovdiv.yaml")), ()],
    ids=["file-and-fleet", "nothing"],
)
def test_lint_usage_errors_exit_2(args: tuple[str, ...]) -> None:
    code, _, err = run("lint", *args)
    assert code == 2 and err.startswith("error: ")


def test_broken_yaml_in_fleet_is_exit_2_located(tmp_path: Path) -> None:
    shutil.copytree(CLEAN, tmp_path / "inv")
    (tmp_path / "inv" / "sites" / "a.yaml").write_text("hostname: [R-A\n")
    code, out, err = run("lint", "--fleet", "-i", str(tmp_path / "inv"))
    assert code == 2 and out == ""
    assert "a.yaml:" in err and "YAML syntax" in err


# --- build --all and check refuse a broken fleet ----------------------------------------


@pytest.mark.parametrize("case", ["FLEET105", "FLEET111"], ids=["mgmt", "mppe"])
def test_build_all_refuses_a_broken_fleet_and_writes_nothing(case: str, tmp_path: Path) -> None:
    out_dir = tmp_path / "out"
    code, out, err = run("build", "--all", "-i", str(BROKEN / case), "-o", str(out_dir))
    assert code == 2 and out == ""
    assert f": {case}: " in err and "(see " in err
    assert not out_dir.exists()


def test_check_refuses_a_broken_fleet(tmp_path: Path) -> None:
    code, out, err = run("check", "-i", str(BROKEN / "FLEET110"), "--golden", str(tmp_path))
    assert code == 2 and out == ""
    line = err.splitlines()[0]
    assert line.startswith(f"{shown(BROKEN / 'FLEET110' / 'sites' / 'a.yaml')}:12:20: ")
    assert "FLEET110" in line
    assert all(v not in err for v in ("a-hq-secret", "a-old-secret"))


def test_build_all_goes_on_past_warnings(tmp_path: Path) -> None:
    code, _, err = run("build", "--all", "-i", str(BROKEN / "FLEET103"), "-o", str(tmp_path))
    assert code == 0
    assert "warning FLEET103" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["R-A.cfg", "R-C.cfg", "R-HQ.cfg"]


def test_example_inventory_builds_and_checks() -> None:
    """README's quick start: the example inventory is a clean fleet that matches golden/."""
    code, out, _ = run("check", "-i", str(INVENTORY), "--golden", str(GOLDEN))
    assert code == 0, out


# --- SARIF and JUnit --------------------------------------------------------------------


def _sarif(tmp_path: Path, *args: str) -> tuple[int, dict[str, object], Path]:
    code, out, _ = run("lint", *args, "--format", "sarif")
    path = tmp_path / "report.sarif"
    path.write_text(out)
    return code, json.loads(out), path


KINDS = [
    ("fleet", ("--fleet", "-i", str(BROKEN / "FLEET101")), FLEET_RULES, 1),
    ("site", (str(INVENTORY / "sites" / "plovdiv.yaml"),), RULES, 0),
    ("config", (str(CONFIG_CASE),), RULES, 1),
]


@pytest.mark.parametrize(("kind", "args", "rules", "exit_code"), KINDS, ids=[k[0] for k in KINDS])
def test_sarif_reads_back(
    kind: str, args: tuple[str, ...], rules: tuple[object, ...], exit_code: int, tmp_path: Path
) -> None:
    code, log, path = _sarif(tmp_path, *args)
    assert code == exit_code
    assert log["version"] == "2.1.0"
    sarif = load_sarif_file(str(path))
    assert sarif.get_distinct_tool_names() == ["iosgen"]
    records = sarif.get_records()
    assert records, kind
    run_ = sarif.runs[0]
    for record in records:
        assert run_.get_rules_by_id(record["Code"]), record  # every result's rule is listed
        assert isinstance(record["Line"], int) and record["Line"] >= 1
        assert Path(record["Location"]).is_file(), record
    driver = log["runs"][0]["tool"]["driver"]  # type: ignore[index]
    assert [r["id"] for r in driver["rules"]] == [r.code for r in rules]  # type: ignore[attr-defined]
    for result in log["runs"][0]["results"]:  # type: ignore[index]
        region = result["locations"][0]["physicalLocation"]["region"]
        assert region["startLine"] >= 1 and region["startColumn"] >= 1
        assert driver["rules"][result["ruleIndex"]]["id"] == result["ruleId"]


def test_sarif_fleet_result_has_both_files(tmp_path: Path) -> None:
    _, log, _ = _sarif(tmp_path, "--fleet", "-i", str(BROKEN / "FLEET101"))
    (result,) = log["runs"][0]["results"]  # type: ignore[index]
    assert result["level"] == "error" and result["ruleId"] == "FLEET101"
    here = result["locations"][0]["physicalLocation"]
    there = result["relatedLocations"][0]["physicalLocation"]
    assert here["artifactLocation"]["uri"].endswith("sites/b.yaml")
    assert here["region"] == {"startLine": 7, "startColumn": 27}
    assert there["artifactLocation"]["uri"].endswith("sites/a.yaml")
    assert there["region"]["startLine"] == 6


def test_sarif_info_is_a_note(tmp_path: Path) -> None:
    _, log, _ = _sarif(tmp_path, "--fleet", "-i", str(BROKEN / "FLEET108"))
    assert [r["level"] for r in log["runs"][0]["results"]] == ["note"]  # type: ignore[index]


@pytest.mark.parametrize(
    ("args", "tests", "failures"),
    [
        (("--fleet", "-i", str(BROKEN / "FLEET113")), 1, 1),
        (("--fleet", "-i", str(CLEAN)), 1, 0),
        ((str(INVENTORY / "sites" / "plovdiv.yaml"),), 3, 0),
        ((str(CONFIG_CASE),), None, None),
    ],
    ids=["fleet-error", "fleet-clean", "site", "config"],
)
def test_junit_parses(args: tuple[str, ...], tests: int | None, failures: int | None) -> None:
    code, out, _ = run("lint", *args, "--format", "junit")
    suite = ET.fromstring(out).find("testsuite")
    assert suite is not None
    cases = suite.findall("testcase")
    assert int(suite.get("tests", "-1")) == len(cases)
    failed = [c for c in cases if c.find("failure") is not None]
    assert int(suite.get("failures", "-1")) == len(failed)
    assert code == (1 if failed else 0)
    if tests is not None:
        assert (len(cases), len(failed)) == (tests, failures)


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "junit"])
def test_no_secret_in_any_report(fmt: str) -> None:
    secrets = set(example_env().values())
    cases = [
        ("--fleet",),
        ("--fleet", "-i", str(BROKEN / "FLEET110")),
        (str(INVENTORY / "sites" / "ruse.yaml"),),
    ]
    for args in cases:
        _, out, err = run("lint", *args, "--format", fmt)
        assert out
        leaked = [s for s in [*secrets, "a-hq-secret", "a-old-secret"] if s in out + err]
        assert leaked == [], args
