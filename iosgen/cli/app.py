"""The typer application and the one place where errors become messages and exit codes."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from functools import wraps
from typing import Annotated, ParamSpec, TypeVar

import typer

from iosgen.errors import EXIT_BAD_INPUT, IosgenError

# Pretty tracebacks print local variables, credentials included: off. Help is click's
# plain layout (rich_markup_mode=None): typer's rich panels print a flag as if it took
# a value (`--all <bool>`), and plain help needs no rich at start-up.
app = typer.Typer(
    name="iosgen",  # the help is `_root`'s docstring
    pretty_exceptions_enable=False,
    add_completion=True,
    no_args_is_help=True,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)

# What a shell reports for a program that SIGPIPE ended (128 + 13): `iosgen ... | head`
# ends as `cat` or `grep` would there, with no message.
EXIT_BROKEN_PIPE = 128 + 13


def _stdout_to_devnull() -> None:
    """Python's documented way out of a closed stdout: point fd 1 at /dev/null, so
    the output still buffered is flushed there at exit instead of raising again."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass  # stdout is not a real file (a test runner's): nothing will flush to fd 1
    finally:
        os.close(devnull)


P = ParamSpec("P")
R = TypeVar("R")


def guarded(fn: Callable[P, R]) -> Callable[P, R]:
    """Render any IosgenError as its lines on stderr and exit with its code; no traceback."""

    @wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            try:
                return fn(*args, **kwargs)
            finally:
                # output piped into `head` that has quit: found here, not at exit
                sys.stdout.flush()
        except BrokenPipeError:
            _stdout_to_devnull()
            raise typer.Exit(EXIT_BROKEN_PIPE) from None
        except IosgenError as exc:
            for line in exc.lines():
                print(line, file=sys.stderr)
            raise typer.Exit(exc.exit_code) from None
        except OSError as exc:
            # a file iosgen was told to read or write: unreadable, unwritable, missing folder
            where = f"{exc.filename}: " if exc.filename else ""
            print(f"error: {where}{exc.strerror or exc}", file=sys.stderr)
            raise typer.Exit(EXIT_BAD_INPUT) from None
        except UnicodeDecodeError as exc:
            print(f"error: not UTF-8 text ({exc.reason} at byte {exc.start})", file=sys.stderr)
            raise typer.Exit(EXIT_BAD_INPUT) from None
        except KeyboardInterrupt:
            print("interrupted", file=sys.stderr)
            raise typer.Exit(130) from None

    return wrapper


def _print_version(value: bool) -> None:
    if value:
        # only here: importlib.metadata costs every start-up some milliseconds
        from importlib.metadata import PackageNotFoundError, version

        try:
            print(f"iosgen {version('iosgen')}")
        except PackageNotFoundError:  # run from a source tree that was never installed
            print("iosgen (not installed: no package metadata)")
        raise typer.Exit()


@app.callback()
def _root(
    ctx: typer.Context,
    _version: Annotated[
        bool,
        typer.Option(
            "--version",
            callback=_print_version,
            is_eager=True,
            expose_value=False,
            help="Print iosgen's version and exit.",
        ),
    ] = False,
) -> None:
    """Compile, check, push and audit Cisco IOS 12.4 and Linux pppd branch configs.

    Settings (inventory, targets, workers, known-hosts) come from the command line,
    else IOSGEN_INVENTORY / IOSGEN_TARGETS / IOSGEN_WORKERS / IOSGEN_KNOWN_HOSTS, else
    ./iosgen.toml or $XDG_CONFIG_HOME/iosgen/config.toml.
    """
    _apply_settings(ctx)


@guarded
def _apply_settings(ctx: typer.Context) -> None:
    """The environment's and the config file's settings as the commands' defaults."""
    from iosgen.cli.settings import default_map, resolved

    name = ctx.invoked_subcommand
    command = getattr(ctx.command, "commands", {}).get(name) if name else None
    if name is None or command is None:
        return
    values = resolved(params={p.name for p in command.params if p.name})
    if values:
        mapped = default_map({name: command}, values)
        ctx.default_map = mapped | dict(ctx.default_map or {})
