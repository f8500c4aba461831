"""The typed site model (the YAML contract of `site-model.md`) and its cross-field checks.

Field validators give one precise message per bad value; `site_problems` holds
the checks that need more than one field. Secrets arrive as references and are
resolved during validation through the `SecretResolver` in the validation
context, so a missing variable is reported at its own key like any other error.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from ipaddress import IPv4Address, IPv4Interface, IPv4Network
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ModelWrapValidatorHandler,
    PlainValidator,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
    model_validator,
)

from iosgen.ios import hardware
from iosgen.ios.limits import (
    CHAP_HOSTNAME,
    CHAP_SECRET,
    DESCRIPTION,
    DHCP_CLIENT_ID,
    DIALER_STRING,
    DOMAIN_NAME,
    ENABLE_SECRET,
    HOSTNAME,
    LOGIN_SECRET,
    POOL_NAME,
    PPTP_USER_SECRET,
    ROUTE_MAP,
    TUNNEL_NAME,
    USER_SECRET,
    USERNAME,
    NameRule,
    PlatformName,
    SecretRule,
    secret_problem,
)
from iosgen.ios.names import LINUX_NAME_RE, canonical_ios_name
from iosgen.model.secret import Secret, SecretResolver

# --- value types ----------------------------------------------------------------------


def _parse_address(value: Any) -> IPv4Address:
    if isinstance(value, IPv4Address):
        return value
    try:
        return IPv4Address(str(value))
    except ValueError:
        raise ValueError(f"{value!r} is not an IPv4 address") from None


def _parse_network(value: Any) -> IPv4Network:
    if isinstance(value, IPv4Network):
        return value
    text = str(value)
    try:
        return IPv4Network(text)
    except ValueError:
        pass
    try:
        loose = IPv4Network(text, strict=False)
    except ValueError:
        raise ValueError(f"{value!r} is not an IPv4 network (A.B.C.D/LEN)") from None
    raise ValueError(f"{value!r} has host bits set; the network is {loose}")


def _parse_interface_address(value: Any) -> IPv4Interface:
    if isinstance(value, IPv4Interface):
        return value
    text = str(value)
    if "/" not in text:
        raise ValueError(f"{value!r} is not an IPv4 interface address (A.B.C.D/LEN)")
    try:
        iface = IPv4Interface(text)
    except ValueError:
        raise ValueError(f"{value!r} is not an IPv4 interface address") from None
    net = iface.network
    if net.prefixlen < 31 and iface.ip in (net.network_address, net.broadcast_address):
        raise ValueError(f"{value!r} is the network or broadcast address of {net}")
    return iface


def _parse_ipv4_setting(value: Any) -> Literal["dhcp"] | IPv4Interface:
    if value == "dhcp":
        return "dhcp"
    if "/" not in str(value):
        raise ValueError(f"{value!r} is not 'dhcp' or an IPv4 interface address (A.B.C.D/LEN)")
    return _parse_interface_address(value)


def _parse_text(rule: NameRule, strip: bool = False) -> Callable[[Any], str]:
    """A validator holding `value` to its row of the field table (no silent stripping)."""

    def parse(value: Any) -> str:
        if not isinstance(value, str):
            kind = "a boolean" if isinstance(value, bool) else "a number"
            if not isinstance(value, int | float):
                kind = f"a {type(value).__name__}"
            raise ValueError(f"{value!r} is {kind}, not text: expected {rule.allowed}")
        text: str = value.strip() if strip else value
        problem = rule.problem(text)
        if problem is not None:
            raise ValueError(problem)
        return text

    return parse


def _text_schema(rule: NameRule) -> WithJsonSchema:
    return WithJsonSchema(
        {"type": "string", "pattern": f"^{rule.pattern}$", "maxLength": rule.max_length}
    )


# The platform of the site being validated: a secret's limits differ between IOS
# and pppd, and a section does not see the site's `platform` key.
_PLATFORM: ContextVar[PlatformName] = ContextVar("iosgen_platform", default="ios")


def _parse_secret(rule: SecretRule) -> Callable[[Any, ValidationInfo], Secret]:
    def parse(value: Any, info: ValidationInfo) -> Secret:
        if isinstance(value, Secret):
            return value  # built from a value already checked (the management account)
        if isinstance(value, bool) or not isinstance(value, str | int):
            raise ValueError(
                "expected a secret: ${ENV_NAME}, secret:NAME, '7 <hex>' or a quoted string"
            )
        resolver = (info.context or {}).get("resolver") or SecretResolver()
        assert isinstance(resolver, SecretResolver)
        secret = resolver.resolve(str(value))
        problem = secret_problem(rule, secret.reveal(), _PLATFORM.get())
        if problem is not None:
            # Named by where it came from, never by what it is.
            raise ValueError(f"{secret.origin} {problem}")
        return secret

    return parse


_SECRET_SCHEMA = WithJsonSchema(
    {"type": "string", "description": "${ENV_NAME} | secret:NAME | '7 <hex>' | literal"}
)


Address = Annotated[
    IPv4Address,
    PlainValidator(_parse_address),
    WithJsonSchema({"type": "string", "format": "ipv4"}),
]
Network = Annotated[
    IPv4Network,
    PlainValidator(_parse_network),
    WithJsonSchema({"type": "string", "description": "IPv4 network A.B.C.D/LEN"}),
]
InterfaceAddress = Annotated[
    IPv4Interface,
    PlainValidator(_parse_interface_address),
    WithJsonSchema({"type": "string", "description": "IPv4 interface address A.B.C.D/LEN"}),
]
Ipv4Setting = Annotated[
    Literal["dhcp"] | IPv4Interface,
    PlainValidator(_parse_ipv4_setting),
    WithJsonSchema({"type": "string", "description": "'dhcp' or A.B.C.D/LEN"}),
]
LoginSecret = Annotated[Secret, PlainValidator(_parse_secret(LOGIN_SECRET)), _SECRET_SCHEMA]
EnableSecret = Annotated[Secret, PlainValidator(_parse_secret(ENABLE_SECRET)), _SECRET_SCHEMA]
UserSecret = Annotated[Secret, PlainValidator(_parse_secret(USER_SECRET)), _SECRET_SCHEMA]
PptpUserSecret = Annotated[Secret, PlainValidator(_parse_secret(PPTP_USER_SECRET)), _SECRET_SCHEMA]
ChapSecret = Annotated[Secret, PlainValidator(_parse_secret(CHAP_SECRET)), _SECRET_SCHEMA]

HostName = Annotated[str, PlainValidator(_parse_text(HOSTNAME)), _text_schema(HOSTNAME)]
DomainName = Annotated[str, PlainValidator(_parse_text(DOMAIN_NAME)), _text_schema(DOMAIN_NAME)]
UserName = Annotated[str, PlainValidator(_parse_text(USERNAME)), _text_schema(USERNAME)]
ChapName = Annotated[str, PlainValidator(_parse_text(CHAP_HOSTNAME)), _text_schema(CHAP_HOSTNAME)]
TunnelName = Annotated[str, PlainValidator(_parse_text(TUNNEL_NAME)), _text_schema(TUNNEL_NAME)]
RouteMapName = Annotated[str, PlainValidator(_parse_text(ROUTE_MAP)), _text_schema(ROUTE_MAP)]
PoolName = Annotated[str, PlainValidator(_parse_text(POOL_NAME)), _text_schema(POOL_NAME)]
# Surrounding spaces of a description mean nothing to anyone: stripped, then checked.
Description = Annotated[
    str, PlainValidator(_parse_text(DESCRIPTION, strip=True)), _text_schema(DESCRIPTION)
]
DhcpClientId = Annotated[
    str, PlainValidator(_parse_text(DHCP_CLIENT_ID)), _text_schema(DHCP_CLIENT_ID)
]
DialerString = Annotated[
    str, PlainValidator(_parse_text(DIALER_STRING)), _text_schema(DIALER_STRING)
]

# An AAA method list: `local`, `local line`, `group radius local`, `if-authenticated`.
_METHODS_RE = r"^[a-z][a-z0-9\-]*( [A-Za-z0-9_\-]+)*$"
Methods = Annotated[str, Field(pattern=_METHODS_RE, max_length=80)]
Platform = Literal["ios", "linux-pppd"]


class _Model(BaseModel):
    # defer_build: schemas are built once, on first validation, not per class at import.
    model_config = ConfigDict(
        extra="forbid", frozen=True, str_strip_whitespace=True, defer_build=True
    )


# --- sections -------------------------------------------------------------------------


class Management(_Model):
    """How push and audit reach the device."""

    host: Annotated[str, Field(pattern=r"^[A-Za-z0-9.\-:]+$", max_length=253)]
    port: int = Field(22, ge=1, le=65535)
    username: UserName
    password: LoginSecret
    enable_secret: EnableSecret | None = None


class Interface(_Model):
    role: Literal["wan", "lan"]
    description: Description | None = None
    ipv4: Ipv4Setting
    gateway: Address | None = None
    dhcp_client_id: DhcpClientId | None = None
    mtu: int | None = Field(None, ge=64, le=1500)


class PptpClient(_Model):
    """One PPTP tunnel the router dials out (Dialer N, vpdn-group N)."""

    server: Address
    dialer: int = Field(ge=0, le=255)
    chap_hostname: ChapName
    chap_password: ChapSecret
    mppe: Literal["auto", "40", "128", "none"] = "auto"
    mppe_required: bool = False
    mtu: int = Field(1460, ge=576, le=1500)
    # `ip tcp adjust-mss`: clamp TCP through the tunnel below its MTU (1400 -> 1360)
    tcp_mss: int | None = Field(None, ge=500, le=1460)
    remote_networks: list[Network] = Field(default_factory=list)
    nat: bool = True
    nat_route_map: RouteMapName | None = None
    dialer_string: DialerString = "123"

    @field_validator("mppe", mode="before")
    @classmethod
    def _mppe_as_text(cls, value: Any) -> Any:
        return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


class PptpServer(_Model):
    """Remote users dialling in to this router (vpdn-group accept-dialin, Virtual-Template)."""

    pool: tuple[Address, Address]
    pool_name: PoolName = "PPTP-POOL"
    users: dict[UserName, PptpUserSecret] = Field(default_factory=dict)
    vpdn_group: int = Field(1, ge=1, le=255)
    virtual_template: int = Field(1, ge=1, le=200)
    mppe: Literal["auto", "40", "128"] = "auto"
    mppe_required: bool = False

    @field_validator("mppe", mode="before")
    @classmethod
    def _mppe_as_text(cls, value: Any) -> Any:
        return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


class User(_Model):
    privilege: int = Field(15, ge=0, le=15)
    secret: UserSecret


class Aaa(_Model):
    """The seed's local AAA; `enabled: false` gives line passwords only."""

    enabled: bool = True
    login: Methods = "local line"
    ppp: Methods = "local"
    # Under aaa new-model a local user's `privilege 15` takes effect only through
    # exec authorization; without it iosgen's own login lands at `>`.
    authorization_exec: Methods = "local"
    authorization_network: Methods = "if-authenticated"

    @field_validator("authorization_exec")
    @classmethod
    def _exec_local(cls, value: str, info: Any) -> str:
        # A local user's attributes (the management account's privilege, the VPN
        # accounts' `autocommand exit`) apply only through local exec authorization:
        # without `local` here a PPTP user would get a CLI (docs/aaa.md).
        if info.data.get("enabled", True) and "local" not in value.split():
            raise ValueError(
                "must include 'local': local users' privilege and autocommand apply only "
                "through local exec authorization (a VPN user would get a CLI)"
            )
        return value


