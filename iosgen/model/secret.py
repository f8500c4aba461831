"""The `Secret` value type and the resolution of secret references in site files.

A site file names a secret three ways: `${NAME}` (environment), `secret:NAME`
(the secrets file) or `7 <hex>` (an IOS type-7 value, kept as typed). A plain
string is taken literally. Secrets never print: `str()` and `repr()` mask them.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from iosgen.ios.mask import MASK as MASK  # one mask for every path that shows a secret
from iosgen.ios.passwords import is_type7, type7_decode

# fullmatch, never `$`: `$` also matches before a trailing newline, which would
# let `7 <hex>\n` or `${NAME}\n` through with the newline silently dropped.
_ENV_RE = re.compile(r"\$\{(?P<name>[A-Za-z_][A-Za-z0-9_]*)\}")
_FILE_RE = re.compile(r"secret:(?P<name>[A-Za-z0-9_.\-/]+)")
_TYPE7_RE = re.compile(r"7 +(?P<hex>\S+)")
# A value kept as IOS's md5-crypt hash (`5 $1$mERr$...`): a hashed secret taken as is,
# e.g. from `iosgen import`, which never learns the clear text behind it.
_TYPE5_RE = re.compile(r"5 +(?P<hash>\$1\$[./0-9A-Za-z]{1,8}\$[./0-9A-Za-z]{22})")


@dataclass(frozen=True)
class Secret:
    """A resolved secret; `type7` keeps a value that the user gave already encoded."""

    _plain: str = field(repr=False)
    source: str = "literal"
    type7: str | None = None
    type5: str | None = None  # an md5-crypt hash given as such; then `_plain` is empty

    def reveal(self) -> str:
        return self._plain

    def __str__(self) -> str:
        return MASK

    def __repr__(self) -> str:
        return f"Secret({self.source}, {MASK})"

    @property
    def origin(self) -> str:
        """Where the secret came from, for messages that must not show it."""
        if self.source.startswith("${"):
            return f"the secret from environment variable {self.source[2:-1]}"
        if self.source.startswith("secret:"):
            return f"the secret {self.source[7:]!r} of the secrets file"
        if self.type7 is not None:
            return "the type-7 secret (decoded)"
        if self.type5 is not None:
            return "the type-5 hash"
        return "the secret"


class SecretResolver:
    """Where `${NAME}` and `secret:NAME` come from.

    A plain class, not a dataclass: its repr names the secrets file and no value (a
    dataclass's would print every secret and the whole environment), and it generates
    no code at import (~0.5 ms of every start).
    """

    __slots__ = ("environ", "secrets", "secrets_file")

    def __init__(
        self,
        environ: Mapping[str, str] | None = None,
        secrets: Mapping[str, str] | None = None,
        secrets_file: str = "inventory/secrets.yaml",
    ) -> None:
        self.environ: Mapping[str, str] = dict(os.environ) if environ is None else environ
        self.secrets: Mapping[str, str] = {} if secrets is None else secrets
        self.secrets_file = secrets_file

    def __repr__(self) -> str:
        return f"SecretResolver(secrets_file={self.secrets_file!r}, {len(self.secrets)} secrets)"

    def resolve(self, text: str) -> Secret:
        """Resolve one reference; raise ValueError naming what is missing."""
        if match := _ENV_RE.fullmatch(text):
            name = match["name"]
            if name not in self.environ:
                raise ValueError(f"environment variable {name} is not set")
            return _typed(self.environ[name], f"${{{name}}}")
        if match := _FILE_RE.fullmatch(text):
            name = match["name"]
            if name not in self.secrets:
                raise ValueError(f"secret {name!r} is not in {self.secrets_file}")
            return _typed(str(self.secrets[name]), f"secret:{name}")
        if "${" in text:
            raise ValueError("malformed reference: expected ${NAME}")
        return _typed(text, "literal")


def _typed(text: str, source: str) -> Secret:
    """A value given as `7 <hex>` (in the file, the environment or the secrets file)."""
    if match := _TYPE7_RE.fullmatch(text):
        encoded = match["hex"]
        if not is_type7(encoded):
            # Not quoted back: a mistyped type-7 value is still most of a password.
            raise ValueError("the value is not type 7 ('7 ' then 2 decimal digits and hex)")
        return Secret(type7_decode(encoded), source=source, type7=encoded.upper())
    if match := _TYPE5_RE.fullmatch(text):
        return Secret("", source=source, type5=match["hash"])
    return Secret(text, source=source)


def read_env_file(path: Path) -> dict[str, str]:
    """`NAME=value` lines (blank lines and `#` comments skipped), as `set -a; . FILE` reads
    them for the simple values of inventory/example.env."""
    values: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#") and "=" in line:
            name, _, value = line.partition("=")
            values[name.strip()] = value.strip()
    return values
