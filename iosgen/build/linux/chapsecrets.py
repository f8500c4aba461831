"""Words for pppd's secrets and options files, quoted the way pppd reads them back.

pppd splits these files with `getword()` (pppd/options.c): a word ends at
white space or `#` unless quoted with `"` or `'`; a backslash escapes the next
character everywhere, quoted or not, and `\\ooo` (up to three octal digits)
gives any byte. So a secret goes between double quotes with `\\` and `"`
escaped and control characters as three-digit octal: `Pe "5" n` becomes
`"Pe \\"5\\" n"`.

The model refuses, with a located error, what pppd cannot take back as typed
(iosgen.ios.limits): control characters, non-ASCII, a leading `@/` (pppd's
scan_authfile() reads the secret from that file instead), more than
MAXSECRETLEN - 1 bytes. The checks here are the second line, at render time.
Names stay unquoted, so they must be plain words: no white space, `#`, quotes or
backslash, and not the `*` that pppd takes as a wildcard.
"""

from __future__ import annotations

import re

from iosgen.build.linux.facts import MAX_SECRET_BYTES

_PLAIN_WORD = re.compile(r"[!$-&(-\[\]-~]+")


def pppd_quote(text: str) -> str:
    """`text` as one pppd word, double-quoted, that `getword()` reads back unchanged."""
    out = ['"']
    for char in text:
        code = ord(char)
        if char in '"\\':
            out.append("\\" + char)
        elif code < 0x20 or code == 0x7F:
            # Three digits always: `\0` followed by a digit would swallow it.
            out.append(f"\\{code:03o}")
        else:
            out.append(char)
    out.append('"')
    return "".join(out)


def secret_problem(secret: str) -> str | None:
    """Why pppd cannot use this secret as typed, or None."""
    size = len(secret.encode("utf-8"))
    if size > MAX_SECRET_BYTES:
        return f"is {size} bytes; pppd keeps only the first {MAX_SECRET_BYTES}"
    if "\x00" in secret:
        return "contains a NUL byte, where pppd ends the secret"
    if secret.startswith("@/"):
        return "starts with '@/', which pppd takes as the name of a file holding the secret"
    return None


def is_plain_word(text: str) -> bool:
    """Whether `getword()` reads `text`, written unquoted, back as one word unchanged."""
    return bool(_PLAIN_WORD.fullmatch(text)) and text != "*"
