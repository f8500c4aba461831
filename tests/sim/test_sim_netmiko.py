"""Real netmiko (`device_type="cisco_ios"`) against the simulated 2801."""

from __future__ import annotations

from typing import Any

import pytest
from netmiko.exceptions import ConfigInvalidException
from sim_helpers import ERRORS, connect

from iosgen.sim import SimFleet


def test_connect_enable_show_config_save_disconnect(fleet: SimFleet) -> None:
    fleet.router("R2").reset()
    conn = connect(fleet, "R2")
    try:
        assert conn.find_prompt() == "R2>"
        conn.enable()
        assert conn.find_prompt() == "R2#"
        assert "Cisco IOS Software" in conn.send_command("show version")
        out = conn.send_config_set(
            [
                "interface FastEthernet0/1",
                "description LAN",
                "ip address 192.168.10.1 255.255.255.0",
            ],
            error_pattern=ERRORS,
        )
        assert "R2(config-if)#description LAN" in out
        assert conn.send_command("show startup-config") == "startup-config is not present"
        saved = conn.save_config()
        assert "[OK]" in saved
        start = conn.send_command("show startup-config")
        assert start.startswith("Using ")
        assert " description LAN\n ip address 192.168.10.1 255.255.255.0\n" in start
    finally:
        conn.disconnect()
    running = fleet.router("R2").running_config()
    assert "interface FastEthernet0/1\n description LAN\n" in running
    assert fleet.router("R2").startup_config() is not None


def test_wrong_enable_secret_three_times_is_bad_secrets(fleet: SimFleet) -> None:
    conn = connect(fleet, "R2")
    try:
        conn.write_channel("enable\n")
        assert conn.read_until_pattern(r"Password: ").endswith("Password: ")
        for _ in range(2):
            conn.write_channel("wrong\n")
            conn.read_until_pattern(r"Password: ")
        conn.write_channel("wrong\n")
        out = conn.read_until_pattern(r"R2>")
        assert "% Bad secrets" in out and "wrong" not in out  # passwords are not echoed
    finally:
        conn.disconnect()


def test_show_running_config_header_and_trailing_blank(r1: Any) -> None:
    raw = r1.send_command("show running-config", strip_prompt=False, strip_command=False)
    lines = raw.splitlines()
    assert lines[0] == "show running-config"
    assert lines[1] == "Building configuration..."
    assert lines[2] == ""
    assert lines[3].startswith("Current configuration : ") and lines[3].endswith(" bytes")
    assert lines[4] == "!"
    assert "version 12.4" in lines[5:8]
    assert lines[-3:] == ["end", "", "R1#"]


def test_config_errors_come_back_exactly(r1: Any) -> None:
    out = r1.send_config_set(["logging 0255.255.1", "logging", "a", "hostname R1"])
    assert (
        "R1(config)#logging 0255.255.1\n"
        "                   ^\n"
        "% Invalid input detected at '^' marker.\n"
        "\n"
        "R1(config)#logging\n"
        "% Incomplete command.\n"
        "\n"
        "R1(config)#a\n"
        '% Ambiguous command:  "a"\n'
        "R1(config)#hostname R1\n"
    ) in out


def test_error_pattern_stops_the_push(r1: Any) -> None:
    with pytest.raises(ConfigInvalidException):
        r1.send_config_set(["interface Dialer2", "ip nat middle", "mtu 1400"], error_pattern=ERRORS)
    assert "ip nat middle" not in r1.send_command("show running-config")


def test_exec_errors(r1: Any) -> None:
    out = r1.send_command("show foooooooo")
    # caret column = len("R1#") + 6: `f` still continues `flash:`
    assert out.splitlines() == [" " * 9 + "^", "% Invalid input detected at '^' marker."]
    assert "% Unknown command or computer name" in r1.send_command("frobnicate")


def test_abbreviations_are_stored_in_full(r1: Any) -> None:
    r1.send_config_set(
        [
            "int fa0/1",
            "desc LAN",
            "ip add 10.1.1.1 255.255.255.0",
            "ip nat in",
            "int di2",
            "ip nat out",
            "exit",
            "ip nat inside source route-map VPN int di2 ov",
        ],
        error_pattern=ERRORS,
    )
    out = r1.send_command("sh run")
    assert (
        "interface FastEthernet0/1\n description LAN\n ip address 10.1.1.1 255.255.255.0\n"
        " ip nat inside\n ip virtual-reassembly\n" in out
    )
    assert "interface Dialer2\n no ip address\n ip nat outside\n ip virtual-reassembly\n" in out
    assert "ip nat inside source route-map VPN interface Dialer2 overload\n" in out


