"""`iosgen build SITE` loads only what the build path needs and does no work at import
(issue 15 item 4): no device, parser or lint stack, no IOS tables that only
extra_config reads, no validator built while the model is imported; and the console
script's one-command tree behaves as the whole one."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import BaseModel

from iosgen.model.secret import read_env_file

ROOT = Path(__file__).resolve().parents[1]
SITE = "inventory/sites/plovdiv.yaml"  # the seed router: typed fields only, no extra_config

# Never on the build path: the SSH and device stack, the config parsers, lint, the
# deprecated crypt module, and the IOS tables only extra_config lines are checked with.
NOT_LOADED = (
    "netmiko",
    "paramiko",
    "asyncssh",
    "ciscoconfparse",
    "hier_config",
    "crypt",
    "passlib",
    "iosgen.lint",
    "iosgen.diff",
    "iosgen.device",
    "iosgen.push",
    "iosgen.ios.secrets",
    "iosgen.ios.config",
    "iosgen.ios.configmode",
    "iosgen.ios.dialogs",
    "iosgen.build.extra",
    # pydantic's plugin loader imports it at its top; with plugins off main() spares it
    "importlib.metadata",
    # the migration model: only when a migrations folder exists
    "iosgen.model.migration",
    # the other commands' modules: the console script imports the invoked one's alone
    *(f"iosgen.cli.{module}" for module in ("adopt", "graph", "lint", "live", "migrate")),
    *(f"iosgen.cli.{module}" for module in ("plan", "push", "sim", "verify", "boxes")),
)


def demo_env() -> dict[str, str]:
    """The example inventory's demo secrets (inventory/example.env), as the README runs it."""
    return {**os.environ, **read_env_file(ROOT / "inventory" / "example.env")}


def run_main(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """The console script's main() in a fresh process, with the modules it imported
    printed on stderr (-X importtime)."""
    return subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "from iosgen.cli import main; main()", *args],
        cwd=ROOT,
        env=env or demo_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )


def modules(stderr: str) -> set[str]:
    lines = stderr.splitlines()
    return {line.split("|")[-1].strip() for line in lines if line.startswith("import time:")}


def test_build_loads_only_the_build_path() -> None:
    proc = run_main("build", SITE)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.startswith("!\nversion 12.4\n")
    loaded = modules(proc.stderr)
    assert "iosgen.model.site" in loaded and "iosgen.build.ios" in loaded  # the probe sees them
    wrongly = sorted(m for m in loaded if m.split(".")[0] in NOT_LOADED or m in NOT_LOADED)
    wrongly += sorted(m for m in loaded if any(m.startswith(f"{p}.") for p in NOT_LOADED))
    assert wrongly == []


def test_a_site_with_extra_config_still_gets_its_lines_placed(tmp_path: Path) -> None:
    inventory = tmp_path / "inventory"
    shutil.copytree(ROOT / "inventory", inventory)
    path = inventory / "sites" / "plovdiv.yaml"
    path.write_text(path.read_text() + "extra_config:\n  lines:\n    - ip ssh time-out 60\n")
    proc = run_main("build", str(path), "--inventory", str(inventory))
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "\nip ssh time-out 60\n" in proc.stdout
    assert "iosgen.build.extra" in modules(proc.stderr)


