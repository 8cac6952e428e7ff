"""The OpenAPI reader: Swagger 2.0, OpenAPI 3.0 and 3.1 (YAML or JSON) -> ``Api``.

``$ref`` values are followed on use by ``migrate.readers.openapi.refs`` (safe by default); schemas stay
named (``Api.schemas`` + ``Schema(ref=...)``), so recursive schemas read and nothing is inlined.
The document is not validated here (that is the ``validate`` command's job): malformed parts are
read leniently with a diagnostic, or refused with a ``ReadError`` naming file and pointer.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from migrate.core.diagnostics import Report, literal
from migrate.core.errors import ReadError
from migrate.core.gcpause import collector_paused
from migrate.core.model import METHODS, Api, Operation, Parameter, Resource, Source
from migrate.readers import ReadOptions
from migrate.readers.openapi.bodies import read_request_body, read_responses, swagger_body, swagger_form
from migrate.readers.openapi.context import Ctx, extensions, json_kind
from migrate.readers.openapi.params import LOCATIONS, read_parameter
from migrate.readers.openapi.refs import Cursor, Resolver
from migrate.readers.openapi.schema import SchemaReader
from migrate.readers.openapi.security import openapi_servers, read_requirements, read_security_schemes, swagger_servers
from migrate.source.detect import detect_data
from migrate.source.load import noting_duplicate_keys, parse_text, report_duplicate_keys

_METHODS = {m.lower() for m in METHODS}
_PATH_ITEM_KEYS = {"$ref", "summary", "description", "parameters", "servers"}


def read(path: Path, text: str, options: ReadOptions) -> Api:
    """Read a Swagger 2.0 / OpenAPI 3.x document (``text`` is the content of ``path``)."""
    return read_with_report(path, text, options)[0]


def read_with_report(path: Path, text: str, options: ReadOptions) -> tuple[Api, Report]:
    """Like ``read``, also returning what was repaired or not read (SOURCE_* diagnostics). A key
    written twice in one mapping, of this file or of a file it refers to, is a SOURCE_VALUE_REPAIRED
    warning: only the last value was read."""
    with noting_duplicate_keys() as duplicates:
        data = parse_text(text, str(path))
        fmt, version = detect_data(data, str(path))
        ctx = Ctx(Resolver(path, data, options), swagger=fmt == "swagger", v31=version.startswith("3.1"))
        ctx.resolver.on_repair = ctx.repaired
        ctx.schemas = SchemaReader(ctx)
        try:
            with collector_paused():  # the model is many small acyclic objects
                api = _read_api(ctx, data)
        except RecursionError:
            raise ReadError(str(path), "document nests too deeply") from None
        finally:
            # the read's own cycles (ctx -> schema reader -> ctx, ctx -> resolver -> ctx) are cut, so that
            # it is freed when it ends, and the model with it when its last user lets go: else all of it
            # waits for the cyclic collector (a batch worker's collection after each spec)
            ctx.schemas = ctx.resolver.on_repair = None
    api.source = Source(fmt, version, str(path))
    report_duplicate_keys(ctx.report, duplicates, path)
    return api, ctx.report


def _read_api(ctx: Ctx, doc: dict[str, Any]) -> Api:
    root = ctx.resolver.start()
    info = ctx.mapping(doc.get("info"), root.child("info"), "info")
    title = ctx.text(info.get("title"))
    if not title:
        ctx.repaired(root.child("info", "title"), "no info.title; read as 'Untitled'")
    api = Api(title=title or "Untitled", version=ctx.text(info.get("version")),
              description=ctx.text(info.get("description")))
    api.extensions = {**extensions(info, root.child("info")), **extensions(doc, root)}
    if ctx.swagger:
        _swagger_globals(ctx, api, doc, root)
    else:
        _openapi_globals(ctx, api, doc, root)
    api.security = read_requirements(ctx, doc.get("security"), root.child("security"))
    api.tags = [str(t["name"]) for t in ctx.listing(doc.get("tags"), root.child("tags"), "tags")
                if isinstance(t, dict) and "name" in t]
    api.resources = _read_paths(ctx, doc.get("paths"), root.child("paths"))
    api.schemas = ctx.schemas.finish()
    return api


def _swagger_globals(ctx: Ctx, api: Api, doc: dict[str, Any], root: Cursor) -> None:
    ctx.consumes = ctx.strings(doc.get("consumes"), root.child("consumes"), "consumes")
    ctx.produces = ctx.strings(doc.get("produces"), root.child("produces"), "produces")
    api.servers = swagger_servers(ctx, doc, root)
    api.security_schemes = read_security_schemes(ctx, doc.get("securityDefinitions"),
                                                 root.child("securityDefinitions"))
    ctx.schemas.register_components(doc.get("definitions"), root.child("definitions"))
    _sections(ctx, doc, root, ("parameters", "responses"))


#: Sections of components read only through ``$ref`` (schemas and securitySchemes are read above).
_COMPONENT_SECTIONS = ("parameters", "responses", "requestBodies", "headers", "examples", "links", "callbacks",
                       "pathItems")


def _sections(ctx: Ctx, node: dict[str, Any], at: Cursor, keys: tuple[str, ...]) -> None:
    """Sections of named reusable parts must be mappings: one that is not is broken structure."""
    for key in keys:
        ctx.mapping(node.get(key), at.child(key), key)


def _openapi_globals(ctx: Ctx, api: Api, doc: dict[str, Any], root: Cursor) -> None:
    api.servers = openapi_servers(ctx, doc.get("servers"), root.child("servers"))
    components = ctx.mapping(doc.get("components"), root.child("components"), "components")
    at = root.child("components")
    api.security_schemes = read_security_schemes(ctx, components.get("securitySchemes"),
                                                 at.child("securitySchemes"))
    ctx.schemas.register_components(components.get("schemas"), at.child("schemas"))
    _sections(ctx, components, at, _COMPONENT_SECTIONS)
    for key in ("webhooks", "jsonSchemaDialect"):
        if key in doc:
            ctx.ignored(root.child(key), f"{key} is not read")


# -- paths and operations ----------------------------------------------------------------------
def _read_paths(ctx: Ctx, node: Any, at: Cursor) -> list[Resource]:
    out = []
    for key, value in ctx.mapping(node, at, "paths").items():
        path = str(key)
        if path.startswith("x-"):
            ctx.ignored(at.child(path), f"extension {path} on paths is not carried")
            continue
        item, item_at = ctx.deref(value, at.child(path))
        if not isinstance(item, dict):
            ctx.invalid(item_at, f"path item {path} is {json_kind(item)}, not a mapping; it is not read")
            continue
        out.append(_resource(ctx, path, item, item_at))
    return out


def _resource(ctx: Ctx, path: str, item: dict[str, Any], at: Cursor) -> Resource:
    resource = Resource(path=path, name=ctx.text(item.get("summary")), description=ctx.text(item.get("description")),
                        pointer=at.shown, extensions=extensions(item, at))
    shared = _parameter_nodes(ctx, item.get("parameters"), at.child("parameters"))
    if "servers" in item:
        ctx.ignored(at.child("servers"), "path-level servers are not read")
    for key, value in item.items():
        name = str(key)
        if name in _METHODS:
            op = ctx.mapping(value, at.child(name), f"operation {name}")
            resource.operations.append(_operation(ctx, name, op, at.child(name), shared))
        elif name not in _PATH_ITEM_KEYS and not name.startswith("x-"):
            ctx.ignored(at.child(name), f"unknown path item key {literal(name)} is not read")
    return resource


def _parameter_nodes(ctx: Ctx, node: Any, at: Cursor) -> list[tuple[dict[str, Any], Cursor]]:
    out = []
    for i, value in enumerate(ctx.listing(node, at, "parameters")):
        param, param_at = ctx.deref(value, at.child(i))
        if not isinstance(param, dict) or "in" not in param:
            ctx.invalid(param_at, "parameter is not a mapping with 'in'; it is not read")
            continue
        out.append((param, param_at))
    return out


def _merged(shared: list[tuple[dict[str, Any], Cursor]],
            own: list[tuple[dict[str, Any], Cursor]]) -> list[tuple[dict[str, Any], Cursor]]:
    """Path-level parameters not overridden (same name and location), then the operation's."""
    keys = {(str(p.get("name")), str(p.get("in"))) for p, _ in own}
    return [(p, a) for p, a in shared if (str(p.get("name")), str(p.get("in"))) not in keys] + own


