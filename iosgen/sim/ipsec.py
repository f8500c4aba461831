"""IKEv1 and IPsec between the routers of one fleet (docs/sim-ipsec.md has every source).

A router protects traffic to a peer in one of two ways, each an *endpoint* here:

    vti      interface TunnelN with `tunnel mode ipsec ipv4`, `tunnel source`,
             `tunnel destination P` and `tunnel protection ipsec profile X`: proxies
             any/any, negotiated as soon as the tunnel is configured (both ends initiate)
    map      an entry of the crypto map on an up interface, with `set peer P` and a
             `match address ACL`: the ACL's permit entries are the proxies
    dynamic  an entry of a `crypto dynamic-map` bound to the interface's crypto map
             (`crypto map M N ipsec-isakmp dynamic D`): it answers any peer, never calls

The simulator negotiates each initiating endpoint with the router that owns its peer
address, step by step as IOS does; the first step that fails is the reason:

    route       the initiator has no route to the peer (none, or through the tunnel itself)
    no-key      no `crypto isakmp key` for the other's address (a wildcard key counts)
    peer        no router answers IKE at the peer address (no crypto there, or no way back)
    policy      no ISAKMP policy pair agrees (encr, hash, authentication, group, and the
                initiator's lifetime not above the responder's): MM_NO_STATE
    auth        the agreed policy authenticates with RSA: no certificates are simulated
    key         the pre-shared keys differ: MM_KEY_EXCH
    proxy       no responder entry takes the initiator's proxies (mirrored ACLs, any/any)
    transform   no transform set in common (transforms and mode)
    pfs         the responder wants PFS in another group (or PFS the initiator lacks)

An SA that was up and loses its peer (the peer shut, unreachable, its tunnel removed)
stays up on the side that still has its endpoint, black-holing what it sends, until
dead-peer detection (`crypto isakmp keepalive S R`) declares the peer dead S + 5R
seconds after the loss (`periodic`) or after the first packet sent into it (on demand,
the default), or the IPsec SA lifetime runs out. Packet counters live in Config.ipsec_memory.
"""

from __future__ import annotations

import hashlib
import ipaddress
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from iosgen.sim import show as show_mod
    from iosgen.sim.config import Config, Line

Addr = ipaddress.IPv4Address
Net = ipaddress.IPv4Network
ANY: Final = ipaddress.IPv4Network("0.0.0.0/0")

# `crypto isakmp policy` defaults (Security Command Reference 12.4, `crypto isakmp
# policy`: DES, SHA-1, RSA signatures, DH group 1, 86,400 seconds)
POLICY_DEFAULTS: Final[dict[str, str]] = {
    "encr": "des",
    "hash": "sha",
    "authentication": "rsa-sig",
    "group": "1",
    "lifetime": "86400",
}
# IPsec SA lifetime defaults (`crypto ipsec security-association lifetime`: 3600 seconds,
# 4,608,000 kilobytes)
SA_SECONDS: Final = 3600
SA_KILOBYTES: Final = 4608000
# `set pfs` with no group is group1 (Security Command Reference, `set pfs`)
PFS_DEFAULT: Final = "group1"
# DPD: after S seconds without an answer the router retries every R seconds (default 2);
# five missed retries and the peer is dead (`crypto isakmp keepalive`, docs/sim-ipsec.md)
DPD_RETRY_DEFAULT: Final = 2
DPD_MISSED: Final = 5
# a 12.4 software crypto engine's first connection ids: `show crypto isakmp sa` conn-id
# 1001; `show crypto ipsec sa` numbers the SAs as their flows, "conn id: 1, flow_id: SW:1"
# inbound and "conn id: 2, flow_id: SW:2" outbound (12.4-era captures in
# tests/realconfigs/ipsec/; Cisco's 12.3(14)T VTI guide printed 2001, docs/sim-ipsec.md)
IKE_CONN_BASE: Final = 1001
IPSEC_CONN_BASE: Final = 1

