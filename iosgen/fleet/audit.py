"""Audit many routers: from saved configs (in worker processes) or live (a session each).

The per-host work is `iosgen.diff.audit.audit_site`; this module only gets the
running configs, spreads the work and gives each host a `HostResult` whose
value is always an `AuditResult` (an `unreachable` one when the config could
not be had). One host's failure is that host's result, never the run's end.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from iosgen.errors import DeviceError, InputError
from iosgen.fleet.runner import HostResult, Results, Verdict, noop, reason, run_fleet

if TYPE_CHECKING:
    from iosgen.device.session import DeviceOptions
    from iosgen.diff.audit import AuditResult
    from iosgen.diff.linux import BoxFile
    from iosgen.model.site import Site


def audited(result: AuditResult, seconds: float = 0.0) -> HostResult[AuditResult]:
    """One audit as a fleet result: drift is failed, `unreachable` is a device error."""
    error = DeviceError(result.host, result.error or "unreachable")
    return HostResult(
        result.host,
        result,
        error if result.status == "unreachable" else None,
        failed=result.status != "in_sync",
        seconds=seconds,
    )


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


def audit_saved(sites: Sequence[Site], folder: Path, workers: int = 1) -> Results[AuditResult]:
    """Audit every site against `<folder>/<hostname>.cfg` (as `backup` writes them; a
    linux-pppd box against its tree `<folder>/<hostname>/`).

    A missing or unreadable file is that host's `unreachable` result. With
    workers > 1 the sites are shared with forked worker processes by index
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
                return Results(pool.map(_audit_shared, range(len(sites)), chunksize=chunk))
        finally:
            _SHARED = None
    return Results(_audit_saved_one(site, folder) for site in sites)


_SHARED: tuple[Sequence[Site], Path] | None = None


def _audit_shared(index: int) -> HostResult[AuditResult]:
    assert _SHARED is not None
    sites, folder = _SHARED
    return _audit_saved_one(sites[index], folder)


def read_saved_tree(folder: Path, paths: Sequence[str]) -> dict[str, BoxFile]:
    """A box's files as `iosgen backup` saved them under `folder` (content and mode; the
    owner is the backup's, not the box's, so it is taken to be root's)."""
    from iosgen.diff.linux import OWNER, BoxFile

    out: dict[str, BoxFile] = {}
    for rel in paths:
        path = folder / rel
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
            mode = path.stat().st_mode & 0o7777
        except FileNotFoundError:
            out[rel] = BoxFile(rel, None)
        else:
            out[rel] = BoxFile(rel, text, mode, OWNER)
    return out


def audit_saved_box(site: Site, folder: Path) -> AuditResult:
    """A linux-pppd box against its saved tree `folder/<hostname>/` (as `iosgen backup`
    writes it): the build's secrets are redacted as the backup's are, so a changed
    secret cannot show; a missing folder is `unreachable`, as a missing .cfg is."""
    from iosgen.build import build_site
    from iosgen.diff.audit import unreachable
    from iosgen.diff.linux import as_saved, audit_tree

    tree = folder / site.hostname
    if not tree.is_dir():
        return unreachable(site.hostname, f"no saved tree {tree}/ (iosgen backup writes it)")
    files = as_saved(build_site(site).files)
    try:
        have = read_saved_tree(tree, [f.path for f in files])
    except OSError as exc:
        return unreachable(site.hostname, f"cannot read {tree}/: {exc.strerror or exc}")
    return audit_tree(site.hostname, files, have)


def _audit_saved_one(site: Site, folder: Path) -> HostResult[AuditResult]:
    from iosgen.diff.audit import audit_site, unreachable
    from iosgen.model.platform import Platform

    start = time.perf_counter()
    if site.platform is Platform.LINUX_PPPD:
        return audited(audit_saved_box(site, folder), time.perf_counter() - start)
    path = folder / f"{site.hostname}.cfg"
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        result = unreachable(site.hostname, f"no saved config {path}: {exc.strerror}")
    else:
        try:
            result = audit_site(site, text, str(path))
        except InputError as exc:
            # A capture that is no config (a line IOS refuses, binary) is bad input for
            # that host: the other hosts are still audited, and the run exits 2.
            seconds = time.perf_counter() - start
            value = unreachable(site.hostname, "; ".join(exc.lines()))
            return HostResult(site.hostname, value, exc, failed=True, seconds=seconds)
    return audited(result, time.perf_counter() - start)


def audit_live(
    sites: Sequence[Site],
    targets_file: Path | None,
    options: DeviceOptions,
    workers: int,
    *,
    on_start: Callable[[str], None] = noop,
    on_done: Callable[[HostResult[AuditResult]], None] = noop,
) -> Results[AuditResult]:
    """Fetch and audit every site's router, `workers` sessions at a time.

    A host whose job raised (unreachable, refused login, Ctrl-C) keeps its error
    and gets an `unreachable` AuditResult as its value, carrying the reason.
    """
    from iosgen.diff.audit import audit_site, unreachable
    from iosgen.model.platform import Platform
    from iosgen.push.linux import linux_audit_job

    fetch = fetch_job(sites, targets_file, options)
    linux = linux_audit_job(targets_file, options)  # a Linux box: its files, not a config
    results = run_fleet(
        list(sites),
        lambda site: (
            linux(site) if site.platform is Platform.LINUX_PPPD else audit_site(site, fetch(site))
        ),
        key=lambda site: site.hostname,
        workers=workers,
        judge=lambda result: _verdict(audited(result)),
        on_start=on_start,
        on_done=on_done,
    )
    return Results(
        r
        if r.value is not None
        else HostResult(
            r.host,
            unreachable(r.host, reason(r.error) if r.error else "failed"),
            r.error,
            failed=True,
            seconds=r.seconds,
        )
        for r in results
    )


def _verdict(result: HostResult[AuditResult]) -> Verdict:
    return Verdict(result.changed, result.failed, result.error)