def _operation(ctx: Ctx, method: str, node: dict[str, Any], at: Cursor,
               shared: list[tuple[dict[str, Any], Cursor]]) -> Operation:
    op = Operation(method=method.upper(), operation_id=ctx.text(node.get("operationId")),
                   summary=ctx.text(node.get("summary")), description=ctx.text(node.get("description")),
                   tags=ctx.strings(node.get("tags"), at.child("tags"), "tags"),
                   deprecated=node.get("deprecated") is True, pointer=at.shown, extensions=extensions(node, at))
    params = _merged(shared, _parameter_nodes(ctx, node.get("parameters"), at.child("parameters")))
    if ctx.swagger:
        _swagger_parameters(ctx, op, node, at, params)
    else:
        op.parameters = _plain_parameters(ctx, params)
        if "requestBody" in node:
            op.request_body = read_request_body(ctx, node["requestBody"], at.child("requestBody"))
    produces = _media(ctx, node, at, "produces", ctx.produces)
    op.responses = read_responses(ctx, node.get("responses"), at.child("responses"), produces)
    if "security" in node:
        op.security = read_requirements(ctx, node["security"], at.child("security"))
    for key in ("callbacks", "servers"):
        if key in node:
            ctx.ignored(at.child(key), f"operation {key} are not read")
    return op


def _plain_parameters(ctx: Ctx, params: list[tuple[dict[str, Any], Cursor]]) -> list[Parameter]:
    out = []
    for node, at in params:
        location = str(node.get("in"))
        if location not in LOCATIONS:
            ctx.ignored(at.child("in"), f"parameter location {literal(location)} is not read")
            continue
        out.append(read_parameter(ctx, node, at, location))
    return out


def _swagger_parameters(ctx: Ctx, op: Operation, node: dict[str, Any], at: Cursor,
                        params: list[tuple[dict[str, Any], Cursor]]) -> None:
    body = [(p, a) for p, a in params if p.get("in") == "body"]
    form_nodes = [(p, a) for p, a in params if p.get("in") == "formData"]
    op.parameters = _plain_parameters(ctx, [(p, a) for p, a in params if p.get("in") not in ("body", "formData")])
    consumes = _media(ctx, node, at, "consumes", ctx.consumes)
    if body:
        op.request_body = swagger_body(ctx, body, consumes)
        for _, form_at in form_nodes:
            ctx.ignored(form_at, "formData parameter beside a body parameter is not read")
    elif form_nodes:
        form = [read_parameter(ctx, p, a, "formData") for p, a in form_nodes]
        op.request_body = swagger_form(ctx, form, consumes, at.child("parameters"))


def _media(ctx: Ctx, node: dict[str, Any], at: Cursor, key: str, default: list[str]) -> list[str]:
    if key in node:
        return ctx.strings(node[key], at.child(key), key)
    return default
