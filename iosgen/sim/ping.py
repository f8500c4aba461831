"""`ping` and `traceroute` on a simulated router: the answers follow the routing table.

A destination answers when it is one of the router's own up addresses, or when the
longest matching route leaves through an up interface (not Null0). Lines as IOS 12.4
prints them (docs/simulator-show.md):

    Type escape sequence to abort.
    Sending 5, 100-byte ICMP Echos to 192.0.2.1, timeout is 2 seconds:
    !!!!!
    Success rate is 100 percent (5/5), round-trip min/avg/max = 1/2/4 ms
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from typing import Final

from iosgen.sim import show
from iosgen.sim.config import Config
from iosgen.sim.tunnels import Live

ABORT: Final = "Type escape sequence to abort."
SENDING: Final = "Sending {n}, {size}-byte ICMP Echos to {target}, timeout is {timeout} seconds:"
SOURCE: Final = "Packet sent with a source address of {addr} "
SUCCESS: Final = "Success rate is {pct} percent ({ok}/{n}), round-trip min/avg/max = 1/1/4 ms"
FAILED: Final = "Success rate is 0 percent (0/{n})"
BANGS_PER_LINE: Final = 70  # IOS wraps the '!' and '.' marks at 70 a line
BAD_ADDRESS: Final = "% Bad IP address"  # the extended dialog, a target that is no address
UNRECOGNIZED: Final = "% Unrecognized host or address, or protocol not running."
BAD_SOURCE: Final = "% Invalid source address- IP address not on any of our up interfaces"
TRACE_HEAD: Final = "Tracing the route to {target}\n"
TRACE_MAX_HOPS: Final = 30

# The extended dialog (`ping` then Enter), 12.4, each prompt with its default:
#   Protocol [ip]:  Target IP address:  Repeat count [5]:  Datagram size [100]:
#   Timeout in seconds [2]:  Extended commands [n]:  Sweep range of sizes [n]:
# With "Extended commands" y: Source address or interface:, Type of service [0]:,
# Set DF bit in IP header? [no]:, Validate reply data? [no]:, Data pattern [0xABCD]:,
# Loose, Strict, Record, Timestamp, Verbose[none]:
BASIC_PROMPTS: Final = (
    ("protocol", "Protocol [ip]: "),
    ("target", "Target IP address: "),
    ("repeat", "Repeat count [5]: "),
    ("size", "Datagram size [100]: "),
    ("timeout", "Timeout in seconds [2]: "),
    ("extended", "Extended commands [n]: "),
)
EXTENDED_PROMPTS: Final = (
    ("source", "Source address or interface: "),
    ("tos", "Type of service [0]: "),
    ("df", "Set DF bit in IP header? [no]: "),
    ("validate", "Validate reply data? [no]: "),
    ("pattern", "Data pattern [0xABCD]: "),
    ("options", "Loose, Strict, Record, Timestamp, Verbose[none]: "),
)
SWEEP_PROMPT: Final = ("sweep", "Sweep range of sizes [n]: ")
NUMBER_RANGES: Final[dict[str, tuple[int, int, str]]] = {
    # "% A decimal number between 1 and 2147483647." (Repeat count)
    "repeat": (1, 2147483647, "% A decimal number between 1 and 2147483647."),
    "size": (36, 18024, "% A decimal number between 36 and 18024."),
    "timeout": (0, 3600, "% A decimal number between 0 and 3600."),
}


def _own(config: Config, addr: ipaddress.IPv4Address) -> bool:
    return any(
        i.up and i.address is not None and i.address.ip == addr for i in show.interfaces(config)
    )


def reachable(config: Config, target: str, source: str | None = None, count: int = 1) -> bool:
    """Whether `count` echoes to `target` come back (they count on the IPsec SAs they
    cross: `show crypto ipsec sa`'s #pkts encaps/decaps)."""
    addr = ipaddress.IPv4Address(target)
    if _own(config, addr):
        return True
    if isinstance(config.live, Live):  # a fleet: the packet and its answer cross routers
        src = ipaddress.IPv4Address(source) if source is not None else None
        return config.live.ping(src, addr, count)
    route = show.route_to(config, target)
    return route is not None and not (route.out or "").startswith("Null")


def source_address(config: Config, source: str) -> str | None:
    """The address a `source` (an interface name or an address) gives; None: not usable."""
    for i in show.interfaces(config):
        if i.address is None or not i.up:
            continue
        if i.name.lower() == source.lower() or str(i.address.ip) == source:
            return str(i.address.ip)
    return None


def _marks(mark: str, n: int) -> str:
    return "\n".join(mark * min(BANGS_PER_LINE, n - k) for k in range(0, n, BANGS_PER_LINE))


def run(
    config: Config,
    target: str,
    repeat: int = 5,
    size: int = 100,
    timeout: int = 2,
    source: str | None = None,
) -> str:
    head = [ABORT, SENDING.format(n=repeat, size=size, target=target, timeout=timeout)]
    addr = None
    if source is not None:
        addr = source_address(config, source)
        if addr is None:
            return BAD_SOURCE + "\n"
        head.append(SOURCE.format(addr=addr))
    ok = reachable(config, target, addr, repeat)
    tail = SUCCESS.format(pct=100, ok=repeat, n=repeat) if ok else FAILED.format(n=repeat)
    return "\n".join([*head, _marks("!" if ok else ".", repeat), tail]) + "\n"


def traceroute(config: Config, target: str) -> str:
    rows = [ABORT, TRACE_HEAD.format(target=target)]
    if not reachable(config, target):
        rows += [f"{n:>3}  *  *  * " for n in range(1, TRACE_MAX_HOPS + 1)]
        return "\n".join(rows) + "\n"
    route = show.route_to(config, target)
    hops = [route.via] if route is not None and route.via and route.via != target else []
    hops.append(target)
    rows += [f"{n:>3} {hop} 4 msec 4 msec 4 msec" for n, hop in enumerate(hops, start=1)]
    return "\n".join(rows) + "\n"


@dataclass
class Dialog:
    """The interactive extended ping: one prompt per Enter, then the run."""

    config: Config
    answers: dict[str, str] = field(default_factory=dict)
    queue: list[tuple[str, str]] = field(default_factory=lambda: list(BASIC_PROMPTS))

    def first(self) -> str:
        return self.queue[0][1]

    def answer(self, text: str) -> tuple[str, bool]:
        """The reply to one answer, and whether the dialog goes on."""
        key, _ = self.queue.pop(0)
        text = text.strip()
        error = self._check(key, text)
        if error is not None:
            return error + "\n", False
        self.answers[key] = text
        if key == "extended":
            if text.lower().startswith("y"):
                self.queue += list(EXTENDED_PROMPTS)
            self.queue.append(SWEEP_PROMPT)
        if self.queue:
            return self.queue[0][1], True
        return self._run(), False

    def _check(self, key: str, text: str) -> str | None:
        if key == "protocol" and text and not "ip".startswith(text.lower()):
            return UNRECOGNIZED
        if key == "target":
            try:
                ipaddress.IPv4Address(text)
            except ValueError:
                return BAD_ADDRESS
        if key in NUMBER_RANGES and text:
            low, high, message = NUMBER_RANGES[key]
            if not text.isdigit() or not low <= int(text) <= high:
                return message
        return None

    def _run(self) -> str:
        a = self.answers

        def number(key: str, default: int) -> int:
            return int(a[key]) if a.get(key) else default

        return run(
            self.config,
            a["target"],
            repeat=number("repeat", 5),
            size=number("size", 100),
            timeout=number("timeout", 2),
            source=a.get("source") or None,
        )
