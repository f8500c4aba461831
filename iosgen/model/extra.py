"""`extra_config`: the lines of a config that the typed model has no field for.

A brownfield router is owned whole through it, and a user adds a command iosgen
has no field for yet. Lines are kept verbatim (no stripping, no case change) and
checked for what the IOS prompt would not take as one command: a line break or
control character would end it and start another, `?` asks for help, a line
longer than IOS's command buffer is cut, a line that leaves the mode, runs an exec
command or opens a banner (iosgen.ios.configmode) is no configuration line.

A secret never stands in a site file: a line whose command keeps a secret (the
iosgen.ios.secrets table) names it as `{secret:NAME}` (printed as the secrets file
holds it: `7 <hex>` stays so) or `{type7:NAME}` (printed as type 7, `7 <hex>`, as the
router had it, whatever `service password-encryption` says), and a line with the
secret in clear is refused. Only the word where the command keeps its secret is a
reference: `{secret:x}` anywhere else (`snmp-server location {secret:x}`) is literal
text, printed as written, so a router's odd text round-trips and no secret lands in
a field that is not meant to hold one.

Where each line goes is iosgen.build.extra's business: a global line or section
where IOS prints it, or right after the top-level line `after:` names.
"""

# Annotations evaluated as written, no `from __future__ import annotations`: pydantic
# would otherwise compile each string annotation back, ~5 ms of every start (the
# few names used before their class exists are quoted).

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any, Final, Self

from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Tag,
    ValidationInfo,
    model_validator,
)

from iosgen.model.parsed import ParsedWithInfo
from iosgen.model.secret import Secret, SecretResolver

if TYPE_CHECKING:
    from iosgen.ios.secrets import SecretField

# The IOS command-line buffer: `terminal width` aside, IOS takes lines of up to 254
# characters at the configuration prompt [L: the 12.4 parser's buffer; the longest
# line of the real configs in tests/realconfigs is 104 characters, comments aside].
MAX_LINE: Final = 254
SOURCE_MAX_LINE: Final = "IOS 12.4 command buffer (254 characters) [L]"

# `{secret:NAME}` prints the secret as stored; `{type7:NAME}` prints it as IOS prints a
# reversible password (`7 <hex>` under service password-encryption, else `0 <clear>`).
PLACEHOLDER_RE: Final = re.compile(r"\{(?P<kind>secret|type7):(?P<name>[A-Za-z0-9_.\-/]+)\}")
# Printable ASCII less '?' (IOS help wherever typed).
_PRINTABLE_RE: Final = re.compile(r"[ ->@-~]+")


# iosgen.ios.configmode and iosgen.ios.secrets (with the config tree and the IOS
# dialogs it reads) are imported when a line is first checked: a site without
# extra_config, the common case, never loads them (`iosgen build` starts faster).
def _mode_problem(text: str) -> str | None:
    from iosgen.ios.configmode import mode_problem

    return mode_problem(text)


def _secret_fields(text: str) -> "tuple[SecretField, ...]":
    from iosgen.ios.secrets import secret_fields

    return secret_fields(text, None)


def line_problem(text: str, *, child: bool, anchor: bool = False) -> str | None:
    """Why IOS would not take `text` as one configuration line, or None.

    A global line starts at column 0; a section's line may start with spaces (one per
    level below the section's own, as IOS prints ` class X` / `  inspect`)."""
    shown = repr(text) if len(text) <= 60 else f"{text[:40]!r}..."
    if text.strip() == "":
        return "is empty: an extra_config line is one IOS command"
    if len(text) > MAX_LINE:
        return f"{shown} is {len(text)} characters; IOS takes at most {MAX_LINE} on one line"
    if "\n" in text or "\r" in text:
        return f"{shown} contains a line break, which would end the command and start another"
    if any(ord(c) < 0x20 or ord(c) == 0x7F for c in text):
        return f"{shown} contains a control character"
    if not text.isascii():
        return f"{shown} contains a non-ASCII character"
    if "?" in text:
        return f"{shown} contains '?', which the IOS prompt takes as a request for help"
    if not _PRINTABLE_RE.fullmatch(text):
        return f"{shown} is not printable ASCII"
    if text != text.rstrip():
        return f"{shown} ends in spaces, which IOS does not keep"
    if not child and text[0] == " ":
        return f"{shown} starts with a space; a global line starts at column 0 (use sections)"
    if text.lstrip().startswith("!"):
        return f"{shown} is a comment; IOS keeps no comments"
    # an anchor is never typed: it names a line of the build (`after: banner motd ^C`)
    if not anchor and (why := _mode_problem(text)) is not None:
        return f"{shown} {why}"
    return None


