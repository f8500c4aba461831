"""How one host is reached over SSH: its SshOptions and ssh_config(5) made into a Route,
the algorithms it may use, and the jump host's channel to it.

A `Route` is what the session connects to: the address after the config file's
`HostName` and `Port`, the one jump host (`ProxyJump`, with its own `User`,
`Port`, `HostName` and `IdentityFile` from its `Host` block), the private keys
for the host itself (`IdentityFile`; a linux-pppd box's login), and whether
IOS 12.4's legacy algorithms are allowed. iosgen's own options win over the
config file; a port of 22 counts as unset, as netmiko's own ssh_config support
has it (`_use_ssh_config`), since the inventory cannot tell 22 from no port.

The jump host is an OpenSSH server: key authentication, its host key pinned
like a router's (the known-hosts file, or `jump_host_key`), modern algorithms
only, and a `direct-tcpip` channel (RFC 4254 section 7.2) to the router that
the router's session runs over (netmiko's `sock=`).
"""

from __future__ import annotations

import contextlib
import getpass
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from iosgen.device.hostkeys import fingerprint, host_keys, remember_key
from iosgen.errors import AuthError, DeviceError, HostKeyError, UsageError
from iosgen.model.secret import Secret
from iosgen.model.sshoptions import Jump, parse_jump
from iosgen.model.targets import Target

# What paramiko offers beyond the client defaults of Debian 12's OpenSSH 9.2
# (`ssh -G host`: KexAlgorithms, Ciphers, MACs, HostKeyAlgorithms,
# PubkeyAcceptedAlgorithms), by paramiko's `disabled_algorithms` kind. IOS 12.4
# needs the first four kinds' entries (iosgen/sim/server.py, docs/ssh.md).
LEGACY_ALGORITHMS: dict[str, tuple[str, ...]] = {
    "kex": (
        "diffie-hellman-group1-sha1",
        "diffie-hellman-group14-sha1",
        "diffie-hellman-group-exchange-sha1",
    ),
    "ciphers": ("aes128-cbc", "aes192-cbc", "aes256-cbc", "3des-cbc"),
    "keys": ("ssh-rsa",),  # RSA host keys signed with SHA-1 (rsa-sha2-* stay)
    "pubkeys": ("ssh-rsa",),
    "macs": ("hmac-md5", "hmac-md5-96", "hmac-sha1-96"),
}


def disabled_algorithms(legacy: bool) -> dict[str, list[str]]:
    """paramiko's `disabled_algorithms` for a host: nothing, or the legacy ones.

    Either way paramiko's order prefers the modern algorithms a host offers."""
    return {} if legacy else {kind: list(names) for kind, names in LEGACY_ALGORITHMS.items()}


@dataclass(frozen=True)
class Hop:
    """The jump host, resolved: where, as whom, with which keys."""

    spec: str  # as written, for messages: `netops@bastion:2222`
    user: str
    host: str
    port: int
    identity_files: tuple[str, ...]
    host_key: str | None

    @property
    def target(self) -> Target:
        """A Target for the host-key helpers (pinning is by address, as for routers)."""
        return Target(self.spec, self.host, self.port, self.user, Secret("", source="jump"),
                      host_key=self.host_key)  # fmt: skip


@dataclass(frozen=True)
class Route:
    target: Target  # host and port as connected to (the config's HostName, Port)
    jump: Hop | None
    identity_files: tuple[str, ...]  # for the host's own login (linux-pppd)
    legacy: bool
    # the config's `User` for the host (a Linux box's login when the inventory has none;
    # a router's login is always the inventory's)
    user: str | None = None
    # the config's `HostKeyAlgorithms`, as written (`+`, `-`, `^` forms included)
    host_key_algorithms: str | None = None


