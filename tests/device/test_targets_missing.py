"""A targets file that lacks a host never sends iosgen to the inventory's real address."""

from __future__ import annotations

from pathlib import Path

import pytest

from iosgen.errors import UsageError
from iosgen.model.inventory import load_inventory
from iosgen.model.targets import resolve_targets
from tests.conftest import INVENTORY


def test_missing_host_in_targets_file_is_a_usage_error(tmp_path: Path) -> None:
    targets = tmp_path / "targets.yaml"
    targets.write_text("R-VARNA: {host: 127.0.0.1, port: 2222, username: u, password: p}\n")
    sites = [s for s in load_inventory(INVENTORY).sites if s.hostname in {"R-ITD", "R-VARNA"}]
    with pytest.raises(UsageError, match="has no entry for R-ITD"):
        resolve_targets(sites, targets)
    varna = [s for s in sites if s.hostname == "R-VARNA"]
    assert resolve_targets(varna, targets)["R-VARNA"].port == 2222


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ("{host: 127.0.0.1, port: 99999, username: u, password: p}", "not a TCP port"),
        ("{host: 127.0.0.1, port: 1.5, username: u, password: p}", "not a TCP port"),
        (
            "{host: 127.0.0.1, port: 22, username: u, password: p, host_key: 'ssh-rsa !!'}",
            "not an OpenSSH public key",
        ),
        ("{host: 127.0.0.1, port: 22, password: p}", "bad target entry"),
    ],
)
def test_bad_targets_entry_is_located_input_error(entry: str, message: str, tmp_path: Path) -> None:
    from iosgen.errors import InputError
    from iosgen.model.targets import read_targets_file

    targets = tmp_path / "targets.yaml"
    targets.write_text(f"R-ITD: {entry}\n")
    with pytest.raises(InputError) as caught:
        read_targets_file(targets)
    assert caught.value.exit_code == 2
    assert message in str(caught.value)
    assert str(targets) + ":1:8: R-ITD:" in str(caught.value)
