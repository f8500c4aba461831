"""The head office compiled from its branches: a `from_branches` site made whole.

`compiled(site, fleet)` returns the site as a hand-managed head office would type it
for the same branches: `pptp_server.users` with one user per branch CHAP user (the
branch's own secret object, never a copy of its text), `pptp_server.addresses` with a
fixed address per routed tunnel, a route to each routed branch's LANs through that
address, and the pool cut to the number of tunnels that take an address from it. The
IOS renderer then prints it like any other site, and an explicit site with the same
values builds to the same text. What is derived and why: docs/head-office.md.
"""

from __future__ import annotations

from collections.abc import Iterable

from iosgen.errors import RenderError
from iosgen.model.checks import site_problems
from iosgen.model.headoffice import head_office
from iosgen.model.site import Route, Site


def compiled(site: Site, fleet: Iterable[Site] | None = None) -> Site:
    """`site` with what its branches need filled in; unchanged unless `from_branches`.

    `fleet` is the inventory's sites; without it, the ones the loader attached.
    """
    pptp = site.pptp_server
    if pptp is None or not pptp.from_branches:
        return site
    sites = tuple(fleet) if fleet is not None else site.fleet
    if sites is None:
        raise RenderError(
            f"{site.hostname}: pptp_server.from_branches compiles the head office from the "
            "branches that dial it, and this site came without its inventory",
            "load it with its inventory (load_inventory, or a site file in ROOT/sites/)",
        )
    plan = head_office(site, sites)
    if plan.problems:
        # the loader reports these located; a fleet put together in code gets them here
        raise RenderError(
            "; ".join(f"{s.hostname}: {'.'.join(map(str, p))}: {m}" for s, p, m in plan.problems)
        )
    # what a hand-managed head office types: compiling it again changes nothing
    values = {"users": plan.users, "addresses": plan.addresses, "pool": plan.pool}
    server = pptp.model_copy(update={**values, "from_branches": False})
    routes = [*site.routes, *(Route(network=n, next_hop=a) for n, a in plan.routes)]
    whole = site.model_copy(update={"pptp_server": server, "routes": routes})
    problems = list(site_problems(whole))
    if problems:
        raise RenderError(
            "; ".join(f"{site.hostname}: {'.'.join(map(str, p))}: {m}" for p, m in problems)
        )
    return whole


__all__ = ["compiled"]
