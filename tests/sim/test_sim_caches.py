"""What the simulator keeps between answers (docs/simulator.md, Speed) stays true: the
rendered config follows every change, a cached login check still refuses a wrong
password, and `configure replace` with the running config itself keeps the revert timer
able to go back."""

from __future__ import annotations

from iosgen.sim.router import Router, RouterSpec
from iosgen.sim.secrets import md5_secret, md5_verify
from iosgen.sim.shell import Shell


def session() -> Shell:
    shell = Shell(Router(RouterSpec("R1", "netops", "pw")), "netops")
    shell.feed("terminal length 0\n")
    return shell


def say(shell: Shell, text: str) -> str:
    return "".join(t for t, answer in shell.feed(text) if answer)


def fresh(router: Router) -> str:
    """The config body rendered now, with nothing kept."""
    return "\n".join(router.running.render())


def test_the_rendered_config_follows_every_kind_of_change() -> None:
    shell = session()
    r = shell.r
    typed = [
        "interface Loopback1",  # a block
        "ip address 10.1.1.1 255.255.255.255",  # a child
        "exit",
        "ip access-list extended X",
        "permit ip any any",
        "no 10",  # a named-list entry by number
        "exit",
        "banner motd ^Chello^C",  # a banner
        "no banner motd",
        "line vty 0 15",  # vty ranges split and merged
        "transport input ssh",
        "exit",
        "service password-encryption",  # rewrites every clear password
        "no interface Loopback1",
    ]
    say(shell, "configure terminal\n")
    for line in typed:
        before = r.running.text()
        say(shell, line + "\n")
        assert r.running.text() == fresh(r), line
        assert r.running.text() != before or line in ("exit",), line
    say(shell, "end\n")
    # a loaded line the grammar does not know is held (Config.hold), and goes with `no`
    r.set_running(r.running_text() + "\nfrobnicate the widget\n")
    assert "frobnicate the widget" in r.running.text() == fresh(r)
    say(shell, "configure terminal\n")
    say(shell, "no frobnicate the widget\n")
    assert "frobnicate" not in r.running.text()
    assert r.running.text() == fresh(r)


def test_show_run_is_the_same_text_until_a_change_and_the_header_moves() -> None:
    shell = session()
    first = say(shell, "show running-config\n")
    assert say(shell, "show running-config\n") == first
    say(shell, "configure terminal\n")
    say(shell, "hostname R9\n")
    say(shell, "end\n")
    after = say(shell, "show running-config\n")
    assert "hostname R9" in after and "! Last configuration change at" in after


def test_a_cached_login_check_still_refuses_a_wrong_password() -> None:
    hashed = md5_secret("right")
    for _ in range(3):  # the second and third answers come from the cache
        assert md5_verify("right", hashed)
        assert not md5_verify("wrong", hashed)
        assert not md5_verify("right", md5_secret("other"))
    router = Router(RouterSpec("R1", "netops", "pw"))
    assert router.check_login("netops", "pw") and router.check_login("netops", "pw")
    assert not router.check_login("netops", "pW")


def test_replace_with_the_running_config_then_the_timer_goes_back() -> None:
    shell = session()
    r = shell.r
    say(shell, "configure terminal\n")
    for line in ("archive", "path flash:R1-cfg", "exit", "interface Loopback5", "end"):
        say(shell, line + "\n")
    say(shell, "copy running-config flash:point\n")
    say(shell, "\n")
    kept = r.running
    assert say(shell, "configure replace flash:point force time 5\n").endswith("R1#")
    assert r.running is kept  # nothing to change: nothing loaded
    assert r.rollback_to is not None
    say(shell, "configure terminal\n")
    say(shell, "interface Loopback6\n")
    say(shell, "end\n")
    assert "interface Loopback6" in r.running_text()
    assert r.expire_rollback_timer()
    text = r.running_text()
    assert "interface Loopback5" in text and "interface Loopback6" not in text


def test_replace_with_another_config_loads_it() -> None:
    shell = session()
    r = shell.r
    say(shell, "copy running-config flash:bare\n")
    say(shell, "\n")
    say(shell, "configure terminal\n")
    say(shell, "interface Loopback7\n")
    say(shell, "end\n")
    kept = r.running
    say(shell, "configure replace flash:bare force\n")
    assert r.running is not kept
    assert "interface Loopback7" not in r.running_text()
