"""The per-host audit job: intended site and running text in, a frozen `AuditResult` out.

Pure: no I/O. The CLI and the fleet runner feed it a running config (saved or
fetched) and render its result; the push code reuses its remediation.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from iosgen.diff.compare import Drift, SecretBook, compare, factory_ports
from iosgen.diff.remediation import Remediation, remediate
from iosgen.errors import InputError, Problem, UsageError
from iosgen.ios.capture import saved_config_text
from iosgen.ios.config import ConfigTextError, IosConfig, canonical_headers, parse, same_config
from iosgen.model.site import Site

if TYPE_CHECKING:
    from iosgen.build import Build

Status = Literal["in_sync", "drift", "unreachable"]


@dataclass(frozen=True)
class AuditResult:
    """One host's audit. Remediation and rollback hold secrets: render them masked."""

    host: str
    status: Status
    drift: Drift = field(default_factory=Drift)
    remediation: Remediation = field(default_factory=Remediation, repr=False)
    rollback: Remediation = field(default_factory=Remediation, repr=False)
    error: str | None = None

    def to_json(self, show_secrets: bool = False) -> dict[str, Any]:
        """The issue's shape: host, status, remediation, rollback, drift buckets."""
        return {
            "host": self.host,
            "status": self.status,
            "remediation": self.remediation.lines(show_secrets),
            "rollback": self.rollback.lines(show_secrets),
            "drift": self.drift.as_dict(show_secrets),
        }


def secret_book(site: Site) -> SecretBook:
    """The model's clear text for every hashed secret the router shows (`secret 5`)."""
    clear = {f"username {name}": user.secret.reveal() for name, user in site.login_users.items()}
    if site.management.enable_secret is not None:
        clear["enable"] = site.management.enable_secret.reveal()
    return SecretBook(clear)


def with_factory_ports(config: IosConfig, other: IosConfig) -> IosConfig:
    """`config` plus, at factory state, the ports (and Null0) only `other` names."""
    return IosConfig(config.lines + factory_ports(config.lines, other.lines))


def parse_config(text: str, source: str) -> IosConfig:
    """`ios.config.parse`, its refusal turned into the located InputError every stage raises."""
    try:
        return canonical_headers(parse(text, source))
    except ConfigTextError as exc:
        raise located(exc) from exc


def saved_config(text: str, source: str) -> str:
    """What an operator saved (a capture with prompts, a config as typed) as the config
    `show running-config` prints, at its file's line numbers (`ios.capture`); text that
    is no IOS config is the located InputError."""
    try:
        return saved_config_text(text, source)
    except ConfigTextError as exc:
        raise located(exc) from exc


def located(exc: ConfigTextError) -> InputError:
    return InputError([Problem(exc.source, exc.line, exc.column, "", exc.message)])


def audit_text(
    host: str,
    intended: str,
    running: str,
    book: SecretBook | None = None,
    source: str | None = None,
) -> AuditResult:
    """Compare two config texts; remediation takes running to intended, rollback back.

    `running` is read as an operator saved it (`saved_config`: prompts, headers and a
    typed config's `conf t` are no drift); `source` names it in an error (its file, else
    the host).
    """
    running = saved_config(running, source or host)
    if same_config(intended, running):
        return AuditResult(host, "in_sync")
    comparison = compare(
        parse_config(intended, f"{host} (intended)"), parse_config(running, source or host), book
    )
    drift = comparison.drift
    if drift.in_sync:
        return AuditResult(host, "in_sync", drift)
    return AuditResult(
        host,
        "drift",
        drift,
        remediate(comparison.intended, comparison.running),
        # back to running: a port only the model names goes back to its factory state
        remediate(with_factory_ports(comparison.running, comparison.intended), comparison.intended),
    )


def in_sync(a: str, b: str, book: SecretBook | None = None) -> bool:
    """The one definition of "the same config": no real drift between the two texts.

    The textual test first (`ios.config.same_config`: only the header, `!` lines and
    blanks differ), then the tree compare, which also forgives what IOS forgives (a
    re-salted type 7, the lines it adds itself, order where order means nothing).
    """
    if same_config(a, b):
        return True
    return compare(
        parse_config(a, "first config"), parse_config(b, "second config"), book
    ).drift.in_sync


def audit_site(
    site: Site, running: str, source: str | None = None, *, build: Build | None = None
) -> AuditResult:
    """Audit a router's running config against its site's intended build.

    `build`: the site's build if the caller has made it (the site is not rendered again).
    """
    return audit_text(
        site.hostname, intended_config(site, build), running, secret_book(site), source
    )


def intended_config(site: Site, build: Build | None = None) -> str:
    """The IOS config a router must run: the build's one file, built here if not given."""
    if build is None:
        from iosgen.build import build_site

        build = build_site(site)
    if build.single is None or build.hostname != site.hostname:
        raise UsageError(f"{site.hostname}: the build given is not this IOS site's config")
    return build.single.content


def unreachable(host: str, message: str) -> AuditResult:
    return AuditResult(host, "unreachable", error=message)
