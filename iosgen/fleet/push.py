"""Push to many routers: a worker pool, an optional canary wave, one outcome per host.

One router's failure never stops the others, except in canary mode: the
first N hosts go first, and if any of them is not pushed (or in sync) the
rest are not touched and come back `skipped`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

from iosgen.fleet.runner import HostResult, Interrupted, run_fleet
from iosgen.model.site import Site
from iosgen.model.targets import Target
from iosgen.push.engine import Engine
from iosgen.push.flow import PushOptions, push_host
from iosgen.push.outcome import Final, PushOutcome, Status

Job = tuple[Site, Target]


def _as_outcome(result: HostResult[PushOutcome]) -> PushOutcome:
    if result.value is not None:
        return result.value
    if isinstance(result.error, Interrupted):
        return PushOutcome(result.host, Status.SKIPPED, Final.OLD, "not pushed: interrupted")
    # push_host turns every router failure into an outcome; an exception here is a
    # bug of iosgen's, and nobody can say where it left the router.
    message = result.error.message if result.error is not None else "no result"
    return PushOutcome(
        result.host,
        Status.FAILED,
        Final.UNKNOWN,
        f"internal error: {message}",
        seconds=result.seconds,
    )


def push_fleet(
    jobs: Sequence[Job],
    options: PushOptions,
    *,
    workers: int = 20,
    canary: int = 0,
    engine: Engine | None = None,
    expected: dict[str, tuple[str, ...]] | None = None,
    progress: bool | None = None,
    on_done: Callable[[PushOutcome], None] | None = None,
) -> list[PushOutcome]:
    """Outcomes in the order of `jobs`."""

    def job(item: Job) -> PushOutcome:
        site, target = item
        want = expected.get(site.hostname) if expected is not None else None
        outcome = push_host(site, target, options, engine=engine, expected=want)
        if on_done is not None:
            on_done(outcome)
        return outcome

    def wave(items: Sequence[Job], label: str) -> list[PushOutcome]:
        results = run_fleet(
            items,
            job,
            key=lambda j: j[0].hostname,
            workers=workers,
            label=label,
            progress=progress,
        )
        return [_as_outcome(r) for r in results]

    if canary <= 0 or canary >= len(jobs):
        return wave(jobs, "push")
    first = wave(jobs[:canary], "canary")
    if not all(o.ok for o in first):
        failed = ", ".join(o.host for o in first if not o.ok)
        skipped = [
            PushOutcome(
                site.hostname,
                Status.SKIPPED,
                Final.OLD,
                f"not pushed: canary {failed} failed",
            )
            for site, _ in jobs[canary:]
        ]
        return first + skipped
    return first + wave(jobs[canary:], "push")


def plan_fleet(
    jobs: Sequence[Job],
    options: PushOptions,
    *,
    workers: int = 20,
    engine: Engine | None = None,
    progress: bool | None = None,
) -> list[PushOutcome]:
    """The dry run of every host: what would be sent, and what would be refused."""
    return push_fleet(
        jobs, replace(options, dry_run=True), workers=workers, engine=engine, progress=progress
    )
