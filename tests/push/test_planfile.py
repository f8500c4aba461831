"""`iosgen plan -o PLAN.json` and `iosgen push --plan PLAN.json` as a user runs them."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pushkit import leaks, plovdiv_inventory, spec
from typer.testing import CliRunner

from iosgen.cli import app
from iosgen.sim import SimFleet

HOSTS = ("R-P1", "R-P2")


@pytest.fixture
def inventory(tmp_path: Path) -> Path:
    return plovdiv_inventory(tmp_path / "inventory", HOSTS)


@pytest.fixture(scope="module")
def routers(sim_state: Path) -> Iterator[SimFleet]:
    with SimFleet([spec(h) for h in HOSTS], state_dir=sim_state / "planfile") as fleet:
        yield fleet


@pytest.fixture
def cli(routers: SimFleet, inventory: Path, tmp_path: Path):  # type: ignore[no-untyped-def]
    routers.set_faults("*", [])
    for host in HOSTS:
        routers.router(host).reset()
    runner = CliRunner()
    common = [
        "--inventory", str(inventory),
        "--targets", str(routers.targets_file),
        "--known-hosts", str(tmp_path / "known_hosts"),
    ]  # fmt: skip

    def invoke(command: str, *args: str) -> Any:
        extra = ["--history", str(tmp_path / "history")] if command == "push" else []
        result = runner.invoke(app, [command, *common, *extra, *args])
        assert "Traceback" not in result.output
        assert leaks(result.output) == []
        return result

    return invoke


def _plan(cli: Any, path: Path, *args: str) -> dict[str, Any]:
    result = cli("plan", "-o", str(path), *args)
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def test_plan_records_hashes_masked_lines_findings_and_timer(cli: Any, tmp_path: Path) -> None:
    path = tmp_path / "plan.json"
    data = _plan(cli, path, "--all")
    assert leaks(path.read_text(encoding="utf-8")) == []
    assert [h["host"] for h in data["hosts"]] == list(HOSTS)
    for host in data["hosts"]:
        assert host["status"] == "planned"
        assert len(host["built_sha256"]) == 64 and len(host["running_sha256"]) == 64
        assert any("<redacted>" in line for line in host["lines"])  # secrets masked
        assert any(f.startswith("aaa new-model") for f in host["findings"])
        assert host["revert_minutes"] == 5


def test_dry_run_and_plan_agree_line_for_line(cli: Any, tmp_path: Path) -> None:
    path = tmp_path / "plan.json"
    planned = _plan(cli, path, "--host", "R-P1")["hosts"][0]["lines"]
    dry = cli("push", "--host", "R-P1", "--dry-run")
    assert dry.exit_code == 0, dry.output
    shown = dry.output.split("line(s) to send\n", 1)[1]
    shown = shown.split("  on the management path", 1)[0]
    assert [line[2:] for line in shown.splitlines()] == planned


def test_push_plan_pushes_exactly_the_plan(cli: Any, routers: SimFleet, tmp_path: Path) -> None:
    path = tmp_path / "plan.json"
    planned = _plan(cli, path, "--host", "R-P1")["hosts"][0]["lines"]
    result = cli("push", "--plan", str(path), "--yes", "--force", "--format", "json")
    assert result.exit_code == 0, result.output
    (host,) = json.loads(result.output)["hosts"]
    assert host["host"] == "R-P1" and host["status"] == "pushed"
    assert host["lines"] == planned
    assert host["revert_minutes"] == 5
    # R-P2 was not in the plan: untouched
    assert "hostname R-P2" in routers.router("R-P2").running_config()
    assert "\naaa new-model\n" not in routers.router("R-P2").running_config()


def test_a_router_changed_since_the_plan_is_refused_naming_its_running_config(
    cli: Any, routers: SimFleet, tmp_path: Path
) -> None:
    path = tmp_path / "plan.json"
    _plan(cli, path, "--all")
    router = routers.router("R-P2")
    changed = router.running_config().replace("\nend", "\nip domain name elsewhere.example\nend")
    assert router.set_running(changed) == []
    result = cli("push", "--plan", str(path), "--yes", "--force", "--format", "json")
    assert result.exit_code == 1, result.output
    hosts = {h["host"]: h for h in json.loads(result.output)["hosts"]}
    assert hosts["R-P1"]["status"] == "pushed"
    assert hosts["R-P2"]["status"] == "refused"
    assert "the running config changed since the plan" in hosts["R-P2"]["message"]
    assert hosts["R-P2"]["sent"] == []


def test_a_router_whose_build_changed_is_refused_naming_the_build(
    cli: Any, inventory: Path, routers: SimFleet, tmp_path: Path
) -> None:
    path = tmp_path / "plan.json"
    _plan(cli, path, "--all")
    site = inventory / "sites" / "r-p1.yaml"
    text = site.read_text(encoding="utf-8")
    site.write_text(text + "domain_name: other.example\n", encoding="utf-8")
    result = cli("push", "--plan", str(path), "--yes", "--force", "--format", "json")
    hosts = {h["host"]: h for h in json.loads(result.output)["hosts"]}
    assert hosts["R-P1"]["status"] == "refused"
    assert "the build changed since the plan" in hosts["R-P1"]["message"]
    assert hosts["R-P2"]["status"] == "pushed"
    assert "\naaa new-model\n" not in routers.router("R-P1").running_config()


def _tamper_line(path: Path) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    data["hosts"][0]["lines"][0] = "no service password-encryption"
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")


def _bad_json(path: Path) -> None:
    path.write_text('{\n  "format": "iosgen-plan/1",\n  "hosts": [,]\n}\n', encoding="utf-8")


def _not_a_plan(path: Path) -> None:
    path.write_text('{"hosts": []}\n', encoding="utf-8")


def _bad_host(path: Path) -> None:
    from iosgen.push.planfile import _checksum

    data = json.loads(path.read_text(encoding="utf-8"))
    data["hosts"][0]["lines"] = "not a list"
    content = {k: v for k, v in data.items() if k != "sha256"}
    data["sha256"] = _checksum(content)
    path.write_text(json.dumps(data), encoding="utf-8")


@pytest.mark.parametrize(
    ("spoil", "says"),
    [
        (_tamper_line, "the plan was changed after `iosgen plan` wrote it"),
        (_bad_json, "plan.json:3:13: not valid JSON"),
        (_not_a_plan, "not an iosgen plan"),
        (_bad_host, "a host entry is malformed"),
    ],
    ids=["tampered", "bad-json", "not-a-plan", "malformed-host"],
)
def test_a_bad_plan_file_is_one_clear_error(
    cli: Any, routers: SimFleet, tmp_path: Path, spoil: Any, says: str
) -> None:
    path = tmp_path / "plan.json"
    _plan(cli, path, "--host", "R-P1")
    spoil(path)
    result = cli("push", "--plan", str(path), "--yes", "--force")
    assert result.exit_code == 2, result.output
    errors = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and says in errors[0], result.output
    assert "\naaa new-model\n" not in routers.router("R-P1").running_config()


def test_plan_with_host_is_a_usage_error(cli: Any, tmp_path: Path) -> None:
    path = tmp_path / "plan.json"
    _plan(cli, path, "--host", "R-P1")
    result = cli("push", "--plan", str(path), "--host", "R-P1", "--yes")
    assert result.exit_code == 2
    assert "--plan names the routers" in result.output


@pytest.mark.parametrize("flag", [[], ["--one-line-at-a-time"]], ids=["pipelined", "one-line"])
def test_push_cli_one_line_at_a_time_types_nothing_ahead(
    cli: Any, routers: SimFleet, flag: list[str]
) -> None:
    from iosgen.sim import Fault

    routers.set_faults("R-P1", [Fault("R-P1", "reject", r"^access-list 10 ")])
    result = cli("push", "--host", "R-P1", "--yes", "--force", "--format", "json", *flag)
    assert result.exit_code == 1, result.output
    (host,) = json.loads(result.output)["hosts"]
    assert host["status"] == "rolled back"
    lines = [s["line"] for s in host["sent"]]
    after = lines[lines.index(host["failing_line"]) + 1 :]
    if flag:
        assert after == []  # nothing typed after the refused line
    else:
        assert after and all(
            s["note"].startswith("typed ahead") for s in host["sent"][-len(after) :]
        )
