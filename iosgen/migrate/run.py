"""The orchestration: prepare a migration from the inventory, then run its pending steps.

Each step is a safe push (`iosgen.push.push_host`: lock, rollback point, revert timer,
line checks, the router must audit clean against the step's build) of the head office
and the branch; the branch's push also runs the network checks (`--verify-network`:
step 1 the IPsec SA, steps 2 and 3 the head office answering through it). A router
that fails is rolled back by its push; the routers the step already changed are pushed
back to the step before, so a failed step leaves both routers where the state file
says they are. The state file is written after each step; a rerun resumes after the
last step done; the site file is rewritten only after step 3.
"""

from __future__ import annotations

import hmac
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from iosgen.errors import EXIT_FINDINGS, EXIT_UNREACHABLE
from iosgen.migrate.state import now, write_state
from iosgen.migrate.steps import (
    BRANCH,
    HEAD_OFFICE,
    RouterPlan,
    StepPlan,
    managed_through,
    ordered,
    path_refusal,
    remediation,
)
from iosgen.model.migration import (
    KINDS,
    STEPS,
    MigrationError,
    MigrationState,
    StepRecord,
    default_key_reference,
    fleet_at_steps,
    head_office_of,
    new_tunnel_name,
    read_states,
)
from iosgen.model.platform import Platform
from iosgen.model.statefolder import MIGRATIONS_DIR
from iosgen.push import Final, LockHeld, PushOptions, PushOutcome, Status, host_lock, push_host
from iosgen.push.signals import shielded, why

if TYPE_CHECKING:
    from iosgen.model.inventory import Inventory
    from iosgen.model.secret import SecretResolver
    from iosgen.model.site import Site
    from iosgen.model.targets import Target
    from iosgen.network.verify import HostReport


@dataclass(frozen=True)
class MigrateRequest:
    host: str
    tunnel: str
    to: str = "ipsec"
    key: str | None = None  # a secret reference; None: the default (or the state's)


@dataclass(frozen=True)
class MigrateOptions:
    push: PushOptions = field(default_factory=PushOptions)
    state_dir: Path = MIGRATIONS_DIR
    # how long the branch's network checks may take to pass after a push (IKE, a Dialer)
    network_wait_seconds: float = 60.0
    # steps to run at most (None: all pending); a test stops after one
    until: int | None = None


@dataclass(frozen=True)
class Event:
    """Progress, for the command line (and for a test that acts between two pushes)."""

    step: int
    host: str
    what: str  # "pushed", "verified", "failed", "undone", "done", "rewritten", "refused"
    text: str
    outcome: PushOutcome | None = None


@dataclass(frozen=True)
class MigrationResult:
    state: MigrationState
    outcomes: tuple[tuple[int, PushOutcome], ...] = ()
    message: str = ""
    code: int = 0  # 0 done, 1 refused or rolled back, 3 a router unreachable

    @property
    def ok(self) -> bool:
        return self.code == 0


@dataclass
class Migration:
    """A migration decided from the inventory: the state, the sites and their files."""

    state: MigrationState
    sites: tuple[Site, ...]  # the inventory as loaded (the site files)
    files: dict[str, Path]  # hostname -> site file
    resolver: SecretResolver
    others: dict[str, MigrationState]  # the other branches' migrations, by hostname
    state_dir: Path = MIGRATIONS_DIR

    def find(self, fleet: Sequence[Site], host: str) -> Site:
        return next(s for s in fleet if s.hostname.lower() == host.lower())

    def fleet(self, step: int) -> tuple[Site, ...]:
        """The inventory with this branch at `step`, every other one at its step done."""
        states = {**self.others, self.state.host.lower(): self.state}
        return fleet_at_steps(self.sites, states, self.resolver, {self.state.host: step})

    @property
    def branch(self) -> Site:
        return self.find(self.sites, self.state.host)

    @property
    def pending(self) -> list[int]:
        return list(range(self.state.done + 1, STEPS + 1))

    def plan(self, step: int, target_host: str | None = None) -> StepPlan:
        """Step `step`'s routers with the lines each gets (build to build)."""
        before, at = self.fleet(step - 1), self.fleet(step)
        routers = {}
        for role, host in ((BRANCH, self.state.host), (HEAD_OFFICE, self.state.head_office)):
            site, old = self.find(at, host), self.find(before, host)
            routers[role] = RouterPlan(site.hostname, role, site, old, remediation(site, old))
        address = managed_through(self.branch, self.state, target_host)
        refusal = path_refusal(step, self.state, None, address) if address else None
        return StepPlan(step, ordered(step, routers[BRANCH], routers[HEAD_OFFICE]), at, refusal)


