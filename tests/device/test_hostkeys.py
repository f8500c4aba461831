"""The known-hosts file: read once per process, only the router's own keys per session,
and keys accepted by many processes at once all kept (the append is locked)."""

from __future__ import annotations

import base64
import dataclasses
import multiprocessing
import multiprocessing.synchronize
import os
from pathlib import Path

import paramiko
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from iosgen.device import hostkeys
from iosgen.device.hostkeys import host_key_name, host_keys, remember_key
from iosgen.model.secret import Secret
from iosgen.model.targets import Target


def new_key() -> paramiko.PKey:
    public = Ed25519PrivateKey.generate().public_key()
    text = public.public_bytes(serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH)
    kind, blob = text.decode().split()
    return paramiko.PKey.from_type_string(kind, base64.b64decode(blob))


def target(port: int) -> Target:
    return Target(f"R{port}", "127.0.0.1", port, "u", Secret("p"))


def line(port: int, key: paramiko.PKey) -> str:
    return f"{host_key_name('127.0.0.1', port)} {key.get_name()} {key.get_base64()}\n"


@pytest.fixture
def fleet_file(tmp_path: Path) -> tuple[Path, list[paramiko.PKey]]:
    keys = [new_key() for _ in range(4)]
    known = tmp_path / "known_hosts"
    known.write_text("".join(line(2000 + n, keys[n % 4]) for n in range(1000)))
    return known, keys


def test_a_session_holds_only_its_own_router_s_keys(
    fleet_file: tuple[Path, list[paramiko.PKey]],
) -> None:
    known, keys = fleet_file
    got = host_keys(target(2007), known)
    assert list(got.keys()) == ["[127.0.0.1]:2007"]
    assert got["[127.0.0.1]:2007"]["ssh-ed25519"].asbytes() == keys[3].asbytes()
    assert list(host_keys(target(3999), known).keys()) == []


def test_the_file_is_read_once_until_it_changes(
    fleet_file: tuple[Path, list[paramiko.PKey]], monkeypatch: pytest.MonkeyPatch
) -> None:
    known, _keys = fleet_file
    reads: list[Path] = []
    original = hostkeys._Index.read

    def counted(path: Path) -> hostkeys._Index:
        reads.append(path)
        return original(path)

    monkeypatch.setattr(hostkeys._Index, "read", staticmethod(counted))
    hostkeys._KNOWN.forget(known)
    for port in range(2000, 2200):
        assert host_keys(target(port), known).lookup(f"[127.0.0.1]:{port}") is not None
    assert len(reads) == 1
    # another process appends a key: the next session sees it
    fresh = new_key()
    with known.open("a") as f:
        f.write(line(5000, fresh))
    assert host_keys(target(5000), known)["[127.0.0.1]:5000"]["ssh-ed25519"] == fresh
    assert len(reads) == 2


def test_a_hashed_name_is_found(tmp_path: Path) -> None:
    key = new_key()
    name = paramiko.HostKeys.hash_host("[127.0.0.1]:2201")
    known = tmp_path / "known_hosts"
    known.write_text(f"{name} {key.get_name()} {key.get_base64()}\n# a comment\n\ngarbage\n")
    got = host_keys(target(2201), known)
    assert got["[127.0.0.1]:2201"]["ssh-ed25519"] == key
    assert host_keys(target(2202), known).lookup("[127.0.0.1]:2202") is None


def test_the_first_line_of_a_host_wins_as_in_paramiko(tmp_path: Path) -> None:
    first, second = new_key(), new_key()
    known = tmp_path / "known_hosts"
    known.write_text(line(2201, first) + line(2201, second))
    ours = host_keys(target(2201), known)["[127.0.0.1]:2201"]["ssh-ed25519"]
    theirs = paramiko.HostKeys(str(known))["[127.0.0.1]:2201"]["ssh-ed25519"]
    assert ours == theirs == first


def test_the_targets_file_key_replaces_the_known_hosts_one(tmp_path: Path) -> None:
    old, pinned = new_key(), new_key()
    known = tmp_path / "known_hosts"
    known.write_text(line(2201, old))
    t = dataclasses.replace(target(2201), host_key=f"{pinned.get_name()} {pinned.get_base64()}")
    assert host_keys(t, known)["[127.0.0.1]:2201"]["ssh-ed25519"] == pinned


def test_remember_key_appends_and_never_replaces(tmp_path: Path) -> None:
    known = tmp_path / "sub" / "known_hosts"
    a, b = new_key(), new_key()
    remember_key(target(2201), known, a)
    remember_key(target(2202), known, b)
    remember_key(target(2201), known, b)  # a key is pinned: not replaced by another
    assert known.read_text() == line(2201, a) + line(2202, b)
    assert host_keys(target(2201), known)["[127.0.0.1]:2201"]["ssh-ed25519"] == a
    remember_key(target(2203), None, a)  # no file: nothing written, no error


def _accept_many(known: str, first: int, start: multiprocessing.synchronize.Event) -> None:
    key = new_key()
    start.wait()
    for port in range(first, first + 25):
        remember_key(target(port), Path(known), key)


def test_keys_accepted_by_many_processes_at_once_are_all_kept(tmp_path: Path) -> None:
    known = tmp_path / "known_hosts"
    known.write_text("no-newline-at-the-end ssh-ed25519 AAAA")
    context = multiprocessing.get_context("fork")
    start = context.Event()
    procs = [
        context.Process(target=_accept_many, args=(str(known), 3000 + 100 * n, start))
        for n in range(6)
    ]
    for p in procs:
        p.start()
    start.set()
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    lines = known.read_text().splitlines()
    assert lines[0] == "no-newline-at-the-end ssh-ed25519 AAAA"
    names = [entry.split()[0] for entry in lines[1:]]
    expected = {f"[127.0.0.1]:{3000 + 100 * n + i}" for n in range(6) for i in range(25)}
    assert len(names) == len(expected) and set(names) == expected
    for port in (3000, 3524):
        assert host_keys(target(port), known).lookup(f"[127.0.0.1]:{port}") is not None
    assert os.path.getsize(known) == len(known.read_bytes())
