"""Model resources/operations -> OpenAPI 3.0.3 Path Item and Operation Objects (plain dicts)."""

from __future__ import annotations

import dataclasses
import re
from typing import Any

from migrate.core.diagnostics import Code, literal
from migrate.core.model import Content, Operation, Parameter, RequestBody, Resource, Response, Restrictions
from migrate.emitters.openapi.schema import Context, extensions_out, restrictions_out, schema_out

OAS30_METHODS = ("GET", "PUT", "POST", "DELETE", "OPTIONS", "HEAD", "PATCH", "TRACE")
#: OpenAPI 3.0.3 "Parameter Object": header parameters with these names SHALL be ignored.
IGNORED_HEADERS = ("accept", "content-type", "authorization")
#: OpenAPI 3.0.3 "Operation Object": requestBody is ignored where HTTP gives a body no meaning.
NO_BODY_METHODS = ("GET", "HEAD", "DELETE")
RESPONSE_KEY = re.compile(r"^(default|[1-5](?:\d{2}|XX))$")
_TEMPLATE = re.compile(r"\{([^{}]+)\}")
_TYPED_TEMPLATE = re.compile(r"\{([^{}:]+):[^{}]*\}")

#: collectionFormat -> (location -> (style, explode)); absent: not expressible there.
_STYLES: dict[str, dict[str, tuple[str, bool]]] = {
    "csv": {"query": ("form", False), "path": ("simple", False), "header": ("simple", False),
            "cookie": ("form", False)},
    "ssv": {"query": ("spaceDelimited", False)},
    "pipes": {"query": ("pipeDelimited", False)},
    "multi": {"query": ("form", True), "cookie": ("form", True)},
}


def path_key(path: str) -> str:
    """The OpenAPI path key: leading slash, templates reduced to their names (``{id:\\d+}`` ->
    ``{id}``: OpenAPI templates carry no regular expression)."""
    path = path if path.startswith("/") else "/" + path
    return _TYPED_TEMPLATE.sub(r"{\1}", path)


def path_item_out(resource: Resource, ctx: Context) -> dict[str, Any]:
    item: dict[str, Any] = {}
    if path_key(resource.path) != "/" + resource.path.lstrip("/"):
        ctx.report.report(Code.PATTERN_DROPPED, resource.pointer, f"path {literal(resource.path)} written as "
                          f"{literal(path_key(resource.path))} (OpenAPI path templates carry no pattern)")
    if resource.name:
        item["summary"] = resource.name
    if resource.description:
        item["description"] = resource.description
    for op in resource.operations:
        if op.method.upper() not in OAS30_METHODS:
            ctx.report.report(Code.METHOD_UNSUPPORTED, op.pointer, f"OpenAPI 3.0 has no {op.method} operations")
            continue
        method = op.method.lower()
        if method in item:
            ctx.report.report(Code.OPERATION_DROPPED, op.pointer, f"{op.method} {resource.path} is "
                              "declared twice; the second is left out")
            continue
        item[method] = operation_out(op, path_key(resource.path), ctx)
    item.update(extensions_out(resource.extensions, resource.pointer, ctx.report))
    return item


def operation_out(op: Operation, path: str, ctx: Context) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in (("tags", op.tags), ("summary", op.summary), ("description", op.description),
                       ("operationId", op.operation_id)):
        if value:
            out[key] = list(value) if isinstance(value, list) else value
    params = parameters_out(op, path, ctx)
    if params:
        out["parameters"] = params
    if op.request_body is not None:
        body = request_body_out(op, op.request_body, ctx)
        if body is not None:
            out["requestBody"] = body
    out["responses"] = responses_out(op, ctx)
    if op.deprecated:
        out["deprecated"] = True
    if op.security is not None:
        out["security"] = requirements_out(op.security, op.pointer or "", ctx)
    out.update(extensions_out(op.extensions, op.pointer, ctx.report))
    return out


def parameters_out(op: Operation, path: str, ctx: Context) -> list[dict[str, Any]]:
    templated = _TEMPLATE.findall(path)
    out: list[dict[str, Any]] = []
    seen: set[tuple[str, str]] = set()
    for p in op.parameters:
        if not _keep_parameter(p, templated, seen, ctx):
            continue
        seen.add((p.name, p.location))
        out.append(parameter_out(p, ctx))
    for name in templated:
        if (name, "path") not in seen:
            seen.add((name, "path"))
            ctx.report.report(Code.PATH_PARAMETER_ADDED, op.pointer, f"path template {{{name}}} has no declared "
                              "parameter; a required string parameter was added")
            out.append({"name": name, "in": "path", "required": True, "schema": {"type": "string"}})
    return out


