"""The effort rating of one API x target, from the counts the assessment reports. The rule is
data (``WEIGHTS``, ``LEVELS``) and ``rule()`` states it; the JSON and the HTML show that text,
so the reader can check every rating."""

from __future__ import annotations

from typing import Any

from migrate.core.diagnostics import Code

BLOCKED = "blocked"
#: (level, the highest number of points it takes; None: any number)
LEVELS: tuple[tuple[str, int | None], ...] = (("trivial", 0), ("low", 5), ("medium", 25), ("high", None))
EFFORTS: tuple[str, ...] = (*(level for level, _ in LEVELS), BLOCKED)
#: points per counted item
WEIGHTS: dict[str, int] = {
    "methods": 5,  # a method (operation) not carried: to be rebuilt on the target or given up
    "parameters": 1,  # a parameter not carried (those of a method not carried included)
    "changes": 1,  # each distinct warning code that changes what a request or response may be
    "policies": 1,  # each security scheme or requirement not carried: a policy to set up by hand
    "decisions": 1,  # each option to give (contract, group, proxy endpoint, base path...)
}
#: warnings about documentation only (no request or response changes): listed as lost, 0 points.
#: RESPONSES_DROPPED is here because a gateway target describes requests; responses are
#: documentation to it (they are not checked).
DOCUMENTATION_ONLY = frozenset({
    Code.DESCRIPTION_DROPPED, Code.EXAMPLE_DROPPED, Code.TAG_DROPPED, Code.EXTENSION_DROPPED,
    Code.OPERATION_ID_DROPPED, Code.VERSION_DROPPED, Code.DEPRECATION_DROPPED, Code.VERSION_DEFAULTED,
    Code.RESPONSES_DROPPED,
})


def points(counts: dict[str, int]) -> int:
    """``counts``: the number of each item of ``WEIGHTS``."""
    return sum(WEIGHTS[k] * counts.get(k, 0) for k in WEIGHTS)


def level(counts: dict[str, int], blocked: bool) -> str:
    if blocked:
        return BLOCKED
    score = points(counts)
    return next(name for name, most in LEVELS if most is None or score <= most)


def rule() -> dict[str, Any]:
    """The rule as the reports state it."""
    bands = []
    low = 0
    for name, most in LEVELS:
        bands.append(f"{name} {low}+" if most is None else f"{name} {low}" + ("" if most == low else f"-{most}"))
        low = (most or 0) + 1
    text = (
        "blocked: the API could not be read, the target produced nothing, or an error no option "
        "resolves (the spec must change). Otherwise points = "
        + " + ".join(f"{w} x {k}" for k, w in WEIGHTS.items())
        + " (methods/parameters: not carried; changes: distinct warning codes that change a request "
        "or response, documentation-only codes excluded; policies: security schemes or requirements "
        "not carried; decisions: options to give), rated " + ", ".join(bands) + "."
    )
    return {"weights": dict(WEIGHTS), "levels": [{"level": n, "maxPoints": m} for n, m in LEVELS],
            "documentationOnly": sorted(c.name for c in DOCUMENTATION_ONLY), "text": text}
