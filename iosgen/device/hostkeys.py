"""Pinned SSH host keys: the known-hosts file, the key a targets file names, and the
netmiko IOS driver that checks them (instead of `~/.ssh/known_hosts`).

A router's key is accepted only if it is pinned, or if the operator said
`--accept-new-host-key` (then it is written to the known-hosts file). A key that
changed is always refused: a replaced router, or someone in the middle. netmiko
turns paramiko's host-key exceptions into timeouts, so what the check saw is kept
in a `KeyCheck` and read back after the connect failed.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from iosgen.model.targets import Target

DEFAULT_KNOWN_HOSTS = Path.home() / ".iosgen" / "known_hosts"

# (netmiko connection, host name, timeout): the session preparation after login
Prepare = Callable[[Any, str, float], None]


def host_key_name(host: str, port: int) -> str:
    """The known-hosts name of an address: `198.51.100.10`, or `[127.0.0.1]:2201`."""
    return host if port == 22 else f"[{host}]:{port}"


def fingerprint(key: Any) -> str:
    """OpenSSH's fingerprint of a key: `SHA256:` and base64 without padding."""
    digest = hashlib.sha256(key.asbytes()).digest()
    return "SHA256:" + base64.b64encode(digest).decode().rstrip("=")


@dataclass
class KeyCheck:
    """What the host-key check saw; netmiko turns paramiko's exceptions into timeouts."""

    accept: bool
    new_key: Any = None
    unknown_key: Any = None
    changed_key: Any = None


def host_keys(target: Target, known: Path | None) -> Any:
    """The keys pinned for this router: its known-hosts entries, then the targets file's.

    Only the entries under the router's own known-hosts name: paramiko looks the
    server's key up by that name alone, and a session holding the whole file would
    cost memory and time in proportion to the fleet (docs/performance.md, section 2).
    """
    import paramiko

    keys = paramiko.HostKeys()
    name = host_key_name(target.host, target.port)
    if known is not None:
        for line in _KNOWN.lines_for(known, name):
            entry = _entry(line)
            if entry is None:
                continue
            have = keys.lookup(name)
            if have is None or entry.key.get_name() not in have:
                # the first line for a (name, key type) wins, as in paramiko's own lookup
                keys.add(name, entry.key.get_name(), entry.key)
    if target.host_key:
        key_type, _, blob = target.host_key.strip().partition(" ")
        entry = paramiko.hostkeys.HostKeyEntry.from_line(f"{name} {key_type} {blob.split()[0]}")
        if entry is not None:
            for each in entry.hostnames:
                # The targets file is the authority for this address: it replaces
                # whatever an older known-hosts entry said.
                keys.pop(each, None)
                keys.add(each, entry.key.get_name(), entry.key)
    return keys


def _entry(line: str) -> Any:
    """One known-hosts line as paramiko's entry; None for a line it cannot read."""
    import paramiko

    try:
        return paramiko.hostkeys.HostKeyEntry.from_line(line)
    except (paramiko.SSHException, paramiko.hostkeys.InvalidHostKey, ValueError):
        return None


