"""PPTP tunnels between the routers of one fleet, and packets across them.

A branch's `interface DialerN` with `dialer vpdn`, bound to a vpdn-group (`rotary-group
N` with `dialer in-band`, or `pool-member P` with `dialer pool P`) whose request-dialin
is `protocol pptp` with `initiate-to ip A`, dials A. The session comes up only when
every step IOS takes succeeds; the first one that fails is the session's reason, each
as docs/simulator-tunnels.md lists it with its source:

    route    the branch has no route to A (the control connection cannot leave)
    server   no simulated router has A on an up interface (TCP 1723 times out)
    pptp     the router at A accepts no PPTP (vpdn enable, accept-dialin protocol pptp,
             virtual-template T, interface Virtual-TemplateT)
    chap     the server has no `username <chap hostname> password` with the same secret
    mppe     the two ends' `ppp encrypt mppe` cannot agree (one requires what the
             other does not offer, or MPPE without MS-CHAP keys)
    ipcp     the server has no address for the branch (no pool, or the pool is used up)

Once up, the branch Dialer has the pool address (/32) and a host route to the server's
address; the server has one Virtual-Access per session with a host route to the
branch's address. The state is computed from every router's running config and cached
until any of them changes (`Config.generation`).
"""

from __future__ import annotations

import ipaddress
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Final

from iosgen.sim import ipsec
from iosgen.sim.config import Config, Line
from iosgen.sim.secrets import type7_decode

Addr = ipaddress.IPv4Address

# where a packet ends that no router of the fleet owns (no hostname has angle brackets)
INTERNET: Final = "<internet>"
SEGMENT: Final = "<segment>"
PPTP_PORT: Final = 1723  # the PPTP control connection (RFC 2637 section 2)
CLIENT_PORT_BASE: Final = 1024  # the client's ephemeral source ports, as the server sees them
# RFC 1918 and RFC 6598 space: the simulated Internet drops a packet from these sources
# (a LAN address that leaves the WAN without PAT never gets its answer back)
UNROUTED: Final = tuple(
    ipaddress.IPv4Network(n)
    for n in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10")
)
# `ppp encrypt mppe {auto|40|128}`: the strengths each setting accepts (ios-reference §7)
MPPE_BITS: Final[dict[str, frozenset[int]]] = {
    "auto": frozenset({40, 128}),
    "40": frozenset({40}),
    "128": frozenset({128}),
}
MSCHAP: Final = frozenset({"ms-chap", "ms-chap-v2"})  # MPPE keys come from MS-CHAP (§7)
# `ppp authentication` methods and the name `debug ppp authentication` prints for each
AUTH_TAG: Final[dict[str, str]] = {"chap": "CHAP", "ms-chap": "MS-CHAP", "ms-chap-v2": "MS-CHAP-V2"}
# the message a refused CHAP response gets back (827 troubleshooting guide capture:
# `Vi1 CHAP: I FAILURE id 1 Len 26 MSG is "Authentication failure"`)
AUTH_FAILURE: Final = "Authentication failure"
REASONS: Final[dict[str, str]] = {
    "route": "no route to the PPTP server",
    "server": "no PPTP server answers at the initiate-to address",
    "pptp": "the router at the initiate-to address accepts no PPTP",
    "chap": "CHAP refused",
    "mppe": "MPPE mismatch",
    "ipcp": "no address for the branch (IPCP)",
}


@dataclass(frozen=True)
class Mppe:
    bits: frozenset[int]
    passive: bool
    required: bool


