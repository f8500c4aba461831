"""Reading the simulated routers back: audit against a step's build, verify a step."""

from __future__ import annotations

from pathlib import Path

from iosgen.device.session import Device, DeviceOptions
from iosgen.diff.audit import audit_site
from iosgen.model.site import Site
from iosgen.model.targets import Target
from iosgen.network.verify import HostReport, verify_target


def options(tmp: Path) -> DeviceOptions:
    return DeviceOptions(known_hosts=tmp / "known_hosts", accept_new_host_key=True, read_timeout=30)


def drift(site: Site, target: Target, tmp: Path) -> list[str]:
    """The drift items of the router against `site`'s build (empty: it audits clean)."""
    with Device(target, options(tmp)) as device:
        running = device.running_config()
    return [item.render() for item in audit_site(site, running).drift.real]


def verify(site: Site, target: Target, fleet: tuple[Site, ...], tmp: Path) -> HostReport:
    return verify_target(site, target, options(tmp), list(fleet))


def failed(report: HostReport) -> list[str]:
    return [f"{c.check} {c.tunnel}: {c.reason}" for c in report.checks if not c.ok]
