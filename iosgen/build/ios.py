"""Render a `Site` into its intended configuration with Jinja2 (StrictUndefined).

Python derives every value the templates print (numbers, masks, wildcard
masks, encoded secrets, which interface gets `ip nat inside`), so templates
only lay lines out in the order IOS prints them. Secrets are encoded here
reproducibly: type-7 salts and md5-crypt salts come from the site and the key.
"""

from __future__ import annotations

from ipaddress import IPv4Interface, IPv4Network
from typing import NamedTuple

from iosgen.build.files import mask_tokens
from iosgen.build.headoffice import compiled
from iosgen.build.ipsec import IpsecView, ipsec_view, nat_exempt_acl
from iosgen.build.templating import render_template
from iosgen.errors import RenderError
from iosgen.ios.names import interface_sort_key, interface_type
from iosgen.ios.passwords import derived_salt_md5, derived_salt_type7, md5_crypt, type7_encode
from iosgen.model import ipsec as ipsec_names
from iosgen.model.platform import Platform
from iosgen.model.secret import MASK, Secret
from iosgen.model.site import Site


class IosInterface(NamedTuple):
    name: str
    lines: tuple[str, ...]


class IosView(NamedTuple):
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
    crypto: IpsecView
    secrets: dict[str, str]
    dhcp_lines: tuple[str, ...] = ()
    nat_forwards: tuple[str, ...] = ()
    access_lists: tuple[str, ...] = ()
    logging_lines: tuple[str, ...] = ()
    snmp_lines: tuple[str, ...] = ()
    attribute_lists: tuple[str, ...] = ()


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

    def type7(self, secret: Secret, *key: str) -> str:
        """`7 <hex>`: as given, else encoded with a salt derived from the site."""
        hexed = secret.type7 or type7_encode(
            secret.reveal(), derived_salt_type7(self.site.hostname, *key)
        )
        text = f"7 {hexed}"
        self.revealed[text] = text[:2] + MASK
        return text

    def placeholder(self, kind: str, name: str) -> str:
        """The text of `{secret:NAME}` / `{type7:NAME}` in an extra_config line."""
        secret = self.site.extra_secrets[name]
        if kind == "type7":
            # the router had type 7: it stays type 7 even without password-encryption
            return self.type7(secret, "extra_config", name)
        if secret.type5 is not None:
            return f"5 {secret.type5}"
        if secret.type7 is not None:
            return f"7 {secret.type7}"  # as the secrets file holds it, never decoded
        return secret.reveal()

    def substitute(self, text: str) -> str:
        """An extra_config line with its secrets in, remembered for masking: the token is
        the line's tail from the first secret on (what `mask_tokens` replaces)."""
        from iosgen.build.extra import substitute_with

        done = substitute_with(self.placeholder)(text)
        if done != text:
            pairs = enumerate(zip(done, text, strict=False))
            start = next((i for i, (a, b) in pairs if a != b), min(len(done), len(text)))
            tail = done[start:].strip()
            self.revealed[tail] = substitute_with(lambda _k, _n: MASK)(text)[start:].strip()
        return done

    def hashed(self, secret: Secret, *key: str) -> str:
        if secret.type5 is not None:
            return f"5 {secret.type5}"  # kept as the router had it (`iosgen import`)
        salt = derived_salt_md5(self.site.hostname, *key)
        return f"5 {md5_crypt(secret.reveal(), salt)}"


# --- header.j2 ----------------------------------------------------------------------


def _service_internal(site: Site) -> bool:
    """`service internal`: the hidden PPTP client of a router dialling out needs it."""
    return bool(site.pptp_clients)


def _enable_secret(site: Site, secrets: _SecretEncoder) -> str | None:
    """`enable secret 5 $1$...`, when the site gives one."""
    secret = site.management.enable_secret
    return secrets.hashed(secret, "enable") if secret else None


# --- vpdn.j2 ------------------------------------------------------------------------


def _vpdn_groups(site: Site) -> tuple[dict[str, object], ...]:
    """`vpdn-group 2` / ` request-dialin` per tunnel, `vpdn-group 1` / ` accept-dialin` for the
    server, in number order as IOS prints them."""
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
    return tuple(sorted(groups, key=lambda g: int(str(g["number"]))))


# --- users.j2 -----------------------------------------------------------------------


