"""A banner typed through the session layer, over SSH, into a router that prints no
prompt while it takes a banner's text (iosgen.ios.dialogs, BANNER_TEXT_RE)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from iosgen.device.session import ConfigLineError, Device, DeviceOptions
from iosgen.model.targets import Target
from iosgen.sim import SimFleet

OPTIONS = {"read_timeout": 30.0}


@pytest.mark.parametrize(
    ("lines", "printed"),
    [
        (
            ["banner motd ^C", "Authorized only", "^C"],
            "banner motd ^C\nAuthorized only\n^C\n",
        ),
        (
            ["banner login #", "Line one", "", "  indented #"],
            "banner login ^C\nLine one\n\n  indented ^C\n",
        ),
        (["banner exec ^COne line^C"], "banner exec ^COne line^C\n"),
    ],
    ids=["caret-c", "hash-blank-and-mid-line-delimiter", "closed-on-its-line"],
)
def test_banner_lines_are_typed_and_answered(
    sim: SimFleet, target: Target, known: Path, lines: list[str], printed: str
) -> None:
    with Device(target, DeviceOptions(known_hosts=known, **OPTIONS)) as dev:
        start = time.monotonic()
        answers = dev.send_config([*lines, "hostname R-BANNER"])
        took = time.monotonic() - start
        assert dev.alive
    assert len(answers) == len(lines) + 1  # one answer per line, as the push records them
    if len(lines) > 1:
        assert answers[0].answer.startswith("Enter TEXT message.  End with the character ")
    assert all(a.answer == "" for a in answers[1:])
    running = sim.router("R-DEV").running_config()
    assert printed in running
    assert "hostname R-BANNER" in running  # the line after the banner is a command again
    assert took < 10  # no wait on a prompt that never comes (the read timeout is 30 s)


def test_a_refused_line_after_the_banner_is_caught(target: Target, known: Path) -> None:
    with Device(target, DeviceOptions(known_hosts=known, **OPTIONS)) as dev:
        with pytest.raises(ConfigLineError) as info:
            dev.send_config(["banner motd ^C", "text", "^C", "ip route 10.0.0.0 255.0.0.0"])
        assert info.value.sent == 3
        assert info.value.answer == "% Incomplete command."