def test_sub_mode_fall_through_prompts(r1: Any) -> None:
    out = r1.send_config_set(
        [
            "vpdn-group 2",
            "request-dialin",
            "protocol pptp",
            "rotary-group 2",
            "initiate-to ip 203.0.113.10",
            "archive",
            "log config",
            "hidekeys",
            "path flash:R1-cfg",
            "route-map VPN permit 10",
            "match interface Dialer2",
            "line vty 0 4",
            "exec-timeout 5 0",
        ],
        error_pattern=ERRORS,
    )
    for prompt_line in [
        "R1(config)#vpdn-group 2",
        "R1(config-vpdn)#request-dialin",
        "R1(config-vpdn-req-in)#protocol pptp",
        "R1(config-vpdn-req-in)#initiate-to ip 203.0.113.10",
        "R1(config-vpdn)#archive",
        "R1(config-archive)#log config",
        "R1(config-archive-log-cfg)#hidekeys",
        "R1(config-archive-log-cfg)#path flash:R1-cfg",
        "R1(config-archive)#route-map VPN permit 10",
        "R1(config-route-map)#match interface Dialer2",
        "R1(config-route-map)#line vty 0 4",
        "R1(config-line)#exec-timeout 5 0",
    ]:
        assert prompt_line in out
    run = r1.send_command("show running-config")
    assert "archive\n log config\n  hidekeys\n path flash:R1-cfg\n!" in run


def test_do_exit_end_and_ctrl_z(r1: Any) -> None:
    r1.config_mode()
    out = r1.send_command("do show running-config | include hostname", expect_string=r"\(config\)#")
    assert out.strip() == "hostname R1"
    r1.write_channel("interface Loopback0\n")
    r1.read_until_pattern(r"\(config-if\)#")
    r1.write_channel("exit\n")
    assert r1.read_until_pattern(r"\(config\)#").rstrip().endswith("R1(config)#")
    r1.write_channel("\x1a")
    assert r1.read_until_pattern(r"R1#").rstrip().endswith("R1#")
    r1.config_mode()
    r1.write_channel("end\n")
    assert r1.read_until_pattern(r"R1#").rstrip().endswith("R1#")


def test_pipes(r1: Any) -> None:
    r1.send_config_set(["interface Dialer2", "mtu 1460", "ip nat outside"])
    assert r1.send_command("show running-config | include ^hostname") == "hostname R1"
    section = r1.send_command("sh run | section interface Dialer")
    assert section.splitlines() == [
        "interface Dialer2",
        " mtu 1460",
        " no ip address",
        " ip nat outside",
        " ip virtual-reassembly",
    ]
    assert r1.send_command("show run | begin ^line").splitlines()[0] == "line con 0"
    brief = r1.send_command("show ip interface brief")
    assert brief.splitlines()[0].split() == [
        "Interface",
        "IP-Address",
        "OK?",
        "Method",
        "Status",
        "Protocol",
    ]


def test_copy_run_start_and_write(r1: Any) -> None:
    out = r1.send_command("copy running-config startup-config", expect_string=r"\?")
    assert out.strip() == "Destination filename [startup-config]?"
    out = r1.send_command("\n", expect_string=r"R1#")
    assert "Building configuration...\n[OK]" in out
    assert "[OK]" in r1.send_command("wr")


def test_flash_copy_dir_more_delete(r1: Any, fleet: SimFleet) -> None:
    out = r1.send_command("copy running-config flash:before-push", expect_string=r"\?")
    assert "Destination filename [before-push]?" in out
    out = r1.send_command("\n", expect_string=r"R1#")
    assert "bytes copied in" in out
    assert fleet.router("R1").flash_files()["before-push"] == fleet.router("R1").running_config()
    listing = r1.send_command("dir flash:")
    assert "before-push" in listing and "c2801-advipservicesk9-mz.124-25d.bin" in listing
    assert r1.send_command("more flash:before-push").startswith("!")
    out = r1.send_command("delete flash:before-push", expect_string=r"\?")
    assert "Delete filename [before-push]?" in out
    out = r1.send_command("\n", expect_string=r"confirm\]")
    assert "Delete flash:before-push? [confirm]" in out
    r1.send_command("\n", expect_string=r"R1#")
    assert fleet.router("R1").flash_files() == {}


