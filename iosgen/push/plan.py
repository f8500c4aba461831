"""The push decided in pure code: what to send, what is refused, which safety net.

`plan_push` takes the model's config and the router's running config (as text)
and returns a frozen `PushPlan`; nothing here talks to a router, so every
decision is unit-tested without one. `iosgen.push.apply` then only carries the
plan out: rollback point, safety net, the lines, verify, confirm or roll back.

The safety net comes from the model's image (`iosgen.ios.safetynet`):

- `configure replace flash:iosgen-rollback-TS.cfg force time 5` where the image
  has it, which needs an archive path in the running config:

      archive
       path flash:archive

  A router without one but whose model has it gets the archive block pushed
  alone first (`archive_first`); a model without it falls back to `reload in 5`.
- `reload in 5` returns to the startup config: the apply checks that it equals
  the running one before it relies on it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from iosgen.device.session import DeviceOptions
from iosgen.ios.safetynet import Net, can_replace, safety_net
from iosgen.ios.typed import has_archive_path as has_archive_path
from iosgen.model.site import Site
from iosgen.push.engine import AuditEngine, Engine
from iosgen.push.guard import Finding, management_findings
from iosgen.push.outcome import Final, PushOutcome, Status

DEFAULT_REVERT_MINUTES = 5


@dataclass(frozen=True)
class PushOptions:
    dry_run: bool = False
    save: bool = True
    force: bool = False
    # None: DEFAULT_REVERT_MINUTES; 0: no safety net at all; N: N minutes. Armed before
    # the first line: a revert timer where the image and router allow, else `reload in N`.
    revert_minutes: int | None = None
    device: DeviceOptions = field(default_factory=DeviceOptions)
    history_dir: Path | None = Path(".iosgen/history")
    session_log_dir: Path | None = None  # <dir>/<host>.log, redacted
    # Waits before each new try to reach the router again for the rollback: a
    # router that just dropped the session may keep its vty line busy a moment.
    reconnect_delays: tuple[float, ...] = (0.5, 1.0, 2.0, 4.0)
    # one push per router on this machine: `<lock_dir>/<HOST>.lock` (None: no lock)
    lock_dir: Path | None = Path(".iosgen/locks")
    # `push --plan`: per host, the sha256 of the running config the plan was made
    # against (planfile.running_sha256); a router that runs another is refused
    planned_running: Mapping[str, str] | None = None
    # `push --verify-network`: once the config audits clean, the operational checks of
    # iosgen.network (tunnel up, routes, head office reachable) must pass within
    # `network_wait_seconds` (a Dialer takes seconds to dial), else the push rolls back.
    # `network_fleet`: the inventory's sites, so verify pings a head office's own address.
    verify_network: bool = False
    network_fleet: tuple[Site, ...] = ()
    network_wait_seconds: float = 30.0


STALE = "the running config changed since the plan was confirmed: run again"


def refusal_message(count: int) -> str:
    return (
        f"{count} line(s) can cut the path iosgen manages this router through; "
        "--force pushes them anyway (with the revert timer armed)"
    )


@dataclass(frozen=True)
class PushPlan:
    """One router's push, decided; `stop` is the outcome when nothing is to be sent.

    `lines` hold the secrets in clear (they are typed), `masked` the same lines
    for showing. `revert` is None when no safety net is wanted (`--revert-timer 0`).
    """

    host: str
    lines: tuple[str, ...]
    masked: tuple[str, ...]
    findings: tuple[Finding, ...] = ()
    refusals: tuple[str, ...] = ()  # the findings rendered, secrets masked
    dry_run: bool = False
    stale: bool = False  # the plan differs from the one the operator confirmed
    refused: bool = False  # findings on the management path, and no --force
    revert: int | None = None
    net: Net = Net.NONE
    replace_ok: bool = True  # the image has `configure replace` (else: rollback by reload)
    archive_first: bool = False  # the archive block goes alone first, so `time N` works
    image: str = ""  # the model's IOS image, `12.4(25d)`: it chose the net

    @property
    def in_sync(self) -> bool:
        return not self.lines

    @property
    def sends(self) -> bool:
        """Whether the apply types anything (the in-sync re-check aside)."""
        return not (self.in_sync or self.dry_run or self.stale or self.refused)

    def stop(self) -> tuple[Status, Final, str] | None:
        """The outcome of a plan that sends nothing (in sync: before the re-check)."""
        if self.in_sync:
            return Status.IN_SYNC, Final.NEW, "the router already matches the model"
        if self.dry_run:
            return Status.PLANNED, Final.OLD, "dry run: nothing sent"
        if self.stale:
            return Status.REFUSED, Final.OLD, STALE
        if self.refused:
            return Status.REFUSED, Final.OLD, refusal_message(len(self.findings))
        return None

    @property
    def needs_reload_check(self) -> bool:
        """Whether the way back is a reload (to the startup config, which must equal
        the running one): the chosen net is `reload in`, or the image cannot replace."""
        return self.net is Net.RELOAD or not self.replace_ok

    @property
    def reload_reason(self) -> str:
        if not self.replace_ok:
            return f"image {self.image} has no `configure replace`"
        return "the model has no `archive` / `path`, which `time N` needs"


def revert_minutes(options: PushOptions) -> int | None:
    """The revert timer asked for: the default 5, or None for `--revert-timer 0`."""
    minutes = DEFAULT_REVERT_MINUTES if options.revert_minutes is None else options.revert_minutes
    return minutes or None


def choose_net(image: str, revert: int | None, running: str, intended: str) -> tuple[Net, bool]:
    """(the safety net, whether the archive block goes first) for this image and config."""
    if not revert:
        return Net.NONE, False
    if safety_net(image) is not Net.REVERT_TIMER:
        return Net.RELOAD, False
    if has_archive_path(running):
        return Net.REVERT_TIMER, False
    if has_archive_path(intended):
        return Net.REVERT_TIMER, True  # `time N` needs `archive` / `path`: pushed first
    return Net.RELOAD, False  # the model wants no archive: no timer can stay armed


def plan_push(
    site: Site,
    intended: str,
    running: str,
    endpoints: Sequence[str | None],
    options: PushOptions,
    *,
    login: str | None = None,
    expected: tuple[str, ...] | None = None,
    engine: Engine | None = None,
) -> PushPlan:
    """Plan the push of `intended` onto a router that runs `running`; pure.

    endpoints: the router's address as iosgen reaches it and iosgen's own address
    as the router sees it (the management path the guard protects); login: the
    account iosgen is logged in as; expected: the masked lines the operator
    confirmed (a different plan now is `stale`).
    """
    engine = engine or AuditEngine()
    remediation = engine.remediate(site, intended, running)
    masked = remediation.masked or remediation.lines
    if not remediation.lines:
        return PushPlan(site.hostname, (), (), dry_run=options.dry_run)
    findings = management_findings(
        site, remediation.lines, endpoints, login=login, configs=(running, intended)
    )
    revert = revert_minutes(options)
    net, archive_first = choose_net(site.hardware.image, revert, running, intended)
    return PushPlan(
        host=site.hostname,
        lines=remediation.lines,
        masked=masked,
        findings=findings,
        refusals=tuple(f.render(engine.mask_line) for f in findings),
        dry_run=options.dry_run,
        stale=expected is not None and masked != expected,
        refused=bool(findings) and not options.force,
        revert=revert,
        net=net,
        replace_ok=can_replace(site.hardware.image),
        archive_first=archive_first,
        image=site.hardware.image,
    )


# -- many routers: what the operator is asked to confirm ------------------------------


@dataclass(frozen=True)
class Confirmation:
    """A fleet's dry run sorted for the question `Push to N router(s)?`."""

    todo: tuple[PushOutcome, ...]  # planned, and allowed (no findings, or --force)
    refused: tuple[PushOutcome, ...]  # planned, with findings and no --force
    settled: tuple[PushOutcome, ...]  # in sync, unreachable, refused by the plan itself
    plans: tuple[PushOutcome, ...] = ()  # all of them, in their order

    @property
    def held(self) -> list[PushOutcome]:
        """Reported, never sent: the refused ones as the push would report them."""
        return [*(as_refused(p) for p in self.refused), *self.settled]

    @property
    def expected(self) -> dict[str, tuple[str, ...]]:
        """Per host, the masked lines confirmed: a push whose plan changed is refused."""
        return {p.host: p.lines for p in self.todo}

    def without_question(self) -> list[PushOutcome]:
        """Every plan as reported when nothing is asked (nothing allowed to push, or a
        stop signal came during the plan): a planned push is reported refused."""
        return [as_refused(p) if p.status is Status.PLANNED else p for p in self.plans]