@dataclass
class Session:
    """One dial attempt of a branch Dialer and how it ended."""

    client: str
    dialer: str
    server_ip: str
    username: str
    server: str | None = None
    reason: str | None = None  # None: up
    method: str = "chap"  # the authentication the server asked for
    client_addr: Addr | None = None
    server_addr: Addr | None = None
    client_wan: Addr | None = None
    vaccess: str | None = None  # the server's Virtual-AccessN
    client_vi: str = "Vi1"  # the branch's own virtual-access (what debug lines name)
    tunnel_id: int = 0
    nat_inside_vt: bool = False

    @property
    def up(self) -> bool:
        return self.reason is None

    def debug_lines(self, server_name: str) -> list[str]:
        """What `debug ppp authentication` prints on the branch for this attempt
        (the client side of the 827 guide's capture, this dialer's names)."""
        if self.reason in (None, "chap", "mppe", "ipcp"):
            tag = AUTH_TAG.get(self.method, "CHAP")
            vi = self.client_vi
            rows = [
                f"{vi} PPP: Phase is AUTHENTICATING, by the peer",
                f'{vi} {tag}: I CHALLENGE id 1 len 32 from "{server_name}"',
                f"{vi} {tag}: Using hostname from interface {tag}",
                f"{vi} {tag}: Using password from interface {tag}",
                f'{vi} {tag}: O RESPONSE id 1 len 26 from "{self.username}"',
            ]
            if self.reason == "chap":
                rows.append(f'{vi} {tag}: I FAILURE id 1 len 26 msg is "{AUTH_FAILURE}"')
            else:
                rows.append(f"{vi} {tag}: I SUCCESS id 1 len 4")
            return rows
        return []


@dataclass
class Live:
    """What the tunnels give one router now (read by show.py and ping.py)."""

    host: str
    state: State
    dialer_addr: dict[str, tuple[Addr, Addr]] = field(default_factory=dict)  # own, peer
    vaccess: list[Session] = field(default_factory=list)  # sessions this router serves
    dials: list[Session] = field(default_factory=list)  # sessions this router placed
    ipsec: list[ipsec.Side] = field(default_factory=list)  # its IPsec sides (ipsec.py)

    def ping(self, src: Addr | None, dst: Addr, count: int = 1) -> bool:
        return self.state.ping(self.host, src, dst, count)

    def tunnel_up(self, name: str) -> bool:
        """A VTI's line protocol: up while its IPsec SA is (stale included)."""
        return any(s.up and s.endpoint.interface == name for s in self.ipsec)


