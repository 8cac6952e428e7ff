"""One API for one target: what carries over, what is lost, what needs a decision.

Carried: a resource, method (operation) or parameter of the model is carried unless a diagnostic
that leaves it out (``LEAVES_OUT``) points at it, or at the resource or operation holding it.
Decisions: diagnostics that name a target option (``--contract-id``, ``--akana-endpoint``...,
the flags of ``core.targets``), the base path a target fixes at import (``BASE_PATH_FIXED``:
``--base-path``), and security schemes or requirements the target does not carry (policies to
set up on the target). Blockers: errors that no option resolves (the spec must change).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from migrate.assess.effort import DOCUMENTATION_ONLY
from migrate.core.diagnostics import Code, Diagnostic, Severity
from migrate.core.model import Api
from migrate.core.targets import EmitOptions, option_specs

#: the diagnostics that leave a model node out of the target's payload, by the kind of node
LEAVES_OUT: dict[str, frozenset[Code]] = {
    "resources": frozenset({Code.RESOURCE_DROPPED}),
    "methods": frozenset({Code.METHOD_UNSUPPORTED, Code.OPERATION_DROPPED}),
    "parameters": frozenset({Code.PARAMETER_DROPPED, Code.PARAMETER_LOCATION_UNSUPPORTED}),
}
KINDS = tuple(LEAVES_OUT)
#: codes that are a decision although their message names no option: the option that decides it
DECIDED_BY = {Code.BASE_PATH_FIXED: "--base-path"}
#: security a target does not carry: a policy to set up on the target by hand
POLICY_CODES = frozenset({Code.SECURITY_SCHEME_UNSUPPORTED})
#: blockers and decision examples kept per API x target
EXAMPLES = 3
_FLAG = re.compile(r"--[a-z][a-z-]*[a-z]")


def option_flags() -> dict[str, str]:
    """Every target option's flag with its help text (``core.targets``)."""
    return {spec.flag: spec.help for _, spec, _ in option_specs()}


def carried(api: Api, diagnostics: Iterable[Diagnostic]) -> dict[str, dict[str, int]]:
    """``{"resources": {"carried": n, "total": m}, "methods": ..., "parameters": ...}``."""
    items = list(diagnostics)
    gone = {kind: {d.pointer for d in items if d.code in codes} for kind, codes in LEAVES_OUT.items()}
    counts = {kind: Counter[str]() for kind in KINDS}

    def count(kind: str, kept: bool) -> None:
        counts[kind]["total"] += 1
        counts[kind]["carried"] += int(kept)

    for resource in api.resources:
        resource_kept = resource.pointer not in gone["resources"]
        count("resources", resource_kept)
        for op in resource.operations:
            op_kept = resource_kept and op.pointer not in gone["methods"]
            count("methods", op_kept)
            for p in op.parameters:
                count("parameters", op_kept and p.pointer not in gone["parameters"])
    return {kind: {"carried": c["carried"], "total": c["total"]} for kind, c in counts.items()}


def named_option(d: Diagnostic, flags: dict[str, str]) -> str | None:
    """The target option that decides this diagnostic, if any."""
    if d.code in DECIDED_BY:
        return DECIDED_BY[d.code]
    return next((f for f in _FLAG.findall(d.message) if f in flags), None)


@dataclass
class Findings:
    """The diagnostics of one API x target, sorted into what the assessment reports."""

    by_code: dict[str, int] = field(default_factory=dict)  # every diagnostic
    lost: dict[str, int] = field(default_factory=dict)  # warnings: what the target loses or changes
    by_severity: dict[str, int] = field(default_factory=dict)
    options: dict[str, list[Diagnostic]] = field(default_factory=dict)  # by flag
    policies: list[Diagnostic] = field(default_factory=list)
    blockers: list[Diagnostic] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)  # distinct codes (effort.DOCUMENTATION_ONLY left out)


def given(flag: str, options: EmitOptions) -> bool:
    """Whether the user gave the option ``flag`` (then what it decides is decided): its value is
    not the default (an option with choices always has a value)."""
    name, default = next((n, d) for n, spec, d in option_specs() if spec.flag == flag)
    return getattr(options, name) != default


def sort_out(diagnostics: Iterable[Diagnostic], options: EmitOptions | None = None) -> Findings:
    """``options``: those given; a diagnostic naming an option the user gave is no decision."""
    flags = option_flags()
    found = Findings()
    changes: set[str] = set()
    items = list(diagnostics)
    found.by_code = dict(sorted(Counter(d.code.name for d in items).items()))
    found.lost = dict(sorted(Counter(d.code.name for d in items if d.severity is Severity.WARNING).items()))
    severities = Counter(d.severity.value for d in items)
    found.by_severity = {s.value: severities.get(s.value, 0) for s in Severity}
    for d in items:
        option = named_option(d, flags)
        if option is not None and options is not None and given(option, options):
            if d.code in DECIDED_BY:
                continue  # decided: what the option settles is no loss either
            option = None  # the consequence of an option the user gave: sorted as any other
        if option is not None:
            found.options.setdefault(option, []).append(d)
        elif d.code in POLICY_CODES:
            found.policies.append(d)
        elif d.severity is Severity.ERROR:
            found.blockers.append(d)
        elif d.severity is Severity.WARNING and d.code not in DOCUMENTATION_ONLY:
            changes.add(d.code.name)
    found.changes = sorted(changes)
    found.options = dict(sorted(found.options.items()))
    return found


def decisions(found: Findings) -> list[dict[str, Any]]:
    """What the user must decide for this API x target: one entry per option, one for policies."""
    flags = option_flags()
    out: list[dict[str, Any]] = [
        {"kind": "option", "option": flag, "help": flags[flag], "count": len(items),
         "codes": sorted({d.code.name for d in items}), "examples": [d.message for d in items[:EXAMPLES]]}
        for flag, items in found.options.items()
    ]
    if found.policies:
        out.append({"kind": "policy", "option": None, "help": "security the target does not carry: set it up "
                    "as the target's own policy", "count": len(found.policies),
                    "codes": sorted({d.code.name for d in found.policies}),
                    "examples": [d.message for d in found.policies[:EXAMPLES]]})
    return out


def blocker_rows(found: Findings) -> list[dict[str, str]]:
    return [{"code": d.code.name, "pointer": d.pointer, "message": d.message} for d in found.blockers[:EXAMPLES]]