def _config(path_text: str | None) -> Any:
    """The parsed ssh_config file, or None; a missing or unreadable one is bad input."""
    if path_text is None:
        return None
    import paramiko

    path = Path(path_text).expanduser()
    try:
        return paramiko.SSHConfig.from_path(str(path))
    except OSError as exc:
        raise UsageError(f"ssh config_file {path}: {exc.strerror or exc}") from None
    except Exception as exc:  # paramiko's ConfigParseError and friends
        raise UsageError(f"ssh config_file {path}: {exc}") from None


def _lookup(config: Any, host: str) -> dict[str, Any]:
    return dict(config.lookup(host)) if config is not None else {}


def _identity(own: str | None, found: dict[str, Any], what: str) -> tuple[str, ...]:
    """iosgen's identity_file (it must exist), else the config's IdentityFile entries
    that exist (OpenSSH skips the missing ones too)."""
    if own is not None:
        path = Path(own).expanduser()
        if not path.is_file():
            raise UsageError(f"identity_file {path} ({what}): no such file")
        return (str(path),)
    files = [str(Path(f).expanduser()) for f in found.get("identityfile", [])]
    return tuple(f for f in files if Path(f).is_file())


def _hop(jump: Jump, spec: str, config: Any, target: Target) -> Hop:
    found = _lookup(config, jump.host)
    port = jump.port or int(found.get("port", 22))
    user = jump.user or found.get("user") or getpass.getuser()
    return Hop(
        spec=spec,
        user=str(user),
        host=str(found.get("hostname", jump.host)),
        port=port,
        identity_files=_identity(target.ssh.identity_file, found, f"jump host {spec}"),
        host_key=target.ssh.jump_host_key,
    )


def resolve(target: Target, legacy_default: bool) -> Route:
    """The route to `target`: its options, filled in from its config file.

    `legacy_default`: what `legacy_algorithms: null` means for this platform."""
    ssh = target.ssh
    config = _config(ssh.config_file)
    found = _lookup(config, target.host)
    host = str(found.get("hostname", target.host))
    port = target.port if target.port != 22 else int(found.get("port", 22))
    spec = ssh.proxy_jump
    if spec is None and found.get("proxyjump"):
        spec = str(found["proxyjump"])
    jump = None
    if spec is not None and spec.strip().lower() != "none":
        try:
            parsed = parse_jump(spec)
        except ValueError as exc:
            raise UsageError(f"{target.hostname}: ProxyJump of {ssh.config_file}: {exc}") from None
        jump = _hop(parsed, spec, config, target)
    # the host's own keys (a Linux box's login: through a jump host too, as the
    # documented `identity_file` is for both); a router ignores them
    own = _identity(ssh.identity_file, found, target.hostname)
    legacy = legacy_default if ssh.legacy_algorithms is None else ssh.legacy_algorithms
    user = str(found["user"]) if found.get("user") else None
    algorithms = str(found["hostkeyalgorithms"]) if found.get("hostkeyalgorithms") else None
    return Route(replace(target, host=host, port=port), jump, own, legacy, user, algorithms)


def host_key_disabled(spec: str | None, legacy: bool) -> list[str]:
    """paramiko's `disabled_algorithms["keys"]` for an ssh_config `HostKeyAlgorithms`
    value: a plain list is the whole choice; `+` adds to, `-` takes from, `^` puts
    first in (paramiko keeps its own order) the defaults (ssh_config(5)).
    A list that leaves none paramiko knows is a usage error."""
    import paramiko

    known = list(paramiko.Transport._preferred_keys)
    off = set(disabled_algorithms(legacy).get("keys", []))
    if spec is None:
        return sorted(off)
    names = {n.strip() for n in spec[1:].split(",") if n.strip()} if spec[:1] in "+-^" else set()
    defaults = {k for k in known if k not in off}
    if spec[:1] in ("+", "^"):
        allowed = defaults | names
    elif spec[:1] == "-":
        allowed = defaults - names
    else:
        allowed = {n.strip() for n in spec.split(",") if n.strip()}
    if not allowed & set(known):
        raise UsageError(
            f"HostKeyAlgorithms {spec}: none of these is a host key type iosgen's SSH "
            f"client knows ({', '.join(known)})"
        )
    return [k for k in known if k not in allowed]