def _usernames(site: Site, secrets: _SecretEncoder) -> tuple[str, ...]:
    """`username netops privilege 15 secret 5 ...` and the VPN accounts, by user name."""
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
            if name in site.pptp_server.addresses:
                # the user's fixed address: its own attribute list (_attribute_lists)
                usernames.append((name, f"username {name} aaa attribute list {name}"))
            usernames.append((name, f"username {name} autocommand exit"))
    usernames.sort(key=lambda u: u[0])  # stable: a user's own line before its attribute
    return tuple(line for _, line in usernames)


# --- aaa.j2 -------------------------------------------------------------------------

# The attribute that gives a PPP user its IPCP address from a local attribute list, as
# `show running-config` prints it (docs/head-office.md: Local AAA Server, 12.3(14)T; the
# line as a 3845's PPTP users have it).
FIXED_ADDRESS_ATTRIBUTE = "attribute type addr {address} service ppp protocol ip"


def _attribute_lists(site: Site) -> tuple[str, ...]:
    """`aaa attribute list U` / ` attribute type addr A service ppp protocol ip`, one per
    user with a fixed address, by user name; IOS prints them after the AAA method lists."""
    server = site.pptp_server
    if server is None:
        return ()
    lines: list[str] = []
    for name, address in sorted(server.addresses.items()):
        lines += [
            f"aaa attribute list {name}",
            " " + FIXED_ADDRESS_ATTRIBUTE.format(address=address),
        ]
    return tuple(lines)


# --- interfaces.j2 ------------------------------------------------------------------


def _nat_inside(site: Site) -> bool:
    """Whether any NAT translates the LANs: the Internet PAT, or a PPTP or IPsec tunnel's."""
    pptp = any(t.nat for t in site.pptp_clients.values())
    return site.internet_nat or pptp or any(t.nat for t in site.ipsec_tunnels.values())


def _nat_side(site: Site, name: str) -> str | None:
    """`ip nat outside` on the WAN (Internet NAT), `ip nat inside` on the LANs (any NAT)."""
    wan_name = site.wan_name
    if name == wan_name and site.internet_nat:
        return "outside"
    if site.interfaces[name].role == "lan" and _nat_inside(site):
        return "inside"
    return None


def _address_lines(site: Site, name: str) -> list[str]:
    iface = site.interfaces[name]
    if iface.ipv4 == "dhcp":
        client_id = iface.dhcp_client_id
        # the client-id goes before `ip address dhcp`, as IOS prints it
        first = [f"ip dhcp client client-id ascii {client_id}"] if client_id else []
        return [*first, "ip address dhcp"]
    if isinstance(iface.ipv4, IPv4Interface):
        return [f"ip address {iface.ipv4.ip} {iface.ipv4.netmask}"]
    return []


def _physical(site: Site, name: str, crypto: IpsecView) -> IosInterface:
    """A port of the site file: `interface FastEthernet0/1`."""
    iface = site.interfaces[name]
    lines: list[str] = []
    if iface.description:
        lines.append(f"description {iface.description}")
    if iface.mtu:
        lines.append(f"mtu {iface.mtu}")
    lines += _address_lines(site, name)
    nat = _nat_side(site, name)
    if nat:
        # IOS adds `ip virtual-reassembly` itself whenever NAT is enabled (12.3(8)T+).
        lines += [f"ip nat {nat}", "ip virtual-reassembly"]
    if site.baseline and interface_type(name) in {"FastEthernet", "GigabitEthernet"}:
        lines += ["duplex auto", "speed auto"]
    if crypto.wan_crypto_map is not None and name == site.wan_name:
        # 12.4 prints an interface's crypto map after duplex/speed (docs/ipsec.md)
        lines.append(crypto.wan_crypto_map)
    return IosInterface(name, tuple(lines))


def _mppe(mode: str, required: bool) -> str:
    return f"ppp encrypt mppe {mode}" + (" required" if required else "")


def _dialer(site: Site, tname: str, secrets: _SecretEncoder) -> IosInterface:
    """The tunnel's `interface Dialer2`: PPP over the `vpdn-group 2` PPTP session."""
    client = site.pptp_clients[tname]
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
        lines.append(_mppe(client.mppe, client.mppe_required))
    lines.append(f"ppp chap hostname {client.chap_hostname}")
    password = secrets.reversible(client.chap_password, "pptp_clients", tname, "chap_password")
    lines.append(f"ppp chap password {password}")
    return IosInterface(f"Dialer{client.dialer}", tuple(lines))