class Services(_Model):
    timestamps: bool = True
    password_encryption: bool = True
    # None: on exactly when `name_servers` are given (a name server is useless without
    # it; without one, a mistyped exec command would wait on a DNS lookup)
    domain_lookup: bool | None = None
    http_server: bool = False


class Ssh(_Model):
    version: Literal[1, 2] = 2
    vty_transport: Literal["ssh", "telnet ssh", "telnet"] = "ssh"
    exec_timeout_minutes: int | None = Field(None, ge=0, le=35791)


class Archive(_Model):
    """IOS archive: needed by `configure replace` rollback (push)."""

    enabled: bool = True
    maximum: int = Field(10, ge=1, le=14)
    write_memory: bool = True


class Hardware(_Model):
    """What the router is: chassis model, modules in its slots, IOS image and feature set.

    Push picks its safety net from the image (which rollback commands it has); the
    interfaces a site may name come from the chassis and its modules.
    """

    model: str = "2801"
    modules: dict[str, str] = Field(default_factory=dict)  # slot "0/1" -> "HWIC-4ESW"
    image: str = "12.4(25d)"
    feature_set: str = "advipservicesk9"

    @field_validator("model", mode="before")
    @classmethod
    def _model_known(cls, value: Any) -> Any:
        text = str(value) if isinstance(value, int) and not isinstance(value, bool) else value
        if isinstance(text, str) and text not in hardware.CHASSIS:
            known = ", ".join(hardware.CHASSIS)
            raise ValueError(f"unknown model {text!r} (known: {known})")
        return text

    @field_validator("image")
    @classmethod
    def _image_shape(cls, value: str) -> str:
        if hardware.parse_image(value) is None:
            raise ValueError(
                f"{value!r} is not an IOS version (e.g. 12.4(25d), 12.4(15)T7, 12.3(8)T4)"
            )
        return value

    @field_validator("feature_set")
    @classmethod
    def _feature_set_shape(cls, value: str) -> str:
        if not re.fullmatch(r"[a-z][a-z0-9]*", value, re.ASCII):
            raise ValueError(f"{value!r} is not a feature set name (e.g. advipservicesk9)")
        return value


