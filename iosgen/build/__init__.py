"""One site's build on its platform: a set of files (one IOS config, or a Linux file tree).

`PLATFORMS` says, per `Platform`, how a site is built and where its build goes:
one file (`golden/R-ITD.cfg`, `-o out/R-ITD.cfg`) or a folder of files
(`golden/plovdiv-gw/etc/ppp/...`), and what `iosgen lint` reads of it.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Literal, NamedTuple

from iosgen.build.files import MODE_SECRET, BuiltFile, mask_tokens
from iosgen.build.headoffice import compiled
from iosgen.build.ios import render
from iosgen.errors import UsageError
from iosgen.model.platform import Platform
from iosgen.model.site import Site


class Build(NamedTuple):
    hostname: str
    platform: Platform
    files: tuple[BuiltFile, ...]
    secret_tokens: dict[str, str]

    @property
    def builder(self) -> PlatformBuilder:
        return PLATFORMS[self.platform]

    @property
    def single(self) -> BuiltFile | None:
        """The IOS config, where the build is one file."""
        return self.files[0] if self.builder.single_file else None

    def masked(self, text: str) -> str:
        return mask_tokens(text, self.secret_tokens)


Renderer = Callable[[Site], tuple[list[BuiltFile], dict[str, str]]]
# What `iosgen lint` reads of a site: its built IOS config ("config"), or, where the
# build is no IOS config, the site model itself ("model": the SITE4xx checks).
LintSource = Literal["config", "model"]


class PlatformBuilder(NamedTuple):
    """How one platform builds a site, and where that build is written."""

    platform: Platform
    render: Renderer  # the files (paths relative to the build) and the masking tokens
    single_file: bool  # one file written as the target itself, else a tree below a folder
    lint: LintSource

    def build(self, site: Site) -> Build:
        files, tokens = self.render(site)
        return Build(site.hostname, self.platform, tuple(files), tokens)

    def path_in(self, folder: Path, build: Build) -> Path:
        """Where the build goes inside `folder`: `folder/R-ITD.cfg` or `folder/HOST/`."""
        return folder / (build.files[0].path if self.single_file else build.hostname)

    def paths(self, build: Build, target: Path) -> list[Path]:
        """The files written when the build goes to `target`."""
        if self.single_file:
            return [target]
        return [target / item.path for item in build.files]


def _render_ios(site: Site) -> tuple[list[BuiltFile], dict[str, str]]:
    rendered = render(site)
    # type-7 and md5 secrets inside: readable by the owner only
    return [BuiltFile(f"{site.hostname}.cfg", rendered.text, MODE_SECRET)], rendered.secret_tokens


def _render_linux(site: Site) -> tuple[list[BuiltFile], dict[str, str]]:
    # imported here: an IOS build (the common case) never loads the Linux renderer
    from iosgen.build.linux import render_linux

    return render_linux(site)


PLATFORMS: dict[Platform, PlatformBuilder] = {
    Platform.IOS: PlatformBuilder(Platform.IOS, _render_ios, single_file=True, lint="config"),
    Platform.LINUX_PPPD: PlatformBuilder(
        Platform.LINUX_PPPD, _render_linux, single_file=False, lint="model"
    ),
}


def build_site(site: Site, fleet: Iterable[Site] | None = None) -> Build:
    """The site's build. A head office compiled from its branches
    (`pptp_server.from_branches`) reads them from `fleet` (the inventory's sites), else
    from the sites the loader attached; every other site builds from itself alone."""
    if fleet is not None:
        sites = tuple(fleet)
        if site.fleet is None and site.needs_fleet:
            # a WireGuard head office or branch reads its peers' keys from the fleet
            site = site.model_copy()
            site.with_fleet(sites)
        site = compiled(site, sites)
    return PLATFORMS[site.platform].build(site)


def golden_path(root: Path, build: Build) -> Path:
    """`golden/R-ITD.cfg` for one-file builds, `golden/HOST/` for trees."""
    return build.builder.path_in(root, build)


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


def check_target(build: Build, target: Path) -> None:
    """Refuse, before anything is written, a target that a folder or file is in the way of."""
    for path in build.builder.paths(build, target):
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
    written = build.builder.paths(build, target)
    for item, path in zip(build.files, written, strict=True):
        write_atomic(path, item.content, item.mode)
    return written


__all__ = [
    "PLATFORMS",
    "Build",
    "BuiltFile",
    "LintSource",
    "Platform",
    "PlatformBuilder",
    "build_site",
    "check_target",
    "golden_path",
    "write_atomic",
    "write_build",
]
