"""The safe push of one router: plan, guard, rollback point, send, verify, commit, record.

Every path out of `push_host` returns a `PushOutcome` whose `final` says
which config the router runs: the new one (verified against the model) or the
old one (restored with `configure replace flash:iosgen-rollback-<ts>.cfg force`
and compared with what was there before). Only when the router cannot be
reached again after a failure is it `unknown`, and then an armed revert timer
(`configure replace ... time N`) is what brings it back by itself.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

from iosgen.device import (
    CommandError,
    ConfigLineError,
    Device,
    DeviceOptions,
    LineAnswer,
)
from iosgen.errors import DeviceError
from iosgen.iosfacts import CLEAR_NAT, NAT_DYNAMIC_RE, NAT_MAPPING_RE
from iosgen.model import Site
from iosgen.pushing.engine import AuditEngine, Engine, site_secrets
from iosgen.pushing.guard import management_findings, walk
from iosgen.pushing.outcome import Final, PushOutcome, Sent, Status
from iosgen.targets import Target

DEFAULT_REVERT_MINUTES = 5
ROLLBACK_PREFIX = "iosgen-rollback-"


@dataclass(frozen=True)
class PushOptions:
    dry_run: bool = False
    save: bool = True
    force: bool = False
    # None: armed (DEFAULT_REVERT_MINUTES) only for a change on the management path;
    # 0: never; N: always, N minutes.
    revert_minutes: int | None = None
    device: DeviceOptions = field(default_factory=DeviceOptions)
    history_dir: Path | None = Path(".iosgen/history")
    session_log_dir: Path | None = None  # <dir>/<host>.log, redacted
    # Waits before each new try to reach the router again for the rollback: a
    # router that just dropped the session may keep its vty line busy a moment.
    reconnect_delays: tuple[float, ...] = (0.5, 1.0, 2.0, 4.0)
    clear_nat_first: bool = True


def refusal_message(count: int) -> str:
    return (
        f"{count} line(s) can cut the path iosgen manages this router through; "
        "--force pushes them anyway (with the revert timer armed)"
    )


def stamp() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")


def send_form(lines: tuple[str, ...]) -> list[tuple[str, str | None]]:
    """The remediation as typed: (stripped line, the line whose sub-mode it is in),
    `exit` where a sub-mode ends.

    IOS would fall back to the parent mode by itself for most lines, but not for
    a line that also parses in the sub-mode; typing `exit` makes the mode explicit.
    """
    out: list[tuple[str, str | None]] = []
    items = list(walk(lines))
    depth = 0  # the sub-mode depth IOS is in
    for index, (parents, text) in enumerate(items):
        want = len(parents)
        if text == "exit":
            depth = max(0, depth - 1)
            out.append((text, parents[-1] if parents else None))
            continue
        while depth > want:
            depth -= 1
            out.append(("exit", None))
        out.append((text, parents[-1] if parents else None))
        following = items[index + 1][0] if index + 1 < len(items) else ()
        if len(following) > want:  # the next line is typed inside this one
            depth = want + 1
    return out


class _Run:
    """The state of one push while it runs; `outcome()` freezes it."""

    def __init__(self, site: Site, target: Target, options: PushOptions, engine: Engine):
        self.site = site
        self.target = target
        self.options = options
        self.engine = engine
        self.start = time.perf_counter()
        self.ts = stamp()
        self.hide = site_secrets(site)
        self.sent: list[Sent] = []
        self.notes: list[str] = []
        self.masked_lines: tuple[str, ...] = ()
        self.before: str | None = None
        self.after: str | None = None
        self.intended = ""
        self.revert: int | None = None
        self.armed = False  # the router's own revert timer is running

    def mask(self, line: str, parent: str | None = None) -> str:
        from iosgen.redact import redact_line

        return redact_line(self.engine.mask_line(line, parent), self.hide)

    def record(self, answer: LineAnswer, parent: str | None) -> None:
        self.sent.append(
            Sent(
                self.mask(answer.line, parent),
                self.mask(answer.answer),
                answer.note,
            )
        )
        if answer.note:
            self.notes.append(answer.note)

    def outcome(self, status: Status, final: Final, message: str = "", **kw: object) -> PushOutcome:
        return PushOutcome(
            host=self.site.hostname,
            status=status,
            final=final,
            message=message,
            lines=self.masked_lines,
            sent=tuple(self.sent),
            notes=tuple(self.notes),
            revert_minutes=self.revert,
            seconds=time.perf_counter() - self.start,
            **kw,  # type: ignore[arg-type]
        )


def push_host(
    site: Site,
    target: Target,
    options: PushOptions | None = None,
    *,
    engine: Engine | None = None,
    expected: tuple[str, ...] | None = None,
    on_line: Callable[[str, Sent], None] | None = None,
) -> PushOutcome:
    """Push `site` to the router at `target`; never raises for a router's failure.

    `expected`: the masked lines the operator confirmed; if the router's running
    config changed since, the plan differs and the push is refused.
    """
    from iosgen.render import render

    options = options or PushOptions()
    engine = engine or AuditEngine()
    run = _Run(site, target, options, engine)
    run.intended = render(site).text
    device_options = replace(options.device, hide=run.hide)
    if options.session_log_dir is not None:
        options.session_log_dir.mkdir(parents=True, exist_ok=True)
        log = options.session_log_dir / f"{site.hostname}.log"
        device_options = replace(device_options, session_log=log)
    device = Device(target, device_options)
    try:
        device.connect()
    except DeviceError as exc:
        return _finish(run, run.outcome(Status.UNREACHABLE, Final.OLD, _why(exc)), record=False)
    try:
        return _finish(run, _push(run, device, expected, on_line))
    except DeviceError as exc:  # lost before anything was sent
        return _finish(run, run.outcome(Status.UNREACHABLE, Final.OLD, _why(exc)))
    finally:
        device.close()


def _push(
    run: _Run,
    device: Device,
    expected: tuple[str, ...] | None,
    on_line: Callable[[str, Sent], None] | None,
) -> PushOutcome:
    options = run.options
    run.before = device.running_config()
    remediation = run.engine.remediate(run.site, run.intended, run.before)
    run.masked_lines = remediation.masked or remediation.lines
    if not remediation.lines:
        # the old config is the new one: nothing sent, the router runs the model
        return run.outcome(Status.IN_SYNC, Final.NEW, "the router already matches the model")
    findings = management_findings(
        run.site,
        remediation.lines,
        (run.target.host, device.local_address),
        login=run.target.username,
    )
    refusals = tuple(f.render(run.engine.mask_line) for f in findings)
    if options.dry_run:
        return run.outcome(Status.PLANNED, Final.OLD, "dry run: nothing sent", refusals=refusals)
    if expected is not None and run.masked_lines != expected:
        return run.outcome(
            Status.REFUSED,
            Final.OLD,
            "the running config changed since the plan was confirmed: run again",
            refusals=refusals,
        )
    if findings and not options.force:
        return run.outcome(
            Status.REFUSED, Final.OLD, refusal_message(len(findings)), refusals=refusals
        )
    if options.revert_minutes is None:
        run.revert = DEFAULT_REVERT_MINUTES if findings else None
    else:
        run.revert = options.revert_minutes or None

    # -- the safety net: a rollback point on the router, and its own revert timer --------
    rollback_file = f"{ROLLBACK_PREFIX}{run.ts}.cfg"
    if run.revert and not _has_archive_path(run.before):
        # IOS refuses `configure replace ... time N` without an archive path.
        if options.revert_minutes:
            return run.outcome(
                Status.ABORTED,
                Final.OLD,
                "--revert-timer needs `archive` / `path` on the router, and it has none "
                "yet; nothing sent (push once without --revert-timer: the model adds it)",
            )
        run.notes.append(
            "revert timer not armed: the router has no `archive` / `path` yet (this push "
            f"adds it); the rollback point flash:{rollback_file} is saved"
        )
        run.revert = None
    try:
        device.copy_running_to(rollback_file)
    except CommandError as exc:
        return run.outcome(
            Status.ABORTED,
            Final.OLD,
            f"could not save the rollback point, nothing sent: {_why(exc)}",
            ios_answer=exc.answer,
        )
    try:
        return _from_rollback_point(run, device, rollback_file, remediation.lines, on_line)
    except KeyboardInterrupt:
        # Ctrl-C after the rollback point (arming, verifying, confirming, saving): the
        # router goes back to it, and the outcome says so, before iosgen stops.
        device.close()
        return _rollback(
            run, device, rollback_file, run.armed, None, "interrupted by the operator", ""
        )


def _from_rollback_point(
    run: _Run,
    device: Device,
    rollback_file: str,
    remediation_lines: tuple[str, ...],
    on_line: Callable[[str, Sent], None] | None,
) -> PushOutcome:
    options = run.options
    if run.revert:
        try:
            device.configure_replace(rollback_file, run.revert)
            run.armed = True
            run.notes.append(
                f"armed the router's own rollback: configure replace flash:{rollback_file} "
                f"force time {run.revert}"
            )
        except CommandError as exc:
            _delete_quietly(device, rollback_file)
            return run.outcome(
                Status.ABORTED,
                Final.OLD,
                f"could not arm the revert timer, nothing sent: {_why(exc)}",
                ios_answer=exc.answer,
            )

    # -- send ------------------------------------------------------------------------------
    typed = send_form(remediation_lines)
    lines = [text for text, _ in typed]
    parents = [parent for _, parent in typed]
    if options.clear_nat_first and (
        any(NAT_MAPPING_RE.match(line) for line in lines)
        or _replaces_nat_mapping(lines, run.before)
    ):
        # `no ip nat inside source ...` with live translations asks
        # `Dynamic mapping in use, do you want to delete all entries? [no]:`, and a
        # mapping re-typed with another interface is refused while in use;
        # emptying the table first makes both go through.
        try:
            device.command(CLEAR_NAT)
            run.notes.append(
                f"ran `{CLEAR_NAT}` first: a NAT mapping is removed, its translations go anyway"
            )
        except DeviceError as exc:
            return _rollback(run, device, rollback_file, run.armed, None, _why(exc), "")

    def record(answer: LineAnswer) -> None:
        index = len(run.sent)
        run.record(answer, parents[index] if index < len(parents) else None)
        if on_line is not None:
            on_line(run.site.hostname, run.sent[-1])

    try:
        device.send_config(lines, on_line=record)
    except ConfigLineError as exc:
        return _rollback(run, device, rollback_file, run.armed, exc.line, _why(exc), exc.answer)
    except DeviceError as exc:
        inflight = lines[len(run.sent)] if len(run.sent) < len(lines) else None
        return _rollback(run, device, rollback_file, run.armed, inflight, _why(exc), "")
    except KeyboardInterrupt:
        # Ctrl-C in the middle of the lines: the router is half-configured right
        # now, so it goes back to the rollback point before iosgen stops.
        device.close()
        inflight = lines[len(run.sent)] if len(run.sent) < len(lines) else None
        return _rollback(
            run, device, rollback_file, run.armed, inflight, "interrupted by the operator", ""
        )

    # -- verify: the router must now audit clean against the model --------------------------
    try:
        run.after = device.running_config()
    except DeviceError as exc:
        return _rollback(run, device, rollback_file, run.armed, None, _why(exc), "")
    drift = run.engine.drift(run.site, run.intended, run.after)
    if drift:
        return _rollback(
            run,
            device,
            rollback_file,
            run.armed,
            None,
            f"the router still differs from the model after the push ({len(drift)} item(s))",
            "",
            drift_after=drift,
        )

    # -- commit -----------------------------------------------------------------------------
    try:
        if run.armed:
            device.configure_confirm()
            run.notes.append(f"configure confirm: the {run.revert}-minute revert timer is off")
    except DeviceError as exc:
        return _rollback(run, device, rollback_file, run.armed, None, _why(exc), "")
    saved = False
    if run.options.save:
        try:
            device.write_memory()
            saved = True
        except DeviceError as exc:
            run.notes.append(f"write memory failed (the new config runs but is not saved): {exc}")
    else:
        run.notes.append("not saved (--no-save): the startup config is the old one")
    try:
        device.delete_file(rollback_file)
    except DeviceError as exc:
        run.notes.append(f"could not delete flash:{rollback_file}: {_why(exc)}")
    return run.outcome(
        Status.PUSHED,
        Final.NEW,
        f"{len(remediation_lines)} line(s) sent; the router audits clean",
        saved=saved,
    )


def _rollback(
    run: _Run,
    device: Device,
    rollback_file: str,
    armed: bool,
    failing_line: str | None,
    why: str,
    answer: str,
    drift_after: tuple[str, ...] = (),
) -> PushOutcome:
    """Back to the saved point: reconnect if needed, `configure replace ... force`, verify."""
    assert run.before is not None
    masked_failing = run.mask(failing_line) if failing_line else None
    masked_answer = run.mask(answer) if answer else None
    details: dict[str, object] = {
        "failing_line": masked_failing,
        "ios_answer": masked_answer,
        "drift_after": drift_after,
    }
    problem = ""
    for delay in (0.0, *run.options.reconnect_delays):
        time.sleep(delay)
        try:
            if not device.alive:
                device.close()
                device.connect()
                run.notes.append("reconnected to roll back")
            device.configure_replace(rollback_file)
            now = device.running_config()
            if run.engine.same(run.before, now):
                if armed:
                    # only now: the old config is back, the timer has nothing left to do
                    device.configure_confirm()
                run.after = now
                _delete_quietly(device, rollback_file)
                return run.outcome(
                    Status.ROLLED_BACK,
                    Final.OLD,
                    f"{why}; rolled back to flash:{rollback_file} and verified",
                    **details,
                )
            problem = "after `configure replace` the config still differs from the old one"
            break
        except DeviceError as exc:
            problem = _why(exc)
    timer = (
        f"; the router's revert timer restores the old config within {run.revert} min"
        if armed
        else ""
    )
    return run.outcome(
        Status.FAILED,
        Final.OLD if armed else Final.UNKNOWN,
        f"{why}; the rollback failed: {problem}{timer}",
        **details,
    )


def _why(exc: DeviceError) -> str:
    """The error without its `HOST: ` prefix: every outcome already names its host."""
    prefix = f"{exc.host}: "
    return exc.message[len(prefix) :] if exc.message.startswith(prefix) else exc.message


def _delete_quietly(device: Device, name: str) -> None:
    with contextlib.suppress(DeviceError):
        device.delete_file(name)


def _has_archive_path(config: str) -> bool:
    in_archive = False
    for line in config.split("\n"):
        if line.startswith("archive"):
            in_archive = True
        elif in_archive and line.startswith(" path "):
            return True
        elif line and not line.startswith(" "):
            in_archive = False
    return False


def _finish(run: _Run, outcome: PushOutcome, record: bool = True) -> PushOutcome:
    if not record or run.options.history_dir is None or outcome.status is Status.PLANNED:
        return outcome
    if outcome.status is Status.IN_SYNC:
        return outcome
    from iosgen.pushing.history import write_history

    try:
        path = write_history(
            run.options.history_dir, run.site, outcome, run.before, run.after, run.engine
        )
    except OSError as exc:
        return replace(outcome, notes=(*outcome.notes, f"history not written: {exc}"))
    return replace(outcome, history=path)


__all__ = [
    "DEFAULT_REVERT_MINUTES",
    "PushOptions",
    "push_host",
    "refusal_message",
    "send_form",
]


def _replaces_nat_mapping(lines: list[str], before: str | None) -> bool:
    """Does a line re-type a dynamic NAT mapping the router has, with other words?"""
    if before is None:
        return False
    have = {
        m[1]: line.strip()
        for line in before.splitlines()
        if (m := NAT_DYNAMIC_RE.match(line.strip()))
    }
    return any((m := NAT_DYNAMIC_RE.match(line)) and have.get(m[1], line) != line for line in lines)