def _virtual_template(site: Site) -> IosInterface | None:
    """The PPTP server's `interface Virtual-Template1`, unnumbered on the first LAN."""
    server = site.pptp_server
    if server is None:
        return None
    lan_name = site.lans[0][0]
    lines = [f"ip unnumbered {lan_name}"]
    if site.internet_nat:
        lines += ["ip nat inside", "ip virtual-reassembly"]
    lines += [
        f"peer default ip address pool {server.pool_name}",
        "no keepalive",
        _mppe(server.mppe, server.mppe_required),
        "ppp authentication ms-chap ms-chap-v2",
    ]
    return IosInterface(f"Virtual-Template{server.virtual_template}", tuple(lines))


def _with_extra(
    iface: IosInterface, extra: list[str], key: str, secrets: _SecretEncoder
) -> IosInterface:
    """The interface's typed lines, then its extra_config lines (verbatim, secrets in)."""
    if not extra:
        return iface
    from iosgen.build.extra import check_children

    check_children(key, iface.lines, extra)
    lines = list(iface.lines)
    # `duplex`/`speed` are the last lines IOS prints in a port (ios-reference §2.3), but
    # for a `crypto map` after them (docs/ipsec.md)
    at = len(lines)
    while at and lines[at - 1].startswith(("duplex ", "speed ", "crypto map ")):
        at -= 1
    lines[at:at] = [secrets.substitute(x) for x in extra]
    return IosInterface(iface.name, tuple(lines))


def _interfaces(site: Site, secrets: _SecretEncoder, crypto: IpsecView) -> tuple[IosInterface, ...]:
    """Every interface, in the order IOS prints them (by type, then number): the typed
    ones with their extra_config lines, and each `interface X` section of extra_config
    that names no `after:` line."""
    out = [
        _with_extra(
            _physical(site, name, crypto), site.interfaces[name].extra_config, name, secrets
        )
        for name in site.interfaces
    ]
    out += [_dialer(site, tname, secrets) for tname in site.pptp_clients]
    out += [IosInterface(header.removeprefix("interface "), ls) for header, ls in crypto.interfaces]
    template = _virtual_template(site)
    if template is not None:
        out.append(template)
    by_name = {i.name: index for index, i in enumerate(out)}
    for header, lines, after in site.extra_config.section_items():
        if after is not None or not header.startswith("interface "):
            continue
        name = header.removeprefix("interface ")
        if name in by_name:
            found = out[by_name[name]]
            out[by_name[name]] = _with_extra(found, list(lines), name, secrets)
        else:
            by_name[name] = len(out)
            out.append(IosInterface(name, tuple(secrets.substitute(x) for x in lines)))
    return tuple(sorted(out, key=lambda i: interface_sort_key(i.name)))


# --- routing.j2 ---------------------------------------------------------------------


def _pool(site: Site) -> str | None:
    if site.pptp_server is None:
        return None
    start, end = site.pptp_server.pool
    return f"ip local pool {site.pptp_server.pool_name} {start} {end}"


def _distance(distance: int | None) -> str:
    """` 250` after a route's target; IOS's default distance 1 is not printed."""
    return "" if distance in (None, 1) else f" {distance}"


def _route(net: IPv4Network, target: str) -> tuple[int, int, str]:
    """A route with its sort key: IOS prints static routes by network, then prefix length."""
    line = f"ip route {net.network_address} {_mask(net)} {target}"
    return int(net.network_address), net.prefixlen, line


def _routes(site: Site, crypto: IpsecView) -> tuple[str, ...]:
    """The default route to the WAN gateway, the site's routes, each tunnel's remote networks
    (`ip route 10.10.0.0 255.255.0.0 Dialer2 250` with a `distance`; IOS's 1 not printed)."""
    wan_name = site.wan_name
    routes: list[tuple[int, int, str]] = []
    gateway = site.interfaces[wan_name].gateway if wan_name else None
    if gateway is not None:
        routes.append((0, 0, f"ip route 0.0.0.0 0.0.0.0 {gateway}"))
    routes += [_route(r.network, str(r.next_hop) + _distance(r.distance)) for r in site.routes]
    routes += [
        _route(net, f"Dialer{client.dialer}" + _distance(client.distance))
        for client in site.pptp_clients.values()
        for net in client.remote_networks
    ]
    routes += [_route(net, target) for net, target in crypto.routes]
    return tuple(line for *_, line in sorted(routes))


