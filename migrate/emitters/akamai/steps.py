"""Akamai reshaping steps, each a pure ``(Api, Report) -> Api``: the input is never mutated (changed
nodes are new objects made with ``dataclasses.replace``; unchanged ones are shared)."""

from __future__ import annotations

import re
from dataclasses import replace

from migrate.core.diagnostics import Code, Report, literal
from migrate.core.model import Api, Operation, Parameter, Resource, Schema
from migrate.emitters.common import fixed_server_variables, without_path_fragments
from migrate.transforms import InlineMemo, Step, inline_refs

#: Akamai Endpoint schema, apiResourceMethod enum
METHODS = ("GET", "PUT", "POST", "DELETE", "HEAD", "PATCH", "OPTIONS")

#: Akamai's documents give no nesting limit for apiChildParameters (MAX_DOC_DEPTH, default 64,
#: limits request bodies at run time). We expand at most this many named-schema levels ...
MAX_REF_DEPTH = 8
#: ... and shrink that depth until one body tree stays below this many nodes (payload size).
MAX_BODY_NODES = 1000

_TEMPLATE = re.compile(r"\{([^{}]+)\}")


def drop_unsupported_methods(api: Api, report: Report) -> Api:
    """Leave out operations whose method Akamai cannot hold (TRACE, CONNECT, ...)."""
    resources = []
    for resource in api.resources:
        kept = []
        for op in resource.operations:
            if op.method.upper() in METHODS:
                kept.append(op)
            else:
                report.report(Code.METHOD_UNSUPPORTED, op.pointer,
                              f"{op.method} {resource.path}: Akamai methods are {', '.join(METHODS)}")
        resources.append(replace(resource, operations=kept))
    return replace(api, resources=resources)


def _with_path_parameters(resource: Resource, op: Operation, report: Report) -> Operation:
    declared = {p.name for p in op.parameters if p.location == "path"}
    added = [Parameter(name=name, location="path", required=True, pointer=op.pointer)
             for name in dict.fromkeys(_TEMPLATE.findall(resource.path)) if name not in declared]
    for p in added:
        report.report(Code.PATH_PARAMETER_ADDED, op.pointer, f"{op.method} {resource.path}: path parameter "
                      f"{literal(p.name)} is not declared; added as a required string")
    return replace(op, parameters=[*op.parameters, *added]) if added else op


def add_missing_path_parameters(api: Api, report: Report) -> Api:
    """Every ``{name}`` of a resource path gets a path parameter (Akamai matches them by name)."""
    return replace(api, resources=[
        replace(r, operations=[_with_path_parameters(r, op, report) for op in r.operations])
        for r in api.resources])


def name_resources(api: Api, report: Report) -> Api:
    """Give every resource a unique name (its own, else its path), suffixing " (2)" ... on clashes."""
    seen: set[str] = set()
    resources = []
    for resource in api.resources:
        base = resource.name or resource.path or "/"
        name, n = base, 1
        while name in seen:
            n += 1
            name = f"{base} ({n})"
        seen.add(name)
        if name != base:
            report.report(Code.RESOURCE_RENAMED, resource.pointer,
                          f"resource name {literal(base)} is used twice; this one became {literal(name)}")
        resources.append(replace(resource, name=name))
    return replace(api, resources=resources)


def _tree_size(api: Api, schema: Schema, depth: int, memo: dict[tuple[str, int], int]) -> int:
    """Upper bound of the node count of ``schema`` with references expanded ``depth`` levels."""
    if schema.ref is not None:
        target = api.schemas.get(schema.ref)
        if target is None or depth <= 0:
            return 1
        key = (schema.ref, depth)
        if key not in memo:
            memo[key] = 1  # provisional value: breaks cycles
            memo[key] = _tree_size(api, target, depth - 1, memo)
        return memo[key]
    children = [p.schema for p in schema.properties] + schema.alternatives
    if schema.items is not None:
        children.append(schema.items)
    return 1 + sum(_tree_size(api, c, depth, memo) for c in children)


def body_depth(api: Api, schema: Schema) -> int:
    """The deepest reference expansion (<= MAX_REF_DEPTH) that keeps the tree small enough."""
    depth = MAX_REF_DEPTH
    while depth > 1 and _tree_size(api, schema, depth, {}) > MAX_BODY_NODES:
        depth -= 1
    return depth


def _ref_depth(api: Api, schema: Schema, depths: dict[str, int]) -> int:
    """``body_depth``, once per referenced name (a reference node carries nothing else)."""
    if schema.ref is None:
        return body_depth(api, schema)
    if schema.ref not in depths:
        depths[schema.ref] = body_depth(api, schema)
    return depths[schema.ref]


def _inline_body(api: Api, op: Operation, report: Report, memo: InlineMemo, depths: dict[str, int]) -> Operation:
    body = op.request_body
    if body is None:
        return op
    contents = [replace(c, schema=inline_refs(api, c.schema, _ref_depth(api, c.schema, depths), report, memo=memo))
                if c.schema is not None else c for c in body.contents]
    return replace(op, request_body=replace(body, contents=contents))


def inline_bodies(api: Api, report: Report) -> Api:
    """Expand named references in request bodies (Akamai body parameters are plain trees); equal
    expansions are built once and shared (the trees are never mutated afterwards)."""
    memo, depths = InlineMemo(api), dict[str, int]()
    return replace(api, resources=[replace(r, operations=[_inline_body(api, op, report, memo, depths)
                                                          for op in r.operations]) for r in api.resources])


def akamai_steps() -> list[Step]:
    return [fixed_server_variables, without_path_fragments, drop_unsupported_methods, add_missing_path_parameters,
            name_resources, inline_bodies]
