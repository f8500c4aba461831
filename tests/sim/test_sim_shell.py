"""The CLI session without SSH: characters in, IOS's answers out."""

from __future__ import annotations

from iosgen.sim.router import Router, RouterSpec
from iosgen.sim.shell import Shell


def session(enable_secret: str | None = None) -> Shell:
    shell = Shell(Router(RouterSpec("R1", "netops", "pw", enable_secret)), "netops")
    shell.feed("terminal length 0\n")
    return shell


def say(shell: Shell, text: str) -> str:
    """Type `text`; the answers only (echo dropped)."""
    return "".join(t for t, answer in shell.feed(text) if answer)


def test_echo_prompt_and_empty_line() -> None:
    shell = session()
    chunks = shell.feed("show clock\r\n")
    assert chunks[0] == ("show clock\n", False)
    assert chunks[1][0].endswith("R1#")
    assert say(shell, "\n") == "R1#"
    assert say(shell, "\r") == "R1#"


def test_backspace_edits_the_line() -> None:
    shell = session()
    assert say(shell, "show clocx\x7fk\n").startswith("*")


def test_user_mode_enable_and_disable() -> None:
    shell = session(enable_secret="en")
    assert shell.prompt() == "R1>"
    assert "% Invalid input" in say(shell, "show running-config\n")
    assert say(shell, "enable\n") == "Password: "
    assert shell.feed("en") == []  # a password is not echoed
    assert say(shell, "\n") == "R1#"
    assert say(shell, "disable\n") == "R1>"


def test_no_enable_password_set() -> None:
    shell = Shell(
        Router(RouterSpec("R1", "u", "p", initial_config="hostname R1\nusername u secret p\n")), "u"
    )
    assert shell.prompt() == "R1>"
    assert say(shell, "enable\n") == "% No password set\n\nR1>"


def test_pipes() -> None:
    shell = session()
    assert say(shell, "show running-config | include ^line\n") == (
        "line con 0\nline aux 0\nline vty 0 4\nR1#"
    )
    assert say(shell, "sh run | count ^interface\n") == (
        "Number of lines which match regexp = 2\nR1#"
    )
    out = say(shell, "show running-config | exclude ^!\n")
    assert "\n!\n" not in out and "hostname R1\n" in out
    assert say(shell, "show running-config | begin ^scheduler\n") == (
        "scheduler allocate 20000 1000\nend\nR1#"
    )
    assert "% Invalid input" in say(shell, "show running-config | frob x\n")


def test_flash_dialogues() -> None:
    shell = session()
    assert say(shell, "copy running-config flash:a.cfg\n") == "Destination filename [a.cfg]? "
    assert "bytes copied in" in say(shell, "\n")
    assert say(shell, "copy run flash:a.cfg\n") == "Destination filename [a.cfg]? "
    assert say(shell, "\n").endswith("Do you want to over write? [confirm]\n")
    assert "bytes copied in" in say(shell, "\n")
    assert (
        say(shell, "more flash:nothing\n") == "%Error opening flash:nothing (File not found)\nR1#"
    )
    say(shell, "delete flash:nothing\n")
    out = say(shell, "\n")
    assert out == "Delete flash:nothing? [confirm]"
    assert say(shell, "\n") == "%Error deleting flash:nothing (No such file or directory)\nR1#"
    assert shell.r.flash.keys() == {"a.cfg"}


def test_archive_on_write_memory() -> None:
    shell = session()
    say(shell, "configure terminal\n")
    for line in ["archive", "path flash:$h-cfg", "maximum 2", "write-memory", "end"]:
        say(shell, line + "\n")
    for _ in range(3):
        assert say(shell, "write memory\n") == "Building configuration...\n[OK]\nR1#"
    assert sorted(shell.r.flash) == ["R1-cfg-2", "R1-cfg-3"]
    out = say(shell, "show archive\n")
    assert "The next archive file will be named flash:R1-cfg-4" in out
    assert "flash:R1-cfg-3 <- Most Recent" in out


def test_configure_replace_asks_without_force() -> None:
    shell = session()
    say(shell, "copy running-config flash:x\n")
    say(shell, "\n")
    assert say(shell, "configure replace flash:x\n").endswith("? [no]: ")
    assert say(shell, "no\n") == "R1#"
    assert say(shell, "configure replace flash:missing force\n") == (
        "%Error opening flash:missing (File not found)\nR1#"
    )
    assert say(shell, "configure replace flash:x force time 5\n").startswith("%")
    assert say(shell, "configure terminal revert timer 5\n").endswith(
        "% Invalid input detected at '^' marker.\n\nR1#"
    )


def test_ctrl_z_and_exit_levels() -> None:
    shell = session()
    say(shell, "conf t\n")
    assert say(shell, "vpdn-group 1\n") == "R1(config-vpdn)#"
    assert say(shell, "accept-dialin\n") == "R1(config-vpdn-acc-in)#"
    assert say(shell, "exit\n") == "R1(config-vpdn)#"
    assert say(shell, "exit\n") == "R1(config)#"
    assert say(shell, "interface Loopback0\n") == "R1(config-if)#"
    assert say(shell, "\x1a") == "R1#"
    assert say(shell, "exit\n") == "" and shell.closed


def test_unknown_word_at_exec_is_a_host_name() -> None:
    shell = session()
    assert say(shell, "frobnicate\n").startswith('Translating "frobnicate"...domain server')
    say(shell, "conf t\n")
    say(shell, "no ip domain lookup\n")
    say(shell, "end\n")
    assert say(shell, "frobnicate\n").startswith('Translating "frobnicate"\n% Unknown command')


def test_reject_fault_applies_to_exec_lines_too() -> None:
    from iosgen.sim.faults import Fault

    shell = session()
    shell.r.set_faults([Fault("R1", "reject", r"^configure replace")])
    assert say(shell, "configure replace flash:x force\n") == (
        "   ^\n% Invalid input detected at '^' marker.\n\nR1#"
    )
    assert say(shell, "show clock\n").startswith("*")


def test_config_session_follows_a_replaced_running_config() -> None:
    shell = session()
    say(shell, "configure terminal\n")
    say(shell, "interface Dialer4\n")
    shell.r.set_running("hostname R1\nend\n")  # e.g. a rollback timer fired
    say(shell, "description after\n")  # no longer in an interface: refused
    say(shell, "interface Dialer5\n")
    say(shell, "mtu 1400\n")
    text = shell.r.running_text()
    assert "Dialer4" not in text
    assert "interface Dialer5\n mtu 1400\n" in text


def test_aaa_new_model_needs_exec_authorization_for_the_user_privilege() -> None:
    base = "hostname R1\nusername u privilege 15 secret p\n"
    plain = Router(RouterSpec("R1", "u", "p", initial_config=base))
    assert plain.privilege("u") == 15
    aaa = Router(RouterSpec("R1", "u", "p", initial_config=base + "aaa new-model\n"))
    assert aaa.privilege("u") == 1  # lands at `R1>` and must `enable`
    authorized = Router(
        RouterSpec(
            "R1",
            "u",
            "p",
            initial_config=base + "aaa new-model\naaa authorization exec default local\n",
        )
    )
    assert authorized.privilege("u") == 15
