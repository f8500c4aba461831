"""Backups kept in a Git repository: one commit per run, naming the routers that changed.

Plain `git` through subprocess (Debian's `git` package; no Python dependency). The
folder is checked before any router is asked (`open_store`), so a folder that cannot
hold the history is one error and nothing is written. A run stages only the files
it wrote and commits only when one of them differs from the last commit: configs
are normalised first (`fleet.backup.normalise`), so a run where only the header
or the clock trim moved makes no commit.

The drift hook (`--on-change CMD`) is run with the environment of `hook_env`.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from iosgen.errors import IosgenError, UsageError

# Used unless the repository itself sets user.name / user.email (its own config,
# not the operator's ~/.gitconfig: a cron job should not commit as a person).
IDENTITY = ("iosgen", "iosgen@localhost")
# A subject names at most this many routers; the body lists them all.
SUBJECT_HOSTS = 5
# Variables git reads that would point it at another repository: set inside a Git
# hook (pre-commit runs iosgen with GIT_INDEX_FILE set) they would commit elsewhere.
_GIT_LOCATION_VARS = (
    "GIT_DIR",
    "GIT_WORK_TREE",
    "GIT_INDEX_FILE",
    "GIT_OBJECT_DIRECTORY",
    "GIT_ALTERNATE_OBJECT_DIRECTORIES",
    "GIT_COMMON_DIR",
    "GIT_NAMESPACE",
    "GIT_PREFIX",
)


class GitError(IosgenError):
    """git failed on a folder iosgen checked: its message, as one error."""


@dataclass(frozen=True, slots=True)
class Commit:
    """What one run recorded: the commit id, and the routers added or changed."""

    sha: str
    added: tuple[str, ...]
    changed: tuple[str, ...]

    @property
    def hosts(self) -> tuple[str, ...]:
        return tuple(sorted((*self.added, *self.changed)))


@dataclass(frozen=True, slots=True)
class GitStore:
    """A folder that is the top of its own Git work tree."""

    folder: Path

    def git(
        self, *args: str, check: bool = True, input: str | None = None
    ) -> subprocess.CompletedProcess[str]:
        return _git(self.folder, *args, check=check, input=input)

    def commit(self, paths: Sequence[Path]) -> Commit | None:
        """Stage `paths` (files in the folder) and commit them if any differs from HEAD."""
        if not paths:
            return None
        names = [p.name for p in paths]
        # -f: a .gitignore of the repository (`*.cfg`) does not stop the backup itself
        self.git("add", "-f", "--", *names)
        status = self.git("diff", "--cached", "--name-status", "--no-renames", "--", *names)
        added: list[str] = []
        changed: list[str] = []
        for row in status.stdout.splitlines():
            kind, _, name = row.partition("\t")
            # a router is `R-ITD.cfg`; a Linux box a folder, `plovdiv-gw/etc/ppp/...`
            host = name.split("/", 1)[0].removesuffix(".cfg")
            bucket = added if kind == "A" else changed
            if host not in added and host not in changed:
                bucket.append(host)
        if not added and not changed:
            return None
        message = commit_message(sorted(added), sorted(changed))
        self.git(*self._identity(), "commit", "-q", "--no-verify", "-F", "-", "--", *names,
                 input=message)  # fmt: skip
        sha = self.git("rev-parse", "HEAD").stdout.strip()
        return Commit(sha, tuple(sorted(added)), tuple(sorted(changed)))

    def _identity(self) -> list[str]:
        out: list[str] = []
        for key, value in zip(("user.name", "user.email"), IDENTITY, strict=True):
            if self.git("config", "--local", "--get", key, check=False).returncode != 0:
                out += ["-c", f"{key}={value}"]
        return out


def commit_message(added: Sequence[str], changed: Sequence[str]) -> str:
    """`backup: R-ITD, R-VARNA` (at most SUBJECT_HOSTS names, then `and N more`), and a
    body with every router, added or changed.

    >>> print(commit_message(["R-NEW"], ["R-ITD"]))
    backup: R-ITD, R-NEW
    <BLANKLINE>
    added: R-NEW
    changed: R-ITD
    <BLANKLINE>
    """
    hosts = sorted((*added, *changed))
    shown = ", ".join(hosts[:SUBJECT_HOSTS])
    more = len(hosts) - SUBJECT_HOSTS
    subject = f"backup: {shown}" + (f" and {more} more" if more > 0 else "")
    body = [
        f"{kind}: {', '.join(names)}"
        for kind, names in (("added", added), ("changed", changed))
        if names
    ]
    return "\n".join([subject, "", *body, ""])


def open_store(folder: Path) -> GitStore:
    """The folder as a Git store: created and `git init`-ed when it is none yet.

    Refused (UsageError, exit 2) before anything is written: a path that is not a
    folder, a folder inside a `.git` directory, and a folder inside another
    repository's work tree (its commits would mix with that project's history).
    """
    if shutil.which("git") is None:
        raise UsageError("--git needs the `git` program, and it is not on PATH",
                         hint="install it (Debian: apt-get install git)")  # fmt: skip
    if folder.exists() and not folder.is_dir():
        raise UsageError(
            f"{folder}: not a folder; --git keeps the backups in a folder of their own"
        )
    # A folder still to be made is judged by the nearest folder that exists: made inside
    # another work tree (or a .git directory) it would be a repository nested in that one.
    existing = folder
    while not existing.exists():
        existing = existing.parent
    if not existing.is_dir():
        raise UsageError(f"{folder}: {existing} is not a folder")
    inside = _git(existing, "rev-parse", "--is-inside-git-dir", check=False)
    if inside.returncode != 0:  # no repository here or above: this folder becomes one
        folder.mkdir(parents=True, exist_ok=True)
        return _init(folder)
    if inside.stdout.strip() == "true":
        raise UsageError(f"{folder}: inside a .git directory; give the repository's top folder")
    top = Path(_git(existing, "rev-parse", "--show-toplevel").stdout.strip())
    if existing != folder or top.resolve() != folder.resolve():
        raise UsageError(
            f"{folder}: inside the Git work tree of {top}; the backups would be committed "
            "into that repository's history",
            hint="give a folder of its own (a new one, or the top of a backup repository)",
        )
    return GitStore(folder)


def _init(folder: Path) -> GitStore:
    _git(folder, "init", "-q")
    return GitStore(folder)


def _git(
    folder: Path, *args: str, check: bool = True, input: str | None = None
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in _GIT_LOCATION_VARS}
    env |= {"LC_ALL": "C", "GIT_TERMINAL_PROMPT": "0"}
    proc = subprocess.run(
        ["git", "-C", str(folder), *args],
        input=input,
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    if check and proc.returncode != 0:
        reason = (proc.stderr.strip() or proc.stdout.strip()).splitlines()
        raise GitError(f"git {args[0]} in {folder}: {reason[-1] if reason else 'failed'}")
    return proc


def hook_env(store: GitStore, commit: Commit, base: Mapping[str, str]) -> dict[str, str]:
    """What `--on-change CMD` gets: the environment, and

    IOSGEN_CHANGED  the routers added or changed, space-separated (hostnames have no spaces)
    IOSGEN_ADDED    those among them new in the repository
    IOSGEN_COMMIT   the commit id
    IOSGEN_BACKUP_DIR  the repository's folder (absolute)
    """
    return dict(base) | {
        "IOSGEN_CHANGED": " ".join(commit.hosts),
        "IOSGEN_ADDED": " ".join(commit.added),
        "IOSGEN_COMMIT": commit.sha,
        "IOSGEN_BACKUP_DIR": str(store.folder.resolve()),
    }


def run_hook(command: str, store: GitStore, commit: Commit) -> int:
    """Run `command` with /bin/sh in the backup folder (the operator's own command line,
    as cron would run it); its exit status."""
    env = {k: v for k, v in os.environ.items() if k not in _GIT_LOCATION_VARS}
    proc = subprocess.run(
        command, shell=True, cwd=store.folder, env=hook_env(store, commit, env), check=False
    )
    return proc.returncode
