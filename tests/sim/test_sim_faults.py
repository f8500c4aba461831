"""Every injected fault, seen through netmiko."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import paramiko
import pytest
from netmiko.exceptions import ConfigInvalidException, NetmikoAuthenticationException
from sim_helpers import ERRORS, connect

from iosgen.sim import Fault, RouterSpec, SimFleet

NAT_LINE = "ip nat inside source route-map VPN interface Dialer2 overload"


@pytest.fixture(scope="module")
def faulty(state_dir: Path) -> Iterator[SimFleet]:
    names = ["F-DROP", "F-REJECT", "F-DELAY", "F-AUTH", "F-NAT", "F-OK"]
    faults = [
        Fault("F-DROP", "drop-after", "3"),
        Fault("F-REJECT", "reject", r"^snmp-server"),
        Fault("F-DELAY", "delay-ms", "60"),
        Fault("F-AUTH", "bad-password"),
        Fault("F-NAT", "nat-in-use"),
    ]
    specs = [RouterSpec(n, "netops", "pw") for n in names]
    with SimFleet(specs, state_dir=state_dir / "faults", faults=faults) as fleet:
        yield fleet


def test_fault_parsing() -> None:
    assert Fault.parse("R-ITD:drop-after=5") == Fault("R-ITD", "drop-after", "5")
    assert Fault.parse("*:reject=^ip nat") == Fault("*", "reject", "^ip nat")
    assert Fault.parse("*:bad-password") == Fault("*", "bad-password")
    for bad in ["R1", "R1:explode", "R1:drop-after", "R1:delay-ms=fast", "R1:reject=("]:
        with pytest.raises(Exception):  # noqa: B017  (ValueError or re.error)
            Fault.parse(bad)


def test_drop_after_n_config_lines(faulty: SimFleet) -> None:
    conn = connect(faulty, "F-DROP")
    lines = ["interface Dialer2", "mtu 1460", "description one", "description two", "mtu 1400"]
    with pytest.raises(Exception):  # noqa: B017  (the session is gone: netmiko's error varies)
        conn.send_config_set(lines, read_timeout=2)
    running = faulty.router("F-DROP").running_config()
    assert "interface Dialer2\n mtu 1460\n description one" not in running  # order is IOS's
    assert " description one\n mtu 1460\n" in running
    assert "description two" not in running


def test_reject_matching_lines(faulty: SimFleet) -> None:
    conn = connect(faulty, "F-REJECT")
    try:
        with pytest.raises(ConfigInvalidException):
            conn.send_config_set(
                ["hostname F-REJECT", "snmp-server community public RO"], error_pattern=ERRORS
            )
        out = conn.send_config_set(["snmp-server community public RO"])
        assert "^\n% Invalid input detected at '^' marker." in out
    finally:
        conn.disconnect()
    assert "snmp-server" not in faulty.router("F-REJECT").running_config()


def test_delay_every_answer(faulty: SimFleet) -> None:
    conn = connect(faulty, "F-DELAY")
    try:
        start = time.monotonic()
        out = conn.send_command("show running-config | include hostname")
        assert out == "hostname F-DELAY"
        assert time.monotonic() - start >= 0.06
    finally:
        conn.disconnect()


def test_bad_password(faulty: SimFleet) -> None:
    with pytest.raises(NetmikoAuthenticationException):
        connect(faulty, "F-AUTH")


def test_nat_in_use_asks_before_removing(faulty: SimFleet) -> None:
    handle = faulty.router("F-NAT")
    handle.reset()
    conn = connect(faulty, "F-NAT")
    try:
        conn.send_config_set([NAT_LINE], error_pattern=ERRORS)
        conn.config_mode()
        conn.write_channel(f"no {NAT_LINE}\n")
        out = conn.read_until_pattern(r"\[no\]: ")
        assert out.endswith("Dynamic mapping in use, do you want to delete all entries? [no]: ")
        conn.write_channel("\n")  # anything but yes keeps it
        conn.read_until_pattern(r"\(config\)#")
        assert NAT_LINE in handle.running_config()
        conn.write_channel(f"no {NAT_LINE}\n")
        conn.read_until_pattern(r"\[no\]: ")
        conn.write_channel("yes\n")
        conn.read_until_pattern(r"\(config\)#")
        assert NAT_LINE not in handle.running_config()
        # with the translations cleared, no question
        conn.exit_config_mode()
        conn.send_config_set([NAT_LINE])
        conn.send_command("clear ip nat translation *")
        conn.send_config_set([f"no {NAT_LINE}"], error_pattern=ERRORS, read_timeout=5)
        assert NAT_LINE not in handle.running_config()
    finally:
        conn.disconnect()


def test_faults_change_at_run_time(faulty: SimFleet) -> None:
    faulty.set_faults("F-OK", [Fault("F-OK", "bad-password")])
    with pytest.raises(NetmikoAuthenticationException):
        connect(faulty, "F-OK")
    faulty.set_faults("F-OK", [])
    connect(faulty, "F-OK").disconnect()


def server_key(host: str, port: int) -> str:
    transport = paramiko.Transport((host, port))
    try:
        transport.start_client(timeout=10)
        return f"ssh-rsa {transport.get_remote_server_key().get_base64()}"
    finally:
        transport.close()


def test_new_host_key_at_start_and_at_run_time(state_dir: Path) -> None:
    spec = RouterSpec("K1", "netops", "pw")
    with SimFleet([spec], state_dir=state_dir / "keys") as fleet:
        t = fleet.targets["K1"]
        normal = t.host_key
        assert server_key(t.host, t.port) == normal
        fleet.set_faults("K1", [Fault("K1", "new-host-key")])
        changed = fleet.targets["K1"].host_key
        assert changed != normal
        assert server_key(t.host, t.port) == changed
        fleet.set_faults("K1", [])
        assert server_key(t.host, t.port) == normal
    # persisted: a restart presents the same key; the fault presents the other one
    with SimFleet([spec], state_dir=state_dir / "keys") as fleet:
        assert fleet.targets["K1"].host_key == normal
    with SimFleet(
        [spec], state_dir=state_dir / "keys", faults=[Fault("*", "new-host-key")]
    ) as fleet:
        t = fleet.targets["K1"]
        assert t.host_key == changed
        assert server_key(t.host, t.port) == changed
