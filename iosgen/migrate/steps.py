"""The three steps as routers to change: which sites, in which order, and what each sends.

Decided offline from the model (iosgen.model.migration): a step's plan is, per router,
the remediation from the build of the step before to the build of this step (what the
dry run shows), and the order the safe pushes go in: the head office first while a
step adds (its peer must be there before the branch dials), the branch first when
step 3 removes (the branch stops dialling before the head office forgets its user).
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from typing import TYPE_CHECKING

from iosgen.model.migration import STEP_TITLES, STEPS, MigrationError, MigrationState

if TYPE_CHECKING:
    from iosgen.model.site import Site

BRANCH = "branch"
HEAD_OFFICE = "head office"


@dataclass(frozen=True)
class RouterPlan:
    """One router's part of a step: its site at the step and at the step before."""

    host: str
    role: str  # BRANCH | HEAD_OFFICE
    site: Site
    before: Site
    lines: tuple[str, ...] = ()  # masked remediation, build before -> build at the step

    @property
    def changes(self) -> bool:
        return bool(self.lines)


@dataclass(frozen=True)
class StepPlan:
    step: int
    routers: tuple[RouterPlan, ...]
    # the site each router is verified with (the branch at this step) and the fleet
    fleet: tuple[Site, ...] = ()
    refusal: str | None = None  # why this step may not run as things stand

    @property
    def title(self) -> str:
        return STEP_TITLES[self.step]

    def render(self) -> list[str]:
        out = [f"step {self.step}: {self.title}"]
        if self.refusal:
            out.append(f"  refused: {self.refusal}")
        for router in self.routers:
            count = len(router.lines)
            if not count:
                out.append(f"  {router.host} ({router.role}): no change")
                continue
            out.append(f"  {router.host} ({router.role}): {count} line(s)")
            out += [f"    {line}" for line in router.lines]
        return out


def remediation(site: Site, before: Site) -> tuple[str, ...]:
    """The masked lines that take the build of `before` to the build of `site`."""
    from iosgen.diff.audit import intended_config
    from iosgen.push import AuditEngine

    plan = AuditEngine().remediate(site, intended_config(site), intended_config(before))
    return plan.masked or plan.lines


def ordered(step: int, branch: RouterPlan, office: RouterPlan) -> tuple[RouterPlan, ...]:
    return (branch, office) if step == STEPS else (office, branch)


def management_address(site: Site, target_host: str | None) -> list[ipaddress.IPv4Address]:
    """The addresses iosgen reaches the router at: the model's and the target's."""
    out = []
    for text in (site.management.host, target_host):
        try:
            address = ipaddress.ip_address(text or "")
        except ValueError:
            continue
        if isinstance(address, ipaddress.IPv4Address):
            out.append(address)
    return out


def managed_through(site: Site, state: MigrationState, target_host: str | None) -> str | None:
    """The management address when it lies inside the migrated tunnel's remote networks
    (iosgen's own session then rides the tunnel being replaced), else None."""
    client = site.pptp_clients.get(state.tunnel)
    if client is None:
        return None
    for address in management_address(site, target_host):
        if any(address in net for net in client.remote_networks):
            return str(address)
    return None


def path_refusal(
    step: int, state: MigrationState, verified: bool | None, address: str
) -> str | None:
    """Why step `step` may not run when iosgen manages the branch at `address` through
    the tunnel: after step 2 the session rides the IPsec tunnel (only once its SA was seen
    up), after step 3 only the IPsec tunnel is left (only once the head office was seen
    answering through it). `verified`: the live check of the step before just now (None:
    not made, as in a dry run)."""
    if step == 1:
        return None  # the PPTP routes stay preferred: the session keeps its path
    need = "its IPsec SA up" if step == 2 else "the head office answering through it"
    if state.done < step - 1:
        return (
            f"iosgen manages {state.host} at {address}, inside the tunnel's remote networks: "
            f"step {step} waits for step {step - 1} (which verifies {need})"
        )
    if verified is False:
        return (
            f"iosgen manages {state.host} at {address}, inside the tunnel's remote networks, "
            f"and the IPsec tunnel {state.new_tunnel!r} is not verified now ({need}): "
            f"step {step} would leave the router reachable only through it"
        )
    return None


def check_step(step: int) -> None:
    if not 1 <= step <= STEPS:
        raise MigrationError(f"no step {step}: the steps are 1-{STEPS}")


__all__ = [
    "BRANCH",
    "HEAD_OFFICE",
    "RouterPlan",
    "StepPlan",
    "check_step",
    "managed_through",
    "management_address",
    "ordered",
    "path_refusal",
    "remediation",
]