class _KnownHostsCache:
    """Each known-hosts file read once per process, its lines indexed by host name.

    Read again when the file's inode, size or modification time changes (another
    process accepted a key). Keys are parsed only for the host a session asks about.
    Hashed names (`|1|salt|hash`) cannot be indexed: they are kept apart and matched
    by hashing the name asked for, as paramiko does.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._files: dict[Path, tuple[tuple[int, int, int], _Index]] = {}

    def lines_for(self, path: Path, name: str) -> list[str]:
        index = self._index(path)
        found = list(index.plain.get(name, ()))
        if index.hashed and not name.startswith("|1|"):
            from paramiko.hostkeys import HostKeys

            for hashes, line in index.hashed:
                if any(HostKeys.hash_host(name, h) == h for h in hashes):
                    found.append(line)
        return found

    def _index(self, path: Path) -> _Index:
        try:
            st = path.stat()
        except FileNotFoundError:
            return _Index()
        stamp = (st.st_ino, st.st_size, st.st_mtime_ns)
        with self._lock:
            cached = self._files.get(path)
            if cached is not None and cached[0] == stamp:
                return cached[1]
        index = _Index.read(path)
        with self._lock:
            self._files[path] = (stamp, index)
        return index

    def forget(self, path: Path) -> None:
        with self._lock:
            self._files.pop(path, None)


@dataclass
class _Index:
    plain: dict[str, list[str]] = field(default_factory=dict)
    hashed: list[tuple[list[str], str]] = field(default_factory=list)

    @classmethod
    def read(cls, path: Path) -> _Index:
        index = cls()
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
        except FileNotFoundError:
            return index
        for raw in text.splitlines():
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            names = line.split(None, 1)[0].split(",")
            hashed = [n for n in names if n.startswith("|1|")]
            if hashed:
                index.hashed.append((hashed, line))
            for n in names:
                if not n.startswith("|1|"):
                    index.plain.setdefault(n, []).append(line)
        return index


_KNOWN = _KnownHostsCache()


def remember_key(target: Target, known: Path | None, key: Any) -> None:
    """Append a newly accepted key to the known-hosts file (nothing without one).

    Under an exclusive lock (fcntl) on the file itself, so that sessions of this and
    other iosgen processes accepting keys at once each add their line and lose none.
    A line already there for the host and key type is left as it is: the file's key
    stays the pinned one (a changed key is refused, never silently replaced).
    """
    import fcntl

    if known is None:
        return
    name = host_key_name(target.host, target.port)
    known.parent.mkdir(parents=True, exist_ok=True)
    with open(known, "a+", encoding="utf-8") as f:
        fcntl.flock(f.fileno(), fcntl.LOCK_EX)
        try:
            f.seek(0)
            text = f.read()
            for raw in text.splitlines():
                fields = raw.split()
                if (
                    len(fields) >= 2
                    and name in fields[0].split(",")
                    and fields[1] == key.get_name()
                ):
                    return
            head = "" if not text or text.endswith("\n") else "\n"
            f.write(f"{head}{name} {key.get_name()} {key.get_base64()}\n")
            f.flush()
        finally:
            fcntl.flock(f.fileno(), fcntl.LOCK_UN)
    _KNOWN.forget(known)


def connection_class(prepare: Prepare) -> Any:
    """netmiko's IOS driver with our host keys and a fast close (loaded lazily: heavy).

    `prepare` replaces netmiko's session preparation (its fixed sleeps)."""
    import logging

    import paramiko

    # paramiko's transport thread logs "Socket exception: Broken pipe" when a router
    # drops the session; with no handler Python prints that on stderr. The drop is
    # reported as a SessionLost where it matters.
    logging.getLogger("paramiko").addHandler(logging.NullHandler())
    from netmiko.cisco.cisco_ios import CiscoIosSSH

    class _Policy(paramiko.MissingHostKeyPolicy):  # type: ignore[misc]
        def __init__(self, check: KeyCheck) -> None:
            self.check = check

        def missing_host_key(self, client: Any, hostname: str, key: Any) -> None:
            if not self.check.accept:
                self.check.unknown_key = key
                raise paramiko.SSHException(f"unknown host key {fingerprint(key)}")
            self.check.new_key = key
            client.get_host_keys().add(hostname, key.get_name(), key)

    class _Client(paramiko.SSHClient):  # type: ignore[misc]
        def __init__(self, check: KeyCheck) -> None:
            super().__init__()
            self.check = check

        def connect(self, *args: Any, **kwargs: Any) -> None:
            from iosgen.device import kex

            # the cheaper client key exchange, on this client's transport only
            kwargs.setdefault("transport_factory", kex.transport_factory())
            try:
                super().connect(*args, **kwargs)
            except paramiko.BadHostKeyException as exc:
                self.check.changed_key = exc.key
                raise

    class PinnedIosSSH(CiscoIosSSH):
        """Builds its paramiko client from our pinned keys instead of ~/.ssh."""

        def __init__(self, *args: Any, iosgen_keys: Any, iosgen_check: KeyCheck, **kw: Any):
            self._iosgen_keys = iosgen_keys
            self._iosgen_check = iosgen_check
            super().__init__(*args, **kw)

        def _build_ssh_client(self) -> Any:
            client = _Client(self._iosgen_check)
            for hostname, keys in self._iosgen_keys.items():
                for key_type, key in keys.items():
                    client.get_host_keys().add(hostname, key_type, key)
            client.set_missing_host_key_policy(_Policy(self._iosgen_check))
            return client

        def _try_session_preparation(self, force_data: bool = True) -> None:
            try:
                prepare(self, self.host, float(self.conn_timeout) + 5.0)
            except Exception:
                self.disconnect()
                raise

        def cleanup(self, command: str = "exit") -> None:
            # netmiko checks the mode first (a round trip); iosgen always leaves
            # config mode itself, so `exit` ends the exec session at once.
            with contextlib.suppress(Exception):
                self.write_channel(command + self.RETURN)

    return PinnedIosSSH


__all__ = [
    "DEFAULT_KNOWN_HOSTS",
    "KeyCheck",
    "connection_class",
    "fingerprint",
    "host_key_name",
    "host_keys",
    "remember_key",
]
