"""Typing a build into a bare router and reading `show running-config` back gives the build.

For ios-reference §8's sample and every `golden/*.cfg`: the lines go in through real
netmiko `send_config_set`; the read-back must equal the file modulo the header
(`Building configuration...`, `Current configuration`, `! Last configuration
change`), runs of `!`, and type-7 salts (compared decoded). Two orderings where
the public references disagree are compared as sets: usernames, and logical
interfaces among themselves (see docs/simulator.md, "Unverified orderings").
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from sim_helpers import ERRORS, FIXTURES, connect

from iosgen.sim import RouterSpec, SimFleet
from iosgen.sim.secrets import type7_decode

ROOT = Path(__file__).resolve().parents[2]
CASES = [FIXTURES / "plovdiv-sample.cfg", *sorted((ROOT / "golden").glob("*.cfg"))]
LOGICAL = re.compile(r"^interface (Loopback|Tunnel|Virtual-Template|Dialer)")


def hostname_of(text: str) -> str:
    m = re.search(r"^hostname (\S+)$", text, re.M)
    assert m, "a build without hostname"
    return m.group(1)


def normalise(text: str) -> list[str]:
    lines = text.replace("\r\n", "\n").split("\n")
    start = next(i for i, ln in enumerate(lines) if ln.startswith("version "))
    lines = lines[start : lines.index("end") + 1]
    out: list[str] = []
    for ln in lines:
        ln = re.sub(
            r"( 7 )(\d\d[0-9A-F]+)$", lambda m: m.group(1) + f"<{type7_decode(m.group(2))}>", ln
        )
        if ln.startswith("!"):
            if out and out[-1] == "!":
                continue
            ln = "!"
        out.append(ln)
    blocks: list[list[str]] = []
    for ln in out:
        if ln.startswith(" ") and blocks:
            blocks[-1].append(ln)
        else:
            blocks.append([ln])
    # sort the runs whose order the references disagree on
    result: list[list[str]] = []
    run: list[list[str]] = []
    kind = ""
    for block in [*blocks, ["<end>"]]:
        head = block[0]
        this = "user" if head.startswith("username ") else "logical" if LOGICAL.match(head) else ""
        if this and this == kind:
            run.append(block)
            continue
        if kind == "logical" and head == "!":
            run.append(block)
            continue
        result += sorted(run) if kind else []
        run, kind = ([block], this) if this else ([], "")
        if not this:
            result.append(block)
    return [ln for block in result for ln in block if ln != "<end>"]


def admin_of(text: str) -> str:
    """The build's privilege-15 account: the bare router's management user is the same."""
    m = re.search(r"^username (\S+) privilege 15 ", text, re.M)
    return m.group(1) if m else "netops"


@pytest.fixture(scope="module")
def golden_fleet(state_dir: Path) -> Iterator[SimFleet]:
    specs = [RouterSpec(hostname_of(c.read_text()), admin_of(c.read_text()), "pw") for c in CASES]
    with SimFleet(specs, state_dir=state_dir / "golden") as fleet:
        yield fleet


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_typing_the_build_gives_the_build(golden_fleet: SimFleet, case: Path) -> None:
    build = case.read_text()
    host = hostname_of(build)
    lines = [
        ln for ln in build.splitlines() if ln.strip() and not ln.startswith("!") and ln != "end"
    ]
    conn = connect(golden_fleet, host)
    try:
        conn.send_config_set(lines, error_pattern=ERRORS)
        read_back = conn.send_command("show running-config")
    finally:
        conn.disconnect()
    assert normalise(read_back) == normalise(build)