# `show crypto isakmp sa` states (the ISAKMP main-mode states, Cisco Press *The Complete
# Cisco VPN Configuration Guide*, table 16-1)
QM_IDLE: Final = "QM_IDLE"
MM_NO_STATE: Final = "MM_NO_STATE"
MM_KEY_EXCH: Final = "MM_KEY_EXCH"
# the phase-1 state a side is left in by each reason (None: no ISAKMP SA at all)
STATE_OF: Final[dict[str, str | None]] = {
    "route": None,
    "no-key": None,  # ours: no call at all (theirs: MM_NO_STATE, ipsec._sides)
    "peer": MM_NO_STATE,
    "policy": MM_NO_STATE,
    "auth": MM_KEY_EXCH,
    "key": MM_KEY_EXCH,
    "proxy": QM_IDLE,
    "transform": QM_IDLE,
    "pfs": QM_IDLE,
}
REASONS: Final[dict[str, str]] = {
    "route": "no route to the IPsec peer",
    "no-key": "no pre-shared key for the peer",
    "peer": "no IKE answer from the peer address",
    "policy": "no ISAKMP policy matches (MM_NO_STATE)",
    "auth": "RSA authentication (no certificates)",
    "key": "pre-shared key mismatch (MM_KEY_EXCH)",
    "proxy": "proxy identities not accepted (ACLs not mirrored)",
    "transform": "no transform set matches",
    "pfs": "PFS group mismatch",
}
QM_FAILED: Final = (
    "%CRYPTO-6-IKMP_MODE_FAILURE: Processing of Quick mode failed with peer at {peer}"
)
# What `debug crypto isakmp` / `debug crypto ipsec` print for each reason, by role
# ("i" the initiator, "r" the responder). {peer} the other end's address, {me} this
# router's, {prio} the responder's policy priority. Sources: Cisco, *Network-Based IPSec
# VPN Solution 1.5 Operations, Maintenance and Troubleshooting Guide*, appendix B
# (Sample Problem Scenarios: "atts are not acceptable. Next payload is 0", "no offers
# accepted!", "phase 1 SA not acceptable!", transform and proposal mismatch), and the
# 12.4 messages quoted by Cisco's IPsec troubleshooting tech note ("No pre-shared key
# with", "%CRYPTO-4-IKMP_BAD_MESSAGE: IKE message from ... failed its sanity check or is
# malformed", "IPSEC(validate_transform_proposal): proxy identities not supported") [M].
DEBUG: Final[dict[tuple[str, str], tuple[str, ...]]] = {
    ("no-key", "i"): ("ISAKMP:(0:0:N/A:0):No pre-shared key with {peer}!",),
    ("no-key", "r"): (
        "ISAKMP:(0:0:N/A:0):No pre-shared key with {peer}!",
        "ISAKMP:(0:0:N/A:0):Preshared authentication offered but does not match policy!",
        "ISAKMP:(0:0:N/A:0):atts are not acceptable. Next payload is 0",
    ),
    ("peer", "i"): (
        "ISAKMP:(0:0:N/A:0): beginning Main Mode exchange",
        "ISAKMP:(0:0:N/A:0): sending packet to {peer} my_port 500 peer_port 500 (I) MM_NO_STATE",
        "ISAKMP:(0:0:N/A:0): retransmitting phase 1 MM_NO_STATE...",
    ),
    ("policy", "i"): (
        "ISAKMP:(0:0:N/A:0): beginning Main Mode exchange",
        "ISAKMP:(0:0:N/A:0): sending packet to {peer} my_port 500 peer_port 500 (I) MM_NO_STATE",
        "ISAKMP:(0:0:N/A:0): retransmitting phase 1 MM_NO_STATE...",
    ),
    ("policy", "r"): (
        "ISAKMP:(0:0:N/A:0):Checking ISAKMP transform 1 against priority {prio} policy",
        "ISAKMP:(0:0:N/A:0):atts are not acceptable. Next payload is 0",
        "ISAKMP:(0:0:N/A:0):no offers accepted!",
        "ISAKMP:(0:0:N/A:0): phase 1 SA policy not acceptable! (local {me} remote {peer})",
    ),
    ("auth", "i"): ("ISAKMP:(0:0:N/A:0):Unable to get router cert or routerdoes not have a cert",),
    ("auth", "r"): ("ISAKMP:(0:0:N/A:0):Unable to get router cert or routerdoes not have a cert",),
    ("key", "i"): (
        "ISAKMP:(0:1:SW:1): retransmitting phase 1 MM_KEY_EXCH...",
        "ISAKMP:(0:1:SW:1):peer does not do paranoid keepalives.",
    ),
    ("key", "r"): (
        "%CRYPTO-4-IKMP_BAD_MESSAGE: IKE message from {peer} failed its sanity check or is "
        "malformed",
    ),
    ("proxy", "r"): (
        "IPSEC(validate_transform_proposal): proxy identities not supported",
        "ISAKMP:(0:1:SW:1): IPSec policy invalidated proposal",
        "ISAKMP:(0:1:SW:1): phase 2 SA policy not acceptable! (local {me} remote {peer})",
    ),
    ("transform", "r"): (
        "ISAKMP:(0:1:SW:1):atts not acceptable. Next payload is 0",
        "ISAKMP:(0:1:SW:1): phase 2 SA policy not acceptable! (local {me} remote {peer})",
    ),
    ("pfs", "r"): (
        "ISAKMP:(0:1:SW:1): IPSec policy invalidated proposal",
        "ISAKMP:(0:1:SW:1): phase 2 SA policy not acceptable! (local {me} remote {peer})",
    ),
    ("proxy", "i"): (
        "%CRYPTO-6-IKMP_MODE_FAILURE: Processing of Quick mode failed with peer at {peer}",
    ),
    ("transform", "i"): (
        "%CRYPTO-6-IKMP_MODE_FAILURE: Processing of Quick mode failed with peer at {peer}",
    ),
    ("pfs", "i"): (
        "%CRYPTO-6-IKMP_MODE_FAILURE: Processing of Quick mode failed with peer at {peer}",
    ),
}
DEBUG_ISAKMP_ON: Final = "Crypto ISAKMP debugging is on"
DEBUG_IPSEC_ON: Final = "Crypto IPSEC debugging is on"


