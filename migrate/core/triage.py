"""Reports that put the diagnostic that matters first: by severity (errors first), then by code,
each code's diagnostics in source order; identical ones (same code and message) collapse into one
line with a count, and a code with many shows a few examples and how many more. Machine formats
(JSON, SARIF) keep every diagnostic; this is for people reading a terminal."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from migrate.core.diagnostics import Diagnostic, Severity

#: Lines shown per code before "... and N more".
EXAMPLES = 10
_RANK = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


def ordered(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    """Errors first, then warnings, then info; by code within a severity; source order within a code."""
    items = list(diagnostics)
    return sorted(items, key=lambda d: (_RANK[d.severity], d.code.name))


def triage_lines(diagnostics: Iterable[Diagnostic], examples: int = EXAMPLES, more: str = "") -> list[str]:
    """One line per distinct diagnostic (``[xN]`` for identical ones), at most ``examples`` per
    code, then ``... and N more CODE``; ``more`` says where the rest are."""
    lines: list[str] = []
    by_code: dict[str, list[Diagnostic]] = {}
    for d in ordered(diagnostics):
        by_code.setdefault(d.code.name, []).append(d)
    for code, items in by_code.items():
        same = Counter(d.message for d in items)
        first: dict[str, Diagnostic] = {}
        for d in items:
            first.setdefault(d.message, d)
        shown = list(first)[:examples]
        for message in shown:
            repeat = same[message]
            lines.append(first[message].render() + (f"  [x{repeat}, first shown]" if repeat > 1 else ""))
        rest = len(items) - sum(same[m] for m in shown)
        if rest > 0:
            lines.append(f"{items[0].severity.value:7} {code} ... and {rest} more{more}")
    return lines


def by_code_line(diagnostics: Iterable[Diagnostic]) -> str:
    """``by code: MISSING_REQUIRED_FIELD 1, DESCRIPTION_DROPPED 45`` in triage order."""
    counts = Counter(d.code.name for d in ordered(diagnostics))
    return "by code: " + ", ".join(f"{code} {n}" for code, n in counts.items()) if counts else ""