def clear_secret_problem(text: str) -> str | None:
    """Why a site file may not hold `text`: its command keeps a secret and the secret
    word is no `{secret:NAME}`/`{type7:NAME}` reference. (A router's line has its
    secret in place; `iosgen import` moves it to the secrets file.)"""
    if not _clear_secret(text):
        return None
    from iosgen.ios.secrets import mask_line

    masked = mask_line(text.strip(), None)
    return (
        f"{masked!r} holds a secret in clear; write its secret as {{secret:NAME}} "
        "or {type7:NAME} and put it in the secrets file"
    )


def _references(text: str) -> list[tuple[int, str, str]]:
    """(word index in `text.split(' ')`, kind, name) of each secret reference: a
    placeholder that is the whole secret word of the line (iosgen.ios.secrets)."""
    indent = len(text) - len(text.lstrip(" "))
    words = text[indent:].split(" ")
    out: list[tuple[int, str, str]] = []
    for found in _secret_fields(text[indent:]):
        if m := PLACEHOLDER_RE.fullmatch(words[found.value_index]):
            out.append((indent + found.value_index, m["kind"], m["name"]))
    return out


def _clear_secret(text: str) -> bool:
    """Whether a secret word of the line is no reference (a secret in clear)."""
    stripped = text.lstrip(" ")
    words = stripped.split(" ")
    return any(not PLACEHOLDER_RE.fullmatch(words[f.value_index]) for f in _secret_fields(stripped))


def placeholders(text: str) -> list[tuple[str, str]]:
    """The (kind, name) of each secret reference in `text`."""
    return [(kind, name) for _, kind, name in _references(text)]


def substitute_references(text: str, resolve: Callable[[str, str], str]) -> str:
    """`text` with each secret reference replaced by `resolve(kind, name)`; braces
    anywhere else stay as written."""
    if "{" not in text:
        return text
    found = _references(text)
    if not found:
        return text
    words = text.split(" ")
    for index, kind, name in found:
        words[index] = resolve(kind, name)
    return " ".join(words)


def _parse_line(child: bool, anchor: bool = False) -> Callable[[Any, ValidationInfo], str]:
    def parse(value: Any, info: ValidationInfo) -> str:
        if not isinstance(value, str):
            raise ValueError(f"{value!r} is not text: expected one IOS configuration line")
        # `  quit` ends a certificate's hex in `crypto pki certificate chain`: which section
        # it is in is checked by ExtraConfig (a line alone does not know its header)
        certificate_end = child and value == CERTIFICATE_END
        problem = None if certificate_end else line_problem(value, child=child, anchor=anchor)
        # an anchor names a typed line, its secret masked (`enable secret 5 <redacted>`)
        problem = problem or (None if anchor else clear_secret_problem(value))
        if problem is not None:
            raise ValueError(problem)
        resolver = (info.context or {}).get("resolver") or SecretResolver()
        assert isinstance(resolver, SecretResolver)
        for _, name in placeholders(value):
            # Checked here so that a missing secret is reported at its own line.
            resolver.resolve(f"secret:{name}")
        return value

    return parse


