"""Packaging conventions: `python -m iosgen`, `--version`, `-h`, completion, flags shown
as flags, settings from the command line > environment > config file, and the
pre-commit hook definitions."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from iosgen.cli import app

ROOT = Path(__file__).resolve().parents[2]
ENV_KEYS = ("IOSGEN_INVENTORY", "IOSGEN_TARGETS", "IOSGEN_WORKERS", "IOSGEN_KNOWN_HOSTS")


def run(*args: str | Path, env: dict[str, str] | None = None) -> Any:
    result = CliRunner().invoke(app, [str(a) for a in args], env=env, prog_name="iosgen")
    assert "Traceback" not in result.output
    return result


@pytest.fixture(autouse=True)
def _no_outside_settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No setting of the machine running the tests: an empty XDG folder, a clean cwd."""
    for key in ENV_KEYS:
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    monkeypatch.chdir(tmp_path)


def test_python_dash_m_and_version() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "iosgen", "--version"],
        capture_output=True, text=True, check=False, cwd=ROOT,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    assert out.stdout == f"iosgen {version('iosgen')}\n"
    usage = subprocess.run(
        [sys.executable, "-m", "iosgen", "build", "-h"],
        capture_output=True, text=True, check=False, cwd=ROOT,
    )  # fmt: skip
    assert usage.stdout.startswith("Usage: iosgen build ")


@pytest.mark.parametrize("flag", ["-h", "--help"], ids=["short", "long"])
@pytest.mark.parametrize("command", [(), ("audit",), ("backup",), ("build",)], ids=str)
def test_help_both_ways_and_flags_shown_as_flags(flag: str, command: tuple[str, ...]) -> None:
    result = run(*command, flag)
    assert result.exit_code == 0
    assert result.stdout.startswith(f"Usage: iosgen {' '.join(command)}".rstrip())
    assert "-h, --help" in result.stdout
    assert "<bool>" not in result.stdout and "BOOLEAN" not in result.stdout
    if command == ("audit",):
        assert re.search(r"^  --all  +Every router \(and Linux box", result.stdout, re.M)
        assert re.search(r"^  --host HOST  +A router", result.stdout, re.M)
    if not command:
        assert "--install-completion" in result.stdout and "--show-completion" in result.stdout


def test_shell_completion_script_and_answers() -> None:
    # typer reads `--show-completion SHELL` as a flag that detects the shell from the
    # process tree, which a test run started without a parent shell (cron, a CI agent)
    # does not have; typer's switch makes it take the shell named instead.
    no_detection = dict(os.environ, _TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION="1")
    script = subprocess.run(
        [sys.executable, "-m", "iosgen", "--show-completion", "bash"],
        env=no_detection, capture_output=True, text=True, check=False, timeout=60,
    )  # fmt: skip
    assert script.returncode == 0, script.stderr
    assert "_IOSGEN_COMPLETE=complete_bash" in script.stdout
    env = dict(os.environ, _IOSGEN_COMPLETE="complete_bash", COMP_WORDS="iosgen au",
               COMP_CWORD="1")  # fmt: skip
    words = subprocess.run(
        [sys.executable, "-m", "iosgen"], env=env, capture_output=True, text=True, check=False
    )
    assert words.stdout.split() == ["audit"]


# --- settings ---------------------------------------------------------------------------


def _show(monkeypatch: pytest.MonkeyPatch, *args: str) -> dict[str, object]:
    """The values `audit` would run with (its library call replaced by a recorder)."""
    seen: dict[str, object] = {}

    def select(
        inventory: Path, secrets: Any, host: Any, group: Any, all_sites: bool, **_: Any
    ) -> list[Any]:
        seen["inventory"] = inventory
        return []

    import iosgen.cli.live as live

    def audit_live(sites: Any, targets: Any, options: Any, workers: int, **_: Any) -> Any:
        from iosgen.fleet.runner import Results

        seen.update(targets=targets, workers=workers, known_hosts=options.known_hosts)
        return Results([])

    monkeypatch.setattr(live, "select_fleet", select)
    monkeypatch.setattr("iosgen.fleet.audit.audit_live", audit_live)
    monkeypatch.setattr("iosgen.fleet.audit.fetch_job", None)
    result = run("audit", "--all", "--format", "json", *args)
    assert result.exit_code == 0, result.output
    return seen


CONFIG = """\
# iosgen settings of this project
inventory = "inv-file"
targets = "targets-file.yaml"
workers = 7
known-hosts = "kh-file"
"""


