"""The typer application and the one place where errors become messages and exit codes."""

import atexit
import contextlib
import gc
import os
import sys
import threading
import types
from collections.abc import Callable
from functools import wraps
from importlib.machinery import ModuleSpec
from typing import TYPE_CHECKING, Annotated, ParamSpec, TypeVar, cast

import typer

from iosgen.errors import EXIT_BAD_INPUT, IosgenError

if TYPE_CHECKING:
    from importlib.abc import Loader

# Pretty tracebacks print local variables, credentials included: off. Help is click's
# plain layout (rich_markup_mode=None): typer's rich panels print a flag as if it took
# a value (`--all <bool>`), and plain help needs no rich at start-up.
#
# typer coerces each parameter's value through a pydantic TypeAdapter, except a bool flag
# whose value is already a bool; click leaves the help and completion flags None when
# they are not given, so every command line built adapters for them and loaded
# pydantic's validation machinery (~80 ms), `iosgen bu<TAB>` too. A False default
# through click's default_map (the root's here, each command's in `_apply_settings`)
# keeps them out of it.
FLAG_DEFAULTS: dict[str, object] = {
    "help": False,
    "install_completion": False,
    "show_completion": False,
}
app = typer.Typer(
    name="iosgen",  # the help is `_root`'s docstring
    pretty_exceptions_enable=False,
    add_completion=True,
    no_args_is_help=True,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"], "default_map": FLAG_DEFAULTS},
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


# gen-0 collections every this many container allocations instead of CPython's 700: a
# start builds ~40,000 long-lived objects (pydantic's schemas, typer's command tree, the
# config tree), and at 700 the collector walks them ~150 times for nothing (~40 ms of
# `iosgen build`). Garbage with cycles still goes, a few MB later at most.
GC_GEN0_THRESHOLD = 50_000


def quiet_collector() -> None:
    """Collect less often while the process is young (see GC_GEN0_THRESHOLD)."""
    _, gen1, gen2 = gc.get_threshold()
    gc.set_threshold(GC_GEN0_THRESHOLD, gen1, gen2)


# pydantic's switch that turns its plugins off (iosgen uses none), and the values of it
# that turn all of them off (pydantic.plugin._loader.get_plugins reads the same ones).
PYDANTIC_PLUGINS_OFF = ("__all__", "1", "true")
PYDANTIC_PLUGIN_LOADER = "pydantic.plugin._loader"


def skip_pydantic_plugin_scan() -> None:
    """Spare the start pydantic's plugin loader when its plugins are off.

    pydantic imports `pydantic.plugin._loader` when it builds its first validator, and
    that module imports importlib.metadata at its top (~11 ms here, the largest single
    import of `iosgen build` past the libraries themselves) even though, with
    PYDANTIC_DISABLE_PLUGINS set to one of PYDANTIC_PLUGINS_OFF, its `get_plugins()`
    returns no plugin without reading any metadata. A finder placed first serves, under
    that name, a module whose `get_plugins()` gives that same answer. A partial switch
    (naming single plugins) keeps pydantic's loader. `main` only: it concerns the
    process iosgen owns, never one that imports iosgen as a library.
    """
    if os.environ.get("PYDANTIC_DISABLE_PLUGINS") not in PYDANTIC_PLUGINS_OFF:
        return
    if PYDANTIC_PLUGIN_LOADER not in sys.modules:
        sys.meta_path.insert(0, _NoPydanticPlugins())


class _NoPydanticPlugins:
    """The finder and loader of the stand-in plugin loader (skip_pydantic_plugin_scan)."""

    # duck-typed: importlib.abc, whose Loader this is, costs the start ~4 ms to import
    def find_spec(self, name: str, path: object = None, target: object = None) -> ModuleSpec | None:
        return ModuleSpec(name, cast("Loader", self)) if name == PYDANTIC_PLUGIN_LOADER else None

    def create_module(self, spec: ModuleSpec) -> None:
        return None  # the default module

    def exec_module(self, module: types.ModuleType) -> None:
        module.get_plugins = _no_plugins  # type: ignore[attr-defined]


def _no_plugins() -> tuple[()]:
    return ()


def exit_now(exc: SystemExit) -> None:
    """End the process with `exc`'s code now, without the interpreter's teardown.

    Python's exit frees every module and object one by one: ~0.1 s of an `iosgen
    build` that takes ~0.35 s, for memory the kernel takes back at once anyway. Done
    only when nothing can still be running or waiting: no thread but this one (a
    fleet's workers or the simulator's loop would be cut off); atexit's handlers run
    first (logging's flush, multiprocessing's and tempfile's clean-up); stdout and
    stderr flushed (iosgen closes every file it writes with `with`). Otherwise this
    returns and the caller re-raises `exc`: the ordinary exit. `main` only: it ends
    the process it runs in.
    """
    code = 0 if exc.code is None else exc.code
    if not isinstance(code, int) or threading.active_count() > 1:
        return
    atexit._run_exitfuncs()
    try:
        sys.stdout.flush()
    except BrokenPipeError:  # the reader quit after the command's own flush
        _stdout_to_devnull()
        code = EXIT_BROKEN_PIPE
    except (OSError, ValueError):
        pass  # a closed or broken stdout: nothing left to say on it
    with contextlib.suppress(OSError, ValueError):
        sys.stderr.flush()
    os._exit(code)


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

    Settings (inventory, targets, workers, known-hosts, migrations) come from the
    command line, else IOSGEN_INVENTORY / IOSGEN_TARGETS / IOSGEN_WORKERS /
    IOSGEN_KNOWN_HOSTS / IOSGEN_MIGRATIONS, else
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
    # state_dir always: the migrations folder reaches every command's loader
    values = resolved(params={p.name for p in command.params if p.name} | {"state_dir"})
    folder = values.get("state_dir")
    if folder is not None:
        os.environ["IOSGEN_MIGRATIONS"] = str(folder)
    mapped = default_map({name: command}, values) if values else {}
    mapped[name] = {"help": False} | mapped.get(name, {})  # see FLAG_DEFAULTS
    ctx.default_map = mapped | dict(ctx.default_map or {})
