"""The safe push end to end: real netmiko over SSH against the simulated R-ITD."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from pushkit import SECRETS, Bench, leaks

from iosgen.build.ios import render
from iosgen.diff.audit import audit_site
from iosgen.model.site import Site
from iosgen.push import Final, PushOptions, Status, push_host
from iosgen.push.engine import body
from iosgen.sim import Fault


def assert_old(bench: Bench, before: str, outcome: Any) -> None:
    """The router runs `before` again; after a first push's archive step, plus that block."""
    now = body(bench.router.running_config())
    if outcome.archive_first:
        assert "archive" in now
        start = now.index("archive")
        end = next(i for i in range(start + 1, len(now)) if not now[i].startswith(" "))
        now = now[:start] + now[end:]
    assert now == body(before)


def forced(bench: Bench, **kw: Any) -> PushOptions:
    return dataclasses.replace(bench.options, force=True, **kw)


def test_bare_to_intended_then_in_sync_then_nothing(bench: Bench, itd: Site) -> None:
    outcome = push_host(itd, bench.target, dataclasses.replace(bench.options, force=True))
    assert outcome.status is Status.PUSHED, outcome.message
    assert outcome.final is Final.NEW
    assert outcome.saved
    running = bench.router.running_config()
    assert audit_site(itd, running).status == "in_sync"
    # saved, and the rollback point is gone again
    assert bench.router.startup_config() is not None
    assert not [f for f in bench.router.flash_files() if f.startswith("iosgen-rollback-")]
    again = push_host(itd, bench.target, bench.options)
    assert again.status is Status.IN_SYNC
    assert again.final is Final.NEW
    assert again.sent == ()
    assert body(bench.router.running_config()) == body(running)


def test_dry_run_touches_nothing(bench: Bench, itd: Site) -> None:
    before = bench.router.running_config()
    outcome = push_host(itd, bench.target, dataclasses.replace(bench.options, dry_run=True))
    assert outcome.status is Status.PLANNED
    assert outcome.lines and outcome.sent == ()
    assert bench.router.running_config() == before
    assert bench.router.startup_config() is None
    assert list(bench.router.flash_files()) == [
        f for f in bench.router.flash_files() if not f.startswith("iosgen")
    ]
    assert not (bench.tmp / "history").exists()
    # the plan shows no secret, nor do the management-path findings
    shown = "\n".join(outcome.lines)
    assert "<redacted>" in shown
    assert leaks(shown) == []
    assert leaks("\n".join(outcome.refusals)) == []
    assert "username netops privilege 15 secret 5 <redacted>: the management account 'netops'" in (
        outcome.refusals
    )


def test_refused_on_management_path_without_force(bench: Bench, itd: Site) -> None:
    before = bench.router.running_config()
    outcome = push_host(itd, bench.target, bench.options)
    assert outcome.status is Status.REFUSED
    assert outcome.final is Final.OLD
    assert any(r.startswith("aaa new-model:") for r in outcome.refusals)
    assert bench.router.running_config() == before


def test_dropped_session_rolls_back_to_old(bench: Bench, itd: Site) -> None:
    before = bench.router.running_config()
    bench.fleet.set_faults("R-ITD", [Fault("R-ITD", "drop-after", "5")])
    # no timer: no archive step first, so the drop lands in the plan's own lines
    outcome = push_host(itd, bench.target, forced(bench, revert_minutes=0))
    assert outcome.status is Status.ROLLED_BACK, outcome.message
    assert outcome.final is Final.OLD
    assert "reconnected to roll back" in outcome.notes
    assert len(outcome.sent) == 5  # IOS took five lines, then the session ended
    assert outcome.failing_line == outcome.lines[5].strip()
    assert_old(bench, before, outcome)
    assert "OLD" in outcome.where()


