"""A simulated Cisco ISR 2801 on IOS 12.4, served over SSH on loopback.

The oracle iosgen's push, backup and audit are tested against: written from what
IOS does (ios-reference.md, Cisco command references), never from iosgen's own
compare or remediation code, which it does not import.

    from iosgen.sim import SimFleet, RouterSpec, Fault, Target
    with SimFleet([RouterSpec("R-ITD", "netops", "pw")], state_dir=tmp) as fleet:
        t = fleet.targets["R-ITD"]   # host, port, username, password, secret, host_key
"""

from __future__ import annotations

from iosgen.sim.faults import Fault
from iosgen.sim.fleet import RouterHandle, SimFleet, Target
from iosgen.sim.router import RouterSpec

__all__ = ["Fault", "RouterHandle", "RouterSpec", "SimFleet", "Target"]