def _nat_lines(route_maps: tuple[RouteMap, ...]) -> tuple[str, ...]:
    """`ip nat inside source route-map VPN interface Dialer2 overload`, one per route-map."""
    lines = []
    for rm_name, matches in route_maps:
        target = matches[1].removeprefix("match interface ")
        lines.append(f"ip nat inside source route-map {rm_name} interface {target} overload")
    return tuple(lines)


# --- acl-routemap.j2 ----------------------------------------------------------------

RouteMap = tuple[str, tuple[str, ...]]  # name, its ` match` lines


def _route_maps(site: Site, crypto: IpsecView) -> tuple[RouteMap, ...]:
    """One NAT route-map per way out: `INTERNET` (the WAN) and each NAT-ed tunnel's, by
    name. With a crypto map, `INTERNET` matches the ACL that first denies what the map
    encrypts (LAN -> remote), since the standard NAT ACL cannot name a destination."""
    wan_name = site.wan_name
    outs: list[tuple[str, str, str]] = []
    if site.internet_nat and wan_name:
        acl = ipsec_names.NAT_EXEMPT_ACL if crypto.nat_exempt else str(site.nat_acl)
        outs.append(("INTERNET", acl, wan_name))
    outs += [
        (site.tunnel_route_map(tname), str(site.nat_acl), f"Dialer{client.dialer}")
        for tname, client in site.pptp_clients.items()
        if client.nat
    ]
    outs += [(rm, str(site.nat_acl), out) for rm, out in crypto.nat_outs]
    return tuple(
        sorted(
            (name, (f"match ip address {acl}", f"match interface {out}")) for name, acl, out in outs
        )
    )


def _acl_lines(site: Site, route_maps: tuple[RouteMap, ...]) -> tuple[str, ...]:
    """`access-list 10 permit 192.168.10.0 0.0.0.255`: the LANs the route-maps translate."""
    if not any(m[0] == f"match ip address {site.nat_acl}" for _, m in route_maps):
        return ()
    return tuple(
        f"access-list {site.nat_acl} permit {n.network_address} {_wildcard(n)}"
        for n in site.lan_networks
    )


def _dialer_lists(site: Site) -> tuple[int, ...]:
    """`dialer-list 2 protocol ip permit` for each tunnel's ` dialer-group 2`."""
    return tuple(sorted(c.dialer for c in site.pptp_clients.values()))


# --- the branch services: DHCP, port forwards, named ACLs, logging, SNMP ------------------


def _dhcp_lines(site: Site) -> tuple[str, ...]:
    """`ip dhcp excluded-address A B`, then each pool; IOS 12.4 indents a pool's lines by
    three spaces, in this order (tests/realconfigs/2600xm-ccp-*.cfg)."""
    lines = [
        f"ip dhcp excluded-address {low}" + (f" {high}" if high != low else "")
        for low, high in site.dhcp.excluded
    ]
    for name, pool in site.dhcp.pools.items():
        lines += [
            f"ip dhcp pool {name}",
            f"   network {pool.network.network_address} {_mask(pool.network)}",
        ]
        if pool.default_router is not None:
            lines.append(f"   default-router {pool.default_router}")
        if pool.domain_name is not None:
            lines.append(f"   domain-name {pool.domain_name}")
        if pool.dns_servers:
            lines.append("   dns-server " + " ".join(str(a) for a in pool.dns_servers))
        if pool.lease_days is not None:
            lines.append(f"   lease {pool.lease_days}")
    return tuple(lines)


def _nat_forwards(site: Site) -> tuple[str, ...]:
    """`ip nat inside source static tcp 192.168.10.5 22 interface FastEthernet0/0 2222`."""
    lines = []
    for f in site.nat_forwards:
        outside = f"interface {f.outside_interface}" if f.outside_interface else str(f.outside)
        inside = f"{f.protocol} {f.inside} {f.inside_port}"
        line = f"ip nat inside source static {inside} {outside} {f.outside_port}"
        lines.append(line + (" extendable" if f.extendable else ""))
    return tuple(lines)