def test_session_log_keeps_the_lines_sent_before_a_reconnect(bench: Bench, itd: Site) -> None:
    """The rollback's new session appends: the lines IOS took before the drop stay."""
    logs = bench.tmp / "logs-drop"
    bench.fleet.set_faults("R-ITD", [Fault("R-ITD", "drop-after", "5")])
    options = forced(bench, revert_minutes=0, session_log_dir=logs)
    outcome = push_host(itd, bench.target, options)
    assert outcome.status is Status.ROLLED_BACK, outcome.message
    text = (logs / "R-ITD.log").read_text(encoding="utf-8")
    first = outcome.sent[0].line
    assert first in text and "configure replace" in text
    assert text.index(first) < text.index("configure replace")


def test_rejected_line_rolls_back_with_ios_answer(bench: Bench, itd: Site) -> None:
    before = bench.router.running_config()
    bench.fleet.set_faults("R-ITD", [Fault("R-ITD", "reject", r"^ip route ")])
    outcome = push_host(itd, bench.target, forced(bench))
    assert outcome.status is Status.ROLLED_BACK
    assert outcome.final is Final.OLD
    assert outcome.failing_line == "ip route 10.10.0.0 255.255.0.0 Dialer2"
    assert outcome.ios_answer is not None
    assert "% Invalid input detected at '^' marker." in outcome.ios_answer
    assert_old(bench, before, outcome)
    assert not [f for f in bench.router.flash_files() if f.startswith("iosgen-rollback-")]


def test_slow_router_still_pushes(bench: Bench, itd: Site) -> None:
    bench.fleet.set_faults("R-ITD", [Fault("R-ITD", "delay-ms", "5")])
    outcome = push_host(itd, bench.target, forced(bench))
    assert outcome.status is Status.PUSHED, outcome.message
    assert audit_site(itd, bench.router.running_config()).status == "in_sync"


def test_wrong_password_is_unreachable_and_untouched(bench: Bench, itd: Site) -> None:
    before = bench.router.running_config()
    bench.fleet.set_faults("R-ITD", [Fault("R-ITD", "bad-password")])
    outcome = push_host(itd, bench.target, forced(bench))
    assert outcome.status is Status.UNREACHABLE
    assert outcome.final is Final.OLD
    assert "login as 'netops' was refused" in outcome.message
    assert bench.router.running_config() == before


def test_changed_host_key_is_refused(bench: Bench, itd: Site) -> None:
    before = bench.router.running_config()
    bench.fleet.set_faults("R-ITD", [Fault("R-ITD", "new-host-key")])
    outcome = push_host(
        itd,
        bench.target,
        forced(bench, device=dataclasses.replace(bench.options.device, accept_new_host_key=True)),
    )
    assert outcome.status is Status.UNREACHABLE
    assert "has CHANGED" in outcome.message
    assert bench.router.running_config() == before


def test_wrong_enable_secret_is_a_clear_error(bench: Bench, itd: Site) -> None:
    from iosgen.model.secret import Secret

    target = dataclasses.replace(bench.target, enable_secret=Secret("not-the-secret"))
    outcome = push_host(itd, target, forced(bench))
    assert outcome.status is Status.UNREACHABLE
    assert "the enable secret was refused" in outcome.message


def _at_intended(bench: Bench, site: Site) -> str:
    errors = bench.router.set_running(render(site).text)
    assert errors == []
    return bench.router.running_config()


def test_nat_mapping_removed_in_use_answers_yes_never_clears_the_table(
    bench: Bench, itd: Site
) -> None:
    _at_intended(bench, itd)
    bench.fleet.set_faults("R-ITD", [Fault("R-ITD", "nat-in-use")])
    sofia = itd.pptp_clients["sofia"].model_copy(update={"nat": False})
    site = itd.model_copy(update={"pptp_clients": {"sofia": sofia}})
    outcome = push_host(site, bench.target, bench.options)
    assert outcome.status is Status.PUSHED, outcome.message
    answered = [s for s in outcome.sent if s.note]
    assert [s.line for s in answered] == [
        "no ip nat inside source route-map VPN interface Dialer2 overload"
    ]
    assert "answered 'yes'" in answered[0].note
    assert any("answered 'yes'" in n for n in outcome.notes)  # said in the output too
    assert not any("clear ip nat" in s.line for s in outcome.sent)
    assert not any("clear ip nat" in n for n in outcome.notes)
    # the table was never emptied: the other mapping's translations are still there
    assert bench.router.nat_translations
    assert audit_site(site, bench.router.running_config()).status == "in_sync"


