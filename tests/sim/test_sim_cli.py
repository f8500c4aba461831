"""`iosgen sim` as a user runs it: serves the inventory's sites until Ctrl-C."""

from __future__ import annotations

import os
import shutil
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from sim_helpers import ERRORS

ROOT = Path(__file__).resolve().parents[2]


def iosgen(*args: str) -> list[str]:
    return [sys.executable, "-W", "ignore", "-c", "from iosgen.cli import main; main()", *args]


def test_sim_serves_the_inventory_until_interrupted(tmp_path: Path) -> None:
    from netmiko import ConnectHandler

    # the example inventory, with R-ITD on another chassis: the simulator takes it
    inventory = tmp_path / "inventory"
    shutil.copytree(ROOT / "inventory", inventory)
    site = inventory / "sites" / "plovdiv.yaml"
    site.write_text(
        site.read_text(encoding="utf-8")
        + '\nhardware:\n  model: "1841"\n  modules: {"0/1": HWIC-4ESW}\n',
        encoding="utf-8",
    )
    targets = tmp_path / "targets.yaml"
    proc = subprocess.Popen(
        iosgen(
            "sim",
            "--inventory",
            str(inventory),
            "--host",
            "r-itd",
            "--targets",
            str(targets),
            "--initial",
            "intended",
            "--fault",
            "*:delay-ms=1",
        ),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=dict(os.environ),
    )
    try:
        deadline = time.monotonic() + 30
        while not targets.exists() and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert targets.exists(), proc.stderr.read() if proc.stderr else ""
        entry = yaml.safe_load(targets.read_text())["R-ITD"]
        conn = ConnectHandler(
            device_type="cisco_ios",
            host=entry["host"],
            port=entry["port"],
            username=entry["username"],
            password=entry["password"],
            secret=entry["secret"],
        )
        try:
            conn.enable()
            conn.send_config_set(["interface Dialer2", "mtu 1400"], error_pattern=ERRORS)
            assert "hostname R-ITD" in conn.send_command("show running-config | i ^hostname")
            version = conn.send_command("show version")
            assert "Cisco 1841 (revision" in version and "1841 Software" in version
            brief = conn.send_command("show ip interface brief")
            assert "FastEthernet0/1/3" in brief
            # R-ITD's WAN is `ipv4: dhcp`: its lease is the address iosgen manages it at
            wan = next(ln.split() for ln in brief.splitlines() if ln.startswith("FastEthernet0/0 "))
            assert wan[1:4] == ["198.51.100.10", "YES", "DHCP"], brief
        finally:
            conn.disconnect()
    finally:
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=20)
    assert proc.returncode in (0, 130), err
    assert "R-ITD" in out and "Traceback" not in err
    key = tmp_path / ".iosgen-sim" / "hostkeys" / "R-ITD.key"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600  # a private key: the owner's only
    assert stat.S_IMODE(targets.stat().st_mode) == 0o600  # router passwords
    assert "1841" in out


def test_bad_fault_is_a_usage_error(tmp_path: Path) -> None:
    done = subprocess.run(
        iosgen(
            "sim",
            "--inventory",
            str(ROOT / "inventory"),
            "--targets",
            str(tmp_path / "t.yaml"),
            "--fault",
            "R-ITD:explode",
        ),
        capture_output=True,
        text=True,
        env=dict(os.environ),
        timeout=60,
    )
    assert done.returncode == 2
    assert "unknown fault kind 'explode'" in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "t.yaml").exists()


def test_one_initial_file_for_many_routers_is_refused(tmp_path: Path) -> None:
    cfg = tmp_path / "one.cfg"
    cfg.write_text("hostname X\nend\n")
    done = subprocess.run(
        iosgen(
            "sim",
            "--inventory",
            str(ROOT / "inventory"),
            "--targets",
            str(tmp_path / "t.yaml"),
            "--initial",
            str(cfg),
        ),
        capture_output=True,
        text=True,
        env=dict(os.environ),
        timeout=60,
    )
    assert done.returncode == 2
    assert "one config file for" in done.stderr and "Traceback" not in done.stderr


