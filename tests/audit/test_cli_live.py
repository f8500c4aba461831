"""The diff, audit and backup commands: exit codes, output formats, no tracebacks.

Offline cases read saved configs; live cases talk SSH to the simulator through
its targets file (which pins each router's host key).
"""

from __future__ import annotations

import json
import socket
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import pytest
from typer.testing import CliRunner

from iosgen.cli import app
from tests.audit.audit_mutations import HOSTS


def run(*args: str | Path) -> Any:
    result = CliRunner().invoke(app, [str(a) for a in args])
    assert "Traceback" not in result.output
    return result


@pytest.fixture
def saved(tmp_path: Path, intended: dict[str, str]) -> Path:
    folder = tmp_path / "saved"
    folder.mkdir()
    for host, text in intended.items():
        (folder / f"{host}.cfg").write_text(text)
    return folder


def test_diff_site_file_against_a_saved_config(
    inventory_dir: Path, saved: Path, intended: dict[str, str]
) -> None:
    site = inventory_dir / "sites" / "plovdiv.yaml"
    same = run("diff", site, "--running", saved / "R-ITD.cfg")
    assert same.exit_code == 0, same.output
    drifted = saved / "drifted.cfg"
    drifted.write_text(intended["R-ITD"].replace(" mtu 1460", " mtu 1400"))
    result = run("diff", site, "--running", drifted, "--format", "json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data == {
        "host": "R-ITD",
        "status": "drift",
        "remediation": ["interface Dialer2", " mtu 1460"],
        "rollback": ["interface Dialer2", " mtu 1400"],
        "drift": {
            "real": ["- interface Dialer2 > mtu 1400", "+ interface Dialer2 > mtu 1460"],
            "cosmetic": [],
            "secret_only": [],
        },
    }


def test_audit_from_saved_one_unreadable_file_is_that_hosts_problem(
    inventory_dir: Path, saved: Path
) -> None:
    # A capture that is no config at all is bad input for that host only: the others
    # are still audited, then the run exits 2.
    (saved / "R-VARNA.cfg").write_bytes(b"\x00\x01binary\xff" * 20)
    result = run("audit", "--all", "-i", inventory_dir, "--from", saved, "--format", "json")
    assert result.exit_code == 2, result.output
    data = {d["host"]: d["status"] for d in json.loads(result.stdout)}
    assert data == {"R-ITD": "in_sync", "R-RUSE": "in_sync", "R-VARNA": "unreachable"}


def test_diff_masks_secrets_unless_asked(
    inventory_dir: Path, saved: Path, intended: dict[str, str]
) -> None:
    site = inventory_dir / "sites" / "plovdiv.yaml"
    drifted = saved / "drifted.cfg"
    drifted.write_text(intended["R-ITD"].replace("ppp chap password 7 ", "ppp chap password 7 1"))
    masked = run("diff", site, "--running", drifted)
    assert masked.exit_code == 1
    assert " ppp chap password 7 <redacted>" in masked.stdout
    shown = run("diff", site, "--running", drifted, "--show-secrets")
    assert "ppp chap password 7 0123035155" in shown.stdout


def test_audit_from_saved_configs(
    inventory_dir: Path, saved: Path, intended: dict[str, str]
) -> None:
    common = ("-i", inventory_dir, "--from", saved)
    assert run("audit", "--all", *common).exit_code == 0
    (saved / "R-VARNA.cfg").write_text(intended["R-VARNA"] + "logging 192.0.2.9\n")
    result = run("audit", "--all", *common, "--format", "json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert [(d["host"], d["status"]) for d in data] == [
        ("R-ITD", "in_sync"),
        ("R-RUSE", "in_sync"),
        ("R-VARNA", "drift"),
    ]
    assert data[2]["remediation"] == ["no logging 192.0.2.9"]
    (saved / "R-ITD.cfg").unlink()
    junit = run("audit", "--all", *common, "--format", "junit")
    assert junit.exit_code == 3
    suite = ET.fromstring(junit.stdout).find("testsuite")
    assert suite is not None
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == ("3", "1", "1")
    text = run("audit", "--group", "branch", *common)
    assert text.exit_code == 3
    assert text.stdout.splitlines()[0].split() == [
        "host",
        "status",
        "real",
        "cosmetic",
        "secret-only",
    ]
    assert "R-ITD    unreachable" in text.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("audit",), "choose the routers"),
        (("audit", "--all", "--host", "R-ITD"), "error: --host and --all are mutually exclusive"),
        (
            ("push", "--host", "R-ITD", "--group", "branch", "--all"),
            "--host, --group and --all are",
        ),
        (("backup", "-o", "x", "--host", "R-ITD", "--all"), "--host and --all are mutually"),
        (("audit", "--host", "R-NOPE", "--from", "."), "no site with hostname 'R-NOPE'"),
        (("audit", "--all", "--format", "xml"), "--format must be one of"),
        (("diff",), "give a site file"),
        (("backup", "-o", "x"), "choose the routers"),
    ],
    ids=[
        "no-selection",
        "two-selections",
        "three-selections-push",
        "two-selections-backup",
        "unknown-host",
        "bad-format",
        "diff-nothing",
        "backup-nothing",
    ],
)
def test_bad_input_exits_2_with_a_message(
    inventory_dir: Path, args: tuple[str, ...], message: str
) -> None:
    result = run(*args, "-i", inventory_dir)
    assert result.exit_code == 2
    assert message in result.output