def prepare(
    inventory: Inventory,
    request: MigrateRequest,
    resolver: SecretResolver,
    state_dir: Path = MIGRATIONS_DIR,
) -> Migration:
    """The migration of `request` (resumed from its state file when there is one);
    MigrationError says why it cannot be built (nothing is touched)."""
    if request.to not in KINDS:
        why = " (IOS 12.4 has no WireGuard)" if request.to == "wireguard" else ""
        raise MigrationError(f"--to {request.to}: iosgen migrates to {', '.join(KINDS)}{why}")
    if request.key is not None:
        _check_reference(request.key, resolver)
    branch = inventory.find(request.host)
    if branch.platform is not Platform.IOS:
        raise MigrationError(
            f"{branch.hostname} is a Linux box: `iosgen migrate` moves IOS routers. Its PPTP "
            "tunnels dial an IOS head office, so its way out is strongSwan, whose IPsec "
            "policies take the traffic as soon as the tunnel is up: there is no floating "
            "first step. Change the tunnel to `kind: ipsec` in its site file and push it "
            "in a maintenance window (docs/migrate.md)"
        )
    sites = tuple(inventory.sites)
    files = {e.site.hostname: e.file for e in inventory.loaded}
    states = read_states(state_dir)
    state = states.pop(branch.hostname.lower(), None)
    if state is not None and state.rewritten:
        if state.tunnel == request.tunnel and request.tunnel not in branch.pptp_clients:
            raise MigrationError(
                f"{branch.hostname}: tunnel {request.tunnel!r} was migrated to "
                f"{state.new_tunnel!r} (step {STEPS} done, site file rewritten)"
            )
        state = None  # a finished migration: this is a new one
    if state is not None:
        if state.tunnel != request.tunnel or state.to != request.to:
            raise MigrationError(
                f"{branch.hostname} is migrating tunnel {state.tunnel!r} to {state.to} "
                f"(step {state.done} done, {state_dir / (state.host + '.json')}): finish it first"
            )
        if request.key is not None and request.key != state.key:
            raise MigrationError(
                f"--key {request.key}: the migration of {branch.hostname} started with "
                f"{state.key}; the key cannot change half-way"
            )
    else:
        state = _new_state(branch, request, sites, resolver)
    migration = Migration(state, sites, files, resolver, states, state_dir)
    from iosgen.model.checks import site_problems

    for step in range(max(state.done, 1), STEPS + 1):
        # every step left is a valid site (a missing key, a clash is reported now)
        branch = migration.find(migration.fleet(step), state.host)
        for path, message in site_problems(branch):
            where = ".".join(str(p) for p in path)
            raise MigrationError(f"{state.host} at step {step}: {where}: {message}")
    return migration


def _check_reference(key: str, resolver: SecretResolver) -> None:
    """`--key` names where the key is (`${ENV}`, `secret:NAME`), never the key itself: a
    key typed on the command line stays in the shell's history and the state file."""
    try:
        source = resolver.resolve(key).source
    except ValueError as exc:
        raise MigrationError(f"--key: {exc}") from None
    if source == "literal":
        raise MigrationError(
            "--key takes a reference to the pre-shared key (${ENV} or secret:NAME), not "
            "the key itself, which would stay in the shell's history (value not shown)"
        )


