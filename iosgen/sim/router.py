"""One simulated router's state: running and startup config, flash, faults, timers.

Sessions (several may be open at once) share this state; the fleet's test thread
reads it too, so every access goes through one lock.
"""

from __future__ import annotations

import ipaddress
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from iosgen.sim import facts, hardware
from iosgen.sim.config import Config, Line
from iosgen.sim.configmode import load_text
from iosgen.sim.faults import Fault
from iosgen.sim.secrets import md5_secret, md5_verify, type7_decode


@dataclass(frozen=True)
class RouterSpec:
    """What to simulate: a hostname, the account SSH accepts, where the config starts.

    initial_config None means "bare": the factory defaults plus the management
    account, `ip ssh version 2` and `transport input ssh` on the vty lines; a string
    is a config as `show running-config` prints it (the header is optional).
    """

    hostname: str
    username: str
    password: str
    enable_secret: str | None = None
    initial_config: str | None = None
    # The hardware: chassis model, modules by slot ("0/1": "HWIC-4ESW"), image version and
    # feature set. They decide which interfaces exist and which commands the image has.
    model: str = "2801"
    modules: tuple[tuple[str, str], ...] = ()
    image: str = "12.4(25d)"
    feature_set: str = "advipservicesk9"
    # seconds per IOS minute for `time N` / `revert timer N` / `reload in N` (tests shorten it)
    minute: float = 60.0
    # The leases the ISP's DHCP server gives: (interface, "A.B.C.D/N", gateway) each; an
    # `ip address dhcp` port takes its lease's address, `ip route ... dhcp` its gateway.
    # A port without one never gets an address (docs/sim-ipsec.md).
    dhcp: tuple[tuple[str, str, str], ...] = ()


def bare_config_text(spec: RouterSpec) -> str:
    """The bare start: factory defaults and SSH management only."""
    from iosgen.sim.facts import FACTORY_DEFAULTS

    lines = FACTORY_DEFAULTS.replace("hostname Router", f"hostname {spec.hostname}")
    lines = lines.replace("end\n", "")
    extra = []
    if spec.enable_secret is not None:
        extra.append(f"enable secret 5 {md5_secret(spec.enable_secret)}")
        extra.append(f"username {spec.username} secret 5 {md5_secret(spec.password)}")
    else:
        extra.append(f"username {spec.username} privilege 15 secret 5 {md5_secret(spec.password)}")
    extra += ["ip ssh version 2", "line vty 0 4", " transport input ssh"]
    return lines + "\n".join(extra) + "\nend\n"


def _stamp(t: float) -> str:
    # IOS: "10:32:53 UTC Fri Mar 1 2002"
    tm = time.gmtime(t)
    return time.strftime("%H:%M:%S UTC %a %b ", tm) + f"{tm.tm_mday} {tm.tm_year}"