def test_configure_replace_with_timer_and_confirm(r1: Any, fleet: SimFleet) -> None:
    r1.send_command("copy running-config flash:good", expect_string=r"\?")
    r1.send_command("\n", expect_string=r"R1#")
    out = r1.send_command("configure replace flash:good force time 5")
    assert out.startswith("%")  # no archive path: refused
    r1.send_config_set(["archive", "path flash:R1-cfg", "interface Dialer7", "mtu 1400"])
    r1.send_command("copy running-config flash:good", expect_string=r"\?")
    r1.send_command("\n", expect_string=r"(confirm|R1#)")
    if "#" not in r1.find_prompt():  # overwrite question
        r1.send_command("\n", expect_string=r"R1#")
    r1.send_config_set(["hostname R1", "interface Dialer9", "mtu 1300"])
    out = r1.send_command("configure replace flash:good force time 5")
    assert "Backing up current running config to flash:R1-cfg-1" in out
    assert out.rstrip().endswith("Rollback Done")
    handle = fleet.router("R1")
    assert handle.rollback_pending
    assert "Dialer9" not in handle.running_config()
    assert handle.expire_rollback_timer()  # time runs out: back to before the replace
    assert "Dialer9" in handle.running_config()
    r1.send_command("configure replace flash:good force time 5")
    r1.send_command("configure confirm")
    assert not handle.rollback_pending
    assert "Dialer9" not in handle.running_config()
    # without force, IOS asks first
    out = r1.send_command("configure replace flash:good", expect_string=r"\[no\]:")
    assert "Enter Y if you are sure you want to proceed. ? [no]:" in out
    r1.send_command("n", expect_string=r"R1#")


def test_reload_dialog(fleet: SimFleet) -> None:
    import time

    fleet.router("R1").reset()
    conn = connect(fleet, "R1")
    try:
        conn.send_config_set(["interface Dialer5", "mtu 1400"])
        out = conn.send_command("reload", expect_string=r"\[yes/no\]:")
        assert "System configuration has been modified. Save? [yes/no]:" in out
        out = conn.send_command("no", expect_string=r"\[confirm\]")
        assert "Proceed with reload? [confirm]" in out
        conn.write_channel("\n")
    finally:
        conn.remote_conn_pre.close()  # the router went away; no `exit` to send
    # never saved: the router comes back with its initial config
    deadline = time.monotonic() + 5
    while "Dialer5" in fleet.router("R1").running_config() and time.monotonic() < deadline:
        time.sleep(0.01)
    assert "Dialer5" not in fleet.router("R1").running_config()


def test_show_version_is_what_netmiko_autodetect_looks_for(r1: Any) -> None:
    # SSHDetect itself probes a dozen vendors' commands for ~2 minutes; check its rule.
    import re

    from netmiko.ssh_autodetect import SSH_MAPPER_DICT

    rule = SSH_MAPPER_DICT["cisco_ios"]
    out = r1.send_command(str(rule["cmd"]))
    assert any(re.search(p, out) for p in rule["search_patterns"])
    assert "Version 12.4(25d)" in out


def test_paging_until_terminal_length_0(fleet: SimFleet) -> None:
    import paramiko

    t = fleet.targets["R1"]
    client = paramiko.SSHClient()
    client.set_missing_host_key_policy(paramiko.AutoAddPolicy())
    client.connect(
        t.host,
        port=t.port,
        username=t.username,
        password=t.password,
        look_for_keys=False,
        allow_agent=False,
    )
    try:
        chan = client.invoke_shell(width=80, height=24)
        chan.settimeout(10)  # a missing marker fails the test instead of hanging it

        def until(marker: str) -> str:
            buf = ""
            while marker not in buf:
                buf += chan.recv(65536).decode()
            return buf

        until("R1#")
        chan.send(b"show running-config\n")
        first = until(" --More-- ")
        assert first.count("\r\n") == 24  # echo line + 23 lines of output
        chan.send(b" ")
        until(" --More-- ")
        chan.send(b"q")
        until("R1#")
        chan.send(b"terminal length 0\nshow running-config\n")
        rest = until("end\r\n\r\nR1#")
        assert "--More--" not in rest
    finally:
        client.close()


