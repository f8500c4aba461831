"""ios.lines: each volatile line IOS prints is dropped by every comparison."""

from __future__ import annotations

import pytest

from iosgen.ios.config import parse, significant_lines
from iosgen.ios.lines import HEADER_COMMENTS, HIDDEN_DEFAULTS, VOLATILE_PREFIXES, is_hidden_default

# One real line for each table entry, as `show running-config` / `show startup-config` print it.
EXAMPLES = {
    "Building configuration...": "Building configuration...",
    "Current configuration :": "Current configuration : 2028 bytes",
    "Using ": "Using 1449 out of 196600 bytes",
    "ntp clock-period ": "ntp clock-period 17179866",
    "version ": "version 12.4",
    "boot-start-marker": "boot-start-marker",
    "boot-end-marker": "boot-end-marker",
    "! Last configuration change": "! Last configuration change at 10:14:03 UTC Thu Nov 26 2026",
    "! NVRAM config last updated": "! NVRAM config last updated at 10:14:05 UTC Thu Nov 26 2026",
    "! No configuration change since last restart": "! No configuration change since last restart",
}


def test_every_volatile_entry_has_an_example() -> None:
    assert set(EXAMPLES) == set(VOLATILE_PREFIXES) | set(HEADER_COMMENTS)


@pytest.mark.parametrize("line", list(EXAMPLES.values()), ids=list(EXAMPLES))
def test_a_volatile_line_is_not_configuration(line: str) -> None:
    text = f"{line}\nhostname R1\n"
    assert significant_lines(text) == ["hostname R1"]
    assert parse(text).render() == ["hostname R1"]


@pytest.mark.parametrize(("parent", "text"), sorted(HIDDEN_DEFAULTS, key=str), ids=lambda v: str(v))
def test_a_hidden_default_is_found_under_any_parent_of_its_scope(
    parent: str | None, text: str
) -> None:
    full = {"interface": "interface FastEthernet0/1", "line": "line vty 0 4"}.get(parent or "")
    assert is_hidden_default(text, full)
    assert not is_hidden_default(text, "router ospf 1" if parent else "interface Dialer2")