# --- live, on the simulator -----------------------------------------------------------


@pytest.fixture
def fresh(sim: Any, intended: dict[str, str]) -> Any:
    for host in HOSTS:
        assert sim.router(host).set_running(intended[host]) == []
    return sim


def live(sim: Any, inventory_dir: Path, tmp_path: Path) -> tuple[str | Path, ...]:
    return ("-i", inventory_dir, "--targets", sim.targets_file, "--known-hosts", tmp_path / "kh")


def test_live_audit_diff_and_backup(
    fresh: Any, inventory_dir: Path, tmp_path: Path, intended: dict[str, str]
) -> None:
    opts = live(fresh, inventory_dir, tmp_path)
    assert run("audit", "--all", *opts).exit_code == 0
    fresh.router("R-ITD").set_running(
        intended["R-ITD"].replace("ppp encrypt mppe auto", "ppp encrypt mppe 40")
    )
    diff = run("diff", "--host", "R-ITD", *opts, "--format", "json")
    assert diff.exit_code == 1
    assert json.loads(diff.stdout)["remediation"] == ["interface Dialer2", " ppp encrypt mppe auto"]
    backup = run("backup", "--all", "-o", tmp_path / "bk", *opts)
    assert backup.exit_code == 0, backup.output
    saved = (tmp_path / "bk" / "R-RUSE.cfg").read_text()
    assert "username ivan privilege 0 password 7 <redacted>" in saved
    assert "060F192042030D1C0818" not in saved and "$1$" not in saved
    # a redacted backup still audits: secrets it hides are reported, not compared
    audit = run(
        "audit", "--all", "-i", inventory_dir, "--from", tmp_path / "bk", "--format", "json"
    )
    assert audit.exit_code == 1
    statuses = {d["host"]: d["status"] for d in json.loads(audit.stdout)}
    assert statuses == {"R-ITD": "drift", "R-RUSE": "in_sync", "R-VARNA": "in_sync"}


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_unreachable_router_does_not_stop_the_fleet(
    fresh: Any, inventory_dir: Path, tmp_path: Path
) -> None:
    targets = Path(fresh.targets_file).read_text()
    port = fresh.targets["R-RUSE"].port
    broken = tmp_path / "targets.yaml"
    broken.write_text(targets.replace(f"port: {port}", f"port: {_closed_port()}"))
    result = run(
        "audit",
        "--all",
        "-i",
        inventory_dir,
        "--targets",
        broken,
        "--known-hosts",
        tmp_path / "kh",
        "--format",
        "json",
    )
    assert result.exit_code == 3
    data = {d["host"]: d for d in json.loads(result.stdout)}
    assert data["R-RUSE"]["status"] == "unreachable"
    # the reason is in the JSON of that host only; the others keep the shape
    assert set(data["R-RUSE"]) == {"host", "status", "remediation", "rollback", "drift", "error"}
    assert set(data["R-ITD"]) == {"host", "status", "remediation", "rollback", "drift"}
    assert data["R-RUSE"]["error"].endswith(": connection refused (nothing listens on that port)")
    assert f"error: R-RUSE: {data['R-RUSE']['error']}\n" in result.stderr
    assert data["R-ITD"]["status"] == data["R-VARNA"]["status"] == "in_sync"


def test_backup_saves_the_reachable_routers_and_exits_3(
    fresh: Any, inventory_dir: Path, tmp_path: Path
) -> None:
    targets = Path(fresh.targets_file).read_text()
    port = fresh.targets["R-RUSE"].port
    broken = tmp_path / "targets.yaml"
    broken.write_text(targets.replace(f"port: {port}", f"port: {_closed_port()}"))
    out = tmp_path / "bk"
    result = run(
        "backup", "--all", "-o", out, "-i", inventory_dir, "--targets", broken,
        "--known-hosts", tmp_path / "kh",
    )  # fmt: skip
    assert result.exit_code == 3
    assert result.stdout.splitlines() == [
        f"saved {out / 'R-ITD.cfg'}",
        f"saved {out / 'R-VARNA.cfg'}",
    ]
    assert result.stderr.startswith("error: R-RUSE: ")
    assert sorted(p.name for p in out.iterdir()) == ["R-ITD.cfg", "R-VARNA.cfg"]


