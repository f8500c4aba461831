"""`iosgen push`: arguments in, `iosgen.push` called, outcomes out. Nothing here knows IOS."""

from __future__ import annotations

import contextlib
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

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
    device_options,
)
from iosgen.cli.root import app, guarded
from iosgen.errors import EXIT_FINDINGS, UsageError

if TYPE_CHECKING:
    from iosgen.model.site import Site
    from iosgen.model.targets import Target
    from iosgen.push import PushOptions, PushOutcome
    from iosgen.push.planfile import PlanFile, PlannedHost


def _say(text: str) -> None:
    # after a SIGHUP the terminal may be gone: a failed write must not stop the push
    with contextlib.suppress(OSError):
        print(text, file=sys.stderr, flush=True)


def _plan_lines(outcome: PushOutcome) -> list[str]:
    from iosgen.push.plan import plan_lines

    return plan_lines(outcome)


def _details(outcome: PushOutcome) -> list[str]:
    from iosgen.push import Status

    head = f"{outcome.host}: {outcome.status.value}"
    if outcome.status is Status.PUSHED:
        head += f" in {outcome.seconds:.2f} s"
    out = [f"{head}: {outcome.message}"]
    if outcome.refusals and outcome.status is Status.REFUSED:
        out += [f"  {r}" for r in outcome.refusals]
    if outcome.failing_line:
        out.append(f"  failing line: {outcome.failing_line}")
    if outcome.ios_answer:
        out.append("  IOS answered:")
        out += [f"    {a}" for a in outcome.ios_answer.splitlines()]
    out += [f"  drift: {d}" for d in outcome.drift_after]
    out += [f"  note: {n}" for n in outcome.notes]
    if outcome.history:
        out.append(f"  record: {outcome.history}")
    out.append(f"  => {outcome.where()}")
    return out


def _table(outcomes: Sequence[PushOutcome]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title="iosgen push", show_lines=False)
    for column in ("host", "lines", "outcome", "config now", "seconds"):
        table.add_column(column, justify="right" if column in ("lines", "seconds") else "left")
    for o in outcomes:
        table.add_row(o.host, str(len(o.lines)), o.status.value, o.final.value, f"{o.seconds:.2f}")
    Console(file=sys.stdout, width=100).print(table)


