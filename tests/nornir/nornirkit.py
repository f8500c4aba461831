"""Helpers for the Nornir tests: the example inventory, its secrets, the simulated routers' specs,
and real Nornir (threaded runner) on the IosgenInventory plugin."""

from __future__ import annotations

import re
from pathlib import Path

from nornir import InitNornir
from nornir.core import Nornir

from iosgen.model.inventory import load_inventory
from iosgen.model.platform import Platform
from iosgen.model.secret import read_env_file
from iosgen.sim import RouterSpec

ROOT = Path(__file__).resolve().parents[2]
INVENTORY = ROOT / "inventory"
ENV = read_env_file(INVENTORY / "example.env")
SECRETS = tuple(v for k, v in ENV.items() if k.startswith("IOSGEN_"))
# a secret as IOS prints it, not masked
PRINTED_SECRET_RE = re.compile(r"\b(?:password|secret) [057] (?!<redacted>)\S+")


def leaks(text: str) -> list[str]:
    """Every secret in `text`: the example's clear values, printed hashes or type 7."""
    return [s for s in SECRETS if s in text] + PRINTED_SECRET_RE.findall(text)


def router_specs() -> list[RouterSpec]:
    """One bare router per IOS site, its hardware and account the site's (as `iosgen sim`)."""
    specs = []
    for site in load_inventory(INVENTORY).sites:
        if site.platform != Platform.IOS:
            continue
        mgmt = site.management
        specs.append(
            RouterSpec(
                hostname=site.hostname,
                username=mgmt.username,
                password=mgmt.password.reveal(),
                enable_secret=mgmt.enable_secret.reveal() if mgmt.enable_secret else None,
                model=site.hardware.model,
                modules=tuple(sorted(site.hardware.modules.items())),
                image=site.hardware.image,
                feature_set=site.hardware.feature_set,
            )
        )
    return specs


def nornir_on(targets: Path | None, *, dry_run: bool = False, workers: int = 4) -> Nornir:
    options: dict[str, str] = {"inventory": str(INVENTORY)}
    if targets is not None:
        options["targets"] = str(targets)
    return InitNornir(
        dry_run=dry_run,
        runner={"plugin": "threaded", "options": {"num_workers": workers}},
        inventory={"plugin": "IosgenInventory", "options": options},
        logging={"enabled": False},
    )