def test_importing_the_model_builds_no_validator() -> None:
    code = (
        "from pydantic._internal._mock_val_ser import MockValSer\n"
        "from pydantic import BaseModel\n"
        "import iosgen.model.site as site\n"
        "built = [n for n, c in vars(site).items() if isinstance(c, type) and "
        "issubclass(c, BaseModel) and c.__module__ == site.__name__ and "
        "not isinstance(c.__pydantic_validator__, MockValSer)]\n"
        "print(built)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert out.stdout.strip() == "[]"


@pytest.mark.parametrize(
    "args",
    [("build", "--help"), ("schema", "--help"), ("build", "--no-such-flag")],
    ids=["build-help", "schema-help", "bad-flag"],
)
def test_one_command_tree_answers_as_the_whole_tree(args: tuple[str, ...]) -> None:
    """main() builds only the invoked command; typer's whole app (as the test runner
    and `python -m` see it) must print the same help and errors, and exit alike."""
    alone = run_main(*args)
    whole = subprocess.run(
        [sys.executable, "-c", "from iosgen.cli import app; app(prog_name='iosgen')", *args],
        cwd=ROOT,
        env=demo_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert alone.returncode == whole.returncode
    assert alone.stdout == whole.stdout
    err = [line for line in alone.stderr.splitlines() if not line.startswith("import time:")]
    assert err == whole.stderr.splitlines()
    assert "Traceback" not in alone.stderr


def test_a_mistyped_command_is_still_suggested() -> None:
    proc = run_main("biuld")
    assert proc.returncode == 2
    assert "No such command 'biuld'. Did you mean 'build'?" in proc.stderr


def with_plugin_switch(code: str, value: str) -> str:
    """What `code` prints in a fresh Python with PYDANTIC_DISABLE_PLUGINS=value."""
    out = subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, "PYDANTIC_DISABLE_PLUGINS": value},
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return out.stdout.strip()


@pytest.mark.parametrize("off", ["__all__", "1", "true"])
def test_pydantic_itself_loads_no_plugin_when_they_are_off(off: str) -> None:
    """main()'s stand-in loader answers () for these values (skip_pydantic_plugin_scan):
    pydantic's own loader must answer the same, or the stand-in would hide plugins."""
    from iosgen.cli.root import PYDANTIC_PLUGINS_OFF

    assert off in PYDANTIC_PLUGINS_OFF
    code = "from pydantic.plugin._loader import get_plugins; print(list(get_plugins()))"
    assert with_plugin_switch(code, off) == "[]"


def test_a_partial_plugin_switch_keeps_pydantics_loader() -> None:
    code = (
        "import sys; from iosgen.cli.root import skip_pydantic_plugin_scan\n"
        "skip_pydantic_plugin_scan()\n"
        "from pydantic.plugin._loader import get_plugins\n"
        "loader = sys.modules['pydantic.plugin._loader']\n"
        "print(list(get_plugins()), hasattr(loader, 'PYDANTIC_ENTRY_POINT_GROUP'))"
    )
    assert with_plugin_switch(code, "some_plugin") == "[] True"  # pydantic's own loader
    assert with_plugin_switch(code, "__all__") == "[] False"  # the stand-in


def build_path_models() -> list[type[BaseModel]]:
    """The pydantic models the build path defines (the site, extra_config, ssh options)."""
    from iosgen.model import extra, site, sshoptions

    return [
        cls
        for module in (site, extra, sshoptions)
        for cls in vars(module).values()
        if isinstance(cls, type)
        and issubclass(cls, BaseModel)
        and cls.__module__ == module.__name__
    ]


def test_the_model_annotations_are_evaluated_as_written() -> None:
    """pydantic compiles each string annotation back (~5 ms of a start for the site
    model): the model modules on the build path hold no field annotation as a string."""
    as_strings = [
        f"{cls.__name__}.{name}"
        for cls in build_path_models()
        for name, annotation in vars(cls).get("__annotations__", {}).items()
        if isinstance(annotation, str)
    ]
    assert as_strings == []


def test_no_model_field_defaults_through_a_builtin_factory() -> None:
    """pydantic asks a default factory for its signature, and reads that of `list` or
    `dict` from text with tokenize (~7 ms of a start for the site model): an empty
    collection is a plain default (`= []`, copied per instance) instead."""
    from iosgen.model import site

    builtin = (list, dict, set, tuple, frozenset)
    through_builtin = [
        f"{cls.__name__}.{name}"
        for cls in build_path_models()
        for name, info in cls.model_fields.items()
        if info.default_factory in builtin
    ]
    assert through_builtin == []
    first, second = site.Dhcp(), site.Dhcp()
    assert first.pools == {} and first.pools is not second.pools  # copied, not shared


def test_the_command_table_is_what_the_modules_register() -> None:
    """`iosgen.cli.COMMANDS` names, for each command, the module the console script
    imports to run it; the whole app lists the commands in the table's order."""
    from iosgen.cli import COMMANDS, app, command_name

    registered = {
        command_name(info): getattr(info.callback, "__module__", "").removeprefix("iosgen.cli.")
        for info in app.registered_commands
    }
    assert registered == COMMANDS
    assert [command_name(info) for info in app.registered_commands] == list(COMMANDS)


@pytest.mark.parametrize("command", ["check", "schema", "lint", "audit", "sim"])
def test_each_command_runs_from_its_module_alone(command: str) -> None:
    """The console script imports the invoked command's module only; its help is the
    whole app's, word for word."""
    alone = run_main(command, "--help")
    whole = subprocess.run(
        [
            sys.executable,
            "-c",
            "from iosgen.cli import app; app(prog_name='iosgen')",
            command,
            "--help",
        ],
        cwd=ROOT,
        env=demo_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert alone.returncode == whole.returncode == 0
    assert alone.stdout == whole.stdout
