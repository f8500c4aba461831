"""Benchmark the push over WAN latency: pipelined (lines typed ahead) vs line by line.

Run: .venv/bin/python bench/bench_push_latency.py [--runs 5] [--lines 300]

A 300-line change (static routes) to one simulated R-ITD through iosgen's full
flow, at `--fault R-ITD:latency-ms=20` (a 40 ms round trip) and at 0, in both
modes in the same run. Prints medians, the ratio, and each phase's time and
round trips (phase seconds / round-trip time): connect, fetch, rollback point
(the copy, the last look, the revert timer), send, verify, confirm, save (with
the rollback file's delete).

Goals (issue 15): at 20 ms the pipelined push <= 2.0 s end to end and its lines
in <= 5 round trips; at 0 ms no slower than the line-by-line push.
"""

from __future__ import annotations

import argparse
import dataclasses
import statistics
import sys
import tempfile
import time
import warnings
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from ipaddress import IPv4Address, IPv4Network
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

warnings.simplefilter("ignore")  # asyncssh's FFDH deprecation, once per session

from bench_push import load_env  # noqa: E402

# Device method -> phase; `running_config` is the fetch, then the last look, then verify.
PHASES = {
    "connect": "connect",
    "copy_running_to": "rollback point",
    "configure_replace": "rollback point",
    "send_config": "send",
    "configure_confirm": "confirm",
    "write_memory": "save",
    "delete_file": "save",
}
ORDER = ("connect", "fetch", "rollback point", "send", "verify", "confirm", "save")


@contextmanager
def timed_phases(into: dict[str, float]) -> Iterator[None]:
    """Time each Device call of one push by phase (class-level wrappers, restored after)."""
    from iosgen.device.session import Device

    saved: dict[str, Callable[..., Any]] = {}
    fetches = [0]
    sent = [False]

    def wrap(name: str) -> None:
        original = getattr(Device, name)
        saved[name] = original

        def timed(self: Device, *args: Any, **kw: Any) -> Any:
            t0 = time.perf_counter()
            try:
                return original(self, *args, **kw)
            finally:
                if name == "running_config":
                    # the first read is the fetch; one before the lines, the last look;
                    # one after them, the verify
                    fetches[0] += 1
                    into["reads"] += 1
                    phase = (
                        "fetch" if fetches[0] == 1 else "verify" if sent[0] else "rollback point"
                    )
                else:
                    sent[0] = sent[0] or name == "send_config"
                    phase = PHASES[name]
                into[phase] += time.perf_counter() - t0

        setattr(Device, name, timed)

    for name in (*PHASES, "running_config"):
        wrap(name)
    try:
        yield
    finally:
        for name, original in saved.items():
            setattr(Device, name, original)


def run(args: argparse.Namespace) -> None:
    from iosgen.build.ios import render
    from iosgen.device.session import DeviceOptions
    from iosgen.model.inventory import load_files, load_resolver
    from iosgen.model.site import Route
    from iosgen.model.targets import read_targets_file
    from iosgen.push import PushOptions, Status, push_host
    from iosgen.sim import Fault, RouterSpec, SimFleet

    env = load_env()
    base = load_files([ROOT / "inventory" / "sites" / "plovdiv.yaml"], load_resolver(None))
    start = base.sites[0]
    routes = [
        Route(
            network=IPv4Network(f"10.{200 + n // 250}.{n % 250}.0/24"),
            next_hop=IPv4Address("192.168.10.254"),
        )
        for n in range(args.lines)
    ]
    site = start.model_copy(update={"routes": routes})
    spec = RouterSpec(
        "R-ITD",
        "netops",
        env["IOSGEN_R_ITD_PASSWORD"],
        env["IOSGEN_R_ITD_ENABLE"],
        render(start).text,
    )
    results: dict[tuple[int, str], list[tuple[float, dict[str, float]]]] = defaultdict(list)
    with tempfile.TemporaryDirectory() as folder, SimFleet([spec], state_dir=Path(folder)) as fleet:
        tmp = Path(folder)
        target = read_targets_file(fleet.targets_file)["r-itd"]
        router = fleet.router("R-ITD")
        for latency in (20, 0):
            for mode, window in (("pipelined", None), ("line by line", 0)):
                device = DeviceOptions(known_hosts=tmp / "known_hosts")
                if window is not None:
                    device = dataclasses.replace(device, typeahead_bytes=window)
                options = PushOptions(
                    force=True,
                    device=device,
                    history_dir=tmp / "history",
                    lock_dir=tmp / "locks",
                )
                runs = args.runs if (window is None or latency == 0) else args.slow_runs
                for _ in range(runs):
                    router.set_running(render(start).text)
                    faults = [Fault("R-ITD", "latency-ms", str(latency))] if latency else []
                    fleet.set_faults("R-ITD", faults)
                    phases: dict[str, float] = defaultdict(float)
                    t0 = time.perf_counter()
                    with timed_phases(phases):
                        outcome = push_host(site, target, options)
                    took = time.perf_counter() - t0
                    fleet.set_faults("R-ITD", [])
                    assert outcome.status is Status.PUSHED, outcome.message
                    assert len(outcome.sent) == args.lines, len(outcome.sent)
                    results[(latency, mode)].append((took, dict(phases)))
    report(results, args)


def report(
    results: dict[tuple[int, str], list[tuple[float, dict[str, float]]]], args: argparse.Namespace
) -> None:
    print(f"{args.lines}-line change, one router; medians of {args.runs} runs")
    print(f"(line by line at 20 ms: {args.slow_runs} runs)")
    header = f"{'latency':>7}  {'mode':<12}  {'total':>7}  " + "  ".join(f"{p:>14}" for p in ORDER)
    print(header)
    for (latency, mode), rows in results.items():
        total = statistics.median(t for t, _ in rows)
        cells = []
        for phase in ORDER:
            seconds = statistics.median(p.get(phase, 0.0) for _, p in rows)
            trips = f" ({seconds / (2 * latency / 1000):.1f} rt)" if latency else ""
            cells.append(f"{seconds:.3f}{trips:>8}".rjust(14))
        print(f"{latency:>5}ms  {mode:<12}  {total:>6.3f}s  " + "  ".join(cells))
    for (latency, mode), rows in results.items():
        reads = statistics.median(p.get("reads", 0.0) for _, p in rows)
        print(f"{latency:>5}ms  {mode:<12}  `show running-config` per push: {reads:.0f}")
    for latency in (20, 0):
        fast = statistics.median(t for t, _ in results[(latency, "pipelined")])
        slow = statistics.median(t for t, _ in results[(latency, "line by line")])
        print(f"at {latency} ms: line by line / pipelined = {slow / fast:.2f}x")
    fast20 = statistics.median(t for t, _ in results[(20, "pipelined")])
    send20 = statistics.median(p["send"] for _, p in results[(20, "pipelined")])
    print(
        f"goals: pipelined at 20 ms {fast20:.2f} s (<= 2.0 s); its send "
        f"{send20 / 0.04:.1f} round trips (<= 5, `configure terminal` and `end` included)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--slow-runs", type=int, default=3)
    parser.add_argument("--lines", type=int, default=300)
    run(parser.parse_args())


if __name__ == "__main__":
    main()
