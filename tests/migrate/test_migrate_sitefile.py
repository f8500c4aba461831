"""After step 3 the site file is rewritten: the PPTP entry out, the IPsec entry in, every
comment and the rest of the file as they were, and it builds step 3's config."""

from __future__ import annotations

from pathlib import Path

import pytest
from migkit import BRANCHES, TUNNEL

from iosgen.diff.audit import intended_config
from iosgen.migrate.sitefile import migrated_text, replace_checked
from iosgen.model.inventory import load_inventory, load_resolver, load_site
from iosgen.model.migration import MigrationError, MigrationState, site_at_step

FILES = {"R-ITD": "plovdiv", "R-VARNA": "varna", "R-RUSE": "ruse", "R-SHUMEN": "shumen"}
KEYS = {
    "R-ITD": "${IOSGEN_SOFIA_DYNAMIC_PSK}",
    "R-RUSE": "${IOSGEN_SOFIA_DYNAMIC_PSK}",
    "R-VARNA": "${IOSGEN_R_VARNA_SOFIA_PSK}",
    "R-SHUMEN": "${IOSGEN_R_SHUMEN_SOFIA_PSK}",
}


def _comments(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip().startswith("#")]


@pytest.mark.parametrize("host", BRANCHES, ids=BRANCHES)
def test_the_rewritten_file_keeps_its_comments_and_builds_step_3(
    inventory: Path, host: str
) -> None:
    path = inventory / "sites" / f"{FILES[host]}.yaml"
    before = path.read_text(encoding="utf-8")
    resolver = load_resolver(None, inventory=inventory)
    site = load_inventory(inventory).find(host)
    state = MigrationState(host, TUNNEL, "sofia-ipsec", KEYS[host], "R-SOFIA", done=3)
    text = migrated_text(path, TUNNEL, "sofia-ipsec", site.pptp_clients[TUNNEL], KEYS[host])

    # every comment stays (the ones inside the removed PPTP entry go with it)
    inside = {"# routed: Sofia routes the Shumen LAN back through the tunnel"}
    assert [c for c in _comments(before) if c not in inside] == _comments(text)
    assert f"pre_shared_key: {KEYS[host]}" in text  # the reference, not the key
    assert "remote_networks: [10.10.0.0/16]" in text  # a flow list, as the file writes them
    assert f"chap_hostname: {site.pptp_clients[TUNNEL].chap_hostname}\n" not in text
    replace_checked(path, text, lambda tmp: None)
    got = load_site(path, resolver)
    want = site_at_step(site, state, 3, resolver)
    assert intended_config(got) == intended_config(want)
    assert list(got.tunnels) == list(want.tunnels)


def test_a_failed_check_leaves_the_old_file(inventory: Path) -> None:
    path = inventory / "sites" / "varna.yaml"
    before = path.read_text(encoding="utf-8")
    with pytest.raises(MigrationError, match=r"varna\.yaml: not rewritten: no"):
        replace_checked(path, "hostname: [broken", lambda tmp: "no")
    assert path.read_text(encoding="utf-8") == before
    assert sorted(p.name for p in path.parent.iterdir()) == sorted(
        p.name for p in (inventory / "sites").iterdir()
    )
    assert not [p for p in path.parent.iterdir() if p.suffix == ".migrate"]


def test_a_tunnel_the_file_does_not_type_is_refused(inventory: Path) -> None:
    site = load_inventory(inventory).find("R-VARNA")
    other = inventory / "sites" / "shumen.yaml"
    with pytest.raises(MigrationError, match="tunnel 'bourgas' is not typed in this file"):
        migrated_text(other, "bourgas", "bourgas-ipsec", site.pptp_clients["bourgas"], "k")
