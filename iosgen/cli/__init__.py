"""The `iosgen` command line: typer commands only; each command module registers on `app`.

Command modules import their heavy dependencies inside the command functions, so
`iosgen build` never loads netmiko, paramiko, asyncssh or ciscoconfparse.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

# iosgen uses no pydantic plugins; skipping their entry-point scan saves ~18 ms a start.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")

from typer.main import get_command_name

# The imports below register the commands on `app`.
from iosgen.cli import adopt as _adopt  # noqa: F401
from iosgen.cli import build as _build  # noqa: F401
from iosgen.cli import graph as _graph  # noqa: F401
from iosgen.cli import lint as _lint  # noqa: F401
from iosgen.cli import live as _live  # noqa: F401
from iosgen.cli import migrate as _migrate  # noqa: F401
from iosgen.cli import plan as _plan  # noqa: F401
from iosgen.cli import push as _push  # noqa: F401
from iosgen.cli import sim as _sim  # noqa: F401
from iosgen.cli import verify as _verify  # noqa: F401
from iosgen.cli.app import app, exit_now, quiet_collector, skip_pydantic_plugin_scan

if TYPE_CHECKING:
    from typer.models import CommandInfo


def invoked_only(argv: list[str]) -> list[CommandInfo] | None:
    """The registered command that `argv` runs, alone; None to keep them all.

    typer turns every registered command into click's (signature, types, options) on
    each start: ~15 ms for fourteen commands, of which `iosgen build` runs one. A group
    holding only the named command parses, helps and fails exactly as the whole one
    for that command. The whole tree stays for the root's help, a word that names no
    command (click suggests the close ones) and shell completion (`_IOSGEN_COMPLETE`).
    """
    if len(argv) < 2 or "_IOSGEN_COMPLETE" in os.environ:
        return None
    chosen = [
        info
        for info in app.registered_commands
        if argv[1] == (info.name or get_command_name(getattr(info.callback, "__name__", "")))
    ]
    return chosen or None


def main() -> None:
    """The console script: the typer app, then a quick exit (`iosgen.cli.app.exit_now`)."""
    quiet_collector()
    skip_pydantic_plugin_scan()
    chosen = invoked_only(sys.argv)
    if chosen is not None:
        app.registered_commands = chosen
    try:
        # one name in usage lines, errors and completion scripts, also under `python -m iosgen`
        app(prog_name="iosgen")
    except SystemExit as exc:
        exit_now(exc)
        raise


__all__ = ["app", "main"]
