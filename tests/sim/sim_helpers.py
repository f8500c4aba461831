"""Helpers shared by the simulator tests (netmiko sessions, typing lines offline)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from iosgen.sim import SimFleet
from iosgen.sim.config import Config
from iosgen.sim.configmode import ConfigMode
from iosgen.sim.facts import MODE_PROMPTS

FIXTURES = Path(__file__).parent / "fixtures"
ERRORS = r"% (Invalid input|Incomplete command|Ambiguous command)"


def connect(fleet: SimFleet, name: str, **kw: Any) -> Any:
    from netmiko import ConnectHandler

    t = fleet.targets[name]
    return ConnectHandler(
        device_type="cisco_ios",
        host=t.host,
        port=t.port,
        username=t.username,
        password=t.password,
        secret=t.secret or "",
        **kw,
    )


def typed(lines: list[str], config: Config | None = None) -> tuple[Config, list[str]]:
    """Type config lines into a config (no SSH); returns it and each line's output."""
    cfg = config or Config()
    mode = ConfigMode(cfg)
    outputs = []
    for line in lines:
        prompt = "R1" + MODE_PROMPTS[mode.mode]
        outputs.append(mode.feed(line, prompt).output)
    return cfg, outputs


def body(cfg: Config) -> str:
    return "\n".join(cfg.render()) + "\n"


def block(text: str, head: str) -> list[str]:
    """The line `head` and its indented children, as printed."""
    lines = text.splitlines()
    start = lines.index(head)
    out = [head]
    for line in lines[start + 1 :]:
        if not line.startswith(" "):
            break
        out.append(line)
    return out
