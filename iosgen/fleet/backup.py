"""Back up many routers: fetch `show running-config`, redact it, normalise it, write it
atomically.

Each host's value is the path written (`<folder>/<hostname>.cfg`, mode 0600:
even redacted, a config maps the network). An unreachable router is that
host's error; the others are still saved. Normalised (`normalise`), two backups
of a router nobody configured are the same bytes, so a Git history of them
(`fleet.gitstore`) moves only when the configuration does.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from iosgen.errors import IosgenError
from iosgen.fleet.audit import fetch_job
from iosgen.fleet.runner import HostResult, Results, noop, run_fleet
from iosgen.ios.config import BANNER_RE
from iosgen.ios.lines import HEADER_COMMENTS, VOLATILE_PREFIXES

if TYPE_CHECKING:
    from iosgen.device.session import DeviceOptions
    from iosgen.model.site import Site

# Lines IOS prints that are not configuration (ios.lines): the header, which moves
# with every write and every byte of config (`! Last configuration change at ...`,
# `Current configuration : 2028 bytes`), the clock trim NTP keeps adjusting
# (`ntp clock-period 17208943`), and what is never typed (`version 12.4`, the boot
# markers). Only at the start of a line, outside a banner: a banner's text is the
# operator's.
DROPPED: tuple[str, ...] = VOLATILE_PREFIXES + HEADER_COMMENTS


def normalise(text: str) -> str:
    r"""The config as a backup keeps it: `\n` line ends, no trailing blanks, no line of
    DROPPED, nothing but configuration before the first line of it, and one `!` for a
    run of them (the header's `!`, and the `!` around a dropped line, come and go with it).

    >>> print(normalise("Building configuration...\r\n\r\nCurrent configuration : 99 bytes\r\n"
    ...                 "!\r\n! Last configuration change at 10:02:11 UTC Mon Mar 1 2026\r\n"
    ...                 "!\r\nhostname R1  \r\n!\r\nntp clock-period 17208943\r\n!\r\nend\r\n"),
    ...       end="")
    hostname R1
    !
    end
    """
    out: list[str] = []
    delim: str | None = None  # inside a banner: the delimiter that ends it
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = raw.rstrip()
        if delim is not None:
            out.append(line)
            if delim in line:
                delim = None
            continue
        if line.startswith(DROPPED) or (line in ("", "!") and (not out or out[-1] == "!")):
            continue
        banner = BANNER_RE.match(line) if line.startswith("banner ") else None
        if banner and banner["delim"] not in banner["rest"]:
            delim = banner["delim"]
        out.append(line)
    while out and not out[-1]:
        out.pop()
    return "\n".join(out) + "\n" if out else ""


def backup_fleet(
    sites: Sequence[Site],
    folder: Path,
    targets_file: Path | None,
    options: DeviceOptions,
    *,
    show_secrets: bool = False,
    workers: int = 20,
    on_start: Callable[[str], None] = noop,
    on_done: Callable[[HostResult[Path]], None] = noop,
) -> Results[Path]:
    """Save each router's running config, normalised, as `folder/<hostname>.cfg`, secrets
    redacted (`<redacted>` where IOS prints a secret) unless `show_secrets`."""
    from iosgen.build import write_atomic
    from iosgen.ios.secrets import redact
    from iosgen.model.platform import Platform

    fetch = fetch_job(sites, targets_file, options)
    boxes = [s for s in sites if s.platform is Platform.LINUX_PPPD]
    box_backup = _box_backup(folder, targets_file, options) if boxes else None

    def backup(site: Site) -> Path:
        if box_backup is not None and site.platform is Platform.LINUX_PPPD:
            return box_backup(site)  # a Linux box: its managed files, folder/<hostname>/
        text = fetch(site)
        path = folder / f"{site.hostname}.cfg"
        try:
            write_atomic(path, normalise(text if show_secrets else redact(text)), 0o600)
        except OSError as exc:
            # the router answered: a folder we cannot write is this host's failure
            raise IosgenError(f"{site.hostname}: cannot write {path}: {exc.strerror}") from None
        return path

    return run_fleet(
        list(sites),
        backup,
        key=lambda site: site.hostname,
        workers=workers,
        on_start=on_start,
        on_done=on_done,
    )


def _box_backup(
    folder: Path, targets_file: Path | None, options: DeviceOptions
) -> Callable[[Site], Path]:
    """A linux-pppd box's backup: the files iosgen manages there, secrets redacted
    (iosgen.push.linux), under `folder/<hostname>/`."""
    from iosgen.errors import UsageError
    from iosgen.model.targets import read_targets_file
    from iosgen.push.linux import LinuxPushOptions, backup_linux_site

    overrides = read_targets_file(targets_file) if targets_file is not None else None
    device = LinuxPushOptions.of(options).device

    def job(site: Site) -> Path:
        if overrides is not None and site.hostname.lower() not in overrides:
            raise UsageError(f"{targets_file} has no entry for {site.hostname}")
        target = overrides[site.hostname.lower()] if overrides is not None else None
        return backup_linux_site(site, folder, options=device, target=target)

    return job
