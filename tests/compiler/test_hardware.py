"""Hardware profiles: the ports each chassis and module give, the image string, and sites
that use them building (or refused at the key that names a missing port)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from iosgen.cli import app
from iosgen.ios import hardware
from iosgen.ios.hardware import Image, parse_image, ports_of
from iosgen.ios.names import canonical_ios_name

SITE = """\
hostname: R-HW
management:
  host: 198.51.100.10
  username: netops
  password: ${IOSGEN_TEST_PASSWORD}
hardware:
  model: "MODEL"
  modules: MODULES
interfaces:
  WAN:
    role: wan
    ipv4: dhcp
  LAN:
    role: lan
    ipv4: 192.168.10.1/24
internet_nat: true
"""


def build(tmp_path: Path, model: str, wan: str, lan: str, modules: str = "{}") -> tuple[int, str]:
    text = SITE.replace("MODEL", model).replace("MODULES", modules)
    text = text.replace("  WAN:", f"  {wan}:").replace("  LAN:", f"  {lan}:")
    (tmp_path / "site.yaml").write_text(text)
    out = tmp_path / "out.cfg"
    out.unlink(missing_ok=True)
    result = CliRunner().invoke(app, ["build", str(tmp_path / "site.yaml"), "-o", str(out)])
    return result.exit_code, out.read_text() if out.exists() else result.stderr


@pytest.fixture(autouse=True)
def _password(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IOSGEN_TEST_PASSWORD", "test-password")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12.4(25d)", Image(12, 4, 25, "", "d")),
        ("12.4(15)T7", Image(12, 4, 15, "T")),
        ("12.3(8)T4", Image(12, 3, 8, "T")),
        ("12.4(24)T5", Image(12, 4, 24, "T")),
        ("12.4(11)XJ4", Image(12, 4, 11, "XJ")),
        ("15.1(4)M10", Image(15, 1, 4, "M")),
    ],
)
def test_parse_image(text: str, expected: Image) -> None:
    assert parse_image(text) == expected
    major, minor, release, train, _rebuild = parse_image(text) or ()
    assert (major, minor, release, train) == tuple(expected)[:4]


@pytest.mark.parametrize(
    "text", ["12.4", "12.4(25d", "12.4(25)t", "12.4(\uff12\uff15)", "12.4(25d)T7 ", "c2801-12.4"]
)
def test_parse_image_refuses_what_is_not_a_version(text: str) -> None:
    assert parse_image(text) is None


def test_every_profile_port_is_a_canonical_ios_name() -> None:
    """The profile and the name canonicaliser agree, so no listed port is unreachable."""
    for model, chassis in hardware.CHASSIS.items():
        for name in chassis.routed + chassis.switch_ports:
            assert canonical_ios_name(name) == name, (model, name)
        for slot in chassis.hwic_slots:
            for module in hardware.MODULES:
                ports = ports_of(model, {slot: module})
                assert ports is not None, (model, slot, module)
                for port in ports.routed | ports.switch_ports:
                    assert canonical_ios_name(port) == port, (model, slot, module, port)


def test_a_hwic_4esw_in_slot_0_1_of_a_2801_gives_switch_ports_0_1_0_to_3() -> None:
    ports = ports_of("2801", {"0/1": "HWIC-4ESW"})
    assert ports is not None
    assert ports.switch_ports == {f"FastEthernet0/1/{n}" for n in range(4)}
    assert ports.routed == {"FastEthernet0/0", "FastEthernet0/1"}
    assert ports.problem("Vlan1") == ""
    assert "switch port" in ports.problem("FastEthernet0/1/2")
    assert "no FastEthernet0/1/4" in ports.problem("FastEthernet0/1/4")
    bare = ports_of("2801", {})
    assert bare is not None and "no Vlan1" in bare.problem("Vlan1")


def test_serial_wic_and_subinterfaces() -> None:
    ports = ports_of("2811", {"0/0": "WIC-2T", "0/3": "HWIC-1ADSL"})
    assert ports is not None
    assert {"Serial0/0/0", "Serial0/0/1", "ATM0/3/0"} <= ports.routed
    assert ports.problem("FastEthernet0/0.10") == ""
    assert ports.problem("Serial0/0/0.1") == "Serial0/0/0 takes no subinterfaces"
    assert ports.problem("Dialer256") == "Dialer numbers are 0-255"
    assert ports.problem("Loopback0") == ""


def test_profile_mistakes_are_listed() -> None:
    assert ports_of("2801", {"0/3": "WIC-1T"}) is None
    problems = hardware.hardware_problems("2801", {"0/3": "WIC-1T", "0/2": "HWIC-4ESW"})
    assert problems == [
        (
            ("modules", "0/3"),
            "a 2801 has no slot 0/3 for data interface cards (slots: 0/0, 0/1, 0/2)",
        ),
        (("modules", "0/2"), "HWIC-4ESW needs a HWIC slot; on a 2801 those are 0/0, 0/1"),
    ]
    assert hardware.hardware_problems("871", {"0/0": "WIC-1T"})[0][1].endswith("(slots: none)")


def test_an_871_builds_with_its_wan_port_and_vlan1(tmp_path: Path) -> None:
    code, out = build(tmp_path, "871", "Fa4", "Vlan1")
    assert code == 0, out
    assert "interface FastEthernet4\n" in out and "interface Vlan1\n" in out


def test_an_871_switch_port_cannot_hold_the_lan_address(tmp_path: Path) -> None:
    code, err = build(tmp_path, "871", "Fa4", "Fa0")
    assert code == 2
    assert "interfaces.FastEthernet0: FastEthernet0 is a switch port (layer 2)" in err


def test_a_2801_with_a_hwic_4esw_builds_its_lan_on_vlan1(tmp_path: Path) -> None:
    code, out = build(tmp_path, "2801", "Fa0/0", "Vlan1", '{"0/1": HWIC-4ESW}')
    assert code == 0, out
    assert "interface Vlan1\n" in out


def test_a_2821_has_gigabit_ports_not_fast_ethernet(tmp_path: Path) -> None:
    code, out = build(tmp_path, "2821", "Gi0/0", "Gi0/1")
    assert code == 0, out
    code, err = build(tmp_path, "2821", "Fa0/0", "Gi0/1")
    assert code == 2 and "this router has no FastEthernet0/0 (it has GigabitEthernet0/0" in err


def test_the_model_may_be_an_unquoted_number(tmp_path: Path) -> None:
    text = SITE.replace('"MODEL"', "1841").replace("MODULES", "{}")
    text = text.replace("  WAN:", "  Fa0/0:").replace("  LAN:", "  Fa0/1:")
    (tmp_path / "site.yaml").write_text(text)
    result = CliRunner().invoke(app, ["build", str(tmp_path / "site.yaml")])
    assert result.exit_code == 0, result.stderr


def test_the_virtual_template_of_the_pptp_server_is_not_a_site_interface(tmp_path: Path) -> None:
    text = SITE.replace("MODEL", "2801").replace("MODULES", "{}")
    text = text.replace("  WAN:", "  Fa0/0:").replace("  LAN:", "  Fa0/1:")
    text += "  Virtual-Template1:\n    role: lan\n    ipv4: 192.168.20.1/24\n"
    text = text.replace("internet_nat: true\n", "")
    text += "internet_nat: true\npptp_server:\n  pool: [192.168.10.200, 192.168.10.210]\n"
    text += "  users:\n    ivan: ${IOSGEN_TEST_PASSWORD}\n"
    (tmp_path / "site.yaml").write_text(text)
    result = CliRunner().invoke(app, ["build", str(tmp_path / "site.yaml")])
    assert result.exit_code == 2
    assert "interfaces.Virtual-Template1: Virtual-Template1 is the PPTP server's" in result.stderr


@pytest.mark.parametrize(
    "name", ["FastEthernet\uff10/0", "Fa\u0660/0", "Fa0/\u0967", "Fa\u00a00/0"]
)
def test_canonical_names_take_ascii_digits_only(name: str) -> None:
    assert canonical_ios_name(name) is None
    assert canonical_ios_name("fastethernet 0/0") == "FastEthernet0/0"