def confirmation(plans: Sequence[PushOutcome], force: bool) -> Confirmation:
    """Sort dry-run outcomes into those to push, those refused, those settled."""
    todo = [p for p in plans if p.status is Status.PLANNED and (force or not p.refusals)]
    refused = [p for p in plans if p.status is Status.PLANNED and p not in todo]
    settled = [p for p in plans if p.status is not Status.PLANNED]
    return Confirmation(tuple(todo), tuple(refused), tuple(settled), tuple(plans))


def as_refused(plan: PushOutcome) -> PushOutcome:
    """A planned push with lines on the management path, as the push would report it."""
    return replace(plan, status=Status.REFUSED, message=refusal_message(len(plan.refusals)))


def plan_lines(outcome: PushOutcome) -> list[str]:
    """A planned push as shown before the question: the lines, then the refusals."""
    out = [f"{outcome.host}: {len(outcome.lines)} line(s) to send"]
    out += [f"  {line}" for line in outcome.lines]
    if outcome.refusals:
        out.append("  on the management path (refused without --force):")
        out += [f"    {r}" for r in outcome.refusals]
    return out


def ordered(outcomes: Sequence[PushOutcome], sites: Sequence[Site]) -> list[PushOutcome]:
    """Outcomes in the order the sites were selected."""
    order = {site.hostname: i for i, site in enumerate(sites)}
    return sorted(outcomes, key=lambda o: order.get(o.host, len(order)))


__all__ = [
    "DEFAULT_REVERT_MINUTES",
    "Confirmation",
    "PushOptions",
    "PushPlan",
    "as_refused",
    "choose_net",
    "confirmation",
    "has_archive_path",
    "ordered",
    "plan_lines",
    "plan_push",
    "refusal_message",
    "revert_minutes",
]
