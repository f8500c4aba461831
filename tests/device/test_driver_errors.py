"""The device exceptions live in iosgen.errors; device.session keeps the old names."""

from __future__ import annotations

import pytest

import iosgen.device.session as session
import iosgen.errors as errors

NAMES = ["HostKeyError", "AuthError", "SessionLost", "ConfigLineError", "CommandError"]


@pytest.mark.parametrize("name", NAMES, ids=NAMES)
def test_session_re_exports_the_error(name: str) -> None:
    assert getattr(session, name) is getattr(errors, name)
    assert issubclass(getattr(errors, name), errors.DeviceError)


def test_a_refused_line_prints_no_secret_and_exits_1() -> None:
    exc = errors.ConfigLineError(
        "R-ITD", " ppp chap password 0 hunter2", "% Invalid input detected at '^' marker.", 3
    )
    assert "hunter2" not in exc.message
    assert exc.message.endswith("% Invalid input detected at '^' marker.")
    assert (exc.exit_code, exc.sent) == (errors.EXIT_FINDINGS, 3)
