"""The fleet commands on a linux-pppd box named with --host, as an operator types them:
`iosgen audit` and `iosgen backup` reach the box through the Linux device layer."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from iosgen.cli import app
from tests.linux_box.conftest import SUDO_PASSWORD, SUDO_USER, Box

INVENTORY = Path(__file__).resolve().parents[2] / "inventory"


def _targets(box: Box, tmp_path: Path) -> Path:
    targets = tmp_path / "targets.yaml"
    targets.write_text(
        f"plovdiv-gw:\n  host: 127.0.0.1\n  port: {box.port}\n  username: {SUDO_USER}\n"
        f"  password: '{SUDO_PASSWORD}'\n  host_key: {box.target.host_key}\n"
    )
    return targets


def test_audit_and_backup_of_a_box_by_host(sudo_box: Box, tmp_path: Path) -> None:
    targets = _targets(sudo_box, tmp_path)
    common = ["--host", "plovdiv-gw", "-i", str(INVENTORY), "--targets", str(targets)]
    audit = CliRunner().invoke(app, ["audit", *common, "--format", "json"])
    assert "Traceback" not in audit.output
    assert audit.exit_code == 1, audit.output  # a box iosgen never pushed: files missing
    (result,) = json.loads(audit.stdout)
    assert result["host"] == "plovdiv-gw" and result["status"] == "drift"
    assert any(line.endswith("(missing on the box)") for line in result["drift"]["real"])
    assert SUDO_PASSWORD not in audit.output
    out = tmp_path / "backups"
    backup = CliRunner().invoke(app, ["backup", *common, "-o", str(out)])
    assert "Traceback" not in backup.output
    assert backup.exit_code == 0, backup.output
    assert f"saved {out / 'plovdiv-gw'}" in backup.stdout


def test_all_and_group_reach_the_boxes_in_the_fleet_commands(tmp_path: Path) -> None:
    # select_sites (verify and the other commands) keeps --all to the routers; the fleet
    # commands that drive a box (audit, backup, push, plan) select through select_fleet
    from iosgen.cli.boxes import select_fleet
    from iosgen.cli.options import select_sites
    from iosgen.errors import UsageError

    routers = {s.hostname for s in select_sites(INVENTORY, None, None, None, True)}
    fleet = {s.hostname for s in select_fleet(INVENTORY, None, None, None, True)}
    assert "plovdiv-gw" not in routers and "R-ITD" in routers
    assert fleet == routers | {"plovdiv-gw", "gabrovo-gw"}
    group = {s.hostname for s in select_fleet(INVENTORY, None, None, "branch", False)}
    assert {"plovdiv-gw", "gabrovo-gw", "R-ITD"} <= group and "R-SOFIA" not in group
    named = select_fleet(INVENTORY, None, ["plovdiv-gw"], None, False)
    assert [s.hostname for s in named] == ["plovdiv-gw"]
    for hosts, group_name, every in (
        (["R-ITD"], None, True),
        (None, "branch", True),
        (None, None, False),
    ):
        with pytest.raises(UsageError):
            select_fleet(INVENTORY, None, hosts, group_name, every)


def test_a_box_outcome_says_box_and_file_tree() -> None:
    from iosgen.push.outcome import Final, PushOutcome, Status

    said = {
        final: PushOutcome("plovdiv-gw", Status.ROLLED_BACK, final, box=True).where()
        for final in Final
    }
    assert said == {
        Final.NEW: "the box has the NEW (intended) file tree",
        Final.OLD: "the box has its OLD file tree, as before the push",
        Final.UNKNOWN: "the box's files are UNKNOWN: check them by hand",
    }
    assert "router" in PushOutcome("R-ITD", Status.PUSHED, Final.NEW).where()


def test_verify_of_a_box_by_host_reports_its_tunnel(sudo_box: Box, tmp_path: Path) -> None:
    # a box iosgen never pushed: no pppd unit, no ppp interface, so the tunnel is down
    targets = _targets(sudo_box, tmp_path)
    common = ["--host", "plovdiv-gw", "-i", str(INVENTORY), "--targets", str(targets)]
    result = CliRunner().invoke(app, ["verify", *common, "--format", "json"])
    assert "Traceback" not in result.output
    assert result.exit_code == 1, result.output
    (report,) = json.loads(result.stdout)
    assert report["host"] == "plovdiv-gw" and report["tunnels"] == {"sofia": "down"}
    (check,) = report["checks"]
    assert check["check"] == "session" and check["ok"] is False and check["reason"]
    assert SUDO_PASSWORD not in result.output
