"""The `iosgen` command line: typer commands only; each command module registers on `app`.

Command modules import their heavy dependencies inside the command functions, so
`iosgen build` never loads netmiko, paramiko, asyncssh or ciscoconfparse.
"""

from __future__ import annotations

import os

# iosgen uses no pydantic plugins; skipping their entry-point scan saves ~18 ms a start.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")

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
from iosgen.cli.app import app, exit_now, quiet_collector


def main() -> None:
    """The console script: the typer app, then a quick exit (`iosgen.cli.app.exit_now`)."""
    quiet_collector()
    try:
        # one name in usage lines, errors and completion scripts, also under `python -m iosgen`
        app(prog_name="iosgen")
    except SystemExit as exc:
        exit_now(exc)
        raise


__all__ = ["app", "main"]