@dataclass(frozen=True)
class Policy:
    priority: int
    encr: str
    hash: str
    auth: str
    group: str
    lifetime: int

    def agrees(self, offer: Policy) -> bool:
        """The responder's (self) view of an initiator's offer: same algorithms, and the
        offer's lifetime no longer than ours ("the remote peer's policy specifies a
        lifetime that is less than or equal to the lifetime in the policy being
        compared", Cisco IOS Security Configuration Guide 12.4, *Configuring IKE*)."""
        same = (self.encr, self.hash, self.auth, self.group) == (
            offer.encr,
            offer.hash,
            offer.auth,
            offer.group,
        )
        return same and offer.lifetime <= self.lifetime


Transform = tuple[tuple[str, ...], str]  # the transforms as typed, and the mode


@dataclass
class Endpoint:
    """One router's way of protecting traffic with one peer."""

    host: str
    kind: str  # "vti" | "map" | "dynamic"
    interface: str  # Tunnel10, or the crypto map's interface
    tag: str  # `show crypto ipsec sa`'s "Crypto map tag"
    local: Addr
    peer: Addr | None  # None: a dynamic entry (any peer)
    transforms: list[Transform]
    pfs: str | None
    seconds: int
    proxies: list[tuple[Net, Net]] | None  # (local, remote); None: any (dynamic, no ACL)
    seq: int = 0


@dataclass
class Memo:
    """What one router remembers of one of its SAs."""

    up_since: float
    lost_at: float | None = None
    probed_at: float | None = None  # the first packet sent into the SA after the loss
    encaps: int = 0
    decaps: int = 0


@dataclass
class Side:
    """One router's end of one negotiation, as its show commands print it."""

    host: str
    endpoint: Endpoint
    peer_addr: Addr
    peer_host: str | None
    initiator: bool
    reason: str | None = None  # None: the SAs are up
    state: str | None = None  # the ISAKMP SA's state; None: no ISAKMP SA
    transform: Transform | None = None
    pfs: str | None = None
    seconds: int = SA_SECONDS
    local_proxy: Net = ANY
    remote_proxy: Net = ANY
    stale: bool = False  # up here only: the peer is gone and DPD has not yet noticed
    dpd_after: float | None = None  # a stale side's DPD time (scaled seconds)
    prio: int = 0  # the responder's policy the debug names
    ike_conn: int = 0
    ipsec_conn: int = 0
    memo: Memo | None = None

    @property
    def up(self) -> bool:
        return self.reason is None

    @property
    def key(self) -> tuple[str, ...]:
        e = self.endpoint
        return (e.kind, e.interface, str(e.local), str(self.peer_addr))

    def debug_lines(self) -> list[str]:
        if self.reason is None:
            return []
        role = "i" if self.initiator else "r"
        rows = DEBUG.get((self.reason, role), ())
        me = self.endpoint.local
        return [r.format(peer=self.peer_addr, me=me, prio=self.prio) for r in rows]

    def spi(self, inbound: bool) -> int:
        """A stable SPI: the same on both ends for one direction (ours in = theirs out)."""
        a, b = (
            (self.peer_addr, self.endpoint.local)
            if inbound
            else (
                self.endpoint.local,
                self.peer_addr,
            )
        )
        digest = hashlib.sha256(f"{a}>{b}".encode()).digest()
        return int.from_bytes(digest[:4], "big") | 0x10000000


