"""A failed SSH handshake is tried once more, then the router is unreachable (exit 3)."""

from __future__ import annotations

import errno
import os
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from iosgen.device.session import Device, DeviceOptions, _connect_reason
from iosgen.errors import DeviceError
from iosgen.model.secret import Secret
from iosgen.model.targets import Target


@pytest.fixture
def hangup_server() -> Iterator[tuple[int, list[int]]]:
    """A TCP port that accepts and hangs up at once, like an overloaded SSH daemon."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    accepted: list[int] = []
    stop = threading.Event()

    def serve() -> None:
        server.settimeout(0.1)
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except TimeoutError:
                continue
            accepted.append(1)
            conn.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield server.getsockname()[1], accepted
    stop.set()
    thread.join()
    server.close()


def target(port: int) -> Target:
    return Target("R-X", "127.0.0.1", port, "netops", Secret("pw"), Secret("en"))


def test_a_failed_handshake_is_tried_again(
    hangup_server: tuple[int, list[int]], tmp_path: Path
) -> None:
    port, accepted = hangup_server
    options = DeviceOptions(known_hosts=tmp_path / "known_hosts", conn_timeout=2.0)
    with pytest.raises(DeviceError) as caught:
        Device(target(port), options).connect()
    assert len(accepted) == 2
    assert caught.value.exit_code == 3
    assert "pw" not in str(caught.value)


def test_a_refused_connection_is_unreachable(tmp_path: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # closed again: nothing listens there
    options = DeviceOptions(known_hosts=tmp_path / "known_hosts", conn_timeout=2.0)
    with pytest.raises(DeviceError, match="unreachable") as caught:
        Device(target(port), options).connect()
    assert caught.value.exit_code == 3
    assert caught.value.message == (
        f"R-X: unreachable at 127.0.0.1:{port}: connection refused (nothing listens on that port)"
    )


# --- one reason per way a connection fails (netmiko's own text hides it) ----------------


def test_a_hang_up_before_the_greeting_says_so(
    hangup_server: tuple[int, list[int]], tmp_path: Path
) -> None:
    port, _ = hangup_server
    options = DeviceOptions(known_hosts=tmp_path / "kh", conn_timeout=2.0, connect_retries=0)
    with pytest.raises(DeviceError) as caught:
        Device(target(port), options).connect()
    assert caught.value.message == (
        f"R-X: unreachable at 127.0.0.1:{port}: closed before the SSH greeting "
        "(a busy router, or not an SSH server)"
    )


def test_a_silent_port_is_no_handshake_within_the_timeout(tmp_path: Path) -> None:
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()  # the kernel completes the handshake; nobody ever speaks
        port = server.getsockname()[1]
        options = DeviceOptions(known_hosts=tmp_path / "kh", conn_timeout=0.5, connect_retries=0)
        with pytest.raises(DeviceError) as caught:
            Device(target(port), options).connect()
    assert caught.value.message == (
        f"R-X: unreachable at 127.0.0.1:{port}: no SSH handshake within 0.5 s "
        "(a busy router, or not an SSH server)"
    )


def test_a_name_that_does_not_resolve(tmp_path: Path) -> None:
    # .invalid never resolves (RFC 6761)
    t = Target("R-X", "router.invalid", 22, "netops", Secret("pw"))
    options = DeviceOptions(known_hosts=tmp_path / "kh", connect_retries=0)
    with pytest.raises(DeviceError) as caught:
        Device(t, options).connect()
    assert caught.value.message.startswith(
        "R-X: unreachable at router.invalid:22: the host name does not resolve ("
    )


@pytest.mark.parametrize(
    ("exc", "reason"),
    [
        (TimeoutError("timed out"), "no answer within 5 s (connection timed out)"),
        (
            OSError(errno.ENETUNREACH, os.strerror(errno.ENETUNREACH)),
            f"no route to the host ({os.strerror(errno.ENETUNREACH)})",
        ),
        (
            OSError(errno.EHOSTUNREACH, os.strerror(errno.EHOSTUNREACH)),
            f"no route to the host ({os.strerror(errno.EHOSTUNREACH)})",
        ),
    ],
    ids=["timeout", "network-unreachable", "host-unreachable"],
)
def test_reasons_found_under_netmikos_wrapper(exc: OSError, reason: str) -> None:
    """What the socket raises where no packet comes back (a firewall, no route): found
    under netmiko's `TCP connection to device failed.` checklist, as netmiko raises it."""
    from netmiko.exceptions import NetmikoTimeoutException

    try:
        try:
            raise exc
        except OSError:
            raise NetmikoTimeoutException("TCP connection to device failed.\n\nCommon...")  # noqa: B904
    except NetmikoTimeoutException as wrapped:
        assert _connect_reason(wrapped, 5.0) == reason
