"""100 simulated routers in one process take 100 concurrent netmiko sessions."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from sim_helpers import ERRORS, connect

from iosgen.sim import RouterSpec, SimFleet

ROUTERS = 100


def test_hundred_routers_hundred_sessions(state_dir: Path) -> None:
    specs = [RouterSpec(f"B{n:03d}", "netops", f"pw{n}") for n in range(ROUTERS)]
    with SimFleet(specs, state_dir=state_dir / "scale") as fleet:

        def job(name: str) -> str:
            conn = connect(fleet, name, conn_timeout=30)
            try:
                conn.send_config_set(
                    [f"interface Loopback{name[1:]}", "description scale"], error_pattern=ERRORS
                )
                return str(conn.send_command("show running-config | include ^hostname"))
            finally:
                conn.disconnect()

        with ThreadPoolExecutor(max_workers=ROUTERS) as pool:
            results = list(pool.map(job, [s.hostname for s in specs]))
        assert results == [f"hostname {s.hostname}" for s in specs]
        for s in specs[:3]:
            assert " description scale\n" in fleet.router(s.hostname).running_config()
