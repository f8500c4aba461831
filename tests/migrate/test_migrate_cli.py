"""`iosgen migrate` on the command line, offline: the dry run shows the three steps per
router; bad input is one clear line, exit 2, nothing written."""

from __future__ import annotations

from pathlib import Path

import pytest
from migkit import KEYS
from typer.testing import CliRunner

from iosgen.cli import app


def _migrate(inventory: Path, tmp_path: Path, *args: str) -> tuple[int, str, str]:
    state = tmp_path / "migrations"
    result = CliRunner().invoke(
        app,
        ["migrate", *args, "--inventory", str(inventory), "--state-dir", str(state)],
    )
    return result.exit_code, result.stdout, result.stderr


def test_the_dry_run_shows_three_steps_per_router(inventory: Path, tmp_path: Path) -> None:
    code, out, err = _migrate(
        inventory, tmp_path, "--host", "R-SHUMEN", "--tunnel", "sofia", "--to", "ipsec", "--dry-run"
    )
    assert code == 0, err
    for step in (1, 2, 3):
        assert f"step {step}: " in out
    assert out.count("R-SHUMEN (branch)") == 3 and out.count("R-SOFIA (head office)") == 3
    # step 3 takes the PPTP tunnel out of the branch and its user out of the head office
    three = out[out.index("step 3: ") :]
    assert "no interface Dialer2" in three and "no username shumen" in three
    assert "key ${IOSGEN_R_SHUMEN_SOFIA_PSK}" in err
    assert not (tmp_path / "migrations").exists()  # a dry run writes no state
    for value in KEYS.values():
        assert value not in out + err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--host", "R-SHUMEN", "--tunnel", "bourgas"], "R-SHUMEN has no PPTP tunnel 'bourgas'"),
        (["--host", "R-NOPE", "--tunnel", "sofia"], "no site with hostname 'R-NOPE'"),
        (["--host", "R-VARNA", "--tunnel", "bourgas"], "dials 192.0.2.50, which no site"),
        (
            ["--host", "R-VARNA", "--tunnel", "sofia", "--key", "${IOSGEN_UNSET_PSK}"],
            "environment variable IOSGEN_UNSET_PSK is not set",
        ),
        (
            ["--host", "R-ITD", "--tunnel", "sofia", "--key", "${IOSGEN_R_VARNA_SOFIA_PSK}"],
            "is not R-SOFIA's ipsec_server.dynamic_key (values not shown)",
        ),
        (["--host", "plovdiv-gw", "--tunnel", "sofia"], "is a Linux box"),
        (["--host", "R-ITD", "--tunnel", "sofia", "--to", "gre"], "--to gre: iosgen migrates"),
        (["--host", "R-ITD", "--tunnel", "sofia", "--to", "wireguard"], "12.4 has no WireGuard"),
        (
            ["--host", "R-VARNA", "--tunnel", "sofia", "--key", "typed-in-clear-42"],
            "--key takes a reference to the pre-shared key",
        ),
        (
            ["--host", "R-VARNA", "--tunnel", "sofia", "--key", "--dry-run"],
            "--key takes a reference",
        ),
    ],
    ids=[
        "no-tunnel",
        "no-host",
        "no-head-office",
        "key-unset",
        "dhcp-key",
        "linux",
        "kind",
        "wireguard-on-ios",
        "key-in-clear",
        "key-eats-an-option",
    ],
)
def test_bad_input_is_one_line_exit_2(
    inventory: Path, tmp_path: Path, args: list[str], message: str
) -> None:
    if "--to" not in args:
        args = [*args, "--to", "ipsec"]
    code, out, err = _migrate(inventory, tmp_path, *args, "--dry-run")
    assert code == 2, out + err
    assert message in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
    assert not (tmp_path / "migrations").exists()
    assert "typed-in-clear-42" not in out + err


def test_a_head_office_without_ipsec_is_refused(inventory: Path, tmp_path: Path) -> None:
    sofia = inventory / "sites" / "sofia.yaml"
    text = sofia.read_text(encoding="utf-8")
    sofia.write_text(text[: text.index("\nipsec_server:")] + "\n", encoding="utf-8")
    code, _, err = _migrate(
        inventory, tmp_path, "--host", "R-VARNA", "--tunnel", "sofia", "--to", "ipsec", "--dry-run"
    )
    assert code == 2 and "R-SOFIA, which tunnel 'sofia' of R-VARNA dials, has no" in err