def _keep_parameter(p: Parameter, templated: list[str], seen: set[tuple[str, str]], ctx: Context) -> bool:
    why = None
    if p.location not in ("path", "query", "header", "cookie"):
        ctx.report.report(Code.PARAMETER_LOCATION_UNSUPPORTED, p.pointer, f"OpenAPI 3.0 has no {literal(p.location)} "
                          f"parameters; {literal(p.name)} is left out")
        return False
    if (p.name, p.location) in seen:
        why = "is declared twice"
    elif p.location == "header" and p.name.lower() in IGNORED_HEADERS:
        why = "is ignored by OpenAPI 3.0 (media types and security schemes describe it)"
    elif p.location == "path" and p.name not in templated:
        why = "does not occur in the path template"
    if why:
        ctx.report.report(Code.PARAMETER_DROPPED, p.pointer,
                          f"{p.location} parameter {literal(p.name)} {why}; left out")
    return why is None


def parameter_out(p: Parameter, ctx: Context) -> dict[str, Any]:
    out: dict[str, Any] = {"name": p.name, "in": p.location}
    if p.description is not None:
        out["description"] = p.description
    if p.location == "path":
        if not p.required:
            ctx.report.report(Code.VALUE_ASSUMED, p.pointer, f"path parameter {literal(p.name)} was optional; "
                              "OpenAPI 3.0 path parameters are required, so a request without it no longer matches")
        out["required"] = True
    elif p.required:
        out["required"] = True
    if p.deprecated:
        out["deprecated"] = True
    extensions = dict(p.extensions)
    media_type = extensions.pop("contentMediaType", None)
    if isinstance(media_type, str) and p.schema is not None:  # a parameter described by "content"
        out["content"] = {media_type: {"schema": parameter_schema(p, ctx)}}
    else:
        out.update(_style(p, ctx))
        out["schema"] = parameter_schema(p, ctx)
    if p.example is not None:
        out["example"] = p.example
    out.update(extensions_out(extensions, p.pointer, ctx.report))
    return out


#: OpenAPI 3.0.3 "Style Values": the styles each location allows.
OAS30_STYLES = {"path": ("matrix", "label", "simple"), "query": ("form", "spaceDelimited", "pipeDelimited",
                "deepObject"), "header": ("simple",), "cookie": ("form",)}


def _style(p: Parameter, ctx: Context) -> dict[str, Any]:
    if p.style is not None or p.explode is not None:
        return _stated_style(p, ctx)
    fmt = p.collection_format
    if fmt is None or not p.array:
        return {}
    style = _STYLES.get(fmt, {}).get(p.location)
    if style is None:
        ctx.report.report(Code.COLLECTION_FORMAT_DROPPED, p.pointer, f"collectionFormat {literal(fmt)} has no OpenAPI "
                          f"3.0 style for a {p.location} parameter; the default style is written")
        return {}
    return {"style": style[0], "explode": style[1]}


def _stated_style(p: Parameter, ctx: Context) -> dict[str, Any]:
    """The source's own OpenAPI 3 style/explode, carried as written where 3.0 allows the style."""
    out: dict[str, Any] = {}
    if p.style is not None and p.style not in OAS30_STYLES.get(p.location, ()):
        ctx.report.report(Code.COLLECTION_FORMAT_DROPPED, p.pointer, f"style {literal(p.style)} is not an OpenAPI 3.0 "
                          f"style for a {p.location} parameter; the default style is written")
        return out
    if p.style is not None:
        out["style"] = p.style
    if p.explode is not None:
        out["explode"] = p.explode
    return out


def parameter_schema(p: Parameter, ctx: Context) -> dict[str, Any]:
    """The parameter's schema: its full ``schema`` when it has one, else built from type,
    array flag and restrictions (length/range/enum/pattern/format on the items of an array)."""
    if p.schema is not None:
        schema = schema_out(p.schema, ctx)
    elif p.array:
        r = p.restrictions
        on_items = dataclasses.replace(r, min_items=None, max_items=None, unique_items=None)
        on_array = Restrictions(min_items=r.min_items, max_items=r.max_items, unique_items=r.unique_items)
        schema = {"type": "array", "items": _typed(p.type, on_items, p, ctx),
                  **restrictions_out(on_array, p.pointer, ctx)}
    else:
        schema = _typed(p.type, p.restrictions, p, ctx)
    if p.default is not None and "default" not in schema:
        schema["default"] = p.default
        ctx.defaults.append((schema, p.pointer))
    return schema