def test_unknown_host_key_is_refused_unless_accepted(
    fresh: Any, inventory_dir: Path, tmp_path: Path
) -> None:
    unpinned = tmp_path / "targets.yaml"
    unpinned.write_text(
        "\n".join(
            line
            for line in Path(fresh.targets_file).read_text().splitlines()
            if "host_key" not in line
        )
    )
    args = (
        "audit",
        "--host",
        "R-ITD",
        "-i",
        inventory_dir,
        "--targets",
        unpinned,
        "--known-hosts",
        tmp_path / "kh",
    )
    refused = run(*args)
    assert refused.exit_code == 3
    assert "--accept-new-host-key" in refused.output
    assert run(*args, "--accept-new-host-key").exit_code == 0
    assert run(*args).exit_code == 0  # remembered in the known-hosts file


def _reasons(args: tuple[str | Path, ...]) -> dict[str, str]:
    """The reason `audit` gives for R-ITD in each format (text, json, junit), and on
    stderr; asserting that each format says it exactly once, with no `error: error:`."""
    out: dict[str, str] = {}
    for fmt in ("text", "json", "junit"):
        result = run("audit", "--host", "R-ITD", *args, "--format", fmt)
        assert result.exit_code == 3, result.output
        assert "error: error:" not in result.output and "connection creation" not in result.output
        if fmt == "json":
            out[fmt] = json.loads(result.stdout)[0]["error"]
        elif fmt == "junit":
            error = ET.fromstring(result.stdout).find("testsuite/testcase/error")
            assert error is not None and error.text == error.get("message")
            out[fmt] = str(error.get("message"))
        else:
            lines = result.stdout.splitlines()
            out[fmt] = lines[lines.index("== R-ITD: unreachable") + 1].strip()
        if fmt != "text":
            out[f"{fmt} stderr"] = result.stderr.strip().removeprefix("error: R-ITD: ")
    return out


def test_a_refused_connection_has_one_reason_in_every_format(
    inventory_dir: Path, tmp_path: Path
) -> None:
    port = _closed_port()
    targets = tmp_path / "targets.yaml"
    targets.write_text(f"R-ITD: {{host: 127.0.0.1, port: {port}, username: netops, password: x}}")
    reasons = _reasons(("-i", inventory_dir, "--targets", targets))
    expected = f"unreachable at 127.0.0.1:{port}: connection refused (nothing listens on that port)"
    assert set(reasons.values()) == {expected}, reasons
    diff = run("diff", "--host", "R-ITD", "-i", inventory_dir, "--targets", targets)
    assert diff.exit_code == 3 and diff.stderr == f"error: R-ITD: {expected}\n"


def test_a_refused_login_has_one_reason_in_every_format(
    fresh: Any, inventory_dir: Path, tmp_path: Path
) -> None:
    from iosgen.sim import Fault

    fresh.set_faults("R-ITD", [Fault("R-ITD", "bad-password")])
    try:
        reasons = _reasons(live(fresh, inventory_dir, tmp_path))
    finally:
        fresh.set_faults("R-ITD", [])
    assert set(reasons.values()) == {"login as 'netops' was refused"}, reasons


def test_an_unknown_host_key_has_its_reason_and_hint_in_every_format(
    fresh: Any, inventory_dir: Path, tmp_path: Path
) -> None:
    unpinned = tmp_path / "targets.yaml"
    unpinned.write_text(
        "\n".join(
            line
            for line in Path(fresh.targets_file).read_text().splitlines()
            if "host_key" not in line
        )
    )
    args = ("-i", inventory_dir, "--targets", unpinned, "--known-hosts", tmp_path / "kh")
    reasons = set(_reasons(args).values())
    assert len(reasons) == 1, reasons
    reason = reasons.pop()
    assert reason.startswith("SSH host key of 127.0.0.1:") and "is not known (SHA256:" in reason
    assert reason.endswith("; check the fingerprint, then run again with --accept-new-host-key")


def test_a_config_nested_3000_levels_is_a_located_error(
    inventory_dir: Path, tmp_path: Path
) -> None:
    deep = tmp_path / "deep.cfg"
    deep.write_text("".join(" " * i + f"interface Loopback{i}\n" for i in range(3000)))
    result = run("diff", inventory_dir / "sites" / "plovdiv.yaml", "--running", deep)
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [
        f"{deep}:33:33: nested more than 32 levels deep: not a config IOS prints"
    ]
    saved = tmp_path / "saved"
    saved.mkdir()
    (saved / "R-ITD.cfg").write_text(deep.read_text())
    audit = run("audit", "--host", "R-ITD", "-i", inventory_dir, "--from", saved)
    assert audit.exit_code == 2
    assert "R-ITD.cfg:33:33: nested more than 32 levels deep" in audit.output