@dataclass
class Result:
    sides: dict[str, list[Side]] = field(default_factory=dict)
    valid_until: float = float("inf")  # the next time a stale SA's DPD or lifetime ends

    def of(self, host: str) -> list[Side]:
        return self.sides.get(host, [])


# ---- reading the configs ----------------------------------------------------------------
def child_words(block: Line | None) -> list[list[str]]:
    """The words of a block's lines that are not `no` lines (shared with tunnels.py)."""
    if block is None:
        return []
    return [ln.words for ln in block.children or [] if not ln.negated]


def value_after(lines: Iterable[list[str]], *head: str) -> list[str] | None:
    n = len(head)
    for w in lines:
        if tuple(w[:n]) == head:
            return w[n:]
    return None


def _blocks(c: Config, *head: str) -> list[Line]:
    n = len(head)
    return [b for b in c.root if not b.negated and tuple(b.words[:n]) == head]


def _encr(words: list[str]) -> str:
    # `encr aes` is AES-128 (Security Command Reference, `encryption (IKE policy)`)
    return "aes 128" if words == ["aes"] else " ".join(words)


def policies(c: Config) -> list[Policy]:
    out = []
    for b in _blocks(c, "crypto", "isakmp", "policy"):
        got = dict(POLICY_DEFAULTS)
        for w in child_words(b):
            if w and w[0] in got:
                got[w[0]] = " ".join(w[1:])
        out.append(
            Policy(
                int(b.words[3]),
                _encr(got["encr"].split()),
                got["hash"],
                got["authentication"],
                got["group"],
                int(got["lifetime"]),
            )
        )
    return sorted(out, key=lambda p: p.priority)


def key_for(c: Config, peer: Addr) -> str | None:
    """The pre-shared key for `peer`: the most specific `crypto isakmp key ... address A
    [M]` whose A/M holds it (a wildcard 0.0.0.0 0.0.0.0 key holds every address). An
    ISAKMP profile that matches the peer (`match identity address`) takes its keys from
    its `keyring` first; a key in no profile's keyring is a fallback [L]."""
    rings = _keyrings(c)
    for b in _blocks(c, "crypto", "isakmp", "profile"):
        words = child_words(b)
        ring = value_after(words, "keyring")
        nets = [
            _net(w[3:] + (["255.255.255.255"] if len(w) == 4 else []))[0]
            for w in words
            if w[:3] == ["match", "identity", "address"]
        ]
        if ring and any(n is not None and peer in n for n in nets):
            hit = _best(rings.get(ring[0], []), peer)
            if hit is not None:
                return hit
    found = _best(_keys(c), peer)
    if found is not None:
        return found
    return _best([k for ring in rings.values() for k in ring], peer)


def _peer_net(words: list[str]) -> Net | None:
    """A peer address and optional mask (`A`, `A M`): no mask is the host, except that
    `0.0.0.0` alone is every peer, as configs use it ("crypto isakmp key cisco address
    0.0.0.0", public captures in docs/sim-ipsec.md) [M]."""
    if words == ["0.0.0.0"]:
        return ANY
    net, _ = _net(words if len(words) > 1 else [*words, "255.255.255.255"])
    return net


def _best(keys: list[tuple[Net, str]], peer: Addr) -> str | None:
    best: tuple[int, str] | None = None
    for net, key in keys:
        if peer in net and (best is None or net.prefixlen > best[0]):
            best = (net.prefixlen, key)
    return best[1] if best else None


def _keyrings(c: Config) -> dict[str, list[tuple[Net, str]]]:
    """`crypto keyring K` / `pre-shared-key address A [M] key KEY`, by keyring."""
    out: dict[str, list[tuple[Net, str]]] = {}
    for b in _blocks(c, "crypto", "keyring"):
        keys = out.setdefault(b.words[2], [])
        for w in child_words(b):
            if w[:2] == ["pre-shared-key", "address"] and "key" in w:
                at = w.index("key")
                net = _peer_net(w[2:at])
                if net is not None and at + 1 < len(w):
                    keys.append((net, w[at + 1]))
    return out


# the parsed keys of a config, until it changes (a head office has one per branch)
_KEYS: dict[int, tuple[Config, int, list[tuple[Net, str]]]] = {}


