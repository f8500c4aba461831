"""The audit tests' fixtures (example IOS sites, their intended builds, a simulator), reused."""

from tests.audit.conftest import intended, inventory_dir, sim, sites

__all__ = ["intended", "inventory_dir", "sim", "sites"]
