"""Injected faults: what can go wrong with a router, per host or for all (`*`)."""

from __future__ import annotations

import re
from dataclasses import dataclass

KINDS = (
    "drop-after",
    "reject",
    "delay-ms",
    "latency-ms",
    "bad-password",
    "new-host-key",
    "nat-in-use",
)
_NEEDS_VALUE = {"drop-after", "reject", "delay-ms", "latency-ms"}
_WHOLE_NUMBER = {"drop-after", "delay-ms", "latency-ms"}


@dataclass(frozen=True)
class Fault:
    """`Fault(host="R-ITD", kind="drop-after", value="5")`; host "*" means every router.

    drop-after=N: the session drops when the (N+1)th config line arrives;
    reject=REGEX: lines (exec or config) matching it get `% Invalid input`; delay-ms=N: every
    answer is N ms late, one answer at a time (a slow router); latency-ms=N: every
    byte, both ways, handshake included, arrives N ms after it was sent, with any
    number of bytes in flight (a WAN link: a round trip costs 2N ms, pipelined
    lines share it); bad-password: logins fail; new-host-key: the router
    presents another host key; nat-in-use: NAT translations exist, so removing an
    `ip nat inside source` line asks IOS's question.
    """

    host: str
    kind: str
    value: str = ""

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown fault kind {self.kind!r} (one of {', '.join(KINDS)})")
        if self.kind in _NEEDS_VALUE and not self.value:
            raise ValueError(f"fault {self.kind} needs a value ({self.kind}=...)")
        if self.kind in _WHOLE_NUMBER and not self.value.isdigit():
            raise ValueError(f"fault {self.kind} needs a whole number, not {self.value!r}")
        if self.kind == "reject":
            re.compile(self.value)

    @classmethod
    def parse(cls, text: str) -> Fault:
        """`HOST:KIND[=VALUE]`, as `iosgen sim --fault` takes it."""
        host, sep, rest = text.partition(":")
        if not sep or not host:
            raise ValueError(f"fault {text!r}: expected HOST:KIND[=VALUE]")
        kind, _, value = rest.partition("=")
        return cls(host=host, kind=kind, value=value)

    def applies_to(self, hostname: str) -> bool:
        return self.host == "*" or self.host.lower() == hostname.lower()
