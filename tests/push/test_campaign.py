"""The randomized fault campaign (bench/fault_campaign.py): every push ends at old or new."""

from __future__ import annotations

import sys
import warnings
from pathlib import Path

import pytest
from pushkit import ROOT

sys.path.insert(0, str(ROOT / "bench"))

from fault_campaign import run_campaign, run_injections


def _check(trials: int, seed: int, tmp: Path) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # asyncssh's FFDH deprecation in the sim's thread
        campaign = run_campaign(trials, seed, routers=8, tmp=tmp)
    assert len(campaign.trials) == trials
    bad = [t for t in campaign.trials if t.partial or t.wrong_claim or t.final == "unknown"]
    assert bad == []
    # the campaign really exercised both ends
    finals = {t.final for t in campaign.trials}
    assert {"new", "old"} <= finals


def test_small_campaign(tmp_path: Path) -> None:
    _check(16, seed=11, tmp=tmp_path)


@pytest.mark.slow
def test_campaign_200_trials(tmp_path: Path) -> None:
    _check(200, seed=5, tmp=tmp_path)


def test_injections_never_reach_a_config(tmp_path: Path) -> None:
    """Hostile names and secrets in a site file: each refused at build, no secret shown."""
    result = run_injections(300, seed=3, tmp=tmp_path)
    assert result.hostile > 250  # the legal payloads are few
    assert result.refused == result.hostile, result.examples
    assert result.leaked == 0, result.examples
