"""RAML 0.8 methods -> model Operation (parameters, bodies, responses, security)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from migrate.core.diagnostics import Code, Report, literal
from migrate.core.model import Content, Operation, Parameter, RequestBody, Response, Schema
from migrate.core.pointers import pointer_join
from migrate.readers.raml.expand import PTR, FlatResource
from migrate.readers.raml.params import form_schema, parameter, parameters
from migrate.readers.raml.schema import SchemaContext, convert, parse_schema_text, text_schema
from migrate.source.raml_yaml import Included

_TEMPLATE = re.compile(r"\{([^{}]+)\}")
_FORMS = ("multipart/form-data", "application/x-www-form-urlencoded")
_METHOD_KEYS = {
    "description", "displayName", "queryParameters", "headers", "body", "responses", "securedBy", "is",
    "usage", PTR,
}
#: method properties the model has no place for (the API's servers apply to every operation)
_METHOD_NOT_READ = {
    "protocols": "method-level protocols {value} not read: the API's protocols apply",
    "baseUriParameters": "method-level baseUriParameters not read: the API's baseUri values apply",
}
_CONTENT_KEYS = {"schema", "example", "formParameters", PTR}


@dataclass
class OpContext:
    """What building an operation needs from the whole document."""

    schemas: SchemaContext
    media_type: str | None

    @property
    def report(self) -> Report:
        return self.schemas.report


def operation(method: str, body: dict[str, Any], res: FlatResource, ctx: OpContext) -> Operation:
    pointer = pointer_join(res.pointer, method)
    op = Operation(method=method.upper(), description=_str(body.get("description")),
                   summary=_str(body.get("displayName")), pointer=pointer)
    query = parameters(body.get("queryParameters"), "query", pointer_join(pointer, "queryParameters"), ctx.report)
    headers = parameters(body.get("headers"), "header", pointer_join(pointer, "headers"), ctx.report)
    op.parameters = [*path_parameters(res, ctx.report), *query, *headers]
    if isinstance(body.get("body"), dict):
        contents = _contents(body["body"], pointer_join(pointer, "body"), ctx)
        op.request_body = RequestBody(contents=contents, pointer=pointer_join(pointer, "body"))
    op.responses = _responses(body.get("responses"), pointer_join(pointer, "responses"), ctx)
    if "securedBy" in body:
        op.security = security(body["securedBy"])
    elif "securedBy" in res.data:
        op.security = security(res.data["securedBy"])
    for key, message in _METHOD_NOT_READ.items():
        if body.get(key) is not None:
            ctx.report.report(Code.SOURCE_FEATURE_IGNORED, pointer_join(pointer, key),
                              message.format(value=body[key]))
    _ignored(body, _METHOD_KEYS | set(_METHOD_NOT_READ), pointer, ctx.report)
    return op


def _str(value: Any) -> str | None:
    return None if value is None else str(value)


def _ignored(node: dict[str, Any], known: set[str], pointer: str, report: Report) -> None:
    for key in node:
        if key not in known and not (isinstance(key, str) and key.endswith("?")):
            report.report(Code.SOURCE_FEATURE_IGNORED, pointer_join(pointer, str(key)), f"{literal(key)} not read")


def path_parameters(res: FlatResource, report: Report) -> list[Parameter]:
    """One path parameter per ``{name}`` in the full path: declared here or on an ancestor, or an
    implicit required string (RAML 0.8 default)."""
    out = []
    for name in dict.fromkeys(_TEMPLATE.findall(res.path)):
        spec, pointer = res.uri_params.get(name, (None, res.pointer))
        out.append(parameter(name, spec, "path", pointer, report))
    return out


def security(value: Any) -> list[dict[str, list[str]]]:
    """``securedBy: [a, b: {scopes: [..]}, null]`` -> requirements; ``null`` means anonymous."""
    items = value if isinstance(value, list) else [value]
    out: list[dict[str, list[str]]] = []
    for item in items:
        if item is None or item == "null":
            out.append({})
        elif isinstance(item, dict):
            for name, settings in item.items():
                scopes = settings.get("scopes") if isinstance(settings, dict) else None
                out.append({str(name): [str(s) for s in scopes] if isinstance(scopes, list) else []})
        else:
            out.append({str(item): []})
    return out


# -- bodies --------------------------------------------------------------------------------------


def _contents(body: dict[str, Any], pointer: str, ctx: OpContext) -> list[Content]:
    if set(body) & {"schema", "example", "formParameters"}:
        # body without media type: the root mediaType applies (RAML 0.8 "Default Media Type")
        media = ctx.media_type or "application/json"
        return [_content(media, body, pointer, ctx)]
    return [_content(str(media), spec, pointer_join(pointer, str(media)), ctx) for media, spec in body.items()
            if media != PTR]


def _content(media: str, spec: Any, pointer: str, ctx: OpContext) -> Content:
    spec = spec if isinstance(spec, dict) else {}
    content = Content(media_type=media, pointer=pointer)
    if spec.get("formParameters") is not None:
        if media not in _FORMS:
            ctx.report.report(Code.SPEC_INVALID, pointer_join(pointer, "formParameters"),
                              f"formParameters on {media} (only form media types may have them)")
        content.schema = form_schema(spec["formParameters"], pointer_join(pointer, "formParameters"), ctx.report)
    elif spec.get("schema") is not None:
        content.schema = body_schema(spec["schema"], pointer_join(pointer, "schema"), ctx.schemas)
    if spec.get("example") is not None:
        content.example = example(spec["example"], pointer_join(pointer, "example"), ctx.report)
    _ignored(spec, _CONTENT_KEYS, pointer, ctx.report)
    return content


def body_schema(value: Any, pointer: str, ctx: SchemaContext) -> Schema:
    """A body ``schema``: the name of a root schema, JSON schema text, or a YAML mapping."""
    if isinstance(value, dict):
        return convert(value, pointer, ctx, None)
    text = str(value)
    if text.strip() in ctx.schemas:
        return Schema(ref=text.strip())
    if isinstance(value, Included) and value.name in ctx.files:
        return Schema(ref=ctx.files[value.name])
    if "\n" not in text.strip() and not text.lstrip().startswith(("{", "<")):
        ctx.report.report(Code.SPEC_INVALID, pointer, f"schema {literal(text.strip())} names no root schema")
        return Schema(pointer=pointer, extensions={"x-raml-schema": text})
    return text_schema(text, pointer, ctx)


def example(value: Any, pointer: str, report: Report) -> Any:
    """An example as JSON when it is JSON text, else as written."""
    if isinstance(value, str) and value.lstrip()[:1] in ("{", "["):
        parsed = parse_schema_text(value, pointer, report)
        return value if parsed is None else parsed
    return value


# -- responses -----------------------------------------------------------------------------------


def _responses(value: Any, pointer: str, ctx: OpContext) -> list[Response]:
    if not isinstance(value, dict):
        return []
    out = []
    for code, spec in value.items():
        if code == PTR:
            continue
        at = pointer_join(pointer, str(code))
        if not re.fullmatch(r"[1-5][0-9][0-9]", str(code)):
            ctx.report.report(Code.SPEC_INVALID, at, f"response code {literal(code)} is not an HTTP status code")
        spec = spec if isinstance(spec, dict) else {}
        response = Response(status=str(code), description=_str(spec.get("description")), pointer=at)
        response.headers = parameters(spec.get("headers"), "header", pointer_join(at, "headers"), ctx.report)
        if isinstance(spec.get("body"), dict):
            response.contents = _contents(spec["body"], pointer_join(at, "body"), ctx)
        _ignored(spec, {"description", "headers", "body", PTR}, at, ctx.report)
        out.append(response)
    return out
