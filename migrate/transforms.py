"""Vendor reshaping as pure steps: each takes an ``Api`` (and the report to say what it changed)
and returns a new ``Api``; the input is never mutated. Emitters list the steps they need.
"""

from __future__ import annotations

import copy
import dataclasses
import re
from collections.abc import Callable, Sequence
from typing import TypeVar

from migrate.core.diagnostics import Code, Report, literal
from migrate.core.model import Api, Operation, Property, Resource, Restrictions, Schema

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
            report.report(Code.OPERATION_ID_RENAMED, op.pointer, f"operationId {literal(original)} is used twice; "
                          f"this one became {literal(candidate)}")
        else:
            report.report(Code.OPERATION_ID_GENERATED, op.pointer, f"{op.method} {resource.path} has no "
                          f"operationId; generated {literal(candidate)}")
    return api


# -- schema references ---------------------------------------------------------------------------


class InlineMemo:
    """Expansions shared between the ``inline_refs`` calls made for one API and one report (e.g.
    all request bodies of one emit): on very large specs the same named schema is expanded
    thousands of times, each time to the same tree.

    The expansion of a named schema depends only on the name, ``max_depth``, the stack depth and
    which of the names it can reach are already on the stack; equal keys share one (never
    mutated) result. Its diagnostics were reported when it was first built, and a report says
    each diagnostic once, so a shared result needs no replay.
    """

    def __init__(self, api: Api) -> None:
        self.api = api
        self.done: dict[tuple[str, int, int, frozenset[str]], Schema] = {}
        self._reach: dict[str, frozenset[str]] = {}

    def key(self, name: str, max_depth: int, stack: tuple[str, ...]) -> tuple[str, int, int, frozenset[str]]:
        reach = self.reach(name)
        return name, max_depth, len(stack), frozenset(n for n in stack if n in reach)

    def reach(self, name: str) -> frozenset[str]:
        """The names reachable from schema ``name`` through references (transitively)."""
        found = self._reach.get(name)
        if found is None:
            seen: set[str] = set()
            todo = [name]
            while todo:
                target = self.api.schemas.get(todo.pop())
                for ref in _direct_refs(target) if target is not None else ():
                    if ref not in seen:
                        seen.add(ref)
                        todo.append(ref)
            found = self._reach[name] = frozenset(seen)
        return found


def _direct_refs(schema: Schema) -> set[str]:
    """The names referenced in ``schema``'s tree (not following the references)."""
    refs: set[str] = set()
    todo = [schema]
    while todo:
        node = todo.pop()
        if node.ref is not None:
            refs.add(node.ref)
            continue
        todo.extend(p.schema for p in node.properties)
        todo.extend(node.alternatives)
        if node.items is not None:
            todo.append(node.items)
        if isinstance(node.additional_properties, Schema):
            todo.append(node.additional_properties)
    return refs


def inline_refs(api: Api, schema: Schema, max_depth: int, report: Report | None = None,
                stack: tuple[str, ...] = (), memo: InlineMemo | None = None) -> Schema:
    """A copy of ``schema`` with named references expanded, for targets that need plain trees.

    A reference to a schema already being expanded (recursion), or one that would go deeper than
    ``max_depth`` object levels, is cut: it becomes an untyped node with ``ref`` kept in
    ``extensions["x-cut-ref"]`` and a RECURSION_CUT warning is reported at the cut node's pointer.
    With ``memo`` (one per API and report), equal expansions are built once and shared.
    """
    if schema.ref is not None:
        return _inline_ref(api, schema, max_depth, report, stack, memo)
    out = shallow_copy(schema)
    out.properties = [Property(p.name, inline_refs(api, p.schema, max_depth, report, stack, memo), p.required)
                      for p in schema.properties]
    if schema.items is not None:
        out.items = inline_refs(api, schema.items, max_depth, report, stack, memo)
    if isinstance(schema.additional_properties, Schema):
        out.additional_properties = inline_refs(api, schema.additional_properties, max_depth, report, stack, memo)
    out.alternatives = [inline_refs(api, s, max_depth, report, stack, memo) for s in schema.alternatives]
    out.restrictions = shallow_copy(schema.restrictions)
    return out


def _inline_ref(api: Api, schema: Schema, max_depth: int, report: Report | None, stack: tuple[str, ...],
                memo: InlineMemo | None) -> Schema:
    name = schema.ref
    assert name is not None
    target = api.schemas.get(name)
    if target is None:
        return shallow_copy(schema)
    if name in stack or len(stack) >= max_depth:
        if report is not None:
            why = "recursive reference" if name in stack else f"deeper than {max_depth} levels"
            report.report(Code.RECURSION_CUT, schema.pointer or target.pointer,
                          f"schema {literal(name)} cut ({why}); below this point the structure is not described")
        return Schema(type="object" if target.type in (None, "object") else target.type,
                      pointer=schema.pointer, extensions={"x-cut-ref": name})
    inner = (*stack, name)
    if memo is None:
        return inline_refs(api, target, max_depth, report, inner)
    key = memo.key(name, max_depth, inner)
    found = memo.done.get(key)
    if found is None:
        found = memo.done[key] = inline_refs(api, target, max_depth, report, inner, memo)
    return found


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
