"""The chassis and its modules decide which interfaces a simulated router has."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sim_helpers import body, connect, typed

from iosgen.sim import RouterSpec, SimFleet
from iosgen.sim.config import Config
from iosgen.sim.hardware import CHASSIS, profile
from iosgen.sim.router import Router
from iosgen.sim.shell import Shell


def run(router: Router, *lines: str) -> str:
    shell = Shell(router, "netops")
    shell.greeting()
    out = ""
    for line in lines:
        out += "".join(text for text, _ in shell.feed(line + "\r"))
    return out


def test_a_bare_2801_refuses_ports_it_lacks_with_the_caret_at_the_number() -> None:
    router = Router(RouterSpec("R1", "netops", "pw"))
    out = run(router, "terminal length 0", "configure terminal", "interface FastEthernet0/2")
    # under the "2": the prompt (11) plus "interface FastEthernet0/" (24)
    assert "R1(config)#interface FastEthernet0/2\n" + " " * 35 + "^\n" in out
    assert "% Invalid input detected at '^' marker." in out
    out = run(router, "configure terminal", "interface Fa0/9", "interface Serial0/0/0")
    assert out.count("% Invalid input") == 2


def test_hwic_4esw_in_slot_1_of_a_2801_adds_four_switch_ports() -> None:
    spec = RouterSpec("R1", "netops", "pw", modules=(("0/1", "HWIC-4ESW"),))
    router = Router(spec)
    out = run(router, "terminal length 0", "show ip interface brief")
    names = [ln.split()[0] for ln in out.splitlines() if ln.startswith("FastEthernet")]
    assert names == [
        "FastEthernet0/0",
        "FastEthernet0/1",
        "FastEthernet0/1/0",
        "FastEthernet0/1/1",
        "FastEthernet0/1/2",
        "FastEthernet0/1/3",
    ]
    text = router.running_text()
    # a switch port prints no defaults, a routed port its address and duplex/speed
    assert "interface FastEthernet0/1/3\n!\n" in text
    assert "interface FastEthernet0/1\n no ip address\n duplex auto\n speed auto\n" in text
    out = run(router, "configure terminal", "interface FastEthernet0/1/2", "description x", "end")
    assert "Invalid" not in out
    assert "interface FastEthernet0/1/2\n description x\n" in router.running_text()
    assert "% Removal of physical" in run(router, "conf t", "no interface FastEthernet0/1/0")


@pytest.mark.parametrize(
    ("model", "modules", "has", "lacks"),
    [
        ("871", (), ["FastEthernet4", "FastEthernet0"], ["FastEthernet0/0"]),
        ("877", (), ["ATM0"], ["FastEthernet4"]),
        ("1801", (), ["ATM0", "BRI0", "FastEthernet9"], ["FastEthernet1"]),
        ("1812", (), ["FastEthernet1", "BRI0"], ["ATM0"]),
        ("1841", (("0/0", "WIC-1T"),), ["Serial0/0/0"], ["Serial0/0/1"]),
        ("2811", (("0/3", "WIC-2T"),), ["Serial0/3/1"], ["GigabitEthernet0/0"]),
        ("2821", (("0/0", "HWIC-ADSL-B/ST"),), ["GigabitEthernet0/1", "ATM0/0/0", "BRI0/0/0"], []),
        ("2851", (("0/2", "WIC-1B-S/T"),), ["BRI0/2/0"], ["FastEthernet0/0"]),
        ("2801", (("0/0", "HWIC-1FE"),), ["FastEthernet0/0/0"], ["FastEthernet0/0/1"]),
    ],
)
def test_chassis_and_modules(
    model: str, modules: tuple[tuple[str, str], ...], has: list[str], lacks: list[str]
) -> None:
    hw = profile(model, modules)
    cfg = Config(hw)
    names = [ln.words[1] for ln in cfg.interfaces()]
    for name in has:
        assert name in names
    for name in lacks:
        assert name not in names
        _, out = typed([f"interface {name}"], cfg)
        assert "% Invalid input" in out[0]


def test_show_version_names_the_chassis_and_its_ports() -> None:
    router = Router(RouterSpec("R1", "netops", "pw", model="2821", modules=(("0/0", "WIC-2T"),)))
    out = run(router, "terminal length 0", "show version")
    assert "2800 Software (C2800NM-ADVIPSERVICESK9-M), Version 12.4(25d)" in out
    assert 'System image file is "flash:c2800nm-advipservicesk9-mz.124-25d.bin"' in out
    assert "Cisco 2821 (revision" in out
    assert "2 Gigabit Ethernet interfaces\n2 Serial interfaces\n" in out
    bare = run(Router(RouterSpec("R1", "netops", "pw")), "terminal length 0", "show version")
    assert "2 FastEthernet interfaces\n1 Virtual Private Network (VPN) Module\n" in bare


def test_a_bare_2801_prints_the_same_as_before() -> None:
    text = body(Config())
    assert "interface FastEthernet0/0\n no ip address\n duplex auto\n speed auto\n!\n" in text
    assert text.count("interface ") == 2


def test_every_chassis_boots_bare() -> None:
    for model in CHASSIS:
        router = Router(RouterSpec("R1", "netops", "pw", model=model))
        assert router.load_errors == [], model


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        (RouterSpec("R1", "u", "p", model="2999"), "unknown router model '2999'"),
        (RouterSpec("R1", "u", "p", modules=(("0/2", "WIC-1T"),)), "no data module slot '0/2'"),
        (RouterSpec("R1", "u", "p", modules=(("0/1", "NM-X"),)), "unknown module 'NM-X'"),
        (RouterSpec("R1", "u", "p", model="871", modules=(("0/0", "WIC-1T"),)), "slots: none"),
    ],
)
def test_impossible_hardware_is_refused(spec: RouterSpec, message: str, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=message):
        SimFleet([spec], state_dir=tmp_path)


@pytest.fixture(scope="module")
def branch(state_dir: Path) -> Iterator[SimFleet]:
    spec = RouterSpec("B1", "netops", "pw", model="1841", modules=(("0/1", "HWIC-4ESW"),))
    with SimFleet([spec], state_dir=state_dir / "hardware") as fleet:
        yield fleet


def test_over_ssh_the_hardware_is_what_netmiko_sees(branch: SimFleet) -> None:
    conn = connect(branch, "B1")
    try:
        brief = conn.send_command("show ip interface brief")
        assert "FastEthernet0/1/3" in brief
        out = conn.send_config_set(["interface FastEthernet0/2"])
        assert "% Invalid input detected at '^' marker." in out
        running = conn.send_command("show running-config")
        assert "interface FastEthernet0/1/0\n!" in running
    finally:
        conn.disconnect()
