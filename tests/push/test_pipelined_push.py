"""The pipelined push (lines typed ahead) on the simulator over a WAN link (latency-ms).

Every fault kind, with latency, ends on the old or the new config, and says which; a
line refused in the middle of a window is the one reported, with IOS's answer, and
the lines typed ahead after it (which IOS ran) are undone by the rollback.
"""

from __future__ import annotations

import dataclasses
from ipaddress import IPv4Address, IPv4Network
from typing import Any

import pytest
from pushkit import Bench

from iosgen.build.ios import render
from iosgen.device.typeahead import TYPED_AHEAD_NOTE
from iosgen.diff.audit import audit_site
from iosgen.model.site import Route, Site
from iosgen.push import Final, PushOptions, Status, push_host
from iosgen.push.engine import body
from iosgen.sim import Fault

LATENCY = Fault("R-ITD", "latency-ms", "10")


def _routes(site: Site, count: int) -> Site:
    routes = [
        Route(network=IPv4Network(f"10.200.{n}.0/24"), next_hop=IPv4Address("192.168.10.254"))
        for n in range(count)
    ]
    return site.model_copy(update={"routes": routes})


def _options(bench: Bench, **kw: Any) -> PushOptions:
    return dataclasses.replace(bench.options, force=True, **kw)


def _at_intended(bench: Bench, site: Site) -> str:
    assert bench.router.set_running(render(site).text) == []
    return bench.router.running_config()


def _faults(*extra: Fault) -> list[Fault]:
    return [LATENCY, *extra]


def test_flat_change_pipelined_over_latency_pushes(bench: Bench, itd: Site) -> None:
    _at_intended(bench, itd)
    site = _routes(itd, 60)
    bench.fleet.set_faults("R-ITD", _faults())
    outcome = push_host(site, bench.target, _options(bench))
    assert outcome.status is Status.PUSHED, outcome.message
    assert len(outcome.sent) == 60
    assert all(s.answer == "" and s.note == "" for s in outcome.sent)
    assert audit_site(site, bench.router.running_config()).status == "in_sync"


def test_first_push_from_bare_with_submodes_over_latency(bench: Bench, itd: Site) -> None:
    bench.fleet.set_faults("R-ITD", _faults())
    outcome = push_host(itd, bench.target, _options(bench))
    assert outcome.status is Status.PUSHED, outcome.message
    assert outcome.archive_first
    assert audit_site(itd, bench.router.running_config()).status == "in_sync"


def test_refused_line_mid_window_is_attributed_and_typed_ahead_rolled_back(
    bench: Bench, itd: Site
) -> None:
    before = _at_intended(bench, itd)
    site = _routes(itd, 40)
    bad = "ip route 10.200.17.0 255.255.255.0 192.168.10.254"
    bench.fleet.set_faults("R-ITD", _faults(Fault("R-ITD", "reject", r"^ip route 10\.200\.17\.")))
    outcome = push_host(site, bench.target, _options(bench))
    assert outcome.status is Status.ROLLED_BACK, outcome.message
    assert outcome.final is Final.OLD
    assert outcome.failing_line == bad
    assert outcome.ios_answer is not None
    assert "% Invalid input detected at '^' marker." in outcome.ios_answer
    lines = [s.line for s in outcome.sent]
    at = lines.index(bad)
    assert all(s.answer == "" and not s.note for s in outcome.sent[:at])
    after = outcome.sent[at + 1 :]
    # the window was open: lines after the refused one were on the way and IOS ran them
    assert after, "nothing was typed ahead: the window did not open"
    assert all(s.note == TYPED_AHEAD_NOTE and s.answer == "" for s in after)
    assert lines[at + 1] == "ip route 10.200.18.0 255.255.255.0 192.168.10.254"
    # ... and the rollback took them out again with the rest
    assert body(bench.router.running_config()) == body(before)


def test_refused_parent_types_no_exit_ahead(bench: Bench, itd: Site) -> None:
    """`interface Dialer2` refused: its sub-mode lines run in global mode, but the
    `exit` after them is never typed ahead (it would leave config mode)."""
    before = _at_intended(bench, itd)
    sofia = itd.pptp_clients["sofia"].model_copy(update={"mtu": 1400})
    site = itd.model_copy(update={"pptp_clients": {"sofia": sofia}})
    bench.fleet.set_faults("R-ITD", _faults(Fault("R-ITD", "reject", r"^interface Dialer2$")))
    outcome = push_host(site, bench.target, _options(bench))
    assert outcome.status is Status.ROLLED_BACK, outcome.message
    assert outcome.failing_line == "interface Dialer2"
    lines = [s.line for s in outcome.sent]
    assert "exit" not in lines[lines.index("interface Dialer2") :]
    assert body(bench.router.running_config()) == body(before)


