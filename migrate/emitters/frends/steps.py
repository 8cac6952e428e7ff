"""Pure ``Api -> Api`` steps that make a model fit Frends API management's import.

Frends turns each operation into a process with an API trigger (Frends docs, see
../shared/design/vendors.md): operationIds must be unique, response codes concrete, and a schema
whose top level is a bare allOf/oneOf troubles trigger generation, so it gets literal properties.
"""

from __future__ import annotations

import copy
import dataclasses
from typing import Any, TypeVar, cast

from migrate.core.diagnostics import Code, Report, literal
from migrate.core.model import Api, Content, Node, Operation, Property, RequestBody, Response, Schema, Server
from migrate.emitters.common import fixed_server_variables, without_path_fragments

N = TypeVar("N", bound=Node)
C = TypeVar("C", RequestBody, Response)


def concrete_response_codes(api: Api, report: Report) -> Api:
    """``default`` -> 200 when the operation has no 2xx response, else the first free 5xx;
    ``nXX`` -> the first free code n00..n99 (RESPONSE_CODE_NORMALIZED)."""
    if all(r.status.isdigit() for _, op in api.operations() for r in op.responses):
        return api
    api = _operations_copied(api)
    for _, op in api.operations():
        used = {r.status for r in op.responses if r.status.isdigit()}
        has_success = any(r.status.startswith("2") for r in op.responses)
        for r in op.responses:
            status = r.status.upper()
            if status.isdigit():
                continue
            if status == "DEFAULT":
                first = 2 if not has_success else 5
            elif len(status) == 3 and status[0] in "12345" and status.endswith("XX"):
                first = int(status[0])
            else:
                continue
            _make_concrete(r, first, used, report)
    return api


def _operations_copied(api: Api) -> Api:
    """``api`` with its own resources, operations, request bodies, responses and contents (the
    objects these steps change), and its own dict of named schemas; everything else, schemas
    included (the steps never change one), is shared with ``api``. A node the model holds in
    two places is copied once, so it stays one object, as ``copy.deepcopy`` would keep it."""
    memo: dict[int, Any] = {}

    def own(node: N) -> N:
        known = memo.get(id(node))
        if known is None:
            known = memo[id(node)] = copy.copy(node)
        return cast(N, known)

    def with_contents(node: C) -> C:  # a request body or a response: its own list of contents
        copied, fresh = own(node), id(node) not in seen
        if fresh:
            seen.add(id(node))
            copied.contents = [own(c) for c in node.contents]
        return copied

    def operation(node: Operation) -> Operation:
        copied, fresh = own(node), id(node) not in seen
        if fresh:
            seen.add(id(node))
            copied.request_body = with_contents(node.request_body) if node.request_body is not None else None
            copied.responses = [with_contents(r) for r in node.responses]
        return copied

    seen: set[int] = set()
    resources = []
    for resource in api.resources:
        copied = own(resource)
        if id(resource) not in seen:
            seen.add(id(resource))
            copied.operations = [operation(op) for op in resource.operations]
        resources.append(copied)
    return dataclasses.replace(api, resources=resources, schemas=dict(api.schemas))


def _make_concrete(r: Response, first: int, used: set[str], report: Report) -> None:
    for code in range(first * 100, first * 100 + 100):
        if str(code) not in used:
            used.add(str(code))
            report.report(Code.RESPONSE_CODE_NORMALIZED, r.pointer, f"response {literal(r.status)} "
                          f"({_covers(r.status)}) written as {code} only: Frends needs concrete status codes; "
                          "the other codes it covered are no longer described")
            r.status = str(code)
            return


def _covers(status: str) -> str:
    if status.lower() == "default":
        return "any status code the operation does not list"
    return f"any {status[0]}xx status code the operation does not list"


def literal_properties(api: Api, report: Report) -> Api:
    """Give named schemas and body schemas whose top level is a composition literal properties."""
    if not any(s.alternatives for s in [*api.schemas.values(), *(c.schema for c in _contents(api) if c.schema)]):
        return api
    api = _operations_copied(api)
    originals = dict(api.schemas)
    for name, schema in api.schemas.items():
        api.schemas[name] = _flatten(api, originals, schema, report)
    for content in _contents(api):
        if content.schema is not None and content.schema.ref is None:
            content.schema = _flatten(api, originals, content.schema, report)
    return api


