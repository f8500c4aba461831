"""Per-host SSH options: `management.ssh` in a site, `ssh:` in a targets entry (same keys).

How an operator reaches a branch router: through a jump host (`proxy_jump`), with a
key for hosts that take one (`identity_file`), with what an `ssh_config(5)` file says
(`config_file`), and with IOS 12.4's old algorithms only where a host needs them
(`legacy_algorithms`). What each does on the wire is in `iosgen.device.sshconfig`
and docs/ssh.md; this module only validates the values.
"""

# Annotations evaluated as written, no `from __future__ import annotations`: pydantic
# would otherwise compile each string annotation back, ~5 ms of every start (the
# few names used before their class exists are quoted).

import re
from typing import Annotated, NamedTuple

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

# `[user@]host[:port]`, as OpenSSH's ProxyJump (ssh(1) -J) writes one hop; an IPv6
# address in brackets (`[2001:db8::1]:2222`).
JUMP_RE = re.compile(
    r"^(?:(?P<user>[A-Za-z0-9._-]{1,64})@)?"
    r"(?:\[(?P<v6>[0-9A-Fa-f:.]+)\]|(?P<host>[A-Za-z0-9.-]{1,253}))"
    r"(?::(?P<port>\d{1,5}))?$"
)
# An OpenSSH public key line (`ssh-ed25519 AAAA...`), as a known-hosts entry holds it.
PUBLIC_KEY_RE = re.compile(
    r"^(ssh-rsa|ssh-dss|ssh-ed25519|ecdsa-sha2-nistp\d+) [A-Za-z0-9+/]+={0,2}$"
)


class Jump(NamedTuple):
    """One jump host: `user` None when the spec names none (the ssh config's User, or
    the local user, as OpenSSH does)."""

    user: str | None
    host: str
    port: int | None


def parse_jump(text: str) -> Jump:
    """`[user@]host[:port]` -> Jump; ValueError with the reason otherwise.

    >>> parse_jump("netops@bastion.example.net:2222")
    Jump(user='netops', host='bastion.example.net', port=2222)
    >>> parse_jump("10.0.0.1")
    Jump(user=None, host='10.0.0.1', port=None)
    """
    m = JUMP_RE.match(text.strip())
    if m is None:
        if "," in text:
            raise ValueError(f"{text!r}: one jump host only (iosgen does not chain hops)")
        raise ValueError(f"{text!r} is not a jump host ([user@]host[:port])")
    port = int(m["port"]) if m["port"] else None
    if port is not None and not 1 <= port <= 65535:
        raise ValueError(f"{text!r}: port {port} is not a TCP port (1-65535)")
    return Jump(m["user"], m["v6"] or m["host"], port)


def _jump(text: str) -> str:
    parse_jump(text)
    return text.strip()


def _public_key(text: str) -> str:
    parts = text.split()
    if len(parts) < 2 or not PUBLIC_KEY_RE.match(f"{parts[0]} {parts[1]}"):
        raise ValueError("not an OpenSSH public key ('ssh-ed25519 AAAA...')")
    return f"{parts[0]} {parts[1]}"


JumpSpec = Annotated[str, AfterValidator(_jump)]
PublicKey = Annotated[str, AfterValidator(_public_key)]
PathText = Annotated[str, Field(min_length=1, max_length=4096)]


class SshOptions(BaseModel):
    """How this host is reached over SSH (every key optional; none set: a direct
    connection, password login, the algorithms the platform needs)."""

    model_config = ConfigDict(
        extra="forbid", frozen=True, str_strip_whitespace=True, defer_build=True
    )

    # `[user@]host[:port]`: connect to this OpenSSH server first and reach the router
    # through it (a direct-tcpip channel); `none` turns off a ProxyJump of config_file.
    proxy_jump: JumpSpec | None = None
    # the jump host's public key, pinned like a router's (else the known-hosts file)
    jump_host_key: PublicKey | None = None
    # a private key for the jump host (and, once device/linux.py reads it, a
    # linux-pppd box's own login); IOS 12.4 routers take passwords only (docs/ssh.md)
    identity_file: PathText | None = None
    # an ssh_config(5) file (`~/.ssh/config`): HostName, Port, User, IdentityFile,
    # ProxyJump of the matching Host blocks fill what these options leave unset
    config_file: PathText | None = None
    # IOS 12.4's algorithms (diffie-hellman-group1/14-sha1, aes-cbc/3des-cbc, ssh-rsa
    # host keys): None = as the host needs (on for an ios router, off for a jump
    # host); modern ones are always preferred when the host offers them
    legacy_algorithms: bool | None = None

    @property
    def jump(self) -> Jump | None:
        if self.proxy_jump is None or self.proxy_jump.lower() == "none":
            return None
        return parse_jump(self.proxy_jump)


# The keys a targets entry's `ssh:` may hold (the model's fields, one list).
SSH_KEYS: tuple[str, ...] = tuple(SshOptions.model_fields)

__all__ = ["SSH_KEYS", "Jump", "SshOptions", "parse_jump"]
