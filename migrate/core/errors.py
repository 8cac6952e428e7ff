"""Exception hierarchy: one root, one sub-root per layer. Every error renders a one-line message;
the CLI maps classes to exit codes (2: unusable input or usage)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


class MigrateError(Exception):
    """Root of every error api-migrate raises on purpose."""

    exit_code = 2

    def __str__(self) -> str:
        return self.render()

    def render(self) -> str:
        return self.args[0] if self.args else type(self).__name__


@dataclass(eq=False)
class ReadError(MigrateError):
    """A spec could not be read. ``path`` is the file; ``line`` (1-based) or ``pointer`` where known."""

    path: str
    reason: str
    line: int | None = None
    pointer: str | None = None

    def render(self) -> str:
        where = self.path
        if self.line is not None:
            where += f":{self.line}"
        if self.pointer:
            where += f" (at {self.pointer or '/'})"
        return f"{where}: {self.reason}"


class UnsupportedFormatError(ReadError):
    """Not OpenAPI 2.0/3.x or RAML 0.8 (RAML 1.0 included)."""


class RefError(ReadError):
    """A ``$ref``/``!include`` that cannot be followed: missing, forbidden (outside the root folder
    or remote without permission) or a cycle through references alone."""


@dataclass(eq=False)
class EmitError(MigrateError):
    """A payload cannot be produced at all (not a diagnostic: those are collected in reports)."""

    target: str
    reason: str

    def render(self) -> str:
        return f"{self.target}: {self.reason}"


@dataclass(eq=False)
class TemplateError(EmitError):
    template: str = ""

    def render(self) -> str:
        return f"{self.target}: template {self.template}: {self.reason}"


@dataclass(eq=False)
class PushError(MigrateError):
    """A vendor call failed. ``problem`` is the vendor's error body (never credentials)."""

    vendor: str
    reason: str
    status: int | None = None
    problem: Any = None

    def render(self) -> str:
        status = f" (HTTP {self.status})" if self.status is not None else ""
        return f"{self.vendor}{status}: {self.reason}"


class AuthError(PushError):
    """Credentials missing or refused."""


class ConflictError(PushError):
    """The vendor refused because of a uniqueness or lock conflict."""


class OutcomeUnknown(PushError):
    """A create whose outcome is unknown at a vendor that cannot look the object up by name: it is
    not sent again; the operator checks the vendor and re-runs with ``--adopt ID`` or
    ``--assume-absent``."""


class UsageError(MigrateError):
    """Wrong command-line use."""