def _access_lists(site: Site, crypto: IpsecView) -> tuple[str, ...]:
    """The site's named ACLs, then the crypto ACLs and the NAT exemption (IOSGEN-*)."""
    lines = []
    for name, acl in site.access_lists.items():
        lines.append(f"ip access-list {acl.kind} {name}")
        lines += [f" {entry}" for entry in acl.entries]
    exempt = nat_exempt_acl(crypto, site.lan_networks)
    blocks = [*crypto.access_lists, *([exempt] if exempt is not None else [])]
    for header, entries in sorted(blocks):
        lines += [header, *(f" {entry}" for entry in entries)]
    return tuple(lines)


def _logging_lines(site: Site) -> tuple[str, ...]:
    """12.4 prints a syslog host as `logging A.B.C.D`; 15.x as `logging host A.B.C.D`
    (tests/realconfigs: 2600xm-ccp-nm-fe.cfg on 12.4, 881-oxidized-r2.cfg on 15.4)."""
    word = "logging " if site.hardware.image.startswith("12.") else "logging host "
    return tuple(f"{word}{host}" for host in site.logging_hosts)


def _snmp_lines(site: Site, secrets: _SecretEncoder) -> tuple[str, ...]:
    """`snmp-server community C RO [ACL]`, then `snmp-server host A [version V] C`; the
    community is a secret: its line's tail from it on is a masking token."""
    lines = []
    for c in site.snmp.communities:
        tail = f"{c.access}" + (f" {c.acl}" if c.acl is not None else "")
        secrets.revealed[f"{c.community.reveal()} {tail}"] = f"{MASK} {tail}"
        lines.append(f"snmp-server community {c.community.reveal()} {tail}")
    for h in site.snmp.hosts:
        version = f"version {h.version} " if h.version else ""
        secrets.revealed[f"{h.host} {version}{h.community.reveal()}"] = f"{h.host} {version}{MASK}"
        lines.append(f"snmp-server host {h.host} {version}{h.community.reveal()}")
    return tuple(lines)


def ios_view(site: Site) -> IosView:
    """The values of every template section, one function each (in the order of
    running-config.j2; users before interfaces keeps the masking tokens in order)."""
    secrets = _SecretEncoder(site)
    usernames = _usernames(site, secrets)
    crypto = ipsec_view(site, secrets.revealed)
    interfaces = _interfaces(site, secrets, crypto)
    route_maps = _route_maps(site, crypto)
    return IosView(
        site=site,
        service_internal=_service_internal(site),
        enable_secret=_enable_secret(site, secrets),
        vpdn_groups=_vpdn_groups(site),
        usernames=usernames,
        interfaces=interfaces,
        pool=_pool(site),
        routes=_routes(site, crypto),
        nat_lines=_nat_lines(route_maps),
        acl_lines=_acl_lines(site, route_maps),
        dialer_lists=_dialer_lists(site),
        route_maps=route_maps,
        dhcp_lines=_dhcp_lines(site),
        nat_forwards=_nat_forwards(site),
        access_lists=_access_lists(site, crypto),
        logging_lines=_logging_lines(site),
        snmp_lines=_snmp_lines(site, secrets),
        attribute_lists=_attribute_lists(site),
        crypto=crypto,
        secrets=secrets.revealed,
    )


class RenderedConfig(NamedTuple):
    """The intended config text, and how to mask its reversible secrets."""

    hostname: str
    text: str
    secret_tokens: dict[str, str]

    def masked(self) -> str:
        return mask_tokens(self.text, self.secret_tokens)


def render(site: Site) -> RenderedConfig:
    if site.platform != Platform.IOS:
        raise RenderError(f"{site.hostname}: platform {site.platform} does not build an IOS config")
    site = compiled(site)  # a head office from the inventory the loader attached
    view = ios_view(site)
    text = render_template("ios/running-config.j2", site.hostname, v=view, site=site)
    encoder = _SecretEncoder(site)
    encoder.revealed = dict(view.secrets)
    if site.extra_config.lines or site.extra_config.sections:
        # iosgen.build.extra, and the IOS config tables it reads, load only for a site
        # with extra_config: `iosgen build` of a typed site starts without them
        from iosgen.build.extra import place

        text = place(text, site, encoder.substitute)
    return RenderedConfig(site.hostname, text, encoder.revealed)


def render_site(site: Site) -> str:
    """The intended `show running-config` body, from `!`/`version 12.4` to `end`."""
    return render(site).text