def _new_state(
    branch: Site, request: MigrateRequest, sites: Sequence[Site], resolver: SecretResolver
) -> MigrationState:
    office = head_office_of(branch, request.tunnel, sites)
    server = office.ipsec_server
    if server is None or not server.from_branches:
        raise MigrationError(
            f"{office.hostname}, which tunnel {request.tunnel!r} of {branch.hostname} dials, "
            "has no `ipsec_server: {from_branches: true}`: it could not answer the IPsec "
            "tunnel; add it to its site file"
        )
    dhcp = branch.wan[1].ipv4 == "dhcp"
    key = request.key
    if dhcp:
        # IKEv1 main mode picks a pre-shared key by the peer's address before it knows
        # who the peer is: a branch without a fixed address gets the wildcard key
        if server.dynamic_key is None:
            raise MigrationError(
                f"{branch.hostname}'s WAN is DHCP: {office.hostname} matches it by "
                "`ipsec_server.dynamic_key` (the key of every branch without a fixed "
                "address), which its site file does not give"
            )
        if key is None:
            if server.dynamic_key.source == "literal":
                raise MigrationError(
                    f"{office.hostname}'s dynamic_key is typed in its file: give --key "
                    "with a reference to the same key"
                )
            key = server.dynamic_key.source
        else:
            try:
                given = resolver.resolve(key)
            except ValueError as exc:
                raise MigrationError(f"--key {key}: {exc}") from None
            if not hmac.compare_digest(
                given.reveal().encode("utf-8"), server.dynamic_key.reveal().encode("utf-8")
            ):
                raise MigrationError(
                    f"--key {key} is not {office.hostname}'s ipsec_server.dynamic_key "
                    f"(values not shown): {branch.hostname}'s WAN is DHCP, and the head "
                    "office answers such branches with that one key"
                )
    key = key or default_key_reference(branch.hostname, request.tunnel)
    return MigrationState(
        host=branch.hostname,
        tunnel=request.tunnel,
        new_tunnel=new_tunnel_name(request.tunnel, list(branch.tunnels)),
        key=key,
        head_office=office.hostname,
        to=request.to,
    )


# --- running the steps ------------------------------------------------------------------