@app.command()
@guarded
def push(
    host: HostOpt = None,
    group: GroupOpt = None,
    all_sites: AllOpt = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show what would be sent; touch nothing.")
    ] = False,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
    no_save: Annotated[
        bool, typer.Option("--no-save", help="Do not `write memory` after the push.")
    ] = False,
    revert_timer: Annotated[
        int | None,
        typer.Option(
            "--revert-timer",
            min=0,
            max=120,
            help="The router's own rollback (revert timer, else `reload in`) for MIN "
            "minutes, armed before the first line (default 5; 0: no safety net).",
        ),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Push changes on the management path too.")
    ] = False,
    workers: Annotated[int, typer.Option("--workers", min=1, help="Parallel sessions.")] = 20,
    canary: Annotated[
        int, typer.Option("--canary", min=0, help="Push N hosts first; stop if any fails.")
    ] = 0,
    fmt: Annotated[str, typer.Option("--format", help="text | json")] = "text",
    inventory: InventoryOpt = Path("inventory"),
    secrets: SecretsOpt = None,
    targets: TargetsOpt = None,
    accept_new_host_key: AcceptOpt = False,
    known_hosts: KnownHostsOpt = None,
    history: Annotated[Path, typer.Option("--history", help="Where push records go.")] = Path(
        ".iosgen/history"
    ),
    session_log: Annotated[
        Path | None,
        typer.Option("--session-log", help="Folder for redacted SSH session logs, one per host."),
    ] = None,
    plan_file: Annotated[
        Path | None,
        typer.Option(
            "--plan",
            help="Push exactly this plan (from `iosgen plan -o`): its routers, its lines; a "
            "router whose build or running config changed since is refused.",
        ),
    ] = None,
    verify_network: Annotated[
        bool,
        typer.Option(
            "--verify-network",
            help="After the config verify, check the network (`iosgen verify`: tunnels up, "
            "routes, head office reachable); a failure rolls back.",
        ),
    ] = False,
    one_line_at_a_time: Annotated[
        bool,
        typer.Option(
            "--one-line-at-a-time",
            help="Type each line only after IOS answered the one before (no lines typed "
            "ahead: one round trip per line).",
        ),
    ] = False,
) -> None:
    """Push the model to routers: safely, verified, rolled back on any failure."""
    import dataclasses

    from iosgen.device.typeahead import WINDOW_BYTES
    from iosgen.push import PushOptions
    from iosgen.push.signals import exit_status, stop_signals

    if fmt not in ("text", "json"):
        raise UsageError(f"--format {fmt}: expected text or json")
    plan = None
    if plan_file is not None:
        from iosgen.push.planfile import read_plan

        if host or group or all_sites:
            raise UsageError("--plan names the routers: no --host, --group or --all with it")
        plan = read_plan(plan_file)
        host = [h.host for h in plan.hosts if h.sends]
        if not host:
            _say(f"{plan_file}: no router in the plan has lines to send: nothing to do")
            raise typer.Exit(0)
        reverts = {h.revert_minutes for h in plan.hosts if h.sends}
        planned_revert = reverts.pop() if len(reverts) == 1 else None
        if reverts:
            raise UsageError(f"{plan_file}: the routers of the plan have different revert timers")
        if revert_timer is not None and revert_timer != (planned_revert or 0):
            raise UsageError(
                f"--revert-timer {revert_timer}: the plan was made with "
                f"{planned_revert or 0}; make a new plan to change it"
            )
        revert_timer = planned_revert or 0
    options = PushOptions(
        dry_run=dry_run,
        save=not no_save,
        force=force,
        revert_minutes=revert_timer,
        device=dataclasses.replace(
            device_options(known_hosts, accept_new_host_key),
            typeahead_bytes=0 if one_line_at_a_time else WINDOW_BYTES,
        ),
        history_dir=history,
        session_log_dir=session_log,
        lock_dir=history.parent / "locks",  # beside the history: .iosgen/locks/<HOST>.lock
        planned_running=(
            {h.host: h.running_sha256 for h in plan.hosts if h.sends and h.running_sha256}
            if plan is not None
            else None
        ),
        verify_network=verify_network,
    )
    # SIGINT, SIGTERM and SIGHUP: each push finishes or rolls back and writes its record
    with stop_signals():
        code = _run(
            options,
            host,
            group,
            all_sites,
            inventory,
            secrets,
            targets,
            yes,
            workers,
            canary,
            fmt,
            plan,
        )
    signalled = exit_status()
    raise typer.Exit(signalled if signalled is not None else code)


def _run(
    options: PushOptions,
    host: list[str] | None,
    group: str | None,
    all_sites: bool,
    inventory: Path,
    secrets: Path | None,
    targets: Path | None,
    yes: bool,
    workers: int,
    canary: int,
    fmt: str,
    plan: PlanFile | None = None,
) -> int:
    """Plan, confirm, push, report; returns the exit code."""
    from iosgen.cli.progress import ProgressBar
    from iosgen.fleet.push import as_results, plan_fleet, push_results
    from iosgen.fleet.runner import HostResult
    from iosgen.model.targets import resolve_targets
    from iosgen.push import Status
    from iosgen.push.plan import confirmation, ordered
    from iosgen.push.signals import received

    dry_run, force = options.dry_run, options.force
    sites = select_fleet(inventory, secrets, host, group, all_sites)
    if not sites:
        raise UsageError("no IOS router or linux-pppd box selected")
    if options.verify_network:
        from dataclasses import replace

        from iosgen.model.inventory import load_inventory

        fleet = tuple(load_inventory(inventory, secrets).sites)
        options = replace(options, network_fleet=fleet)
    resolved = resolve_targets(sites, targets)
    jobs = [(site, resolved[site.hostname]) for site in sites]
    text = fmt == "text"

    def done(outcome: PushOutcome) -> None:
        if text and len(jobs) > 1:
            _say(f"{outcome.host}: {outcome.status.value} -> {outcome.final.value} config")

    expected: dict[str, tuple[str, ...]] | None = None
    # hosts the plan already settled (refused, in sync, unreachable): reported, never sent
    held: list[PushOutcome] = []
    if plan is not None:
        held, jobs = _against_plan(plan, jobs)
        if not jobs:
            outcomes = ordered(held, sites)
            _emit(outcomes, fmt, plan=False)
            return as_results(outcomes).exit_code
    if dry_run or not yes:
        asked = confirmation(plan_fleet(jobs, options, workers=workers), force)
        if dry_run or not asked.todo or received():
            plans = list(asked.plans) if dry_run else asked.without_question()
            plans = ordered([*plans, *held], sites)
            _emit(plans, fmt, plan=dry_run)
            return as_results(plans).exit_code
        if text:
            _print("\n".join(line for p in asked.plans for line in _shown(p)))
        if asked.refused:
            _say(f"refused without --force: {', '.join(p.host for p in asked.refused)}")
        held = [*held, *asked.held]
        if not _confirmed(len(asked.todo)):
            _say("not confirmed: nothing sent")
            return EXIT_FINDINGS
        expected = asked.expected
        jobs = [j for j in jobs if j[0].hostname in expected]
    if plan is not None:
        # exactly the reviewed lines: a plan that comes out otherwise now is refused
        expected = {site.hostname: _planned(plan, site.hostname).lines for site, _ in jobs}
    with ProgressBar("push", len(jobs)) as bar:

        def finished(result: HostResult[PushOutcome]) -> None:
            bar.on_done(result)
            # a host push_host answered for (not skipped by a canary or Ctrl-C, no bug)
            ran = result.error is None or result.unreachable
            if ran and result.value is not None and result.value.status is not Status.SKIPPED:
                done(result.value)

        outcomes = push_results(
            jobs,
            options,
            workers=workers,
            canary=canary,
            expected=expected,
            on_start=bar.on_start,
            on_done=finished,
        ).values()
    outcomes = ordered([*outcomes, *held], sites)
    _emit(outcomes, fmt, plan=False)
    return as_results(outcomes).exit_code


