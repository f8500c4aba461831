"""`iosgen import`: a router's config read into a site model that builds back to it.

Every line the typed model can say exactly goes into its typed field; every other
line goes into `extra_config` in place: right after the top-level line it followed
(`after:`), so the build prints the config in the router's own order. The site is
an adopted one (`baseline: false`): iosgen adds none of the lines it writes on the
routers it builds. Secrets never stand in the site file: each moves to the secrets
file (type 7 decoded, type-5 hashes kept as hashes) and the line names it.

A typed field that the site checks would refuse (an interface name the chassis
does not have, a route whose next hop is the router's own address) is given up
for that field alone: its lines go back to extra_config and the import is tried
again, so that every config can be adopted whole.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from ipaddress import IPv4Address, IPv4Interface, IPv4Network
from typing import Any, Final

from iosgen.adopt.reader import Block, config_blocks
from iosgen.errors import InputError, Problem
from iosgen.ios.limits import DESCRIPTION, DOMAIN_NAME, HOSTNAME, USERNAME
from iosgen.ios.mask import MASK
from iosgen.ios.names import canonical_ios_name
from iosgen.ios.passwords import is_type7, type7_decode
from iosgen.ios.secrets import mask_line, redact_line, secret_spans
from iosgen.model.extra import CERTIFICATE_CHAIN, CERTIFICATE_END, line_problem

SERVICE_TIMESTAMPS: Final = (
    "service timestamps debug datetime msec",
    "service timestamps log datetime msec",
)
_USER_RE: Final = re.compile(
    r"username (?P<name>\S+)(?: privilege (?P<level>\d+))? secret 5 (?P<hash>\$1\$\S+)"
)
_ROUTE_RE: Final = re.compile(r"ip route (?P<net>[\d.]+) (?P<mask>[\d.]+) (?P<hop>[\d.]+|Null0)")
_ADDRESS_RE: Final = re.compile(r"ip address (?P<ip>[\d.]+) (?P<mask>[\d.]+)")
_BANNER_HEAD_RE: Final = re.compile(r"banner (?P<kind>motd|login|exec|incoming) \^C")
_SECRET_NAME_RE: Final = re.compile(r"[^A-Za-z0-9_.\-]+")
_PRINTABLE: Final = re.compile(r"[ -~]+")


@dataclass
class Adopted:
    """The site data, the secrets it names, and what went where."""

    hostname: str
    site: dict[str, Any]
    secrets: dict[str, str]
    typed_lines: int = 0
    # the build of the site, as adopt() checked it (before any --in-group)
    built: str = ""
    extra_lines: int = 0
    given_up: list[str] = field(default_factory=list)

    @property
    def secrets_moved(self) -> int:
        return len(self.secrets)


@dataclass
class _Reading:
    """One pass over the blocks: what is typed so far, and the secrets named."""

    source: str
    refuse: set[str]
    data: dict[str, Any] = field(default_factory=dict)
    secrets: dict[str, str] = field(default_factory=dict)
    typed: set[int] = field(default_factory=set)  # indexes of blocks fully typed

    # the host's name first (`r1-enable`): sites of one inventory share one secrets file
    prefix: str = ""

    def secret_name(self, hint: str) -> str:
        base = _SECRET_NAME_RE.sub("-", hint).strip("-").lower() or "secret"
        if self.prefix:
            base = f"{self.prefix}-{base}"
        name, n = base, 2
        while name in self.secrets:
            name, n = f"{base}-{n}", n + 1
        return name


# --- typed fields -----------------------------------------------------------------------


def _one(blocks: list[Block], text: str) -> int | None:
    return next((i for i, b in enumerate(blocks) if b.head == text and not b.body), None)


def _hostname(r: _Reading, blocks: list[Block]) -> None:
    for i, b in enumerate(blocks):
        if b.head.startswith("hostname ") and not b.body:
            name = b.head.removeprefix("hostname ")
            if HOSTNAME.problem(name) is None:
                r.data["hostname"] = name
                r.typed.add(i)
            return


def _services(r: _Reading, blocks: list[Block]) -> None:
    services: dict[str, Any] = {}
    stamps = [_one(blocks, line) for line in SERVICE_TIMESTAMPS]
    if all(i is not None for i in stamps) and "timestamps" not in r.refuse:
        services["timestamps"] = True
        r.typed.update(i for i in stamps if i is not None)
    else:
        services["timestamps"] = False
    at = _one(blocks, "service password-encryption")
    services["password_encryption"] = at is not None
    if at is not None:
        r.typed.add(at)
    at = _one(blocks, "no ip domain lookup")
    services["domain_lookup"] = at is None
    if at is not None:
        r.typed.add(at)
    at = _one(blocks, "ip http server")
    services["http_server"] = at is not None
    if at is not None:
        r.typed.add(at)
    r.data["services"] = services


def _enable(r: _Reading, blocks: list[Block]) -> dict[str, Any]:
    for i, b in enumerate(blocks):
        match = re.fullmatch(r"enable secret 5 (\$1\$\S+)", b.head)
        if match and not b.body and "management" not in r.refuse:
            name = r.secret_name("enable")
            r.secrets[name] = f"5 {match[1]}"
            r.typed.add(i)
            return {"enable_secret": f"secret:{name}"}
    return {}


def _users(r: _Reading, blocks: list[Block]) -> None:
    users: dict[str, Any] = {}
    typed: list[int] = []
    for i, b in enumerate(blocks):
        match = _USER_RE.fullmatch(b.head)
        if not match or b.body or f"users.{match['name']}" in r.refuse:
            continue
        name, level = match["name"], int(match["level"] or 1)
        if USERNAME.problem(name) is not None or level > 15 or name in users:
            continue
        secret = r.secret_name(f"user-{name}")
        r.secrets[secret] = f"5 {match['hash']}"
        users[name] = {"privilege": level, "secret": f"secret:{secret}"}
        typed.append(i)
    # The build prints users by name: typed only if they came in that order.
    if users and list(users) == sorted(users):
        r.data["users"] = users
        r.typed.update(typed)
    else:
        for name in users:
            del r.secrets[users[name]["secret"].removeprefix("secret:")]


def _names(r: _Reading, blocks: list[Block]) -> None:
    for i, b in enumerate(blocks):
        if b.head.startswith("ip domain name ") and not b.body and "domain_name" not in r.refuse:
            name = b.head.removeprefix("ip domain name ")
            if DOMAIN_NAME.problem(name) is None:
                r.data["domain_name"] = name
                r.typed.add(i)
    servers = []
    for i, b in enumerate(blocks):
        words = b.head.split(" ")
        if words[:2] == ["ip", "name-server"] and len(words) == 3 and not b.body:
            if "name_servers" in r.refuse:
                continue
            try:
                servers.append(str(IPv4Address(words[2])))
            except ValueError:
                continue
            r.typed.add(i)
    if servers:
        r.data["name_servers"] = servers


def _routes(r: _Reading, blocks: list[Block]) -> None:
    """`ip route NET MASK NEXT-HOP`: typed only if IOS's own order (by network, then prefix
    length) is the order they came in, as the build prints them in that order."""
    if "routes" in r.refuse:
        return
    found: list[tuple[int, IPv4Network, str]] = []
    for i, b in enumerate(blocks):
        match = _ROUTE_RE.fullmatch(b.head)
        if not match or b.body:
            continue
        try:
            net = IPv4Network(f"{match['net']}/{match['mask']}")
            if match["hop"] != "Null0":
                IPv4Address(match["hop"])
        except ValueError:
            continue
        found.append((i, net, match["hop"]))
    keys = [(int(n.network_address), n.prefixlen) for _, n, _ in found]
    if not found or keys != sorted(keys):
        return
    r.data["routes"] = [{"network": str(n), "next_hop": hop} for _, n, hop in found]
    r.typed.update(i for i, _, _ in found)


def _banners(r: _Reading, blocks: list[Block]) -> None:
    banners: dict[str, str] = {}
    for i, b in enumerate(blocks):
        match = _BANNER_HEAD_RE.fullmatch(b.head)
        if not (b.banner and match and b.body and b.body[-1] == "^C"):
            continue
        if f"banners.{match['kind']}" in r.refuse:
            continue
        text = "\n".join(b.body[:-1])
        if not text or "^C" in text or not text.isascii():
            continue
        banners[match["kind"]] = text
        r.typed.add(i)
    if banners:
        r.data["banners"] = banners


def _interfaces(r: _Reading, blocks: list[Block], extras: dict[int, list[str]]) -> None:
    """A port whose first lines are `[description D]` then `ip address A M` (or `dhcp`):
    those lines typed, the rest its extra_config. The port with `ip nat outside` (else
    the one on DHCP) is the WAN; other ports are LANs, which need a static address."""
    candidates: list[tuple[int, str, dict[str, Any], list[str]]] = []
    for i, b in enumerate(blocks):
        if not b.head.startswith("interface "):
            continue
        name = canonical_ios_name(b.head.removeprefix("interface "))
        if name is None or name != b.head.removeprefix("interface ") or " " in name:
            continue
        if f"interfaces.{name}" in r.refuse:
            continue
        children = b.children
        iface: dict[str, Any] = {}
        k = 0
        if k < len(children) and children[k].startswith("description "):
            description = children[k].removeprefix("description ")
            if DESCRIPTION.problem(description) is not None or description != description.strip():
                continue
            iface["description"] = description
            k += 1
        if k < len(children) and children[k] == "ip address dhcp":
            iface["ipv4"] = "dhcp"
        elif k < len(children) and (match := _ADDRESS_RE.fullmatch(children[k])):
            try:
                iface["ipv4"] = str(IPv4Interface(f"{match['ip']}/{match['mask']}"))
            except ValueError:
                continue
        else:
            continue
        candidates.append((i, name, iface, children[k + 1 :]))
    wan = next((c for c in candidates if "ip nat outside" in c[3]), None)
    wan = wan or next((c for c in candidates if c[2]["ipv4"] == "dhcp"), None)
    interfaces: dict[str, Any] = {}
    for i, name, iface, rest in candidates:
        role = "wan" if wan is not None and name == wan[1] else "lan"
        if role == "lan" and iface["ipv4"] == "dhcp":
            continue  # a LAN needs a static address: kept whole in extra_config
        iface = {"role": role, **iface}
        if rest:
            iface["extra_config"] = rest
        interfaces[name] = iface
        r.typed.add(i)
        extras[i] = rest
    r.data["interfaces"] = interfaces


def _lines_of(
    r: _Reading, blocks: list[Block], key: str, pattern: re.Pattern[str]
) -> list[tuple[int, re.Match[str]]]:
    """The one-line blocks matching `pattern` (none if the field was given up)."""
    if key in r.refuse:
        return []
    out = []
    for i, b in enumerate(blocks):
        match = pattern.fullmatch(b.head)
        if match and not b.body:
            out.append((i, match))
    return out


_NTP_RE: Final = re.compile(r"ntp server (?P<a>\d+\.\d+\.\d+\.\d+)")
_LOGGING_RE: Final = re.compile(r"logging (?P<a>\d+\.\d+\.\d+\.\d+)")
_COMMUNITY_RE: Final = re.compile(
    r"snmp-server community (?P<c>\S+) (?P<access>RO|RW)(?: (?P<acl>\d+))?"
)
_SNMP_HOST_RE: Final = re.compile(
    r"snmp-server host (?P<a>[\d.]+) (?:version (?P<v>1|2c) )?(?P<c>\S+)"
)
_FORWARD_RE: Final = re.compile(
    r"ip nat inside source static (?P<p>tcp|udp) (?P<in>[\d.]+) (?P<inport>\d+) "
    r"(?:interface (?P<if>\S+)|(?P<out>[\d.]+)) (?P<outport>\d+)(?P<ext> extendable)?"
)
_EXCLUDED_RE: Final = re.compile(r"ip dhcp excluded-address (?P<low>[\d.]+)(?: (?P<high>[\d.]+))?")
_ACL_RE: Final = re.compile(r"ip access-list (?P<kind>standard|extended) (?P<name>\S+)")
_POOL_LINE_RE: Final = re.compile(
    r"   (?:network (?P<net>[\d.]+) (?P<mask>[\d.]+)|default-router (?P<gw>[\d.]+)|"
    r"domain-name (?P<dom>\S+)|dns-server (?P<dns>[\d. ]+)|lease (?P<lease>\d+))"
)
_POOL_ORDER: Final = ("net", "gw", "dom", "dns", "lease")


def _services_typed(r: _Reading, blocks: list[Block], version: str | None) -> None:
    """NTP servers, syslog hosts (the 12.x form), SNMP, port forwards, named ACLs, DHCP."""
    found = _lines_of(r, blocks, "ntp_servers", _NTP_RE)
    if found:
        r.data["ntp_servers"] = [m["a"] for _, m in found]
        r.typed.update(i for i, _ in found)
    # 12.x prints `logging A.B.C.D`; the build prints what its image prints
    found = _lines_of(r, blocks, "logging_hosts", _LOGGING_RE)
    if found and version is not None and version.startswith("12."):
        r.data["logging_hosts"] = [m["a"] for _, m in found]
        r.typed.update(i for i, _ in found)
    _snmp(r, blocks)
    _forwards(r, blocks)
    _acls(r, blocks)
    _dhcp(r, blocks)


def _snmp(r: _Reading, blocks: list[Block]) -> None:
    communities = []
    for i, m in _lines_of(r, blocks, "snmp", _COMMUNITY_RE):
        name = r.secret_name(f"snmp-community-{m['access'].lower()}")
        r.secrets[name] = m["c"]
        entry: dict[str, Any] = {"community": f"secret:{name}", "access": m["access"]}
        if m["acl"]:
            entry["acl"] = int(m["acl"])
        communities.append(entry)
        r.typed.add(i)
    hosts = []
    for i, m in _lines_of(r, blocks, "snmp", _SNMP_HOST_RE):
        name = r.secret_name(f"snmp-host-{m['a']}")
        r.secrets[name] = m["c"]
        host: dict[str, Any] = {"host": m["a"], "community": f"secret:{name}"}
        if m["v"]:
            host["version"] = m["v"]
        hosts.append(host)
        r.typed.add(i)
    if communities or hosts:
        r.data["snmp"] = {k: v for k, v in (("communities", communities), ("hosts", hosts)) if v}


def _forwards(r: _Reading, blocks: list[Block]) -> None:
    forwards = []
    for i, m in _lines_of(r, blocks, "nat_forwards", _FORWARD_RE):
        forward: dict[str, Any] = {
            "protocol": m["p"],
            "inside": m["in"],
            "inside_port": int(m["inport"]),
        }
        if m["if"]:
            forward["outside_interface"] = m["if"]
        else:
            forward["outside"] = m["out"]
        forward["outside_port"] = int(m["outport"])
        if m["ext"]:
            forward["extendable"] = True
        forwards.append(forward)
        r.typed.add(i)
    if forwards:
        r.data["nat_forwards"] = forwards


def _acls(r: _Reading, blocks: list[Block]) -> None:
    acls: dict[str, Any] = {}
    for i, b in enumerate(blocks):
        acl = _ACL_RE.fullmatch(b.head)
        if not acl or f"access_lists.{acl['name']}" in r.refuse or acl["name"] in acls:
            continue
        if any(not x.startswith(" ") or x.startswith("  ") for x in b.body):
            continue  # entries at one space, as IOS prints them
        acls[acl["name"]] = {"kind": acl["kind"], "entries": b.children}
        r.typed.add(i)
    if acls:
        r.data["access_lists"] = acls


def _dhcp(r: _Reading, blocks: list[Block]) -> None:
    if "dhcp" in r.refuse:
        return
    excluded = []
    for i, m in _lines_of(r, blocks, "dhcp", _EXCLUDED_RE):
        excluded.append([m["low"], m["high"] or m["low"]])
        r.typed.add(i)
    pools: dict[str, Any] = {}
    for i, b in enumerate(blocks):
        if not b.head.startswith("ip dhcp pool ") or not b.body:
            continue
        pool = _pool(b.body)
        if pool is not None:
            pools[b.head.removeprefix("ip dhcp pool ")] = pool
            r.typed.add(i)
    dhcp: dict[str, Any] = {}
    if excluded:
        dhcp["excluded"] = excluded
    if pools:
        dhcp["pools"] = pools
    if dhcp:
        r.data["dhcp"] = dhcp


def _pool(body: list[str]) -> dict[str, Any] | None:
    """A pool whose every line is one the model has, in the order the build prints them."""
    pool: dict[str, Any] = {}
    last = -1
    for line in body:
        m = _POOL_LINE_RE.fullmatch(line)
        if m is None:
            return None
        kind = next(k for k in _POOL_ORDER if m[k] is not None)
        if _POOL_ORDER.index(kind) <= last:
            return None
        last = _POOL_ORDER.index(kind)
        if kind == "net":
            try:
                pool["network"] = str(IPv4Network(f"{m['net']}/{m['mask']}"))
            except ValueError:
                return None
        elif kind == "gw":
            pool["default_router"] = m["gw"]
        elif kind == "dom":
            pool["domain_name"] = m["dom"]
        elif kind == "dns":
            pool["dns_servers"] = m["dns"].split()
        else:
            pool["lease_days"] = int(m["lease"])
    return pool if "network" in pool else None


# --- the rest: extra_config in place -------------------------------------------------------


def _with_secrets(r: _Reading, text: str, parent: str | None, hint: str, at: int = 1) -> str:
    """`text` with each secret moved to the secrets file: `{type7:NAME}` for a type-7
    value (decoded), `{secret:NAME}` for any other (kept as it stands). A type-7 value
    that decodes to no printable ASCII is no password IOS wrote: refused at its line."""
    spans = secret_spans(text, parent)
    for span in sorted(spans, key=lambda s: s.start, reverse=True):
        value = text[span.start : span.end]
        # named by the words before it (never the value): `username-oxy-secret`
        words = span.head.split()[:3] if span.head else ["secret"]
        name = r.secret_name("-".join([hint, *words]) if hint else "-".join(words))
        head = text[: span.start]
        if span.encoding == "7" and is_type7(value) and head.endswith("7 "):
            clear = type7_decode(value)
            if not _PRINTABLE.fullmatch(clear):
                shown = redact_line(text, parent=parent)
                raise InputError(
                    [
                        Problem(
                            r.source,
                            at,
                            1,
                            "",
                            f"cannot keep: {shown!r}: its type-7 value does not decode to "
                            "printable ASCII (a damaged or hand-made value)",
                        )
                    ]
                )
            r.secrets[name] = clear
            text = f"{head[:-2]}{{type7:{name}}}{text[span.end :]}"
        else:
            r.secrets[name] = value
            text = f"{head}{{secret:{name}}}{text[span.end :]}"
    return text


def _extra_items(
    r: _Reading, blocks: list[Block], interface_rest: dict[int, list[str]]
) -> Iterator[tuple[str, Any]]:
    """("lines", entry) or ("section", (header, entry)) for each block not typed."""
    previous: str | None = None
    for i, b in enumerate(blocks):
        if i in r.typed:
            if i in interface_rest:
                parent = b.head
                name = b.head.removeprefix("interface ")
                rest = [_with_secrets(r, x, parent, name, b.line) for x in interface_rest[i]]
                r.data["interfaces"][name].pop("extra_config", None)
                if rest:
                    r.data["interfaces"][name]["extra_config"] = rest
            previous = mask_line(b.head, None)  # a typed secret line, named masked
            continue
        hint = ""
        if b.banner:
            raise InputError(
                [
                    Problem(
                        r.source,
                        b.line,
                        1,
                        "",
                        "a banner iosgen cannot keep (its delimiter is not ^C on a line "
                        "of its own, or its text is not plain ASCII)",
                    )
                ]
            )
        head = _with_secrets(r, b.head, None, hint, b.line)
        context = b.head.split(" ")[1] if b.head.startswith("interface ") else ""
        body = [
            _with_secrets(r, x, b.head, context, b.line + k + 1) for k, x in enumerate(b.children)
        ]
        if b.body:
            entry: Any = {"lines": body} if previous is None else {"after": previous, "lines": body}
            yield "section", (head, entry)
        else:
            yield "lines", head if previous is None else {"line": head, "after": previous}
        previous = head  # as the site file writes it: what `after:` names


def _chassis(blocks: list[Block]) -> str | None:
    """The chassis a config names (`license udi pid CISCO881-SEC-K9`), if iosgen knows it:
    the ports a site may name come from it."""
    from iosgen.ios import hardware

    for b in blocks:
        match = re.match(r"license udi pid CISCO(\d+)", b.head)
        if match and match[1] in hardware.CHASSIS:
            return match[1]
    return None


def _check_lines(source: str, blocks: list[Block]) -> None:
    """A line IOS printed that iosgen could not type back at the prompt: one error."""
    problems = []
    for b in blocks:
        if b.banner:
            continue
        for offset, (text, child) in enumerate([(b.head, False), *((x, True) for x in b.children)]):
            problem = line_problem(text, child=child)
            if problem is not None and child and _ends_certificate(b.head, text):
                continue
            if problem is not None:
                parent = b.head if child else None
                problems.append(
                    Problem(source, b.line + offset, 1, "", _masked_problem(text, parent, problem))
                )
    if problems:
        raise InputError(problems)


def _ends_certificate(head: str, child: str) -> bool:
    # the one fact, kept by the model that must accept the same line (model.extra)
    return head.startswith(CERTIFICATE_CHAIN) and child == CERTIFICATE_END


def _masked_problem(text: str, parent: str | None, problem: str) -> str:
    """`cannot keep: PROBLEM` with the line's secret masked: the message quotes the line
    (`line_problem` shows it as its repr, or its first 40 characters), and a bad byte is
    often inside the secret itself (`snmp-server community S3cret\x01 RO`)."""
    # a tab or a line break inside the value is part of it, not a word break
    probe = re.sub(r"[^\S ]", "\x01", text)
    masked = text
    for span in sorted(secret_spans(probe, parent), key=lambda s: s.start, reverse=True):
        masked = masked[: span.start] + MASK + masked[span.end :]
    masked = redact_line(masked, parent=parent)
    if masked != text:
        for shown, instead in (
            (repr(text), repr(masked)),
            (f"{text[:40]!r}...", f"{masked[:40]!r}..."),
        ):
            if problem.startswith(shown):
                problem = instead + problem[len(shown) :]
                break
        else:  # a shape of message this does not know: never quote the line at all
            problem = redact_line(f"the line {problem.split(' ', 1)[-1]}")
        if line_problem(masked, child=parent is not None) is None:
            problem += " (in its secret)"
    return f"cannot keep: {problem}"


def read_site(
    text: str, source: str, host: str | None = None, refuse: set[str] | None = None
) -> Adopted:
    """The site data for a config text (one pass; `refuse`: typed fields given up)."""
    blocks = config_blocks(text, source)
    _check_lines(source, blocks)
    r = _Reading(source, refuse or set())
    _hostname(r, blocks)
    if "hostname" not in r.data:
        raise InputError(
            [Problem(source, 1, 1, "", "no `hostname NAME` line (a host name IOS takes)")]
        )
    hostname = r.data["hostname"]
    r.prefix = _SECRET_NAME_RE.sub("-", hostname).strip("-").lower()
    _services(r, blocks)
    management = _enable(r, blocks)
    _users(r, blocks)
    _names(r, blocks)
    interface_rest: dict[int, list[str]] = {}
    _interfaces(r, blocks, interface_rest)
    _routes(r, blocks)
    _banners(r, blocks)
    version = next((b.head[8:] for b in blocks if b.head.startswith("version ")), None)
    _services_typed(r, blocks, version)
    users = r.data.get("users", {})
    admin = next((n for n, u in users.items() if u["privilege"] == 15), None)
    env = re.sub(r"[^A-Z0-9]", "_", hostname.upper())
    site: dict[str, Any] = {
        "hostname": hostname,
        "platform": "ios",
        "baseline": False,
        "management": {
            "host": host or hostname,
            "username": admin or "admin",
            "password": f"${{IOSGEN_{env}_PASSWORD}}",
            **management,
        },
    }
    model = _chassis(blocks)
    if model is not None:
        site["hardware"] = {"model": model}
    for key in ("services", "domain_name", "name_servers", "users"):
        if key in r.data:
            site[key] = r.data[key]
    site["aaa"] = {"enabled": False}
    site["archive"] = {"enabled": False}
    site["interfaces"] = r.data["interfaces"]
    for key in (
        "routes",
        "banners",
        "ntp_servers",
        "logging_hosts",
        "snmp",
        "nat_forwards",
        "access_lists",
        "dhcp",
    ):
        if key in r.data:
            site[key] = r.data[key]
    lines: list[Any] = []
    sections: dict[str, Any] = {}
    extra_count = 0
    for kind, entry in _extra_items(r, blocks, interface_rest):
        if kind == "lines":
            lines.append(entry)
            extra_count += 1
        else:
            header, body = entry
            sections[header] = body
            extra_count += 1 + len(body["lines"])
    extra_count += sum(len(rest) for rest in interface_rest.values())
    if lines or sections:
        site["extra_config"] = {}
        if lines:
            site["extra_config"]["lines"] = lines
        if sections:
            site["extra_config"]["sections"] = sections
    typed = sum(1 + len(blocks[i].body) for i in r.typed) - sum(
        len(rest) for rest in interface_rest.values()
    )
    return Adopted(hostname, site, r.secrets, typed_lines=typed, extra_lines=extra_count)


# --- the typed fields the site checks refuse, given up one by one ---------------------------

_GIVE_UP_WHOLE: Final = frozenset(
    {
        "routes",
        "management",
        "domain_name",
        "name_servers",
        "ntp_servers",
        "logging_hosts",
        "snmp",
        "nat_forwards",
        "dhcp",
    }
)
# Fields whose problems are ours to fix by giving the field up; a problem anywhere else
# (an extra_config line, the host name) is the config's and is reported.
_GIVE_UP_NAMED: Final = frozenset({"interfaces", "users", "banners", "access_lists"})


def _refusal(path: str) -> str | None:
    parts = path.split(".")
    if parts[0] in _GIVE_UP_WHOLE:
        return parts[0]
    if parts[0] in _GIVE_UP_NAMED and len(parts) > 1:
        return f"{parts[0]}.{parts[1]}"
    if parts[0] == "services" and len(parts) > 1 and parts[1] == "timestamps":
        return "timestamps"
    return None


def adopt(text: str, source: str, host: str | None = None) -> Adopted:
    """The site for a config text: typed where the site checks take it, extra elsewhere."""
    from iosgen.build.ios import render
    from iosgen.errors import RenderError
    from iosgen.model.inventory import validate_site_data
    from iosgen.model.secret import SecretResolver
    from iosgen.model.yamlsource import Position, SourceMap

    refuse: set[str] = set()
    while True:
        adopted = read_site(text, source, host, refuse)
        env = adopted.site["management"]["password"][2:-1]
        resolver = SecretResolver(environ={env: "import-check"}, secrets=adopted.secrets)
        where = SourceMap()
        where.values[()] = Position(source, 1, 1)
        site, problems = validate_site_data(adopted.site, where, resolver)
        more = {_refusal(p.path) for p in problems}
        if site is not None:
            try:
                adopted.built = render(site).text
                return adopted
            except RenderError as exc:
                raise InputError([Problem(source, 1, 1, "", f"cannot adopt: {exc}")]) from None
        if None in more or not (more - refuse):
            raise InputError(
                [
                    Problem(source, 1, 1, "", f"cannot adopt: {p.path}: {p.message}")
                    for p in problems
                ]
            )
        given = {m for m in more if m is not None} - refuse
        adopted.given_up = sorted(given)
        refuse |= given
