"""`iosgen verify`: the operational checks of iosgen.network, per router, in parallel."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from iosgen.cli.options import (
    AcceptOpt,
    AllOpt,
    GroupOpt,
    HostOpt,
    InventoryOpt,
    KnownHostsOpt,
    SecretsOpt,
    TargetsOpt,
    device_options,
    selection,
)
from iosgen.cli.root import app, guarded
from iosgen.errors import EXIT_FINDINGS, EXIT_OK, EXIT_UNREACHABLE, UsageError

if TYPE_CHECKING:
    from iosgen.device.session import DeviceOptions
    from iosgen.model.site import Site
    from iosgen.model.targets import Target
    from iosgen.network import HostReport

FORMATS = ("text", "json", "junit")


@app.command()
@guarded
def verify(
    host: HostOpt = None,
    group: GroupOpt = None,
    all_sites: AllOpt = False,
    fmt: Annotated[str, typer.Option("--format", help="text | json | junit")] = "text",
    workers: Annotated[int, typer.Option("--workers", min=1, help="Parallel sessions.")] = 20,
    inventory: InventoryOpt = Path("inventory"),
    secrets: SecretsOpt = None,
    targets: TargetsOpt = None,
    accept_new_host_key: AcceptOpt = False,
    known_hosts: KnownHostsOpt = None,
) -> None:
    """Check the network works: tunnels up, routes installed, head office and Internet
    reachable from each LAN. Exit 0 all good, 1 a check failed, 3 a router unreachable."""
    from iosgen.fleet.runner import run_fleet
    from iosgen.model.platform import Platform
    from iosgen.model.targets import resolve_targets
    from iosgen.network.verify import HostReport, verify_target

    if fmt not in FORMATS:
        raise UsageError(f"--format {fmt}: expected {', '.join(FORMATS)}")
    inv, sites = selection(inventory, secrets, host, group, all_sites, boxes=True)
    if not sites:
        raise UsageError("no IOS router or Linux box selected")
    fleet = inv.sites
    resolved = resolve_targets(sites, targets)
    options = device_options(known_hosts, accept_new_host_key)

    def job(site: Site) -> HostReport:
        if site.platform is Platform.LINUX_PPPD:
            return _verify_box(site, resolved[site.hostname], options)
        return verify_target(site, resolved[site.hostname], options, fleet)

    results = run_fleet(
        sites,
        job,
        key=lambda site: site.hostname,
        workers=workers,
    )
    reports: list[HostReport] = []
    for r in results:
        if r.value is not None:
            reports.append(r.value)
        else:
            reports.append(HostReport(r.host, unreachable=str(r.error or "not run")))
    sys.stdout.write(render(reports, fmt))
    raise typer.Exit(exit_code(reports))


def _verify_box(site: Site, target: Target, options: DeviceOptions) -> HostReport:
    """A linux-pppd box's tunnels (iosgen.push.linux: its unit, `ppp` interface, routes
    and MASQUERADE rules), as verify's report: one session check per tunnel."""
    from iosgen.network.verify import Check, HostReport
    from iosgen.push.linux import LinuxPushOptions, verify_linux_site

    states = verify_linux_site(site, LinuxPushOptions.of(options).device, target=target)
    report = HostReport(site.hostname)
    for state in states:
        reason = "; ".join((*state.problems, *state.causes)) or None
        report.checks.append(Check("session", state.up, state.name, reason))
    return report


def exit_code(reports: list[HostReport]) -> int:
    if any(r.unreachable for r in reports):
        return EXIT_UNREACHABLE
    return EXIT_OK if all(r.ok for r in reports) else EXIT_FINDINGS


def render(reports: list[HostReport], fmt: str) -> str:
    if fmt == "json":
        # a list of host objects: what `iosgen graph --report` reads, as audit's
        return json.dumps([r.as_json() for r in reports], indent=2) + "\n"
    if fmt == "junit":
        return _junit(reports)
    rows = []
    for r in reports:
        if r.unreachable:
            rows.append(f"{r.host}: UNREACHABLE {r.unreachable}")
            continue
        rows.append(f"{r.host}: {'ok' if r.ok else 'FAILED'}")
        for c in r.checks:
            what = f"{c.check} {c.tunnel}" if c.tunnel else c.check
            rows.append(
                f"  {'ok  ' if c.ok else 'FAIL'} {what}" + (f": {c.reason}" if c.reason else "")
            )
    return "\n".join(rows) + "\n"


def _junit(reports: list[HostReport]) -> str:
    # here, not at the top: xml.sax.saxutils loads urllib.request and ssl (~30 ms), which
    # every `iosgen` command would pay at start-up
    from xml.sax.saxutils import escape, quoteattr

    cases = []
    failures = 0
    for r in reports:
        if r.unreachable:
            failures += 1
            cases.append(
                f'  <testcase classname={quoteattr(r.host)} name="connect">'
                f"<error message={quoteattr(r.unreachable)}/></testcase>"
            )
            continue
        for c in r.checks:
            name = quoteattr(f"{c.check} {c.tunnel}" if c.tunnel else c.check)
            if c.ok:
                cases.append(f"  <testcase classname={quoteattr(r.host)} name={name}/>")
            else:
                failures += 1
                cases.append(
                    f"  <testcase classname={quoteattr(r.host)} name={name}>"
                    f"<failure message={quoteattr(c.reason or 'failed')}>"
                    f"{escape(c.reason or '')}</failure></testcase>"
                )
    head = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<testsuite name="iosgen verify" '
        f'tests="{len(cases)}" failures="{failures}">'
    )
    return "\n".join([head, *cases, "</testsuite>"]) + "\n"
