"""The typer application and the one place where errors become messages and exit codes."""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar

import typer

from iosgen.errors import IosgenError

# Pretty tracebacks print local variables, credentials included: off.
app = typer.Typer(
    name="iosgen",
    help="Compile, check, push and audit Cisco IOS 12.4 and Linux pppd branch configs.",
    pretty_exceptions_enable=False,
    add_completion=False,
    no_args_is_help=True,
)

P = ParamSpec("P")
R = TypeVar("R")


def guarded(fn: Callable[P, R]) -> Callable[P, R]:
    """Render any IosgenError as its lines on stderr and exit with its code; no traceback."""

    @wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return fn(*args, **kwargs)
        except IosgenError as exc:
            for line in exc.lines():
                print(line, file=sys.stderr)
            raise typer.Exit(exc.exit_code) from None
        except KeyboardInterrupt:
            print("interrupted", file=sys.stderr)
            raise typer.Exit(130) from None

    return wrapper
