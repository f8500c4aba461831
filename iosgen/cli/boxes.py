"""The sites of a fleet command with the linux-pppd boxes in it: `--all` and `--group`
reach the boxes too, as `--host` does (`iosgen.cli.options.select_sites` keeps them to
the routers).

For the commands that drive a box like a router (audit, backup, push, plan): each
platform's job is chosen per site further down (`iosgen.fleet`, `iosgen.push.flow`),
and a box's push keeps its own guard (a change to its firewall rules or forwarding
sysctl is refused without `--force`), so a fleet run reaching it is safe.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from iosgen.cli.options import select_sites

if TYPE_CHECKING:
    from iosgen.model.site import Site


def select_fleet(
    inventory: Path,
    secrets: Path | None,
    hosts: Sequence[str] | None,
    group: str | None,
    all_sites: bool,
) -> list[Site]:
    """The routers and boxes chosen by --host, --group or --all (exactly one)."""
    if hosts or (group is not None) == all_sites:
        # --host, or no choice or two: select_sites says so, before loading anything
        return select_sites(inventory, secrets, hosts, group, all_sites, linux_by_host=True)
    from iosgen.model.inventory import load_inventory
    from iosgen.model.platform import Platform

    inv = load_inventory(inventory, secrets)
    chosen = inv.group(group) if group is not None else inv.sites
    return [s for s in chosen if s.platform in (Platform.IOS, Platform.LINUX_PPPD)]


__all__ = ["select_fleet"]
