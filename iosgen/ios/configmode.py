"""What a line typed at the IOS configuration prompt may do beyond configuring: leave
the mode, run an exec command, open a banner, ask a question. An extra_config line is
one configuration command, so these are refused there.

IOS reads every keyword in any case and takes any unique abbreviation (`EXIT`, `exi`,
`en` for `end` where nothing else starts so) [Cisco IOS Configuration Fundamentals,
"Using the Cisco IOS Command-Line Interface": "commands are not case-sensitive" and
"you can abbreviate commands and keywords to the number of characters that allow a
unique abbreviation"]. Whether a short prefix is unique depends on the mode and the
feature set, so every prefix is refused: no real command is only a prefix of these.
`do` runs an exec command from any configuration mode (12.2(8)T on) [Cisco IOS
Configuration Fundamentals Command Reference, `do`]: `do write erase`, `do reload`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final


@dataclass(frozen=True, slots=True)
class ModeRule:
    """A first word (any case, any prefix of at least `shortest` characters) refused."""

    word: str
    shortest: int
    why: str
    source: str


SOURCE_CLI: Final = "Cisco IOS Configuration Fundamentals: CLI, abbreviations, case"
SOURCE_DO: Final = "Cisco IOS Configuration Fundamentals Command Reference: do"
SOURCE_BANNER: Final = "Cisco IOS Configuration Fundamentals Command Reference: banner motd"

MODE_RULES: Final[tuple[ModeRule, ...]] = (
    ModeRule("end", 1, "would leave configuration mode", SOURCE_CLI),
    ModeRule("exit", 1, "would leave the mode it is typed in", SOURCE_CLI),
    ModeRule("quit", 1, "is an exec command, no configuration line", SOURCE_CLI),
    ModeRule("do", 2, "runs an exec command from configuration mode", SOURCE_DO),
    # the delimiter opens a text read up to the next one: the lines after it would be
    # eaten (at the router and by iosgen's own parse); banners have a typed field
    ModeRule("banner", 2, "opens a banner; use the typed `banners` field", SOURCE_BANNER),
)

# Commands that ask a question or act once instead of configuring (IOS prompts for the
# modulus, for a confirmation, or for a certificate's fingerprint): they are no line
# of a running config and would hang a push waiting for the answer.
INTERACTIVE: Final[tuple[tuple[str, ...], ...]] = (
    ("crypto", "key", "generate"),
    ("crypto", "key", "zeroize"),
    ("crypto", "key", "import"),
    ("crypto", "pki", "authenticate"),
    ("crypto", "pki", "enroll"),
    ("crypto", "pki", "import"),
    ("crypto", "ca", "authenticate"),
    ("crypto", "ca", "enroll"),
)


def mode_problem(text: str) -> str | None:
    """Why `text` is no plain configuration command (it leaves the mode, runs exec,
    opens a banner, asks a question), or None."""
    words = text.lower().split()
    if not words:
        return None
    first = words[0]
    for rule in MODE_RULES:
        if len(first) >= rule.shortest and rule.word.startswith(first):
            return rule.why
    for lead in INTERACTIVE:
        if tuple(words[: len(lead)]) == lead:
            return "asks a question or acts once; it is no line of a running config"
    return None


# --- commands that hold one value -------------------------------------------------------------


# A command IOS keeps once per mode: typing it again replaces the value (`hostname`, a
# line's `transport input`, an interface's `ip address` without `secondary`), and `no X`
# removes it [Cisco IOS command references of each command: no "multiple" form]. An
# extra_config line that says one of these differently from a typed line would silently
# override it, so the two are a contradiction. Each row: the words the command starts
# with, and the words that must also be on the line for the row to apply (a user's
# credential: `username u autocommand exit` is another command of the same user).
@dataclass(frozen=True, slots=True)
class SingleValue:
    lead: tuple[str, ...]
    key_words: int  # how many words name the command (`username netops`: 2)
    needs: frozenset[str] = frozenset()
    unless: frozenset[str] = frozenset()


SINGLE_VALUE: Final[tuple[SingleValue, ...]] = (
    SingleValue(("hostname",), 1),
    SingleValue(("username",), 2, needs=frozenset({"password", "secret"})),
    SingleValue(("enable", "secret"), 2),
    SingleValue(("enable", "password"), 2),
    SingleValue(("ip", "domain", "name"), 3),
    SingleValue(("ip", "domain-name"), 2),
    SingleValue(("ip", "domain", "lookup"), 3),
    SingleValue(("ip", "cef"), 2),
    SingleValue(("ip", "http", "server"), 3),
    SingleValue(("ip", "http", "secure-server"), 3),
    SingleValue(("ip", "ssh", "version"), 3),
    SingleValue(("service", "password-encryption"), 2),
    SingleValue(("service", "timestamps", "debug"), 3),
    SingleValue(("service", "timestamps", "log"), 3),
    SingleValue(("aaa", "new-model"), 2),
    SingleValue(("clock", "timezone"), 2),
    # under a line
    SingleValue(("transport", "input"), 2),
    SingleValue(("transport", "output"), 2),
    SingleValue(("exec-timeout",), 1),
    SingleValue(("login", "authentication"), 2),
    SingleValue(("login",), 1, unless=frozenset({"block-for", "on-failure", "on-success"})),
    SingleValue(("password",), 1),
    # under an interface
    SingleValue(("description",), 1),
    SingleValue(("ip", "address"), 2, unless=frozenset({"secondary"})),
    SingleValue(("ip", "mtu"), 2),
    SingleValue(("mtu",), 1),
    SingleValue(("ip", "tcp", "adjust-mss"), 3),
    SingleValue(("duplex",), 1),
    SingleValue(("speed",), 1),
    SingleValue(("encapsulation",), 1),
    SingleValue(("ppp", "chap", "hostname"), 3),
    SingleValue(("ppp", "chap", "password"), 3),
    SingleValue(("ppp", "authentication"), 2),
    SingleValue(("shutdown",), 1),
)


def single_value_key(text: str) -> str | None:
    """The name of the one-value command `text` sets (`no X` sets X too), or None."""
    words = text.split()
    if words[:1] == ["no"]:
        words = words[1:]
    for row in SINGLE_VALUE:
        if tuple(words[: len(row.lead)]) != row.lead or len(words) < row.key_words:
            continue
        rest = set(words[row.key_words :])
        if (row.needs and not row.needs & rest) or row.unless & rest:
            continue
        return " ".join(words[: row.key_words])
    return None
