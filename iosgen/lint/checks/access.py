"""Management-access and stored-secret findings (IOS404-IOS410).

Messages quote config lines only through `redact`, so no secret value, clear
or type 7, ever reaches a lint report.
"""

from __future__ import annotations

from collections.abc import Iterator

from iosgen.lint.checks.config import Config, Line
from iosgen.lint.checks.secrets import redact, secret_fields
from iosgen.lint.hit import Hit

# `transport input` words that let telnet in; `ssh` and `none` do not.
_TELNET_WORDS = frozenset({"telnet", "all"})


def check_secrets(config: Config) -> Iterator[Hit]:
    encrypts = config.has(r"^service password-encryption$")
    for line in config.lines:
        for field in secret_fields(line.text):
            shown = redact(line.text)
            if field.type == "7":
                # type 7 is a fixed-key XOR (IOS 12.4 key `dsfd;kfoA,.iyewrkldJKDHSUB...`)
                yield Hit(
                    "IOS404",
                    line.number,
                    f"`{shown}`: type 7 is a fixed-key XOR, reversed by anyone who reads this "
                    "config; use a one-way `secret` where the command has one, else guard the file",
                )
            clear = field.type in {None, "0"} and field.keyword.endswith("password")
            if clear and not encrypts:
                yield Hit(
                    "IOS408",
                    line.number,
                    f"`{shown}`: clear-text password and no `service password-encryption`",
                )
        yield from _password_commands(line)


def _password_commands(line: Line) -> Iterator[Hit]:
    words = line.words
    if line.parent is None and words[:2] == ["enable", "password"]:
        # `enable password` is stored clear or as type 7; `enable secret` is a one-way md5 hash.
        yield Hit(
            "IOS405",
            line.number,
            f"`{redact(line.text)}`: use `enable secret` (one-way hash); "
            "`enable password` is stored clear or reversible",
        )
    if line.parent is None and words[:1] == ["username"] and "password" in words:
        priv = words.index("privilege") if "privilege" in words else -1
        if priv > 0 and words[priv + 1 : priv + 2] == ["15"]:
            yield Hit(
                "IOS409",
                line.number,
                f"`{redact(line.text)}`: a privilege-15 login user should use `secret` (one-way "
                "hash); `password` is kept clear or reversible (only MS-CHAP/CHAP users need it)",
            )


def check_vty(config: Config) -> Iterator[Hit]:
    for line, _match in config.matching(r"^line vty ", top_only=True):
        transports = [c for c in line.children if c.text.startswith("transport input")]
        if not transports:
            # 12.4 prints no `transport input` line for the default, which takes telnet.
            yield Hit(
                "IOS406",
                line.number,
                f"`{line.text}` has no `transport input` line; the 12.4 default accepts "
                "telnet (clear text): add `transport input ssh`",
            )
        for transport in transports:
            if _TELNET_WORDS & set(transport.words[2:]):
                yield Hit(
                    "IOS406",
                    transport.number,
                    f"`{transport.text}` under `{line.text}` accepts telnet (clear text, "
                    "credentials included): use `transport input ssh`",
                )


def check_ssh_version(config: Config) -> Iterator[Hit]:
    if config.has(r"^ip ssh version 2$"):
        return
    anchor = next(
        (line for line, _m in config.matching(r"^ip ssh version ", top_only=True)),
        next((line for line, _m in config.matching(r"^line vty ", top_only=True)), None),
    )
    yield Hit(
        "IOS407",
        anchor.number if anchor is not None else 1,
        "no `ip ssh version 2`: the SSH server also accepts version 1 (compatibility mode "
        "1.99), which has known weaknesses; add `ip ssh version 2`",
    )


def check_name_servers(config: Config) -> Iterator[Hit]:
    """`ip name-server 198.51.100.53` under `no ip domain lookup`: the router resolves nothing."""
    if not config.has(r"^no ip domain[ -]lookup$"):
        return
    for line, _m in config.matching(r"^ip name-server "):
        yield Hit(
            "IOS502",
            line.number,
            f"`{line.text}` is never asked: `no ip domain lookup` turns name lookups off "
            "(remove the name server, or turn lookups on)",
        )


def check_aaa_login(config: Config) -> Iterator[Hit]:
    """`aaa authentication login default none`: the method `none` lets anyone in.

    Methods are tried in order, the next only when one errors; `none` first means
    no check at all, on every line that uses the list (the console and the vtys).
    """
    if not config.has(r"^aaa new-model$"):
        return
    for line, _m in config.matching(r"^aaa authentication login \S+ ", top_only=True):
        methods = line.words[4:]
        if methods[:1] == ["none"]:
            yield Hit(
                "IOS410",
                line.number,
                f"`{line.text}`: the first method is `none`, so anyone reaching a line that "
                "uses this list logs in without a password; use `local` (and a local user)",
            )
