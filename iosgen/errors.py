"""The error types of every stage; each carries its exit code and a one-line rendering.

The library raises, `iosgen.cli` renders them in one place. Drift and lint
findings are results, not exceptions.
"""

from __future__ import annotations

from dataclasses import dataclass

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_BAD_INPUT = 2
EXIT_UNREACHABLE = 3


@dataclass(frozen=True)
class Problem:
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
