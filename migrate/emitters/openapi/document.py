"""Assemble a whole OpenAPI 3.0.3 document from the model, and render it through a template.

Rendering: the template receives the document's top-level sections as an ordered list of
``(key, value)`` pairs and writes each value with ``tojson``; Python decides which sections exist
and their order. The rendered text is parsed back (a rendering bug raises EmitError) and the
file text is the parsed document written canonically (2-space indent, newline at the end), so
a user's template may add, drop or reshape sections and still yields tidy, deterministic JSON.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from openapi_schema_validator import OAS30Validator

from migrate.core.diagnostics import Code, Report, literal
from migrate.core.errors import EmitError
from migrate.core.model import Api, Resource, SecurityScheme, Server, ServerVariable
from migrate.emitters.base import PayloadFile
from migrate.emitters.common import scheme_holds
from migrate.emitters.openapi.paths import OAS30_METHODS, path_item_out, path_key, requirements_out
from migrate.emitters.openapi.schema import Context, component_keys, extensions_out, schema_out
from migrate.emitters.render import dumps_indented, render_parsed

OPENAPI_VERSION = "3.0.3"
PLACEHOLDER_VERSION = "1.0.0"


def build_document(api: Api, report: Report) -> dict[str, Any]:
    """The OpenAPI 3.0.3 document for ``api`` as a plain dict in a fixed key order."""
    ctx = Context(report, defined_schemes={s.name for s in api.security_schemes},
                  security_key="securedBy" if api.source and api.source.format == "raml" else "security")
    ctx.schema_keys = component_keys(list(api.schemas), report, {n: s.pointer for n, s in api.schemas.items()})
    schemes = _schemes_out(api.security_schemes, ctx)
    doc: dict[str, Any] = {"openapi": OPENAPI_VERSION, "info": _info(api, report)}
    if api.servers:
        doc["servers"] = [_server(s) for s in api.servers]
    if api.tags:
        doc["tags"] = [{"name": t} for t in api.tags]
    if api.security:
        doc["security"] = requirements_out(api.security, "", ctx)
    doc["paths"] = _paths(api, ctx)
    components: dict[str, Any] = {}
    if api.schemas:
        components["schemas"] = {ctx.schema_keys[n]: schema_out(s, ctx) for n, s in api.schemas.items()}
    if schemes:
        components["securitySchemes"] = schemes
    if components:
        doc["components"] = components
    doc.update(extensions_out(api.extensions, "", report))
    _check_defaults(ctx, components.get("schemas", {}))
    return doc


def _info(api: Api, report: Report) -> dict[str, Any]:
    info: dict[str, Any] = {"title": api.title}
    if api.description is not None:
        info["description"] = api.description
    if api.version:
        info["version"] = api.version
    else:
        report.report(Code.VALUE_FILLED, "", f"the API has no version; OpenAPI requires one, wrote "
                      f"{literal(PLACEHOLDER_VERSION)}")
        info["version"] = PLACEHOLDER_VERSION
    return info


def _server(server: Server) -> dict[str, Any]:
    """A server as written: its URL template and variables when it has them (OpenAPI 3.0.3
    "Server Object"; a 3.0 enum needs at least one value, so an empty one is not written)."""
    out: dict[str, Any] = {"url": server.template or server.url}
    if server.description is not None:
        out["description"] = server.description
    if server.template and server.variables:
        out["variables"] = {name: _variable(v) for name, v in server.variables.items()}
    return out


def _variable(var: ServerVariable) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if var.enum:
        out["enum"] = list(var.enum)
    out["default"] = var.default
    if var.description is not None:
        out["description"] = var.description
    return out


def _merge_loss(key: str, name: str, resource: Resource, ctx: Context) -> None:
    """Two source paths written as one OpenAPI path key: what the second cannot add is left out."""
    pointer = resource.pointer
    if name.upper() in OAS30_METHODS:
        pointer = next((op.pointer for op in resource.operations if op.method.upper() == name.upper()), pointer)
        ctx.report.report(Code.OPERATION_DROPPED, pointer, f"{name.upper()} {key}: another path is written as "
                          f"{key} too and already has {name.upper()}; this one is left out")
        return
    code = Code.EXTENSION_DROPPED if name.startswith("x-") else Code.DESCRIPTION_DROPPED
    ctx.report.report(code, pointer, f"{key}: another path is written as {key} too; this one's {name} is left out")


def _paths(api: Api, ctx: Context) -> dict[str, Any]:
    paths: dict[str, Any] = {}
    for resource in api.resources:
        key = path_key(resource.path)
        item = path_item_out(resource, ctx)
        if key in paths:  # the same path declared twice (e.g. nested RAML resources): merge
            for method, value in item.items():
                if method in paths[key]:
                    _merge_loss(key, method, resource, ctx)
                else:
                    paths[key][method] = value
        else:
            paths[key] = item
    return paths


def _schemes_out(schemes: list[SecurityScheme], ctx: Context) -> dict[str, Any]:
    written = [s for s in schemes if _scheme_ok(s, ctx.report)]
    ctx.scheme_keys = component_keys([s.name for s in written], ctx.report, {s.name: s.pointer for s in written})
    return {ctx.scheme_keys[s.name]: _scheme(s, ctx.report) for s in written}


def _scheme_ok(s: SecurityScheme, report: Report) -> bool:
    why = None
    if s.type not in ("apiKey", "http", "oauth2", "openIdConnect"):
        held = scheme_holds(s)
        why = f"OpenAPI 3.0 has no {_TYPE_NAMES.get(s.type, repr(s.type))} security schemes" + \
            (f" ({held} are lost)" if held else "")
    elif s.type == "apiKey" and (not s.param_name or s.location not in ("header", "query", "cookie")):
        why = "an apiKey scheme needs a parameter name and a location (header, query or cookie)"
    elif s.type == "openIdConnect" and not s.open_id_connect_url:
        why = "an openIdConnect scheme needs its discovery URL"
    if why:
        report.report(Code.SECURITY_SCHEME_UNSUPPORTED, s.pointer, f"security scheme {literal(s.name)}: {why}; "
                      "left out together with the requirements naming it")
    return why is None


_TYPE_NAMES = {"oauth1": "OAuth 1.0", "mutualTLS": "mutual TLS"}


def _scheme(s: SecurityScheme, report: Report) -> dict[str, Any]:
    out: dict[str, Any] = {"type": s.type}
    if s.description is not None:
        out["description"] = s.description
    if s.type == "apiKey":
        out.update({"name": s.param_name, "in": s.location})
    elif s.type == "http":
        out["scheme"] = s.scheme or "basic"
        if not s.scheme:
            report.report(Code.VALUE_ASSUMED, s.pointer, f"http scheme {literal(s.name)} names no scheme; OpenAPI "
                          "requires one, 'basic' was written (a guess)")
        if s.bearer_format is not None:
            out["bearerFormat"] = s.bearer_format
    elif s.type == "oauth2":
        out["flows"] = _flows(s, report)
    else:
        out["openIdConnectUrl"] = s.open_id_connect_url
    out.update(extensions_out(s.extensions, s.pointer, report))
    return out


def _flows(s: SecurityScheme, report: Report) -> dict[str, Any]:
    """OAuth flows with every field OpenAPI 3.0 requires; an incomplete or unknown flow is left out."""
    out: dict[str, Any] = {}
    for name, flow in s.flows.items():
        needs = _FLOW_FIELDS.get(name)
        missing = [f for f in needs or () if not isinstance(flow, dict) or f not in flow]
        if needs is None or missing:
            why = f"lacks {', '.join(missing)}" if needs is not None else "is not an OpenAPI 3.0 flow"
            report.report(Code.SECURITY_SCHEME_UNSUPPORTED, s.pointer,
                          f"OAuth flow {literal(name)} of {literal(s.name)} {why}; left out")
            continue
        out[name] = flow
    return out


_FLOW_FIELDS = {"implicit": ("authorizationUrl", "scopes"), "password": ("tokenUrl", "scopes"),
                "clientCredentials": ("tokenUrl", "scopes"),
                "authorizationCode": ("authorizationUrl", "tokenUrl", "scopes")}


def _check_defaults(ctx: Context, schemas: dict[str, Any]) -> None:
    """OpenAPI 3.0 requires a default to satisfy its own schema; validators reject the document
    otherwise, so a default that does not is left out (DEFAULT_DROPPED)."""
    components = {"schemas": schemas}
    for schema, pointer in ctx.defaults:
        # "#/components/schemas/X" resolves against the root, so the components ride along.
        root = {**schema, "components": components}
        try:
            error = next(iter(OAS30Validator(root).iter_errors(schema["default"])), None)
        except Exception as exc:  # an unresolvable or odd schema: be safe, drop
            error = exc
        if error is not None:
            del schema["default"]
            # not getattr(error, "message", str(error)): the default would be built every time, and a
            # ValidationError's str() pretty-prints the whole schema root (seconds on a large spec)
            message = error.message if hasattr(error, "message") else str(error)
            ctx.report.report(Code.DEFAULT_DROPPED, pointer, f"default value does not satisfy its schema "
                              f"({message[:120]}); left out")


def render_json(template: str, value: Any, target: str, name: str, templates_dir: Path | None) -> PayloadFile:
    """Render ``value`` (a top-level dict as sections, or a list as items) through ``template``,
    parse it back and return the canonical 2-space-indented file."""
    context = {"sections": list(value.items())} if isinstance(value, dict) else {"items": list(value)}
    try:
        document, finite = render_parsed(template, context, templates_dir, target)
    except json.JSONDecodeError as exc:
        raise EmitError(target, f"template {template} produced invalid JSON: {exc}") from None
    return PayloadFile(name, canonical_json(document, finite), "application/json", document)


def canonical_json(document: Any, parsed_finite: bool = False) -> str:
    text = dumps_indented(document, parsed_finite) + "\n"
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates from the source: keep them as \\u escapes
        text = json.dumps(document, indent=2) + "\n"
    return text