class _Runner:
    def __init__(
        self,
        migration: Migration,
        targets: Mapping[str, Target],
        options: MigrateOptions,
        on_event: Callable[[Event], None],
    ) -> None:
        self.m = migration
        self.targets = {h.lower(): t for h, t in targets.items()}
        self.options = options
        self.emit = on_event
        self.outcomes: list[tuple[int, PushOutcome]] = []

    def target(self, host: str) -> Target:
        found = self.targets.get(host.lower())
        if found is None:
            raise MigrationError(f"no target for {host}")
        return found

    def push(
        self,
        step: int,
        router: RouterPlan,
        site: Site,
        fleet: tuple[Site, ...],
        *,
        verify: bool,
        force: bool,
    ) -> PushOutcome:
        options = replace(
            self.options.push,
            verify_network=verify,
            network_fleet=fleet,
            network_wait_seconds=self.options.network_wait_seconds,
            force=self.options.push.force or force,
        )
        outcome = push_host(site, self.target(router.host), options)
        self.outcomes.append((step, outcome))
        return outcome

    def verify(
        self, site: Site, fleet: tuple[Site, ...], only: set[str] | None, wait: bool = True
    ) -> HostReport:
        """The branch's network checks until they pass or the wait is over; `only`: the
        checks of these tunnels (and PAT) count, the others' are left out."""
        from iosgen.errors import DeviceError
        from iosgen.network.verify import HostReport, verify_target

        deadline = time.monotonic() + (self.options.network_wait_seconds if wait else 0)
        while True:
            try:
                report = verify_target(
                    site, self.target(site.hostname), self.options.push.device, list(fleet)
                )
            except DeviceError as exc:
                return HostReport(site.hostname, unreachable=exc.message)
            if only is not None:
                kept = [c for c in report.checks if c.tunnel is None or c.tunnel in only]
                report = HostReport(report.host, kept, report.unreachable)
            if report.ok or time.monotonic() >= deadline:
                return report
            time.sleep(2.0)

    def record(self, step: int, ok: bool, message: str) -> None:
        self.m.state = self.m.state.after(StepRecord(step, now(), ok, message))
        write_state(self.m.state_dir, self.m.state)

    def result(self, message: str, code: int) -> MigrationResult:
        return MigrationResult(self.m.state, tuple(self.outcomes), message, code)

    def run(self) -> MigrationResult:
        steps = self.m.pending
        if self.options.until is not None:
            steps = [s for s in steps if s <= self.options.until]
        for step in steps:
            failed = self.step(step)
            if failed is not None:
                return failed
        if self.m.state.done == STEPS and not self.m.state.rewritten:
            return self.rewrite()
        return self.result(f"{self.m.state.host}: step {self.m.state.done} done", 0)

    def step(self, step: int) -> MigrationResult | None:
        plan = self.m.plan(step, self.target(self.m.state.host).host)
        branch_host = self.m.state.host
        force = False
        address = managed_through(self.m.branch, self.m.state, self.target(branch_host).host)
        if address is not None and step > 1:
            before = self.m.fleet(step - 1)
            only = {self.m.state.tunnel, self.m.state.new_tunnel}
            report = self.verify(self.m.find(before, branch_host), before, only)
            refusal = path_refusal(step, self.m.state, report.ok, address)
            if refusal is not None:
                self.emit(Event(step, branch_host, "refused", refusal))
                self.record(step, False, refusal)
                return self.result(refusal, EXIT_FINDINGS)
            force = True  # the new path was just verified; the revert timer stays armed
        # the branch's network checked inside its push (before `configure confirm`, the
        # revert timer armed) when every check passes now; when one already fails (a
        # tunnel to a head office that is down), only the migrated tunnels' checks count,
        # after the push, and a failure pushes the step before back
        mine = {self.m.state.tunnel, self.m.state.new_tunnel}
        before_fleet = self.m.fleet(step - 1)
        baseline = self.verify(self.m.find(before_fleet, branch_host), before_fleet, None, False)
        in_push = baseline.ok
        changed: list[RouterPlan] = []
        try:
            return self.pushes(step, plan, force, in_push, mine, changed)
        except KeyboardInterrupt as exc:
            # Ctrl-C, SIGTERM or SIGHUP between two pushes (each push handles its own):
            # the routers this step changed go back before iosgen stops
            with shielded():
                undone = self.undo(step, changed)
                message = f"step {step}: {why(exc)}{undone}"
                self.record(step, False, message)
                return self.result(message, EXIT_FINDINGS)

    def pushes(
        self,
        step: int,
        plan: StepPlan,
        force: bool,
        in_push: bool,
        mine: set[str],
        changed: list[RouterPlan],
    ) -> MigrationResult | None:
        branch_host = self.m.state.host
        for router in plan.routers:
            is_branch = router.role == BRANCH
            outcome = self.push(
                step, router, router.site, plan.fleet, verify=is_branch and in_push, force=force
            )
            problem = self.problem(outcome)
            if problem is None and outcome.status is Status.PUSHED:
                changed.append(router)
            if problem is None and is_branch and (outcome.status is Status.IN_SYNC or not in_push):
                # nothing sent (a rerun after a lost state write), or checked only now
                report = self.verify(router.site, plan.fleet, None if in_push else mine)
                if not report.ok:
                    problem = "the network check failed: " + _failures(report)
                    if router not in changed:
                        changed.append(router)
            if problem is not None:
                self.emit(Event(step, router.host, "failed", problem, outcome))
                undone = self.undo(step, changed)
                message = f"step {step} failed at {router.host}: {problem}{undone}"
                self.record(step, False, message)
                code = EXIT_UNREACHABLE if outcome.status is Status.UNREACHABLE else EXIT_FINDINGS
                return self.result(message, code)
            what = "verified" if is_branch else "pushed"
            self.emit(
                Event(
                    step, router.host, what, f"{outcome.status.value}: {outcome.message}", outcome
                )
            )
        self.record(step, True, f"step {step} done")
        self.emit(Event(step, branch_host, "done", f"step {step} done: {plan.title}"))
        return None

    @staticmethod
    def problem(outcome: PushOutcome) -> str | None:
        if outcome.status in (Status.PUSHED, Status.IN_SYNC):
            return None
        return f"{outcome.status.value}: {outcome.message}"

    def undo(self, step: int, changed: list[RouterPlan]) -> str:
        """Push the routers this step changed back to the step before."""
        if not changed:
            return ""
        before = self.m.fleet(step - 1)
        notes = []
        for router in reversed(changed):
            outcome = self.push(step, router, router.before, before, verify=False, force=False)
            ok = outcome.status in (Status.PUSHED, Status.IN_SYNC)
            self.emit(
                Event(
                    step,
                    router.host,
                    "undone",
                    f"{outcome.status.value}: {outcome.message}",
                    outcome,
                )
            )
            if ok:
                notes.append(f"{router.host} back at step {step - 1}")
            else:
                where = "unknown" if outcome.final is Final.UNKNOWN else "the step's config"
                notes.append(
                    f"{router.host} NOT back to step {step - 1} ({outcome.status.value}: "
                    f"{outcome.message}; it may run {where})"
                )
        return "; " + "; ".join(notes)

    def rewrite(self) -> MigrationResult:
        from iosgen.migrate.sitefile import migrated_text, replace_checked, without_key

        state = self.m.state
        branch = self.m.branch
        client = branch.pptp_clients.get(state.tunnel)
        if client is None:  # the file already holds step 3
            self.m.state = replace(state, rewritten=True)
            write_state(self.m.state_dir, self.m.state)
            return self.result(f"{state.host}: migrated", 0)
        final = self.m.fleet(STEPS)
        path = self.m.files[branch.hostname]
        text = migrated_text(path, state.tunnel, state.new_tunnel, client, state.key)
        want = self.m.find(final, state.host)
        replace_checked(path, text, lambda tmp: self.same_build(tmp, want, None))
        self.emit(
            Event(STEPS, state.host, "rewritten", f"{path}: {state.tunnel} -> {state.new_tunnel}")
        )
        office = self.m.find(self.m.sites, state.head_office)
        office_now = self.m.find(final, state.head_office)
        if office.pptp_server is not None and office_now.pptp_server is None:
            office_path = self.m.files[office.hostname]
            replace_checked(
                office_path,
                without_key(office_path, "pptp_server"),
                lambda tmp: self.same_build(tmp, office_now, final),
            )
            self.emit(
                Event(
                    STEPS,
                    office.hostname,
                    "rewritten",
                    f"{office_path}: pptp_server removed (no branch dials it)",
                )
            )
        self.m.state = replace(self.m.state, rewritten=True)
        write_state(self.m.state_dir, self.m.state)
        return self.result(f"{state.host}: migrated; {path} rewritten", 0)

    def same_build(self, path: Path, want: Site, fleet: tuple[Site, ...] | None) -> str | None:
        from iosgen.diff.audit import intended_config
        from iosgen.errors import IosgenError
        from iosgen.model.inventory import load_site

        try:
            got = load_site(path, self.m.resolver)
        except IosgenError as exc:
            return f"the rewritten file does not load: {exc}"
        if fleet is not None:
            got.with_fleet(fleet)
        if intended_config(got) != intended_config(want):
            return "the rewritten file does not build step 3's config"
        return None


