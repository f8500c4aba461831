"""A crypto-map push with iosgen's real push (netmiko) on the simulator: IOS's `% NOTE:`
for a new crypto map entry is information, a real `% Invalid input` still a refusal.

The site is tests/build/ipsec's R-MAP (a crypto map behind a DHCP WAN); its simulated
router takes its WAN lease from RouterSpec.dhcp, as `iosgen sim` gives it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from iosgen.device.session import DeviceOptions
from iosgen.model.inventory import load_resolver, load_site
from iosgen.model.site import Site
from iosgen.model.targets import read_targets_file
from iosgen.push import PushOptions, push_host
from iosgen.push.outcome import Final, PushOutcome, Status
from iosgen.sim import RouterSpec, SimFleet
from iosgen.sim.facts import CRYPTO_MAP_NOTE

IPSEC = Path(__file__).resolve().parents[1] / "build" / "ipsec"
NOTE_HEAD = CRYPTO_MAP_NOTE.splitlines()[0]


def _site() -> Site:
    return load_site(IPSEC / "sites" / "map.yaml", load_resolver(None, inventory=IPSEC))


def _push(site: Site, spec: RouterSpec, tmp: Path) -> tuple[PushOutcome, str]:
    with SimFleet([spec], state_dir=tmp / "sim") as fleet:
        target = read_targets_file(fleet.targets_file)[spec.hostname.lower()]
        options = PushOptions(
            device=DeviceOptions(known_hosts=tmp / "known_hosts", read_timeout=10.0),
            history_dir=tmp / "history",
            lock_dir=tmp / "locks",
            reconnect_delays=(0.05, 0.1),
            force=True,
        )
        outcome = push_host(site, target, options)
        return outcome, fleet.router(spec.hostname).running_config()


def _spec(site: Site, feature_set: str = "advipservicesk9") -> RouterSpec:
    mgmt = site.management
    lease = ("FastEthernet0/0", "198.51.100.30/24", "198.51.100.1")
    password = mgmt.password.reveal()
    return RouterSpec(
        site.hostname, mgmt.username, password, feature_set=feature_set, dhcp=(lease,)
    )


def test_crypto_map_push_reads_the_note_as_information(tmp_path: Path) -> None:
    site = _site()
    outcome, running = _push(site, _spec(site), tmp_path)
    assert outcome.status is Status.PUSHED, outcome.message
    assert outcome.final is Final.NEW
    noted = [s for s in outcome.sent if NOTE_HEAD in s.answer]
    assert [s.line.split()[:2] for s in noted] == [["crypto", "map"]]
    assert "crypto map " in running and " crypto map " in running


def test_invalid_input_in_a_crypto_push_still_fails(tmp_path: Path) -> None:
    # an image without crypto (no k9): IOS refuses `crypto ...` with `% Invalid input`
    site = _site()
    outcome, running = _push(site, _spec(site, feature_set="ipbase"), tmp_path)
    assert outcome.status is not Status.PUSHED
    assert outcome.final is Final.OLD
    assert any("% Invalid input" in s.answer for s in outcome.sent)
    assert "crypto" not in running


@pytest.mark.parametrize("line", ["% NOTE: anything", "  % NOTE: x\n        more"])
def test_dialogs_take_a_note_for_no_refusal(line: str) -> None:
    from iosgen.ios.dialogs import failure_in

    assert not failure_in(line)
    assert failure_in(line + "\n% Invalid input detected at '^' marker.")
