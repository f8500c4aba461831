"""Options and helpers shared by the commands: inventory, secrets, targets, host keys."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from iosgen.errors import UsageError

if TYPE_CHECKING:
    from iosgen.device.session import DeviceOptions
    from iosgen.model.inventory import Inventory
    from iosgen.model.site import Site

InventoryOpt = Annotated[
    Path,
    typer.Option(
        "--inventory", "-i", metavar="DIR", help="Inventory folder (or IOSGEN_INVENTORY)."
    ),
]
SecretsOpt = Annotated[
    Path | None,
    typer.Option(
        "--secrets",
        metavar="FILE",
        help="Secrets file for secret:NAME (default: secrets.yaml of the inventory).",
    ),
]
TargetsOpt = Annotated[
    Path | None,
    typer.Option(
        "--targets",
        metavar="FILE",
        help="Targets file: address, credentials, host key per hostname (or IOSGEN_TARGETS).",
    ),
]
AcceptOpt = Annotated[
    bool,
    typer.Option("--accept-new-host-key", help="Trust and remember an unknown SSH host key."),
]
KnownHostsOpt = Annotated[
    Path | None,
    typer.Option(
        "--known-hosts",
        metavar="FILE",
        help="Known-hosts file (or IOSGEN_KNOWN_HOSTS; default ~/.iosgen/known_hosts).",
    ),
]
ShowSecretsOpt = Annotated[
    bool, typer.Option("--show-secrets", help="Print secrets in clear (default: masked).")
]
HostOpt = Annotated[
    list[str] | None,
    typer.Option("--host", metavar="HOST", help="A router by hostname (repeatable)."),
]
GroupOpt = Annotated[
    str | None, typer.Option("--group", metavar="GROUP", help="The sites of a group.")
]
AllOpt = Annotated[
    bool, typer.Option("--all", help="Every router (and Linux box, where the command drives one).")
]
WorkersOpt = Annotated[
    int,
    typer.Option("--workers", min=1, metavar="N", help="Parallel sessions (or IOSGEN_WORKERS)."),
]


# --- shared plumbing ------------------------------------------------------------------------


def device_options(known_hosts: Path | None, accept: bool) -> DeviceOptions:
    from iosgen.device.session import DEFAULT_KNOWN_HOSTS, DeviceOptions

    return DeviceOptions(known_hosts=known_hosts or DEFAULT_KNOWN_HOSTS, accept_new_host_key=accept)


def select_sites(
    inventory: Path,
    secrets: Path | None,
    hosts: Sequence[str] | None,
    group: str | None,
    all_sites: bool,
    *,
    boxes: bool = False,
) -> list[Site]:
    """The sites a fleet command works on: the IOS routers chosen by --host, --group or
    --all (exactly one), and the Linux boxes among them too when the command drives a
    box (`boxes`: audit, backup, diff, plan, push, verify)."""
    return selection(inventory, secrets, hosts, group, all_sites, boxes=boxes)[1]


def selection(
    inventory: Path,
    secrets: Path | None,
    hosts: Sequence[str] | None,
    group: str | None,
    all_sites: bool,
    *,
    boxes: bool = False,
) -> tuple[Inventory, list[Site]]:
    """`select_sites` with the inventory it loaded (a command that needs the whole fleet,
    verify, loads it once)."""
    given = [
        name
        for name, on in (
            ("--host", bool(hosts)),
            ("--group", group is not None),
            ("--all", all_sites),
        )
        if on
    ]
    if len(given) > 1:
        names = f"{', '.join(given[:-1])} and {given[-1]}"
        raise UsageError(
            f"{names} are mutually exclusive: choose the routers one way "
            "(--host H, repeatable; --group G; or --all)"
        )
    if not given:
        raise UsageError("choose the routers: --host H (repeatable), --group G or --all")
    from iosgen.model.inventory import load_inventory
    from iosgen.model.platform import Platform

    inv = load_inventory(inventory, secrets)
    if hosts:
        sites = [inv.find(h) for h in hosts]
    elif group is not None:
        sites = inv.group(group)
    else:
        sites = inv.sites
    kinds = (Platform.IOS, Platform.LINUX) if boxes else (Platform.IOS,)
    return inv, [s for s in sites if s.platform in kinds]
