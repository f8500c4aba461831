"""`iosgen push`: safe, verified, lockout-proof push of the model to one router or a fleet.

The public face of `iosgen.push`: plan and push one host (`push_host`),
the pure plan (`plan_push` -> `PushPlan`) and
the frozen results they return.
"""

from __future__ import annotations

from iosgen.ios.safetynet import Net, safety_net
from iosgen.push.engine import AuditEngine, Engine, Remediation
from iosgen.push.flow import DEFAULT_REVERT_MINUTES, PushOptions, push_host, send_form
from iosgen.push.guard import Finding, management_findings
from iosgen.push.lock import LockHeld, host_lock
from iosgen.push.outcome import Final, PushOutcome, Sent, Status
from iosgen.push.plan import PushPlan, plan_push
from iosgen.push.signals import Stopped, stop_signals

__all__ = [
    "DEFAULT_REVERT_MINUTES",
    "AuditEngine",
    "Engine",
    "Final",
    "Finding",
    "LockHeld",
    "Net",
    "PushOptions",
    "PushOutcome",
    "PushPlan",
    "Remediation",
    "Sent",
    "Status",
    "Stopped",
    "host_lock",
    "management_findings",
    "plan_push",
    "push_host",
    "safety_net",
    "send_form",
    "stop_signals",
]
