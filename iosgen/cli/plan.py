"""`iosgen plan -o PLAN.json`: the dry run of `iosgen push`, written down to be pushed
exactly (`iosgen push --plan PLAN.json`). Nothing here knows IOS."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from iosgen.cli.boxes import select_fleet
from iosgen.cli.options import (
    AcceptOpt,
    AllOpt,
    GroupOpt,
    HostOpt,
    InventoryOpt,
    KnownHostsOpt,
    SecretsOpt,
    TargetsOpt,
    WorkersOpt,
    device_options,
)
from iosgen.cli.root import app, guarded
from iosgen.errors import UsageError


@app.command()
@guarded
def plan(
    output: Annotated[Path, typer.Option("--output", "-o", help="The plan file to write (JSON).")],
    host: HostOpt = None,
    group: GroupOpt = None,
    all_sites: AllOpt = False,
    revert_timer: Annotated[
        int | None,
        typer.Option(
            "--revert-timer",
            min=0,
            max=120,
            help="The revert timer the push will arm, in minutes (default 5; 0: none).",
        ),
    ] = None,
    workers: WorkersOpt = 20,
    inventory: InventoryOpt = Path("inventory"),
    secrets: SecretsOpt = None,
    targets: TargetsOpt = None,
    accept_new_host_key: AcceptOpt = False,
    known_hosts: KnownHostsOpt = None,
) -> None:
    """Plan a push and write it down: per router the hashes of the built and the running
    config, the lines (secrets masked), the guard's findings and the revert timer."""
    from iosgen.cli.push import _emit
    from iosgen.fleet.push import as_results, plan_fleet
    from iosgen.model.targets import resolve_targets
    from iosgen.push import PushOptions
    from iosgen.push.plan import ordered, revert_minutes
    from iosgen.push.planfile import from_outcomes, write_plan

    sites = select_fleet(inventory, secrets, host, group, all_sites)
    if not sites:
        raise UsageError("no IOS router or linux-pppd box selected")
    resolved = resolve_targets(sites, targets)
    options = PushOptions(
        dry_run=True,
        revert_minutes=revert_timer,
        device=device_options(known_hosts, accept_new_host_key),
        history_dir=None,
        lock_dir=None,
    )
    jobs = [(site, resolved[site.hostname]) for site in sites]
    outcomes = ordered(plan_fleet(jobs, options, workers=workers), sites)
    write_plan(from_outcomes(outcomes, revert_minutes(options)), output)
    _emit(outcomes, "text", plan=True)
    typer.echo(f"plan written to {output}", err=True)
    raise typer.Exit(as_results(outcomes).exit_code)
