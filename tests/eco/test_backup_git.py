"""`iosgen backup -o DIR --git` on a real repository (Debian's git) and the simulator's routers.

A run commits only what changed, once, naming the routers; a run where only volatile
lines moved commits nothing; no secret of the model is in any object of the history.
"""

from __future__ import annotations

import subprocess
import time
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from iosgen.cli import app
from iosgen.device.session import Device, DeviceOptions
from iosgen.fleet.backup import DROPPED, normalise
from iosgen.ios.secrets import secret_spans
from iosgen.model.targets import read_targets_file
from tests.audit.audit_mutations import HOSTS
from tests.audit.conftest import demo_env

REALCONFIGS = Path(__file__).resolve().parents[1] / "realconfigs"


def run(*args: str | Path) -> Any:
    result = CliRunner().invoke(app, [str(a) for a in args])
    assert "Traceback" not in result.output
    return result


def git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(repo), *args], capture_output=True, text=True, check=True
    ).stdout


def commits(repo: Path) -> list[str]:
    """Subject and author of each commit, newest first."""
    return git(repo, "log", "--format=%s|%an <%ae>").splitlines()


# --- normalising ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    ["2600xm-ccp-nm-fe.cfg", "2600xm-ccp-pppoa-cbac.cfg", "2901-luisced-router1.cfg"],
    ids=["nm-fe", "pppoa-cbac", "luisced"],
)
def test_normalise_drops_only_the_volatile_lines_of_a_real_config(name: str) -> None:
    text = (REALCONFIGS / name).read_text()
    body = text.split("\n", 1)[1]  # the line of source iosgen put on top
    kept = normalise(body)
    assert normalise(kept) == kept
    assert not any(line.startswith(DROPPED) for line in kept.splitlines())
    # what a later capture of the same router differs in: the header and the clock trim
    later = (
        "Building configuration...\r\n\r\nCurrent configuration : 9999 bytes\r\n!\r\n"
        "! Last configuration change at 04:00:00 UTC Wed Dec 2 2026 by netops\r\n"
        + body.replace("ntp clock-period 17208943", "ntp clock-period 17208111").replace(
            "\n", "  \r\n"
        )
    )
    assert normalise(later) == kept
    dropped = [line for line in body.splitlines() if line.strip() and line not in kept.splitlines()]
    assert dropped and all(line.startswith(DROPPED) for line in dropped)


def test_normalise_keeps_a_banner_as_typed() -> None:
    text = "hostname R1\nbanner motd ^C\nversion 2 of the rules\n\n! do not touch\n^C\nend\n"
    assert normalise(text) == text
    assert normalise("banner motd ^C one line ^C\nversion 12.4\n") == "banner motd ^C one line ^C\n"


# --- folders that cannot hold the history -----------------------------------------------


def _outer_repo(tmp_path: Path) -> Path:
    outer = tmp_path / "project"
    (outer / "configs").mkdir(parents=True)
    git(outer, "init", "-q")
    return outer