@dataclass
class JumpCheck:
    """What the jump host's host-key check saw."""

    accept: bool
    new_key: Any = None
    unknown_key: Any = None


def open_channel(
    name: str,
    route: Route,
    known: Path | None,
    accept_new: bool,
    timeout: float,
    reason: Callable[[BaseException], str],
) -> tuple[Any, Any]:
    """(the jump host's SSHClient, a direct-tcpip channel to the route's target).

    Every failure is one DeviceError naming the jump host: its key unknown or
    changed (HostKeyError), our key refused (AuthError), unreachable, or unable to
    reach the router. `reason` renders a socket-level failure (session.py's)."""
    import paramiko

    from iosgen.device import kex

    hop = route.jump
    assert hop is not None
    where = f"jump host {hop.user}@{hop.host}:{hop.port}"
    check = JumpCheck(accept_new)

    class _Policy(paramiko.MissingHostKeyPolicy):  # type: ignore[misc]
        def missing_host_key(self, client: Any, hostname: str, key: Any) -> None:
            if not check.accept:
                check.unknown_key = key
                raise paramiko.SSHException(f"unknown host key {fingerprint(key)}")
            check.new_key = key
            client.get_host_keys().add(hostname, key.get_name(), key)

    client = paramiko.SSHClient()
    for hostname, keys in host_keys(hop.target, known).items():
        for key_type, key in keys.items():
            client.get_host_keys().add(hostname, key_type, key)
    client.set_missing_host_key_policy(_Policy())
    files = list(hop.identity_files)
    try:
        client.connect(
            hop.host,
            port=hop.port,
            username=hop.user,
            key_filename=files or None,
            # no key named: the agent and ~/.ssh's keys, as `ssh -J` would try them
            allow_agent=not files,
            look_for_keys=not files,
            timeout=timeout,
            banner_timeout=timeout,
            auth_timeout=timeout,
            disabled_algorithms=disabled_algorithms(False),
            transport_factory=kex.transport_factory(),
        )
    except paramiko.BadHostKeyException as exc:
        client.close()
        raise HostKeyError(
            name,
            f"SSH host key of {where} has CHANGED (now {fingerprint(exc.key)}): "
            "refusing to connect",
            "if the jump host was really replaced, remove its old key from the known-hosts file",
        ) from None
    except paramiko.AuthenticationException:
        client.close()
        keys = ", ".join(files) or "the agent's and ~/.ssh's keys"
        raise AuthError(name, f"{where} refused the login as {hop.user!r} with {keys}") from None
    except Exception as exc:
        client.close()
        if check.unknown_key is not None:
            raise HostKeyError(
                name,
                f"SSH host key of {where} is not known ({fingerprint(check.unknown_key)})",
                "check the fingerprint, then pin it (jump_host_key) or run again with "
                "--accept-new-host-key",
            ) from None
        if isinstance(exc, OSError | EOFError) or type(exc).__module__.startswith("paramiko"):
            raise DeviceError(name, f"unreachable: {where}: {reason(exc)}") from None
        raise
    if check.new_key is not None:
        remember_key(hop.target, known, check.new_key)
    t = route.target
    try:
        channel = client.get_transport().open_channel(
            "direct-tcpip", (t.host, t.port), ("127.0.0.1", 0), timeout=timeout
        )
    except Exception as exc:
        client.close()
        text = str(exc).strip() or type(exc).__name__
        if isinstance(exc, paramiko.ChannelException):
            text = exc.text  # "Connect failed", "Administratively prohibited"
        raise DeviceError(
            name, f"unreachable at {t.host}:{t.port} through {where}: {text}"
        ) from None
    return client, channel


def close_quietly(client: Any) -> None:
    if client is not None:
        with contextlib.suppress(Exception):
            client.close()


__all__ = [
    "LEGACY_ALGORITHMS",
    "Hop",
    "Route",
    "close_quietly",
    "disabled_algorithms",
    "host_key_disabled",
    "open_channel",
    "resolve",
]
