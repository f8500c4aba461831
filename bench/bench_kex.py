"""Benchmark the client's key exchange: paramiko's group14 against iosgen.device.kex.

    .venv/bin/python bench/bench_kex.py [--runs 50] [--sessions 30]

1. The client's Diffie-Hellman arithmetic of one diffie-hellman-group14-sha1
   session alone (what 12.4 and the simulator offer): paramiko's (a 1023-bit
   exponent, two `pow` in Python), iosgen's (OpenSSH's exponent length, 512 bits
   for aes128-cbc + hmac-sha1, both exponentiations in OpenSSL), and iosgen's
   fallback where cryptography has no DH (the same exponent, Python `pow`).
   Median ms of --runs.
2. Whole sessions: `Device(target).connect()` and close against one simulated
   router in a process of its own (so its CPU is not ours), with paramiko's kex
   classes and with iosgen's; the median wall time and the median CPU time of
   this process (paramiko's transport thread included) per session.

3. `iosgen audit` of --live simulated routers with --workers (bench_audit.py's
   inventory and simulator process), with paramiko's kex classes and iosgen's:
   median wall seconds of --repeat runs.

Issue 15's 1,000-router audit pays (2)'s CPU once a router. Prints a table.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def median_ms(fn: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


class _Transport:
    """The negotiated algorithms `exponent_bits` reads, as against the simulator."""

    local_cipher = remote_cipher = "aes128-cbc"
    local_mac = remote_mac = "hmac-sha1"

    def __init__(self) -> None:
        import paramiko

        self._cipher_info = paramiko.Transport._cipher_info
        self._mac_info = paramiko.Transport._mac_info


def bench_arithmetic(runs: int) -> dict[str, float]:
    import secrets

    from paramiko.kex_group14 import KexGroup14

    from iosgen.device import kex

    p, g = KexGroup14.P, KexGroup14.G
    f = pow(g, secrets.randbits(1024), p)  # a server's public value
    bits = kex.exponent_bits(_Transport(), p.bit_length())

    def paramiko_way() -> None:
        engine = KexGroup14(None)
        engine._generate_x()
        pow(g, engine.x, p)
        pow(f, engine.x, p)

    fast = kex._openssl_for(p, g)
    assert fast is not None, "cryptography has no finite-field DH here"

    def iosgen_way() -> None:
        x = kex.short_exponent(bits)
        fast.public(x)
        fast.shared(x, f)

    def iosgen_fallback() -> None:
        x = kex.short_exponent(bits)
        pow(g, x, p)
        pow(f, x, p)

    return {
        "paramiko (1023-bit x, Python pow)": median_ms(paramiko_way, runs),
        f"iosgen ({bits}-bit x, OpenSSL)": median_ms(iosgen_way, runs),
        f"iosgen fallback ({bits}-bit x, Python pow)": median_ms(iosgen_fallback, runs),
    }


def _serve(state: str, ready: Any, stop: Any) -> None:
    from iosgen.sim import RouterSpec, SimFleet

    with SimFleet([RouterSpec("R-KEX", "netops", "kex-pw", "kex-en")], state_dir=Path(state)) as f:
        ready.put(str(f.targets_file))
        stop.wait()


def bench_sessions(sessions: int) -> dict[str, tuple[float, float]]:
    import multiprocessing

    from iosgen.device import kex
    from iosgen.device.session import Device, DeviceOptions
    from iosgen.model.targets import read_targets_file

    context = multiprocessing.get_context("spawn")
    ready, stop = context.Queue(), context.Event()
    state = tempfile.mkdtemp(prefix="bench-kex-")
    server = context.Process(target=_serve, args=(state, ready, stop))
    server.start()
    out: dict[str, tuple[float, float]] = {}
    cheaper = dict(kex.CHEAPER_KEX)
    try:
        target = read_targets_file(Path(ready.get(timeout=120)))["r-kex"]
        options = DeviceOptions(known_hosts=None)
        for label, classes in (("paramiko's kex", {}), ("iosgen.device.kex", cheaper)):
            kex.CHEAPER_KEX.clear()
            kex.CHEAPER_KEX.update(classes)
            Device(target, options).connect().close()  # warm: imports, first keys
            walls, cpus = [], []
            for _ in range(sessions):
                wall, cpu = time.perf_counter(), time.process_time()
                Device(target, options).connect().close()
                walls.append(time.perf_counter() - wall)
                cpus.append(time.process_time() - cpu)
            out[label] = (statistics.median(walls) * 1000, statistics.median(cpus) * 1000)
    finally:
        kex.CHEAPER_KEX.clear()
        kex.CHEAPER_KEX.update(cheaper)
        stop.set()
        server.join(30)
    return out


def bench_live_audit(routers: int, workers: int, repeat: int) -> dict[str, float]:
    sys.path.insert(0, str(ROOT / "bench"))
    import bench_audit

    from iosgen.device import kex

    bench_audit.demo_env()
    cheaper = dict(kex.CHEAPER_KEX)
    out: dict[str, float] = {}
    try:
        with tempfile.TemporaryDirectory() as tmp:
            base = Path(tmp)
            hosts = bench_audit.make_inventory(base / "inv", routers)
            for label, classes in (("paramiko's kex", {}), ("iosgen.device.kex", cheaper)):
                kex.CHEAPER_KEX.clear()
                kex.CHEAPER_KEX.update(classes)
                state = base / f"sim-{len(out)}"
                times = bench_audit.bench_live(base / "inv", hosts, workers, state, repeat)
                out[label] = statistics.median(times)
    finally:
        kex.CHEAPER_KEX.clear()
        kex.CHEAPER_KEX.update(cheaper)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--sessions", type=int, default=30)
    parser.add_argument("--live", type=int, default=100, help="routers audited live (0: skip)")
    parser.add_argument("--workers", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"1. client DH arithmetic of one group14 session (median of {args.runs})")
    for label, ms in bench_arithmetic(args.runs).items():
        print(f"   {label:<44} {ms:8.2f} ms")
    print(f"2. whole sessions against the simulator (median of {args.sessions})")
    print(f"   {'':<24} {'wall ms':>9} {'client CPU ms':>14}")
    for label, (wall, cpu) in bench_sessions(args.sessions).items():
        print(f"   {label:<24} {wall:9.1f} {cpu:14.1f}")
    if args.live:
        print(f"3. audit of {args.live} live routers, {args.workers} workers "
              f"(median of {args.repeat})")  # fmt: skip
        for label, seconds in bench_live_audit(args.live, args.workers, args.repeat).items():
            print(f"   {label:<24} {seconds:8.2f} s")


if __name__ == "__main__":
    main()