def test_precedence_command_line_environment_file_default(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    assert _show(monkeypatch) == {
        "inventory": Path("inventory"), "targets": None, "workers": 20,
        "known_hosts": Path.home() / ".iosgen" / "known_hosts",
    }  # fmt: skip
    xdg = tmp_path / "xdg" / "iosgen"
    xdg.mkdir(parents=True)
    (xdg / "config.toml").write_text('workers = 3\ninventory = "xdg-inv"\n')
    assert _show(monkeypatch)["inventory"] == xdg / "xdg-inv"  # relative to the file
    (tmp_path / "iosgen.toml").write_text(CONFIG)  # ./iosgen.toml wins over XDG
    assert _show(monkeypatch) == {
        "inventory": Path("inv-file"), "targets": Path("targets-file.yaml"),
        "workers": 7, "known_hosts": Path("kh-file"),
    }  # fmt: skip
    monkeypatch.setenv("IOSGEN_WORKERS", "5")
    monkeypatch.setenv("IOSGEN_INVENTORY", "env-inv")
    monkeypatch.setenv("IOSGEN_TARGETS", "env-targets.yaml")
    monkeypatch.setenv("IOSGEN_KNOWN_HOSTS", "env-kh")
    assert _show(monkeypatch) == {
        "inventory": Path("env-inv"), "targets": Path("env-targets.yaml"), "workers": 5,
        "known_hosts": Path("env-kh"),
    }  # fmt: skip
    given = _show(monkeypatch, "--workers", "2", "-i", "cli-inv", "--targets", "t.yaml",
                  "--known-hosts", "cli-kh")  # fmt: skip
    assert given == {
        "inventory": Path("cli-inv"), "targets": Path("t.yaml"), "workers": 2,
        "known_hosts": Path("cli-kh"),
    }  # fmt: skip


@pytest.mark.parametrize(
    ("text", "where", "message"),
    [
        ('workers = 3\ninventory = "x\n', ":2:15: ", "Illegal character"),
        ("workers = \n", ":1:11: ", "Invalid value"),
        ('inventory = "a"\ncolour = "red"\n', ":2:1: colour: ", "unknown setting 'colour'"),
        ("workers = 0\n", ":1:1: workers: ", "a whole number of at least 1, not 0"),
        ("workers = true\n", ":1:1: workers: ", "a whole number of at least 1, not True"),
        ("  targets = 5\n", ":1:3: targets: ", "a path (a string), not 5"),
        ('known-hosts = "~nosuchuser/kh"\n', ":1:1: known-hosts: ", "no such user's home"),
    ],
    ids=[
        "unclosed-string",
        "no-value",
        "unknown-key",
        "zero-workers",
        "bool-workers",
        "int-path",
        "no-such-home",
    ],
)
def test_a_bad_config_file_is_one_located_error(
    tmp_path: Path, text: str, where: str, message: str
) -> None:
    (tmp_path / "iosgen.toml").write_text(text)
    result = run("audit", "--all")
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    assert lines[0].startswith(f"iosgen.toml{where}"), lines
    assert message in lines[0]


def test_a_bad_environment_value_is_one_error_for_the_commands_that_read_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("IOSGEN_WORKERS", "many")
    result = run("audit", "--all")
    assert result.exit_code == 2
    assert result.output == "error: IOSGEN_WORKERS='many': a whole number of at least 1\n"
    # `schema` has no --workers: the variable is not its business
    assert run("schema").exit_code == 0


# --- pre-commit -------------------------------------------------------------------------


def test_pre_commit_hooks_parse_and_name_real_commands(tmp_path: Path) -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert [h["id"] for h in hooks] == ["iosgen-check", "iosgen-lint"]
    for hook in hooks:
        assert {"id", "name", "entry", "language", "files"} <= set(hook)
        assert hook["language"] == "python"
        re.compile(hook["files"])
    check, lint = hooks
    assert check["entry"] == "iosgen check" and check["pass_filenames"] is False
    assert run("check", "-i", ROOT / "inventory", "--golden", ROOT / "golden").exit_code == 0
    # the lint entry, run as pre-commit runs it: the files it matched appended
    sites = sorted((ROOT / "inventory" / "sites").glob("*.yaml"))[:2]
    assert all(re.search(lint["files"], str(p.relative_to(ROOT))) for p in sites)
    assert not re.search(lint["exclude"], "inventory/sites/plovdiv.yaml")
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}:{os.environ['PATH']}")
    argv = [*shlex.split(lint["entry"]), *map(str, sites)]
    good = subprocess.run(argv, env=env, capture_output=True, text=True, check=False, cwd=ROOT)
    assert good.returncode == 0, good.stdout + good.stderr
    bad = tmp_path / "bad.cfg"
    bad.write_text("interface FastEthernet0/0\n ip nat inside\n ip access-group 199 in\n")
    failed = subprocess.run([*argv, str(bad)], env=env, capture_output=True, text=True,
                            check=False, cwd=ROOT)  # fmt: skip
    assert failed.returncode == 1 and "199" in failed.stdout + failed.stderr


def test_sim_keeps_its_own_targets_the_file_it_writes() -> None:
    from typer.main import get_command

    from iosgen.cli.settings import default_map

    commands = get_command(app).commands  # type: ignore[attr-defined]
    mapped = default_map(commands, {"targets": Path("t.yaml"), "workers": 3})
    assert mapped["audit"] == {"targets": Path("t.yaml"), "workers": 3}
    assert mapped["push"] == {"targets": Path("t.yaml"), "workers": 3}
    assert "targets" not in mapped.get("sim", {})
    assert "build" not in mapped  # no such parameters