def _keys(c: Config) -> list[tuple[Net, str]]:
    found = _KEYS.get(id(c))
    if found is not None and found[0] is c and found[1] == c.generation:
        return found[2]
    out = []
    for ln in c.root:
        w = ln.words
        if ln.negated or w[:3] != ["crypto", "isakmp", "key"] or "address" not in w:
            continue
        at = w.index("address")
        mask = w[at + 2 : at + 3] if len(w) > at + 2 and w[at + 2][:1].isdigit() else []
        net = _peer_net([w[at + 1], *mask])
        if net is not None:
            out.append((net, w[at - 1]))
    if len(_KEYS) > 256:
        _KEYS.clear()
    _KEYS[id(c)] = (c, c.generation, out)
    return out


def keepalive(c: Config) -> tuple[float, bool] | None:
    """Seconds until DPD declares a silent peer dead, and whether it probes periodically
    (else on demand: only once traffic is sent and none comes back, the default); None
    without keepalives."""
    w = c.value("crypto", "isakmp", "keepalive")
    if w is None:
        return None
    seconds = int(w.words[3])
    retry = int(w.words[4]) if len(w.words) > 4 and w.words[4].isdigit() else DPD_RETRY_DEFAULT
    return float(seconds + DPD_MISSED * retry), "periodic" in w.words


def _transform_sets(c: Config, names: list[str]) -> list[Transform]:
    out = []
    for name in names:
        for b in _blocks(c, "crypto", "ipsec", "transform-set", name):
            words = b.words[4:]
            norm: list[str] = []
            for n, t in enumerate(words):
                if t.isdigit():
                    norm[-1] = f"{norm[-1]} {t}"
                elif t == "esp-aes" and not (n + 1 < len(words) and words[n + 1].isdigit()):
                    norm.append("esp-aes 128")  # `esp-aes` alone is 128-bit AES
                else:
                    norm.append(t)
            mode = value_after(child_words(b), "mode")
            out.append((tuple(norm), mode[0] if mode else "tunnel"))
    return out


def _phase2(c: Config, words: list[list[str]]) -> tuple[list[Transform], str | None, int]:
    names = value_after(words, "set", "transform-set") or []
    pfs = value_after(words, "set", "pfs")
    seconds = value_after(words, "set", "security-association", "lifetime", "seconds")
    if seconds is None:
        glob = c.value("crypto", "ipsec", "security-association", "lifetime", "seconds")
        seconds = glob.words[5:] if glob is not None else None
    group = (pfs[0] if pfs else PFS_DEFAULT) if pfs is not None else None
    return _transform_sets(c, names), group, int(seconds[0]) if seconds else SA_SECONDS


def _net(words: list[str]) -> tuple[Net | None, list[str]]:
    if not words:
        return None, words
    if words[0] == "any":
        return ANY, words[1:]
    if words[0] == "host" and len(words) > 1:
        return ipaddress.IPv4Network(f"{words[1]}/32"), words[2:]
    if len(words) > 1:
        try:
            return ipaddress.IPv4Network(f"{words[0]}/{words[1]}", strict=False), words[2:]
        except ValueError:
            return None, words
    return None, words


def acl_proxies(c: Config, name: str) -> list[tuple[Net, Net]]:
    """The `permit ip SRC DST` entries of an extended ACL (numbered or named), in order:
    the proxies a crypto map entry offers and accepts."""
    entries = [
        ln.words[2:] for ln in c.root if ln.words[:2] == ["access-list", name] and not ln.negated
    ]
    for b in _blocks(c, "ip", "access-list", "extended", name):
        entries = child_words(b)
    out = []
    for e in entries:
        if len(e) < 2 or e[0] != "permit" or e[1] != "ip":
            continue
        src, rest = _net(e[2:])
        dst, _ = _net(rest)
        if src is not None and dst is not None:
            out.append((src, dst))
    return out


# ---- the endpoints of one router --------------------------------------------------------
def endpoints(host: str, c: Config) -> list[Endpoint]:
    from iosgen.sim import show

    up = {i.name: i for i in show.interfaces(c, live=False) if i.address is not None}
    own = {i.address.ip: i.name for i in up.values() if i.up and i.address is not None}
    out: list[Endpoint] = []
    for block in c.interfaces():
        name = block.words[1]
        words = child_words(block)
        if ["shutdown"] in words:
            continue
        if name.startswith("Tunnel"):
            e = _vti(host, c, name, words, up, own)
            if e is not None:
                out.append(e)
            continue
        cmap = value_after(words, "crypto", "map")
        iface = up.get(name)
        if not cmap or iface is None or not iface.up or iface.address is None:
            continue
        out += _map_entries(host, c, name, cmap[0], iface.address.ip)
    return out


