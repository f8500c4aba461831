"""Fleet jobs against three simulated routers (real SSH), one of them unreachable.

Every job gives every host one result; the unreachable one is a device error
(exit 3) and never stops the others; the progress callbacks hear of each host once.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

from iosgen.build.ios import render
from iosgen.cli.progress import ProgressBar
from iosgen.device.session import DeviceOptions
from iosgen.errors import DeviceError
from iosgen.fleet.audit import audit_live
from iosgen.fleet.backup import backup_fleet
from iosgen.fleet.push import plan_results
from iosgen.fleet.runner import HostResult
from iosgen.model.inventory import load_files, site_files
from iosgen.model.secret import SecretResolver
from iosgen.model.site import Site
from iosgen.model.targets import resolve_targets
from iosgen.push.flow import PushOptions
from iosgen.push.outcome import Status
from iosgen.sim import RouterSpec, SimFleet
from tests.audit.conftest import IOS_SITE_FILES, ROOT, demo_env

DOWN = "R-RUSE"  # the router whose port nothing listens on


@pytest.fixture(scope="module")
def sites() -> list[Site]:
    files = [f for f in site_files(ROOT / "inventory") if f.name in IOS_SITE_FILES]
    inv = load_files(files, SecretResolver(environ=demo_env()), ROOT / "inventory")
    return sorted(inv.sites, key=lambda s: s.hostname)


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def targets(tmp_path_factory: pytest.TempPathFactory, sites: list[Site]) -> Iterator[Path]:
    """The simulator's targets file, with DOWN's port pointing at nothing."""
    specs = [
        RouterSpec(
            hostname=s.hostname,
            username=s.management.username,
            password=s.management.password.reveal(),
            enable_secret=s.management.enable_secret.reveal()
            if s.management.enable_secret
            else None,
            initial_config=render(s).text,
        )
        for s in sites
    ]
    with SimFleet(specs, state_dir=tmp_path_factory.mktemp("sim")) as fleet:
        text = Path(fleet.targets_file).read_text()
        port = fleet.targets[DOWN].port
        broken = tmp_path_factory.mktemp("targets") / "targets.yaml"
        broken.write_text(text.replace(f"port: {port}", f"port: {_closed_port()}"))
        yield broken


@pytest.fixture
def options(tmp_path: Path) -> DeviceOptions:
    return DeviceOptions(known_hosts=tmp_path / "known_hosts", read_timeout=10.0)


def _check_down(results: Sequence[HostResult[Any]], sites: list[Site]) -> None:
    assert [r.host for r in results] == [s.hostname for s in sites]
    down = {r.host: r for r in results}[DOWN]
    assert isinstance(down.error, DeviceError) and down.unreachable and down.failed
    assert [r.host for r in results if r.unreachable] == [DOWN]


def test_audit_live_one_unreachable(
    sites: list[Site], targets: Path, options: DeviceOptions
) -> None:
    with ProgressBar("audit", len(sites), show=False) as bar:
        results = audit_live(
            sites, targets, options, workers=3, on_start=bar.on_start, on_done=bar.on_done
        )
    _check_down(results, sites)
    assert sorted(bar.started) == sorted(bar.done) == sorted(s.hostname for s in sites)
    statuses = {r.host: r.value.status for r in results if r.value is not None}
    assert statuses == {"R-ITD": "in_sync", "R-RUSE": "unreachable", "R-VARNA": "in_sync"}
    assert results.failed_hosts == [DOWN]
    assert results.exit_code == 3


def test_backup_one_unreachable(
    sites: list[Site], targets: Path, options: DeviceOptions, tmp_path: Path
) -> None:
    done: list[str] = []
    results = backup_fleet(
        sites, tmp_path / "bk", targets, options, workers=3, on_done=lambda r: done.append(r.host)
    )
    _check_down(results, sites)
    assert sorted(done) == sorted(s.hostname for s in sites)
    assert sorted(p.name for p in (tmp_path / "bk").iterdir()) == ["R-ITD.cfg", "R-VARNA.cfg"]
    assert results.values() == [tmp_path / "bk" / "R-ITD.cfg", tmp_path / "bk" / "R-VARNA.cfg"]
    saved = (tmp_path / "bk" / "R-ITD.cfg").read_text()
    assert "<redacted>" in saved and "$1$" not in saved
    assert (tmp_path / "bk" / "R-ITD.cfg").stat().st_mode & 0o777 == 0o600
    assert results.exit_code == 3


def test_plan_one_unreachable(
    sites: list[Site], targets: Path, options: DeviceOptions, tmp_path: Path
) -> None:
    resolved = resolve_targets(sites, targets)
    jobs = [(s, resolved[s.hostname]) for s in sites]
    push = PushOptions(device=options, history_dir=tmp_path / "h", lock_dir=tmp_path / "l")
    done: list[str] = []
    results = plan_results(jobs, push, workers=3, on_done=lambda r: done.append(r.host))
    _check_down(results, sites)
    assert sorted(done) == sorted(s.hostname for s in sites)
    outcomes = {o.host: o.status for o in results.values()}
    assert outcomes == {
        "R-ITD": Status.IN_SYNC,
        "R-RUSE": Status.UNREACHABLE,
        "R-VARNA": Status.IN_SYNC,
    }
    assert not any(r.changed for r in results)  # a plan changes nothing
    assert results.exit_code == 3
