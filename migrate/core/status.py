"""The closed sets of outcomes commands report (string enums: their values are what JSON reports,
journals and the text output show), and the one rule of what fails a run."""

from __future__ import annotations

import enum
from collections.abc import Iterable

from migrate.core.diagnostics import Diagnostic, Severity


class Action(enum.StrEnum):
    """What a push does to the vendor's definition of one API."""

    CREATE = "create"
    NEW_VERSION = "new-version"
    UPDATE = "update"
    NOTHING = "nothing"


class SpecStatus(enum.StrEnum):
    """A batch outcome for one spec (``OK``/``WARNINGS``/``ERRORS``/``FAILED`` also per target)."""

    OK = "ok"
    WARNINGS = "warnings"
    ERRORS = "errors"
    FAILED = "failed"
    CRASH = "crash"
    DUPLICATE = "duplicate"
    NOT_RUN = "not-run"


class PushStatus(enum.StrEnum):
    """A ``batch --push`` outcome for one spec."""

    PUSHED = "pushed"
    UNCHANGED = "unchanged"
    HELD = "held"  # would change an API the vendor already holds; needs --yes
    SKIPPED = "skipped"
    FAILED = "failed"


def failing_severities(strict: bool = False) -> frozenset[Severity]:
    """The one error-level policy: errors fail a run; with ``--strict`` warnings do too."""
    return frozenset({Severity.ERROR, Severity.WARNING}) if strict else frozenset({Severity.ERROR})


def fails(diagnostics: Iterable[Diagnostic], strict: bool = False) -> bool:
    worst = failing_severities(strict)
    return any(d.severity in worst for d in diagnostics)


def status_of(counts: dict[str, int]) -> SpecStatus:
    """A conversion's status from its diagnostic counts by severity."""
    if counts.get(Severity.ERROR.value):
        return SpecStatus.ERRORS
    if counts.get(Severity.WARNING.value):
        return SpecStatus.WARNINGS
    return SpecStatus.OK