def test_history_has_no_secret(bench: Bench, itd: Site) -> None:
    import re

    bench.fleet.set_faults("R-ITD", [Fault("R-ITD", "reject", r"^ip route ")])
    failed = push_host(itd, bench.target, forced(bench))
    bench.fleet.set_faults("R-ITD", [])
    pushed = push_host(itd, bench.target, forced(bench))
    assert failed.history is not None and pushed.history is not None
    # every secret value IOS prints for this router (type 7, type 5), and the clear ones
    values = set(SECRETS)
    for text in (render(itd).text, bench.router.running_config()):
        values |= set(re.findall(r"(?:password|secret) [57] (\S+)", text))
    files = [p for d in (failed.history, pushed.history) for p in sorted(d.iterdir())]
    assert {p.name for p in files} >= {"push.json", "push.txt", "before.cfg", "after.cfg"}
    for path in files:
        text = path.read_text(encoding="utf-8")
        leaks = [v for v in values if v in text]
        assert leaks == [], f"{path.name} leaks {len(leaks)} secret(s)"
    record = json.loads((pushed.history / "push.json").read_text())
    assert record["status"] == "pushed" and record["final"] == "new"
    assert len(record["sent"]) == len(pushed.sent)
    assert "ppp chap password 7 <redacted>" in (pushed.history / "push.txt").read_text()


def _telnet_too(site: Site) -> Site:
    """A change on the vty lines: on the management path, so it needs --force."""
    return site.model_copy(
        update={"ssh": site.ssh.model_copy(update={"vty_transport": "telnet ssh"})}
    )


def test_forced_management_change_arms_and_confirms_revert_timer(bench: Bench, itd: Site) -> None:
    _at_intended(bench, itd)
    site = _telnet_too(itd)
    refused = push_host(site, bench.target, bench.options)
    assert refused.status is Status.REFUSED
    assert refused.refusals == (
        "line vty 0 4 > transport input telnet ssh: the vty lines iosgen logs in through",
    )
    outcome = push_host(site, bench.target, forced(bench))
    assert outcome.status is Status.PUSHED, outcome.message
    assert outcome.revert_minutes == 5
    assert any(n.startswith("configure confirm") for n in outcome.notes)
    assert not bench.router.rollback_pending
    assert audit_site(site, bench.router.running_config()).status == "in_sync"


def test_lost_router_rolls_itself_back_with_the_timer(bench: Bench, itd: Site) -> None:
    before = _at_intended(bench, itd)
    site = _telnet_too(itd)

    def cut(host: str, sent: object) -> None:
        # the change has just cut iosgen off: the session drops and no login works
        bench.fleet.set_faults(
            "R-ITD", [Fault("R-ITD", "drop-after", "0"), Fault("R-ITD", "bad-password")]
        )

    # line by line: the drop-after fault cuts at the next config line, which a
    # pipelined push has typed already (its cut-offs are in the fault campaign)
    device = dataclasses.replace(bench.options.device, typeahead_bytes=0)
    outcome = push_host(site, bench.target, forced(bench, device=device), on_line=cut)
    assert outcome.status is Status.FAILED
    assert outcome.final is Final.OLD  # by the timer, which the message says
    assert "revert timer restores the old config within 5 min" in outcome.message
    assert outcome.where() == (
        "iosgen lost the router: its revert timer puts the OLD config back within 5 min"
    )
    assert bench.router.rollback_pending
    assert bench.router.expire_rollback_timer()
    assert_old(bench, before, outcome)