def _vti(
    host: str,
    c: Config,
    name: str,
    words: list[list[str]],
    up: Mapping[str, show_mod.Iface],
    own: Mapping[Addr, str],
) -> Endpoint | None:
    if value_after(words, "tunnel", "mode") != ["ipsec", "ipv4"]:
        return None
    profile = value_after(words, "tunnel", "protection", "ipsec", "profile")
    src = value_after(words, "tunnel", "source")
    dst = value_after(words, "tunnel", "destination")
    if not profile or not src or not dst:
        return None
    local: Addr | None = None
    try:
        local = Addr(src[0])
        if local not in own:
            local = None
    except ValueError:
        found = up.get(src[0])
        if found is not None and found.up and found.address is not None:
            local = found.address.ip
    if local is None:
        return None
    blocks = _blocks(c, "crypto", "ipsec", "profile", profile[0])
    transforms, pfs, seconds = _phase2(c, child_words(blocks[0]) if blocks else [])
    tag = f"{name}-head-0"  # the crypto map IOS makes for a VTI (`show crypto ipsec sa`)
    return Endpoint(
        host, "vti", name, tag, local, Addr(dst[0]), transforms, pfs, seconds, [(ANY, ANY)]
    )


def _map_entries(host: str, c: Config, iface: str, cmap: str, local: Addr) -> list[Endpoint]:
    out = []
    entries = sorted(
        (b for b in c.root if b.words[:3] == ["crypto", "map", cmap] and not b.negated),
        key=lambda b: int(b.words[3]),
    )
    for b in entries:
        seq = int(b.words[3])
        if b.words[4:6] == ["ipsec-isakmp", "dynamic"] and len(b.words) > 6:
            dyn = sorted(
                _blocks(c, "crypto", "dynamic-map", b.words[6]), key=lambda d: int(d.words[3])
            )
            for d in dyn:
                words = child_words(d)
                transforms, pfs, seconds = _phase2(c, words)
                acl = value_after(words, "match", "address")
                proxies = acl_proxies(c, acl[0]) if acl else None
                out.append(
                    Endpoint(
                        host,
                        "dynamic",
                        iface,
                        cmap,
                        local,
                        None,
                        transforms,
                        pfs,
                        seconds,
                        proxies,
                        seq,
                    )
                )
            continue
        if b.children is None or "ipsec-isakmp" not in b.words:
            continue
        words = child_words(b)
        peer = value_after(words, "set", "peer")
        acl = value_after(words, "match", "address")
        if not peer or not acl:
            continue  # "remains disabled until a peer and a valid access list" are set
        transforms, pfs, seconds = _phase2(c, words)
        proxies = acl_proxies(c, acl[0])
        out.append(
            Endpoint(
                host,
                "map",
                iface,
                cmap,
                local,
                Addr(peer[0]),
                transforms,
                pfs,
                seconds,
                proxies,
                seq,
            )
        )
    return out


# ---- negotiation ------------------------------------------------------------------------
@dataclass
class _Try:
    reason: str | None
    responder: Endpoint | None = None
    transform: Transform | None = None
    proxy: tuple[Net, Net] = (ANY, ANY)  # the initiator's (local, remote)
    prio: int = 0


def _phase1(ic: Config, rc: Config, i: Endpoint, r_addr: Addr) -> _Try:
    """Main mode from `i` to the router `rc` answering at r_addr."""
    offers = policies(ic)
    mine = policies(rc)
    chosen = None
    for p in mine:  # the responder walks its own policies by priority
        hit = next((o for o in offers if p.agrees(o)), None)
        if hit is not None:
            chosen = p
            break
    prio = mine[0].priority if mine else 65535
    if chosen is None:
        return _Try("policy", prio=prio)
    if chosen.auth != "pre-share":
        return _Try("auth", prio=chosen.priority)
    theirs = key_for(rc, i.local)
    if theirs is None:
        return _Try("no-key", prio=chosen.priority)
    if theirs != key_for(ic, r_addr):
        return _Try("key", prio=chosen.priority)
    return _Try(None, prio=chosen.priority)


def _covers(outer: Net, inner: Net) -> bool:
    return inner.subnet_of(outer)


