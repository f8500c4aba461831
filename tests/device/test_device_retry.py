"""A failed SSH handshake is tried once more, then the router is unreachable (exit 3)."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from iosgen.device import Device, DeviceOptions
from iosgen.errors import DeviceError
from iosgen.secret import Secret
from iosgen.targets import Target


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
