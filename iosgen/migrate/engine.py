"""The audit engine for the migration's pushes: a static route whose distance changes
is negated before it is typed again.

`no ip route P M IF` removes the route to P M through IF whatever its distance ("Use
the no ip route prefix mask {address | interface} global configuration command to
remove a static route", Cisco IOS IP Routing configuration guide, "Configuring Static
Unicast Routes"), so the usual order of a remediation (the new line, then the old one
negated) takes the new route out again: step 2's `ip route 10.10.0.0 255.255.0.0
Dialer2 250` then `no ip route 10.10.0.0 255.255.0.0 Dialer2` leaves no PPTP route.
The simulator does the same (tests/migrate). The negation goes first instead, at the
place of the line that replaces it.
"""

from __future__ import annotations

import re
from typing import Final

from iosgen.model.site import Site
from iosgen.push import AuditEngine, Remediation

# `ip route P M NEXT [D]` (a next hop or an interface, an optional distance); longer
# forms (an interface and a next hop, `name`, `tag`, `permanent`) are left as they are
ROUTE: Final = re.compile(r"^(no )?ip route (\S+ \S+ \S+)(?: \d+)?$")


def negations_first(lines: tuple[str, ...]) -> list[int]:
    """The order (indices into `lines`) with each `no ip route P M X [D]` moved just
    before the `ip route P M X ...` that replaces it.

    >>> lines = ("ip route 10.10.0.0 255.255.0.0 Dialer2 250",
    ...          "ip route 10.10.0.0 255.255.0.0 Tunnel0",
    ...          "no ip route 10.10.0.0 255.255.0.0 Dialer2",
    ...          "no ip route 10.10.0.0 255.255.0.0 Tunnel0 250")
    >>> [lines[i] for i in negations_first(lines)]  # doctest: +NORMALIZE_WHITESPACE
    ['no ip route 10.10.0.0 255.255.0.0 Dialer2',
     'ip route 10.10.0.0 255.255.0.0 Dialer2 250',
     'no ip route 10.10.0.0 255.255.0.0 Tunnel0 250',
     'ip route 10.10.0.0 255.255.0.0 Tunnel0']
    """
    added: dict[str, int] = {}
    negated: dict[str, list[int]] = {}
    for index, line in enumerate(lines):
        m = ROUTE.match(line)
        if m is None:
            continue
        if m.group(1):
            negated.setdefault(m.group(2), []).append(index)
        else:
            added.setdefault(m.group(2), index)
    moved = {i: key for key, found in negated.items() if key in added for i in found}
    order: list[int] = []
    for index in range(len(lines)):
        if index in moved:
            continue
        m = ROUTE.match(lines[index])
        if m is not None and not m.group(1) and added.get(m.group(2)) == index:
            order += negated.get(m.group(2), [])
        order.append(index)
    return order


class MigrationEngine(AuditEngine):
    """AuditEngine with route replacements ordered negation first."""

    def remediate(self, site: Site, intended: str, running: str) -> Remediation:
        plan = super().remediate(site, intended, running)
        order = negations_first(plan.lines)
        if order == list(range(len(plan.lines))):
            return plan
        masked = plan.masked
        if len(masked) == len(plan.lines):
            masked = tuple(masked[i] for i in order)
        return Remediation(tuple(plan.lines[i] for i in order), masked, plan.rollback, plan.drift)


__all__ = ["ROUTE", "MigrationEngine", "negations_first"]