class Route(_Model):
    network: Network
    next_hop: Address


class Site(_Model):
    hostname: HostName
    platform: Platform = "ios"
    groups: list[str] = Field(default_factory=list)
    management: Management
    hardware: Hardware = Hardware()
    interfaces: dict[str, Interface]
    internet_nat: bool = False
    nat_acl: int = Field(10, ge=1, le=99)
    pptp_clients: dict[TunnelName, PptpClient] = Field(default_factory=dict)
    pptp_server: PptpServer | None = None
    users: dict[UserName, User] = Field(default_factory=dict)
    aaa: Aaa = Aaa()
    services: Services = Services()
    ssh: Ssh = Ssh()
    archive: Archive = Archive()
    domain_name: DomainName | None = None
    name_servers: list[Address] = Field(default_factory=list)
    routes: list[Route] = Field(default_factory=list)

    @model_validator(mode="wrap")
    @classmethod
    def _platform_scope(cls, data: Any, handler: ModelWrapValidatorHandler[Site]) -> Site:
        """Secrets are checked against the limits of this site's platform."""
        platform = data.get("platform") if isinstance(data, dict) else None
        token = _PLATFORM.set("linux-pppd" if platform == "linux-pppd" else "ios")
        try:
            return handler(data)
        finally:
            _PLATFORM.reset(token)

    # -- derived views used by templates and checks ----------------------------------

    @property
    def wan(self) -> tuple[str, Interface]:
        return next((n, i) for n, i in self.interfaces.items() if i.role == "wan")

    @property
    def lans(self) -> list[tuple[str, Interface]]:
        return [(n, i) for n, i in self.interfaces.items() if i.role == "lan"]

    @property
    def lan_networks(self) -> list[IPv4Network]:
        return [i.ipv4.network for _, i in self.lans if isinstance(i.ipv4, IPv4Interface)]

    def tunnel_route_map(self, name: str) -> str:
        client = self.pptp_clients[name]
        return client.nat_route_map or name.upper()

    @property
    def login_users(self) -> dict[str, User]:
        """Local users with the management account always among them."""
        users = dict(self.users)
        if self.management.username not in users:
            users[self.management.username] = User(privilege=15, secret=self.management.password)
        return dict(sorted(users.items()))