def _phase2_with(i: Endpoint, r: Endpoint) -> _Try:
    """Quick mode: `i`'s proxies, transforms and PFS against responder entry `r`."""
    proxy = None
    for loc, rem in i.proxies or [(ANY, ANY)]:
        if r.proxies is None or any(
            _covers(r_rem, loc) and _covers(r_loc, rem) for r_loc, r_rem in r.proxies
        ):
            proxy = (loc, rem)
            break
    if proxy is None:
        return _Try("proxy", r)
    if r.kind == "vti" and proxy != (ANY, ANY):
        return _Try("proxy", r)  # "Only strict IP ANY ANY proxy is supported" (VTI guide)
    transform = next((t for t in i.transforms if t in r.transforms), None)
    if transform is None or ((i.kind == "vti" or r.kind == "vti") and transform[1] != "tunnel"):
        return _Try("transform", r)  # a VTI's transform set must be in tunnel mode
    if r.pfs is not None and i.pfs != r.pfs:
        return _Try("pfs", r)  # with PFS set locally, the peer must offer that group
    return _Try(None, r, transform, proxy)


def _responders(r_eps: list[Endpoint], i: Endpoint, r_addr: Addr) -> list[Endpoint]:
    """The responder's entries that could take this initiator, in the order IOS tries
    them: a VTI to it, the crypto map entries naming it, then the dynamic entries."""
    here = [e for e in r_eps if e.local == r_addr]
    vti = [e for e in here if e.kind == "vti" and e.peer == i.local]
    static = [e for e in here if e.kind == "map" and e.peer == i.local]
    dynamic = [e for e in here if e.kind == "dynamic"]
    return vti + static + dynamic


# Each config's own routing table (no tunnels' view), made once per evaluation: a head
# office with a hundred branches answers a hundred lookups from one table.
Tables = dict[int, tuple["Config", list["show_mod.Route"]]]


def _route(tables: Tables, c: Config, addr: Addr) -> show_mod.Route | None:
    from iosgen.sim import show

    found = tables.get(id(c))
    if found is None or found[0] is not c:
        found = (c, show.routes(c, live=False))
        tables[id(c)] = found
    return show.lookup(found[1], addr)


def _negotiate(
    i: Endpoint,
    configs: Mapping[str, Config],
    eps: Mapping[str, list[Endpoint]],
    owners: Mapping[Addr, str],
    tables: Tables,
) -> tuple[str | None, _Try]:
    assert i.peer is not None
    ic = configs[i.host]
    route = _route(tables, ic, i.peer)
    if route is None or (route.out or "").startswith("Null") or route.out == i.interface:
        return None, _Try("route")
    if key_for(ic, i.peer) is None and any(p.auth == "pre-share" for p in policies(ic)):
        return None, _Try("no-key")
    r_host = owners.get(i.peer)
    if r_host is None or r_host == i.host:
        return None, _Try("peer")
    rc = configs[r_host]
    back = _route(tables, rc, i.local)
    candidates = _responders(eps.get(r_host, []), i, i.peer)
    if back is None or not any(e.local == i.peer for e in eps.get(r_host, [])):
        return r_host, _Try("peer")  # nothing listens for IKE there, or no way back
    one = _phase1(ic, rc, i, i.peer)
    if one.reason is not None:
        return r_host, one
    last = _Try("proxy")
    for r in candidates:
        two = _phase2_with(i, r)
        two.prio = one.prio
        if two.reason is None:
            return r_host, two
        last = two
    last.prio = one.prio
    return r_host, last


def _mirror(net: tuple[Net, Net]) -> tuple[Net, Net]:
    return net[1], net[0]


def evaluate(
    configs: Mapping[str, Config], owners: Mapping[Addr, str], now: float | None = None
) -> Result:
    """Every router's IPsec sides now, from the running configs and what each remembers."""
    now = time.time() if now is None else now
    eps = {name: endpoints(name, c) for name, c in configs.items()}
    tables: Tables = {}
    result = Result()
    pending = [
        _sides(e, configs, eps, owners, tables)
        for name in sorted(eps)
        for e in eps[name]
        if e.kind != "dynamic" and e.peer is not None
    ]
    # both ends of a VTI (or of two static maps) call: one success is enough, and the
    # pair is printed once
    # both ends of a VTI (or of two static maps) call: the attempt that got furthest is
    # the one the pair shows (an SA up, else an ISAKMP SA, else the first)
    chosen: dict[frozenset[str], tuple[Side, Side | None]] = {}
    for mine, theirs in pending:
        pair = frozenset({str(mine.endpoint.local), str(mine.peer_addr)})
        old = chosen.get(pair)
        if old is None or _progress(mine) > _progress(old[0]):
            chosen[pair] = (mine, theirs)
    for mine, theirs in chosen.values():
        for s in (mine, theirs):
            if s is not None:
                result.sides.setdefault(s.host, []).append(s)
    _remember(result, configs, eps, now)
    return result


