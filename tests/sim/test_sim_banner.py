"""Banners as IOS types them: "Enter TEXT message", no prompt per text line, the delimiter.

docs/simulator-grammar.md (Banners) has the captures these follow.
"""

from __future__ import annotations

import pytest

from iosgen.sim.router import Router, RouterSpec
from iosgen.sim.shell import Shell


def session() -> Shell:
    shell = Shell(Router(RouterSpec("R1", "netops", "pw")), "netops")
    say(shell, "terminal length 0\n")
    say(shell, "configure terminal\n")
    return shell


def say(shell: Shell, text: str) -> str:
    return "".join(t for t, answer in shell.feed(text) if answer)


def banner_lines(shell: Shell) -> list[str]:
    say(shell, "end\n")
    text = say(shell, "show running-config\n")
    lines = text.split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith("banner "))
    if lines[start].count("^C") == 2:  # text and both delimiters on the one line
        return lines[start : start + 1]
    end = next(i for i in range(start + 1, len(lines)) if "^C" in lines[i])
    return lines[start : end + 1]


@pytest.mark.parametrize(
    ("typed", "enter", "printed"),
    [
        (
            ["banner motd ^C", "Authorised access only", "^C"],
            "Enter TEXT message.  End with the character '^C'.\n",
            ["banner motd ^C", "Authorised access only", "^C"],
        ),
        (
            ["banner login %", "Line one", "", "Line three", "%"],
            "Enter TEXT message.  End with the character '%'.\n",
            ["banner login ^C", "Line one", "", "Line three", "^C"],
        ),
        (
            # the delimiter ends the text wherever it stands in a line (capture 2)
            ["banner motd #", "Unauthorized access is strictly prohibited. #"],
            "Enter TEXT message.  End with the character '#'.\n",
            ["banner motd ^C", "Unauthorized access is strictly prohibited. ^C"],
        ),
    ],
    ids=["caret-c", "percent-with-blank-line", "delimiter-mid-line"],
)
def test_no_prompt_until_the_delimiter(typed: list[str], enter: str, printed: list[str]) -> None:
    shell = session()
    assert say(shell, typed[0] + "\n") == enter
    for text in typed[1:-1]:
        assert say(shell, text + "\n") == ""  # no prompt after a text line
    assert say(shell, typed[-1] + "\n") == "R1(config)#"
    assert banner_lines(shell) == printed


def test_a_banner_closed_on_its_own_line_answers_with_the_prompt() -> None:
    shell = session()
    assert say(shell, "banner motd #Authorized Access Only!#\n") == "R1(config)#"
    assert banner_lines(shell) == ["banner motd ^CAuthorized Access Only!^C"]


def test_text_lines_are_not_commands() -> None:
    shell = session()
    say(shell, "banner exec ^C\n")
    # `hostname X` and `!` inside the text are text: no change, no `% Invalid input`
    assert say(shell, "hostname X\n") == ""
    assert say(shell, "! not a comment\n") == ""
    assert say(shell, "^C\n") == "R1(config)#"
    assert banner_lines(shell) == ["banner exec ^C", "hostname X", "! not a comment", "^C"]


def test_no_banner_removes_it() -> None:
    shell = session()
    for line in ("banner motd ^C", "Old", "^C", "no banner motd", "end"):
        say(shell, line + "\n")
    assert "banner" not in say(shell, "show running-config\n")
