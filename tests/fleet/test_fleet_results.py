"""The one per-host result shape and the one exit-code rule of every fleet command."""

from __future__ import annotations

import pytest

from iosgen.diff.audit import AuditResult, unreachable
from iosgen.errors import DeviceError, IosgenError
from iosgen.fleet.audit import audited
from iosgen.fleet.push import as_results, verdict
from iosgen.fleet.runner import HostResult, Interrupted, Results, exit_code
from iosgen.push.outcome import Final, PushOutcome, Status

OK = HostResult("r1", 1)
DRIFT = HostResult("r2", 2, failed=True)  # audit/diff/verify: drift is a failed host
CHANGED = HostResult("r3", 3, changed=True)  # push: pushed and kept
DOWN: HostResult[int] = HostResult("r4", None, DeviceError("r4", "connection refused"), failed=True)
STOPPED: HostResult[int] = HostResult("r5", None, Interrupted("r5"), failed=True)
BUG: HostResult[int] = HostResult("r6", None, IosgenError("r6: internal error"), failed=True)


@pytest.mark.parametrize(
    ("results", "code"),
    [
        ([], 0),
        ([OK], 0),
        ([OK, CHANGED], 0),
        ([OK, DRIFT], 1),
        ([STOPPED, OK], 1),
        ([BUG], 1),
        ([DOWN], 3),
        ([OK, DRIFT, DOWN], 3),
        ([DOWN, STOPPED, CHANGED], 3),
    ],
    ids=[
        "no-hosts",
        "in-sync",
        "changed-is-success",
        "drift-or-failed-is-1",
        "interrupted-is-1",
        "internal-error-is-1",
        "unreachable-is-3",
        "unreachable-beats-drift",
        "unreachable-beats-interrupted",
    ],
)
def test_exit_code_rule(results: list[HostResult[int]], code: int) -> None:
    assert exit_code(results) == code
    assert Results(results).exit_code == code


def test_results_name_failed_hosts_and_values_in_order() -> None:
    results = Results([OK, DRIFT, DOWN, CHANGED, STOPPED])
    assert results.failed_hosts == ["r2", "r4", "r5"]
    assert results.values() == [1, 2, 3]
    assert [r.ok for r in results] == [True, False, False, True, False]


def test_an_error_without_failed_is_refused() -> None:
    with pytest.raises(ValueError, match="r1: a result with an error is failed"):
        HostResult("r1", None, DeviceError("r1", "down"))


@pytest.mark.parametrize(
    ("result", "failed", "unreachable_"),
    [
        (AuditResult("r1", "in_sync"), False, False),
        (AuditResult("r1", "drift"), True, False),
        (unreachable("r1", "connection refused"), True, True),
    ],
    ids=["in-sync", "drift", "unreachable"],
)
def test_an_audit_as_a_fleet_result(result: AuditResult, failed: bool, unreachable_: bool) -> None:
    host = audited(result)
    assert (host.value, host.failed, host.unreachable, host.changed) == (
        result,
        failed,
        unreachable_,
        False,
    )
    if unreachable_:
        assert host.error is not None and host.error.message == "r1: connection refused"


@pytest.mark.parametrize(
    ("status", "changed", "failed", "code"),
    [
        (Status.PUSHED, True, False, 0),
        (Status.IN_SYNC, False, False, 0),
        (Status.PLANNED, False, False, 0),
        (Status.ROLLED_BACK, False, True, 1),
        (Status.REFUSED, False, True, 1),
        (Status.ABORTED, False, True, 1),
        (Status.FAILED, False, True, 1),
        (Status.SKIPPED, False, True, 1),
        (Status.UNREACHABLE, False, True, 3),
    ],
    ids=lambda v: str(v),
)
def test_a_push_outcome_as_a_fleet_result(
    status: Status, changed: bool, failed: bool, code: int
) -> None:
    v = verdict(PushOutcome("r1", status, Final.OLD, "why"))
    host: HostResult[PushOutcome] = HostResult(
        "r1", None, v.error, v.changed, v.failed or v.error is not None
    )
    assert (host.changed, host.failed, exit_code([host])) == (changed, failed, code)


@pytest.mark.parametrize(
    "statuses",
    [
        (Status.PUSHED, Status.IN_SYNC),
        (Status.PLANNED, Status.REFUSED),
        (Status.SKIPPED, Status.PUSHED),
        (Status.UNREACHABLE, Status.FAILED, Status.PUSHED),
        tuple(Status),
    ],
    ids=["pushed", "refused", "skipped", "unreachable", "every-status"],
)
def test_merged_push_outcomes_follow_the_one_rule(statuses: tuple[Status, ...]) -> None:
    """`iosgen push` merges planned, refused and pushed outcomes: as results they exit
    as push's own rule did before it was replaced: 3 if any unreachable, else 1 if
    any host is not ok (refused, rolled back, failed), else 0."""
    outcomes = [PushOutcome(f"r{i}", s, Final.OLD) for i, s in enumerate(statuses)]
    results = as_results(outcomes)
    assert results.values() == outcomes
    old_rule = (
        3
        if any(o.status is Status.UNREACHABLE for o in outcomes)
        else 1
        if any(not o.ok for o in outcomes)
        else 0
    )
    assert results.exit_code == old_rule
    assert [r.changed for r in results] == [s is Status.PUSHED for s in statuses]