class _DropsLastLine:
    """The real engine, but its remediation forgets one line: verification must catch it."""

    def __init__(self) -> None:
        from iosgen.push import AuditEngine

        self.real = AuditEngine()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.real, name)

    def remediate(self, site: Site, intended: str, running: str) -> Any:
        plan = self.real.remediate(site, intended, running)
        return dataclasses.replace(plan, lines=plan.lines[:-1], masked=plan.masked[:-1])


def test_drift_after_push_rolls_back(bench: Bench, itd: Site) -> None:
    before = bench.router.running_config()
    outcome = push_host(itd, bench.target, forced(bench), engine=_DropsLastLine())
    assert outcome.status is Status.ROLLED_BACK
    assert outcome.final is Final.OLD
    assert outcome.drift_after == (
        "+ ip nat inside source route-map VPN interface Dialer2 overload",
    )
    assert_old(bench, before, outcome)


def _via_tunnel(site: Site) -> Site:
    """R-ITD managed from head office: iosgen's address (127.0.0.1 here) lies behind sofia."""
    from ipaddress import IPv4Network

    sofia = site.pptp_clients["sofia"]
    nets = [*sofia.remote_networks, IPv4Network("127.0.0.0/8")]
    return site.model_copy(
        update={"pptp_clients": {"sofia": sofia.model_copy(update={"remote_networks": nets})}}
    )


def test_tunnel_carrying_management_is_refused(bench: Bench, itd: Site) -> None:
    site = _via_tunnel(itd)
    _at_intended(bench, site)
    sofia = site.pptp_clients["sofia"].model_copy(update={"mtu": 1400})
    changed = site.model_copy(update={"pptp_clients": {"sofia": sofia}})
    outcome = push_host(changed, bench.target, bench.options)
    assert outcome.status is Status.REFUSED
    assert outcome.refusals == (
        "interface Dialer2 > mtu 1400: tunnel 'sofia' (Dialer2), through which the "
        "management address is reached",
    )
    # the same change on a tunnel that does not carry management goes through
    plain = itd.model_copy(
        update={
            "pptp_clients": {"sofia": itd.pptp_clients["sofia"].model_copy(update={"mtu": 1400})}
        }
    )
    _at_intended(bench, itd)
    assert push_host(plain, bench.target, bench.options).status is Status.PUSHED


def test_refused_secret_line_is_reported_masked(bench: Bench, itd: Site) -> None:
    bench.fleet.set_faults("R-ITD", [Fault("R-ITD", "reject", r"^ppp chap password")])
    outcome = push_host(itd, bench.target, forced(bench))
    assert outcome.status is Status.ROLLED_BACK
    assert outcome.failing_line == "ppp chap password 7 <redacted>"
    assert "IOS refused 'ppp chap password 7 <redacted>'" in outcome.message
    assert leaks(outcome.message) == []
    assert leaks(json.dumps(outcome.as_dict())) == []


def test_ctrl_c_mid_push_rolls_back(bench: Bench, itd: Site) -> None:
    before = bench.router.running_config()

    def interrupt(host: str, sent: object) -> None:
        if sent is not None and len(calls) == 2:
            raise KeyboardInterrupt
        calls.append(host)

    calls: list[str] = []
    outcome = push_host(itd, bench.target, forced(bench), on_line=interrupt)
    assert outcome.status is Status.ROLLED_BACK
    assert outcome.message.startswith("interrupted by the operator; rolled back to flash:")
    assert_old(bench, before, outcome)


def test_session_log_of_a_push_holds_no_secret(bench: Bench, itd: Site) -> None:
    logs = bench.tmp / "logs"
    outcome = push_host(itd, bench.target, forced(bench, session_log_dir=logs))
    assert outcome.status is Status.PUSHED
    text = (logs / "R-ITD.log").read_text(encoding="utf-8")
    assert "ppp chap password 7 <redacted>" in text  # the echo of the line typed
    assert "show running-config" in text and "write memory" in text
    assert leaks(text) == []