def _failures(report: HostReport) -> str:
    if report.unreachable:
        return report.unreachable
    return "; ".join(
        f"{c.check} {c.tunnel or ''}: {c.reason}".replace(" :", ":")
        for c in report.checks
        if not c.ok
    )


def run_migration(
    migration: Migration,
    targets: Mapping[str, Target],
    options: MigrateOptions | None = None,
    on_event: Callable[[Event], None] | None = None,
) -> MigrationResult:
    """Run the pending steps of `migration` against the routers at `targets` (by
    hostname); the state file after each step, the site file after the last."""
    options = options or MigrateOptions()
    runner = _Runner(migration, targets, options, on_event or _ignore)
    lock_dir = options.push.lock_dir
    try:
        if lock_dir is None:
            return runner.run()
        # one migration of a host at a time on this machine (the state file is its own),
        # beside the per-push lock each push takes
        with host_lock(lock_dir, f"migrate-{migration.state.host}", "iosgen migrate"):
            return runner.run()
    except LockHeld as exc:
        return runner.result(str(exc), EXIT_FINDINGS)
    except MigrationError as exc:
        return runner.result(str(exc), EXIT_FINDINGS)


def _ignore(event: Event) -> None:
    return None


__all__ = [
    "Event",
    "MigrateOptions",
    "MigrateRequest",
    "Migration",
    "MigrationResult",
    "prepare",
    "run_migration",
]
