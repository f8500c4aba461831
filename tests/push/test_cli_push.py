"""`iosgen push` as a user runs it: exit codes, confirmation, the table, JSON, canary."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from pushkit import leaks, plovdiv_inventory, spec
from typer.testing import CliRunner

from iosgen.cli import app
from iosgen.sim import Fault, SimFleet

HOSTS = ("R-A", "R-B", "R-C")


@pytest.fixture(scope="module")
def inventory(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example inventory's defaults and groups, with Plovdiv's site as R-A, R-B, R-C."""
    return plovdiv_inventory(tmp_path_factory.mktemp("inventory"), HOSTS)


@pytest.fixture(scope="module")
def routers(sim_state: Path) -> Iterator[SimFleet]:
    with SimFleet([spec(h) for h in HOSTS], state_dir=sim_state / "cli") as fleet:
        yield fleet


@pytest.fixture
def run(routers: SimFleet, inventory: Path, tmp_path: Path):  # type: ignore[no-untyped-def]
    routers.set_faults("*", [])
    for host in HOSTS:
        routers.router(host).reset()
    runner = CliRunner()

    def invoke(*args: str, input: str | None = None):  # type: ignore[no-untyped-def]
        base = [
            "push",
            "--inventory", str(inventory),
            "--targets", str(routers.targets_file),
            "--known-hosts", str(tmp_path / "known_hosts"),
            "--history", str(tmp_path / "history"),
        ]  # fmt: skip
        result = runner.invoke(app, [*base, *args], input=input)
        assert "Traceback" not in result.output
        assert leaks(result.output) == []
        return result

    return invoke


def test_dry_run_prints_masked_plan_and_touches_nothing(run, routers: SimFleet) -> None:  # type: ignore[no-untyped-def]
    before = routers.router("R-A").running_config()
    result = run("--host", "R-A", "--dry-run")
    assert result.exit_code == 0, result.output
    assert "R-A: 62 line(s) to send" in result.output
    assert " ppp chap password 7 <redacted>" in result.output
    assert "aaa new-model: SSH / AAA, which iosgen logs in through" in result.output
    assert routers.router("R-A").running_config() == before


def test_not_confirmed_sends_nothing(run, routers: SimFleet) -> None:  # type: ignore[no-untyped-def]
    before = routers.router("R-A").running_config()
    result = run("--host", "R-A", "--force", input="n\n")
    assert result.exit_code == 1
    assert "Push to 1 router(s)?" in result.output
    assert "not confirmed: nothing sent" in result.output
    assert routers.router("R-A").running_config() == before


def test_confirmed_push_then_nothing_to_do(  # type: ignore[no-untyped-def]
    run, routers: SimFleet, inventory: Path, tmp_path: Path
) -> None:
    result = run("--host", "R-A", "--force", input="y\n")
    assert result.exit_code == 0, result.output
    assert "R-A: pushed in " in result.output
    assert "62 line(s) sent; the router audits clean" in result.output
    assert "=> the router runs the NEW (intended) config" in result.output
    audit = CliRunner().invoke(
        app,
        ["audit", "--host", "R-A", "--inventory", str(inventory), "--targets",
         str(routers.targets_file), "--known-hosts", str(tmp_path / "known_hosts")],
    )  # fmt: skip
    assert audit.exit_code == 0, audit.output
    assert "in sync" in audit.output
    again = run("--host", "R-A", "--yes")
    assert again.exit_code == 0
    assert "R-A: nothing to do: the router already matches the model" in again.output
    assert "=> the router runs the NEW (intended) config" in again.output


def test_refused_without_force_exits_1(run, routers: SimFleet) -> None:  # type: ignore[no-untyped-def]
    result = run("--host", "R-A", "--yes")
    assert result.exit_code == 1
    assert "R-A: refused:" in result.output
    assert "line(s) can cut the path iosgen manages this router through" in result.output
    assert "=> the router runs its OLD config, as before the push" in result.output


def test_canary_failure_stops_the_run(run, routers: SimFleet) -> None:  # type: ignore[no-untyped-def]
    routers.set_faults("R-A", [Fault("R-A", "reject", r"^ip route ")])
    untouched = {h: routers.router(h).running_config() for h in ("R-B", "R-C")}
    result = run(
        *("--host", "R-A", "--host", "R-B", "--host", "R-C"),
        *("--yes", "--force", "--canary", "1", "--format", "json"),
    )
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    states = {h["host"]: (h["status"], h["final"]) for h in data["hosts"]}
    assert states == {
        "R-A": ("rolled back", "old"),
        "R-B": ("skipped", "old"),
        "R-C": ("skipped", "old"),
    }
    failing = data["hosts"][0]
    assert failing["failing_line"] == "ip route 10.10.0.0 255.255.0.0 Dialer2"
    assert "% Invalid input detected at '^' marker." in failing["ios_answer"]
    for host, text in untouched.items():
        assert routers.router(host).running_config() == text


def test_fleet_one_unreachable_others_pushed_exit_3(run, routers: SimFleet) -> None:  # type: ignore[no-untyped-def]
    routers.set_faults("R-B", [Fault("R-B", "bad-password")])
    result = run("--group", "branch", "--yes", "--force", "--workers", "3")
    assert result.exit_code == 3, result.output
    table = result.stdout[result.stdout.index("iosgen push") :]
    rows = {line.split()[1]: line for line in table.splitlines() if line.startswith("│ R-")}
    assert "pushed" in rows["R-A"] and "new" in rows["R-A"]
    assert "unreachable" in rows["R-B"] and "old" in rows["R-B"]
    assert "pushed" in rows["R-C"]


def test_all_refused_asks_nothing(run, routers: SimFleet) -> None:  # type: ignore[no-untyped-def]
    result = run("--host", "R-A", "--host", "R-B")
    assert result.exit_code == 1
    assert "Push to" not in result.output
    assert result.output.count(": refused: 11 line(s) can cut the path") == 2


def test_confirmed_fleet_reports_hosts_settled_by_the_plan(run, routers: SimFleet) -> None:  # type: ignore[no-untyped-def]
    routers.set_faults("R-B", [Fault("R-B", "bad-password")])
    result = run("--host", "R-A", "--host", "R-B", "--force", "--format", "json", input="y\n")
    assert result.exit_code == 3  # R-B was unreachable when planned: never forgotten
    data = json.loads(result.stdout[result.stdout.index("{") :])
    assert [(h["host"], h["status"]) for h in data["hosts"]] == [
        ("R-A", "pushed"),
        ("R-B", "unreachable"),
    ]