@pytest.mark.parametrize(
    ("where", "message"),
    [
        (lambda t: (t / "file").write_text("x") and t / "file", "not a folder"),
        (lambda t: _outer_repo(t) / "configs", "inside the Git work tree of"),
        (lambda t: _outer_repo(t) / ".git", "inside a .git directory"),
        # not there yet: made, it would be a repository nested in the other one
        (lambda t: _outer_repo(t) / "new" / "backups", "inside the Git work tree of"),
        (lambda t: _outer_repo(t) / ".git" / "sub", "inside a .git directory"),
    ],
    ids=["a-file", "inside-another-repo", "inside-dot-git", "new-in-repo", "new-in-dot-git"],
)
def test_a_folder_that_cannot_be_a_store_is_one_error_and_nothing_written(
    where: Any, message: str, inventory_dir: Path, tmp_path: Path
) -> None:
    folder = where(tmp_path)
    before = sorted(p for p in tmp_path.rglob("*"))
    # a router nobody listens for: had the folder been accepted, the run would exit 3
    targets = tmp_path / "targets.yaml"
    targets.write_text("R-ITD: {host: 127.0.0.1, port: 9, username: netops, password: x}\n")
    result = run("backup", "--host", "R-ITD", "-o", folder, "--git", "-i", inventory_dir,
                 "--targets", targets)  # fmt: skip
    assert result.exit_code == 2, result.output
    assert result.output.startswith(f"error: {folder}: {message}")
    assert len(result.output.strip().splitlines()) <= 2  # the error, and perhaps its hint
    assert sorted(p for p in tmp_path.rglob("*") if p != targets) == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--git", "--show-secrets"), "backups in Git stay redacted"),
        (("--on-change", "true"), "--on-change runs when a commit is made: it needs --git"),
    ],
    ids=["git-show-secrets", "hook-without-git"],
)
def test_bad_flag_combinations(
    args: tuple[str, ...], message: str, inventory_dir: Path, tmp_path: Path
) -> None:
    out = tmp_path / "bk"
    result = run("backup", "--all", "-o", out, *args, "-i", inventory_dir)
    assert result.exit_code == 2
    assert message in result.output
    assert not out.exists()


# --- on the simulator -------------------------------------------------------------------


def _secrets(intended: dict[str, str]) -> set[str]:
    """Every secret of the model: the demo clear texts and each value the configs hold."""
    values = {v for k, v in demo_env().items() if k.startswith("IOSGEN_")}
    for text in intended.values():
        for line in text.splitlines():
            values |= {line[s.start : s.end] for s in secret_spans(line)}
    return {v for v in values if len(v) >= 4}


def _history(repo: Path) -> str:
    """Every object of the repository, as git stores them."""
    objects = git(repo, "rev-list", "--all", "--objects").split()
    shas = [o for o in objects if len(o) == 40]
    return "\n".join(git(repo, "cat-file", "-p", sha) for sha in shas)


def _touch_volatile(sim: Any, intended: dict[str, str], kh: Path, clock: str) -> None:
    """A capture that differs only in what IOS prints by itself: the clock trim, the
    `Current configuration : N bytes`, and `! NVRAM config last updated` (a write)."""
    targets = read_targets_file(Path(sim.targets_file))
    for host in HOSTS:
        assert sim.router(host).set_running(intended[host] + f"ntp clock-period {clock}\n") == []
        with Device(targets[host.lower()], DeviceOptions(known_hosts=kh)) as dev:
            dev.write_memory()