@dataclass
class State:
    configs: dict[str, Config]
    sessions: list[Session]
    owners: dict[Addr, str]
    crypto: ipsec.Result = field(default_factory=ipsec.Result)
    # the SAs the packet being followed went through: (memo, "encaps" | "decaps")
    trail: list[tuple[ipsec.Memo, str]] = field(default_factory=list)

    def live(self, host: str) -> Live:
        out = Live(host, self, ipsec=self.crypto.of(host))
        for s in self.sessions:
            if s.client == host:
                out.dials.append(s)
                if s.up and s.client_addr is not None and s.server_addr is not None:
                    out.dialer_addr[s.dialer] = (s.client_addr, s.server_addr)
            if s.server == host and s.up:
                out.vaccess.append(s)
        return out

    # ---- packets ------------------------------------------------------------------------
    def ping(self, host: str, src: Addr | None, dst: Addr, count: int = 1) -> bool:
        """An echo from `host` (source `src`, None: the exit interface's) to `dst`, and
        its reply: both must arrive. `count` echoes that arrive add to the packet
        counters of the IPsec SAs they crossed."""
        self.trail = []
        there = self._forward(host, src, dst, inside=True, ttl=8)
        if there is None:
            return False
        reached, seen_src = there
        if reached == INTERNET:
            return self._counted(count)
        back = self._forward(reached, dst, seen_src, inside=False, ttl=8)
        return back is not None and self._counted(count)

    def _counted(self, count: int) -> bool:
        for memo, what in self.trail:
            if what == "encaps":
                memo.encaps += count
            else:
                memo.decaps += count
        self.trail = []
        return True

    def _forward(
        self, host: str, src: Addr | None, dst: Addr, inside: bool, ttl: int
    ) -> tuple[str, Addr] | None:
        """Where the packet ends (a router owning dst, or "internet") and its source there."""
        from iosgen.sim import show  # show imports this module's types only lazily

        for _ in range(ttl):
            config = self.configs[host]
            config.live = self.live(host)  # its routes through the tunnels, as they are now
            if _owns(config, dst):
                return host, src if src is not None else dst
            route = show.route_to(config, str(dst))
            if route is None or (route.out or "").startswith("Null"):
                return None
            out = route.out or _exit_of(config, route.via)
            if out is None:
                return None
            if src is None:
                src = _if_addr(config, out)
                if src is None:
                    return None
            if inside and _src_inside(config, src) and _nat_flag(config, out, "outside"):
                src = _translate(config, src, dst, out) or src
            step = self._hop(host, config, out, src, dst)
            if step is None:
                return None
            if step[0] == INTERNET:
                return INTERNET, src
            if step[0] == SEGMENT:
                return host, src  # a host there answers through this router
            host, inside = step
        return None

    def _hop(
        self, host: str, config: Config, out: str, src: Addr, dst: Addr
    ) -> tuple[str, bool] | None:
        """The next router and whether the packet enters it from an inside interface;
        (INTERNET, False) or (SEGMENT, False) when it is delivered past `out`."""
        from iosgen.sim import show

        if out.startswith("Dialer"):
            session = next((s for s in self.sessions if s.client == host and s.dialer == out), None)
            if session is None or not session.up or session.server is None:
                return None
            return session.server, session.nat_inside_vt
        if out.startswith("Virtual-Access"):
            session = next(
                (s for s in self.sessions if s.server == host and s.vaccess == out), None
            )
            return None if session is None else (session.client, False)
        if out.startswith("Tunnel"):
            side = next((x for x in self.crypto.of(host) if x.endpoint.interface == out), None)
            if side is None or not side.up:
                return None  # a tunnel without its SA (GRE tunnels are not simulated)
            return self._through(side, src, dst)
        sealed = self._crypto_map(host, config, out, src, dst)
        if sealed is False:
            return None
        if isinstance(sealed, tuple):
            return sealed
        # a physical exit: a host on that segment, another router of the fleet, or the
        # Internet, which routes the exit's own network back (the ISP's) but no other
        # private source (a LAN address that left without PAT)
        segment = show.find(config, out)
        if segment is not None and segment.address is not None:
            if dst in segment.address.network:
                return SEGMENT, False
            if any(src in n for n in UNROUTED) and src not in segment.address.network:
                return None
        if any(dst in n for n in UNROUTED):
            return None  # the Internet routes no private destination
        owner = self.owners.get(dst)
        if owner is not None and owner != host:
            return owner, False
        return INTERNET, False

    def _through(self, side: ipsec.Side, src: Addr, dst: Addr) -> tuple[str, bool] | None:
        """Across an SA to its peer: dropped when the SA is up here only (the peer gone);
        counted on both ends. The packet enters the peer's tunnel interface (a VTI) or
        its crypto map interface, whose `ip nat inside` says how it is seen."""
        if side.stale and side.memo is not None and side.memo.probed_at is None:
            # on-demand DPD starts with traffic that gets no answer
            side.memo.probed_at = time.time()
            if side.dpd_after is not None:
                end = side.memo.probed_at + side.dpd_after
                self.crypto.valid_until = min(self.crypto.valid_until, end)
        if side.stale or side.peer_host is None or side.memo is None:
            return None
        far = next(
            (
                x
                for x in self.crypto.of(side.peer_host)
                if x.peer_addr == side.endpoint.local and x.endpoint.local == side.peer_addr
            ),
            None,
        )
        if far is None or not far.up or far.memo is None:
            return None
        self.trail += [(side.memo, "encaps"), (far.memo, "decaps")]
        peer_cfg = self.configs[side.peer_host]
        return side.peer_host, _nat_flag(peer_cfg, far.endpoint.interface, "inside")

    def _crypto_map(
        self, host: str, config: Config, out: str, src: Addr, dst: Addr
    ) -> tuple[str, bool] | bool | None:
        """A packet leaving an interface with a crypto map, after NAT: into the SA whose
        proxies hold it; False (dropped) when an entry's ACL wants it protected but no
        SA is up; None when the map lets it pass in the clear."""
        here = [x for x in self.crypto.of(host) if x.endpoint.interface == out]
        for side in here:
            if side.up and src in side.local_proxy and dst in side.remote_proxy:
                return self._through(side, src, dst) or False
        cmap = _value(_children(config.block("interface", out)), "crypto", "map")
        if not cmap:
            return None
        for e in ipsec.endpoints(host, config):
            wanted = any(src in loc and dst in rem for loc, rem in e.proxies or [])
            if e.interface == out and e.kind == "map" and wanted:
                return False  # interesting traffic with no SA: IOS drops it meanwhile
        return None


