"""`iosgen verify` against simulated routers over real SSH: a head office and branches
built from a small inventory; broken ends give their reason, exit codes 0/1/3."""

from __future__ import annotations

import json
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

sys.path.insert(0, str(Path(__file__).parent))

from netkit import SECRET, specs, write_inventory

from iosgen.cli import app
from iosgen.fleet.graph import read_report
from iosgen.network.verify import routes
from iosgen.sim import SimFleet


@pytest.fixture(scope="module")
def inventory(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_inventory(tmp_path_factory.mktemp("verify-inv"), branches=2)


@pytest.fixture(scope="module")
def fleet(inventory: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[SimFleet]:
    with SimFleet(specs(inventory), state_dir=tmp_path_factory.mktemp("verify-sim")) as f:
        yield f


@pytest.fixture
def verify(fleet: SimFleet, inventory: Path, tmp_path: Path) -> Any:
    for host in ("HQ", "BR0", "BR1"):
        fleet.router(host).reset()

    def run(*args: str, targets: Path | None = None) -> Any:
        result = CliRunner().invoke(
            app,
            [
                "verify",
                "--inventory", str(inventory),
                "--targets", str(targets or fleet.targets_file),
                "--known-hosts", str(tmp_path / "known_hosts"),
                *args,
            ],
        )  # fmt: skip
        assert "Traceback" not in result.output
        assert SECRET not in result.output  # the CHAP secret never printed
        return result

    return run


def hosts(result: Any) -> dict[str, Any]:
    return {h["host"]: h for h in json.loads(result.stdout)}


def test_a_working_fleet_passes_every_check(verify: Any) -> None:
    result = verify("--all", "--format", "json")
    assert result.exit_code == 0, result.output
    found = hosts(result)
    assert found["BR0"]["tunnels"] == {"hq": "up"}
    checks = {c["check"] for c in found["BR1"]["checks"]}
    assert checks == {"session", "routes", "reach", "pat"}
    assert all(c["ok"] for h in found.values() for c in h["checks"])
    assert {h["status"] for h in found.values()} == {"ok"}


def test_graph_reads_the_json_report(verify: Any, fleet: SimFleet, tmp_path: Path) -> None:
    router = fleet.router("HQ")
    router.set_running(
        router.running_config().replace("ppp encrypt mppe auto", "ppp encrypt mppe 40")
    )
    report = tmp_path / "verify.json"
    result = verify("--all", "--format", "json")
    assert result.exit_code == 1, result.output
    report.write_text(result.stdout, encoding="utf-8")
    read = read_report(report)
    assert read.hosts == {"hq": "ok", "br0": "failed", "br1": "failed"}
    assert read.tunnels == {("br0", "hq"): "down", ("br1", "hq"): "down"}


BREAKS = [
    (
        "other-secret",
        "HQ",
        ("username br0 ", "username br0 password 0 Another1"),
        "session",
        "CHAP refused",
    ),
    ("no-user", "HQ", ("username br0 ", ""), "session", "CHAP refused"),
    ("mppe-40", "HQ", ("ppp encrypt mppe auto", "ppp encrypt mppe 40"), "session", "MPPE mismatch"),
    (
        "no-route",
        "BR0",
        ("ip route 10.10.0.0 255.255.0.0 Dialer2\n", ""),
        "routes",
        "no route through Dialer2",
    ),
    (
        "no-pat",
        "BR0",
        ("ip nat inside source route-map INTERNET", ""),
        "pat",
        "no PAT",
    ),
    (
        "dialer-shut",
        "BR0",
        (" dialer vpdn\n", " dialer vpdn\n shutdown\n"),
        "session",
        "down interface",
    ),
]


@pytest.mark.parametrize(
    ("host", "edit", "check", "reason"), [b[1:] for b in BREAKS], ids=[b[0] for b in BREAKS]
)
def test_breaking_a_config_fails_its_check_with_the_reason(
    verify: Any, fleet: SimFleet, host: str, edit: tuple[str, str], check: str, reason: str
) -> None:
    router = fleet.router(host)
    text = router.running_config()
    old, new = edit
    if old.startswith(("ip nat", "username")):  # the whole line: dropped, or replaced
        line = next(ln for ln in text.splitlines() if ln.startswith(old))
        text = text.replace(line + "\n", new + "\n" if new else "")
    else:
        assert old in text, old
        text = text.replace(old, new)
    assert router.set_running(text) == []
    result = verify("--host", "BR0", "--format", "json")
    assert result.exit_code == 1, result.output
    failed = [c for c in hosts(result)["BR0"]["checks"] if not c["ok"]]
    assert any(c["check"] == check and reason in (c["reason"] or "") for c in failed), failed
    if check == "session":
        assert hosts(result)["BR0"]["tunnels"] == {"hq": "down"}


def test_junit_and_text_name_every_check(verify: Any) -> None:
    junit = verify("--host", "BR0", "--host", "BR1", "--format", "junit")
    assert junit.exit_code == 0, junit.output
    suite = ET.fromstring(junit.stdout)
    assert suite.get("failures") == "0"
    assert {c.get("classname") for c in suite} == {"BR0", "BR1"}
    text = verify("--host", "BR1")
    assert "ok   session hq" in text.stdout and "ok   pat" in text.stdout


def test_an_unreachable_router_exits_3(verify: Any, fleet: SimFleet, tmp_path: Path) -> None:
    targets = tmp_path / "targets.yaml"
    text = fleet.targets_file.read_text(encoding="utf-8")
    port = fleet.targets["BR1"].port
    targets.write_text(text.replace(f"port: {port}", "port: 1"), encoding="utf-8")
    result = verify("--host", "BR1", "--format", "json", targets=targets)
    assert result.exit_code == 3, result.output
    assert hosts(result)["BR1"]["unreachable"]


def test_bad_format_is_a_usage_error(verify: Any) -> None:
    result = verify("--all", "--format", "xml")
    assert result.exit_code == 2
    assert "--format xml" in result.output


ROUTE_TABLE = """\
Gateway of last resort is 192.0.2.1 to network 0.0.0.0

     10.0.0.0/16 is subnetted, 1 subnets
S       10.10.0.0 is directly connected, Dialer2
     172.16.0.0/24 is subnetted, 1 subnets
C       172.16.0.0 is directly connected, FastEthernet0/1
S*   0.0.0.0/0 [1/0] via 192.0.2.1
"""


def test_routes_reads_the_classful_subnetted_form() -> None:
    table = {(str(net), rest.split(", ")[-1]) for _, net, rest in routes(ROUTE_TABLE)}
    assert ("10.10.0.0/16", "Dialer2") in table
    assert ("172.16.0.0/24", "FastEthernet0/1") in table
