"""What IOS 12.4 prints while it is being configured, as data: prompts, failures, dialogues.

Observations from ios-reference §5 and §6 (netmiko's captures, Cisco's
Configuration Replace guide) and the simulator's facts; `iosgen.device.session` reads
every answer against these and nothing else.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

# `R-ITD#`, `R-ITD>`, `R-ITD(config-if)#`: the last line of output when IOS waits for
# a command. IOS cuts long hostnames in config prompts, so any name is accepted.
PROMPT: Final = r"(?P<host>[A-Za-z][\w.\-]*)(?:\((?P<mode>[\w\-]+)\))?(?P<end>[#>])"
PROMPT_RE: Final = re.compile(r"(?:^|\n)" + PROMPT + r" ?$")

# A question IOS waits on: `Destination filename [startup-config]? `,
# `Delete flash:x.cfg? [confirm]`, `... delete all entries? [no]: `, `Password: `.
# `[OK]` (the end of `write memory`) is not one: a question has `?` or `:` with it.
# What IOS prints on its own, a moment after the prompt of the command that caused it:
# `reload cancel` answers with its prompt, then the broadcast
#
#     ***
#     *** --- SHUTDOWN ABORTED ---
#     ***
#
# so a read can end in it rather than in the prompt. It is taken out of an answer.
UNSOLICITED_RE: Final = re.compile(
    r"(?:\r?\n)*\*\*\*\r?\n\*\*\* --- SHUTDOWN ABORTED ---\r?\n\*\*\*(?:\r?\n)?"
)


def without_unsolicited(output: str) -> str:
    """`output` without the messages IOS broadcasts on its own (`UNSOLICITED_RE`).

    >>> without_unsolicited("R1#\\r\\n\\r\\n***\\r\\n*** --- SHUTDOWN ABORTED ---\\r\\n***\\r\\n")
    'R1#'
    """
    return UNSOLICITED_RE.sub("", output) if "SHUTDOWN ABORTED" in output else output


DIALOG_RE: Final = re.compile(
    r"(?:^|\n)(?P<question>[^\n]*(?:\?\s*\[[^\]\n]*\]|\[[^\]\n]*\]\s*[?:]|[Pp]assword:))\s*$"
)

# `banner motd ^C` (its text not closed on the line): IOS answers
#
#     Enter TEXT message.  End with the character '^C'.
#
# and then prints no prompt, after that line nor after each text line it echoes, until
# a line holding the delimiter; then the config prompt (docs/simulator-grammar.md,
# Banners, has the captures). IOS names the delimiter it waits for.
BANNER_TEXT_RE: Final = re.compile(
    r"Enter TEXT message\.\s+End with the character '(?P<delim>.+?)'\."
)


def banner_text_delimiter(output: str) -> str | None:
    """The delimiter IOS waits for when `output` opens a banner's text, else None.

    >>> banner_text_delimiter("\\r\\nEnter TEXT message.  End with the character '^C'.\\r\\n")
    '^C'
    """
    match = BANNER_TEXT_RE.search(output)
    return match["delim"] if match else None


# Every line of IOS's answer that starts with `%` is a refusal:
#   % Invalid input detected at '^' marker.   (and the caret line above it)
#   % Incomplete command.
#   % Ambiguous command:  "ip nat"
#   %Error opening flash:x.cfg (File not found)
# except the notes IOS prints while it takes the line, `% NOTE: ...`: a new crypto map
# entry answers
#     % NOTE: This new crypto map will remain disabled until a peer
#             and a valid access list have been configured.
# and is made (public 12.4 captures, docs/sim-ipsec.md).
# Syslog messages, should the terminal monitor be on, start with a timestamp
# (`*Mar  1 00:01:02.345: %SYS-5-CONFIG_I: ...`) and are not answers.
INFORMATIONAL: Final = ("NOTE:",)
FAILURE_RE: Final = re.compile(
    r"^\s*%(?!\s*(?:" + "|".join(re.escape(word) for word in INFORMATIONAL) + "))", re.M
)

# `enable` with a wrong secret: IOS asks `Password: ` up to three times, then
# prints `% Bad secrets` and stays in user mode.
ENABLE_REFUSED_RE: Final = re.compile(r"% (?:Bad secrets|Access denied|No password set)")


@dataclass(frozen=True)
class Dialog:
    """A question IOS asks in the middle of a command, and iosgen's reply to it."""

    pattern: re.Pattern[str]
    reply: str  # "" is Enter: take IOS's bracketed default
    note: str = ""  # said in the output and the history when this dialogue was answered