# ---- the fleet's state, cached --------------------------------------------------------------
_Key = tuple[tuple[str, int, int], ...]
_cache: dict[_Key, State] = {}
CACHE_SIZE: Final = 4  # a few fleets per process (tests start several)


def state(configs: Mapping[str, Config]) -> State:
    """The tunnels of the routers `configs` names, recomputed when one has changed (or
    when a stale IPsec SA's dead-peer detection comes due)."""
    key = tuple((name, id(c), c.generation) for name, c in configs.items())
    found = _cache.get(key)
    # ids are reused once a config is gone: a hit must hold these very configs
    same = found is not None and all(found.configs.get(n) is c for n, c in configs.items())
    if found is not None and same and time.time() < found.crypto.valid_until:
        return found
    _cache.pop(key, None)
    result = _evaluate(dict(configs))
    if len(_cache) >= CACHE_SIZE:
        _cache.pop(next(iter(_cache)))
    _cache[key] = result
    return result


def refresh(config: Config, configs: Mapping[str, Config] | None) -> None:
    """Give `config` its live view (before a show or a ping reads it)."""
    if configs is None:
        configs = {config.hostname: config}
    config.live = state(configs).live(config.hostname)


def _evaluate(configs: dict[str, Config]) -> State:
    from iosgen.sim import show

    owners: dict[Addr, str] = {}
    for name, c in configs.items():
        for i in show.interfaces(c, live=False):
            if i.up and i.address is not None:
                owners.setdefault(i.address.ip, name)
    sessions: list[Session] = []
    for name in sorted(configs):
        sessions += _dials(name, configs[name])
    pools: dict[str, list[Addr]] = {}
    serving: dict[str, int] = {}
    for s in sessions:
        if s.reason is not None:
            continue
        _answer(s, configs, owners, pools)
        if s.reason is None and s.server is not None:
            n = serving.get(s.server, 0) + 1
            serving[s.server] = n
            s.vaccess = f"Virtual-Access{n + 1}"  # Vi1 is the template's clone source
            s.tunnel_id = n
    return State(configs, sessions, owners, ipsec.evaluate(configs, owners))


def _dials(name: str, c: Config) -> list[Session]:
    from iosgen.sim import show

    out = []
    groups = [b for b in c.root if b.words[:1] == ["vpdn-group"] and not b.negated]
    vi = 0
    for block in c.interfaces():
        dialer = block.words[1]
        words = _children(block)
        if not dialer.startswith("Dialer") or ["dialer", "vpdn"] not in words:
            continue
        if ["shutdown"] in words:
            continue
        group = _group_for(dialer, words, groups)
        if group is None:
            continue
        target = _value(_children(group), "initiate-to", "ip")
        if not target:
            continue
        chap = _value(words, "ppp", "chap", "hostname")
        vi += 1
        s = Session(name, dialer, target[0], chap[0] if chap else c.hostname)
        s.client_vi = f"Vi{vi}"
        if c.value("vpdn", "enable") is None:
            s.reason = "route"  # no VPDN at all: nothing is dialled
        route = show.route_to(c, target[0], live=False)
        if route is None or (route.out or "").startswith(("Null", "Dialer")):
            s.reason = "route"
        else:
            wan = route.out or _exit_of(c, route.via, live=False)
            s.client_wan = _if_addr(c, wan, live=False)
        out.append(s)
    return out