def test_two_quiet_runs_make_one_commit_and_a_change_makes_a_second(
    sim: Any, inventory_dir: Path, tmp_path: Path, intended: dict[str, str]
) -> None:
    repo = tmp_path / "backups"
    kh = tmp_path / "kh"
    hook_out = tmp_path / "hook.txt"
    opts = ("-i", inventory_dir, "--targets", sim.targets_file, "--known-hosts", kh, "--git")
    hook = (
        "--on-change",
        f'printf "%s|%s|%s" "$IOSGEN_CHANGED" "$IOSGEN_COMMIT" "$PWD" > {hook_out}',
    )
    try:
        _touch_volatile(sim, intended, kh, "17208943")
        first = run("backup", "--all", "-o", repo, *opts, *hook)
        assert first.exit_code == 0, first.output
        assert commits(repo) == ["backup: R-ITD, R-RUSE, R-VARNA|iosgen <iosgen@localhost>"]
        head = git(repo, "rev-parse", "HEAD").strip()
        assert hook_out.read_text() == f"R-ITD R-RUSE R-VARNA|{head}|{repo.resolve()}"
        hook_out.unlink()

        time.sleep(1.1)  # the header's timestamps have seconds: make them differ
        raw_before = sim.router("R-ITD").running_config()
        _touch_volatile(sim, intended, kh, "1720811")
        assert sim.router("R-ITD").running_config() != raw_before  # volatile lines did move
        quiet = run("backup", "--all", "-o", repo, *opts, *hook)
        assert quiet.exit_code == 0, quiet.output
        assert "no change: nothing committed" in quiet.stdout
        assert len(commits(repo)) == 1 and not hook_out.exists()
        assert git(repo, "status", "--porcelain") == ""

        git(repo, "config", "user.name", "Backup Bot")  # the repository's own identity wins
        git(repo, "config", "user.email", "bot@example.net")
        sim.router("R-VARNA").set_running(intended["R-VARNA"] + "logging 192.0.2.9\n")
        changed = run("backup", "--all", "-o", repo, *opts, *hook)
        assert changed.exit_code == 0, changed.output
        assert commits(repo)[0] == "backup: R-VARNA|Backup Bot <bot@example.net>"
        assert git(repo, "show", "--format=", "--name-only", "HEAD").split() == ["R-VARNA.cfg"]
        assert "+logging 192.0.2.9" in git(repo, "show", "HEAD")
        assert hook_out.read_text().startswith("R-VARNA|")

        failing = ("--on-change", "exit 4")
        sim.router("R-VARNA").set_running(intended["R-VARNA"])
        hook_failed = run("backup", "--all", "-o", repo, *opts, *failing)
        assert hook_failed.exit_code == 1
        assert "error: --on-change command exited 4" in hook_failed.stderr
        assert len(commits(repo)) == 3  # the backup itself is committed

        history = _history(repo)
        leaked = sorted(s for s in _secrets(intended) if s in history)
        assert leaked == []
        assert "<redacted>" in history and "$1$" not in history
    finally:
        for host in HOSTS:
            sim.router(host).set_running(intended[host])


def test_the_store_commits_past_an_ignore_file_and_names_many_routers(tmp_path: Path) -> None:
    from iosgen.fleet.gitstore import open_store

    store = open_store(tmp_path / "new" / "repo")  # made, parents too, and initialised
    (store.folder / ".gitignore").write_text("*.cfg\n")
    paths = []
    for i in range(7):
        path = store.folder / f"R-{i}.cfg"
        path.write_text(f"hostname R-{i}\n")
        paths.append(path)
    commit = store.commit(paths)
    assert commit is not None and commit.added == tuple(f"R-{i}" for i in range(7))
    assert commits(store.folder) == [
        "backup: R-0, R-1, R-2, R-3, R-4 and 2 more|iosgen <iosgen@localhost>"
    ]
    assert git(store.folder, "log", "-1", "--format=%b").strip() == (
        "added: R-0, R-1, R-2, R-3, R-4, R-5, R-6"
    )
    assert store.commit(paths) is None  # nothing changed
    assert open_store(store.folder).folder == store.folder  # an existing store is reused


def test_an_unreachable_router_keeps_its_file_and_the_others_are_committed(
    sim: Any, inventory_dir: Path, tmp_path: Path, intended: dict[str, str]
) -> None:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        closed = int(s.getsockname()[1])
    for host in HOSTS:
        assert sim.router(host).set_running(intended[host]) == []
    port = sim.targets["R-RUSE"].port
    broken = tmp_path / "targets.yaml"
    broken.write_text(
        Path(sim.targets_file).read_text().replace(f"port: {port}", f"port: {closed}")
    )
    repo = tmp_path / "backups"
    repo.mkdir()
    (repo / "R-RUSE.cfg").write_text("hostname R-RUSE\n")  # last week's, never committed
    result = run("backup", "--all", "-o", repo, "--git", "-i", inventory_dir, "--targets", broken,
                 "--known-hosts", tmp_path / "kh")  # fmt: skip
    assert result.exit_code == 3
    assert result.stderr.startswith("error: R-RUSE: ")
    assert commits(repo) == ["backup: R-ITD, R-VARNA|iosgen <iosgen@localhost>"]
    assert (repo / "R-RUSE.cfg").read_text() == "hostname R-RUSE\n"
    assert git(repo, "status", "--porcelain") == "?? R-RUSE.cfg\n"
