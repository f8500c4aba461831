"""Where a router is reached: the inventory's management block, or a targets file.

The simulator writes a targets file (YAML keyed by hostname) with the address,
port, credentials and public host key of each router it serves; a key found
there is trusted like a known-hosts entry. An entry may also hold `ssh:`, the
same per-host SSH options as a site's `management.ssh` (iosgen.model.sshoptions).
A key iosgen does not know, in an entry or its `ssh:`, is an error at its
`file:line:column`: a misspelt `proxy_jump` must not silently connect direct.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from iosgen.errors import InputError, Problem, UsageError
from iosgen.model.secret import Secret
from iosgen.model.site import Site
from iosgen.model.sshoptions import SSH_KEYS, SshOptions

_HOST_KEY_RE = re.compile(
    r"^(ssh-rsa|ssh-dss|ssh-ed25519|ecdsa-sha2-nistp\d+) [A-Za-z0-9+/]+={0,2}$"
)
# What a targets entry holds (the simulator writes the first six).
ENTRY_KEYS = ("host", "port", "username", "password", "secret", "host_key", "ssh")


@dataclass(frozen=True)
class Target:
    hostname: str
    host: str
    port: int
    username: str
    password: Secret
    enable_secret: Secret | None = None
    host_key: str | None = None  # "ssh-rsa AAAA...", pinned by a targets file
    ssh: SshOptions = field(default_factory=SshOptions)


def _at(source: Any, path: tuple[object, ...], key: bool = False) -> tuple[int, int]:
    pos = source.locate(path, prefer_key=key)
    return (pos.line, pos.column) if pos else (1, 1)


def _unknown(key: object, known: Iterable[str]) -> str:
    close = difflib.get_close_matches(str(key), list(known), n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    return f"unknown key {str(key)!r}{hint}"


def _ssh_options(
    path: Path, source: Any, hostname: str, raw: object, problems: list[Problem]
) -> SshOptions | None:
    """The entry's `ssh:` mapping as SshOptions, each bad key or value located."""
    from pydantic import ValidationError

    if raw is None:
        return SshOptions()
    if not isinstance(raw, dict):
        line, column = _at(source, (hostname, "ssh"))
        problems.append(Problem(str(path), line, column, f"{hostname}.ssh", "expected a mapping"))
        return None
    before = len(problems)
    for key in raw:
        if key not in SSH_KEYS:
            line, column = _at(source, (hostname, "ssh", key), key=True)
            message = _unknown(key, SSH_KEYS)
            problems.append(Problem(str(path), line, column, f"{hostname}.ssh.{key}", message))
    if len(problems) > before:
        return None
    try:
        return SshOptions.model_validate(raw)
    except ValidationError as exc:
        for error in exc.errors():
            key = str(error["loc"][0]) if error["loc"] else ""
            line, column = _at(source, (hostname, "ssh", key))
            message = str(error["msg"]).removeprefix("Value error, ")
            problems.append(Problem(str(path), line, column, f"{hostname}.ssh.{key}", message))
        return None


def read_targets_file(path: Path) -> dict[str, Target]:
    """Targets by lower-cased hostname."""
    from iosgen.model.yamlsource import load_yaml

    data, source = load_yaml(path)
    if not isinstance(data, dict):
        raise InputError([Problem(str(path), 1, 1, "", "expected a mapping of hostnames")])
    out: dict[str, Target] = {}
    problems: list[Problem] = []
    for hostname, entry in data.items():
        line, column = _at(source, (hostname,))
        before = len(problems)
        ssh: SshOptions | None = SshOptions()
        if isinstance(entry, dict):
            for key in entry:
                if key not in ENTRY_KEYS:
                    at_line, at_column = _at(source, (hostname, key), key=True)
                    message = _unknown(key, ENTRY_KEYS)
                    problems.append(
                        Problem(str(path), at_line, at_column, f"{hostname}.{key}", message)
                    )
            ssh = _ssh_options(path, source, hostname, entry.get("ssh"), problems)
        if ssh is None or len(problems) > before:
            continue
        try:
            secret = entry.get("secret")
            port = entry.get("port", 22)
            if isinstance(port, bool) or not isinstance(port, int) or not 1 <= port <= 65535:
                raise ValueError(f"port {port!r} is not a TCP port (1-65535)")
            if entry.get("host_key") and not _HOST_KEY_RE.match(str(entry["host_key"])):
                raise ValueError("host_key is not an OpenSSH public key ('ssh-rsa AAAA...')")
            out[hostname.lower()] = Target(
                hostname=hostname,
                host=str(entry["host"]),
                port=port,
                username=str(entry["username"]),
                password=Secret(str(entry["password"]), source="targets"),
                enable_secret=Secret(str(secret), source="targets") if secret else None,
                host_key=str(entry["host_key"]) if entry.get("host_key") else None,
                ssh=ssh,
            )
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            problems.append(Problem(str(path), line, column, hostname, f"bad target entry: {exc}"))
    if problems:
        raise InputError(problems)
    return out


def target_of(site: Site) -> Target:
    mgmt = site.management
    return Target(
        hostname=site.hostname,
        host=mgmt.host,
        port=mgmt.port,
        username=mgmt.username,
        password=mgmt.password,
        enable_secret=mgmt.enable_secret,
        ssh=mgmt.ssh,
    )


def resolve_targets(sites: Iterable[Site], targets_file: Path | None = None) -> dict[str, Target]:
    """A target per site: the targets file's entry where it has one, else management."""
    if targets_file is None:
        return {site.hostname: target_of(site) for site in sites}
    overrides = read_targets_file(targets_file)
    missing = [s.hostname for s in sites if s.hostname.lower() not in overrides]
    if missing:
        # Never fall back to the inventory's (production) address when a targets
        # file was given: a push meant for the simulator must not reach a router.
        raise UsageError(f"{targets_file} has no entry for {', '.join(missing)}")
    return {site.hostname: overrides[site.hostname.lower()] for site in sites}
