"""The thin apply: a decided `PushPlan` carried out on one open session.

The steps, in order: the rollback point (`copy running-config
flash:iosgen-rollback-TS.cfg`), a last look for changes since the plan, the
safety net (`configure replace flash:... force time N`, else `reload in N`),
the remediation line by line (the NAT dialogue answered), verify (the router
must audit clean), then `configure confirm` / `reload cancel` and `write
memory`; on any failure `configure replace flash:... force` (or `reload` on an
image without it) and verify the old config is back. Every path returns a
`PushOutcome`; `iosgen.push.flow.push_host` wraps it with the lock, the
connection, Ctrl-C and the history record.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime

from iosgen.device.session import (
    CommandError,
    ConfigLineError,
    Device,
    LineAnswer,
)
from iosgen.errors import DeviceError
from iosgen.ios.safetynet import Net
from iosgen.ios.typed import nat_retyped as nat_retyped
from iosgen.ios.typed import send_form as send_form
from iosgen.model.site import Site
from iosgen.model.targets import Target
from iosgen.push.engine import Engine, site_secrets
from iosgen.push.guard import Finding
from iosgen.push.outcome import Final, PushOutcome, Sent, Status
from iosgen.push.plan import (
    DEFAULT_REVERT_MINUTES,
    PushOptions,
    PushPlan,
    has_archive_path,
)
from iosgen.push.signals import shielded, why

ROLLBACK_PREFIX = "iosgen-rollback-"


def stamp() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")


class PushRun:
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
        self.before: str | None = None  # the running config the plan was made from
        self.base: str | None = None  # what a rollback returns to (before, + archive step)
        self.after: str | None = None
        self.intended = ""
        self.revert: int | None = None
        self.net = Net.NONE
        self.replace_ok = True  # the image has `configure replace` (else: reload)
        self.rollback_file = f"{ROLLBACK_PREFIX}{self.ts}.cfg"
        self.touched = False  # something that changes the running config was typed
        self.arming = False  # `configure replace ... time N` typed (may be armed)
        self.armed = False  # the router's own revert timer is running
        self.reload_armed = False  # `reload in N` is scheduled
        self.archive_first = False
        self.sent_before_main = 0  # lines of the archive step, before the main send
        self.result: PushOutcome | None = None

    def mask(self, line: str, parent: str | None = None) -> str:
        from iosgen.ios.secrets import redact_line

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

    def recorder(
        self, parents: list[str | None], on_line: Callable[[str, Sent], None] | None
    ) -> Callable[[LineAnswer], None]:
        """Records each answer of one `send_config` with its parent line."""
        first = len(self.sent)

        def record(answer: LineAnswer) -> None:
            index = len(self.sent) - first
            self.record(answer, parents[index] if index < len(parents) else None)
            if on_line is not None:
                on_line(self.site.hostname, self.sent[-1])

        return record

    def outcome(self, status: Status, final: Final, message: str = "", **kw: object) -> PushOutcome:
        result = PushOutcome(
            host=self.site.hostname,
            status=status,
            final=final,
            message=message,
            lines=self.masked_lines,
            sent=tuple(self.sent),
            notes=tuple(self.notes),
            revert_minutes=self.revert,
            safety_net=self.net.value,
            archive_first=self.archive_first,
            seconds=time.perf_counter() - self.start,
            **kw,  # type: ignore[arg-type]
        )
        self.result = result
        return result


def apply_plan(
    run: PushRun, device: Device, plan: PushPlan, on_line: Callable[[str, Sent], None] | None
) -> PushOutcome:
    """Carry out a plan that sends: the safety net's checks, the rollback point, the rest."""
    assert run.before is not None
    run.revert, run.net, run.replace_ok = plan.revert, plan.net, plan.replace_ok
    if plan.needs_reload_check:
        # without `configure replace` iosgen's own rollback is a reload, too
        refused = _reload_refusal(run, device, plan.reload_reason)
        if refused is not None:
            return refused
    archive_first = plan.archive_first
    remediation_lines = plan.lines

    # -- the rollback point, and a last look for changes made since the plan --------------
    if run.replace_ok:
        try:
            device.copy_running_to(run.rollback_file)
        except CommandError as exc:
            return run.outcome(
                Status.ABORTED,
                Final.OLD,
                f"could not save the rollback point, nothing sent: {why_text_of(exc)}",
                ios_answer=exc.answer,
            )
    now = device.running_config()
    if not run.engine.same(run.before, now):
        # another session (another machine) changed the router since the plan was made
        delete_quietly(device, run.rollback_file)
        return run.outcome(Status.REFUSED, Final.OLD, CHANGED)
    return _from_rollback_point(
        run, device, remediation_lines, archive_first, on_line, plan.findings
    )


