"""Many simulated routers in one process: one asyncio loop on a background thread.

`with SimFleet([...], state_dir=...) as fleet:` returns once every router listens
and the targets file (YAML keyed by hostname) is written; leaving the block stops
them. Host keys persist in `state_dir/hostkeys/` so a restart presents the same key.
"""

from __future__ import annotations

import asyncio
import gc
import os
import threading
from collections.abc import Coroutine, Iterable
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any, TypeVar

import asyncssh

from iosgen.sim import hardware
from iosgen.sim.faults import Fault
from iosgen.sim.router import Router, RouterSpec
from iosgen.sim.server import RouterServer, load_or_create_key, private_dir, public_key_text

T = TypeVar("T")
TARGETS_FILE = "sim-targets.yaml"


@dataclass(frozen=True)
class Target:
    """How to reach one simulated router."""

    host: str
    port: int
    username: str
    password: str
    secret: str | None
    host_key: str


class RouterHandle:
    """Test-side access to one router's state (thread-safe)."""

    def __init__(self, router: Router) -> None:
        self._router = router

    def running_config(self) -> str:
        """What `show running-config` prints, from the first `!` through `end`."""
        return self._router.running_text()

    def startup_config(self) -> str | None:
        with self._router.lock:
            return self._router.startup

    def set_running(self, text: str) -> list[str]:
        """Replace the running config by typing `text` into an empty one; returns errors."""
        return self._router.set_running(text)

    def flash_files(self) -> dict[str, str]:
        with self._router.lock:
            return dict(self._router.flash)

    def reset(self) -> None:
        """Back to the spec's start: initial running config, no startup config, empty flash."""
        self._router.reset()

    @property
    def load_errors(self) -> list[str]:
        """Lines of the initial/startup config the last boot refused, with IOS's error."""
        with self._router.lock:
            return list(self._router.load_errors)

    @property
    def held_lines(self) -> list[str]:
        """Lines the running config holds without understanding them (`parent > child`)."""
        return self._router.held_lines

    @property
    def held_count(self) -> int:
        return self._router.held_count

    @property
    def refused_lines(self) -> list[str]:
        """`load_errors` less the held lines: what the config refused though known."""
        return self._router.refused_lines

    def login_refusal(self) -> str | None:
        """Why the management login (the spec's account) cannot log in, or None."""
        return self._router.login_refusal()

    def expire_rollback_timer(self) -> bool:
        """Fire a pending `configure replace ... time N` rollback now (False if none)."""
        return self._router.expire_rollback_timer()

    def expire_reload_timer(self) -> bool:
        """Make a pending `reload in N` happen now (False if none)."""
        return self._router.expire_reload_timer()

    @property
    def reload_pending(self) -> bool:
        with self._router.lock:
            return self._router.reload_at is not None

    @property
    def rollback_pending(self) -> bool:
        with self._router.lock:
            return self._router.rollback_to is not None

    def tunnels(self) -> dict[str, str]:
        """Each Dialer's session as the fleet has it now: "up", or why it is down."""
        from iosgen.sim import tunnels

        with self._router.lock:
            self._router.refresh_tunnels()
            view = self._router.running.live
            assert isinstance(view, tunnels.Live)
            return {s.dialer: s.reason or "up" for s in view.dials}

    @property
    def nat_translations(self) -> bool:
        return self._router.nat_active


