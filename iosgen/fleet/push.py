"""Push to many routers: a worker pool, an optional canary wave, one result per host.

One router's failure never stops the others, except in canary mode: the
first N hosts go first, and if any of them is not pushed (or in sync) the
rest are not touched and come back `skipped`.

`push_results` / `plan_results` give the fleet shape (`Results[PushOutcome]`,
every host's value a PushOutcome); `push_fleet` / `plan_fleet` are the same
runs as a plain list of outcomes, for the callers written before it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from iosgen.errors import DeviceError, IosgenError
from iosgen.fleet.runner import HostResult, Interrupted, Results, Verdict, noop, run_fleet

if TYPE_CHECKING:
    # iosgen.push re-exports push_fleet from here: importing it at the top would make
    # `import iosgen.fleet.push` (before iosgen.push) a circular import
    from iosgen.model.site import Site
    from iosgen.model.targets import Target
    from iosgen.push.engine import Engine
    from iosgen.push.flow import PushOptions
    from iosgen.push.outcome import PushOutcome

    Job = tuple[Site, Target]


def verdict(outcome: PushOutcome) -> Verdict:
    """A push's outcome as a fleet verdict: pushed is changed, not ok is failed,
    unreachable is a device error (exit 3)."""
    from iosgen.push.outcome import Status

    error = (
        DeviceError(outcome.host, outcome.message) if outcome.status is Status.UNREACHABLE else None
    )
    return Verdict(changed=outcome.status is Status.PUSHED, failed=not outcome.ok, error=error)


def as_results(outcomes: Iterable[PushOutcome]) -> Results[PushOutcome]:
    """Outcomes gathered by hand (planned, refused and pushed hosts merged, as `iosgen
    push` reports them) as fleet results: their `exit_code` is the one rule."""
    results: Results[PushOutcome] = Results()
    for outcome in outcomes:
        v = verdict(outcome)
        failed = v.failed or v.error is not None
        results.append(
            HostResult(outcome.host, outcome, v.error, v.changed, failed, outcome.seconds)
        )
    return results


def _filled(result: HostResult[PushOutcome]) -> HostResult[PushOutcome]:
    """Every host gets an outcome, also the ones whose job never ran or raised."""
    from iosgen.push.outcome import Final, PushOutcome, Status

    if result.value is not None:
        return result
    if isinstance(result.error, Interrupted):
        skipped = PushOutcome(result.host, Status.SKIPPED, Final.OLD, "not pushed: interrupted")
        return replace(result, value=skipped)
    # push_host turns every router failure into an outcome; an exception here is a
    # bug of iosgen's, and nobody can say where it left the router (exit 1, not 3:
    # the router answered, iosgen failed).
    message = result.error.message if result.error is not None else "no result"
    failed = PushOutcome(
        result.host,
        Status.FAILED,
        Final.UNKNOWN,
        f"internal error: {message}",
        seconds=result.seconds,
    )
    return replace(result, value=failed, error=IosgenError(f"{result.host}: internal error"))


def _skipped(site: Site, why: str) -> HostResult[PushOutcome]:
    from iosgen.push.outcome import Final, PushOutcome, Status

    outcome = PushOutcome(site.hostname, Status.SKIPPED, Final.OLD, why)
    return HostResult(site.hostname, outcome, failed=True)


def push_results(
    jobs: Sequence[Job],
    options: PushOptions,
    *,
    workers: int = 20,
    canary: int = 0,
    engine: Engine | None = None,
    expected: dict[str, tuple[str, ...]] | None = None,
    on_start: Callable[[str], None] = noop,
    on_done: Callable[[HostResult[PushOutcome]], None] = noop,
) -> Results[PushOutcome]:
    """Results in the order of `jobs`; `on_done` also hears of canary-skipped hosts."""
    from iosgen.push.flow import push_host

    def job(item: Job) -> PushOutcome:
        site, target = item
        want = expected.get(site.hostname) if expected is not None else None
        return push_host(site, target, options, engine=engine, expected=want)

    def wave(items: Sequence[Job]) -> Results[PushOutcome]:
        results = run_fleet(
            items,
            job,
            key=lambda j: j[0].hostname,
            workers=workers,
            judge=verdict,
            on_start=on_start,
            on_done=lambda r: on_done(_filled(r)),
        )
        return Results(_filled(r) for r in results)

    if canary <= 0 or canary >= len(jobs):
        return wave(jobs)
    first = wave(jobs[:canary])
    if first.failed_hosts:
        why = f"not pushed: canary {', '.join(first.failed_hosts)} failed"
        skipped = [_skipped(site, why) for site, _ in jobs[canary:]]
        for result in skipped:
            on_done(result)
        return Results([*first, *skipped])
    return Results([*first, *wave(jobs[canary:])])


def plan_results(
    jobs: Sequence[Job],
    options: PushOptions,
    *,
    workers: int = 20,
    engine: Engine | None = None,
    on_start: Callable[[str], None] = noop,
    on_done: Callable[[HostResult[PushOutcome]], None] = noop,
) -> Results[PushOutcome]:
    """The dry run of every host: what would be sent, and what would be refused."""
    return push_results(
        jobs,
        replace(options, dry_run=True),
        workers=workers,
        engine=engine,
        on_start=on_start,
        on_done=on_done,
    )


def _outcomes(results: Results[PushOutcome]) -> list[PushOutcome]:
    return results.values()  # every host has one (_filled)


def push_fleet(
    jobs: Sequence[Job],
    options: PushOptions,
    *,
    workers: int = 20,
    canary: int = 0,
    engine: Engine | None = None,
    expected: dict[str, tuple[str, ...]] | None = None,
    on_done: Callable[[PushOutcome], None] | None = None,
) -> list[PushOutcome]:
    """Outcomes in the order of `jobs` (`push_results` as a list)."""
    from iosgen.push.outcome import Status

    tell = on_done

    def done(result: HostResult[PushOutcome]) -> None:
        # as before the results: only the hosts push_host answered for (not those a
        # canary or Ctrl-C skipped, nor an internal error)
        outcome = result.value
        ran = result.error is None or result.unreachable
        if (
            tell is not None
            and outcome is not None
            and ran
            and outcome.status is not Status.SKIPPED
        ):
            tell(outcome)

    results = push_results(
        jobs,
        options,
        workers=workers,
        canary=canary,
        engine=engine,
        expected=expected,
        on_done=done,
    )
    return _outcomes(results)


def plan_fleet(
    jobs: Sequence[Job],
    options: PushOptions,
    *,
    workers: int = 20,
    engine: Engine | None = None,
) -> list[PushOutcome]:
    """The dry run of every host (`plan_results` as a list)."""
    return _outcomes(plan_results(jobs, options, workers=workers, engine=engine))