def _reload_refusal(run: PushRun, device: Device, reason: str) -> PushOutcome | None:
    """`reload in N` returns to the startup config: refuse unless it equals the running."""
    assert run.base is not None
    startup = device.startup_config()
    if startup is not None and (
        run.engine.same(startup, run.base)
        # after the archive-first step (a router whose image refused `time N`, though
        # the model's image has it): a reload returns to the config from before that step
        or (run.archive_first and run.before is not None and run.engine.same(startup, run.before))
    ):
        return None
    what = "there is no startup config" if startup is None else "it differs from the running one"
    if run.replace_ok:
        head = (
            f"no revert timer can be armed ({reason}) and the fallback, `reload in "
            f"{run.revert}`, returns to the startup config"
        )
        way_out = " or push with --revert-timer 0 (no safety net)"
    else:
        head = f"{reason}: iosgen rolls back by reloading to the startup config"
        way_out = ""
    return run.outcome(
        Status.ABORTED,
        Final.OLD,
        f"{head}, but {what}: nothing sent. Save the router's config first "
        f"(`write memory`){way_out}",
    )


def _from_rollback_point(
    run: PushRun,
    device: Device,
    remediation_lines: tuple[str, ...],
    archive_first: bool,
    on_line: Callable[[str, Sent], None] | None,
    findings: Sequence[Finding] = (),
) -> PushOutcome:
    if archive_first:
        failed = _push_archive_first(run, device, on_line)
        if failed is not None:
            return failed
        assert run.base is not None
        remediation_lines = run.engine.remediate(run.site, run.intended, run.base).lines
    if run.net is Net.REVERT_TIMER:
        run.touched = run.arming = True
        try:
            device.configure_replace(run.rollback_file, run.revert)
            run.armed = True
            run.notes.append(
                f"armed the router's own rollback: configure replace "
                f"flash:{run.rollback_file} force time {run.revert}"
            )
        except CommandError as exc:
            run.arming = False
            run.notes.append(f"the router refused the revert timer: {why_text_of(exc)}")
            run.net = Net.RELOAD
            refused = _reload_refusal(run, device, "the router refused it")
            if refused is not None:
                if run.archive_first:
                    return _undo_archive_first(run, device, refused.message, exc.answer)
                delete_quietly(device, run.rollback_file)
                return refused
    if run.net is Net.RELOAD:
        try:
            run.notes += device.reload_in(run.revert or DEFAULT_REVERT_MINUTES)
            run.reload_armed = True
            run.notes.append(
                f"armed the dead-man switch: reload in {run.revert} (the router restarts "
                "on its startup config, the old one, unless iosgen cancels it)"
            )
        except DeviceError as exc:
            message = f"could not schedule `reload in {run.revert}`: {why_text_of(exc)}"
            if run.archive_first:
                return rollback(run, device, None, message, "")
            delete_quietly(device, run.rollback_file)
            return run.outcome(Status.ABORTED, Final.OLD, f"{message}; nothing sent")

    # -- send ------------------------------------------------------------------------------
    typed = nat_retyped(send_form(remediation_lines), run.base, run.notes)
    lines = [text for text, _ in typed]
    parents = [parent for _, parent in typed]
    run.touched = True
    try:
        device.send_config(
            lines, on_line=run.recorder(parents, on_line), alone=_on_the_path(typed, findings)
        )
    except ConfigLineError as exc:
        return rollback(run, device, exc.line, why_text_of(exc), exc.answer)
    except DeviceError as exc:
        done = exc_sent(run, lines)
        inflight = lines[done] if done < len(lines) else None
        return rollback(run, device, inflight, why_text_of(exc), "")
    except KeyboardInterrupt as exc:
        # a stop in the middle of the lines: the router is half-configured right now,
        # so it goes back to the rollback point before iosgen stops
        with shielded():
            device.close()
            done = exc_sent(run, lines)
            inflight = lines[done] if done < len(lines) else None
            return rollback(run, device, inflight, why(exc), "")
    return _verify_and_commit(run, device, len(run.masked_lines))


def _undo_archive_first(run: PushRun, device: Device, why_text: str, answer: str) -> PushOutcome:
    """No safety net after the archive step: take the block out again (`no archive`,
    the one section it added) rather than `configure replace`, which a router that
    refused `time N` may not have at all; verify the config from before the push."""
    try:
        device.send_config(["no archive"], on_line=run.recorder([None], None))
        now = device.running_config()
    except DeviceError:
        return rollback(run, device, None, why_text, answer)
    if run.before is None or not run.engine.same(run.before, now):
        return rollback(run, device, None, why_text, answer)
    run.after = now
    delete_quietly(device, run.rollback_file)
    return run.outcome(
        Status.ABORTED,
        Final.OLD,
        f"{why_text}; the archive block typed first was taken out again (`no archive`) "
        "and the config from before the push verified",
        ios_answer=run.mask(answer) if answer else None,
    )