DIALOGS: Final[tuple[Dialog, ...]] = (
    # copy running-config flash:NAME -> `Destination filename [NAME]? `
    Dialog(re.compile(r"Destination filename \[[^\]]*\]\?"), ""),
    # an iosgen rollback file left by an earlier run of the same second
    Dialog(re.compile(r"Do you want to over ?write\? \[confirm\]"), ""),
    # delete flash:NAME -> `Delete filename [NAME]? ` then `Delete flash:NAME? [confirm]`
    Dialog(re.compile(r"Delete filename \[[^\]]*\]\?"), ""),
    Dialog(re.compile(r"Delete \S+\? \[confirm\]"), ""),
    # `no ip nat inside source ...` while the mapping has live translations. The
    # default `[no]` keeps the line (and the push would be half done): answer yes.
    Dialog(
        re.compile(r"Dynamic mapping in use, do you want to delete all entries\? \[no\]:"),
        "yes",
        "IOS asked 'Dynamic mapping in use, do you want to delete all entries? [no]:' "
        "and iosgen answered 'yes': the live NAT translations of that mapping were deleted",
    ),
)

# `reload` and `reload in N` on 12.4 (ios-reference §5): with unsaved changes IOS first
# asks `System configuration has been modified. Save? [yes/no]: `; iosgen answers `no`
# (the reload is there to return to the saved config), then Enter to the confirm.
RELOAD_DIALOGS: Final[tuple[Dialog, ...]] = (
    Dialog(
        re.compile(r"System configuration has been modified\. Save\? \[yes/no\]:"),
        "no",
        "IOS asked 'System configuration has been modified. Save? [yes/no]:' and iosgen "
        "answered 'no': a reload returns to the startup config",
    ),
    Dialog(re.compile(r"Proceed with reload\? \[confirm\]"), ""),
)

# `no ip nat inside source ...` (a dynamic mapping being removed) opens the
# `Dynamic mapping in use` question while that mapping has translations (Cisco Tech
# Note 13779); iosgen never empties the whole table (`clear ip nat translation *`).
NAT_MAPPING_RE: Final = re.compile(r"^\s*no ip nat inside source\b")
# A dynamic mapping is one per route-map / list name: typing it with another interface
# replaces it, and IOS refuses that while it has translations.
NAT_DYNAMIC_RE: Final = re.compile(r"^ip nat inside source (?:route-map|list) (\S+) ")


def at_prompt(output: str) -> str | None:
    """The mode IOS waits in at the end of `output` ("exec", "user", "config-if"...), or None."""
    match = PROMPT_RE.search(output)
    if match is None:
        return None
    if match["mode"]:
        return match["mode"]
    return "exec" if match["end"] == "#" else "user"


# Configuration sub-modes whose prompt does not start with `config`: IOS names a few
# after their feature. `ip dhcp pool LAN` -> `R1(dhcp-config)#` (Cisco IOS IP Addressing
# Services Command Reference, "ip dhcp pool"); `crypto ipsec transform-set T esp-aes` ->
# `R1(cfg-crypto-trans)#` (Security Command Reference, "crypto ipsec transform-set");
# `crypto pki trustpoint TP` -> `R1(ca-trustpoint)#`, `crypto pki certificate chain TP`
# -> `R1(config-cert-chain)#` and its `certificate` -> `R1(config-pubkey)#`.
# `crypto ipsec profile P` -> `R1(ipsec-profile)#` (Security Command Reference, "crypto
# ipsec profile").
CONFIG_SUBMODES: Final = frozenset(
    {"dhcp-config", "cfg-crypto-trans", "ca-trustpoint", "ipsec-profile"}
)


def in_config(mode: str | None) -> bool:
    """True when the prompt's mode is global config or one of its sub-modes.

    >>> [in_config(m) for m in ("config", "config-if", "dhcp-config", "exec", None)]
    [True, True, True, False, False]
    """
    return mode is not None and (mode.startswith("config") or mode in CONFIG_SUBMODES)


def open_dialog(output: str) -> str | None:
    """The question IOS waits on at the end of `output`, or None."""
    match = DIALOG_RE.search(output)
    return match["question"].strip() if match else None


def answer_lines(transcript: str) -> str:
    """IOS's answer without the prompt it ends with (and without blank lines)."""
    lines = transcript.replace("\r", "").split("\n")
    if lines and PROMPT_RE.search("\n" + lines[-1]):
        lines = lines[:-1]
    return "\n".join(line for line in lines if line.strip())


def failure_in(answer: str) -> bool:
    return FAILURE_RE.search(answer) is not None
