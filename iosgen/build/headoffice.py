"""The head office compiled from its branches: a `from_branches` site made whole.

`compiled(site, fleet)` returns the site as a hand-managed head office would type it
for the same branches: `pptp_server.users` with one user per branch CHAP user (the
branch's own secret object, never a copy of its text), `pptp_server.addresses` with a
fixed address per routed tunnel, a route to each routed branch's LANs through that
address, and the pool cut to the number of tunnels that take an address from it. The
IOS renderer then prints it like any other site, and an explicit site with the same
values builds to the same text. What is derived and why: docs/head-office.md.

`ipsec_server.from_branches` likewise adds one `kind: ipsec` tunnel per branch with a
fixed WAN address (the branch's proposals and key, its WAN address as the peer, its LANs
as the remote networks, `interface TunnelN` from `first_tunnel_interface` in branch
order); branches with a DHCP WAN are answered by the dynamic crypto map, which the IOS
build reads from the attached fleet (docs/ipsec.md).
"""

from __future__ import annotations

from collections.abc import Iterable

from iosgen.errors import RenderError
from iosgen.model.checks import site_problems
from iosgen.model.headoffice import HeadOfficeProblem, head_office, ipsec_head_office
from iosgen.model.site import Route, Site


def compiled(site: Site, fleet: Iterable[Site] | None = None) -> Site:
    """`site` with what its branches need filled in; unchanged unless `from_branches`.

    `fleet` is the inventory's sites; without it, the ones the loader attached.
    """
    pptp = site.pptp_server
    ipsec = site.ipsec_server
    derive_pptp = pptp is not None and pptp.from_branches
    derive_ipsec = ipsec is not None and ipsec.from_branches
    if not derive_pptp and not derive_ipsec:
        return site
    sites = tuple(fleet) if fleet is not None else site.fleet
    if sites is None:
        key = "pptp_server" if derive_pptp else "ipsec_server"
        raise RenderError(
            f"{site.hostname}: {key}.from_branches compiles the head office from the "
            "branches that dial it, and this site came without its inventory",
            "load it with its inventory (load_inventory, or a site file in ROOT/sites/)",
        )
    plan = head_office(site, sites)
    if plan.problems:
        # the loader reports these located; a fleet put together in code gets them here
        raise RenderError(_text(plan.problems))
    whole = site
    if pptp is not None and derive_pptp:
        # what a hand-managed head office types: compiling it again changes nothing
        values = {"users": plan.users, "addresses": plan.addresses, "pool": plan.pool}
        server = pptp.model_copy(update={**values, "from_branches": False})
        back = (Route(network=n, next_hop=a, distance=d) for n, a, d in plan.routes)
        routes = [*site.routes, *back]
        whole = whole.model_copy(update={"pptp_server": server, "routes": routes})
    if ipsec is not None and derive_ipsec:
        derived = ipsec_head_office(site, sites)
        tunnels = {**whole.tunnels, **derived.tunnels}
        server_ipsec = ipsec.model_copy(update={"from_branches": False})
        whole = whole.model_copy(update={"tunnels": tunnels, "ipsec_server": server_ipsec})
    # the dynamic crypto map's branches are read from the fleet at build time
    whole.with_fleet(sites)
    problems = list(site_problems(whole))
    if problems:
        raise RenderError(
            "; ".join(f"{site.hostname}: {'.'.join(map(str, p))}: {m}" for p, m in problems)
        )
    return whole


def _text(problems: tuple[HeadOfficeProblem, ...]) -> str:
    return "; ".join(f"{s.hostname}: {'.'.join(map(str, p))}: {m}" for s, p, m in problems)


__all__ = ["compiled"]