class SimFleet:
    """Simulated IOS 12.4 routers on 127.0.0.1, one SSH port each."""

    def __init__(
        self,
        specs: Iterable[RouterSpec],
        state_dir: Path | str,
        faults: Iterable[Fault] = (),
        modern_ssh: bool = False,
        targets_file: Path | str | None = None,
    ) -> None:
        self.specs = list(specs)
        names = [s.hostname.lower() for s in self.specs]
        if len(set(names)) != len(names):
            raise ValueError("two routers with the same hostname")
        for s in self.specs:  # an unknown model or module: refused before anything starts
            try:
                hardware.profile(s.model, s.modules)
            except ValueError as exc:
                raise ValueError(f"{s.hostname}: {exc}") from None
        self.state_dir = Path(state_dir)
        self.modern_ssh = modern_ssh
        self.targets_file = Path(targets_file) if targets_file else self.state_dir / TARGETS_FILE
        self._faults = list(faults)
        self._routers: dict[str, Router] = {}
        self._servers: dict[str, RouterServer] = {}
        self._keys: dict[str, asyncssh.SSHKey] = {}
        self.targets: dict[str, Target] = {}
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None

    # ---- lifecycle ----------------------------------------------------------------------
    def __enter__(self) -> SimFleet:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def start(self) -> None:
        private_dir(self.state_dir)  # host keys live there
        loop = asyncio.new_event_loop()
        self._loop = loop
        ready = threading.Event()

        def run() -> None:
            asyncio.set_event_loop(loop)
            loop.call_soon(ready.set)
            loop.run_forever()

        self._thread = threading.Thread(target=run, name="iosgen-sim", daemon=True)
        self._thread.start()
        ready.wait()
        try:
            self._call(self._start_all())
        except BaseException:
            self.stop()
            raise
        # The routers' config trees are most of the process's objects (~2,000 each) and
        # live as long as it does: out of the collector's sight, a full collection in a
        # fleet of 1,000 walks the sessions' objects only, not two million of theirs.
        gc.freeze()
        self._write_targets()

    def stop(self) -> None:
        loop = self._loop
        if loop is None:
            return
        if loop.is_running():
            try:
                self._call(self._stop_all(), timeout=10)
            finally:
                loop.call_soon_threadsafe(loop.stop)
        if self._thread is not None:
            self._thread.join(timeout=10)
        loop.close()
        self._loop = None

    def _call(self, coro: Coroutine[Any, Any, T], timeout: float = 120) -> T:
        assert self._loop is not None
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result(timeout)

    async def _start_all(self) -> None:
        for spec in self.specs:
            router = Router(spec)
            router.set_faults([f for f in self._faults if f.applies_to(spec.hostname)])
            self._routers[spec.hostname] = router
            router.network = self._routers  # one dict: each router sees the others
            key = self._key_for(spec.hostname, router.fault("new-host-key") is not None)
            self._keys[spec.hostname] = key
            self._servers[spec.hostname] = RouterServer(router, key, self.modern_ssh)
        ports = await asyncio.gather(*(s.start() for s in self._servers.values()))
        for spec, port in zip(self.specs, ports, strict=True):
            self.targets[spec.hostname] = Target(
                host="127.0.0.1",
                port=port,
                username=spec.username,
                password=spec.password,
                secret=spec.enable_secret,
                host_key=public_key_text(self._keys[spec.hostname]),
            )

    async def _stop_all(self) -> None:
        await asyncio.gather(*(s.stop() for s in self._servers.values()))

    def _key_for(self, hostname: str, new: bool) -> asyncssh.SSHKey:
        path = self.state_dir / "hostkeys" / f"{hostname}.key"
        key = load_or_create_key(path)
        if new:
            return load_or_create_key(self.state_dir / "hostkeys" / f"{hostname}.new.key")
        return key

    def _write_targets(self) -> None:
        lines = ["# iosgen sim: simulated routers on loopback (written once all listen)"]
        for name, t in self.targets.items():
            lines.append(f"{_q(name)}:")
            lines.append("  host: 127.0.0.1")
            lines.append(f"  port: {t.port}")
            lines.append(f"  username: {_q(t.username)}")
            lines.append(f"  password: {_q(t.password)}")
            lines.append(f"  secret: {_q(t.secret) if t.secret is not None else 'null'}")
            lines.append(f"  host_key: {_q(t.host_key)}")
        tmp = self.targets_file.with_suffix(".tmp")
        self.targets_file.parent.mkdir(parents=True, exist_ok=True)
        # It holds the routers' passwords: readable by the owner only.
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write("\n".join(lines) + "\n")
        tmp.replace(self.targets_file)

    # ---- access ------------------------------------------------------------------------------
    def router(self, hostname: str) -> RouterHandle:
        for name, router in self._routers.items():
            if name.lower() == hostname.lower():
                return RouterHandle(router)
        raise KeyError(hostname)

    def set_faults(self, host: str, faults: Iterable[Fault]) -> None:
        """Replace the faults of one router (or every router with host "*")."""
        new = list(faults)
        for name, router in self._routers.items():
            if host != "*" and name.lower() != host.lower():
                continue
            mine = [f for f in new if f.applies_to(name)]
            before = router.fault("new-host-key") is not None
            router.set_faults(mine)
            after = router.fault("new-host-key") is not None
            if before != after:
                key = self._key_for(name, after)
                self._keys[name] = key
                self._call(self._servers[name].restart(key))
                old = self.targets[name]
                self.targets[name] = Target(
                    old.host,
                    old.port,
                    old.username,
                    old.password,
                    old.secret,
                    public_key_text(key),
                )


def _q(value: str) -> str:
    """A YAML double-quoted scalar."""
    out = value.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{out}"'
