"""What the Linux templates print, derived from a `Site` (no text layout here).

Python decides every value: the pppd options of each tunnel, the actions of
the ip-up hook (and their exact reverse for ip-down), the permanent NAT rules.
The templates only lay the lines out.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from iosgen.build.linux.chapsecrets import is_plain_word, pppd_quote, secret_problem
from iosgen.build.linux.facts import HOLDOFF_SECONDS, INITTAB_ID_MAX, MPPE_OPTIONS
from iosgen.build.linux.strongswan import (
    IpsecConnection,
    ipsec_connections,
    ipsec_tokens,
    nat_exemptions,
    nat_masquerades,
)
from iosgen.build.linux.wireguard import WgInterface, wireguard_interfaces, wireguard_tokens
from iosgen.errors import RenderError
from iosgen.model.platform import Platform
from iosgen.model.secret import MASK
from iosgen.model.site import Site

HookKind = Literal["route", "nat"]


@dataclass(frozen=True)
class HookAction:
    """One step of a tunnel's ip-up hook; ip-down runs the `undo` of each, in reverse."""

    kind: HookKind
    target: str  # remote network (route) or LAN source network (nat)

    @property
    def up(self) -> str:
        return f"{self.kind}_add {self.target}"

    @property
    def down(self) -> str:
        return f"{self.kind}_del {self.target}"


@dataclass(frozen=True)
class TunnelView:
    name: str
    server: str
    unit: int  # pppd `unit`: the tunnel comes up as ppp<dialer> when that is free
    chap_user: str
    chap_secret: str  # quoted for chap-secrets
    mtu: int
    mppe_options: tuple[str, ...]
    actions: tuple[HookAction, ...]
    inittab_id: str

    @property
    def undo(self) -> tuple[HookAction, ...]:
        return tuple(reversed(self.actions))


@dataclass(frozen=True)
class LinuxView:
    hostname: str
    wan: str
    internet_nat_sources: tuple[str, ...]
    tunnels: tuple[TunnelView, ...]
    holdoff: int
    wireguard: tuple[WgInterface, ...] = ()
    ipsec: tuple[IpsecConnection, ...] = ()
    # (tunnel, LAN, remote network) kept out of the Internet MASQUERADE
    ipsec_exemptions: tuple[tuple[str, str, str], ...] = ()
    # (tunnel, LAN, remote network) masqueraded out of the WAN into a `nat: true` tunnel
    ipsec_masquerades: tuple[tuple[str, str, str], ...] = ()

    def uses(self, kind: HookKind) -> bool:
        """Whether any tunnel's hook has a step of this kind (unused functions are left out)."""
        return any(a.kind == kind for t in self.tunnels for a in t.actions)

    @property
    def chap_tokens(self) -> dict[str, str]:
        """chap-secrets line ends (`"secret" *`) and their masked form, for `Build.masked`."""
        return {f"{t.chap_secret} *": f"{pppd_quote(MASK)} *" for t in self.tunnels}

    @property
    def secret_tokens(self) -> dict[str, str]:
        """Every secret of the tree at the end of its line, and its mask: chap-secrets,
        WireGuard keys, IPsec pre-shared keys."""
        return {
            **self.chap_tokens,
            **wireguard_tokens(self.wireguard),
            **ipsec_tokens(self.ipsec),
        }


def _inittab_id(dialer: int) -> str:
    ident = f"pp{dialer:02x}"  # Dialer numbers are unique per site, so ids are too
    assert len(ident) <= INITTAB_ID_MAX
    return ident


def linux_view(site: Site) -> LinuxView:
    if site.platform != Platform.LINUX_PPPD:
        raise RenderError(f"{site.hostname}: platform {site.platform} does not build a Linux tree")
    wan_name, _ = site.wan
    lans = tuple(str(net) for net in site.lan_networks)
    tunnels = []
    for name, client in site.pptp_clients.items():
        secret = client.chap_password.reveal()
        problem = secret_problem(secret)
        if problem is not None:
            raise RenderError(f"{site.hostname}: pptp_clients.{name}.chap_password {problem}")
        # Written unquoted (peer `name`/`remotename`, chap-secrets columns, file names):
        # the model admits only plain words; a value that is not one must not reach a file.
        for key, word in (("chap_hostname", client.chap_hostname), ("name", name)):
            if not is_plain_word(word):
                raise RenderError(f"{site.hostname}: pptp_clients.{name}: {key} is not one word")
        actions = [HookAction("route", str(net)) for net in client.remote_networks]
        if client.nat:
            actions += [HookAction("nat", lan) for lan in lans]
        tunnels.append(
            TunnelView(
                name=name,
                server=str(client.server),
                unit=client.dialer,
                chap_user=client.chap_hostname,
                chap_secret=pppd_quote(secret),
                mtu=client.mtu,
                mppe_options=MPPE_OPTIONS[client.mppe],
                actions=tuple(actions),
                inittab_id=_inittab_id(client.dialer),
            )
        )
    return LinuxView(
        hostname=site.hostname,
        wan=wan_name,
        internet_nat_sources=lans if site.internet_nat else (),
        tunnels=tuple(tunnels),
        holdoff=HOLDOFF_SECONDS,
        wireguard=wireguard_interfaces(site),
        ipsec=ipsec_connections(site),
        ipsec_exemptions=nat_exemptions(site),
        ipsec_masquerades=nat_masquerades(site),
    )
