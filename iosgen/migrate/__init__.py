"""`iosgen migrate`: a branch's staged, verified cut-over from PPTP to IPsec.

The steps as sites are iosgen.model.migration (pure); here they are pushed: each step a
safe push (iosgen.push) of the head office and the branch, the branch's network verified
(iosgen.network), the state file written after each step, the site file after the last.
"""

from iosgen.migrate.run import (
    Event,
    MigrateOptions,
    MigrateRequest,
    Migration,
    MigrationResult,
    prepare,
    run_migration,
)
from iosgen.migrate.steps import RouterPlan, StepPlan

__all__ = [
    "Event",
    "MigrateOptions",
    "MigrateRequest",
    "Migration",
    "MigrationResult",
    "RouterPlan",
    "StepPlan",
    "prepare",
    "run_migration",
]
