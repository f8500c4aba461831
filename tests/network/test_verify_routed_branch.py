"""The example inventory's routed branch, end to end: `iosgen sim --initial intended`
(a real process) serves every IOS site; R-SHUMEN's `sofia` tunnel (`nat: false`) comes
up with the fixed address R-SOFIA's attribute list gives `shumen`, Sofia routes the
Shumen LAN to it, and `iosgen verify --host R-SHUMEN` passes every check."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from iosgen.cli import app
from tests.conftest import INVENTORY, example_env

FIXED = "10.10.255.254"  # the top of Sofia's range: the first routed CHAP user's
SHUMEN_LAN = "192.168.50.0"


@pytest.fixture(scope="module")
def targets(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    where = tmp_path_factory.mktemp("routed-sim")
    path = where / "sim-targets.yaml"
    env = {**os.environ, **example_env()}
    cmd = [sys.executable, "-m", "iosgen", "sim", "--inventory", str(INVENTORY)]
    cmd += ["--initial", "intended", "--targets", str(path)]
    log = where / "sim.log"
    with log.open("w") as err:
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err, env=env)
        try:
            deadline = time.monotonic() + 60
            while "targets written to" not in log.read_text():
                assert proc.poll() is None, log.read_text()
                assert time.monotonic() < deadline, log.read_text()
                time.sleep(0.2)
            # every line of every intended config taken
            assert "refused" not in log.read_text(), log.read_text()
            yield path
        finally:
            proc.terminate()
            proc.wait(timeout=30)


def _show(targets: Path, host: str, command: str) -> str:
    from netmiko import ConnectHandler

    t = yaml.safe_load(targets.read_text())[host]
    with ConnectHandler(
        device_type="cisco_ios",
        host=t["host"],
        port=t["port"],
        username=t["username"],
        password=t["password"],
        secret=t.get("secret") or "",
        timeout=30,
    ) as conn:
        out: str = conn.send_command(command, read_timeout=30)
        return out


def test_the_routed_tunnel_comes_up_with_the_fixed_address(targets: Path) -> None:
    brief = _show(targets, "R-SHUMEN", "show ip interface brief")
    assert re.search(rf"^Dialer2\s+{re.escape(FIXED)}\s+YES\s+\S+\s+up\s+up", brief, re.M), brief
    route = _show(targets, "R-SOFIA", "show ip route")
    # the static route to the Shumen LAN resolves through the session's host route
    assert re.search(
        rf"^S\s+{re.escape(SHUMEN_LAN)}/24 \[1/0\] via {re.escape(FIXED)}$", route, re.M
    )
    assert re.search(rf"C\s+{re.escape(FIXED)}/32 is directly connected, Virtual-Access\d+", route)
    vpdn = _show(targets, "R-SOFIA", "show vpdn")
    assert re.search(r"\sVi\d+\s+shumen\s+estabd\s", vpdn), vpdn


def test_verify_passes_for_the_routed_branch(targets: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app,
        [
            "verify",
            "--inventory", str(INVENTORY),
            "--host", "R-SHUMEN",
            "--targets", str(targets),
            "--known-hosts", str(tmp_path / "known_hosts"),
            "--format", "json",
        ],
        env=example_env(),
    )  # fmt: skip
    assert "Traceback" not in result.output
    assert "shumen-sofia-demo" not in result.output  # the CHAP secret never printed
    assert result.exit_code == 0, result.output
    (host,) = json.loads(result.stdout)
    assert host["host"] == "R-SHUMEN" and host["status"] == "ok", host
    assert host["tunnels"] == {"sofia": "up"}
    checks = {c["check"]: c["ok"] for c in host["checks"]}
    assert checks.get("session") and checks.get("reach"), host["checks"]
