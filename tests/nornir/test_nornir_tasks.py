"""The iosgen task plugins under real Nornir (threaded runner, 4 workers) against the
simulated routers of every IOS site: build, diff, audit, dry-run and real push, and a
push that fails and leaves its router as it was."""

from __future__ import annotations

from pathlib import Path

from nornir.core import Nornir
from nornir.core.task import AggregatedResult, Result
from nornirkit import leaks, nornir_on

from iosgen.build import build_site
from iosgen.diff.audit import AuditResult, audit_site
from iosgen.nornir import iosgen_audit, iosgen_build, iosgen_diff, iosgen_push
from iosgen.push import Final, PushOptions, PushOutcome, Status
from iosgen.push.engine import body
from iosgen.sim import Fault, SimFleet

IOS_HOSTS = ["R-ITD", "R-RUSE", "R-SHUMEN", "R-SOFIA", "R-VARNA"]


def ios(nr: Nornir) -> Nornir:
    return nr.filter(platform="cisco_ios")


def first(results: AggregatedResult) -> dict[str, Result]:
    """Each host's task Result (a plugin runs no subtasks: its MultiResult has one)."""
    return {host: multi[0] for host, multi in results.items()}


def running(fleet: SimFleet) -> dict[str, str]:
    return {name: fleet.router(name).running_config() for name in IOS_HOSTS}


def test_runner_is_threaded_with_workers(nr: Nornir) -> None:
    assert type(nr.runner).__name__ == "ThreadedRunner"
    assert nr.runner.num_workers == 4  # type: ignore[attr-defined]


def test_build_every_site_masked(nr: Nornir) -> None:
    results = first(nr.run(task=iosgen_build))
    assert sorted(results) == sorted([*IOS_HOSTS, "gabrovo-gw", "plovdiv-gw"])
    assert not any(r.failed or r.changed for r in results.values())
    itd = results["R-ITD"]
    assert "hostname R-ITD" in itd.result
    assert " ppp chap password 7 <redacted>" in itd.result
    assert leaks(itd.result) == []
    # the Build itself, secrets in clear, for writing a file
    assert (
        itd.build.single.content
        == build_site(nr.inventory.hosts["R-ITD"].data["site"]).single.content
    )
    assert "etc/ppp/chap-secrets" in results["plovdiv-gw"].result
    assert leaks(str(results["plovdiv-gw"].result)) == []


def test_diff_live_and_given(nr: Nornir, routers: SimFleet) -> None:
    live = first(ios(nr).run(task=iosgen_diff))
    for result in live.values():
        assert not result.failed, result.result
        assert result.changed  # bare routers: a push would change them
        assert isinstance(result.result, AuditResult) and result.result.status == "drift"
        assert result.diff.splitlines() == result.result.remediation.lines()
        assert "aaa new-model" in result.diff.splitlines()
        assert "<redacted>" in result.diff and leaks(result.diff) == []
        assert leaks(repr(result.result)) == []  # what print_result shows of it
    # against a given running config: the build itself is in sync
    itd = nr.inventory.hosts["R-ITD"].data["site"]
    intended = build_site(itd).single.content
    given = first(nr.filter(name="R-ITD").run(task=iosgen_diff, running=intended))["R-ITD"]
    assert (given.changed, given.failed, given.diff) == (False, False, "")
    drifted = intended.replace(" description local LAN", " description old LAN")
    one = first(nr.filter(name="R-ITD").run(task=iosgen_diff, running=drifted))["R-ITD"]
    assert one.changed and one.diff.splitlines() == [
        "interface FastEthernet0/1",
        " description local LAN",
    ]


def test_audit_live_and_saved(nr: Nornir, routers: SimFleet, tmp_path: Path) -> None:
    live = first(ios(nr).run(task=iosgen_audit))
    for result in live.values():
        assert result.failed and not result.changed  # drift fails an audit, changes nothing
        assert result.result.status == "drift"
        assert leaks(result.diff) == []
    # saved configs (as `iosgen backup` writes them): the build is in sync, a missing file
    # is that host's clear failure
    itd = nr.inventory.hosts["R-ITD"].data["site"]
    (tmp_path / "R-ITD.cfg").write_text(build_site(itd).single.content, encoding="utf-8")
    saved = first(ios(nr).run(task=iosgen_audit, saved=tmp_path, on_failed=True))
    assert (saved["R-ITD"].failed, saved["R-ITD"].result.status) == (False, "in_sync")
    ruse = saved["R-RUSE"]
    assert ruse.failed and ruse.audit.status == "unreachable"
    assert (
        ruse.result == f"R-RUSE: no saved config {tmp_path}/R-RUSE.cfg: No such file or directory"
    )