def test_terminal_monitor_shows_the_config_syslog(r1: Any) -> None:
    r1.send_command("terminal monitor")
    r1.config_mode()
    r1.write_channel("end\n")
    out = r1.read_until_pattern(r"%SYS-5-CONFIG_I: Configured from console by netops on vty0")
    assert "R1#" in out


def test_load_errors_are_reported(state_dir: Any) -> None:
    from iosgen.sim import RouterSpec

    text = "hostname X1\ninterface Dialer1\n frobnicate\n mtu 1400\nend\n"
    with SimFleet(
        [RouterSpec("X1", "u", "p", initial_config=text)], state_dir=state_dir / "errs"
    ) as fleet:
        handle = fleet.router("X1")
        assert handle.load_errors == ["frobnicate: % Invalid input detected at '^' marker."]
        assert "interface Dialer1\n mtu 1400\n" in handle.running_config()


def test_show_running_config_interface_and_old_spellings(r1: Any) -> None:
    r1.send_config_set(
        ["ip domain-name branch.example", "no ip domain-lookup", "interface Dialer2", "mtu 1460"],
        error_pattern=ERRORS,
    )
    run = r1.send_command("show running-config")
    assert "no ip domain lookup\nip domain name branch.example\n" in run
    out = r1.send_command("show running-config interface Dialer2")
    assert out.splitlines()[-5:] == ["!", "interface Dialer2", " mtu 1460", " no ip address", "end"]
    bad = r1.send_command("show running-config interface Dialer9")
    assert bad.splitlines() == [" " * (3 + 30) + "^", "% Invalid input detected at '^' marker."]


def test_scrambled_typing_prints_in_ios_order_and_no_acl_rule(r1: Any, fleet: SimFleet) -> None:
    r1.send_config_set(
        [
            "route-map VPN permit 10",
            "match interface Dialer2",
            "match ip address 10",
            "access-list 10 permit 192.168.50.0 0.0.0.255",
            "access-list 10 permit 192.168.60.0 0.0.0.255",
            "interface Dialer2",
            "ppp chap hostname plovdiv",
            "ip nat outside",
            "mtu 1460",
            "dialer-list 2 protocol ip permit",
            "ip route 10.20.0.0 255.255.0.0 Dialer2",
            "vpdn enable",
        ],
        error_pattern=ERRORS,
    )
    run = fleet.router("R1").running_config()
    order = [
        run.index(s)
        for s in (
            "vpdn enable",
            "interface Dialer2",
            "ip route 10.20.0.0",
            "access-list 10",
            "dialer-list 2",
            "route-map VPN",
        )
    ]
    assert order == sorted(order)
    assert (
        "interface Dialer2\n mtu 1460\n no ip address\n ip nat outside\n"
        " ip virtual-reassembly\n ppp chap hostname plovdiv\n" in run
    )
    assert "route-map VPN permit 10\n match ip address 10\n match interface Dialer2\n" in run
    r1.send_config_set(["no access-list 10 permit 192.168.60.0 0.0.0.255"], error_pattern=ERRORS)
    assert "access-list 10" not in fleet.router("R1").running_config()


def test_reload_in_cancel_and_due(fleet: SimFleet) -> None:
    handle = fleet.router("R1")
    handle.reset()
    conn = connect(fleet, "R1")
    try:
        conn.save_config()
        out = conn.send_command("reload in 10", expect_string=r"\[confirm\]")
        assert "Reload scheduled in 10 minutes by netops on vty0 (127.0.0.1)" in out
        conn.send_command("\n", expect_string=r"R1#")
        assert handle.reload_pending
        assert conn.send_command("show reload").startswith("Reload scheduled for ")
        conn.send_command("reload cancel")
        assert not handle.reload_pending
        assert conn.send_command("show reload") == "No reload is scheduled."
        conn.send_command("reload in 5", expect_string=r"\[confirm\]")
        conn.send_command("\n", expect_string=r"R1#")
        conn.send_config_set(["interface Dialer3", "mtu 1400"])  # not saved
    finally:
        assert handle.expire_reload_timer()  # due now: every session drops
        conn.remote_conn_pre.close()
    assert "Dialer3" not in handle.running_config()
    assert not handle.reload_pending