def _on_the_path(typed: list[tuple[str, str | None]], findings: Sequence[Finding]) -> set[int]:
    """The lines on the management path (pushed with --force): typed alone, so that
    none runs after a refused line, and nothing after one runs before IOS took it."""
    risky = {(f.text.strip(), f.parents[-1].strip() if f.parents else None) for f in findings}
    return {
        i
        for i, (text, parent) in enumerate(typed)
        if (text.strip(), parent.strip() if parent else None) in risky
    }


def exc_sent(run: PushRun, lines: list[str]) -> int:
    """How many of `lines` IOS answered (the main send is the last one recorded)."""
    return min(len(lines), len(run.sent) - run.sent_before_main)


def _push_archive_first(
    run: PushRun, device: Device, on_line: Callable[[str, Sent], None] | None
) -> PushOutcome | None:
    """A router without `archive`: the model's archive block alone first, verified, kept.

    `configure replace ... time N` needs an archive path, so the riskiest push (the
    first: AAA, the WAN, the management account) gets its revert timer only this way.
    """
    block = _archive_block(run.intended)
    typed = send_form(tuple(block))
    run.touched = True
    try:
        device.send_config(
            [t for t, _ in typed], on_line=run.recorder([p for _, p in typed], on_line)
        )
    except ConfigLineError as exc:
        return rollback(run, device, exc.line, f"archive step: {why_text_of(exc)}", exc.answer)
    except DeviceError as exc:
        done = len(run.sent) - run.sent_before_main
        inflight = typed[done][0] if done < len(typed) else None
        return rollback(run, device, inflight, f"archive step: {why_text_of(exc)}", "")
    try:
        now = device.running_config()
        if not has_archive_path(now):
            return rollback(
                run, device, None, "archive step: the router shows no archive path after it", ""
            )
        # the new rollback point, old + archive, under a new name (copying over a file
        # makes IOS print a `%Warning`); the first one goes
        point = run.rollback_file.replace(".cfg", "-2.cfg")
        device.copy_running_to(point)
    except DeviceError as exc:
        return rollback(run, device, None, f"archive step: {why_text_of(exc)}", "")
    delete_quietly(device, run.rollback_file)
    run.rollback_file = point
    run.base = now
    run.archive_first = True
    run.sent_before_main = len(run.sent)
    run.notes.append(
        f"first push: the archive block ({len(block)} lines) was sent on its own first, "
        "verified and kept, so that the revert timer could be armed for the rest; a "
        "rollback returns to the old config plus that block"
    )
    return None


def _verify_and_commit(run: PushRun, device: Device, count: int) -> PushOutcome:
    # -- verify: the router must now audit clean against the model --------------------------
    try:
        run.after = device.running_config()
    except DeviceError as exc:
        return rollback(run, device, None, why_text_of(exc), "")
    drift = run.engine.drift(run.site, run.intended, run.after)
    if drift:
        return rollback(
            run,
            device,
            None,
            f"the router still differs from the model after the push ({len(drift)} item(s))",
            "",
            drift_after=drift,
        )

    if run.options.verify_network:
        failed = _network_failures(run, device)
        if failed:
            return rollback(run, device, None, f"the network check failed: {failed}", "")

    # -- commit: once the new config is verified, a stop signal waits for the end ---------
    with shielded():
        try:
            if run.armed:
                device.configure_confirm()
                run.armed = False
                run.notes.append(f"configure confirm: the {run.revert}-minute revert timer is off")
            if run.reload_armed:
                device.reload_cancel()
                run.reload_armed = False
                run.notes.append("reload cancel: the scheduled reload is off")
        except DeviceError as exc:
            return rollback(run, device, None, why_text_of(exc), "")
        saved = False
        if run.options.save:
            try:
                device.write_memory()
                saved = True
            except DeviceError as exc:
                run.notes.append(
                    f"write memory failed (the new config runs but is not saved): {exc}"
                )
        else:
            run.notes.append("not saved (--no-save): the startup config is the old one")
        if run.replace_ok:
            try:
                device.delete_file(run.rollback_file)
            except DeviceError as exc:
                run.notes.append(f"could not delete flash:{run.rollback_file}: {why_text_of(exc)}")
        return run.outcome(
            Status.PUSHED,
            Final.NEW,
            f"{count} line(s) sent; the router audits clean",
            saved=saved,
        )


