"""The example inventory ready to migrate: a copy with R-SOFIA answering IPsec
(`ipsec_server`, the dynamic key of the DHCP branches) and a key per static branch."""

from __future__ import annotations

import shutil
from pathlib import Path

from migpaths import INVENTORY

# the branches of the example inventory that dial R-SOFIA, and their tunnel to it
BRANCHES = ("R-ITD", "R-VARNA", "R-RUSE", "R-SHUMEN")
TUNNEL = "sofia"
KEYS = {
    "IOSGEN_SOFIA_DYNAMIC_PSK": "dynamic-demo-key-42",
    "IOSGEN_R_VARNA_SOFIA_PSK": "varna-ipsec-demo-key",
    "IOSGEN_R_SHUMEN_SOFIA_PSK": "shumen-ipsec-demo-key",
}
IPSEC_SERVER = """
ipsec_server:
  from_branches: true
  dynamic_key: ${IOSGEN_SOFIA_DYNAMIC_PSK}
"""


def copy_inventory(dest: Path) -> Path:
    """The example inventory under `dest`, R-SOFIA given an ipsec_server if it has none."""
    shutil.copytree(INVENTORY, dest, ignore=shutil.ignore_patterns("secrets.yaml"))
    sofia = dest / "sites" / "sofia.yaml"
    text = sofia.read_text(encoding="utf-8")
    if "ipsec_server:" not in text:
        sofia.write_text(text + IPSEC_SERVER, encoding="utf-8")
    return dest
