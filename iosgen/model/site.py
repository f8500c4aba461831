"""The typed site model (the YAML contract of `site-model.md`).

Field validators give one precise message per bad value; the checks that need
more than one field are iosgen.model.checks (`SITE_CHECKS`). Secrets arrive as
references and are resolved during validation through the `SecretResolver` in the
validation context, so a missing variable is reported at its own key like any
other error.
"""

# Annotations evaluated as written, no `from __future__ import annotations`: pydantic
# would otherwise compile each string annotation back, ~5 ms of every start (the
# few names used before their class exists are quoted).

import re
from collections.abc import Callable, Mapping
from contextvars import ContextVar
from ipaddress import IPv4Address, IPv4Interface, IPv4Network
from typing import Annotated, Any, Literal, Self

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ModelWrapValidatorHandler,
    PrivateAttr,
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
    IPSEC_PSK,
    LOGIN_SECRET,
    POOL_NAME,
    PPTP_USER_SECRET,
    ROUTE_MAP,
    TUNNEL_NAME,
    USER_SECRET,
    USERNAME,
    NameRule,
    SecretRule,
    secret_problem,
)
from iosgen.ios.limits import SOURCE_PASSWORD as _SOURCE_PASSWORD
from iosgen.ios.names import LINUX_NAME_RE, canonical_ios_name
from iosgen.model.extra import ChildLine, ExtraConfig, resolve_placeholders
from iosgen.model.parsed import Parsed, ParsedWithInfo
from iosgen.model.platform import SPELLINGS, Platform, platform_of
from iosgen.model.secret import Secret, SecretResolver
from iosgen.model.sshoptions import SshOptions

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


def _text_schema(rule: NameRule) -> dict[str, Any]:
    return {"type": "string", "pattern": f"^{rule.pattern}$", "maxLength": rule.max_length}


# The platform of the site being validated: a secret's limits differ between IOS
# and pppd, and a section does not see the site's `platform` key.
_PLATFORM: ContextVar[Platform] = ContextVar("iosgen_platform", default=Platform.IOS)


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
        if secret.type5 is not None:
            if rule not in _HASHED_RULES:
                # A hash cannot be typed at a login prompt or sent in a CHAP answer.
                raise ValueError(
                    f"{secret.origin} is a type-5 hash; only a hashed secret "
                    "(users.NAME.secret, management.enable_secret) takes one"
                )
            return secret
        problem = secret_problem(rule, secret.reveal(), pppd=_PLATFORM.get() == Platform.LINUX_PPPD)
        if problem is not None:
            # Named by where it came from, never by what it is.
            raise ValueError(f"{secret.origin} {problem}")
        return secret

    return parse


_SECRET_SCHEMA = {
    "type": "string",
    "description": "${ENV_NAME} | secret:NAME | '7 <hex>' | literal",
}


def _secret(parse: Callable[[Any, ValidationInfo], Secret]) -> ParsedWithInfo:
    """A secret field's type: parsed by `parse`, and dumped (`model_dump`) as
    `str(secret)`, the mask, never its text."""
    return ParsedWithInfo(parse, _SECRET_SCHEMA, str)


# The secrets IOS keeps as an md5-crypt hash: a `5 $1$...` value is taken as that hash.
_HASHED_RULES = (ENABLE_SECRET, USER_SECRET)
# An SNMP community: one word IOS prints in clear (`snmp-server community C RO`); up to
# 32 characters [L: the 12.4 `snmp-server community` reference gives no length, 32 is
# what later references state], the password rules otherwise.
SNMP_COMMUNITY = SecretRule(
    "snmp.communities.N.community",
    "snmp-server community C RO|RW [ACL]; snmp-server host A C",
    32,
    None,
    f"{_SOURCE_PASSWORD}; one word (the next word is the access)",
)


