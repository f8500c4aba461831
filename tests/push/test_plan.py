"""plan_push and the fleet confirmation, pure: no router, no SSH."""

from __future__ import annotations

import dataclasses

import pytest
from pushkit import leaks

from iosgen.build.ios import render
from iosgen.ios.safetynet import Net
from iosgen.model.site import Site
from iosgen.push.guard import management_findings
from iosgen.push.outcome import Final, PushOutcome, Status
from iosgen.push.plan import (
    PushOptions,
    as_refused,
    choose_net,
    confirmation,
    plan_push,
    refusal_message,
)

ARCHIVE = "archive\n path flash:R-ITD-cfg\n!\n"


def plan(site: Site, running: str, **options: object):  # type: ignore[no-untyped-def]
    expected = options.pop("expected", None)
    return plan_push(
        site,
        render(site).text,
        running,
        (site.management.host, "10.10.0.5"),
        PushOptions(**options),  # type: ignore[arg-type]
        expected=expected,  # type: ignore[arg-type]
    )


def without_lan_description(site: Site) -> str:
    return "\n".join(line for line in render(site).text.splitlines() if "local LAN" not in line)


def wan_changed(site: Site) -> str:
    # the router's WAN has no address: the push would type `ip address dhcp ...` on it
    return "\n".join(
        line for line in render(site).text.splitlines() if not line.startswith(" ip address dhcp")
    )


def test_in_sync_sends_nothing(itd: Site) -> None:
    p = plan(itd, render(itd).text)
    assert p.in_sync and not p.sends
    assert p.stop() == (Status.IN_SYNC, Final.NEW, "the router already matches the model")


def test_a_harmless_change_is_sent_with_the_default_revert_timer(itd: Site) -> None:
    p = plan(itd, without_lan_description(itd))
    assert p.masked == ("interface FastEthernet0/1", " description local LAN")
    assert p.sends and p.stop() is None
    assert (p.revert, p.net, p.archive_first) == (5, Net.REVERT_TIMER, False)


def test_a_wan_change_is_refused_unless_forced(itd: Site) -> None:
    refused = plan(itd, wan_changed(itd))
    assert refused.refused and not refused.sends
    assert refused.stop() == (Status.REFUSED, Final.OLD, refusal_message(1))
    assert refused.refusals[0].startswith("interface FastEthernet0/0 > ip address dhcp")
    assert refused.refusals[0].endswith(
        "the address, NAT or filter of the WAN interface FastEthernet0/0"
    )
    forced = plan(itd, wan_changed(itd), force=True)
    assert forced.findings == refused.findings and not forced.refused and forced.sends


def test_a_plan_other_than_the_confirmed_one_is_stale(itd: Site) -> None:
    running = without_lan_description(itd)
    confirmed = plan(itd, running).masked
    assert not plan(itd, running, expected=confirmed).stale
    stale = plan(itd, running, expected=(*confirmed, " shutdown"))
    assert stale.stale and stale.stop() is not None and stale.stop()[0] is Status.REFUSED


def test_dry_run_plans_and_stops(itd: Site) -> None:
    p = plan(itd, wan_changed(itd), dry_run=True)
    assert p.stop() == (Status.PLANNED, Final.OLD, "dry run: nothing sent")
    assert p.refusals  # shown with the plan


def test_masked_lines_hold_no_secret(itd: Site) -> None:
    bare = "\n".join(
        line for line in render(itd).text.splitlines() if not line.startswith("username ")
    )
    p = plan(itd, bare, force=True)
    assert any(line.startswith("username netops") for line in p.lines)
    assert leaks("\n".join(p.masked)) == []
    assert leaks("\n".join(p.refusals)) == []
    assert leaks("\n".join(p.lines))  # the clear lines are the ones typed


@pytest.mark.parametrize(
    ("image", "revert", "running", "intended", "want"),
    [
        ("12.4(25d)", 5, ARCHIVE, ARCHIVE, (Net.REVERT_TIMER, False)),
        ("12.4(25d)", 5, "", ARCHIVE, (Net.REVERT_TIMER, True)),
        ("12.4(25d)", 5, "", "", (Net.RELOAD, False)),
        ("12.4(25d)", None, ARCHIVE, ARCHIVE, (Net.NONE, False)),
        ("12.2(15)T", 5, ARCHIVE, ARCHIVE, (Net.RELOAD, False)),
    ],
    ids=["archive-there", "archive-first", "model-without-archive", "no-net", "old-image"],
)
def test_choose_net(
    image: str, revert: int | None, running: str, intended: str, want: tuple[Net, bool]
) -> None:
    assert choose_net(image, revert, running, intended) == want


