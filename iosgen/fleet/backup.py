"""Back up many routers: fetch `show running-config`, redact it, write it atomically.

Each host's value is the path written (`<folder>/<hostname>.cfg`, mode 0600:
even redacted, a config maps the network). An unreachable router is that
host's error; the others are still saved.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from iosgen.errors import IosgenError
from iosgen.fleet.audit import fetch_job
from iosgen.fleet.runner import HostResult, Results, noop, run_fleet

if TYPE_CHECKING:
    from iosgen.device.session import DeviceOptions
    from iosgen.model.site import Site


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
    """Save each router's running config as `folder/<hostname>.cfg`, secrets redacted
    unless `show_secrets` (then `<redacted>` stands where IOS prints a secret)."""
    from iosgen.build import write_atomic
    from iosgen.ios.secrets import redact

    fetch = fetch_job(sites, targets_file, options)

    def backup(site: Site) -> Path:
        text = fetch(site)
        path = folder / f"{site.hostname}.cfg"
        try:
            write_atomic(path, text if show_secrets else redact(text), 0o600)
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
