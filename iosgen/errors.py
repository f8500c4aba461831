"""The error types of every stage; each carries its exit code and a one-line rendering.

The library raises, `iosgen.cli` renders them in one place. Drift and lint
findings are results, not exceptions.
"""

from __future__ import annotations

from typing import NamedTuple

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_BAD_INPUT = 2
EXIT_UNREACHABLE = 3


class Problem(NamedTuple):
    """One located problem in an input file: `file:line:column: key.path: message`."""

    file: str
    line: int
    column: int
    path: str
    message: str

    def render(self) -> str:
        where = f"{self.file}:{self.line}:{self.column}"
        return f"{where}: {self.path}: {self.message}" if self.path else f"{where}: {self.message}"


class IosgenError(Exception):
    """Root of iosgen's errors."""

    exit_code = EXIT_BAD_INPUT

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def lines(self) -> list[str]:
        out = [f"error: {self.message}"]
        if self.hint:
            out.append(f"hint: {self.hint}")
        return out


class InputError(IosgenError):
    """Bad input: every problem found in the files, each with its location."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems, key=lambda p: (p.file, p.line, p.column, p.path))
        super().__init__("\n".join(p.render() for p in self.problems))

    def lines(self) -> list[str]:
        return [p.render() for p in self.problems]


class UsageError(IosgenError):
    """A command was called with arguments that cannot work (no such host, ...)."""


class RenderError(IosgenError):
    """A template failed to render: a bug in iosgen or a template, not in the input."""


class DeviceError(IosgenError):
    """A router could not be reached, logged into or driven."""

    exit_code = EXIT_UNREACHABLE

    def __init__(self, host: str, message: str, hint: str | None = None) -> None:
        super().__init__(f"{host}: {message}", hint)
        self.host = host


class HostKeyError(DeviceError):
    """The router's SSH host key is unknown (and not accepted) or has changed."""


class AuthError(DeviceError):
    """Login or enable was refused."""


class SessionLost(DeviceError):
    """The SSH session ended (or stopped answering) in the middle of a command."""


def _first_line(answer: str) -> str:
    """The line of IOS's answer worth printing: the last one (`% Invalid input ...`)."""
    return answer.strip().splitlines()[-1] if answer.strip() else "(no answer)"


class ConfigLineError(DeviceError):
    """IOS refused a config line, or answered it with a dialogue iosgen does not know.

    `answer` is exactly what IOS printed after the echo of the line.
    """

    exit_code = EXIT_FINDINGS

    def __init__(
        self, host: str, line: str, answer: str, sent: int, question: bool = False
    ) -> None:
        # the message is printed: the line's secret, if it has one, is not
        from iosgen.ios.secrets import redact_line

        first = _first_line(answer)
        shown = redact_line(line.strip())
        if question:
            message = f"IOS asked a question iosgen has no answer for after {shown!r}: {first}"
        else:
            message = f"IOS refused {shown!r}: {first}"
        super().__init__(host, message)
        self.line = line
        self.answer = answer
        self.sent = sent  # lines IOS accepted before this one


class CommandError(DeviceError):
    """An exec command (copy, delete, configure replace, ...) failed; `answer` is IOS's."""

    exit_code = EXIT_FINDINGS

    def __init__(self, host: str, command: str, answer: str) -> None:
        super().__init__(host, f"{command!r} failed: {_first_line(answer)}")
        self.command = command
        self.answer = answer


class CommitError(DeviceError):
    """The lines were accepted, but the router does not run the candidate afterwards."""

    exit_code = EXIT_FINDINGS


class Interrupted(IosgenError):
    """The run was interrupted (Ctrl-C) before this host's job started: it was not touched."""

    exit_code = EXIT_FINDINGS

    def __init__(self, host: str) -> None:
        super().__init__(f"{host}: not run: interrupted")
        self.host = host
