"""The sites of a fleet command that drives Linux boxes too (audit, backup, diff, plan,
push, verify): --host, --group and --all reach the boxes as they reach the routers
(one rule: `iosgen.cli.options.select_sites`).

Each platform's job is chosen per site further down (`iosgen.fleet`,
`iosgen.push.flow`), and a box's push keeps its own guard (a change to its firewall
rules or forwarding sysctl is refused without `--force`), so a fleet run reaching it
is safe.
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
    return select_sites(inventory, secrets, hosts, group, all_sites, boxes=True)


__all__ = ["select_fleet"]