def test_revert_timer_zero_arms_nothing(itd: Site) -> None:
    p = plan(itd, without_lan_description(itd), revert_minutes=0)
    assert (p.revert, p.net) == (None, Net.NONE)


def test_guard_sees_a_tunnel_carrying_the_endpoint(itd: Site) -> None:
    # iosgen reaches the router from 10.10.0.5, inside sofia's 10.10.0.0/16 (Dialer2)
    found = management_findings(itd, ["interface Dialer2", " mtu 1400"], ["10.10.0.5"])
    assert [f.reason for f in found] == [
        "tunnel 'sofia' (Dialer2), through which the management address is reached"
    ]
    assert management_findings(itd, ["interface Dialer2", " mtu 1400"], ["192.0.2.1"]) == ()


def outcome(host: str, status: Status, refusals: tuple[str, ...] = ()) -> PushOutcome:
    return PushOutcome(host, status, Final.OLD, "", lines=("x",), refusals=refusals)


def test_confirmation_sorts_the_fleet() -> None:
    plans = [
        outcome("A", Status.PLANNED),
        outcome("B", Status.PLANNED, ("interface Fa0/0 > shutdown: the WAN",)),
        outcome("C", Status.UNREACHABLE),
    ]
    asked = confirmation(plans, force=False)
    assert [p.host for p in asked.todo] == ["A"]
    assert [(p.host, p.status) for p in asked.held] == [
        ("B", Status.REFUSED),
        ("C", Status.UNREACHABLE),
    ]
    assert asked.expected == {"A": ("x",)}
    assert [p.status for p in asked.without_question()] == [
        Status.REFUSED,
        Status.REFUSED,
        Status.UNREACHABLE,
    ]
    assert [p.host for p in confirmation(plans, force=True).todo] == ["A", "B"]


def test_as_refused_says_how_many_lines() -> None:
    refused = as_refused(outcome("B", Status.PLANNED, ("a", "b")))
    assert dataclasses.astuple(refused)[1:3] == (Status.REFUSED, Final.OLD)
    assert refused.message == refusal_message(2)


def test_an_image_without_configure_replace_rolls_back_by_reload(itd: Site) -> None:
    old = itd.model_copy(
        update={"hardware": itd.hardware.model_copy(update={"image": "12.2(15)T"})}
    )
    p = plan(old, without_lan_description(old))
    assert (p.net, p.replace_ok, p.needs_reload_check) == (Net.RELOAD, False, True)
    assert p.reload_reason == "image 12.2(15)T has no `configure replace`"


FILTERED = (
    "interface FastEthernet0/0\n ip access-group WANIN in\n!\n"
    "line vty 0 4\n access-class 23 in\n!\n"
)


@pytest.mark.parametrize(
    ("lines", "reason"),
    [
        (
            (
                "no ip access-list extended WANIN",
                "ip access-list extended WANIN",
                " deny ip any any",
            ),
            "ACL WANIN, which filters interface FastEthernet0/0 in",
        ),
        (
            ("ip access-list extended WANIN", " permit tcp any any eq 22"),
            "ACL WANIN, which filters interface FastEthernet0/0 in",
        ),
        (("no access-list 23", "access-list 23 permit 10.10.0.0 0.0.255.255"), None),
    ],
    ids=["named-rewritten", "named-entry-added", "vty-acl"],
)
def test_an_acl_that_filters_the_session_is_on_the_management_path(
    itd: Site, lines: tuple[str, ...], reason: str | None
) -> None:
    """Between `no ip access-list extended WANIN` and its last entry the partial list's
    implicit deny can drop iosgen's session: refused without --force."""
    found = management_findings(itd, lines, (itd.management.host, None), configs=(FILTERED,))
    want = reason or "ACL 23, which filters the vty lines iosgen logs in through"
    assert found, lines
    assert {f.reason for f in found} == {want}


def test_an_acl_that_filters_nothing_on_the_path_is_not(itd: Site) -> None:
    lines = ("no access-list 10", "access-list 10 permit 192.168.99.0 0.0.0.255")
    found = management_findings(itd, lines, (itd.management.host, None), configs=(FILTERED,))
    assert found == ()
