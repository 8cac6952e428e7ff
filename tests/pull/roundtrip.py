"""Helpers of the round-trip tests: what a model says of resources, methods, parameters and the
restrictions Akamai can hold, computed here from the model alone (not by the code under test)."""

from __future__ import annotations

import math
from typing import Any

from migrate.core.model import Api, Parameter

#: restrictions an Akamai parameter can hold, by the kind of parameter (akamai.json apiParameterRestriction)
HELD = {"string": ("min_length", "max_length"), "integer": ("minimum", "maximum"), "number": ("minimum", "maximum")}
ARRAY = ("min_items", "max_items", "unique_items")

Key = tuple[str, str, str, str]


def shape(api: Api) -> dict[str, dict[str, list[str]]]:
    """path -> METHOD -> sorted "location name" of its parameters (the plan's Shape form)."""
    out: dict[str, dict[str, list[str]]] = {}
    for resource, op in api.operations():
        out.setdefault(resource.path or "/", {})[op.method.upper()] = sorted({f"{p.location} {p.name}"
                                                                             for p in op.parameters})
    return out


def parameters(api: Api) -> dict[Key, Parameter]:
    return {(r.path, o.method.upper(), p.location, p.name): p for r, o in api.operations() for p in o.parameters}


def held_restrictions(p: Parameter) -> dict[str, Any]:
    """The restrictions of ``p`` that Akamai can hold for its type; integer bounds made inclusive
    integers as Akamai needs them (exclusive -> the next integer inside)."""
    r = p.restrictions
    out = {k: getattr(r, k) for k in HELD.get(p.type, ()) if getattr(r, k) is not None}
    if p.array:
        out.update({k: getattr(r, k) for k in ARRAY if getattr(r, k) is not None})
    if p.type == "integer":
        if "minimum" in out:
            out["minimum"] = math.floor(out["minimum"]) + 1 if r.exclusive_minimum else math.ceil(out["minimum"])
        if "maximum" in out:
            out["maximum"] = math.ceil(out["maximum"]) - 1 if r.exclusive_maximum else math.floor(out["maximum"])
    return out
