"""The session layer against the simulator over SSH: host keys, enable, answers, logs."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from iosgen.device.session import (
    AuthError,
    CommandError,
    ConfigLineError,
    Device,
    DeviceOptions,
    HostKeyError,
    SessionLost,
)
from iosgen.errors import DeviceError
from iosgen.model.secret import Secret
from iosgen.model.sshoptions import SshOptions
from iosgen.model.targets import Target
from iosgen.sim import Fault, SimFleet

# the sim's account for R-DEV (tests/device/conftest.py)
PASSWORD = "device-pw-4417"
ENABLE = "device-en-9051"


def unpinned(target: Target) -> Target:
    return dataclasses.replace(target, host_key=None)


def test_unknown_host_key_is_refused(target: Target, known: Path) -> None:
    with pytest.raises(HostKeyError, match="is not known") as info:
        Device(unpinned(target), DeviceOptions(known_hosts=known)).connect()
    assert info.value.hint is not None and "--accept-new-host-key" in info.value.hint
    assert not known.exists()


def test_accepted_host_key_is_remembered(target: Target, known: Path) -> None:
    options = DeviceOptions(known_hosts=known, accept_new_host_key=True)
    with Device(unpinned(target), options) as dev:
        assert dev.running_config().startswith("Building configuration...")
    assert f"[127.0.0.1]:{target.port} ssh-rsa " in known.read_text()
    # the next session needs no acceptance: the key is known now
    with Device(unpinned(target), DeviceOptions(known_hosts=known)) as dev:
        assert "hostname R-DEV" in dev.running_config()


def test_targets_file_key_is_trusted(target: Target, known: Path) -> None:
    with Device(target, DeviceOptions(known_hosts=known)) as dev:
        assert "hostname R-DEV" in dev.running_config()
    assert not known.exists()  # trusted, not learnt


def test_changed_host_key_is_refused_even_when_accepting(
    sim: SimFleet, target: Target, known: Path
) -> None:
    with Device(unpinned(target), DeviceOptions(known_hosts=known, accept_new_host_key=True)):
        pass
    sim.set_faults("R-DEV", [Fault("R-DEV", "new-host-key")])
    options = DeviceOptions(known_hosts=known, accept_new_host_key=True)
    with pytest.raises(HostKeyError, match="has CHANGED"):
        Device(unpinned(target), options).connect()
    with pytest.raises(HostKeyError, match="has CHANGED"):
        Device(target, options).connect()  # the targets file pins the old key too


def test_wrong_enable_secret(target: Target, known: Path) -> None:
    wrong = dataclasses.replace(target, enable_secret=Secret("nope"))
    with pytest.raises(AuthError, match="the enable secret was refused"):
        Device(wrong, DeviceOptions(known_hosts=known)).connect()


def test_wrong_password(sim: SimFleet, target: Target, known: Path) -> None:
    sim.set_faults("R-DEV", [Fault("R-DEV", "bad-password")])
    with pytest.raises(AuthError, match="login as 'netops' was refused"):
        Device(target, DeviceOptions(known_hosts=known)).connect()


@pytest.mark.parametrize("typeahead", [0, 8192], ids=["one-line-at-a-time", "pipelined"])
def test_config_answers_and_refusal(target: Target, known: Path, typeahead: int) -> None:
    with Device(target, DeviceOptions(known_hosts=known, typeahead_bytes=typeahead)) as dev:
        answers = dev.send_config(["interface FastEthernet0/1", "description LAN", "exit"])
        assert [a.answer for a in answers] == ["", "", ""]
        seen: list[str] = []
        with pytest.raises(ConfigLineError) as info:
            dev.send_config(
                ["ip route 10.0.0.0 255.0.0.0", "hostname X"], on_line=lambda a: seen.append(a.note)
            )
        assert info.value.line == "ip route 10.0.0.0 255.0.0.0"
        assert info.value.answer == "% Incomplete command."
        assert info.value.sent == 0
        if typeahead:
            # typed ahead: IOS ran it before iosgen read the refusal (a push rolls it back)
            assert "hostname X" in dev.running_config()
            assert seen[1].startswith("typed ahead")
        else:
            assert "hostname R-DEV" in dev.running_config()  # the next line was never sent
            assert len(seen) == 1
        assert dev.alive


def test_unknown_question_fails_at_once_and_drops_the_session(target: Target, known: Path) -> None:
    with Device(target, DeviceOptions(known_hosts=known)) as dev:
        with pytest.raises(ConfigLineError, match="IOS asked a question") as info:
            dev.send_config(["do reload"])
        assert "Save? [yes/no]:" in info.value.answer
        assert not dev.alive
        with pytest.raises(SessionLost):
            dev.running_config()


def test_flash_dialogues(sim: SimFleet, target: Target, known: Path) -> None:
    with Device(target, DeviceOptions(known_hosts=known)) as dev:
        dev.copy_running_to("iosgen-test.cfg")
        assert "iosgen-test.cfg" in sim.router("R-DEV").flash_files()
        dev.delete_file("iosgen-test.cfg")
        assert "iosgen-test.cfg" not in sim.router("R-DEV").flash_files()
        with pytest.raises(CommandError, match="Error"):
            dev.configure_replace("iosgen-missing.cfg")


def test_dropped_session_is_session_lost(sim: SimFleet, target: Target, known: Path) -> None:
    sim.set_faults("R-DEV", [Fault("R-DEV", "drop-after", "1")])
    with Device(target, DeviceOptions(known_hosts=known)) as dev:
        with pytest.raises(SessionLost):
            dev.send_config(["interface FastEthernet0/1", "description LAN"])
        assert not dev.alive


def test_session_log_holds_no_secret(target: Target, known: Path, tmp_path: Path) -> None:
    log = tmp_path / "session.log"
    chap = "chap-clear-7731"
    options = DeviceOptions(known_hosts=known, session_log=log, hide=(chap,))
    with Device(target, options) as dev:
        dev.send_config(
            [
                "interface Dialer2",
                f"ppp chap password 0 {chap}",
                "exit",
                "username ivan password 7 060F192042030D1C0818",
            ]
        )
        shown = dev.running_config()
    text = log.read_text(encoding="utf-8")
    assert "ppp chap password 0 <redacted>" in text  # the echo, masked by what it is
    assert "show running-config" in text and "username ivan password 7 <redacted>" in text
    for secret in (PASSWORD, ENABLE, chap, "060F192042030D1C0818"):
        assert secret not in text
    hashes = [w for w in shown.split() if w.startswith("$1$")]
    assert hashes and not any(h in text for h in hashes)


def test_slow_router_answers_stay_in_step(sim: SimFleet, target: Target, known: Path) -> None:
    # every answer 20 ms late while echoes come at once: an answer read late must
    # never be taken for the answer to the next command
    sim.set_faults("R-DEV", [Fault("R-DEV", "delay-ms", "20")])
    for _ in range(2):
        with Device(target, DeviceOptions(known_hosts=known)) as dev:
            assert "hostname R-DEV" in dev.running_config()
            dev.copy_running_to("iosgen-slow.cfg")
            answers = dev.send_config(["interface FastEthernet0/1", "description slow"])
            assert [a.answer for a in answers] == ["", ""]
            dev.delete_file("iosgen-slow.cfg")
    assert "iosgen-slow.cfg" not in sim.router("R-DEV").flash_files()


def test_running_config_is_what_ios_prints(sim: SimFleet, target: Target, known: Path) -> None:
    with Device(target, DeviceOptions(known_hosts=known)) as dev:
        text = dev.running_config()
    assert text.startswith("Building configuration...\n\nCurrent configuration : ")
    assert text.endswith("\nend\n")  # IOS's blank line after `end`, no prompt
    body = text.split("\n", 3)[3]
    assert body == sim.router("R-DEV").running_config()


def test_host_key_algorithms_of_the_config_file_count_for_a_router(
    target: Target, known: Path, tmp_path: Path
) -> None:
    """IOS 12.4 has an RSA host key alone (`ssh-rsa`): an ssh_config that allows
    ed25519 alone finds none, as OpenSSH would; `+ssh-rsa` logs in."""
    config = tmp_path / "ssh_config"
    config.write_text(
        f"Host r-dev\n  HostName 127.0.0.1\n  Port {target.port}\n  HostKeyAlgorithms ssh-ed25519\n"
    )
    aliased = dataclasses.replace(
        target, host="r-dev", port=22, ssh=SshOptions(config_file=str(config))
    )
    with pytest.raises(DeviceError) as caught:
        Device(aliased, DeviceOptions(known_hosts=known)).connect()
    assert "host key" in caught.value.message.lower()
    config.write_text(config.read_text().replace("ssh-ed25519", "+ssh-rsa"))
    with Device(aliased, DeviceOptions(known_hosts=known)) as dev:
        assert "hostname R-DEV" in dev.running_config()
