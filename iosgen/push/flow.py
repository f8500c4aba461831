"""`push_host`: the safe, one-call push of one router that never raises.

It holds the router's lock on this machine, connects, reads the running config,
asks `iosgen.push.plan.plan_push` what to do (pure), hands a plan that sends to
`iosgen.push.apply.apply_plan`, and writes the history record. Every path out
returns a `PushOutcome` whose `final` says which config the router runs: the
new one (verified against the model) or the old one (restored with
`configure replace flash:iosgen-rollback-<ts>.cfg force` and verified). Only
when the router cannot be reached again after a failure is it `unknown`, and
then an armed revert timer (`configure replace ... time N`) brings it back.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from iosgen.device.session import Device
from iosgen.errors import DeviceError
from iosgen.model.site import Site
from iosgen.model.targets import Target
from iosgen.push.apply import (
    CHANGED,
    ROLLBACK_PREFIX,
    PushRun,
    apply_plan,
    delete_quietly,
    rollback,
    send_form,
    why_text_of,
)
from iosgen.push.engine import AuditEngine, Engine
from iosgen.push.lock import LockHeld, host_lock
from iosgen.push.outcome import Final, PushOutcome, Sent, Status
from iosgen.push.plan import (
    DEFAULT_REVERT_MINUTES,
    PushOptions,
    plan_push,
    refusal_message,
)
from iosgen.push.planfile import built_sha256, running_sha256
from iosgen.push.signals import shielded, why

if TYPE_CHECKING:
    from iosgen.build import Build


def push_host(
    site: Site,
    target: Target,
    options: PushOptions | None = None,
    *,
    engine: Engine | None = None,
    expected: tuple[str, ...] | None = None,
    on_line: Callable[[str, Sent], None] | None = None,
    build: Build | None = None,
) -> PushOutcome:
    """Push `site` to the router at `target`; never raises for a router's failure.

    `build`: the site's build if the caller has made it (the site is not rendered again).

    `expected`: the masked lines the operator confirmed; if the router's running
    config changed since, the plan differs and the push is refused. A push (not a
    dry run) holds the router's lock on this machine from the plan to the record.
    """
    from iosgen.diff.audit import intended_config
    from iosgen.model.platform import Platform

    if site.platform is Platform.LINUX_PPPD:  # a Linux box's file tree: iosgen.push.linux
        from iosgen.push.linux import linux_options, push_linux_host

        return push_linux_host(
            site, build, linux_options(options), target=target, expected=expected
        )
    options = options or PushOptions()
    engine = engine or AuditEngine()
    run = PushRun(site, target, options, engine)
    run.intended = intended_config(site, build)
    if options.dry_run or options.lock_dir is None:
        return _push_host(run, expected, on_line)
    try:
        with host_lock(options.lock_dir, site.hostname):
            return _push_host(run, expected, on_line)
    except LockHeld as exc:
        return _finish(run, run.outcome(Status.REFUSED, Final.OLD, str(exc)))


def _push_host(
    run: PushRun,
    expected: tuple[str, ...] | None,
    on_line: Callable[[str, Sent], None] | None,
) -> PushOutcome:
    options = run.options
    device_options = replace(options.device, hide=run.hide)
    if options.session_log_dir is not None:
        options.session_log_dir.mkdir(parents=True, exist_ok=True)
        log = options.session_log_dir / f"{run.site.hostname}.log"
        device_options = replace(device_options, session_log=log)
    device = Device(run.target, device_options)
    try:
        try:
            device.connect()
        except DeviceError as exc:
            outcome = run.outcome(Status.UNREACHABLE, Final.OLD, why_text_of(exc))
            with shielded():
                return _finish(run, outcome, record=False)
        try:
            outcome = _push(run, device, expected, on_line)
        except DeviceError as exc:  # lost before anything was sent
            outcome = run.outcome(Status.UNREACHABLE, Final.OLD, why_text_of(exc))
        with shielded():
            return _finish(run, outcome)
    except KeyboardInterrupt as exc:
        # Ctrl-C, SIGTERM or SIGHUP (iosgen.push.signals) anywhere in the push:
        # the router is rolled back if anything was typed, then the record is written.
        with shielded():
            if run.result is not None:
                outcome = replace(
                    run.result, notes=(*run.result.notes, f"{why(exc)} after the outcome")
                )
            elif run.touched and run.base is not None:
                device.close()  # the session may be mid-answer: start a clean one
                outcome = rollback(run, device, None, why(exc), "")
            else:
                delete_quietly(device, run.rollback_file)
                outcome = run.outcome(Status.ABORTED, Final.OLD, f"{why(exc)}: nothing sent")
            return _finish(run, outcome)
    finally:
        device.close()


def _push(
    run: PushRun,
    device: Device,
    expected: tuple[str, ...] | None,
    on_line: Callable[[str, Sent], None] | None,
) -> PushOutcome:
    options = run.options
    run.before = device.running_config()
    run.base = run.before
    planned = (options.planned_running or {}).get(run.site.hostname)
    if planned is not None and running_sha256(run.before) != planned:
        now = running_sha256(run.before)
        return run.outcome(
            Status.REFUSED,
            Final.OLD,
            f"the running config changed since the plan was made (planned against "
            f"sha256 {planned[:12]}..., the router now runs {now[:12]}...): nothing sent; "
            "make a new plan",
        )
    plan = plan_push(
        run.site,
        run.intended,
        run.before,
        (run.target.host, device.local_address),
        options,
        login=run.target.username,
        expected=expected,
        engine=run.engine,
    )
    run.masked_lines = plan.masked
    stop = plan.stop()
    # in sync: nothing sent, the router runs the model, unless someone changed it
    # while iosgen was planning (the claim is about the end)
    if (
        plan.in_sync
        and not options.dry_run
        and not run.engine.same(run.before, device.running_config())
    ):
        return run.outcome(Status.REFUSED, Final.OLD, CHANGED)
    if stop is not None:
        if options.dry_run:  # a plan: what it was made from, for a plan file
            return run.outcome(
                *stop,
                refusals=plan.refusals,
                built_sha256=built_sha256(run.intended),
                running_sha256=running_sha256(run.before),
            )
        return run.outcome(*stop, refusals=plan.refusals)
    return apply_plan(run, device, plan, on_line)


def _finish(run: PushRun, outcome: PushOutcome, record: bool = True) -> PushOutcome:
    if not record or run.options.history_dir is None or outcome.status is Status.PLANNED:
        return outcome
    if outcome.status is Status.IN_SYNC:
        return outcome
    from iosgen.push.history import write_history

    try:
        path = write_history(
            run.options.history_dir, run.site, outcome, run.before, run.after, run.engine
        )
    except OSError as exc:
        return replace(outcome, notes=(*outcome.notes, f"history not written: {exc}"))
    return replace(outcome, history=path)


__all__ = [
    "DEFAULT_REVERT_MINUTES",
    "ROLLBACK_PREFIX",
    "PushOptions",
    "push_host",
    "refusal_message",
    "send_form",
]