# --- canonical interface names ----------------------------------------------------------

IOS_ONLY_KEYS: dict[tuple[str, ...], str] = {
    ("nat_acl",): "the NAT ACL number",
    ("aaa",): "IOS AAA",
    ("archive",): "the IOS archive",
    ("hardware",): "the router hardware profile",
}
INTERFACE_IOS_ONLY_KEYS = ("dhcp_client_id",)
TUNNEL_IOS_ONLY_KEYS = ("nat_route_map", "dialer_string", "tcp_mss")


def canonical_interface_name(platform: str, name: str) -> str | None:
    """The name as the platform spells it, or None if the platform has no such interface."""
    if platform == "linux-pppd":
        return name if LINUX_NAME_RE.match(name) else None
    if LINUX_NAME_RE.match(name):
        return None  # `eth1` is a Linux name here, not an abbreviation of Ethernet1
    return canonical_ios_name(name)


# --- cross-field checks ---------------------------------------------------------------

Path = tuple[str | int, ...]


def site_problems(site: Site) -> Iterator[tuple[Path, str]]:
    """Checks that need several fields; each yields the key path it is about."""
    wans = [name for name, i in site.interfaces.items() if i.role == "wan"]
    if not wans:
        yield ("interfaces",), "no interface has role: wan (exactly one is required)"
    for extra in wans[1:]:
        yield ("interfaces", extra, "role"), f"a second WAN interface; {wans[0]} is the WAN"

    for name, iface in site.interfaces.items():
        if iface.gateway is not None:
            if iface.ipv4 == "dhcp":
                yield (
                    ("interfaces", name, "gateway"),
                    "a gateway needs a static ipv4 (DHCP supplies its own default route)",
                )
            elif isinstance(iface.ipv4, IPv4Interface) and iface.gateway not in iface.ipv4.network:
                yield (
                    ("interfaces", name, "gateway"),
                    f"gateway {iface.gateway} is not inside {iface.ipv4.network}",
                )
            if iface.role != "wan":
                yield ("interfaces", name, "gateway"), "only the WAN interface takes a gateway"
        if iface.role == "lan" and iface.ipv4 == "dhcp":
            yield ("interfaces", name, "ipv4"), "a LAN interface needs a static address"
        if iface.dhcp_client_id is not None and iface.ipv4 != "dhcp":
            yield (("interfaces", name, "dhcp_client_id"), "dhcp_client_id needs ipv4: dhcp")

    yield from _overlap_problems(site)
    yield from _address_problems(site)
    yield from _gateway_problems(site)
    yield from _route_problems(site)
    yield from _tunnel_server_problems(site)
    yield from _pool_problems(site)
    yield from _aaa_problems(site)
    if site.platform == "ios":
        yield from _ios_dialer_problems(site)
        yield from _hardware_problems(site)

    nat_users = site.internet_nat or any(c.nat for c in site.pptp_clients.values())
    if nat_users and not site.lan_networks:
        key: Path = ("internet_nat",)
        if not site.internet_nat:
            key = ("pptp_clients", next(n for n, c in site.pptp_clients.items() if c.nat), "nat")
        yield key, "NAT is on but there is no LAN interface to translate"

    dialers: dict[int, str] = {}
    route_maps: dict[str, str] = {"INTERNET": "internet_nat"} if site.internet_nat else {}
    for name, client in site.pptp_clients.items():
        if client.dialer in dialers:
            yield (
                ("pptp_clients", name, "dialer"),
                f"dialer {client.dialer} is already used by tunnel {dialers[client.dialer]!r}",
            )
        dialers.setdefault(client.dialer, name)
        if client.nat:
            route_map = site.tunnel_route_map(name)
            if route_map in route_maps:
                yield (
                    ("pptp_clients", name, "nat_route_map"),
                    f"route-map {route_map} is already used by {route_maps[route_map]}",
                )
            route_maps.setdefault(route_map, name)
        if client.tcp_mss is not None and client.tcp_mss > client.mtu - 40:
            yield (
                ("pptp_clients", name, "tcp_mss"),
                f"tcp_mss {client.tcp_mss} leaves no room for IP and TCP headers in mtu "
                f"{client.mtu} (at most {client.mtu - 40})",
            )
        if client.mppe == "none" and client.mppe_required:
            yield (
                ("pptp_clients", name, "mppe_required"),
                "mppe_required needs mppe other than none",
            )

    server = site.pptp_server
    if server is not None:
        if int(server.pool[0]) > int(server.pool[1]):
            yield ("pptp_server", "pool"), f"pool start {server.pool[0]} is after its end"
        if not server.users:
            yield ("pptp_server", "users"), "the PPTP server needs at least one user"
        if not site.lans:
            yield ("pptp_server",), "the PPTP server needs a LAN interface (ip unnumbered)"
        if server.vpdn_group in dialers:
            yield (
                ("pptp_server", "vpdn_group"),
                f"vpdn-group {server.vpdn_group} is already the group of tunnel "
                f"{dialers[server.vpdn_group]!r}",
            )
        for user in server.users:
            if user in site.login_users:
                yield ("pptp_server", "users", user), f"{user!r} is also a login user"

    mgmt_user = site.users.get(site.management.username)
    if mgmt_user is not None and mgmt_user.privilege != 15:
        yield (
            ("users", site.management.username, "privilege"),
            "the management account needs privilege 15 (push and audit log in with it)",
        )

    try:
        ipaddress.ip_address(site.management.host)
    except ValueError:
        if not re.match(r"^[A-Za-z0-9.\-]+$", site.management.host):
            yield ("management", "host"), f"{site.management.host!r} is not an address or name"


