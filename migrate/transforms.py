"""Vendor reshaping as pure steps: each takes an ``Api`` (and the report to say what it changed)
and returns a new ``Api``; the input is never mutated. Emitters list the steps they need.
"""

from __future__ import annotations

import copy
import dataclasses
import re
from collections.abc import Callable, Sequence
from typing import TypeVar

from migrate.diagnostics import Code, Report
from migrate.model import Api, Operation, Property, Resource, Restrictions, Schema

Step = Callable[[Api, Report], Api]
_N = TypeVar("_N")


def shallow_copy(node: _N) -> _N:
    """``copy.copy`` of a model node (a plain dataclass), without the generic copy protocol's
    cost: transforms copy hundreds of thousands of nodes on very large specs."""
    new = object.__new__(type(node))
    new.__dict__.update(node.__dict__)
    return new


def apply(api: Api, steps: Sequence[Step], report: Report) -> Api:
    for step in steps:
        api = step(api, report)
    return api


# -- operation names ---------------------------------------------------------------------------


def generated_operation_id(method: str, path: str) -> str:
    """A deterministic id from method and path: ``GET /pets/{id}`` -> ``getPetsById``."""
    words = []
    for segment in path.strip("/").split("/"):
        if not segment:
            continue
        param = segment.startswith("{") and segment.endswith("}")
        parts = [p for p in re.split(r"[^0-9A-Za-z]+", segment) if p]
        text = "".join(p[:1].upper() + p[1:] for p in parts)
        words.append(("By" + text) if param else text)
    return method.lower() + ("".join(words) or "Root")


def copy_operations(api: Api) -> Api:
    """A copy of ``api`` whose resources and operations are new objects (their parts are shared):
    enough for steps that only set fields of operations, and cheap on very large specs."""
    resources = [dataclasses.replace(r, operations=[dataclasses.replace(op) for op in r.operations])
                 for r in api.resources]
    return dataclasses.replace(api, resources=resources)


def unique_operation_ids(api: Api, report: Report) -> Api:
    """Give every operation a unique ``operation_id``: generated from method and path when
    missing, suffixed ``_2``, ``_3`` ... when taken (both reported as info)."""
    api = copy_operations(api)
    taken: set[str] = set()
    for _, op in api.operations():
        if op.operation_id:
            taken.add(op.operation_id)
    seen: set[str] = set()
    for resource, op in api.operations():
        original = op.operation_id
        if original and original not in seen:
            seen.add(original)
            continue
        base = original or generated_operation_id(op.method, resource.path)
        candidate, n = base, 1
        while candidate in seen or (candidate != original and candidate in taken):
            n += 1
            candidate = f"{base}_{n}"
        seen.add(candidate)
        taken.add(candidate)
        op.operation_id = candidate
        if original:
            report.report(Code.OPERATION_ID_RENAMED, op.pointer, f"operationId {original!r} is used twice; "
                          f"this one became {candidate!r}")
        else:
            report.report(Code.OPERATION_ID_GENERATED, op.pointer, f"{op.method} {resource.path} has no "
                          f"operationId; generated {candidate!r}")
    return api


# -- schema references ---------------------------------------------------------------------------


def inline_refs(api: Api, schema: Schema, max_depth: int, report: Report | None = None,
                stack: tuple[str, ...] = ()) -> Schema:
    """A copy of ``schema`` with named references expanded, for targets that need plain trees.

    A reference to a schema already being expanded (recursion), or one that would go deeper than
    ``max_depth`` object levels, is cut: it becomes an untyped node with ``ref`` kept in
    ``extensions["x-cut-ref"]`` and a RECURSION_CUT warning is reported at the cut node's pointer.
    """
    if schema.ref is not None:
        name = schema.ref
        target = api.schemas.get(name)
        if target is None:
            return shallow_copy(schema)
        if name in stack or len(stack) >= max_depth:
            if report is not None:
                why = "recursive reference" if name in stack else f"deeper than {max_depth} levels"
                report.report(Code.RECURSION_CUT, schema.pointer or target.pointer,
                              f"schema {name!r} cut ({why}); below this point the structure is not described")
            return Schema(type="object" if target.type in (None, "object") else target.type,
                          pointer=schema.pointer, extensions={"x-cut-ref": name})
        return inline_refs(api, target, max_depth, report, (*stack, name))
    out = shallow_copy(schema)
    out.properties = [Property(p.name, inline_refs(api, p.schema, max_depth, report, stack), p.required)
                      for p in schema.properties]
    if schema.items is not None:
        out.items = inline_refs(api, schema.items, max_depth, report, stack)
    if isinstance(schema.additional_properties, Schema):
        out.additional_properties = inline_refs(api, schema.additional_properties, max_depth, report, stack)
    out.alternatives = [inline_refs(api, s, max_depth, report, stack) for s in schema.alternatives]
    out.restrictions = shallow_copy(schema.restrictions)
    return out


def merge_restrictions(into: Restrictions, other: Restrictions) -> Restrictions:
    """allOf semantics for restrictions: the tighter bound wins, enums intersect."""
    out = copy.copy(into)
    for name in ("min_length", "minimum", "min_items"):
        a, b = getattr(out, name), getattr(other, name)
        setattr(out, name, b if a is None else a if b is None else max(a, b))
    for name in ("max_length", "maximum", "max_items"):
        a, b = getattr(out, name), getattr(other, name)
        setattr(out, name, b if a is None else a if b is None else min(a, b))
    for name in ("exclusive_minimum", "exclusive_maximum", "unique_items"):
        a, b = getattr(out, name), getattr(other, name)
        setattr(out, name, (a or b) if (a is not None or b is not None) else None)
    for name in ("multiple_of", "pattern", "format"):
        if getattr(out, name) is None:
            setattr(out, name, getattr(other, name))
    if other.enum is not None:
        out.enum = other.enum if out.enum is None else [v for v in out.enum if v in other.enum]
    return out


def resources_sorted(resources: list[Resource]) -> list[Resource]:
    """Resources in source order are kept; this helper exists for targets wanting path order."""
    return sorted(resources, key=lambda r: r.path)


def operations_of(api: Api) -> list[tuple[Resource, Operation]]:
    return list(api.operations())
