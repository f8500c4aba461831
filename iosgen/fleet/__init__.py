"""Many hosts: one job per router on a worker pool, one `HostResult` each.

`runner` (run_fleet, HostResult, Results and the one exit-code rule), `audit`
(saved or live), `push` (plan and push, canary waves) and `backup`. Progress is
reported through `on_start` / `on_done` callbacks; nothing here draws.
"""