_LINE_SCHEMA = {
    "type": "string",
    "maxLength": MAX_LINE,
    "description": "one IOS configuration line",
}
GlobalLine = Annotated[str, ParsedWithInfo(_parse_line(child=False), _LINE_SCHEMA)]
ChildLine = Annotated[str, ParsedWithInfo(_parse_line(child=True), _LINE_SCHEMA)]
AnchorLine = Annotated[str, ParsedWithInfo(_parse_line(child=False, anchor=True), _LINE_SCHEMA)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class PlacedLine(_Model):
    """A global line put right after a given top-level line (`after: ip cef`)."""

    line: GlobalLine
    after: AnchorLine


class ExtraSection(_Model):
    """A block's lines, put right after a given top-level line."""

    lines: list[ChildLine] = []
    after: AnchorLine | None = None


def _text_or_mapping(value: Any) -> str:
    """Which member of a union a value is: a line (text) or its mapping form. Chosen by
    the value's shape so that a bad line gets one message, not one per member."""
    # tags in brackets: the loader leaves such loc parts out of the key path it shows
    return "[mapping]" if isinstance(value, dict) else "[line]"


# a string is a line, a mapping the placed form: one member tried, one message
ExtraLine = Annotated[
    Annotated[GlobalLine, Tag("[line]")] | Annotated[PlacedLine, Tag("[mapping]")],
    Discriminator(_text_or_mapping),
]
SectionBody = Annotated[
    Annotated[list[ChildLine], Tag("[line]")] | Annotated[ExtraSection, Tag("[mapping]")],
    Discriminator(_text_or_mapping),
]


# How IOS prints a certificate of a trustpoint's chain: the `certificate` line, its hex,
# then `quit` one level deeper (mpenning/ciscoconfparse's IOS fixtures; Cisco's
# "crypto pki certificate chain" reference: `quit` leaves the certificate's hex mode).
CERTIFICATE_CHAIN: Final = "crypto pki certificate chain "
CERTIFICATE_END: Final = " quit"  # a section's lines are written one level up


class ExtraConfig(_Model):
    """Global lines and blocks (`sections: {HEADER: [lines]}`) beyond the typed model."""

    lines: list[ExtraLine] = []
    sections: dict[GlobalLine, SectionBody] = {}

    @model_validator(mode="after")
    def _quit_only_ends_a_certificate(self) -> Self:
        for header, lines, _ in self.section_items():
            for index, line in enumerate(lines):
                if line != CERTIFICATE_END:
                    continue
                opened = next((x for x in reversed(lines[:index]) if not x.startswith(" ")), "")
                if not header.startswith(CERTIFICATE_CHAIN) or not opened.startswith(
                    "certificate "
                ):
                    raise ValueError(
                        f"sections.{header!r}: {line!r} would leave the mode it is typed in; "
                        "IOS prints it only to end a certificate of a "
                        "`crypto pki certificate chain`"
                    )
        return self

    def section_items(self) -> list[tuple[str, tuple[str, ...], str | None]]:
        """(header, lines, after) for each section, in file order."""
        out: list[tuple[str, tuple[str, ...], str | None]] = []
        for header, body in self.sections.items():
            if isinstance(body, ExtraSection):
                out.append((header, tuple(body.lines), body.after))
            else:
                out.append((header, tuple(body), None))
        return out

    def line_items(self) -> list[tuple[str, str | None]]:
        """(line, after) for each global line, in file order."""
        return [(x.line, x.after) if isinstance(x, PlacedLine) else (x, None) for x in self.lines]

    def all_lines(self) -> list[str]:
        out = [line for line, _ in self.line_items()]
        for header, lines, _ in self.section_items():
            out += [header, *lines]
        return out


def resolve_placeholders(lines: list[str], resolver: SecretResolver) -> dict[str, Secret]:
    """The secrets the lines name, by name (each already checked by its line)."""
    out: dict[str, Secret] = {}
    for text in lines:
        for _, name in placeholders(text):
            if name not in out:
                out[name] = resolver.resolve(f"secret:{name}")
    return out