def _overlap_problems(site: Site) -> Iterator[tuple[Path, str]]:
    lans = [(n, i.ipv4.network) for n, i in site.lans if isinstance(i.ipv4, IPv4Interface)]
    for i, (name, net) in enumerate(lans):
        for other, other_net in lans[:i]:
            if net.overlaps(other_net):
                yield ("interfaces", name, "ipv4"), f"{net} overlaps {other} ({other_net})"
    wans = [
        (n, i.ipv4.network)
        for n, i in site.interfaces.items()
        if i.role == "wan" and isinstance(i.ipv4, IPv4Interface)
    ]
    for wan_name, wan_net in wans:
        for name, net in lans:
            if net.overlaps(wan_net):
                yield (
                    ("interfaces", name, "ipv4"),
                    f"{net} overlaps the WAN {wan_name} ({wan_net}): the router could not "
                    "tell the LAN from the Internet side",
                )
    for tname, client in site.pptp_clients.items():
        for index, remote in enumerate(client.remote_networks):
            if client.server in remote:
                # The route to the remote network would carry the tunnel's own GRE packets.
                yield (
                    ("pptp_clients", tname, "remote_networks", index),
                    f"{remote} contains the tunnel's own server {client.server} (a routing loop)",
                )
            for lan_name, lan in lans:
                if remote.overlaps(lan):
                    yield (
                        ("pptp_clients", tname, "remote_networks", index),
                        f"{remote} overlaps LAN {lan_name} ({lan})",
                    )