Address = Annotated[
    IPv4Address,
    Parsed(_parse_address, {"type": "string", "format": "ipv4"}),
]
Network = Annotated[
    IPv4Network,
    Parsed(_parse_network, {"type": "string", "description": "IPv4 network A.B.C.D/LEN"}),
]
InterfaceAddress = Annotated[
    IPv4Interface,
    Parsed(
        _parse_interface_address,
        {"type": "string", "description": "IPv4 interface address A.B.C.D/LEN"},
    ),
]
Ipv4Setting = Annotated[
    Literal["dhcp"] | IPv4Interface,
    Parsed(_parse_ipv4_setting, {"type": "string", "description": "'dhcp' or A.B.C.D/LEN"}),
]
LoginSecret = Annotated[Secret, _secret(_parse_secret(LOGIN_SECRET))]
EnableSecret = Annotated[Secret, _secret(_parse_secret(ENABLE_SECRET))]
UserSecret = Annotated[Secret, _secret(_parse_secret(USER_SECRET))]
PptpUserSecret = Annotated[Secret, _secret(_parse_secret(PPTP_USER_SECRET))]
ChapSecret = Annotated[Secret, _secret(_parse_secret(CHAP_SECRET))]
PreSharedKey = Annotated[Secret, _secret(_parse_secret(IPSEC_PSK))]


def _parse_wireguard_key(value: Any) -> str:
    """A WireGuard key as wg(8) prints it: 32 bytes in base64, 44 characters."""
    if not isinstance(value, str) or not _WG_KEY_RE.fullmatch(value):
        raise ValueError("is not a WireGuard key (32 bytes in base64, as `wg pubkey` prints)")
    return value


def _wireguard_secret(value: Any, info: ValidationInfo) -> Secret:
    secret = _parse_secret(IPSEC_PSK)(value, info)
    if secret.type5 is not None or not _WG_KEY_RE.fullmatch(secret.reveal()):
        # named by where it came from, never by what it is
        raise ValueError(
            f"{secret.origin} is not a WireGuard key (32 bytes in base64, as `wg genkey`)"
        )
    return secret


# base64 of 32 bytes: 42 characters, one of 4 (the last 4 bits are zero), then '='.
_WG_KEY_RE = re.compile(r"[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=")
WireguardKey = Annotated[
    str,
    Parsed(_parse_wireguard_key, {"type": "string", "pattern": f"^{_WG_KEY_RE.pattern}$"}),
]
WireguardSecret = Annotated[Secret, _secret(_wireguard_secret)]


def _one_word_secret(value: Any, info: ValidationInfo) -> Secret:
    secret = _parse_secret(SNMP_COMMUNITY)(value, info)
    if " " in secret.reveal() or secret.type5 is not None:
        raise ValueError(f"{secret.origin} is not one word (IOS would read the rest as the access)")
    return secret


CommunitySecret = Annotated[Secret, _secret(_one_word_secret)]

HostName = Annotated[str, Parsed(_parse_text(HOSTNAME), _text_schema(HOSTNAME))]
DomainName = Annotated[str, Parsed(_parse_text(DOMAIN_NAME), _text_schema(DOMAIN_NAME))]
UserName = Annotated[str, Parsed(_parse_text(USERNAME), _text_schema(USERNAME))]
ChapName = Annotated[str, Parsed(_parse_text(CHAP_HOSTNAME), _text_schema(CHAP_HOSTNAME))]
TunnelName = Annotated[str, Parsed(_parse_text(TUNNEL_NAME), _text_schema(TUNNEL_NAME))]
RouteMapName = Annotated[str, Parsed(_parse_text(ROUTE_MAP), _text_schema(ROUTE_MAP))]
PoolName = Annotated[str, Parsed(_parse_text(POOL_NAME), _text_schema(POOL_NAME))]
# A named ACL (`ip access-list extended NAME`): the shape of iosgen's other names (a
# letter first, so never a number, which would be a numbered ACL).
AclName = Annotated[str, Parsed(_parse_text(POOL_NAME), _text_schema(POOL_NAME))]
# Surrounding spaces of a description mean nothing to anyone: stripped, then checked.
Description = Annotated[
    str, Parsed(_parse_text(DESCRIPTION, strip=True), _text_schema(DESCRIPTION))
]
DhcpClientId = Annotated[str, Parsed(_parse_text(DHCP_CLIENT_ID), _text_schema(DHCP_CLIENT_ID))]
DialerString = Annotated[str, Parsed(_parse_text(DIALER_STRING), _text_schema(DIALER_STRING))]


