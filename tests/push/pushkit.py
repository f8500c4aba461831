"""Helpers for push tests: the example secrets, the simulated R-ITD's spec, a test bench."""

from __future__ import annotations

import dataclasses
import re
import shutil
from collections.abc import Iterable
from pathlib import Path

from iosgen.model.secret import read_env_file
from iosgen.model.targets import Target
from iosgen.push import PushOptions
from iosgen.sim import RouterSpec, SimFleet

ROOT = Path(__file__).resolve().parents[2]
ENV_FILE = ROOT / "inventory" / "example.env"
SITE_FILE = ROOT / "inventory" / "sites" / "plovdiv.yaml"


def example_env() -> dict[str, str]:
    return read_env_file(ENV_FILE)


ENV = example_env()
SECRETS = tuple(v for k, v in ENV.items() if k.startswith("IOSGEN_"))
# a secret as IOS prints it (`secret 5 $1$...`, `password 7 0123035155`), not masked
PRINTED_SECRET_RE = re.compile(r"\b(?:password|secret) [057] (?!<redacted>)\S+")


def leaks(text: str) -> list[str]:
    """Every secret in `text`: the example's clear values, and printed hashes or type 7."""
    found = [s for s in SECRETS if s in text]
    found += PRINTED_SECRET_RE.findall(text)
    found += re.findall(r"\$1\$\S+", text)
    return found


def spec(hostname: str = "R-ITD", initial: str | None = None) -> RouterSpec:
    # The model's management account: after the first push the router's `username
    # netops ... secret 5` and `enable secret 5` are the model's, so the same values.
    return RouterSpec(
        hostname=hostname,
        username="netops",
        password=ENV["IOSGEN_R_ITD_PASSWORD"],
        enable_secret=ENV["IOSGEN_R_ITD_ENABLE"],
        initial_config=initial,
    )


@dataclasses.dataclass
class Bench:
    fleet: SimFleet
    target: Target
    options: PushOptions
    tmp: Path

    @property
    def router(self):  # type: ignore[no-untyped-def]
        return self.fleet.router("R-ITD")


def plovdiv_inventory(root: Path, hosts: Iterable[str]) -> Path:
    """The example inventory's defaults and groups in `root`, with Plovdiv's site as each
    of `hosts` (the same router under other names)."""
    root.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "inventory" / "defaults.yaml", root / "defaults.yaml")
    shutil.copytree(ROOT / "inventory" / "groups", root / "groups")
    (root / "sites").mkdir()
    text = (ROOT / "inventory" / "sites" / "plovdiv.yaml").read_text(encoding="utf-8")
    for host in hosts:
        site = text.replace("hostname: R-ITD", f"hostname: {host}")
        (root / "sites" / f"{host.lower()}.yaml").write_text(site, encoding="utf-8")
    return root
