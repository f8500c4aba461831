"""Operational checks: does the network the model describes work (iosgen verify)."""

from iosgen.network.verify import Check, HostReport, verify_host

__all__ = ["Check", "HostReport", "verify_host"]