def _typed(type_: str, r: Restrictions, p: Parameter, ctx: Context) -> dict[str, Any]:
    if type_ == "file":
        ctx.report.report(Code.PARAMETER_TYPE_UNSUPPORTED, p.pointer,
                          f"{p.location} parameter {literal(p.name)} of type file is written as a binary string")
        out: dict[str, Any] = {"type": "string", "format": "binary"}
    else:
        out = {"type": type_}
    out.update(restrictions_out(r, p.pointer, ctx))
    return out


def contents_out(contents: list[Content], ctx: Context) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for c in contents:
        if c.media_type in out:
            ctx.report.report(Code.MEDIA_TYPE_UNSUPPORTED, c.pointer, f"media type {literal(c.media_type)} is declared "
                              "twice; the second is left out")
            continue
        media: dict[str, Any] = {}
        if c.schema is not None:
            media["schema"] = schema_out(c.schema, ctx)
        if c.example is not None:
            media["example"] = c.example
        out[c.media_type] = media
    return out


def request_body_out(op: Operation, body: RequestBody, ctx: Context) -> dict[str, Any] | None:
    if op.method.upper() in NO_BODY_METHODS:
        ctx.report.report(Code.BODY_DROPPED, body.pointer or op.pointer, f"OpenAPI 3.0 gives a {op.method} request "
                          "body no meaning (consumers ignore it); left out")
        return None
    if not body.contents:
        ctx.report.report(Code.BODY_DROPPED, body.pointer or op.pointer, "a request body without any media type "
                          "cannot be written in OpenAPI 3.0; left out")
        return None
    out: dict[str, Any] = {}
    if body.description is not None:
        out["description"] = body.description
    out["content"] = contents_out(body.contents, ctx)
    if body.required:
        out["required"] = True
    return out


def responses_out(op: Operation, ctx: Context) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for r in op.responses:
        key = r.status.upper() if r.status.lower() != "default" else "default"
        if not RESPONSE_KEY.match(key) or key in out:
            why = "is declared twice" if key in out else "is not an OpenAPI 3.0 response code"
            ctx.report.report(Code.RESPONSES_DROPPED, r.pointer, f"response {literal(r.status)} {why}; left out")
            continue
        out[key] = response_out(r, ctx)
    if not out:
        ctx.report.report(Code.VALUE_FILLED, op.pointer, "OpenAPI 3.0 requires at least one response; a "
                          "'default' response was written")
        out["default"] = {"description": ""}
    return out


def response_out(r: Response, ctx: Context) -> dict[str, Any]:
    out: dict[str, Any] = {"description": r.description or ""}
    headers: dict[str, Any] = {}
    for h in r.headers:
        if h.name.lower() == "content-type" or h.name in headers:
            ctx.report.report(Code.PARAMETER_DROPPED, h.pointer, f"response header {literal(h.name)} is "
                              f"{'ignored by OpenAPI 3.0' if h.name not in headers else 'declared twice'}; left out")
            continue
        header = parameter_out(dataclasses.replace(h, location="header", collection_format=None), ctx)
        del header["name"], header["in"]
        headers[h.name] = header
    if headers:
        out["headers"] = headers
    if r.contents:
        out["content"] = contents_out(r.contents, ctx)
    return out


def requirements_out(requirements: list[dict[str, list[str]]], owner: str,
                     ctx: Context) -> list[dict[str, list[str]]]:
    """Security requirements with component keys; requirements naming a scheme that could not be
    written (its own diagnostic says why) or that the spec never defines are left out, said at
    the requirement (``owner`` is the pointer of the operation, "" for the API)."""
    out = []
    for i, req in enumerate(requirements):
        if all(name in ctx.scheme_keys for name in req):
            out.append({ctx.scheme_keys[name]: list(scopes) for name, scopes in req.items()})
            continue
        missing = sorted(n for n in req if n not in ctx.scheme_keys)
        undefined = [n for n in missing if n not in ctx.defined_schemes]
        why = f"the spec defines no scheme {', '.join(map(literal, undefined))}" if undefined else \
            "its scheme could not be written"
        ctx.report.report(Code.SECURITY_SCHEME_UNSUPPORTED, f"{owner}/{ctx.security_key}/{i}",
                          f"security requirement naming {', '.join(map(literal, missing))} left out ({why})")
    return out
