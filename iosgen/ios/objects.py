"""IOS 12.4 object kinds: which line defines an object, which lines name it.

An object (an access list, a route-map, a pool, an interface, ...) is defined by a
global line or section header and referred to by name from other lines, often in a
sub-mode (` ip access-group 101 in` under `interface FastEthernet0/1`). One table
serves two readers:

- lint (lint/checks/references.py): a reference to a name nothing defines is an
  error (IOS1xx, `code`), a definition nothing names a warning (IOS2xx, `unused_code`);
- remediation (diff/remediation.py): when adding, an object is defined before the
  lines that name it (`access-list 101` before ` match ip address 101`); when
  removing, the lines that name it go before it (`no ip nat inside source route-map
  VPN interface Dialer2 overload` before `no interface Dialer2`).

IOS takes a reference to an object that does not exist yet without complaint, and
then applies nothing: an `ip access-group` to a missing ACL filters nothing, a
`dialer-group 1` without `dialer-list 1` never brings the dialer up.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import TypeVar

_T = TypeVar("_T")

# An interface name as a command writes it: `Dialer2`, `FastEthernet0/0`, `Dialer 2`.
IFNAME = r"[A-Za-z][A-Za-z\-]*\s?\d+(?:[/:.]\d+)*"


@dataclass(frozen=True, slots=True)
class Kind:
    """A kind of object: the global lines that define one (group `name`), and the further
    lines that name one loosely (they count as uses, nothing is checked)."""

    name: str
    defines: tuple[str, ...]
    uses: tuple[str, ...] = ()
    unused_code: str | None = None  # lint: a definition nothing names
    # The section the defining lines sit in (None: they are global lines). A dialer pool
    # is made by its members: interface ATM0/0.32 / pvc 0/32 / dialer pool-member 1.
    inside: str | None = None


KINDS: tuple[Kind, ...] = (
    Kind(
        "acl",
        (
            r"^access-list (?P<name>\d+) ",  # access-list 101 permit ip 192.168.10.0 ...
            r"^ip access-list (?:standard|extended) (?P<name>\S+)$",  # ip access-list standard MGMT
        ),
        (
            r"\baccess-(?:group|class) (?:name )?(?P<name>\S+)",
            r"\bdistribute-list (?P<name>\S+)",
            r"^match address (?P<name>\S+)",  # crypto map VPN 10 ipsec-isakmp / match address 110
            # `dialer-list 1 protocol ip list 101`, `ip nat pool ... list`; not `access-list 10`
            r"(?<![-\w])list (?P<name>\S+)",
        ),
        "IOS201",
    ),
    Kind("prefix-list", (r"^ip prefix-list (?P<name>\S+) ",)),
    Kind(
        "route-map",
        (r"^route-map (?P<name>\S+)",),  # route-map INTERNET permit 10
        (r"\broute-map (?P<name>\S+)",),  # ip policy route-map PBR, neighbor ... route-map X in
        "IOS202",
    ),
    Kind("dialer-list", (r"^dialer-list (?P<name>\d+) ",), (), "IOS203"),
    Kind(
        "pool",
        (r"^ip local pool (?P<name>\S+) ",),  # ip local pool PPTP 192.168.10.200 192.168.10.219
        (r"\bpool (?P<name>\S+)", r"\baddress-pool local (?P<name>\S+)"),
        "IOS204",
    ),
    # interface Dialer2; interface FastEthernet0/0.50 point-to-point
    Kind("interface", (r"^interface (?P<name>\S+)(?: point-to-point| multipoint)?$",)),
    # `aaa new-model` opens every other `aaa ...` command: IOS refuses them without it
    Kind("aaa", (r"^(?P<name>aaa) new-model$",)),
    # aaa authentication login VTY local: a line naming a list IOS does not have warns
    # `AAA: Warning: authentication list "VTY" is not defined for LOGIN.`
    Kind("aaa-login", (r"^aaa authentication login (?P<name>\S+) ",)),
    Kind("aaa-ppp", (r"^aaa authentication ppp (?P<name>\S+) ",)),
    Kind("aaa-exec", (r"^aaa authorization exec (?P<name>\S+) ",)),
    # ip nat pool PUBLIC 203.0.113.10 203.0.113.14 netmask 255.255.255.248
    Kind("nat-pool", (r"^ip nat pool (?P<name>\S+) ",)),
    # class-map match-any VOICE / policy-map QOS
    Kind("class-map", (r"^class-map (?:match-any |match-all )?(?P<name>\S+)$",)),
    Kind("policy-map", (r"^policy-map (?P<name>\S+)$",)),
    # crypto map VPN 10 ipsec-isakmp; crypto ipsec transform-set TS esp-aes esp-sha-hmac
    Kind("crypto-map", (r"^crypto map (?P<name>\S+) \d+ ",)),
    Kind("transform-set", (r"^crypto ipsec transform-set (?P<name>\S+) ",)),
    # key chain OSPF-KEYS
    Kind("key-chain", (r"^key chain (?P<name>\S+)$",)),
    # ip inspect name EXT_OUT http java-list 11 alert on: a CBAC rule, one line per protocol
    Kind("inspect", (r"^ip inspect name (?P<name>\S+) ",)),
    # interface Dialer1 / dialer pool 1 dials out of whichever interface is a member of
    # pool 1: an ATM PVC (`dialer pool-member 1`, PPPoA) or an Ethernet port running the
    # PPPoE client (`pppoe-client dial-pool-number 1`); with none, the dialer never dials.
    Kind(
        "dialer-pool",
        (
            r"^dialer pool-member (?P<name>\d+)\b",
            r"^pppoe-client dial-pool-number (?P<name>\d+)\b",
        ),
        inside=r"^interface ",
    ),
)


@dataclass(frozen=True, slots=True)
class Reference:
    """A line that names an object of `kind`: group `names` of `pattern`.

    under: a regex for the global line the reference sits under, at any depth
    (None: a global line itself); target: the object's name made from the word
    (`rotary-group 2` names `Dialer2`); many: one object per word (`match ip address
    10 101`); needs: a line the object must have for the reference to work; code: the
    lint finding when no object of that name is defined (None: not checked).
    """

    kind: str
    pattern: str
    under: str | None = None
    target: str = "{}"
    many: bool = False
    needs: str | None = None
    code: str | None = None


# ppp authentication ms-chap-v2 chap callin PPTP: the methods, then a list name or none
_PPP_METHODS = r"(?:pap|chap|ms-chap|ms-chap-v2|eap|callin)"

REFERENCES: tuple[Reference, ...] = (
    # route-map INTERNET permit 10 / match ip address 10
    Reference(
        "acl",
        r"^match ip address (?!prefix-list)(?P<names>.+)$",
        r"^route-map ",
        many=True,
        code="IOS101",
    ),
    Reference(
        "prefix-list",
        r"^match ip address prefix-list (?P<names>.+)$",
        r"^route-map ",
        many=True,
        code="IOS101",
    ),
    # ip nat inside source route-map VPN interface Dialer2 overload
    Reference(
        "route-map", r"^ip nat (?:inside|outside) source route-map (?P<names>\S+)", code="IOS102"
    ),
    Reference("interface", rf"^ip nat .*\binterface (?P<names>{IFNAME})", code="IOS103"),
    # ip nat inside source list 10 interface FastEthernet0/0 overload
    Reference("acl", r"^ip nat (?:inside|outside) source list (?P<names>\S+)", code="IOS104"),
    # interface Dialer1 / dialer-group 1  ->  dialer-list 1 protocol ip permit
    Reference("dialer-list", r"^dialer-group (?P<names>\d+)$", r"^interface ", code="IOS105"),
    # vpdn-group 2 / request-dialin / protocol pptp / rotary-group 2  ->  interface Dialer2,
    # which must be `dialer in-band` to be a rotary group
    Reference(
        "interface",
        r"^rotary-group (?P<names>\d+)$",
        r"^vpdn-group ",
        "Dialer{}",
        needs="dialer in-band",
        code="IOS106",
    ),
    # vpdn-group 1 / accept-dialin / protocol pptp / virtual-template 1; and the PPPoE
    # server's bba-group pppoe global / virtual-template 1
    Reference(
        "interface",
        r"^virtual-template (?P<names>\d+)$",
        r"^(?:vpdn-group|bba-group) ",
        "Virtual-Template{}",
        code="IOS107",
    ),
    # interface Virtual-Template1 / peer default ip address pool PPTP
    Reference(
        "pool",
        r"^peer default ip address pool (?P<names>.+)$",
        r"^interface ",
        many=True,
        code="IOS108",
    ),
    # ip route 10.10.0.0 255.255.0.0 Dialer2
    Reference("interface", rf"^ip route (?:vrf \S+ )?\S+ \S+ (?P<names>{IFNAME})\b", code="IOS109"),
    Reference("interface", rf"^ip unnumbered (?P<names>{IFNAME})$", r"^interface ", code="IOS110"),
    Reference(
        "interface", r"^match interface (?P<names>.+)$", r"^route-map ", many=True, code="IOS111"
    ),
    # An interface or line ACL that does not exist filters nothing: IOS permits all.
    Reference("acl", r"^ip access-group (?P<names>\S+) (?:in|out)$", r"^interface ", code="IOS112"),
    Reference("acl", r"^access-class (?P<names>\S+) (?:in|out)", r"^line ", code="IOS112"),
    # dialer-list 1 protocol ip list 101
    Reference("acl", r"^dialer-list \d+ protocol ip list (?P<names>\d+)"),
    # ip inspect name FW http java-list 11: CBAC lets Java applets only from ACL 11's hosts
    Reference("acl", r"^ip inspect name \S+ http (?:.* )?java-list (?P<names>\S+)"),
    # ip wccp web-cache redirect-list 120 [group-list 10]: which traffic is redirected
    Reference("acl", r"^ip wccp \S+ (?:.* )?redirect-list (?P<names>\S+)"),
    Reference("acl", r"^ip wccp \S+ (?:.* )?group-list (?P<names>\S+)"),
    # ntp access-group peer 10: the ACL is `10`, not `peer`
    Reference("acl", r"^ntp access-group (?:peer|query-only|serve|serve-only) (?P<names>\S+)"),
    # snmp-server community public RO 10
    Reference("acl", r"^snmp-server community \S+ (?:view \S+ )?(?:RO|RW|ro|rw) (?P<names>\S+)"),
    # aaa authentication login default local: needs `aaa new-model`
    Reference("aaa", r"^(?P<names>aaa) (?!new-model$)"),
    # line vty 0 4 / login authentication VTY / authorization exec VTY
    Reference("aaa-login", r"^login authentication (?P<names>\S+)$", r"^line "),
    Reference("aaa-exec", r"^authorization exec (?P<names>\S+)$", r"^line "),
    # interface Virtual-Template1 / ppp authentication ms-chap-v2 PPTP
    Reference(
        "aaa-ppp",
        rf"^ppp authentication (?:{_PPP_METHODS} )+(?:callin )?(?P<names>(?!{_PPP_METHODS}$)\S+)$",
        r"^interface ",
    ),
    # ip nat inside source list 10 pool PUBLIC overload
    Reference(
        "nat-pool",
        r"^ip nat (?:inside|outside) source (?:list|route-map) \S+ pool (?P<names>\S+)",
        code="IOS119",
    ),
    # policy-map QOS / class VOICE; interface Dialer1 / service-policy output QOS
    Reference("class-map", r"^class (?P<names>(?!class-default$)\S+)$", r"^policy-map "),
    # control-plane / service-policy input COPP; a parent policy's class: policy-map
    # SHAPE_HEIR / class ALL / service-policy EXTERNAL_CBWFQ. IOS refuses an undefined one
    # as it is typed; a config written elsewhere (a build, a file) can still hold it.
    Reference(
        "policy-map",
        r"^service-policy (?:input|output) (?P<names>\S+)$",
        r"^(?:interface|control-plane)",
        code="IOS117",
    ),
    Reference("policy-map", r"^service-policy (?P<names>\S+)$", r"^policy-map ", code="IOS117"),
    # class-map match-any VOICE / match access-group 101 (or `name VOICE-ACL`)
    Reference("acl", r"^match access-group (?:name )?(?P<names>\S+)$", r"^class-map "),
    # interface FastEthernet0/0 / crypto map VPN; crypto map VPN 10 / match address 110:
    # a map that is not there encrypts nothing; an entry without its ACL or transform set
    # is incomplete, and IOS does not install it (`show crypto map`)
    Reference("crypto-map", r"^crypto map (?P<names>\S+)$", r"^interface ", code="IOS113"),
    Reference("acl", r"^match address (?P<names>\S+)$", r"^crypto map ", code="IOS114"),
    Reference(
        "transform-set",
        r"^set transform-set (?P<names>.+)$",
        r"^crypto map ",
        many=True,
        code="IOS115",
    ),
    # interface Dialer1 / ip inspect EXT_OUT out  ->  ip inspect name EXT_OUT ...
    Reference(
        "inspect", r"^ip inspect (?P<names>(?!name )\S+) (?:in|out)$", r"^interface ", code="IOS116"
    ),
    # interface Ethernet0/2.10 / ip policy route-map FOR_VPC30 (and `ip local policy
    # route-map X`): with no route-map, no policy routing
    Reference("route-map", r"^ip policy route-map (?P<names>\S+)$", r"^interface ", code="IOS118"),
    Reference("route-map", r"^ip local policy route-map (?P<names>\S+)$", code="IOS118"),
    # interface Dialer1 / dialer pool 1  ->  a member of pool 1 (Kind "dialer-pool")
    Reference("dialer-pool", r"^dialer pool (?P<names>\d+)$", r"^interface ", code="IOS120"),
    # interface FastEthernet0/1 / ip ospf authentication key-chain OSPF-KEYS (and eigrp's)
    Reference(
        "key-chain",
        r"^ip (?:ospf )?authentication key-chain (?:eigrp \d+ )?(?P<names>\S+)$",
        r"^interface ",
    ),
)

Obj = tuple[str, str]  # (kind, name): ("acl", "101"), ("interface", "Dialer2")


# Every pattern starts with a literal command word (`^match `, `^(?P<name>aaa) `): lines
# are only tried against the patterns of their own first word (10,000 route-maps).
_FIRST_WORD = re.compile(r"\^(?:\(\?P<\w+>)?([A-Za-z][A-Za-z-]*)")


def first_word(pattern: str) -> str:
    """The command word a table pattern starts with.

    >>> first_word(r"^ip nat (?:inside|outside) source list (?P<names>\\S+)")
    'ip'
    """
    m = _FIRST_WORD.match(pattern)
    if m is None:
        raise ValueError(f"pattern without a leading command word: {pattern}")
    return m[1]


def _by_word(items: list[tuple[str, _T]]) -> dict[str, tuple[tuple[_T, re.Pattern[str]], ...]]:
    out: dict[str, list[tuple[_T, re.Pattern[str]]]] = {}
    for pattern, item in items:
        out.setdefault(first_word(pattern), []).append((item, re.compile(pattern)))
    return {word: tuple(found) for word, found in out.items()}


@cache
def _definers() -> dict[str, tuple[tuple[str, re.Pattern[str]], ...]]:
    # global lines only: a kind defined inside a section is placed with its section
    return _by_word([(p, k.name) for k in KINDS if k.inside is None for p in k.defines])


@cache
def _referrers() -> dict[str, tuple[tuple[Reference, re.Pattern[str]], ...]]:
    return _by_word([(r.pattern, r) for r in REFERENCES])


def _word(text: str) -> str:
    return text.split(" ", 1)[0]


def defined(text: str) -> set[Obj]:
    """The objects a global line defines.

    >>> sorted(defined("ip access-list extended VPN"))
    [('acl', 'VPN')]
    >>> sorted(defined("interface Dialer2"))
    [('interface', 'Dialer2')]
    """
    rules = _definers().get(_word(text), ())
    return {(kind, m["name"]) for kind, regex in rules if (m := regex.match(text))}


def referenced(text: str) -> set[Obj]:
    """The objects a line names, wherever it sits (its section is not checked).

    >>> sorted(referenced("ip nat inside source route-map VPN interface Dialer2 overload"))
    [('interface', 'Dialer2'), ('route-map', 'VPN')]
    >>> sorted(referenced("match ip address 10 101"))
    [('acl', '10'), ('acl', '101')]
    >>> sorted(referenced("rotary-group 2"))
    [('interface', 'Dialer2')]
    >>> sorted(referenced("ntp access-group peer 10"))
    [('acl', '10')]
    """
    out: set[Obj] = set()
    for ref, regex in _referrers().get(_word(text), ()):
        if m := regex.match(text):
            words = m["names"].split() if ref.many else [m["names"].strip()]
            out.update((ref.kind, ref.target.format(w)) for w in words)
    return out


def references_in(text: str, top: str | None) -> list[tuple[Reference, str]]:
    """The references a line makes where it sits: under the global line `top` (None: it
    is a global line), with the name of each object it names.

    >>> [(r.kind, n) for r, n in references_in("virtual-template 1", "vpdn-group 1")]
    [('interface', 'Virtual-Template1')]
    >>> references_in("virtual-template 1", None)
    []
    """
    out: list[tuple[Reference, str]] = []
    for ref, regex in _referrers().get(_word(text), ()):
        if (ref.under is None) != (top is None):
            continue
        if top is not None and ref.under is not None and not re.match(ref.under, top):
            continue
        if m := regex.match(text):
            words = m["names"].split() if ref.many else [m["names"].strip()]
            out.extend((ref, ref.target.format(w)) for w in words)
    return out


@cache
def _interface_referrers() -> dict[str, tuple[tuple[Reference, re.Pattern[str]], ...]]:
    """The references that name an interface by its own name, by first word."""
    return _by_word(
        [(r.pattern, r) for r in REFERENCES if r.kind == "interface" and r.target == "{}"]
    )


def canonical_references(text: str, canonical: Callable[[str], str | None]) -> str:
    """The line with each interface it names (by the reference table) written in full.

    A config saved as typed names interfaces as typed (`ip route 0.0.0.0 0.0.0.0 Di2`);
    IOS prints and stores `Dialer2`. `canonical` is `ios.names.canonical_name`.

    >>> from iosgen.ios.names import canonical_name
    >>> canonical_references("ip nat inside source list 1 interface Fa0/0 overload", canonical_name)
    'ip nat inside source list 1 interface FastEthernet0/0 overload'
    >>> canonical_references("ip route 0.0.0.0 0.0.0.0 Di2 200", canonical_name)
    'ip route 0.0.0.0 0.0.0.0 Dialer2 200'
    """
    for ref, regex in _interface_referrers().get(_word(text), ()):
        m = regex.match(text)
        if m is None:
            continue
        start, end = m.span("names")
        names = text[start:end].split() if ref.many else [text[start:end]]
        full = [canonical(name) or name for name in names]
        return text[:start] + " ".join(full) + text[end:]
    return text
