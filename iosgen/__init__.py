"""iosgen: compile a typed site model into IOS 12.4 and Linux pppd configs, check, push, audit.

The public Python API. Each stage takes what the previous one made::

    inventory = load_inventory(Path("inventory"))       # model/: YAML -> validated Site
    build = build_site(inventory.find("R-ITD"))          # build/: Site -> Build (files)
    result = audit_text(build.hostname, build.files[0].content, running)   # diff/
    outcome = push_host(site, target, PushOptions(dry_run=True))          # push/

Names load lazily (PEP 562 `__getattr__`): `import iosgen`, and `iosgen build`,
never import netmiko, paramiko, hier_config or ciscoconfparse; the SSH and diff
libraries load only when a name that needs them is first used.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

__version__ = "0.1.0"

# name -> the module that defines it; `__getattr__` imports that module on first use.
_WHERE: dict[str, str] = {
    # model/: YAML -> validated Site
    "Inventory": "iosgen.model.inventory",
    "load_inventory": "iosgen.model.inventory",
    "Site": "iosgen.model.site",
    "Target": "iosgen.model.targets",
    "target_of": "iosgen.model.targets",
    "resolve_targets": "iosgen.model.targets",
    "Platform": "iosgen.model.platform",
    # build/: Site -> Build
    "Build": "iosgen.build",
    "BuiltFile": "iosgen.build",
    "build_site": "iosgen.build",
    # lint/: findings with stable codes
    "lint_config": "iosgen.lint",
    "lint_site": "iosgen.lint",
    # diff/: intended vs running -> drift, remediation, rollback
    "AuditResult": "iosgen.diff.audit",
    "audit_site": "iosgen.diff.audit",
    "audit_text": "iosgen.diff.audit",
    # device/: one router over SSH
    "Device": "iosgen.device.session",
    "DeviceOptions": "iosgen.device.session",
    "IOS124Driver": "iosgen.device.driver",
    # push/: plan, apply, verify
    "PushOptions": "iosgen.push",
    "PushOutcome": "iosgen.push.outcome",
    "push_host": "iosgen.push",
    "PushPlan": "iosgen.push.plan",
    "plan_push": "iosgen.push.plan",
    # fleet/: many hosts, one result shape
    "HostResult": "iosgen.fleet.runner",
    "Results": "iosgen.fleet.runner",
    # errors: one root, one exit code each (2 bad input, 3 unreachable)
    "IosgenError": "iosgen.errors",
    "InputError": "iosgen.errors",
    "UsageError": "iosgen.errors",
    "RenderError": "iosgen.errors",
    "DeviceError": "iosgen.errors",
    "Problem": "iosgen.errors",
    "AuthError": "iosgen.errors",
    "CommandError": "iosgen.errors",
    "CommitError": "iosgen.errors",
    "ConfigLineError": "iosgen.errors",
    "HostKeyError": "iosgen.errors",
    "SessionLost": "iosgen.errors",
    "Interrupted": "iosgen.errors",
}

# Every public name; tests/test_public_api.py pins this list.
__all__ = [
    "AuditResult",
    "AuthError",
    "Build",
    "BuiltFile",
    "CommandError",
    "CommitError",
    "ConfigLineError",
    "Device",
    "DeviceError",
    "DeviceOptions",
    "HostKeyError",
    "HostResult",
    "IOS124Driver",
    "InputError",
    "Interrupted",
    "Inventory",
    "IosgenError",
    "Platform",
    "Problem",
    "PushOptions",
    "PushOutcome",
    "PushPlan",
    "RenderError",
    "Results",
    "SessionLost",
    "Site",
    "Target",
    "UsageError",
    "audit_site",
    "audit_text",
    "build_site",
    "lint_config",
    "lint_site",
    "load_inventory",
    "plan_push",
    "push_host",
    "resolve_targets",
    "target_of",
]

if TYPE_CHECKING:  # what mypy and editors see; at run time `__getattr__` does the import
    from iosgen.build import Build, BuiltFile, build_site
    from iosgen.device.driver import IOS124Driver
    from iosgen.device.session import Device, DeviceOptions
    from iosgen.diff.audit import AuditResult, audit_site, audit_text
    from iosgen.errors import (
        AuthError,
        CommandError,
        CommitError,
        ConfigLineError,
        DeviceError,
        HostKeyError,
        InputError,
        Interrupted,
        IosgenError,
        Problem,
        RenderError,
        SessionLost,
        UsageError,
    )
    from iosgen.fleet.runner import HostResult, Results
    from iosgen.lint import lint_config, lint_site
    from iosgen.model.inventory import Inventory, load_inventory
    from iosgen.model.platform import Platform
    from iosgen.model.site import Site
    from iosgen.model.targets import Target, resolve_targets, target_of
    from iosgen.push import PushOptions, push_host
    from iosgen.push.outcome import PushOutcome
    from iosgen.push.plan import PushPlan, plan_push


def __getattr__(name: str) -> object:
    """Import the module behind a public name on first use, then keep the name here."""
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'iosgen' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # the next lookup is an ordinary module attribute
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
