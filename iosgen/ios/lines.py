"""Facts about single config lines: what IOS prints that is not configuration, list clauses."""

from __future__ import annotations

# --- volatile lines ----------------------------------------------------------------------
# Printed by IOS, never typed: ignored by every comparison (ios-reference §2.1, §9).
VOLATILE_PREFIXES: tuple[str, ...] = (
    "Building configuration...",
    "Current configuration :",
    "Using ",  # `show startup-config`: "Using 1449 out of 196600 bytes"
    "ntp clock-period ",
    "version ",
    "boot-start-marker",
    "boot-end-marker",
)


# Clauses IOS keeps as lists of values, in the order they were typed: `match ip
# address 10` then `match ip address 20` print as `match ip address 10 20`, and
# the order means nothing (any value matches). Parsed with their values sorted, so
# two routers that got them in another order compare equal.
LIST_VALUED: dict[str, tuple[str, ...]] = {
    "route-map": ("match ip address ", "match interface "),
}