def test_first_push_sends_archive_alone_then_arms_the_timer(bench: Bench, itd: Site) -> None:
    bare = bench.router.running_config()
    outcome = push_host(itd, bench.target, forced(bench, revert_minutes=5))
    assert outcome.status is Status.PUSHED, outcome.message
    assert outcome.archive_first and outcome.safety_net == "revert timer"
    archive = [s.line for s in outcome.sent[:5]]
    assert archive[0] == "archive" and any(a.startswith("path flash:") for a in archive)
    assert any("sent on its own first" in n for n in outcome.notes)
    assert any(n.startswith("armed the router's own rollback") for n in outcome.notes)
    assert audit_site(itd, bench.router.running_config()).status == "in_sync"
    assert not bench.router.rollback_pending
    assert bare != bench.router.running_config()


def test_first_push_lost_mid_way_heals_by_the_timer(bench: Bench, itd: Site) -> None:
    """The riskiest push (AAA, the management account on a bare router) is protected too."""
    bare = bench.router.running_config()
    sent: list[object] = []

    def cut(host: str, line: object) -> None:
        sent.append(line)
        if len(sent) == 12:  # past the archive step, in the middle of AAA and users
            bench.fleet.set_faults(
                "R-ITD", [Fault("R-ITD", "drop-after", "0"), Fault("R-ITD", "bad-password")]
            )

    outcome = push_host(itd, bench.target, forced(bench), on_line=cut)
    assert outcome.status is Status.FAILED
    assert outcome.final is Final.OLD
    assert bench.router.rollback_pending
    assert bench.router.expire_rollback_timer()
    healed = bench.router.running_config()
    # the old config plus the archive block the first step added (and kept)
    assert "archive" in body(healed)
    assert [ln for ln in body(healed) if ln in body(bare)] == body(bare)


def test_refused_configure_confirm_rolls_back_instead_of_claiming_new(
    bench: Bench, itd: Site
) -> None:
    before = _at_intended(bench, itd)
    bench.fleet.set_faults("R-ITD", [Fault("R-ITD", "reject", r"^configure confirm")])
    outcome = push_host(_telnet_too(itd), bench.target, forced(bench))
    assert outcome.status is not Status.PUSHED, outcome.message
    assert outcome.final is Final.OLD
    assert audit_site(itd, bench.router.running_config()).status == "in_sync"
    assert_old(bench, before, outcome)


def test_nat_mapping_retyped_while_in_use_is_removed_first(bench: Bench, itd: Site) -> None:
    line = "ip nat inside source route-map VPN interface Dialer2 overload"
    old = line.replace("Dialer2", "FastEthernet0/0")
    repointed = render(itd).text.replace(line, old)
    assert bench.router.set_running(repointed) == []
    bench.fleet.set_faults("R-ITD", [Fault("R-ITD", "nat-in-use")])
    outcome = push_host(itd, bench.target, bench.options)
    assert outcome.status is Status.PUSHED, outcome.message
    lines = [s.line for s in outcome.sent]
    assert lines.index(f"no {old}") == lines.index(line) - 1
    removed = outcome.sent[lines.index(f"no {old}")]
    assert "answered 'yes'" in removed.note
    assert any("re-typed" in n for n in outcome.notes)
    assert not any("clear ip nat" in x for x in lines)
    assert bench.router.nat_translations  # no `clear ip nat translation *`
    assert audit_site(itd, bench.router.running_config()).status == "in_sync"


def test_ctrl_c_while_verifying_rolls_back_and_says_so(bench: Bench, itd: Site) -> None:
    from iosgen.push.engine import AuditEngine

    class InterruptedWhileVerifying(AuditEngine):
        def drift(self, site: Site, intended: str, running: str) -> tuple[str, ...]:
            raise KeyboardInterrupt

    before = bench.router.running_config()
    outcome = push_host(itd, bench.target, forced(bench), engine=InterruptedWhileVerifying())
    assert outcome.status is Status.ROLLED_BACK, outcome.message
    assert outcome.final is Final.OLD
    assert outcome.message.startswith("interrupted by the operator; rolled back to flash:")
    assert_old(bench, before, outcome)
