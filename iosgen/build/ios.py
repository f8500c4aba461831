"""Render a `Site` into its intended configuration with Jinja2 (StrictUndefined).

Python derives every value the templates print (numbers, masks, wildcard
masks, encoded secrets, which interface gets `ip nat inside`), so templates
only lay lines out in the order IOS prints them. Secrets are encoded here
reproducibly: type-7 salts and md5-crypt salts come from the site and the key.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from ipaddress import IPv4Interface, IPv4Network

from iosgen.errors import RenderError
from iosgen.ios.names import interface_sort_key, interface_type
from iosgen.model.site import Site
from iosgen.ios.passwords import derived_salt_md5, derived_salt_type7, md5_crypt, type7_encode
from iosgen.model.secret import MASK, Secret
from iosgen.build.templating import render_template


@dataclass(frozen=True)
class IosInterface:
    name: str
    lines: tuple[str, ...]


@dataclass(frozen=True)
class IosView:
    """Everything the IOS templates print, derived from the site."""

    site: Site
    service_internal: bool
    enable_secret: str | None
    vpdn_groups: tuple[dict[str, object], ...]
    usernames: tuple[str, ...]
    interfaces: tuple[IosInterface, ...]
    pool: str | None
    routes: tuple[str, ...]
    nat_lines: tuple[str, ...]
    acl_lines: tuple[str, ...]
    dialer_lists: tuple[int, ...]
    route_maps: tuple[tuple[str, tuple[str, ...]], ...]
    secrets: dict[str, str] = field(default_factory=dict)


def _mask(net: IPv4Network) -> str:
    return str(net.netmask)


def _wildcard(net: IPv4Network) -> str:
    return str(net.hostmask)


class _SecretEncoder:
    """Encodes secrets as the config prints them and remembers each for masking."""

    def __init__(self, site: Site) -> None:
        self.site = site
        self.revealed: dict[str, str] = {}

    def reversible(self, secret: Secret, *key: str) -> str:
        """`7 <hex>` with password encryption on (or a given type 7), else `0 <plain>`."""
        if secret.type7 is not None:
            text = f"7 {secret.type7}"
        elif self.site.services.password_encryption:
            salt = derived_salt_type7(self.site.hostname, *key)
            text = f"7 {type7_encode(secret.reveal(), salt)}"
        else:
            text = f"0 {secret.reveal()}"
        self.revealed[text] = text[:2] + MASK
        return text

    def hashed(self, secret: Secret, *key: str) -> str:
        salt = derived_salt_md5(self.site.hostname, *key)
        return f"5 {md5_crypt(secret.reveal(), salt)}"


def _interface_lines(site: Site, secrets: _SecretEncoder) -> list[IosInterface]:
    nat_inside = site.internet_nat or any(c.nat for c in site.pptp_clients.values())
    wan_name, _ = site.wan
    out: list[IosInterface] = []
    for name, iface in site.interfaces.items():
        lines: list[str] = []
        if iface.description:
            lines.append(f"description {iface.description}")
        if iface.mtu:
            lines.append(f"mtu {iface.mtu}")
        if iface.ipv4 == "dhcp":
            if iface.dhcp_client_id:
                lines.append(f"ip dhcp client client-id ascii {iface.dhcp_client_id}")
            lines.append("ip address dhcp")
        elif isinstance(iface.ipv4, IPv4Interface):
            lines.append(f"ip address {iface.ipv4.ip} {iface.ipv4.netmask}")
        nat = None
        if name == wan_name and site.internet_nat:
            nat = "outside"
        elif iface.role == "lan" and nat_inside:
            nat = "inside"
        if nat:
            # IOS adds `ip virtual-reassembly` itself whenever NAT is enabled (12.3(8)T+).
            lines += [f"ip nat {nat}", "ip virtual-reassembly"]
        if interface_type(name) in {"FastEthernet", "GigabitEthernet"}:
            lines += ["duplex auto", "speed auto"]
        out.append(IosInterface(name, tuple(lines)))

    for tname, client in site.pptp_clients.items():
        lines = [f"mtu {client.mtu}", "ip address negotiated"]
        if client.nat:
            lines += ["ip nat outside", "ip virtual-reassembly"]
        lines.append("encapsulation ppp")
        if client.tcp_mss is not None:
            lines.append(f"ip tcp adjust-mss {client.tcp_mss}")
        lines += [
            "dialer in-band",
            "dialer idle-timeout 0",
            f"dialer string {client.dialer_string}",
            "dialer vpdn",
            f"dialer-group {client.dialer}",
            "no cdp enable",
            "ppp pfc local request",
            "ppp pfc remote apply",
        ]
        if client.mppe != "none":
            lines.append(
                f"ppp encrypt mppe {client.mppe}" + (" required" if client.mppe_required else "")
            )
        lines.append(f"ppp chap hostname {client.chap_hostname}")
        password = secrets.reversible(client.chap_password, "pptp_clients", tname, "chap_password")
        lines.append(f"ppp chap password {password}")
        out.append(IosInterface(f"Dialer{client.dialer}", tuple(lines)))

    server = site.pptp_server
    if server is not None:
        lan_name = site.lans[0][0]
        lines = [f"ip unnumbered {lan_name}"]
        if site.internet_nat:
            lines += ["ip nat inside", "ip virtual-reassembly"]
        lines += [
            f"peer default ip address pool {server.pool_name}",
            "no keepalive",
            f"ppp encrypt mppe {server.mppe}" + (" required" if server.mppe_required else ""),
            "ppp authentication ms-chap ms-chap-v2",
        ]
        out.append(IosInterface(f"Virtual-Template{server.virtual_template}", tuple(lines)))
    return sorted(out, key=lambda i: interface_sort_key(i.name))


def ios_view(site: Site) -> IosView:
    secrets = _SecretEncoder(site)
    mgmt = site.management

    groups: list[dict[str, object]] = [
        {"number": c.dialer, "kind": "request", "server": str(c.server)}
        for c in site.pptp_clients.values()
    ]
    if site.pptp_server is not None:
        groups.append(
            {
                "number": site.pptp_server.vpdn_group,
                "kind": "accept",
                "template": site.pptp_server.virtual_template,
            }
        )
    groups.sort(key=lambda g: int(str(g["number"])))

    usernames: list[tuple[str, str]] = []
    for name, user in site.login_users.items():
        # Level 1 is the default and IOS does not print it.
        level = f" privilege {user.privilege}" if user.privilege != 1 else ""
        hashed = secrets.hashed(user.secret, "users", name)
        usernames.append((name, f"username {name}{level} secret {hashed}"))
    if site.pptp_server is not None:
        for name, secret in site.pptp_server.users.items():
            # MS-CHAP needs the clear secret: a reversible `password`, never `secret 5`.
            password = secrets.reversible(secret, "pptp_server", "users", name)
            # A VPN account gets its PPP session and no CLI: level 0, and an
            # autocommand that ends any exec session at once (docs/aaa.md). PPP
            # authentication checks only the password, so CHAP/MS-CHAP still work.
            usernames.append((name, f"username {name} privilege 0 password {password}"))
            usernames.append((name, f"username {name} autocommand exit"))
    usernames.sort(key=lambda u: u[0])  # stable: a user's own line before its attribute

    routes: list[tuple[int, int, str]] = []
    wan_name, wan = site.wan
    if wan.gateway is not None:
        routes.append((0, 0, f"ip route 0.0.0.0 0.0.0.0 {wan.gateway}"))
    for route in site.routes:
        net = route.network
        routes.append(
            (
                int(net.network_address),
                net.prefixlen,
                f"ip route {net.network_address} {_mask(net)} {route.next_hop}",
            )
        )
    for client in site.pptp_clients.values():
        for net in client.remote_networks:
            routes.append(
                (
                    int(net.network_address),
                    net.prefixlen,
                    f"ip route {net.network_address} {_mask(net)} Dialer{client.dialer}",
                )
            )
    routes.sort()

    route_maps: list[tuple[str, tuple[str, ...]]] = []
    nat_lines: list[str] = []
    if site.internet_nat:
        route_maps.append(
            ("INTERNET", (f"match ip address {site.nat_acl}", f"match interface {wan_name}"))
        )
    for tname, client in site.pptp_clients.items():
        if client.nat:
            dialer = f"Dialer{client.dialer}"
            route_maps.append(
                (
                    site.tunnel_route_map(tname),
                    (f"match ip address {site.nat_acl}", f"match interface {dialer}"),
                )
            )
    route_maps.sort()
    for rm_name, matches in route_maps:
        target = matches[1].removeprefix("match interface ")
        nat_lines.append(f"ip nat inside source route-map {rm_name} interface {target} overload")

    acl_lines = (
        [
            f"access-list {site.nat_acl} permit {n.network_address} {_wildcard(n)}"
            for n in site.lan_networks
        ]
        if route_maps
        else []
    )
    pool = None
    if site.pptp_server is not None:
        start, end = site.pptp_server.pool
        pool = f"ip local pool {site.pptp_server.pool_name} {start} {end}"

    interfaces = _interface_lines(site, secrets)
    return IosView(
        site=site,
        service_internal=bool(site.pptp_clients),
        enable_secret=secrets.hashed(mgmt.enable_secret, "enable") if mgmt.enable_secret else None,
        vpdn_groups=tuple(groups),
        usernames=tuple(line for _, line in usernames),
        interfaces=tuple(interfaces),
        pool=pool,
        routes=tuple(r[2] for r in routes),
        nat_lines=tuple(nat_lines),
        acl_lines=tuple(acl_lines),
        dialer_lists=tuple(sorted(c.dialer for c in site.pptp_clients.values())),
        route_maps=tuple(route_maps),
        secrets=secrets.revealed,
    )


@dataclass(frozen=True)
class RenderedConfig:
    """The intended config text, and how to mask its reversible secrets."""

    hostname: str
    text: str
    secret_tokens: dict[str, str]

    def masked(self) -> str:
        out = self.text
        for token, mask in self.secret_tokens.items():
            out = out.replace(f" {token}\n", f" {mask}\n")
        return out


def render(site: Site) -> RenderedConfig:
    if site.platform != "ios":
        raise RenderError(f"{site.hostname}: platform {site.platform} does not build an IOS config")
    view = ios_view(site)
    text = render_template("ios/running-config.j2", site.hostname, v=view, site=site)
    return RenderedConfig(site.hostname, text, view.secrets)


def render_site(site: Site) -> str:
    """The intended `show running-config` body, from `!`/`version 12.4` to `end`."""
    return render(site).text
