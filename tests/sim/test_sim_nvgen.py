"""NVGEN details of the 12.4 sub-modes (issue 11): indentation, padding, sequence numbers
and subinterfaces, each checked against the line a real router prints.

The facts and their sources are in docs/simulator-grammar.md ("NVGEN details").
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sim_helpers import body, typed

REALCONFIGS = Path(__file__).resolve().parents[1] / "realconfigs"


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


def capture(name: str, head: str) -> list[str]:
    return block((REALCONFIGS / name).read_text(), head)


# --- 1. indentation: dhcp pool children by three spaces, police actions by four -----------


def test_dhcp_pool_children_print_as_the_capture_does() -> None:
    want = capture("2600xm-ccp-pppoa-cbac.cfg", "ip dhcp pool HOME_LAN")
    typed_lines = [want[0], *(ln.strip() for ln in want[1:])]
    cfg, outputs = typed(typed_lines)
    assert not any(outputs)
    assert block(body(cfg), want[0]) == want
    assert want[1].startswith("   network")  # the capture's own three spaces


def test_police_actions_print_with_four_spaces() -> None:
    cfg, outputs = typed(
        [
            "policy-map EXTERNAL_CBWFQ",
            "class IP_PREC_HIGH",
            "priority percent 10",
            "police cir percent 10",
            "conform-action transmit",
            "exceed-action drop",
        ]
    )
    assert not any(outputs)
    want = capture("2600xm-ccp-pppoa-cbac.cfg", "policy-map EXTERNAL_CBWFQ")[:6]
    assert block(body(cfg), "policy-map EXTERNAL_CBWFQ") == want
    assert want[4] == "    conform-action transmit"


# --- 2. `deny` padded to the width of `permit` in extended named lists ------------------


def test_extended_named_deny_is_padded_as_captured() -> None:
    want = capture("2600xm-ccp-nm-fe.cfg", "ip access-list extended BLACKHOLE")[:3]
    cfg, outputs = typed([want[0], *(ln.strip() for ln in want[1:])])
    assert not any(outputs)
    assert block(body(cfg), want[0]) == want
    assert want[1] == " deny   ip host 81.7.148.87 any"


@pytest.mark.parametrize(
    ("lines", "printed"),
    [
        (["ip access-list extended X", "permit ip any any"], " permit ip any any"),
        (["ip access-list extended X", "remark deny all"], " remark deny all"),
    ],
    ids=["permit-unpadded", "remark-unpadded"],
)
def test_only_deny_is_padded(lines: list[str], printed: str) -> None:
    cfg, outputs = typed(lines)
    assert not any(outputs)
    assert printed in body(cfg).splitlines()