def _answer(
    s: Session, configs: dict[str, Config], owners: dict[Addr, str], pools: dict[str, list[Addr]]
) -> None:
    """The server's side of one call: sets s.reason, or the negotiated addresses."""
    try:
        server_ip = Addr(s.server_ip)
    except ValueError:
        s.reason = "server"
        return
    server = owners.get(server_ip)
    if server is None or server == s.client:
        s.reason = "server"
        return
    s.server = server
    sc, cc = configs[server], configs[s.client]
    vt = _accepting_template(sc)
    if vt is None:
        s.reason = "pptp"
        return
    vt_words = _children(vt)
    methods = [m for m in (_value(vt_words, "ppp", "authentication") or []) if m in AUTH_TAG]
    dialer = cc.block("interface", s.dialer)
    d_words = _children(dialer) if dialer is not None else []
    if methods:
        s.method = methods[0]
        if not _chap_ok(sc, cc, s.username, d_words):
            s.reason = "chap"
            return
    if not _mppe_agrees(_mppe(d_words), _mppe(vt_words), s.method if methods else None):
        s.reason = "mppe"
        return
    s.nat_inside_vt = ["ip", "nat", "inside"] in vt_words
    s.server_addr = _template_address(sc, vt_words)
    s.client_addr = _fixed_address(sc, s.username) or _pool_address(sc, vt_words, pools, server)
    if s.client_addr is None or s.server_addr is None:
        s.reason = "ipcp"


def _accepting_template(c: Config) -> Line | None:
    if c.value("vpdn", "enable") is None:
        return None
    for g in c.root:
        if g.words[:1] != ["vpdn-group"] or g.negated:
            continue
        for sub in g.children or []:
            if sub.words != ["accept-dialin"]:
                continue
            words = _children(sub)
            proto = _value(words, "protocol")
            vt = _value(words, "virtual-template")
            if proto and proto[0] in ("pptp", "any") and vt:
                block = c.block("interface", f"Virtual-Template{vt[0]}")
                if block is not None:
                    return block
    return None


def _chap_ok(server: Config, client: Config, user: str, d_words: list[list[str]]) -> bool:
    """The server's local user `user` with the clear secret the client answers with."""
    mine = _secret(_value(d_words, "ppp", "chap", "password"))
    if mine is None:
        return False
    aaa = server.value("aaa", "new-model") is not None
    if aaa:
        ppp = next(
            (
                ln.words
                for ln in server.root
                if ln.words[:4] == ["aaa", "authentication", "ppp", "default"]
            ),
            None,
        )
        if ppp is None or "local" not in ppp:
            return False  # with AAA, PPP authenticates only through a ppp method list
    for ln in server.root:
        w = ln.words
        if ln.negated or w[:2] != ["username", user]:  # usernames are case-sensitive
            continue
        if "password" in w:
            return _secret(w[w.index("password") + 1 :]) == mine
        return False  # `secret 5` is a hash: CHAP needs the clear text
    return False


def _secret(words: list[str] | None) -> str | None:
    if not words:
        return None
    if words[0] == "7" and len(words) > 1:
        return type7_decode(words[1])
    if words[0] == "0" and len(words) > 1:
        return words[1]
    return words[0]


def _mppe(words: list[list[str]]) -> Mppe | None:
    w = _value(words, "ppp", "encrypt", "mppe")
    if not w:
        return None
    return Mppe(MPPE_BITS.get(w[0], frozenset()), "passive" in w, "required" in w)


