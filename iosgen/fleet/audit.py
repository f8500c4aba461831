"""Audit many routers: from saved configs (in worker processes) or live (a session each).

The per-host work is `iosgen.audit.audit_site`; this module only gets the
running configs and spreads the work. One host's failure is that host's
`unreachable` result, never the run's end.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from iosgen.device.session import DeviceOptions
    from iosgen.diff.audit import AuditResult
    from iosgen.model.site import Site


def fetch_job(
    sites: Sequence[Site], targets_file: Path | None, options: DeviceOptions
) -> Callable[[Site], str]:
    """A job fetching `show running-config` from a site's router."""
    # netmiko's package imports are circular: imported for the first time from 20
    # worker threads at once, some get a partially initialised module. Load it here.
    import netmiko  # noqa: F401

    from iosgen.device.session import Device
    from iosgen.model.targets import resolve_targets

    targets = resolve_targets(sites, targets_file)

    def fetch(site: Site) -> str:
        with Device(targets[site.hostname], options) as dev:
            return dev.running_config()

    return fetch


def audit_saved(sites: Sequence[Site], folder: Path, workers: int = 1) -> list[AuditResult]:
    """Audit every site against `<folder>/<hostname>.cfg` (as `backup` writes them).

    With workers > 1 the sites are shared with forked worker processes by index
    (pickling 1,000 site models costs more than auditing them).
    """
    import multiprocessing

    if workers > 1 and len(sites) > 1 and "fork" in multiprocessing.get_all_start_methods():
        from concurrent.futures import ProcessPoolExecutor

        global _SHARED
        _SHARED = (sites, folder)
        try:
            chunk = max(1, len(sites) // (workers * 4))
            context = multiprocessing.get_context("fork")
            with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
                return list(pool.map(_audit_shared, range(len(sites)), chunksize=chunk))
        finally:
            _SHARED = None
    return [_audit_saved_one(site, folder) for site in sites]


_SHARED: tuple[Sequence[Site], Path] | None = None


def _audit_shared(index: int) -> AuditResult:
    assert _SHARED is not None
    sites, folder = _SHARED
    return _audit_saved_one(sites[index], folder)


def _audit_saved_one(site: Site, folder: Path) -> AuditResult:
    from iosgen.diff.audit import audit_site, unreachable

    path = folder / f"{site.hostname}.cfg"
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        return unreachable(site.hostname, f"no saved config {path}: {exc.strerror}")
    return audit_site(site, text, str(path))


def audit_live(
    sites: Sequence[Site], targets_file: Path | None, options: DeviceOptions, workers: int
) -> list[AuditResult]:
    """Fetch and audit every site's router, `workers` sessions at a time."""
    from iosgen.diff.audit import audit_site, unreachable
    from iosgen.fleet.runner import reason, run_fleet

    fetch = fetch_job(sites, targets_file, options)
    results = run_fleet(
        list(sites),
        lambda site: audit_site(site, fetch(site)),
        key=lambda site: site.hostname,
        workers=workers,
        label="audit",
    )
    return [
        r.value
        if r.value is not None
        else unreachable(r.host, reason(r.error) if r.error else "failed")
        for r in results
    ]
