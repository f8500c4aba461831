"""`iosgen sim`: simulated IOS 12.4 routers on loopback SSH, one per site, until Ctrl-C."""

from __future__ import annotations

import ipaddress
import sys
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from iosgen.cli.root import app, guarded
from iosgen.errors import UsageError

if TYPE_CHECKING:
    from iosgen.model.site import Site
    from iosgen.sim.fleet import RouterHandle


@app.command("sim")
@guarded
def sim(
    inventory: Annotated[Path, typer.Option("--inventory", "-i", help="Inventory folder.")] = Path(
        "inventory"
    ),
    host: Annotated[
        list[str] | None,
        typer.Option("--host", help="Only this site (repeatable); default every IOS site."),
    ] = None,
    targets: Annotated[
        Path, typer.Option("--targets", help="Targets file to write (YAML keyed by hostname).")
    ] = Path("sim-targets.yaml"),
    initial: Annotated[
        str,
        typer.Option(
            "--initial",
            help="bare (SSH management only), intended (the iosgen build), or a config FILE "
            "(a folder: FOLDER/HOSTNAME.cfg per router).",
        ),
    ] = "bare",
    fault: Annotated[
        list[str] | None,
        typer.Option(
            "--fault",
            help="HOST:KIND[=VALUE] (repeatable, HOST * for all): drop-after=N, reject=REGEX, "
            "delay-ms=N (a slow router), latency-ms=N (a WAN link, bytes in flight), "
            "bad-password, new-host-key, nat-in-use.",
        ),
    ] = None,
    modern_ssh: Annotated[
        bool, typer.Option("--modern-ssh", help="Offer current SSH algorithms, not 12.4's.")
    ] = False,
    secrets: Annotated[
        Path | None, typer.Option("--secrets", help="Secrets file for secret:NAME references.")
    ] = None,
) -> None:
    """Serve one simulated Cisco router (the site's hardware, IOS 12.4) per site on 127.0.0.1."""
    import warnings

    from iosgen.model.inventory import load_inventory
    from iosgen.model.platform import Platform
    from iosgen.sim import Fault, RouterSpec, SimFleet

    try:  # asyncssh warns that finite-field DH is old: that is the point of 12.4's SSH
        from cryptography.utils import CryptographyDeprecationWarning

        warnings.filterwarnings("ignore", category=CryptographyDeprecationWarning)
    except ImportError:  # pragma: no cover
        pass

    try:
        faults = [Fault.parse(f) for f in fault or []]
    except Exception as exc:  # ValueError, re.error
        raise UsageError(f"--fault: {exc}") from None
    inv = load_inventory(inventory, secrets)
    # the simulator is an IOS router: a linux-pppd site has nothing to simulate
    sites = [inv.find(h) for h in host] if host else inv.sites
    sites = [s for s in sites if s.platform == Platform.IOS]
    if not sites:
        raise UsageError("no IOS site to simulate", hint="check --inventory and --host")
    if initial not in ("bare", "intended") and Path(initial).is_file() and len(sites) > 1:
        raise UsageError(
            f"--initial {initial}: one config file for {len(sites)} routers",
            hint="add --host NAME, or give a folder of HOSTNAME.cfg files",
        )
    specs = []
    for site in sites:
        mgmt = site.management
        enable = mgmt.enable_secret.reveal() if mgmt.enable_secret is not None else None
        specs.append(
            RouterSpec(
                hostname=site.hostname,
                username=mgmt.username,
                password=mgmt.password.reveal(),
                enable_secret=enable,
                initial_config=_initial_config(initial, site),
                model=site.hardware.model,
                modules=tuple(sorted(site.hardware.modules.items())),
                image=site.hardware.image,
                feature_set=site.hardware.feature_set,
                dhcp=dhcp_leases(site),
            )
        )
    by_host = {spec.hostname: spec.username for spec in specs}
    state = targets.parent / ".iosgen-sim"
    try:
        fleet = SimFleet(
            specs, state_dir=state, faults=faults, modern_ssh=modern_ssh, targets_file=targets
        )
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    with fleet:
        _print_table(fleet, initial, faults)
        from iosgen.ios.secrets import redact_line

        for name in fleet.targets:
            _report_load(name, fleet.router(name), redact_line)
            if initial != "bare":
                _report_login(name, fleet.router(name), by_host[name])
        print(f"targets written to {targets}; Ctrl-C to stop", file=sys.stderr)
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            print("stopped", file=sys.stderr)


