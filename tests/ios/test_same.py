"""One notion of "the same config": ios.config.same_config (text), diff.audit.in_sync (tree),
and the three callers that used to have their own (audit_text, the push engine, golden)."""

from __future__ import annotations

from pathlib import Path

import pytest

from iosgen.build.golden import _compare_text
from iosgen.diff.audit import audit_text, in_sync
from iosgen.ios.config import same_config
from iosgen.ios.passwords import type7_encode
from iosgen.push.engine import AuditEngine, body

CONFIG = """\
hostname R1
!
interface Dialer2
 mtu 1460
 ppp chap password 7 0123035155
!
access-list 10 permit 192.168.10.0 0.0.0.255
access-list 10 permit 192.168.20.0 0.0.0.255
end
"""
HEADER = """\
Building configuration...

Current configuration : 1449 bytes
!
! Last configuration change at 10:14:03 UTC Thu Nov 26 2026 by netops
! NVRAM config last updated at 10:14:05 UTC Thu Nov 26 2026 by netops
! No configuration change since last restart
!
version 12.4
"""

# (other text, same to the text test, same to the tree compare)
PAIRS = [
    (HEADER + CONFIG, True, True),
    (CONFIG.replace("!\n", "!\n!\n!\n") + "\n\n", True, True),
    (CONFIG.replace("\n", "\r\n"), True, True),
    (CONFIG.replace("end\n", "R1#\n"), True, True),  # a prompt pasted from the terminal
    (CONFIG.replace("0123035155", type7_encode("Pe5n", 13)), False, True),  # re-salted
    (
        CONFIG.replace(" mtu 1460\n ppp", " ppp").replace(
            "7 0123035155\n", "7 0123035155\n mtu 1460\n"
        ),
        False,
        True,
    ),
    (CONFIG.replace("mtu 1460", "mtu 1400"), False, False),
    (  # the entries of a numbered ACL in another order: first match wins, so real drift
        CONFIG.replace(
            "10.0 0.0.0.255\naccess-list 10 permit 192.168.20.0",
            "20.0 0.0.0.255\naccess-list 10 permit 192.168.10.0",
        ),
        False,
        False,
    ),
]
IDS = ["header", "separators", "crlf", "prompt", "type7-resalted", "moved", "mtu", "acl-order"]


@pytest.mark.parametrize(("other", "textual", "tree"), PAIRS, ids=IDS)
def test_every_caller_agrees_on_the_same_config(other: str, textual: bool, tree: bool) -> None:
    assert same_config(CONFIG, other) is textual
    assert in_sync(CONFIG, other) is tree
    assert (audit_text("R1", CONFIG, other).status == "in_sync") is tree
    assert AuditEngine().same(CONFIG, other) is tree
    assert (body(CONFIG) == body(other)) is textual


@pytest.mark.parametrize(("other", "textual", "tree"), PAIRS, ids=IDS)
def test_golden_calls_cosmetic_what_is_the_same_text(other: str, textual: bool, tree: bool) -> None:
    """Golden pins the build's text: only a difference IOS does not read is cosmetic;
    a re-salted secret or a moved line is a changed build, even if the audit forgives it."""
    result = _compare_text("R1", Path("golden/R1.cfg"), "R1.cfg", CONFIG, other, True)
    if textual:
        assert result.status == "cosmetic", result
    else:
        assert result.status == "differs", result