def _planned(plan: PlanFile, host: str) -> PlannedHost:
    found = plan.host(host)
    assert found is not None  # the sites were selected by the plan's names
    return found


def _against_plan(
    plan: PlanFile, jobs: list[tuple[Site, Target]]
) -> tuple[list[PushOutcome], list[tuple[Site, Target]]]:
    """(refused, to push): a router whose build is not the one planned is refused here,
    before any connection; the running config is checked after the fetch."""
    from iosgen.diff.audit import intended_config
    from iosgen.model.platform import Platform
    from iosgen.push import Final, PushOutcome, Status
    from iosgen.push.planfile import built_sha256

    refused: list[PushOutcome] = []
    keep: list[tuple[Site, Target]] = []
    for site, target in jobs:
        want = _planned(plan, site.hostname).built_sha256
        if site.platform is Platform.LINUX_PPPD:  # a box's build is its file tree
            from iosgen.build import build_site
            from iosgen.push.linux import tree_sha256

            now = tree_sha256(build_site(site).files)
        else:
            now = built_sha256(intended_config(site, None))
        if want != now:
            message = (
                f"the build changed since the plan was made (planned sha256 "
                f"{(want or 'none')[:12]}..., built now {now[:12]}...): nothing sent; "
                "make a new plan"
            )
            refused.append(PushOutcome(site.hostname, Status.REFUSED, Final.OLD, message))
        else:
            keep.append((site, target))
    return refused, keep


def _print(text: str) -> None:
    """stdout, unless it is gone (a closed terminal): the history record has it all."""
    try:
        print(text, flush=True)
    except OSError:
        # later writes (and Python's own flush at exit) go nowhere instead of failing
        with contextlib.suppress(OSError):
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())


def _shown(outcome: PushOutcome) -> list[str]:
    """A plan before the question: its lines if planned, else what settled it."""
    from iosgen.push import Status

    return _plan_lines(outcome) if outcome.status is Status.PLANNED else _details(outcome)


def _confirmed(count: int) -> bool:
    try:
        return typer.confirm(f"Push to {count} router(s)?", default=False, err=True)
    except (typer.Abort, KeyboardInterrupt, OSError):
        return False


def _emit(outcomes: Sequence[PushOutcome], fmt: str, plan: bool) -> None:
    from iosgen.fleet.push import as_results
    from iosgen.push import Status

    if fmt == "json":
        data = {
            "hosts": [o.as_dict() for o in outcomes],
            "exit_code": as_results(outcomes).exit_code,
        }
        _print(json.dumps(data, indent=2))
        return
    for o in outcomes:
        lines = _plan_lines(o) if plan and o.status is Status.PLANNED else _details(o)
        _print("\n".join(lines))
    if len(outcomes) > 1 or not plan:
        try:
            _table(outcomes)
        except OSError:
            _print("")