def _own_addresses(site: Site) -> dict[IPv4Address, str]:
    """The router's static addresses, by the interface that has each."""
    return {
        i.ipv4.ip: name for name, i in site.interfaces.items() if isinstance(i.ipv4, IPv4Interface)
    }


def _not_a_host(address: IPv4Address) -> str:
    """Why `address` cannot be a router's or a peer's unicast address; '' if it can."""
    if address.is_unspecified or address in _THIS_NETWORK:
        return "is in 0.0.0.0/8 (this network), not a host address"
    if address == _LIMITED_BROADCAST:
        return "is the broadcast address 255.255.255.255, not a host address"
    if address.is_loopback:
        return "is a loopback address (127.0.0.0/8), which never leaves a host"
    if address.is_multicast:
        return "is a multicast address (224.0.0.0/4), not a host address"
    if address in _CLASS_E:
        return "is in the reserved 240.0.0.0/4, not a host address"
    return ""


_THIS_NETWORK = IPv4Network("0.0.0.0/8")
_CLASS_E = IPv4Network("240.0.0.0/4")
_LIMITED_BROADCAST = IPv4Address("255.255.255.255")


def _special(address: IPv4Address, nets: dict[str, IPv4Network]) -> str:
    """`address` named as the network or broadcast address of a connected subnet."""
    for name, net in nets.items():
        if net.prefixlen >= 31 or address not in net:
            continue
        if address == net.network_address:
            return f"is the network address of {net} ({name})"
        if address == net.broadcast_address:
            return f"is the broadcast address of {net} ({name})"
    return ""


def _connected(site: Site) -> dict[str, IPv4Network]:
    return {
        name: i.ipv4.network
        for name, i in site.interfaces.items()
        if isinstance(i.ipv4, IPv4Interface)
    }


def _address_problems(site: Site) -> Iterator[tuple[Path, str]]:
    """Interface addresses IOS refuses: loopback, multicast, 0/8, class E (`Bad mask`...)."""
    for name, iface in site.interfaces.items():
        if isinstance(iface.ipv4, IPv4Interface):
            why = _not_a_host(iface.ipv4.ip)
            if why:
                yield ("interfaces", name, "ipv4"), f"{iface.ipv4.ip} {why}"


def _gateway_problems(site: Site) -> Iterator[tuple[Path, str]]:
    own = _own_addresses(site)
    for name, iface in site.interfaces.items():
        gateway = iface.gateway
        if gateway is None or not isinstance(iface.ipv4, IPv4Interface):
            continue
        key: Path = ("interfaces", name, "gateway")
        if gateway in own:
            yield key, f"gateway {gateway} is this router's own address ({own[gateway]})"
        elif gateway in iface.ipv4.network:
            why = _special(gateway, {name: iface.ipv4.network})
            if why:
                yield key, f"gateway {gateway} {why}"