# The simulated ISP's DHCP server hands out /24s (docs/simulator.md, DHCP leases).
LEASE_PREFIX = 24


def dhcp_leases(site: Site) -> tuple[tuple[str, str, str], ...]:
    """The lease the site's ISP gives its `ipv4: dhcp` WAN port, for RouterSpec.dhcp.

    The WAN's address is the one iosgen manages the router at (`management.host`), so a
    dhcp branch's simulated router answers where the site says; the gateway is the
    port's `gateway` when set, else the first other address of the /24. None for a
    management host that is a name, or another port's address.
    """
    name = site.wan_name
    if name is None:
        return ()
    wan = site.interfaces[name]
    if wan.ipv4 != "dhcp":
        return ()
    try:
        address = ipaddress.IPv4Address(site.management.host)
    except ValueError:
        return ()
    if any(
        isinstance(i.ipv4, ipaddress.IPv4Interface) and i.ipv4.ip == address
        for i in site.interfaces.values()
    ):
        return ()
    net = ipaddress.IPv4Interface(f"{address}/{LEASE_PREFIX}").network
    if wan.gateway is not None:
        gateway = ipaddress.IPv4Address(str(wan.gateway))
    else:
        gateway = next(h for h in net.hosts() if h != address)
    return ((name, f"{address}/{LEASE_PREFIX}", str(gateway)),)


def _initial_config(initial: str, site: Site) -> str | None:
    if initial == "bare":
        return None
    if initial == "intended":
        from iosgen.build.ios import render_site

        return render_site(site)
    path = Path(initial)
    hostname = site.hostname
    if path.is_dir():
        path = path / f"{hostname}.cfg"
    if not path.is_file():
        raise UsageError(
            f"--initial {initial}: no such file {path}",
            hint="bare, intended, a config file, or a folder of HOSTNAME.cfg",
        )
    return path.read_text(encoding="utf-8")


def _print_table(fleet: object, initial: str, faults: Sequence[object]) -> None:
    from rich.console import Console
    from rich.table import Table

    from iosgen.sim import Fault, SimFleet

    assert isinstance(fleet, SimFleet)
    table = Table(title="iosgen sim: simulated Cisco IOS routers, SSH on loopback")
    cols = ("hostname", "hardware", "address", "username", "initial", "faults", "host key (SHA256)")
    for col in cols:
        table.add_column(col)
    specs = {s.hostname: s for s in fleet.specs}
    for name, t in fleet.targets.items():
        spec = specs[name]
        hardware = f"{spec.model} {spec.image}" + "".join(
            f" {module}@{slot}" for slot, module in spec.modules
        )
        mine = [
            f"{f.kind}={f.value}" if f.value else f.kind
            for f in faults
            if isinstance(f, Fault) and f.applies_to(name)
        ]
        table.add_row(
            name,
            hardware,
            f"{t.host}:{t.port}",
            t.username,
            initial,
            ", ".join(mine) or "-",
            _fingerprint(t.host_key),
        )
    Console(stderr=False).print(table)


def _fingerprint(public_key: str) -> str:
    """OpenSSH-style SHA256 fingerprint of "ssh-rsa AAAA...", shortened for the table."""
    import base64
    import hashlib

    blob = base64.b64decode(public_key.split()[1])
    return base64.b64encode(hashlib.sha256(blob).digest()).decode().rstrip("=")[:16]


def _report_load(name: str, router: RouterHandle, redact_line: Callable[[str], str]) -> None:
    """What a router did not take from its initial config, secrets masked: the lines it
    refused, and the lines it holds verbatim without understanding them."""
    for error in router.refused_lines:
        shown = redact_line(error)  # a refused `ppp pap ... password 0 X` keeps X hidden
        print(f"warning: {name}: initial config line refused: {shown}", file=sys.stderr)
    if router.held_count:
        first = "; ".join(redact_line(line) for line in router.held_lines[:3])
        more = " ..." if router.held_count > 3 else ""
        print(
            f"note: {name}: {router.held_count} line(s) held without understanding them "
            f"(kept verbatim, printed back in place): {first}{more}",
            file=sys.stderr,
        )


def _report_login(name: str, router: RouterHandle, username: str) -> None:
    """An initial config that lets the site's management login in no more (no matching
    `username`, no login method that takes it, no vty line with SSH) locks out iosgen
    and its operator: said at start, not at the first push."""
    why = router.login_refusal()
    if why is not None:
        print(
            f"warning: {name}: nobody will be able to log in as the site's management "
            f"login {username!r}: {why}",
            file=sys.stderr,
        )
