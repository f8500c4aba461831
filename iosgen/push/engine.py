"""The audit engine as push sees it: remediation, drift, sameness, redaction.

Push computes none of these itself; it asks the audit issue's modules
(`iosgen.diff.compare`, `iosgen.diff.remediation`, `iosgen.diff.audit`, `iosgen.ios.secrets`)
through this small protocol, so a test or a future engine can stand in.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from iosgen.ios.config import significant_lines
from iosgen.ios.secrets import hide_values
from iosgen.model.site import Site


@dataclass(frozen=True)
class Remediation:
    """The lines that take the running config to the intended one, in a safe order."""

    lines: tuple[str, ...]  # sub-mode lines indented one space per level
    masked: tuple[str, ...] = ()  # the same lines, secrets masked (for showing)
    rollback: tuple[str, ...] = ()  # masked, where the engine computes one
    drift: tuple[str, ...] = ()  # rendered drift items, secrets masked


class Engine(Protocol):
    def remediate(self, site: Site, intended: str, running: str) -> Remediation: ...

    def drift(self, site: Site, intended: str, running: str) -> tuple[str, ...]:
        """Real drift left, rendered with secrets masked; empty means in sync."""
        ...

    def same(self, before: str, now: str) -> bool:
        """Whether two `show running-config` outputs are the same config."""
        ...

    def redact(self, config: str, site: Site | None) -> str: ...

    def mask_line(self, line: str, parent: str | None) -> str: ...


def body(config: str) -> list[str]:
    """The config lines that mean something: no volatile header, `!` lines, blanks or `end`.

    The textual half of "the same config" (`ios.config.significant_lines`), kept under
    this name for the push tests that compare two captures line by line.
    """
    return significant_lines(config)


def site_secrets(site: Site) -> tuple[str, ...]:
    """Every clear-text secret of a site: masked wherever it could appear."""
    values = [site.management.password.reveal()]
    if site.management.enable_secret is not None:
        values.append(site.management.enable_secret.reveal())
    values += [u.secret.reveal() for u in site.users.values()]
    values += [c.chap_password.reveal() for c in site.pptp_clients.values()]
    if site.pptp_server is not None:
        values += [s.reveal() for s in site.pptp_server.users.values()]
    if site.management.sudo_password is not None:
        values.append(site.management.sudo_password.reveal())
    for tunnel in site.ipsec_tunnels.values():
        values.append(tunnel.pre_shared_key.reveal())
    for wg in site.wireguard_tunnels.values():
        values.append(wg.private_key.reveal())
        if wg.preshared_key is not None:
            values.append(wg.preshared_key.reveal())
    if site.ipsec_server is not None and site.ipsec_server.dynamic_key is not None:
        values.append(site.ipsec_server.dynamic_key.reveal())
    if site.wireguard_server is not None:
        values.append(site.wireguard_server.private_key.reveal())
    values += [s.reveal() for s in site.extra_secrets.values()]
    return tuple(v for v in values if v)


class AuditEngine:
    """The audit issue's engine (imported lazily: push loads it only when it runs)."""

    def remediate(self, site: Site, intended: str, running: str) -> Remediation:
        # compare + remediate, as `audit_text` does, without the rollback it also
        # computes: push rolls back with `configure replace`, not with lines.
        from iosgen.diff.audit import parse_config, secret_book
        from iosgen.diff.compare import compare
        from iosgen.diff.remediation import remediate

        comparison = compare(
            parse_config(intended, "intended"), parse_config(running, "running"), secret_book(site)
        )
        if comparison.drift.in_sync:
            return Remediation(())
        plan = remediate(comparison.intended, comparison.running)
        return Remediation(
            tuple(plan.lines(show_secrets=True)),
            tuple(plan.lines()),
            (),
            tuple(item.render() for item in comparison.drift.real),
        )

    def drift(self, site: Site, intended: str, running: str) -> tuple[str, ...]:
        from iosgen.diff.audit import audit_text, secret_book

        result = audit_text(site.hostname, intended, running, secret_book(site))
        return tuple(item.render() for item in result.drift.real)

    def same(self, before: str, now: str) -> bool:
        from iosgen.diff.audit import in_sync

        return in_sync(before, now)

    def redact(self, config: str, site: Site | None) -> str:
        from iosgen.ios.secrets import redact

        hide = site_secrets(site) if site is not None else ()
        return hide_values(redact(config), hide)

    def mask_line(self, line: str, parent: str | None) -> str:
        from iosgen.ios.secrets import mask_line

        return mask_line(line, parent)
