"""`IosgenInventory`: iosgen's inventory (defaults, groups, sites) as a Nornir inventory.

Registered under Nornir's `nornir.plugins.inventory` entry point (pyproject.toml), so

    InitNornir(inventory={"plugin": "IosgenInventory",
                          "options": {"inventory": "inventory", "targets": "sim-targets.yaml"}})

gives one Nornir host per site. `defaults.yaml` becomes the Nornir defaults' data and
each `groups/<name>.yaml` a Nornir group's data (as typed: `${ENV}` references stay
references). A host's connection fields come from the targets file's entry when a
targets file is given, else from the site's `management` block; `host.data["site"]`
is the validated iosgen `Site` the tasks of `iosgen.nornir.tasks` work on.

Nornir imports every registered inventory plugin on each `InitNornir`, whichever
plugin is asked for: this module imports nothing heavy until `load()`.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from nornir.core.inventory import (
    ConnectionOptions,
    Defaults,
    Group,
    Groups,
    Host,
    Hosts,
    Inventory,
    ParentGroups,
)

from iosgen.errors import InputError, Problem, UsageError

if TYPE_CHECKING:
    from iosgen.model.inventory import Inventory as IosgenInventoryData
    from iosgen.model.site import Site
    from iosgen.model.targets import Target

# iosgen's platform -> Nornir's `platform` (the netmiko/napalm name connection plugins read)
NORNIR_PLATFORM: dict[str, str] = {"ios": "cisco_ios", "linux": "linux"}

OPTIONS = ("inventory", "targets", "secrets")

# host.data keys this plugin sets; the tasks read them
SITE_KEY = "site"
TARGET_KEY = "target"
FILE_KEY = "file"


def _path_option(name: str, value: object) -> Path:
    if isinstance(value, str | os.PathLike) and str(value):
        return Path(value)
    raise UsageError(
        f"IosgenInventory: option {name!r} must be a path (a string), not {type(value).__name__}"
    )


class IosgenInventory:
    """Nornir inventory plugin: `inventory` (the folder), `targets` (a targets file,
    optional), `secrets` (a secrets file, optional; default `<inventory>/secrets.yaml`)."""

    def __init__(
        self,
        inventory: str | os.PathLike[str] = "inventory",
        targets: str | os.PathLike[str] | None = None,
        secrets: str | os.PathLike[str] | None = None,
        **unknown: Any,
    ) -> None:
        if unknown:
            names = ", ".join(repr(k) for k in sorted(unknown))
            raise UsageError(
                f"IosgenInventory: unknown option {names}",
                hint=f"the options are {', '.join(OPTIONS)}",
            )
        self.inventory = _path_option("inventory", inventory)
        self.targets = None if targets is None else _path_option("targets", targets)
        self.secrets = None if secrets is None else _path_option("secrets", secrets)

    def load(self) -> Inventory:
        from iosgen.model.inventory import load_inventory

        if not self.inventory.is_dir():
            raise UsageError(f"IosgenInventory: no inventory folder {self.inventory}")
        if self.targets is not None and not self.targets.is_file():
            raise UsageError(f"IosgenInventory: no targets file {self.targets}")
        data = load_inventory(self.inventory, self.secrets)
        targets = self._targets(data)
        defaults = Defaults(data=_mapping_of(self.inventory / "defaults.yaml"))
        groups = Groups()
        for site in data.sites:
            for name in site.groups:
                if name not in groups:
                    raw = _mapping_of(self.inventory / "groups" / f"{name}.yaml")
                    groups[name] = Group(name, data=raw, defaults=defaults)
        hosts = Hosts()
        for site in data.sites:
            hosts[site.hostname] = _host(
                site, targets[site.hostname], data.file_of(site), groups, defaults
            )
        return Inventory(hosts=hosts, groups=groups, defaults=defaults)

    def _targets(self, data: IosgenInventoryData) -> dict[str, Target | None]:
        """Each site's target; None for a site the targets file does not name."""
        from iosgen.model.targets import read_targets_file, target_of

        if self.targets is None:
            return {site.hostname: target_of(site) for site in data.sites}
        entries = read_targets_file(self.targets)
        known = {site.hostname.lower() for site in data.sites}
        strays = [t for key, t in entries.items() if key not in known]
        if strays:
            raise InputError([_stray(self.targets, t.hostname, data) for t in strays])
        # A site the file does not name gets no address at all: never the inventory's
        # (production) one when a targets file was given (as `resolve_targets`).
        return {site.hostname: entries.get(site.hostname.lower()) for site in data.sites}


def _stray(path: Path, hostname: str, data: IosgenInventoryData) -> Problem:
    """A targets entry that names no site: a Nornir host without a site."""
    from iosgen.model.yamlsource import load_yaml

    _data, source = load_yaml(path)
    pos = source.locate((hostname,), prefer_key=True)
    line, column = (pos.line, pos.column) if pos else (1, 1)
    known = ", ".join(s.hostname for s in data.sites) or "none"
    return Problem(str(path), line, column, hostname, f"no site has this hostname (sites: {known})")


def _mapping_of(path: Path) -> dict[str, Any]:
    """A defaults or group file's mapping, as typed (already validated by the load)."""
    from iosgen.model.yamlsource import load_yaml

    if not path.is_file():
        return {}
    data, _source = load_yaml(path)
    return dict(data) if isinstance(data, dict) else {}


def _host(
    site: Site, target: Target | None, file: Path, groups: Groups, defaults: Defaults
) -> Host:
    enable = target.enable_secret if target is not None else None
    # nornir_netmiko reads the enable secret from the `netmiko` connection's extras
    extras = {"secret": enable.reveal()} if enable is not None else None
    return Host(
        name=site.hostname,
        hostname=target.host if target else None,
        port=target.port if target else None,
        username=target.username if target else None,
        password=target.password.reveal() if target else None,
        platform=NORNIR_PLATFORM[str(site.platform)],
        groups=ParentGroups([groups[name] for name in site.groups]),
        data={SITE_KEY: site, TARGET_KEY: target, FILE_KEY: file},
        connection_options={"netmiko": ConnectionOptions(extras=extras)} if extras else None,
        defaults=defaults,
    )