def _progress(s: Side) -> int:
    return 2 if s.up else 1 if s.state is not None else 0


def _key_of(e: Endpoint) -> tuple[str, str, str]:
    return e.kind, e.interface, str(e.local)


def _sides(
    e: Endpoint,
    configs: Mapping[str, Config],
    eps: Mapping[str, list[Endpoint]],
    owners: Mapping[Addr, str],
    tables: Tables,
) -> tuple[Side, Side | None]:
    """The initiator's side of `e`'s negotiation and, where the peer answered, the
    responder's."""
    assert e.peer is not None
    r_host, got = _negotiate(e, configs, eps, owners, tables)
    state = QM_IDLE if got.reason is None else STATE_OF.get(got.reason)
    if got.reason == "no-key" and r_host is not None:
        state = MM_NO_STATE  # we called; the responder has no key for us
    mine = Side(e.host, e, e.peer, r_host, True, got.reason, state, prio=got.prio)
    theirs = None
    r = got.responder
    if r is None and r_host is not None and state is not None:
        # the responder's half-open SA: it answered main mode
        r = next((x for x in eps.get(r_host, []) if x.local == e.peer), None)
    if r_host is not None and r is not None:
        theirs = Side(r_host, r, e.local, e.host, False, got.reason, state, prio=got.prio)
    if got.reason is None and theirs is not None:
        for s in (mine, theirs):
            s.transform = got.transform
            s.pfs = e.pfs
            s.seconds = min(e.seconds, r.seconds) if r is not None else e.seconds
        mine.local_proxy, mine.remote_proxy = got.proxy
        theirs.local_proxy, theirs.remote_proxy = _mirror(got.proxy)
    return mine, theirs


def _remember(
    result: Result, configs: Mapping[str, Config], eps: Mapping[str, list[Endpoint]], now: float
) -> None:
    """Match the sides with what each router remembers: new SAs get a memo, lost ones
    stay up (stale) on the side whose endpoint is still there until DPD or the lifetime
    ends them; connection ids are numbered."""
    changed = max((c.changed_at for c in configs.values()), default=now)
    for host, c in configs.items():
        memory = c.ipsec_memory
        sides = result.sides.setdefault(host, [])
        seen: set[tuple[str, ...]] = set()
        for s in sides:
            if s.up:
                memo = memory.get(s.key)
                if not isinstance(memo, Memo) or memo.lost_at is not None:
                    memo = Memo(now)
                    memory[s.key] = memo
                s.memo = memo
                seen.add(s.key)
        for key, memo in list(memory.items()):
            if key in seen or not isinstance(memo, Memo):
                continue
            kind, iface, local, peer = key
            e = next(
                (
                    x
                    for x in eps.get(host, [])
                    if (x.kind, x.interface, str(x.local)) == (kind, iface, local)
                ),
                None,
            )
            failed = next((s for s in sides if s.key == key), None)
            gone_peer = failed is None or failed.reason in ("peer", "route")
            if e is None or not gone_peer:
                del memory[key]  # our own endpoint went, or a mismatch: the SA is cleared
                continue
            if memo.lost_at is None:
                memo.lost_at = changed
            dpd = keepalive(c)
            scale = c.time_scale
            limits = [memo.lost_at + e.seconds * scale]
            after = None
            if dpd is not None:
                after = dpd[0] * scale
                start = memo.lost_at if dpd[1] else memo.probed_at  # on demand: from traffic
                if start is not None:
                    limits.append(start + after)
            end = min(limits)
            if now >= end:
                del memory[key]
                continue
            result.valid_until = min(result.valid_until, end)
            if failed is not None:
                sides.remove(failed)
            stale = Side(host, e, Addr(peer), None, True, None, QM_IDLE, stale=True, memo=memo)
            stale.dpd_after = after
            stale.transform = e.transforms[0] if e.transforms else None
            stale.local_proxy, stale.remote_proxy = (e.proxies or [(ANY, ANY)])[0]
            stale.seconds = e.seconds
            sides.append(stale)
        for n, s in enumerate(sorted(sides, key=lambda x: (x.endpoint.interface, x.endpoint.seq))):
            s.ike_conn = IKE_CONN_BASE + n
            s.ipsec_conn = IPSEC_CONN_BASE + 2 * n