def _parse_banner(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError(f"{value!r} is not text: expected the banner's lines")
    text = value.rstrip("\n")
    if "^C" in text or "\x03" in text:
        raise ValueError("contains the banner delimiter ^C, which would end the banner early")
    if any((ord(c) < 0x20 and c not in "\n\t") or ord(c) == 0x7F for c in text):
        raise ValueError("contains a control character")
    if not text.isascii():
        raise ValueError("contains a non-ASCII character")
    if len(text) > BANNER_MAX:
        raise ValueError(f"is {len(text)} characters; IOS keeps at most {BANNER_MAX}")
    return text


# IOS banners take up to 255 lines of text; iosgen bounds the whole [L].
BANNER_MAX = 4000
BannerKind = Literal["motd", "login", "exec", "incoming"]
BannerText = Annotated[str, Parsed(_parse_banner, {"type": "string", "maxLength": BANNER_MAX})]

# An AAA method list: `local`, `local line`, `group radius local`, `if-authenticated`.
_METHODS_RE = r"^[a-z][a-z0-9\-]*( [A-Za-z0-9_\-]+)*$"
Methods = Annotated[str, Field(pattern=_METHODS_RE, max_length=80)]
# The JSON Schema of `platform:` stays a plain string enum, not a `$ref` to the enum class.
PlatformField = Annotated[
    Platform,
    WithJsonSchema({"enum": list(SPELLINGS), "title": "Platform", "type": "string"}),
]


class _Model(BaseModel):
    # defer_build: schemas are built once, on first validation, not per class at import.
    # So a section's default is `Hardware.model_construct()`, not `Hardware()`, which
    # would validate and build that class's validator at import (~30 ms for the twelve);
    # with no input and defaults that are valid, both give an equal instance.
    # Empty collections are plain defaults (`= []`), which pydantic copies per instance:
    # `default_factory=list` makes pydantic read the builtin's signature from its text
    # with tokenize, ~7 ms a start for the 34 such fields.
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
    # linux-pppd: the password sudo asks for when it is not the login's (push/linux.py)
    sudo_password: LoginSecret | None = None
    # how the host is reached: jump host, key, ssh_config, algorithms (docs/ssh.md)
    ssh: SshOptions = SshOptions.model_construct()


class Interface(_Model):
    role: Literal["wan", "lan"]
    description: Description | None = None
    ipv4: Ipv4Setting
    gateway: Address | None = None
    dhcp_client_id: DhcpClientId | None = None
    mtu: int | None = Field(None, ge=64, le=1500)
    # lines the typed fields do not cover, printed after them, verbatim
    extra_config: list[ChildLine] = []


class PptpClient(_Model):
    """One PPTP tunnel the router dials out (Dialer N, vpdn-group N): `kind: pptp`."""

    kind: Literal["pptp"] = "pptp"
    server: Address
    dialer: int = Field(ge=0, le=255)
    chap_hostname: ChapName
    chap_password: ChapSecret
    mppe: Literal["auto", "40", "128", "none"] = "auto"
    mppe_required: bool = False
    mtu: int = Field(1460, ge=576, le=1500)
    # `ip tcp adjust-mss`: clamp TCP through the tunnel below its MTU (1400 -> 1360)
    tcp_mss: int | None = Field(None, ge=500, le=1460)
    remote_networks: list[Network] = []
    nat: bool = True
    nat_route_map: RouteMapName | None = None
    dialer_string: DialerString = "123"
    # The administrative distance of the routes to remote_networks (`ip route N M
    # Dialer2 250`); None is IOS's 1, not printed. A worse distance makes a floating
    # route, the way `iosgen migrate` keeps PPTP beside its replacement.
    distance: int | None = Field(None, ge=1, le=255)

    @field_validator("mppe", mode="before")
    @classmethod
    def _mppe_as_text(cls, value: Any) -> Any:
        return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


# The ciphers iosgen offers: AES only (IOS: `encr aes 256`, `esp-aes 256`; strongSwan:
# aes256). No DES or 3DES, as the issue and IOS's own hardening guides ask.
IpsecCipher = Literal["aes-128", "aes-192", "aes-256"]
# Diffie-Hellman groups: 5 (1536-bit MODP) is the strongest IOS 12.4 mainline has;
# 14-16 (2048-4096) where the image offers them (iosgen.ios.ipsec says which).
DhGroup = Literal[5, 14, 15, 16]


class IkePolicy(_Model):
    """Phase 1: `crypto isakmp policy N` (IKEv1, pre-shared keys, SHA-1 HMAC)."""

    encryption: IpsecCipher = "aes-256"
    hash: Literal["sha"] = "sha"  # IKEv1 on 12.4 offers sha and md5; md5 is not offered
    group: DhGroup = 5
    lifetime_seconds: int = Field(86400, ge=60, le=86400)


class IpsecProposal(_Model):
    """Phase 2: the transform set (`esp-aes 256 esp-sha-hmac`), PFS and SA lifetime."""

    encryption: IpsecCipher = "aes-256"
    integrity: Literal["sha"] = "sha"  # esp-sha-hmac
    # `set pfs groupN`; None: the IKE policy's group. PFS is always on.
    pfs_group: DhGroup | None = None
    lifetime_seconds: int = Field(3600, ge=120, le=86400)


class DeadPeerDetection(_Model):
    """`crypto isakmp keepalive INTERVAL RETRY` (IOS) / dpd_delay (strongSwan)."""

    interval: int = Field(10, ge=10, le=3600)
    retry: int = Field(3, ge=2, le=60)


class IpsecTunnel(_Model):
    """A site-to-site IPsec tunnel (IKEv1, pre-shared key): `kind: ipsec`.

    On IOS a route-based tunnel (`interface TunnelN`, `tunnel mode ipsec ipv4`,
    `tunnel protection ipsec profile`) where the image has static VTI, else a crypto
    map on the WAN; on Linux strongSwan (swanctl.conf) towards an IOS head office.
    """

    kind: Literal["ipsec"]
    peer: Address  # the head office's public address (`tunnel destination`, `set peer`)
    pre_shared_key: PreSharedKey
    # None: `tunnel-interface` where the image has static VTI, else `crypto-map`
    mode: Literal["tunnel-interface", "crypto-map"] | None = None
    # `interface TunnelN`; None: the lowest number no other tunnel of the site takes
    tunnel_interface: int | None = Field(None, ge=0, le=2147483647)
    # The tunnel interface's own address; None: `ip unnumbered` the first LAN
    address: InterfaceAddress | None = None
    ike: IkePolicy = IkePolicy.model_construct()
    ipsec: IpsecProposal = IpsecProposal.model_construct()
    dpd: DeadPeerDetection = DeadPeerDetection.model_construct()
    mtu: int | None = Field(None, ge=576, le=1500)
    # `ip tcp adjust-mss` on the tunnel interface (1360 leaves room for ESP in 1500)
    tcp_mss: int | None = Field(None, ge=500, le=1460)
    remote_networks: list[Network] = []
    # PAT behind the tunnel's address, as for a PPTP tunnel (route-based only)
    nat: bool = False
    distance: int | None = Field(None, ge=1, le=255)


class WireguardTunnel(_Model):
    """A WireGuard tunnel on a Linux site (`/etc/wireguard/wgN.conf`, `wg-quick@wgN`):
    `kind: wireguard`. Its head office is a Linux site too."""

    kind: Literal["wireguard"]
    peer: Address  # the head office's public address (the peer's Endpoint)
    peer_port: int = Field(51820, ge=1, le=65535)
    interface: int = Field(0, ge=0, le=255)  # wgN
    listen_port: int | None = Field(None, ge=1, le=65535)
    private_key: WireguardSecret
    # None: the head office's public key, taken from the fleet
    peer_public_key: WireguardKey | None = None
    preshared_key: WireguardSecret | None = None
    address: InterfaceAddress  # this end's address inside the tunnel
    keepalive_seconds: int | None = Field(25, ge=1, le=65535)
    mtu: int | None = Field(None, ge=1280, le=1500)
    remote_networks: list[Network] = []
    nat: bool = False
    distance: int | None = Field(None, ge=1, le=255)


TunnelKind = Literal["pptp", "ipsec", "wireguard"]
TUNNEL_KINDS: tuple[TunnelKind, ...] = ("pptp", "ipsec", "wireguard")
Tunnel = Annotated[PptpClient | IpsecTunnel | WireguardTunnel, Field(discriminator="kind")]


class IpsecServer(_Model):
    """The head office's side of the branches' IPsec tunnels, compiled from the fleet:
    one peer per branch tunnel whose `peer` is this router, its key, routes back."""

    from_branches: bool = True
    mode: Literal["tunnel-interface", "crypto-map"] | None = None
    # `interface TunnelN` per branch from this number up, in branch order
    first_tunnel_interface: int = Field(100, ge=0, le=2147483647)
    # The key of branches whose WAN address is not fixed (DHCP): a dynamic crypto map
    # and `crypto isakmp key K address 0.0.0.0 0.0.0.0` (IKEv1 main mode finds a
    # pre-shared key by the peer's address, so such branches share one key)
    dynamic_key: PreSharedKey | None = None


class WireguardServer(_Model):
    """A Linux head office's WireGuard interface, its peers compiled from the fleet."""

    interface: int = Field(0, ge=0, le=255)
    listen_port: int = Field(51820, ge=1, le=65535)
    private_key: WireguardSecret
    address: InterfaceAddress
    from_branches: bool = True


class PptpServer(_Model):
    """Remote users dialling in to this router (vpdn-group accept-dialin, Virtual-Template)."""

    pool: tuple[Address, Address]
    pool_name: PoolName = "PPTP-POOL"
    users: dict[UserName, PptpUserSecret] = {}
    vpdn_group: int = Field(1, ge=1, le=255)
    virtual_template: int = Field(1, ge=1, le=200)
    mppe: Literal["auto", "40", "128"] = "auto"
    mppe_required: bool = False
    # A user's fixed tunnel address: `aaa attribute list U` / ` attribute type addr A
    # service ppp protocol ip` and `username U aaa attribute list U` (docs/head-office.md).
    addresses: dict[UserName, Address] = {}
    # The head office compiled from the fleet: one user per branch tunnel that dials this
    # router (its CHAP name and secret), a fixed address and a route to the branch LANs
    # for a tunnel with `nat: false`, and the pool cut to the number of tunnels that take
    # an address from it. `pool` is then the range iosgen hands addresses out of.
    from_branches: bool = False

    @field_validator("mppe", mode="before")
    @classmethod
    def _mppe_as_text(cls, value: Any) -> Any:
        return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


class FleetRef:
    """The sites of the inventory a head office is compiled from (`from_branches`).

    Attached by the loader; shown by size and never compared or copied site by site, so
    a site that holds its own fleet never recurses in `==`, `repr` or a copy.
    """

    __slots__ = ("sites",)

    def __init__(self, sites: tuple["Site", ...]) -> None:
        self.sites = sites

    def __repr__(self) -> str:
        return f"<fleet of {len(self.sites)} sites>"

    # The fleet is where a site is compiled, not part of its value: two loads of one
    # site compare equal, and a copy of the site shares the fleet.
    def __eq__(self, other: object) -> bool:
        return isinstance(other, FleetRef)

    def __hash__(self) -> int:
        return 0

    def __copy__(self) -> "FleetRef":
        return self

    def __deepcopy__(self, memo: dict[int, object]) -> "FleetRef":
        return self


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
    modules: dict[str, str] = {}  # slot "0/1" -> "HWIC-4ESW"
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
    # `Null0`: a discard route (`ip route 10.0.0.0 255.0.0.0 Null0`)
    next_hop: Address | Literal["Null0"]
    # the administrative distance (`ip route N M A 250`); None: IOS's 1, not printed
    distance: int | None = Field(None, ge=1, le=255)

    @field_validator("next_hop", mode="before")
    @classmethod
    def _null0(cls, value: Any) -> Any:
        return "Null0" if isinstance(value, str) and value.lower() in {"null0", "null 0"} else value


class SnmpCommunity(_Model):
    community: CommunitySecret
    access: Literal["RO", "RW"] = "RO"
    acl: int | None = Field(None, ge=1, le=99)  # a standard ACL of who may ask


class SnmpHost(_Model):
    host: Address
    community: CommunitySecret
    version: Literal["1", "2c"] | None = None

    @field_validator("version", mode="before")
    @classmethod
    def _version_as_text(cls, value: Any) -> Any:
        return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


class Snmp(_Model):
    """`snmp-server community C RO [ACL]` and `snmp-server host A [version V] C`."""

    communities: list[SnmpCommunity] = []
    hosts: list[SnmpHost] = []


class NatForward(_Model):
    """A port forward: `ip nat inside source static tcp 192.168.10.5 22 interface
    FastEthernet0/0 2222` (or to an outside address)."""

    protocol: Literal["tcp", "udp"]
    inside: Address
    inside_port: int = Field(ge=1, le=65535)
    outside: Address | None = None
    outside_interface: str | None = Field(None, pattern=r"^[A-Za-z][A-Za-z\-]*[0-9][0-9/.:]*$")
    outside_port: int = Field(ge=1, le=65535)
    extendable: bool = False

    @model_validator(mode="after")
    def _one_outside(self) -> Self:
        if (self.outside is None) == (self.outside_interface is None):
            raise ValueError("give exactly one of outside (an address) and outside_interface")
        return self


class AccessList(_Model):
    """A named ACL: `ip access-list extended NAME` and its entries, remarks among them,
    in order (first match wins); each entry is kept as written."""

    kind: Literal["standard", "extended"]
    entries: list[ChildLine] = []


class DhcpPool(_Model):
    network: Network
    default_router: Address | None = None
    domain_name: DomainName | None = None
    dns_servers: list[Address] = Field([], max_length=8)
    lease_days: int | None = Field(None, ge=0, le=365)


class Dhcp(_Model):
    """`ip dhcp excluded-address A [B]` ranges and `ip dhcp pool NAME` blocks."""

    excluded: list[tuple[Address, Address]] = []
    pools: dict[PoolName, DhcpPool] = {}


class Site(_Model):
    hostname: HostName
    platform: PlatformField = Platform.IOS
    groups: list[str] = []
    management: Management
    hardware: Hardware = Hardware.model_construct()
    interfaces: dict[str, Interface]
    internet_nat: bool = False
    nat_acl: int = Field(10, ge=1, le=99)
    # Every tunnel of the site by name, of any kind; `pptp_clients:` is read as the
    # tunnels of `kind: pptp` (the key from before there were other kinds).
    tunnels: dict[TunnelName, Tunnel] = {}
    pptp_server: PptpServer | None = None
    ipsec_server: IpsecServer | None = None
    wireguard_server: WireguardServer | None = None
    users: dict[UserName, User] = {}
    aaa: Aaa = Aaa.model_construct()
    services: Services = Services.model_construct()
    ssh: Ssh = Ssh.model_construct()
    archive: Archive = Archive.model_construct()
    domain_name: DomainName | None = None
    name_servers: list[Address] = []
    routes: list[Route] = []
    # `banner motd ^C` ... `^C`, by kind; the text between the delimiters
    banners: dict[BannerKind, BannerText] = {}
    ntp_servers: list[Address] = []
    logging_hosts: list[Address] = []
    snmp: Snmp = Snmp.model_construct()
    nat_forwards: list[NatForward] = []
    access_lists: dict[AclName, AccessList] = {}
    dhcp: Dhcp = Dhcp.model_construct()
    extra_config: ExtraConfig = ExtraConfig.model_construct()
    # The lines iosgen writes on every router it builds (`ip cef`, `control-plane`, the
    # `line` blocks, `scheduler allocate`, ...: docs/compiler.md). Off for a router
    # adopted by `iosgen import`, whose extra_config holds what it really has.
    baseline: bool = True
    _extra_secrets: dict[str, Secret] = PrivateAttr(default_factory=dict)
    _fleet: FleetRef | None = PrivateAttr(default=None)

    @model_validator(mode="after")
    def _collect_extra_secrets(self, info: ValidationInfo) -> Self:
        resolver = (info.context or {}).get("resolver") or SecretResolver()
        lines = self.extra_config.all_lines()
        for iface in self.interfaces.values():
            lines += iface.extra_config
        self._extra_secrets = resolve_placeholders(lines, resolver)
        return self

    @model_validator(mode="before")
    @classmethod
    def _pptp_clients_alias(cls, data: Any) -> Any:
        """`pptp_clients: {NAME: ...}` is `tunnels: {NAME: {kind: pptp, ...}}`."""
        if isinstance(data, dict) and "pptp_clients" in data:
            merged, clash = tunnels_with_alias(data)
            if clash:
                raise ValueError(
                    f"tunnel {clash[0]!r} is under both pptp_clients and tunnels: keep one"
                )
            return merged
        return data

    def model_copy(self, *, update: Mapping[str, Any] | None = None, deep: bool = False) -> "Site":
        """As pydantic's; an update of `pptp_clients` replaces the PPTP tunnels (the
        other kinds stay), where pydantic would set a key no field reads."""
        if update is not None and "pptp_clients" in update:
            changes = dict(update)
            pptp = changes.pop("pptp_clients")
            kept = changes.get("tunnels", self.tunnels)
            others = {n: t for n, t in kept.items() if not isinstance(t, PptpClient)}
            changes["tunnels"] = {**others, **pptp}
            update = changes
        return super().model_copy(update=update, deep=deep)

    @property
    def pptp_clients(self) -> dict[str, PptpClient]:
        """The PPTP tunnels (`kind: pptp`), by name, in file order."""
        return {n: t for n, t in self.tunnels.items() if isinstance(t, PptpClient)}

    @property
    def ipsec_tunnels(self) -> dict[str, IpsecTunnel]:
        return {n: t for n, t in self.tunnels.items() if isinstance(t, IpsecTunnel)}

    @property
    def wireguard_tunnels(self) -> dict[str, WireguardTunnel]:
        return {n: t for n, t in self.tunnels.items() if isinstance(t, WireguardTunnel)}

    @property
    def fleet(self) -> "tuple[Site, ...] | None":
        """The inventory's sites, for a head office compiled from its branches (None when
        the site was not loaded with its inventory)."""
        return self._fleet.sites if self._fleet is not None else None

    def with_fleet(self, sites: "tuple[Site, ...]") -> None:
        """Attach the inventory's sites (the loader does, for `pptp_server.from_branches`)."""
        self._fleet = FleetRef(sites)

    @property
    def needs_fleet(self) -> bool:
        """Whether this site's build reads other sites of the inventory: a head office
        compiled from its branches (PPTP, IPsec or WireGuard), or a WireGuard branch
        whose peer key is the head office's."""
        return (
            self.derives_users
            or (self.ipsec_server is not None and self.ipsec_server.from_branches)
            or (self.wireguard_server is not None and self.wireguard_server.from_branches)
            or any(t.peer_public_key is None for t in self.wireguard_tunnels.values())
        )

    @property
    def derives_users(self) -> bool:
        """Whether the PPTP server's users come from the branches (`from_branches`)."""
        return self.pptp_server is not None and self.pptp_server.from_branches

    @property
    def extra_secrets(self) -> dict[str, Secret]:
        """The secrets extra_config lines name (`{secret:NAME}`), by name."""
        return self._extra_secrets

    @model_validator(mode="wrap")
    @classmethod
    def _platform_scope(cls, data: Any, handler: "ModelWrapValidatorHandler[Site]") -> "Site":
        """Secrets are checked against the limits of this site's platform."""
        platform = platform_of(data.get("platform")) if isinstance(data, dict) else None
        token = _PLATFORM.set(Platform.LINUX if platform == Platform.LINUX else Platform.IOS)
        try:
            return handler(data)
        finally:
            _PLATFORM.reset(token)

    # -- derived views used by templates and checks ----------------------------------

    @property
    def wan(self) -> tuple[str, Interface]:
        return next((n, i) for n, i in self.interfaces.items() if i.role == "wan")

    @property
    def wan_name(self) -> str | None:
        """The WAN's name; None only on an adopted site (`baseline: false`) with no WAN."""
        return next((n for n, i in self.interfaces.items() if i.role == "wan"), None)

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
        # An adopted router keeps the accounts it has: iosgen adds none of its own.
        if self.baseline and self.management.username not in users:
            users[self.management.username] = User(privilege=15, secret=self.management.password)
        return dict(sorted(users.items()))


def tunnels_with_alias(data: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """`data` with its `pptp_clients` moved under `tunnels` as `kind: pptp` (a new dict;
    `data` is not changed), and the names found under both keys."""
    out = dict(data)
    alias = out.pop("pptp_clients")
    if not isinstance(alias, dict):
        out.setdefault("tunnels", alias)  # not a mapping: validation says so at `tunnels`
        return out, []
    tunnels = out.get("tunnels")
    merged: dict[Any, Any] = dict(tunnels) if isinstance(tunnels, dict) else {}
    clash = [str(name) for name in alias if name in merged]
    for name, body in alias.items():
        if name not in merged:
            merged[name] = {**body, "kind": "pptp"} if isinstance(body, dict) else body
    out["tunnels"] = merged
    return out, clash


# --- canonical interface names ----------------------------------------------------------

IOS_ONLY_KEYS: dict[tuple[str, ...], str] = {
    ("nat_acl",): "the NAT ACL number",
    ("aaa",): "IOS AAA",
    ("archive",): "the IOS archive",
    ("hardware",): "the router hardware profile",
    ("extra_config",): "IOS configuration lines",
    ("baseline",): "the lines iosgen writes on every IOS router",
    ("banners",): "IOS banners",
    ("ntp_servers",): "IOS NTP servers",
    ("logging_hosts",): "IOS syslog hosts",
    ("snmp",): "the IOS SNMP agent",
    ("nat_forwards",): "IOS NAT port forwards",
    ("access_lists",): "IOS named ACLs",
    ("dhcp",): "the IOS DHCP server",
    ("ipsec_server",): "the IOS IPsec head office",
}
INTERFACE_IOS_ONLY_KEYS = ("dhcp_client_id", "extra_config")
TUNNEL_IOS_ONLY_KEYS = ("nat_route_map", "dialer_string", "tcp_mss", "mode", "tunnel_interface")


def canonical_interface_name(platform: str, name: str) -> str | None:
    """The name as the platform spells it, or None if the platform has no such interface."""
    if platform == Platform.LINUX_PPPD:
        return name if LINUX_NAME_RE.match(name) else None
    if LINUX_NAME_RE.match(name):
        return None  # `eth1` is a Linux name here, not an abbreviation of Ethernet1
    return canonical_ios_name(name)


# --- cross-field checks: iosgen.model.checks ----------------------------------------


def __getattr__(name: str) -> object:
    """`site_problems` and `interface_problems` moved to iosgen.model.checks (which imports
    this module, so they are looked up on use, not re-exported at import)."""
    if name in {"site_problems", "interface_problems"}:
        from iosgen.model import checks

        return getattr(checks, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