@dataclass
class Router:
    spec: RouterSpec
    hw: hardware.Hardware = field(init=False)  # from the spec's model and modules
    running: Config = field(default_factory=Config)
    startup: str | None = None
    flash: dict[str, str] = field(default_factory=dict)
    faults: list[Fault] = field(default_factory=list)
    nat_active: bool = False
    booted: float = field(default_factory=time.time)
    last_change: tuple[float, str] | None = None
    nvram_updated: tuple[float, str] | None = None
    # what an armed revert timer goes back to: the config, or a text of it to load then
    rollback_to: Config | str | None = None
    rollback_handle: object | None = None
    archive_count: int = 0
    load_errors: list[str] = field(default_factory=list)  # lines the last boot refused
    reload_at: tuple[float, str] | None = None  # `reload in N`: when, and by whom
    reload_handle: object | None = None
    # set by the server: drop every SSH session (a reload does that)
    drop_sessions: Callable[[], None] | None = None
    lock: threading.RLock = field(default_factory=threading.RLock)
    # set by the server: schedules fn after seconds on the router's event loop
    schedule: Callable[[float, Callable[[], object]], object] | None = None
    cancel: Callable[[object], None] | None = None
    # the fleet's routers by hostname, shared by all of them (set by SimFleet): where a
    # Dialer's call goes (tunnels.py); None: a router alone
    network: dict[str, Router] | None = field(default=None, repr=False)
    debugs: set[str] = field(
        default_factory=set
    )  # `debug ppp authentication` -> "ppp authentication"

    def __post_init__(self) -> None:
        self.hw = hardware.profile(self.spec.model, self.spec.modules)
        self.boot()

    @property
    def hostname(self) -> str:
        return self.running.hostname

    def new_config(self) -> Config:
        """An empty config of this router: its hardware, image and DHCP leases."""
        cfg = Config(self.hw, self.spec.image, self.spec.feature_set)
        cfg.time_scale = self.spec.minute / 60
        for name, address, gateway in self.spec.dhcp:
            cfg.leases[name] = (ipaddress.IPv4Interface(address), ipaddress.IPv4Address(gateway))
        return cfg

    @property
    def held_lines(self) -> list[str]:
        """The lines the running config holds without understanding them (loaded, not
        known to the grammar), as `parent > child` paths in config order."""
        with self.lock:
            return self.running.held()

    @property
    def held_count(self) -> int:
        return len(self.held_lines)

    @property
    def refused_lines(self) -> list[str]:
        """The last boot's `load_errors` that are not held: lines the grammar knows but
        the config refused (`% ... overlaps with ...`), each with IOS's error."""
        with self.lock:
            held = {path.rsplit(" > ", 1)[-1] for path in self.running.held()}
            return [e for e in self.load_errors if e.split(": %", 1)[0] not in held]

    def vty_allows(self, protocol: str) -> bool:
        """Whether any vty line's `transport input` lets `protocol` ("ssh") log in."""
        with self.lock:
            return self.running.vty_allows(protocol)

    def boot(self) -> None:
        """Power on: the startup config if saved, else the spec's initial config."""
        text = self.startup
        if text is None:
            text = self.spec.initial_config or bare_config_text(self.spec)
        self.running = self.new_config()
        self.load_errors = load_text(self.running, text)
        self.booted = time.time()
        self.last_change = None
        self.cancel_rollback()

    def reset(self) -> None:
        """Back to the spec's start: initial running config, no startup config, empty flash."""
        with self.lock:
            self.startup = None
            self.nvram_updated = None
            self.flash.clear()
            self.archive_count = 0
            self.boot()
            self.nat_active = self.fault("nat-in-use") is not None

    # ---- faults ---------------------------------------------------------------------------
    def set_faults(self, faults: list[Fault]) -> None:
        with self.lock:
            self.faults = list(faults)
            self.nat_active = any(f.kind == "nat-in-use" for f in faults)

    def fault(self, kind: str) -> Fault | None:
        for f in self.faults:
            if f.kind == kind:
                return f
        return None

    def rejects(self, line: str) -> bool:
        return any(f.kind == "reject" and re.search(f.value, line) for f in self.faults)

    # ---- authentication and exec authorization (AAA) ---------------------------------------
    def _aaa(self) -> bool:
        return any(ln.words == ["aaa", "new-model"] and not ln.negated for ln in self.running.root)

    def _vty(self) -> list[Line]:
        for line in self.running.root:
            if line.words[:2] == ["line", "vty"] and line.children is not None:
                return list(line.children)
        return []

    def login_methods(self) -> list[str]:
        """The methods an SSH login on the vty lines goes through, in order.

        Under `aaa new-model`: the line's `login authentication NAME` list, else
        `aaa authentication login default`, else the local database alone (Cisco:
        with no default list only the local user database is checked). Without it:
        `login local` is the local database, `login` the line password; SSH needs a
        user name, so a line with neither also checks the local database.
        """
        if self._aaa():
            name = "default"
            for ln in self._vty():
                if ln.words[:2] == ["login", "authentication"]:
                    name = ln.words[2]
            for ln in self.running.root:
                if ln.words[:4] == ["aaa", "authentication", "login", name] and not ln.negated:
                    return _methods(ln.words[4:])
            return ["local"] if name == "default" else []  # a list never defined: nobody
        for ln in self._vty():
            if ln.words == ["login"] and not ln.negated:
                return ["line"]
        return ["local"]

    def check_login(self, username: str, password: str) -> bool:
        """Try the login methods in order; a method that errs (nothing to check
        against, a server unreachable) passes to the next, one that fails refuses.

        The spec's credentials also pass `local` as long as the account exists in the
        running config (whatever its secret there): a config that removes the
        management account locks the operator out, as on the real router.
        """
        if self.fault("bad-password"):
            return False
        with self.lock:
            for method in self.login_methods():
                verdict = self._try_method(method, username, password)
                if verdict is not None:
                    return verdict
        return False

    def login_refusal(self) -> str | None:
        """Why the spec's management login cannot log in over SSH, or None when it can
        (the login methods as `check_login` tries them, faults aside)."""
        spec = self.spec
        with self.lock:
            if not self.running.vty_allows("ssh"):
                return "no vty line lets SSH in (transport input)"
            methods = self.login_methods()
            for method in methods:
                verdict = self._try_method(method, spec.username, spec.password)
                if verdict is not None:
                    return None if verdict else f"login method {method} refuses it"
            if self._aaa() and not methods:
                return "the vty lines' login list is not defined (aaa new-model)"
            if not self._user_lines(spec.username):
                return f"no `username {spec.username}` and no other login method lets it in"
            return "no login method accepts it"

    def _try_method(self, method: str, username: str, password: str) -> bool | None:
        if method == "none":
            return True
        if method in ("local", "local-case"):
            every = [ln.words for ln in self.running.root if ln.words[0] == "username"]
            if not every:
                return None  # an empty local database is an error: the next method
            mine = [w for w in self._user_lines(username, method == "local-case") if _is_auth(w)]
            if any("nopassword" in w or _secret_ok(w, password) for w in mine):
                return True
            spec = self.spec
            return bool(mine) and username == spec.username and password == spec.password
        if method == "line":
            for ln in self._vty():
                if ln.words[0] == "password" and not ln.negated:
                    return _secret_ok(ln.words, password)
            return None
        if method == "enable":
            return self.check_enable(password)
        return None  # `group ...`: no server answers in the simulator

    def _user_lines(self, username: str, case: bool = False) -> list[list[str]]:
        """The `username` lines of one user (`local` matches the name in any case)."""
        want = username if case else username.lower()
        return [
            ln.words
            for ln in self.running.root
            if ln.words[0] == "username" and (ln.words[1] if case else ln.words[1].lower()) == want
        ]

    def _attributes_apply(self) -> bool:
        """Whether a local user's attributes (privilege, autocommand) take effect.

        Under `aaa new-model` they come through exec authorization only (`aaa
        authorization exec default local`); without it every vty login starts at
        level 1 and no autocommand runs. Without AAA, `login local` applies them.
        """
        if not self._aaa():
            return True
        return any(
            ln.words[:4] == ["aaa", "authorization", "exec", "default"]
            and "local" in ln.words[4:]
            and not ln.negated
            for ln in self.running.root
        )

    def privilege(self, username: str) -> int:
        """The level a login lands at: `R1#` at 15, `R1>` below."""
        with self.lock:
            mine = [w for w in self._user_lines(username) if _is_auth(w)]
            if mine:
                if not self._attributes_apply():
                    return 1
                w = mine[0]
                return int(w[w.index("privilege") + 1]) if "privilege" in w else 1
        return 1 if self.spec.enable_secret is not None else 15

    def autocommand(self, username: str) -> str | None:
        """The command the user's exec session runs at once (`username U autocommand C`);
        the session ends when it completes (no `nohangup` in the simulator)."""
        with self.lock:
            if not self._attributes_apply():
                return None
            for w in self._user_lines(username):
                if w[2:3] == ["autocommand"]:
                    return " ".join(w[3:])
        return None

    def check_enable(self, password: str) -> bool | None:
        """True/False for a password; None when no enable secret/password is set."""
        with self.lock:
            secret = self.running.value("enable", "secret")
            if secret is not None:
                return _secret_ok(secret.words, password)
            pw = self.running.value("enable", "password")
            if pw is not None:
                return _secret_ok(pw.words, password)
        return None

    # ---- configs ---------------------------------------------------------------------------
    def changed(self, user: str) -> None:
        self.last_change = (time.time(), user)

    def refresh_tunnels(self) -> None:
        """Give the running config what the fleet's tunnels make of it now."""
        from iosgen.sim import tunnels

        peers = self.network or {self.hostname: self}
        tunnels.refresh(self.running, {name: r.running for name, r in peers.items()})

    def running_text(self) -> str:
        with self.lock:
            body = self.running.text()  # kept until the config changes
            head = []
            if self.last_change:
                t, user = self.last_change
                head.append(facts.LAST_CHANGE.format(at=_stamp(t), user=user))
            if self.nvram_updated:
                t, user = self.nvram_updated
                head.append(facts.NVRAM_UPDATED.format(at=_stamp(t), user=user))
            if head:
                return "\n".join(["!", *head, body]) + "\n"
            return body + "\n"

    def save(self, user: str) -> None:
        with self.lock:
            self.nvram_updated = (time.time(), user)
            self.startup = self.running_text()
            if self.archive_setting("write-memory"):
                self.archive_now()

    def set_running(self, text: str) -> list[str]:
        with self.lock:
            cfg = self.new_config()
            errors = load_text(cfg, text)
            self.running = cfg
            return errors

    # ---- archive and rollback ----------------------------------------------------------------
    def archive_setting(self, word: str) -> list[str] | None:
        block = self.running.block("archive")
        if block is None or not block.children:
            return None
        for line in block.children:
            if line.words[0] == word:
                return line.words
        return None

    def archive_path(self) -> str | None:
        words = self.archive_setting("path")
        if not words:
            return None
        return words[1].replace("$h", self.hostname).replace("$t", "")

    def next_archive_name(self) -> str | None:
        path = self.archive_path()
        if path is None:
            return None
        return f"{path}-{self.archive_count + 1}"

    def archive_now(self) -> str | None:
        name = self.next_archive_name()
        if name is None:
            return None
        self.archive_count += 1
        self.flash[name.removeprefix("flash:")] = self.running_text()
        maximum = self.archive_setting("maximum")
        keep = int(maximum[1]) if maximum else 10
        path = self.archive_path() or ""
        old = self.archive_count - keep
        if old > 0:
            self.flash.pop(f"{path.removeprefix('flash:')}-{old}", None)
        return name

    def arm_rollback(self, minutes: int, before: Config | str) -> None:
        self.cancel_rollback()
        self.rollback_to = before
        if self.schedule is not None:
            self.rollback_handle = self.schedule(
                minutes * self.spec.minute, self.expire_rollback_timer
            )

    def cancel_rollback(self) -> bool:
        pending = self.rollback_to is not None
        if self.rollback_handle is not None and self.cancel is not None:
            self.cancel(self.rollback_handle)
        self.rollback_handle = None
        self.rollback_to = None
        return pending

    def arm_reload(self, minutes: int, user: str) -> None:
        self.cancel_reload()
        self.reload_at = (time.time() + minutes * self.spec.minute, user)
        if self.schedule is not None:
            self.reload_handle = self.schedule(minutes * self.spec.minute, self.reload_now)

    def cancel_reload(self) -> bool:
        pending = self.reload_at is not None
        if self.reload_handle is not None and self.cancel is not None:
            self.cancel(self.reload_handle)
        self.reload_handle = None
        self.reload_at = None
        return pending

    def reload_now(self) -> None:
        """The router restarts: every session drops, the startup config is loaded."""
        with self.lock:
            self.cancel_reload()
            self.boot()
        if self.drop_sessions is not None:
            self.drop_sessions()

    def expire_reload_timer(self) -> bool:
        """A `reload in N` comes due now. False if none is scheduled."""
        with self.lock:
            if self.reload_at is None:
                return False
        self.reload_now()
        return True

    def expire_rollback_timer(self) -> bool:
        """The `configure replace ... time N` timer ran out: go back. False if none armed."""
        with self.lock:
            if self.rollback_to is None:
                return False
            before = self.rollback_to
            if isinstance(before, str):
                text, before = before, self.new_config()
                load_text(before, text)
            self.running = before
            self.rollback_to = None
            self.rollback_handle = None
            self.changed("rollback")
            return True


def _methods(words: list[str]) -> list[str]:
    out: list[str] = []
    i = 0
    while i < len(words):
        if words[i] == "group":
            out.append(" ".join(words[i : i + 2]))
            i += 2
        else:
            out.append(words[i])
            i += 1
    return out


def _is_auth(words: list[str]) -> bool:
    """A user's own line (password, secret or nopassword), not one of its attributes."""
    return words[2:3] != ["autocommand"]


def _secret_ok(words: list[str], password: str) -> bool:
    value = words[-1]
    typ = words[-2] if len(words) >= 2 else ""
    if typ == "5":
        return md5_verify(password, value)
    if typ == "7":
        return type7_decode(value) == password
    return value == password