def _mppe_agrees(client: Mppe | None, server: Mppe | None, method: str | None) -> bool:
    """Whether the link comes up: encrypted with a strength both accept, or clear when
    neither end requires MPPE."""
    required = any(m is not None and m.required for m in (client, server))
    if client is None or server is None:
        return not required
    offered = not (client.passive and server.passive)  # passive: never offers first
    common = client.bits & server.bits
    keys = method in MSCHAP
    if offered and common and keys:
        return True
    return not required


def _template_address(c: Config, vt_words: list[list[str]]) -> Addr | None:
    from iosgen.sim import show

    via = _value(vt_words, "ip", "unnumbered")
    if via:
        found = show.find(c, via[0], live=False)
        return found.address.ip if found is not None and found.address is not None else None
    own = _value(vt_words, "ip", "address")
    if own and len(own) >= 2:
        try:
            return Addr(own[0])
        except ValueError:
            return None
    return None


def _fixed_address(c: Config, user: str) -> Addr | None:
    """The address the user's local attribute list fixes, when network authorization
    reads the local database (`aaa authorization network default local`): the Local
    AAA Server's `attribute type addr A` (docs/simulator-tunnels.md)."""
    if c.value("aaa", "new-model") is None:
        return None
    network = next(
        (
            ln.words
            for ln in c.root
            if ln.words[:4] == ["aaa", "authorization", "network", "default"]
        ),
        None,
    )
    if network is None or "local" not in network[4:]:
        return None
    listed = _value((ln.words for ln in c.root if not ln.negated), "username", user, "aaa")
    if not listed or listed[:2] != ["attribute", "list"] or len(listed) < 3:
        return None
    block = next(
        (
            b
            for b in c.root
            if b.words == ["aaa", "attribute", "list", listed[2]] and b.children is not None
        ),
        None,
    )
    addr = _value(_children(block), "attribute", "type", "addr")
    return Addr(addr[0]) if addr else None


def _pool_address(
    c: Config, vt_words: list[list[str]], used: dict[str, list[Addr]], server: str
) -> Addr | None:
    peer = _value(vt_words, "peer", "default", "ip", "address")
    if not peer:
        return None
    if peer[0] != "pool":
        try:
            return Addr(peer[0])
        except ValueError:
            return None
    name = peer[1] if len(peer) > 1 else "default"
    taken = used.setdefault(f"{server}/{name}", [])
    for ln in c.root:
        w = ln.words
        if ln.negated or w[:4] != ["ip", "local", "pool", name] or len(w) < 5:
            continue
        low = Addr(w[4])
        high = Addr(w[5]) if len(w) > 5 else low
        for n in range(int(low), int(high) + 1):
            if Addr(n) not in taken:
                taken.append(Addr(n))
                return Addr(n)
    return None


# ---- small readers ------------------------------------------------------------------------
_children = ipsec.child_words
_value = ipsec.value_after


def _group_for(dialer: str, words: list[list[str]], groups: list[Line]) -> Line | None:
    number = dialer.removeprefix("Dialer")
    pool = _value(words, "dialer", "pool")
    for g in groups:
        for sub in g.children or []:
            if sub.words != ["request-dialin"]:
                continue
            sw = _children(sub)
            if (_value(sw, "protocol") or [""])[0] != "pptp":
                continue
            rotary = _value(sw, "rotary-group")
            member = _value(sw, "pool-member")
            if rotary and rotary[0] == number and ["dialer", "in-band"] in words:
                return g
            if member and pool and member[0] == pool[0]:
                return g
    return None


def _owns(c: Config, addr: Addr) -> bool:
    from iosgen.sim import show

    return any(i.up and i.address is not None and i.address.ip == addr for i in show.interfaces(c))


def _if_addr(c: Config, name: str | None, live: bool = True) -> Addr | None:
    from iosgen.sim import show

    if name is None:
        return None
    found = show.find(c, name, live)
    return found.address.ip if found is not None and found.address is not None else None


