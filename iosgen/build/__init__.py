"""One site's build on its platform: a set of files (one IOS config, or a Linux file tree)."""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from iosgen.errors import UsageError
from iosgen.model.site import Site
from iosgen.build.ios import render


@dataclass(frozen=True)
class BuiltFile:
    path: str  # relative, POSIX separators
    content: str
    mode: int = 0o644


@dataclass(frozen=True)
class Build:
    hostname: str
    platform: str
    files: tuple[BuiltFile, ...]
    secret_tokens: dict[str, str] = field(default_factory=dict)

    @property
    def single(self) -> BuiltFile | None:
        """The IOS config, where the build is one file."""
        return self.files[0] if self.platform == "ios" else None

    def masked(self, text: str) -> str:
        for token, mask in self.secret_tokens.items():
            text = text.replace(f" {token}\n", f" {mask}\n")
        return text


def build_site(site: Site) -> Build:
    if site.platform == "linux-pppd":
        from iosgen.build.linux import render_linux

        files, tokens = render_linux(site)
        return Build(site.hostname, site.platform, tuple(files), tokens)
    rendered = render(site)
    return Build(
        site.hostname,
        site.platform,
        # type-7 and md5 secrets inside: readable by the owner only
        (BuiltFile(f"{site.hostname}.cfg", rendered.text, 0o600),),
        rendered.secret_tokens,
    )


def golden_path(root: Path, build: Build) -> Path:
    """`golden/R-ITD.cfg` for one-file builds, `golden/HOST/` for trees."""
    return root / build.files[0].path if build.platform == "ios" else root / build.hostname


def write_atomic(path: Path, content: str, mode: int = 0o644) -> None:
    """Write via a temporary file in the same folder and rename: never half-written.

    Errors name `path`, never the temporary file (a name the user never gave)."""
    if path.is_dir():
        raise UsageError(f"{path} is a directory, not a file")
    _refuse_special(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(content)
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise OSError(exc.errno, exc.strerror, str(path)) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _refuse_special(path: Path) -> None:
    """A device, FIFO or socket is never replaced: the rename would swap `/dev/null`
    (as root) for a config file."""
    if path.exists() and not path.is_file() and not path.is_dir():
        raise UsageError(f"{path} exists and is not a regular file: nothing written")


def _paths(build: Build, target: Path) -> list[Path]:
    if build.platform == "ios":
        return [target]
    return [target / item.path for item in build.files]


def check_target(build: Build, target: Path) -> None:
    """Refuse, before anything is written, a target that a folder or file is in the way of."""
    for path in _paths(build, target):
        if path.is_dir():
            raise UsageError(f"{path} is a directory, not a file")
        _refuse_special(path)
        for parent in path.parents:
            if parent.exists():
                if not parent.is_dir():
                    raise UsageError(f"{parent} is a file, not a folder")
                break


def write_build(build: Build, target: Path) -> list[Path]:
    """One-file builds go to `target` itself; trees below the folder `target`."""
    check_target(build, target)
    if build.platform == "ios":
        write_atomic(target, build.files[0].content, build.files[0].mode)
        return [target]
    written = []
    for item in build.files:
        path = target / item.path
        write_atomic(path, item.content, item.mode)
        written.append(path)
    return written