def _nat_site(itd: Site) -> Site:
    sofia = itd.pptp_clients["sofia"].model_copy(update={"nat": False})
    return itd.model_copy(update={"pptp_clients": {"sofia": sofia}})


# (id, faults, site change, status, final)
CASES = [
    ("delay-ms", [Fault("R-ITD", "delay-ms", "3")], "routes", Status.PUSHED, Final.NEW),
    ("drop-after", [Fault("R-ITD", "drop-after", "12")], "routes", Status.ROLLED_BACK, Final.OLD),
    ("reject", [Fault("R-ITD", "reject", r"^ip route 10\.200\.3")], "routes", Status.ROLLED_BACK,
     Final.OLD),
    ("nat-in-use", [Fault("R-ITD", "nat-in-use")], "nat", Status.PUSHED, Final.NEW),
    ("nat-in-use+reject", [Fault("R-ITD", "nat-in-use"), Fault("R-ITD", "reject", r"^no ip nat")],
     "nat", Status.ROLLED_BACK, Final.OLD),
    ("bad-password", [Fault("R-ITD", "bad-password")], "routes", Status.UNREACHABLE, Final.OLD),
    ("new-host-key", [Fault("R-ITD", "new-host-key")], "routes", Status.UNREACHABLE, Final.OLD),
]  # fmt: skip


@pytest.mark.parametrize(
    ("faults", "change", "status", "final"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_every_fault_kind_over_latency(
    bench: Bench,
    itd: Site,
    faults: list[Fault],
    change: str,
    status: Status,
    final: Final,
) -> None:
    before = _at_intended(bench, itd)
    site = _routes(itd, 40) if change == "routes" else _nat_site(itd)
    bench.fleet.set_faults("R-ITD", _faults(*faults))
    outcome = push_host(site, bench.target, _options(bench))
    bench.fleet.set_faults("R-ITD", [])
    assert outcome.status is status, outcome.message
    assert outcome.final is final
    now = bench.router.running_config()
    if final is Final.NEW:
        assert audit_site(site, now).status == "in_sync"
    else:
        assert body(now) == body(before)
    if change == "nat" and status is Status.PUSHED:
        answered = [s for s in outcome.sent if s.note]
        assert [s.line for s in answered] == [
            "no ip nat inside source route-map VPN interface Dialer2 overload"
        ]


def test_one_line_at_a_time_types_nothing_ahead(bench: Bench, itd: Site) -> None:
    before = _at_intended(bench, itd)
    site = _routes(itd, 20)
    bench.fleet.set_faults("R-ITD", [Fault("R-ITD", "reject", r"^ip route 10\.200\.5\.")])
    device = dataclasses.replace(bench.options.device, typeahead_bytes=0)
    outcome = push_host(site, bench.target, _options(bench, device=device))
    assert outcome.status is Status.ROLLED_BACK
    assert [s.line for s in outcome.sent][-1] == outcome.failing_line  # nothing after it
    assert body(bench.router.running_config()) == body(before)


def test_stop_mid_window_reads_and_records_what_was_in_flight(bench: Bench, itd: Site) -> None:
    from iosgen.device.typeahead import STOPPED_NOTE
    from iosgen.push.signals import Stopped

    before = _at_intended(bench, itd)
    site = _routes(itd, 40)
    bench.fleet.set_faults("R-ITD", _faults())
    seen: list[object] = []

    def stop(_host: str, line: object) -> None:
        seen.append(line)
        if len(seen) == 5:
            raise Stopped("SIGTERM")

    outcome = push_host(site, bench.target, _options(bench), on_line=stop)
    assert outcome.status is Status.ROLLED_BACK, outcome.message
    assert "SIGTERM" in outcome.message
    stopped = [s for s in outcome.sent if s.note == STOPPED_NOTE]
    assert stopped, "the lines in flight when the stop came were not recorded"
    assert outcome.sent[5].note == STOPPED_NOTE
    assert body(bench.router.running_config()) == body(before)


def test_a_management_line_is_never_typed_ahead_of_a_refused_one(bench: Bench, itd: Site) -> None:
    """With --force, a line on the management path (here the vty transport) waits for
    every line before it: after a refusal it is never typed, so it never runs."""
    before = _at_intended(bench, itd)
    site = _routes(itd, 40)
    site = site.model_copy(
        update={"ssh": site.ssh.model_copy(update={"vty_transport": "telnet ssh"})}
    )
    bench.fleet.set_faults("R-ITD", _faults(Fault("R-ITD", "reject", r"^ip route 10\.200\.39\.")))
    outcome = push_host(site, bench.target, _options(bench))
    assert outcome.status is Status.ROLLED_BACK, outcome.message
    assert outcome.failing_line == "ip route 10.200.39.0 255.255.255.0 192.168.10.254"
    assert any("transport input" in line for line in outcome.lines)  # it was planned
    assert not any("transport input" in s.line for s in outcome.sent)
    assert body(bench.router.running_config()) == body(before)
