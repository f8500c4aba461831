"""The `iosgen` command line: typer commands only; each command module registers on `app`.

Command modules import their heavy dependencies inside the command functions, so
`iosgen build` never loads netmiko, paramiko, asyncssh or ciscoconfparse; and the
console script imports only the module of the command it runs (`COMMANDS`).
`from iosgen.cli import app` is the whole app, every command registered.
"""

from __future__ import annotations

import importlib
import os
import sys
from typing import TYPE_CHECKING, Final

# iosgen uses no pydantic plugins; skipping their entry-point scan saves ~18 ms a start.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")

from typer.main import get_command_name

from iosgen.cli import root
from iosgen.cli.root import exit_now, quiet_collector, skip_pydantic_plugin_scan

if TYPE_CHECKING:
    import typer
    from typer.models import CommandInfo

    from iosgen.cli.root import app

# Each command by the module that registers it, in the order `iosgen --help` lists them.
# The console script imports only the module of the command it runs (`iosgen build`:
# cli/build.py, not the thirteen others); tests/test_start_build_path.py holds this
# table to what the modules really register.
COMMANDS: Final = {
    "import": "adopt",
    "build": "build",
    "check": "build",
    "schema": "build",
    "graph": "graph",
    "lint": "lint",
    "diff": "live",
    "audit": "live",
    "backup": "live",
    "migrate": "migrate",
    "plan": "plan",
    "push": "push",
    "sim": "sim",
    "verify": "verify",
}


def command_name(info: CommandInfo) -> str:
    return info.name or get_command_name(getattr(info.callback, "__name__", ""))


def whole_app() -> typer.Typer:
    """The app with every command registered, listed in the order of COMMANDS."""
    for module in dict.fromkeys(COMMANDS.values()):
        importlib.import_module(f"iosgen.cli.{module}")
    rank = {name: n for n, name in enumerate(COMMANDS)}
    root.app.registered_commands.sort(key=lambda info: rank.get(command_name(info), len(rank)))
    globals()["app"] = root.app  # later lookups find it without __getattr__
    return root.app


def __getattr__(name: str) -> object:
    """`from iosgen.cli import app`: the whole app (the test runner, `python -c`)."""
    if name == "app":
        return whole_app()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def invoked_module(argv: list[str]) -> str | None:
    """The module that registers the command `argv` runs; None to load them all (the
    root's help, a word that names no command: click suggests the close ones, shell
    completion: `_IOSGEN_COMPLETE`)."""
    if len(argv) < 2 or "_IOSGEN_COMPLETE" in os.environ:
        return None
    module = COMMANDS.get(argv[1])
    return f"iosgen.cli.{module}" if module else None


def main() -> None:
    """The console script: the typer app, then a quick exit (`iosgen.cli.root.exit_now`)."""
    quiet_collector()
    skip_pydantic_plugin_scan()
    module = invoked_module(sys.argv)
    if module is None:
        app = whole_app()
    else:
        # typer turns every registered command into click's (signature, types, options)
        # on each start; a group holding only the named command parses, helps and fails
        # exactly as the whole one for that command (tests/test_start_build_path.py)
        importlib.import_module(module)
        app = root.app
        app.registered_commands = [
            info for info in app.registered_commands if command_name(info) == sys.argv[1]
        ]
    try:
        # one name in usage lines, errors and completion scripts, also under `python -m iosgen`
        app(prog_name="iosgen")
    except SystemExit as exc:
        exit_now(exc)
        raise


__all__ = ["COMMANDS", "app", "main", "whole_app"]