def _network_failures(run: PushRun, device: Device) -> str:
    """The operational checks (iosgen.network) until they pass or the wait is over: a
    Dialer dials, authenticates and negotiates for seconds after its config lands.
    Returns the failed checks as one line, or "" when all passed."""
    import time

    from iosgen.network.verify import verify_host

    deadline = time.monotonic() + run.options.network_wait_seconds
    fleet = list(run.options.network_fleet) or None
    while True:
        try:
            report = verify_host(run.site, device, fleet=fleet)
        except DeviceError as exc:
            return why_text_of(exc)
        if report.ok:
            run.notes.append(f"network verified: {len(report.checks)} check(s) passed")
            return ""
        if time.monotonic() >= deadline:
            return "; ".join(
                f"{c.check} {c.tunnel or ''}: {c.reason}".replace(" :", ":")
                for c in report.checks
                if not c.ok
            )
        time.sleep(2.0)


def rollback(
    run: PushRun,
    device: Device,
    failing_line: str | None,
    why_text: str,
    answer: str,
    drift_after: tuple[str, ...] = (),
) -> PushOutcome:
    """Back to the rollback point: reconnect if needed, `configure replace ... force`
    (or, on an image without it, `reload` to the startup config), then verify."""
    with shielded():
        return _rollback_now(run, device, failing_line, why_text, answer, drift_after)


def _rollback_now(
    run: PushRun,
    device: Device,
    failing_line: str | None,
    why_text: str,
    answer: str,
    drift_after: tuple[str, ...],
) -> PushOutcome:
    assert run.base is not None
    masked_failing = run.mask(failing_line) if failing_line else None
    masked_answer = run.mask(answer) if answer else None
    details: dict[str, object] = {
        "failing_line": masked_failing,
        "ios_answer": masked_answer,
        "drift_after": drift_after,
    }
    problem = ""
    how = f"rolled back to flash:{run.rollback_file}"
    reloaded = False
    for delay in (0.0, *run.options.reconnect_delays):
        time.sleep(delay)
        try:
            if not device.alive:
                device.close()
                device.connect()
                run.notes.append("reconnected to roll back")
            if run.replace_ok:
                device.configure_replace(run.rollback_file)
            elif not reloaded:
                # no `configure replace` on this image: the startup config (checked equal
                # to the running one before the push) is the way back
                device.reload_now()
                reloaded = True
                run.reload_armed = False
                how = "rolled back by `reload` to the startup config"
                continue
            now = device.running_config()
            if run.engine.same(run.base, now):
                if run.armed:
                    # only now: the old config is back, the timer has nothing left to do
                    device.configure_confirm()
                    run.armed = False
                elif run.arming:
                    with contextlib.suppress(DeviceError):
                        device.configure_confirm()
                if run.reload_armed:
                    with contextlib.suppress(DeviceError):
                        device.reload_cancel()
                    run.reload_armed = False
                run.after = now
                if run.replace_ok:
                    delete_quietly(device, run.rollback_file)
                return run.outcome(
                    Status.ROLLED_BACK,
                    Final.OLD,
                    f"{why_text}; {how} and verified",
                    **details,
                )
            problem = "after the rollback the config still differs from the old one"
            break
        except DeviceError as exc:
            problem = why_text_of(exc)
    by_itself = run.armed or run.reload_armed or reloaded
    if run.armed:
        timer = f"; the router's revert timer restores the old config within {run.revert} min"
    elif run.reload_armed:
        timer = (
            f"; the scheduled reload restarts the router on its startup config (the old "
            f"one) within {run.revert} min"
        )
    elif reloaded:
        timer = "; the router reloads on its startup config (the old one)"
    else:
        timer = ""
    return run.outcome(
        Status.FAILED,
        Final.OLD if by_itself and problem != _STILL_DIFFERS else Final.UNKNOWN,
        f"{why_text}; the rollback failed: {problem}{timer}",
        **details,
    )


CHANGED = (
    "the running config changed since the plan was made (someone else is configuring "
    "this router?): nothing sent; run again"
)


_STILL_DIFFERS = "after the rollback the config still differs from the old one"


def why_text_of(exc: DeviceError) -> str:
    """The error without its `HOST: ` prefix: every outcome already names its host."""
    prefix = f"{exc.host}: "
    return exc.message[len(prefix) :] if exc.message.startswith(prefix) else exc.message


def delete_quietly(device: Device, name: str) -> None:
    with contextlib.suppress(DeviceError):
        device.delete_file(name)


def _archive_block(config: str) -> list[str]:
    """The `archive` section of a config, its sub-mode lines indented as IOS prints them."""
    out: list[str] = []
    for line in config.split("\n"):
        if line.rstrip() == "archive":
            out.append("archive")
        elif out and line.startswith(" "):
            out.append(line.rstrip())
        elif out:
            break
    return out


__all__ = [
    "CHANGED",
    "ROLLBACK_PREFIX",
    "PushRun",
    "apply_plan",
    "delete_quietly",
    "nat_retyped",
    "rollback",
    "send_form",
    "stamp",
    "why_text_of",
]
