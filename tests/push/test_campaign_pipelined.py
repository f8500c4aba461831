"""The fault campaign (bench/fault_campaign.py) with the pipelined push over a WAN link:
every trial's faults get latency-ms on top, so lines are in flight when each fault hits."""

from __future__ import annotations

import sys
import warnings
from pathlib import Path
from typing import Any

import pytest
from pushkit import ROOT

sys.path.insert(0, str(ROOT / "bench"))

import fault_campaign
from fault_campaign import run_campaign


def with_latency(ms: str) -> Any:
    plain = fault_campaign.fault

    def fault(host: str, rng: Any, lines: int) -> Any:
        import dataclasses

        from iosgen.sim import Fault

        injection = plain(host, rng, lines)
        faults = (*injection.faults, Fault(host, "latency-ms", ms))
        return dataclasses.replace(injection, faults=faults, label=f"{injection.label}+lat{ms}")

    return fault


def run_pipelined(trials: int, seed: int, tmp: Path, ms: str = "5") -> Any:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(fault_campaign, "fault", with_latency(ms))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # asyncssh's FFDH deprecation in the sim's thread
            return run_campaign(trials, seed, routers=8, tmp=tmp)


def test_small_campaign_pipelined_over_latency(tmp_path: Path) -> None:
    campaign = run_pipelined(24, seed=15, tmp=tmp_path)
    assert len(campaign.trials) == 24
    bad = [t for t in campaign.trials if t.partial or t.wrong_claim or t.final == "unknown"]
    assert bad == []
    assert {"new", "old"} <= {t.final for t in campaign.trials}
    assert all("+lat5" in t.fault for t in campaign.trials)
