"""Request bodies and responses: OpenAPI 3 ``content`` maps and Swagger 2.0 body/formData
parameters with consumes/produces."""

from __future__ import annotations

import copy
from typing import Any

from migrate.core.diagnostics import literal
from migrate.core.model import Content, Parameter, Property, RequestBody, Response, Restrictions, Schema
from migrate.readers.openapi.context import Ctx, plain
from migrate.readers.openapi.params import read_headers
from migrate.readers.openapi.refs import Cursor

JSON = "application/json"
FORM = "application/x-www-form-urlencoded"
MULTIPART = "multipart/form-data"


# -- OpenAPI 3 ---------------------------------------------------------------------------------
def read_contents(ctx: Ctx, node: Any, at: Cursor) -> list[Content]:
    out = []
    for media, value in ctx.mapping(node, at, "content").items():
        media_at = at.child(str(media))
        value = ctx.mapping(value, media_at, "media type object")
        schema = ctx.schemas.read(value["schema"], media_at.child("schema")) if "schema" in value else None
        content = Content(str(media), schema, pointer=media_at.shown)
        content.example = _example(ctx, value, media_at)
        if "encoding" in value:
            ctx.ignored(media_at.child("encoding"), "encoding (per-property media types) is not read")
        out.append(content)
    return out


def _example(ctx: Ctx, node: dict[str, Any], at: Cursor) -> Any:
    if "example" in node:
        return plain(node["example"], at)
    examples = node.get("examples")
    if isinstance(examples, dict) and examples:
        name, first = next(iter(examples.items()))
        first, first_at = ctx.deref(first, at.child("examples", str(name)))
        if len(examples) > 1:
            ctx.ignored(at.child("examples"), f"{len(examples)} named examples; only {literal(str(name))} is kept")
        if isinstance(first, dict) and "value" in first:
            return plain(first["value"], first_at)
    return None


def read_request_body(ctx: Ctx, node: Any, at: Cursor) -> RequestBody | None:
    node, at = ctx.deref(node, at)
    if not isinstance(node, dict):
        ctx.invalid(at, "requestBody is not a mapping; it is not read")
        return None
    return RequestBody(required=node.get("required") is True, description=ctx.text(node.get("description")),
                       contents=read_contents(ctx, node.get("content"), at.child("content")), pointer=at.shown)


def read_responses(ctx: Ctx, node: Any, at: Cursor, produces: list[str]) -> list[Response]:
    out = []
    for status, value in ctx.mapping(node, at, "responses").items():
        if str(status).startswith("x-"):
            ctx.ignored(at.child(str(status)), f"extension {status} on responses is not carried")
            continue
        value, value_at = ctx.deref(value, at.child(str(status)))
        if not isinstance(value, dict):
            ctx.invalid(value_at, f"response {status} is not a mapping; it is not read")
            continue
        out.append(_response(ctx, str(status), value, value_at, produces))
    return out


def _response(ctx: Ctx, status: str, node: dict[str, Any], at: Cursor, produces: list[str]) -> Response:
    response = Response(status, ctx.text(node.get("description")), pointer=at.shown)
    response.headers = read_headers(ctx, node.get("headers"), at.child("headers"))
    if ctx.swagger:
        response.contents = _swagger_contents(ctx, node, at, produces)
    else:
        response.contents = read_contents(ctx, node.get("content"), at.child("content"))
        if node.get("links"):
            ctx.ignored(at.child("links"), "response links are not read")
    return response


def _swagger_contents(ctx: Ctx, node: dict[str, Any], at: Cursor, produces: list[str]) -> list[Content]:
    if "schema" not in node:
        return []
    schema = ctx.schemas.read(node["schema"], at.child("schema"))
    examples = node["examples"] if isinstance(node.get("examples"), dict) else {}
    out = []
    for media in produces or [JSON]:
        example = plain(examples[media], at) if media in examples else None
        out.append(Content(media, schema, example, pointer=at.child("schema").shown))
    return out


# -- Swagger 2.0 body / formData ---------------------------------------------------------------
def swagger_body(ctx: Ctx, body: list[tuple[dict[str, Any], Cursor]], consumes: list[str]) -> RequestBody:
    """The request body of a Swagger 2.0 ``in: body`` parameter."""
    node, at = body[0]
    for _, extra_at in body[1:]:
        ctx.ignored(extra_at, "a second body parameter is not read (only one is allowed)")
    schema = ctx.schemas.read(node.get("schema"), at.child("schema"))
    media_types = [m for m in consumes if m not in (FORM, MULTIPART)] or [JSON]
    contents = [Content(media, schema, pointer=at.child("schema").shown) for media in media_types]
    return RequestBody(required=node.get("required") is True, description=ctx.text(node.get("description")),
                       contents=contents, pointer=at.shown)


def swagger_form(ctx: Ctx, params: list[Parameter], consumes: list[str], at: Cursor) -> RequestBody:
    """The request body made of Swagger 2.0 ``in: formData`` parameters (already read)."""
    multipart = MULTIPART in consumes or any(p.type == "file" for p in params)
    media = MULTIPART if multipart else FORM
    schema = Schema(type="object", pointer=at.shown)
    schema.properties = [Property(p.name, _param_schema(p), p.required) for p in params]
    return RequestBody(required=any(p.required for p in params), contents=[Content(media, schema, pointer=at.shown)],
                       pointer=at.shown)


def _param_schema(param: Parameter) -> Schema:
    """A form field's schema: the parameter's type and restrictions (items and array split)."""
    r = param.restrictions
    scalar = copy.copy(param.schema) if param.schema is not None else Schema(type=param.type)
    if param.array:
        item_r = Restrictions(**{**vars(r), "min_items": None, "max_items": None, "unique_items": None})
        if param.schema is None:
            scalar.restrictions = item_r
        outer = Restrictions(min_items=r.min_items, max_items=r.max_items, unique_items=r.unique_items)
        node = Schema(type="array", items=scalar, restrictions=outer)
    else:
        node = scalar
        if param.schema is None:
            node.restrictions = copy.copy(r)
    node.description, node.default, node.pointer = param.description, param.default, param.pointer
    node.extensions = {**node.extensions, **param.extensions}
    return node