def test_dry_run_push_plans_and_types_nothing(routers: SimFleet, push_options: PushOptions) -> None:
    before = running(routers)
    nr = ios(nornir_on(routers.targets_file, dry_run=True))
    results = first(nr.run(task=iosgen_push, options=push_options, force=True))
    for result in results.values():
        outcome = result.result
        assert isinstance(outcome, PushOutcome)
        assert outcome.status is Status.PLANNED, outcome.message
        assert outcome.sent == ()
        assert result.changed and not result.failed  # it would change the router
        assert result.diff.splitlines() == list(outcome.lines)
        assert "aaa new-model" in outcome.lines
        assert leaks(result.diff) == [] and leaks(repr(outcome)) == []
    assert running(routers) == before
    for name in IOS_HOSTS:
        assert routers.router(name).startup_config() is None
        assert not [f for f in routers.router(name).flash_files() if f.startswith("iosgen")]
    assert not (push_options.history_dir and push_options.history_dir.exists())


def test_push_then_every_router_audits_clean(
    nr: Nornir, routers: SimFleet, push_options: PushOptions
) -> None:
    # bare routers: the change touches the management path, refused without force
    refused = first(ios(nr).run(task=iosgen_push, options=push_options))
    for result in refused.values():
        assert result.failed and not result.changed
        assert result.result.status is Status.REFUSED and result.result.final is Final.OLD
    pushed = first(ios(nr).run(task=iosgen_push, options=push_options, force=True, on_failed=True))
    for name, result in pushed.items():
        assert result.result.status is Status.PUSHED, result.result.message
        assert result.changed and not result.failed
        assert leaks(result.diff) == []
        site = nr.inventory.hosts[name].data["site"]
        assert audit_site(site, routers.router(name).running_config()).status == "in_sync"
    audited = first(ios(nr).run(task=iosgen_audit, on_failed=True))
    assert {n: r.result.status for n, r in audited.items()} == dict.fromkeys(IOS_HOSTS, "in_sync")
    assert not any(r.failed for r in audited.values())
    again = first(ios(nr).run(task=iosgen_push, options=push_options))
    for result in again.values():
        assert result.result.status is Status.IN_SYNC
        assert (result.changed, result.failed, result.diff) == (False, False, "")


def test_failing_push_reports_failed_and_leaves_the_router_as_it_was(
    nr: Nornir, routers: SimFleet, push_options: PushOptions
) -> None:
    before = running(routers)
    routers.set_faults("R-ITD", [Fault("R-ITD", "reject", r"^ip route ")])
    results = first(ios(nr).run(task=iosgen_push, options=push_options, force=True))
    itd = results["R-ITD"]
    assert itd.failed and not itd.changed
    outcome = itd.result
    assert outcome.status is Status.ROLLED_BACK and outcome.final is Final.OLD
    assert outcome.failing_line == "ip route 10.10.0.0 255.255.0.0 Dialer2"
    assert outcome.ios_answer and "% Invalid input detected" in outcome.ios_answer
    assert leaks(itd.diff) == [] and leaks(repr(outcome)) == []
    # the old config again: only the archive block a first push sends alone (and keeps,
    # so that the revert timer could be armed) is new (docs/push.md)
    now = body(routers.router("R-ITD").running_config())
    if outcome.archive_first:
        start = now.index("archive")
        end = next(i for i in range(start + 1, len(now)) if not now[i].startswith(" "))
        now = now[:start] + now[end:]
    assert now == body(before["R-ITD"])
    assert not [f for f in routers.router("R-ITD").flash_files() if f.startswith("iosgen-rollback")]
    # one router's failure is its own: the others pushed
    for name in IOS_HOSTS[1:]:
        assert results[name].result.status is Status.PUSHED, results[name].result.message
    assert sorted(nr.data.failed_hosts) == ["R-ITD"]


def test_unreachable_router_fails_its_host_with_the_reason(
    nr: Nornir, routers: SimFleet, push_options: PushOptions
) -> None:
    routers.set_faults("R-RUSE", [Fault("R-RUSE", "bad-password")])
    one = nr.filter(name="R-RUSE")
    for task in (iosgen_diff, iosgen_audit):
        result = first(one.run(task=task, on_failed=True))["R-RUSE"]
        assert result.failed and not result.changed
        assert isinstance(result.result, str) and "login as 'netops' was refused" in result.result
        assert "Traceback" not in result.result and leaks(result.result) == []
    assert result.audit.status == "unreachable"
    pushed = first(one.run(task=iosgen_push, options=push_options, force=True, on_failed=True))
    outcome = pushed["R-RUSE"].result
    assert pushed["R-RUSE"].failed
    assert outcome.status is Status.UNREACHABLE and outcome.final is Final.OLD
