"""Boxes in the fleet options, as an operator types them: a mixed fleet (R-ITD in the
simulator, plovdiv-gw on the real sshd box) in one targets file and one inventory;
`audit --all/--group` in one run and one report, `backup --all` then `audit --from`,
`push --group`, `diff` of a box (live and from the saved tree), and plan files that
record a box's file hashes and are refused when the box or the build changed."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from iosgen.cli import app
from iosgen.sim import SimFleet
from tests.conftest import INVENTORY, example_env
from tests.linux_box.conftest import SUDO_PASSWORD, SUDO_USER, Box
from tests.push.pushkit import spec

SECRETS = [v for k, v in example_env().items() if k.startswith("IOSGEN_")] + [SUDO_PASSWORD]


@pytest.fixture(scope="module")
def sim(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SimFleet]:
    with SimFleet([spec()], state_dir=tmp_path_factory.mktemp("l17-sim")) as fleet:
        yield fleet


@pytest.fixture
def mixed(
    sim: SimFleet, sudo_box: Box, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> dict[str, Path]:
    """An inventory of R-ITD and plovdiv-gw, and a targets file naming both; the box's
    files go under its throwaway root (the test-only IOSGEN_LINUX_ROOT)."""
    sim.router("R-ITD").reset()
    monkeypatch.setenv("IOSGEN_LINUX_ROOT", str(sudo_box.root))
    inv = tmp_path / "inventory"
    (inv / "sites").mkdir(parents=True)
    shutil.copy(INVENTORY / "defaults.yaml", inv)
    shutil.copytree(INVENTORY / "groups", inv / "groups")
    for name in ("plovdiv.yaml", "plovdiv-linux.yaml"):
        shutil.copy(INVENTORY / "sites" / name, inv / "sites")
    targets = tmp_path / "targets.yaml"
    box = sudo_box.target
    targets.write_text(
        sim.targets_file.read_text()
        + f"plovdiv-gw:\n  host: 127.0.0.1\n  port: {sudo_box.port}\n  username: {SUDO_USER}\n"
        f"  password: '{SUDO_PASSWORD}'\n  host_key: {box.host_key}\n"
    )
    return {"inventory": inv, "targets": targets, "tmp": tmp_path}


def run(mixed: dict[str, Path], *args: str) -> Any:
    common = [
        "-i",
        str(mixed["inventory"]),
        "--targets",
        str(mixed["targets"]),
        "--known-hosts",
        str(mixed["tmp"] / "known_hosts"),
    ]
    result = CliRunner().invoke(app, [*args, *common])
    assert "Traceback" not in result.output
    for secret in SECRETS:
        assert secret not in result.output
    return result


def push_box(mixed: dict[str, Path]) -> None:
    history = str(mixed["tmp"] / "history")
    pushed = run(mixed, "push", "--host", "plovdiv-gw", "--force", "--yes", "--history", history)
    assert pushed.exit_code == 0, pushed.output


def test_a_mixed_fleet_is_audited_in_one_run_and_one_report(mixed: dict[str, Path]) -> None:
    push_box(mixed)
    for choice in (["--all"], ["--group", "branch"]):
        result = run(mixed, "audit", *choice, "--format", "json")
        assert result.exit_code == 1, result.output  # R-ITD is bare: drift
        report = {r["host"]: r["status"] for r in json.loads(result.stdout)}
        assert report == {"R-ITD": "drift", "plovdiv-gw": "in_sync"}
    text = run(mixed, "audit", "--all")
    lines = text.stdout.splitlines()
    assert lines[0].split() == ["host", "status", "real", "cosmetic", "secret-only"]
    assert sorted(line.split()[:2] for line in lines[1:3]) == [
        ["R-ITD", "drift"],
        ["plovdiv-gw", "in"],  # "in sync"
    ]


def test_backup_all_then_audit_from_the_saved_folder(mixed: dict[str, Path]) -> None:
    push_box(mixed)
    out = mixed["tmp"] / "saved"
    backup = run(mixed, "backup", "--all", "-o", str(out))
    assert backup.exit_code == 0, backup.output
    assert (out / "R-ITD.cfg").is_file() and (out / "plovdiv-gw/etc/ppp/peers/sofia").is_file()
    assert '"<redacted>"' in (out / "plovdiv-gw/etc/ppp/chap-secrets").read_text()
    saved = run(mixed, "audit", "--all", "--from", str(out), "--format", "json")
    report = {r["host"]: r for r in json.loads(saved.stdout)}
    assert report["plovdiv-gw"]["status"] == "in_sync", report["plovdiv-gw"]
    assert report["R-ITD"]["status"] == "drift"
    peer = out / "plovdiv-gw/etc/ppp/peers/sofia"
    peer.write_text(peer.read_text().replace("mtu 1460", "mtu 1400"))
    peer.chmod(0o600)
    drifted = run(mixed, "audit", "--host", "plovdiv-gw", "--from", str(out), "--format", "json")
    assert drifted.exit_code == 1
    (result,) = json.loads(drifted.stdout)
    assert result["drift"]["real"] == [
        "+ etc/ppp/peers/sofia > mtu 1460",
        "- etc/ppp/peers/sofia > mtu 1400",
        "+ etc/ppp/peers/sofia (mode 0644, the box has 0600)",
    ]
    diff = run(mixed, "diff", "--host", "plovdiv-gw", "--running", str(out))
    assert diff.exit_code == 1
    assert "-mtu 1400" in diff.stdout.splitlines() and "+mtu 1460" in diff.stdout.splitlines()
    missing = run(mixed, "audit", "--all", "--from", str(mixed["tmp"] / "empty-does-not-exist"))
    assert missing.exit_code == 2  # no such folder: bad input


def test_diff_of_a_box_live_is_the_unified_diff_with_secrets_masked(
    mixed: dict[str, Path], sudo_box: Box
) -> None:
    first = run(mixed, "diff", "--host", "plovdiv-gw", "--format", "json")
    assert first.exit_code == 1, first.output  # never pushed: every file missing
    data = json.loads(first.stdout)
    assert data["status"] == "drift"
    assert "+++ b/etc/ppp/chap-secrets" in data["diff"]
    assert any('"<redacted>"' in line for line in data["diff"])
    push_box(mixed)
    assert run(mixed, "diff", "--host", "plovdiv-gw").exit_code == 0
    peer = sudo_box.root / "etc/ppp/peers/sofia"
    peer.write_text(peer.read_text() + "debug\n")
    edited = run(mixed, "diff", "--host", "plovdiv-gw")
    assert edited.exit_code == 1
    assert edited.stdout.splitlines()[0] == "== plovdiv-gw: drift"
    assert "-debug" in edited.stdout.splitlines()


def test_push_group_reaches_the_box_and_keeps_its_guard(
    mixed: dict[str, Path], sudo_box: Box
) -> None:
    history = str(mixed["tmp"] / "history")
    args = ("push", "--group", "branch", "--dry-run", "--format", "json", "--history", history)
    result = run(mixed, *args)
    assert result.exit_code == 0, result.output
    planned = {h["host"]: h["status"] for h in json.loads(result.stdout)["hosts"]}
    assert planned == {"R-ITD": "planned", "plovdiv-gw": "planned"}
    refused = run(mixed, "push", "--group", "branch", "--yes", "--history", history)
    # without --force: the box's first push changes rules.v4 and the sysctl file
    assert refused.exit_code == 1
    assert "/etc/iptables/rules.v4 (the permanent iptables rules) changes" in refused.output
    assert sudo_box.tree() == {}


def _mtu(mixed: dict[str, Path], mtu: int) -> None:
    site = mixed["inventory"] / "sites" / "plovdiv-linux.yaml"
    site.write_text(re.sub(r"\bmtu: \d+", f"mtu: {mtu}", site.read_text()))


def test_a_plan_records_the_box_hashes_and_is_refused_when_the_box_changed(
    mixed: dict[str, Path], sudo_box: Box
) -> None:
    push_box(mixed)
    _mtu(mixed, 1400)
    plan = mixed["tmp"] / "plan.json"
    made = run(mixed, "plan", "--host", "plovdiv-gw", "-o", str(plan))
    assert made.exit_code == 0, made.output
    (host,) = json.loads(plan.read_text())["hosts"]
    assert host["status"] == "planned" and "+mtu 1400" in host["lines"]
    assert len(host["built_sha256"]) == len(host["running_sha256"]) == 64
    history = str(mixed["tmp"] / "history")
    # someone edits the box after the review: refused, nothing written
    options = sudo_box.root / "etc/ppp/options.pptp"
    options.write_text(options.read_text() + "debug\n")
    before = sudo_box.tree()
    stale = run(mixed, "push", "--plan", str(plan), "--yes", "--history", history)
    assert stale.exit_code == 1
    assert "the box's files changed since the plan was made" in stale.output
    assert sudo_box.tree() == before
    # the build changes after the review: refused before any connection
    options.write_text(options.read_text().replace("debug\n", ""))
    assert run(mixed, "plan", "--host", "plovdiv-gw", "-o", str(plan)).exit_code == 0
    _mtu(mixed, 1390)
    rebuilt = run(mixed, "push", "--plan", str(plan), "--yes", "--history", history)
    assert rebuilt.exit_code == 1 and "the build changed since the plan was made" in rebuilt.output
    # as reviewed: pushed exactly
    _mtu(mixed, 1400)
    pushed = run(mixed, "push", "--plan", str(plan), "--yes", "--history", history)
    assert pushed.exit_code == 0, pushed.output
    assert "mtu 1400" in (sudo_box.root / "etc/ppp/peers/sofia").read_text()