def _route_problems(site: Site) -> Iterator[tuple[Path, str]]:
    own = _own_addresses(site)
    connected = _connected(site)
    for index, route in enumerate(site.routes):
        hop = route.next_hop
        key: Path = ("routes", index, "next_hop")
        why = _not_a_host(hop) or _special(hop, connected)
        if hop in own:
            yield key, f"next hop {hop} is this router's own address ({own[hop]})"
        elif why:
            yield key, f"next hop {hop} {why}"


def _tunnel_server_problems(site: Site) -> Iterator[tuple[Path, str]]:
    own = _own_addresses(site)
    lans = {n: i.ipv4.network for n, i in site.lans if isinstance(i.ipv4, IPv4Interface)}
    for name, client in site.pptp_clients.items():
        server = client.server
        key: Path = ("pptp_clients", name, "server")
        why = _not_a_host(server)
        if why:
            yield key, f"server {server} {why}"
        elif server in own:
            yield key, f"server {server} is this router's own address ({own[server]})"
        else:
            for lan_name, lan in lans.items():
                if server in lan:
                    yield (
                        key,
                        f"server {server} is inside LAN {lan_name} ({lan}): the tunnel runs "
                        "over the WAN to a server outside this site",
                    )


def _pool_problems(site: Site) -> Iterator[tuple[Path, str]]:
    """A pool handing out the router's own address breaks the LAN (a pool outside it is lint's)."""
    server = site.pptp_server
    if server is None:
        return
    first, last = int(server.pool[0]), int(server.pool[1])
    for address, name in sorted(_own_addresses(site).items()):
        if first <= int(address) <= last:
            yield (
                ("pptp_server", "pool"),
                f"pool {server.pool[0]}-{server.pool[1]} holds this router's own address "
                f"{address} ({name})",
            )


def _aaa_problems(site: Site) -> Iterator[tuple[Path, str]]:
    methods = site.aaa.login.split()
    if site.aaa.enabled and methods and methods[0] == "none":
        yield (
            ("aaa", "login"),
            "login method 'none' lets anyone log in without a password: use 'local' "
            "(or 'local line')",
        )


# `dialer-group N` / `dialer-list N` take 1-10 (Cisco IOS Dial Technologies
# command reference, dialer-group); iosgen ties them to the tunnel's dialer number.
IOS_DIALER_RANGE = (1, 10)


def _ios_dialer_problems(site: Site) -> Iterator[tuple[Path, str]]:
    low, high = IOS_DIALER_RANGE
    for name, client in site.pptp_clients.items():
        if not low <= client.dialer <= high:
            yield (
                ("pptp_clients", name, "dialer"),
                f"dialer {client.dialer} is outside {low}-{high}: it is also the tunnel's "
                f"dialer-group and dialer-list number, which IOS takes from {low} to {high}",
            )


def _hardware_problems(site: Site) -> Iterator[tuple[Path, str]]:
    for path, message in hardware.hardware_problems(site.hardware.model, site.hardware.modules):
        yield ("hardware", *path), message


def interface_problems(site: Site) -> Iterator[tuple[Path, str]]:
    """IOS interface keys the router does not have, or that clash with a derived interface.

    Reported at the key (the interface name), not its value.
    """
    if site.platform != "ios":
        return
    ports = hardware.ports_of(site.hardware.model, site.hardware.modules)
    dialers = {f"Dialer{c.dialer}": (name, c.dialer) for name, c in site.pptp_clients.items()}
    template = f"Virtual-Template{site.pptp_server.virtual_template}" if site.pptp_server else None
    for name in site.interfaces:
        if canonical_ios_name(name) != name:
            continue  # already reported as not an interface name
        key: Path = ("interfaces", name)
        why = ports.problem(name) if ports is not None else ""
        if why:
            yield key, why
        elif "." in name:
            # IOS takes no address on a subinterface before `encapsulation dot1Q N`, and
            # refuses duplex/speed there; the model has no VLAN tag to give it yet
            yield (
                key,
                (
                    f"{name} is a subinterface: it needs `encapsulation dot1Q VLAN`, which the "
                    "site model does not express yet; use a physical port or a Vlan interface"
                ),
            )
        elif name in dialers:
            tunnel, number = dialers[name]
            yield (
                key,
                f"{name} is the interface of tunnel {tunnel!r} (dialer: {number}); "
                "number this one otherwise or give the tunnel another dialer",
            )
        elif name == template:
            yield (
                key,
                f"{name} is the PPTP server's interface (pptp_server.virtual_template); "
                "number this one otherwise",
            )