def _contents(api: Api) -> list[Content]:
    out: list[Content] = []
    for _, op in api.operations():
        if op.request_body is not None:
            out.extend(op.request_body.contents)
        for r in op.responses:
            out.extend(r.contents)
    return out


def _flatten(api: Api, originals: dict[str, Schema], schema: Schema, report: Report) -> Schema:
    if not schema.alternatives:
        return schema
    branches = [_resolve(originals, s) for s in schema.alternatives]
    if not any(b.properties for b in [schema, *branches]):
        return schema  # alternatives of scalars: no properties to give
    merged: dict[str, Property] = {p.name: p for p in schema.properties}
    conflicts: list[str] = []
    for branch in branches:
        for p in branch.properties:
            if p.name in merged and merged[p.name].schema != p.schema:
                conflicts.append(p.name)
            merged.setdefault(p.name, p)
    all_of = schema.combinator == "allOf"
    _report_flattened(schema, all_of, conflicts, branches, report)
    required = {p.name for p in schema.properties if p.required}
    if all_of:
        required |= {p.name for b in branches for p in b.properties if p.required}
    out = copy.copy(schema)
    out.type, out.alternatives, out.combinator = "object", [], None
    out.properties = [Property(n, p.schema, n in required) for n, p in merged.items()]
    return out


def _report_flattened(schema: Schema, all_of: bool, conflicts: list[str], branches: list[Schema],
                      report: Report) -> None:
    """allOf whose branches declare each property once (or alike) and no additionalProperties is
    the same set of objects as its literal properties (info); anything else loses meaning."""
    open_ended = [b for b in branches if b.additional_properties is not None]
    if all_of and not conflicts and not open_ended:
        report.report(Code.ALLOF_FLATTENED, schema.pointer, "top-level allOf flattened into literal properties")
    elif all_of:
        why = (f"properties {', '.join(literal(c) for c in dict.fromkeys(conflicts))} differ between branches "
               "(the first branch's schema is kept)" if conflicts else "a branch's additionalProperties is lost")
        report.report(Code.SCHEMA_FEATURE_DROPPED, schema.pointer, f"top-level allOf flattened into literal "
                      f"properties (Frends needs literal properties): {why}")
    else:
        report.report(Code.SCHEMA_FEATURE_DROPPED, schema.pointer, f"top-level {schema.combinator or 'oneOf'} "
                      "replaced by the union of its branches' properties (Frends needs literal properties); "
                      "which branch applies is no longer described")


def _resolve(schemas: dict[str, Schema], schema: Schema) -> Schema:
    seen: set[str] = set()
    while schema.ref is not None and schema.ref in schemas and schema.ref not in seen:
        seen.add(schema.ref)
        schema = schemas[schema.ref]
    return schema


def base_path_server(api: Api, report: Report) -> Api:
    """One server whose URL is the base path (Frends serves the API on its own agents); the base
    path cannot be changed after import (BASE_PATH_FIXED)."""
    where = server_pointer(api)
    base = api.base_path or ""
    for i, server in enumerate(api.servers[1:], start=1):
        report.report(Code.SERVER_DROPPED, f"{where}/{i}" if where == "/servers" else where,
                      f"Frends carries one base path; server {literal(server.url)} is left out")
    if api.servers and api.servers[0].description:
        report.report(Code.DESCRIPTION_DROPPED, f"{where}/0" if where == "/servers" else where,
                      f"the description of server {literal(api.servers[0].url)} has no place in Frends")
    first = f"{where}/0" if where == "/servers" else where
    url = api.servers[0].url if api.servers else None
    if url and url.rstrip("/") != base.rstrip("/"):
        report.report(Code.SERVER_DROPPED, first, f"Frends serves the API on its own agents: server {literal(url)} is "
                      f"carried as its base path {literal(base or '/')} only (its scheme and host are not)")
    report.report(Code.BASE_PATH_FIXED, first,
                  f"the server URL {literal(base or '/')} cannot be changed after the import into Frends")
    return dataclasses.replace(api, servers=[Server(url=base or "/", base_path=base)])


def server_pointer(api: Api) -> str:
    fmt = api.source.format if api.source else "openapi"
    return {"swagger": "/basePath", "raml": "/baseUri"}.get(fmt, "/servers")


STEPS = (without_path_fragments, concrete_response_codes, literal_properties, fixed_server_variables,
         base_path_server)
