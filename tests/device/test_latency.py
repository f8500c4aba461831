"""The simulator's latency-ms fault: a WAN link, bytes in flight, unlike delay-ms."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from iosgen.device.session import Device, DeviceOptions
from iosgen.errors import ConfigLineError
from iosgen.model.targets import Target
from iosgen.sim import Fault, SimFleet

CONFIG_PROMPT_RE = re.compile(r"R-DEV\(config\)#")
LINES = [f"ip route 10.77.{n}.0 255.255.255.0 192.0.2.1" for n in range(20)]


def _prompts(text: str) -> int:
    """Config prompts in `text`: each typed-ahead line's echo follows the last one."""
    return len(CONFIG_PROMPT_RE.findall(text))


def _burst(device: Device, lines: list[str]) -> float:
    """Type every line at once in config mode; the seconds until IOS answered the last."""
    device.command("configure terminal")
    conn = device.conn
    t0 = time.perf_counter()
    conn.write_channel("".join(line + conn.RETURN for line in lines))
    buf = ""
    deadline = time.monotonic() + 30
    while _prompts(buf) < len(lines):
        assert time.monotonic() < deadline, f"no answer to the burst: {buf[-200:]!r}"
        buf += str(conn.read_channel())
        time.sleep(0.002)
    took = time.perf_counter() - t0
    device.command("end")
    return took


def _one_by_one(device: Device, lines: list[str]) -> float:
    device.command("configure terminal")
    t0 = time.perf_counter()
    for line in lines:
        device.command(line)
    took = time.perf_counter() - t0
    device.command("end")
    return took


@pytest.mark.parametrize("kind", ["latency-ms", "delay-ms"], ids=["latency", "delay"])
def test_a_burst_costs_one_round_trip_on_a_link_but_one_per_line_on_a_slow_router(
    sim: SimFleet, target: Target, known: Path, kind: str
) -> None:
    with Device(target, DeviceOptions(known_hosts=known)) as device:
        sim.set_faults("R-DEV", [Fault("R-DEV", kind, "50")])
        took = _burst(device, LINES)
        sim.set_faults("R-DEV", [])
        running = device.running_config()
    if kind == "latency-ms":
        # one round trip is 100 ms (50 each way); 20 lines must share it
        assert 0.095 <= took < 0.35, took
    else:
        # a slow router answers one line at a time, 50 ms each
        assert took >= 20 * 0.05 * 0.95, took
    assert all(line in running for line in LINES)  # IOS ran every typed-ahead line


def test_latency_delays_each_way_and_the_login(sim: SimFleet, target: Target, known: Path) -> None:
    sim.set_faults("R-DEV", [Fault("R-DEV", "latency-ms", "30")])
    t0 = time.perf_counter()
    with Device(target, DeviceOptions(known_hosts=known)) as device:
        login = time.perf_counter() - t0
        took = _one_by_one(device, LINES[:5])
    sim.set_faults("R-DEV", [])
    # the SSH handshake and login are several round trips of 60 ms
    assert login >= 4 * 0.06, login
    # line by line, each line pays its own round trip
    assert took >= 5 * 0.06 * 0.95, took


def test_latency_is_a_whole_number() -> None:
    with pytest.raises(ValueError, match="whole number"):
        Fault("R-DEV", "latency-ms", "fast")


def test_300_lines_at_20_ms_take_few_round_trips(
    sim: SimFleet, target: Target, known: Path
) -> None:
    lines = [f"ip route 10.{78 + n // 250}.{n % 250}.0 255.255.255.0 192.0.2.1" for n in range(300)]
    with Device(target, DeviceOptions(known_hosts=known)) as device:
        sim.set_faults("R-DEV", [Fault("R-DEV", "latency-ms", "20")])
        t0 = time.perf_counter()
        answers = device.send_config(lines)
        took = time.perf_counter() - t0
        sim.set_faults("R-DEV", [])
        window = device.last_window
    assert window is not None
    assert [a.line for a in answers] == lines
    # `configure terminal` and `end` are a round trip each (40 ms), the 300 lines
    # (14 KB, 4 KB in flight) about four
    print(f"300 lines at 20 ms: {took:.3f} s, {took / 0.04:.1f} round trips")
    assert took < 7 * 0.04 + 0.15, took


def test_each_answer_is_its_own_lines(sim: SimFleet, target: Target, known: Path) -> None:
    """A refused line mid-window: its answer is its own, the others' are empty."""
    lines = [f"ip route 10.90.{n}.0 255.255.255.0 192.0.2.1" for n in range(12)]
    lines[5] = "ip route 10.90.5.0 255.255.255.0"  # % Incomplete command.
    seen: list[tuple[str, str]] = []
    with Device(target, DeviceOptions(known_hosts=known)) as device:
        sim.set_faults("R-DEV", [Fault("R-DEV", "latency-ms", "20")])
        with pytest.raises(ConfigLineError) as info:
            device.send_config(lines, on_line=lambda a: seen.append((a.line, a.answer)))
        sim.set_faults("R-DEV", [])
    assert info.value.line == lines[5]
    assert info.value.answer == "% Incomplete command."
    assert [line for line, _ in seen] == lines  # all 12 were in flight and answered
    assert [answer for _, answer in seen] == [""] * 5 + ["% Incomplete command."] + [""] * 6


def test_indented_submode_lines_typed_ahead(sim: SimFleet, target: Target, known: Path) -> None:
    """Lines as a config prints them (sub-mode lines indented, no `exit`): each echo,
    leading spaces and all, follows the prompt of the line before."""
    lines = [
        "vpdn enable",
        "vpdn-group 2",
        " request-dialin",
        "  protocol pptp",
        "  pool-member 2",
        " initiate-to ip 192.0.2.9",
    ]
    with Device(target, DeviceOptions(known_hosts=known, read_timeout=10)) as device:
        sim.set_faults("R-DEV", [Fault("R-DEV", "latency-ms", "10")])
        answers = device.send_config(lines)
        sim.set_faults("R-DEV", [])
        running = device.running_config()
    assert [(a.line, a.answer) for a in answers] == [(line, "") for line in lines]
    assert "  protocol pptp" in running