def _exit_of(c: Config, via: str | None, live: bool = True) -> str | None:
    """The interface a next hop is reached through (its connected network)."""
    from iosgen.sim import show

    if via is None:
        return None
    route = show.route_to(c, via, live)
    return route.out if route is not None and route.code == "C" else None


def _nat_flag(c: Config, name: str, side: str) -> bool:
    block = c.block("interface", name)
    if block is None and name.startswith("Virtual-Access"):
        return False
    return ["ip", "nat", side] in _children(block)


def _src_inside(c: Config, src: Addr) -> bool:
    """An address of an `ip nat inside` interface, or in its network (a LAN host)."""
    from iosgen.sim import show

    for i in show.interfaces(c):
        if i.address is not None and src in i.address.network and _nat_flag(c, i.name, "inside"):
            return True
    return False


def _translate(c: Config, src: Addr, dst: Addr, out: str) -> Addr | None:
    """PAT of `src` leaving `out`: the address of `out` when a dynamic mapping to
    `interface out` selects the packet (its list, or its route-map's match clauses)."""
    for ln in c.root:
        w = ln.words
        if ln.negated or w[:4] != ["ip", "nat", "inside", "source"] or len(w) < 8:
            continue
        if w[4] not in ("list", "route-map") or w[6] != "interface" or w[7] != out:
            continue
        if w[4] == "list" and acl_permits(c, w[5], src, dst):
            return _if_addr(c, out)
        if w[4] == "route-map" and _route_map_selects(c, w[5], src, dst, out):
            return _if_addr(c, out)
    return None


def _route_map_selects(c: Config, name: str, src: Addr, dst: Addr, out: str) -> bool:
    for block in c.root:
        w = block.words
        if block.negated or w[:2] != ["route-map", name]:
            continue
        words = _children(block)
        acls = _value(words, "match", "ip", "address")
        ifs = _value(words, "match", "interface")
        if acls is not None and not any(acl_permits(c, a, src, dst) for a in acls):
            continue
        if ifs is not None and out not in ifs:
            continue
        return len(w) < 3 or w[2] == "permit"
    return False


def acl_permits(c: Config, name: str, src: Addr, dst: Addr) -> bool:
    """The first entry of ACL `name` (numbered or named) that matches decides; none: deny."""
    entries: list[list[str]] = [
        ln.words[2:] for ln in c.root if ln.words[:2] == ["access-list", name] and not ln.negated
    ]
    standard = name.isdigit() and (int(name) < 100 or 1300 <= int(name) <= 1999)
    for ln in c.root:
        if ln.words[:2] == ["ip", "access-list"] and ln.words[3:4] == [name]:
            standard = ln.words[2] == "standard"
            entries = [w for w in _children(ln)]
    for e in entries:
        if e and e[0].isdigit():
            e = e[1:]  # a named list's sequence number
        if not e or e[0] not in ("permit", "deny"):
            continue
        rest = e[1:]
        if not standard:
            if not rest or rest[0] not in ("ip", "icmp"):
                continue
            rest = rest[1:]
        ok, rest = _addr_match(rest, src)
        if ok and not standard:
            ok, rest = _addr_match(rest, dst)
        if ok:
            return e[0] == "permit"
    return False


def _addr_match(words: list[str], addr: Addr) -> tuple[bool, list[str]]:
    if not words:
        return False, words
    if words[0] == "any":
        return True, words[1:]
    if words[0] == "host" and len(words) > 1:
        return addr == Addr(words[1]), words[2:]
    try:
        base = int(Addr(words[0]))
    except ValueError:
        return False, words
    wild = 0
    rest = words[1:]
    if rest:
        try:
            wild = int(Addr(rest[0]))
            rest = rest[1:]
        except ValueError:
            wild = 0
    return (int(addr) & ~wild) == (base & ~wild), rest