def test_the_initial_config_report_names_refused_and_held_lines(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """`iosgen sim --initial FILE` says what the router did not take: the lines it refused
    and those it holds verbatim without understanding them, secrets masked."""
    from iosgen.cli.sim import _report_load
    from iosgen.ios.secrets import redact_line
    from iosgen.sim.fleet import RouterHandle
    from iosgen.sim.router import Router, RouterSpec

    text = (
        "hostname R\n!\nvoice service voip\n allow-connections h323 to sip\n!\n"
        "router frobnicate 1\n snmp-community S3cretHeld\n!\n"
        "interface FastEthernet0/1\n ip address 192.168.10.1 255.255.255.0\n!\nend\n"
    )
    router = RouterHandle(Router(RouterSpec("R", "netops", "pw", initial_config=text)))
    assert router.held_count >= 2, router.held_lines
    _report_load("R", router, redact_line)
    err = capsys.readouterr().err
    assert f"note: R: {router.held_count} line(s) held without understanding them" in err
    assert "voice service voip" in err
    assert "initial config line refused" not in err  # held lines are not refused


BASE = "hostname R\nip ssh version 2\n"
LOGINS = [
    ("no-username", BASE + "username admin secret 0 x\nline vty 0 4\n login local\n", "netops"),
    ("no-account-at-all", BASE + "line vty 0 4\n login local\n", "netops"),
    (
        "telnet-only",
        BASE + "username netops secret 0 pw\nline vty 0 4\n transport input telnet\n",
        "SSH",
    ),
    (
        "aaa-list-never-defined",
        BASE
        + "aaa new-model\nusername netops secret 0 pw\nline vty 0 4\n login authentication VTY\n",
        "not defined",
    ),
    ("line-password-only", BASE + "line vty 0 4\n password 0 other\n login\n", "line"),
    ("the-account", BASE + "username netops privilege 15 secret 0 pw\n", None),
    (
        "aaa-default-local",
        BASE
        + "aaa new-model\naaa authentication login default local\nusername netops secret 0 pw\n",
        None,
    ),
    ("aaa-none", BASE + "aaa new-model\naaa authentication login default none\n", None),
]


@pytest.mark.parametrize(("config", "why"), [c[1:] for c in LOGINS], ids=[c[0] for c in LOGINS])
def test_an_initial_config_that_locks_the_management_login_out_is_said(
    config: str, why: str | None, capsys: pytest.CaptureFixture[str]
) -> None:
    from iosgen.cli.sim import _report_login
    from iosgen.sim.fleet import RouterHandle
    from iosgen.sim.router import Router, RouterSpec

    router = RouterHandle(Router(RouterSpec("R", "netops", "pw", initial_config=config)))
    _report_login("R", router, "netops")
    err = capsys.readouterr().err
    if why is None:
        assert err == ""
    else:
        assert "warning: R: nobody will be able to log in as the site's management login" in err
        assert why in err


def test_sim_warns_at_start_when_the_initial_file_has_no_management_account(
    tmp_path: Path,
) -> None:
    # a real router's config (tests/realconfigs): its only account is `admin`
    initial = tmp_path / "r3.cfg"
    initial.write_text(
        (ROOT / "tests" / "realconfigs" / "2811-oxidized-r3.cfg").read_text(encoding="utf-8")
    )
    targets = tmp_path / "targets.yaml"
    args = ["sim", "--inventory", str(ROOT / "inventory"), "--host", "r-itd"]
    args += ["--targets", str(targets), "--initial", str(initial)]
    proc = subprocess.Popen(
        iosgen(*args), stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True
    )
    seen = []
    try:
        assert proc.stderr is not None
        # the warnings come before "targets written to ...; Ctrl-C to stop"
        for line in proc.stderr:
            seen.append(line)
            if "Ctrl-C to stop" in line:
                break
    finally:
        proc.send_signal(signal.SIGINT)
        _out, rest = proc.communicate(timeout=30)
    err = "".join(seen) + rest
    assert "warning: R-ITD: nobody will be able to log in as the site's management login" in err
    assert "Traceback" not in err


def test_a_dhcp_wan_gets_the_management_address_as_its_lease(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from iosgen.cli.sim import dhcp_leases
    from iosgen.model.inventory import load_inventory
    from iosgen.model.secret import read_env_file

    for key, value in read_env_file(ROOT / "inventory" / "example.env").items():
        monkeypatch.setenv(key, value)
    sites = {s.hostname: s for s in load_inventory(ROOT / "inventory", None).sites}
    itd = dhcp_leases(sites["R-ITD"])
    assert itd == (("FastEthernet0/0", "198.51.100.10/24", "198.51.100.1"),)
    assert dhcp_leases(sites["R-VARNA"]) == ()  # a static WAN takes no lease
