"""`iosgen migrate`: arguments in, `iosgen.migrate` called, the steps reported."""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from iosgen.cli.options import (
    AcceptOpt,
    InventoryOpt,
    KnownHostsOpt,
    SecretsOpt,
    TargetsOpt,
    device_options,
)
from iosgen.cli.root import app, guarded
from iosgen.errors import EXIT_FINDINGS, UsageError

if TYPE_CHECKING:
    from iosgen.migrate import Event, Migration


def _say(text: str) -> None:
    with contextlib.suppress(OSError):
        print(text, file=sys.stderr, flush=True)


@app.command()
@guarded
def migrate(
    host: Annotated[str, typer.Option("--host", metavar="HOST", help="The branch router.")],
    tunnel: Annotated[
        str, typer.Option("--tunnel", metavar="NAME", help="Its PPTP tunnel to replace.")
    ],
    to: Annotated[str, typer.Option("--to", metavar="KIND", help="The new kind: ipsec.")],
    dry_run: Annotated[
        bool,
        typer.Option(
            "--dry-run", help="Show the three steps, per router its lines; touch nothing."
        ),
    ] = False,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
    key: Annotated[
        str | None,
        typer.Option(
            "--key",
            metavar="REF",
            help="The pre-shared key as a secret reference (${ENV} or secret:NAME; default "
            "${IOSGEN_<HOST>_<TUNNEL>_PSK}, or the head office's dynamic_key for a DHCP WAN).",
        ),
    ] = None,
    step: Annotated[
        int | None,
        typer.Option("--step", min=1, max=3, help="Run the pending steps up to this one only."),
    ] = None,
    revert_timer: Annotated[
        int | None,
        typer.Option("--revert-timer", min=0, max=120, help="Each push's revert timer (min)."),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Push changes on the management path too.")
    ] = False,
    wait: Annotated[
        float,
        typer.Option("--wait", min=0, help="Seconds the branch's network checks may take."),
    ] = 60.0,
    inventory: InventoryOpt = Path("inventory"),
    secrets: SecretsOpt = None,
    targets: TargetsOpt = None,
    accept_new_host_key: AcceptOpt = False,
    known_hosts: KnownHostsOpt = None,
    history: Annotated[Path, typer.Option("--history", help="Where push records go.")] = Path(
        ".iosgen/history"
    ),
    state_dir: Annotated[
        Path,
        typer.Option(
            "--state-dir", help="Where migration states go (<HOST>.json; or IOSGEN_MIGRATIONS)."
        ),
    ] = Path(".iosgen/migrations"),
) -> None:
    """Move a branch off PPTP in three verified steps: add IPsec, prefer it, remove PPTP."""
    from iosgen.migrate import MigrateOptions, MigrateRequest, prepare, run_migration
    from iosgen.model.inventory import load_inventory, load_resolver
    from iosgen.model.migration import MigrationError
    from iosgen.model.targets import resolve_targets
    from iosgen.push import PushOptions
    from iosgen.push.signals import exit_status, stop_signals

    inv = load_inventory(inventory, secrets, migrations=False)  # the files as they are
    resolver = load_resolver(secrets, inventory=inventory)
    try:
        migration = prepare(inv, MigrateRequest(host, tunnel, to, key), resolver, state_dir)
    except MigrationError as exc:
        raise UsageError(str(exc)) from None
    state = migration.state
    pending = migration.pending if step is None else [s for s in migration.pending if s <= step]
    office = migration.find(migration.sites, state.head_office)
    resolved = resolve_targets([migration.branch, office], targets)
    _say(
        f"{state.host}: tunnel {state.tunnel!r} -> {state.to} tunnel {state.new_tunnel!r} "
        f"(key {state.key}, head office {state.head_office}); step {state.done} done"
    )
    # after step 3 only the site file may be left to write: run_migration does it
    if not pending and (dry_run or state.done < 3 or state.rewritten):
        _say("nothing to do")
        raise typer.Exit(0)
    if dry_run or not yes:
        _show(migration, pending, resolved[state.host].host)
    if dry_run:
        raise typer.Exit(0)
    if not yes and not _confirmed(pending, migration):
        _say("not confirmed: nothing sent")
        raise typer.Exit(EXIT_FINDINGS)
    options = MigrateOptions(
        push=PushOptions(
            revert_minutes=revert_timer,
            force=force,
            device=device_options(known_hosts, accept_new_host_key),
            history_dir=history,
            lock_dir=history.parent / "locks",
        ),
        state_dir=state_dir,
        network_wait_seconds=wait,
        until=step,
    )
    with stop_signals():
        result = run_migration(migration, resolved, options, _progress)
    print(f"{state.host}: {result.message}")
    print(f"state: {state_dir / (state.host + '.json')} (step {result.state.done} done)")
    signalled = exit_status()
    raise typer.Exit(signalled if signalled is not None else result.code)


def _show(migration: Migration, pending: list[int], target_host: str) -> None:
    for number in pending:
        print("\n".join(migration.plan(number, target_host).render()))


def _progress(event: Event) -> None:
    _say(f"step {event.step}: {event.host}: {event.what}: {event.text}")


def _confirmed(pending: list[int], migration: Migration) -> bool:
    steps = f"step {pending[0]}" if len(pending) == 1 else f"steps {pending[0]}-{pending[-1]}"
    hosts = f"{migration.state.host} and {migration.state.head_office}"
    try:
        return typer.confirm(f"Run {steps} on {hosts}?", default=False, err=True)
    except (typer.Abort, KeyboardInterrupt, OSError):
        return False
