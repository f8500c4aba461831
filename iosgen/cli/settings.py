"""Settings shared by the commands, from the environment or a config file.

Five settings, each the default of the option of the same name in every command
that has it: the command line wins, then the environment, then the file, then the
option's own default. The file is `./iosgen.toml`, else
`$XDG_CONFIG_HOME/iosgen/config.toml` (`~/.config/iosgen/config.toml`):

    inventory = "inventory"          # -i / --inventory
    targets = "targets.yaml"         # --targets
    workers = 10                     # --workers
    known-hosts = "~/.iosgen/known_hosts"   # --known-hosts
    migrations = ".iosgen/migrations"       # migrate --state-dir; read by every loader

Relative paths in a file are relative to the file's folder; `~` is expanded. The
values reach click as its `default_map`, so the commands keep their own options.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Collection, Mapping
from pathlib import Path
from typing import Any, NamedTuple

from iosgen.errors import IosgenError, Problem, UsageError

LOCAL_FILE = "iosgen.toml"


class Setting(NamedTuple):
    """One setting: its key in the file, its environment variable, the parameter it fills."""

    key: str
    env: str
    param: str
    kind: type  # Path or int
    # commands whose parameter of that name means something else
    not_for: frozenset[str] = frozenset()


SETTINGS: tuple[Setting, ...] = (
    Setting("inventory", "IOSGEN_INVENTORY", "inventory", Path),
    # `iosgen sim --targets FILE` is the file it writes, not one to read
    Setting("targets", "IOSGEN_TARGETS", "targets", Path, frozenset({"sim"})),
    Setting("workers", "IOSGEN_WORKERS", "workers", int),
    Setting("known-hosts", "IOSGEN_KNOWN_HOSTS", "known_hosts", Path),
    # `iosgen migrate --state-dir`; every other command's loader reads the folder too
    # (iosgen.model.statefolder.migrations_folder, through IOSGEN_MIGRATIONS)
    Setting("migrations", "IOSGEN_MIGRATIONS", "state_dir", Path),
)


class ConfigFileError(IosgenError):
    """A config file that is not TOML, or holds a key or value iosgen does not take."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.render())
        self.problem = problem

    def lines(self) -> list[str]:
        return [self.problem.render()]


def config_file(cwd: Path | None = None, environ: Mapping[str, str] | None = None) -> Path | None:
    """The config file in effect: `./iosgen.toml`, else the XDG one, else None."""
    env = os.environ if environ is None else environ
    local = cwd / LOCAL_FILE if cwd is not None else Path(LOCAL_FILE)  # named as the user would
    if local.is_file():
        return local
    base = env.get("XDG_CONFIG_HOME") or str(Path(env.get("HOME", "~")).expanduser() / ".config")
    xdg = Path(base) / "iosgen" / "config.toml"
    return xdg if xdg.is_file() else None


def read_config(path: Path) -> dict[str, Any]:
    """{key: value} of the file, every value checked; one located error otherwise."""
    import tomllib

    text = path.read_text(encoding="utf-8")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigFileError(_toml_problem(path, text, exc)) from None
    known = {s.key: s for s in SETTINGS}
    out: dict[str, Any] = {}
    for key, value in data.items():
        setting = known.get(key)
        if setting is None:
            names = ", ".join(known)
            raise ConfigFileError(_at(path, text, key, f"unknown setting {key!r} (known: {names})"))
        out[key] = _value(setting, value, path.parent, lambda m, k=key: _at(path, text, k, m))  # type: ignore[misc]
    return out


# tomllib's message ends in "(at line 3, column 10)" (or "(at end of document)")
_TOML_WHERE = re.compile(r"^(?P<msg>.*) \(at line (?P<line>\d+), column (?P<col>\d+)\)$", re.S)


def _toml_problem(path: Path, text: str, exc: Exception) -> Problem:
    message = str(exc)
    where = _TOML_WHERE.match(message)
    if where:
        return Problem(str(path), int(where["line"]), int(where["col"]), "", where["msg"])
    lines = text.splitlines() or [""]
    end = message.removesuffix(" (at end of document)")
    return Problem(str(path), len(lines), len(lines[-1]) + 1, "", end)


def _at(path: Path, text: str, key: str, message: str) -> Problem:
    """A problem at the line that sets `key` (tomllib keeps no positions: found by text)."""
    pattern = re.compile(rf"^\s*[\"']?{re.escape(key)}[\"']?\s*=")
    for number, line in enumerate(text.splitlines(), 1):
        if pattern.match(line):
            return Problem(str(path), number, len(line) - len(line.lstrip()) + 1, key, message)
    return Problem(str(path), 1, 1, key, message)


def _value(
    setting: Setting, value: object, base: Path, problem: Callable[[str], Problem]
) -> object:
    if setting.kind is int:
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ConfigFileError(problem(f"a whole number of at least 1, not {value!r}"))
        return value
    if not isinstance(value, str) or not value:
        raise ConfigFileError(problem(f"a path (a string), not {value!r}"))
    try:
        return base / Path(value).expanduser()
    except RuntimeError:  # `~nosuchuser/...`: no such home directory
        raise ConfigFileError(problem(f"{value!r}: no such user's home directory")) from None


def _from_env(setting: Setting, raw: str) -> object:
    if setting.kind is int:
        if not raw.strip().isdigit() or int(raw) < 1:
            raise UsageError(f"{setting.env}={raw!r}: a whole number of at least 1")
        return int(raw)
    if not raw:
        raise UsageError(f"{setting.env} is set but empty: unset it or give a path")
    try:
        return Path(raw).expanduser()
    except RuntimeError:  # `~nosuchuser/...`: no such home directory
        raise UsageError(f"{setting.env}={raw!r}: no such user's home directory") from None


def resolved(
    params: Collection[str] | None = None,
    environ: Mapping[str, str] | None = None,
    cwd: Path | None = None,
) -> dict[str, object]:
    """{parameter: value} from the environment, else the config file; unset ones absent.

    Only the settings of `params` (a command's parameters; None: all) are read from the
    environment: a bad IOSGEN_WORKERS is no error for `iosgen build`. The file is
    checked whole, whichever command reads it.
    """
    env = os.environ if environ is None else environ
    path = config_file(cwd, env)
    file = read_config(path) if path is not None else {}
    out: dict[str, object] = {}
    for s in SETTINGS:
        if params is not None and s.param not in params:
            continue
        if s.env in env:
            out[s.param] = _from_env(s, env[s.env])
        elif s.key in file:
            out[s.param] = file[s.key]
    return out


def default_map(commands: Mapping[str, Any], values: Mapping[str, object]) -> dict[str, Any]:
    """click's default_map: for each command, the settings it has a parameter for."""
    params = {s.param: s for s in SETTINGS}
    out: dict[str, Any] = {}
    for name, command in commands.items():
        own = {p.name for p in command.params}
        chosen = {k: v for k, v in values.items() if k in own and name not in params[k].not_for}
        if chosen:
            out[name] = chosen
    return out
