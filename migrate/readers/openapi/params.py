"""Parameters and headers (Swagger 2.0 and OpenAPI 3) -> model ``Parameter``."""

from __future__ import annotations

from typing import Any

from migrate.core.diagnostics import literal
from migrate.core.model import Parameter, Restrictions, Schema
from migrate.readers.openapi.context import Ctx, extensions, plain
from migrate.readers.openapi.refs import Cursor
from migrate.readers.openapi.restrictions import read_restrictions

LOCATIONS = ("path", "query", "header", "cookie")
SCALARS = ("string", "integer", "number", "boolean", "file")
_ARRAY_KEYS = ("min_items", "max_items", "unique_items")
#: OpenAPI 3 style (+ explode) -> Swagger 2 collectionFormat
_STYLES = {"form": "csv", "simple": "csv", "spaceDelimited": "ssv", "pipeDelimited": "pipes"}


def read_parameter(ctx: Ctx, node: dict[str, Any], at: Cursor, location: str) -> Parameter:
    """A non-body parameter (or a header, with ``location="header"``) already dereferenced."""
    param = Parameter(name=str(node.get("name", "")), location=location, pointer=at.shown)
    param.required = node.get("required") is True
    param.description = ctx.text(node.get("description"))
    param.deprecated = node.get("deprecated") is True
    param.extensions = extensions(node, at)
    if "example" in node:
        param.example = plain(node["example"], at)
    if location == "path" and not param.required:
        ctx.repaired(at, f"path parameter {literal(param.name)} is not marked required; read as required")
        param.required = True
    if ctx.swagger:
        _swagger_typed(ctx, param, node, at)
    elif "schema" in node:
        _from_schema(ctx, param, ctx.schemas.read(node["schema"], at.child("schema")), node)
        _serialisation(param, node)
    elif isinstance(node.get("content"), dict) and node["content"]:
        _from_content(ctx, param, node["content"], at.child("content"))
    return param


def _swagger_typed(ctx: Ctx, param: Parameter, node: dict[str, Any], at: Cursor) -> None:
    if "default" in node:
        param.default = plain(node["default"], at)
    kind = str(node.get("type", "string")).lower()
    if kind == "array":
        param.array = True
        param.collection_format = str(node.get("collectionFormat", "csv"))
        items, items_at = ctx.deref(node.get("items"), at.child("items"))
        items = items if isinstance(items, dict) else {}
        kind = str(items.get("type", "string")).lower()
        param.restrictions = _with_array_keys(read_restrictions(ctx, items, items_at),
                                              read_restrictions(ctx, node, at))
        if kind in ("array", "object"):
            param.schema = ctx.schemas.read(items, items_at)
    else:
        param.restrictions = read_restrictions(ctx, node, at)
    param.type = _scalar(ctx, kind, at)


def _scalar(ctx: Ctx, kind: str, at: Cursor) -> str:
    if kind in SCALARS:
        return kind
    if kind in ("object", "array"):
        return "object"
    ctx.repaired(at.child("type"), f"unknown parameter type {literal(kind)}; read as string")
    return "string"


def _with_array_keys(items: Restrictions, array: Restrictions) -> Restrictions:
    for name in _ARRAY_KEYS:
        setattr(items, name, getattr(array, name))
    return items


def _from_schema(ctx: Ctx, param: Parameter, schema: Schema, node: dict[str, Any]) -> None:
    """Type, restrictions, default and collection format from an OpenAPI 3 parameter schema."""
    flat = ctx.schemas.resolve(schema)
    param.default = flat.default
    if param.example is None:
        param.example = flat.example
    if flat.type == "array":
        item = ctx.schemas.resolve(flat.items) if flat.items is not None else Schema(type="string")
        param.array = True
        param.collection_format = _collection_format(node, param.location)
        param.restrictions = _with_array_keys(_copy(item.restrictions), flat.restrictions)
        param.type = _model_type(item)
        if param.type == "object":
            param.schema = schema
        return
    param.restrictions = _copy(flat.restrictions)
    param.type = _model_type(flat)
    if param.type == "object":
        param.schema = schema


def _model_type(schema: Schema) -> str:
    if schema.combinator is not None or schema.type in ("object", "array"):
        return "object"
    if schema.type in SCALARS:
        return schema.type
    return "object" if schema.properties else "string"


def _copy(r: Restrictions) -> Restrictions:
    return Restrictions(**vars(r))


def _collection_format(node: dict[str, Any], location: str) -> str:
    style = str(node.get("style", "form" if location in ("query", "cookie") else "simple"))
    explode = node.get("explode", style == "form")
    if style == "form" and explode is True:
        return "multi"
    return _STYLES.get(style, style)


def _serialisation(param: Parameter, node: dict[str, Any]) -> None:
    """OpenAPI 3 ``style``/``explode`` as written (the emitters decide what a target can hold)."""
    if isinstance(node.get("style"), str):
        param.style = node["style"]
    if isinstance(node.get("explode"), bool):
        param.explode = node["explode"]


def _from_content(ctx: Ctx, param: Parameter, content: dict[Any, Any], at: Cursor) -> None:
    media, node = next(iter(content.items()))
    if len(content) > 1:
        ctx.ignored(at, f"parameter content has {len(content)} media types; only {literal(media)} is read")
    node = ctx.mapping(node, at.child(str(media)), "media type")
    schema = ctx.schemas.read(node.get("schema"), at.child(str(media), "schema"))
    param.type = "object"
    param.schema = schema
    param.extensions["contentMediaType"] = str(media)


def read_headers(ctx: Ctx, node: Any, at: Cursor) -> list[Parameter]:
    out = []
    for name, value in ctx.mapping(node, at, "headers").items():
        header, header_at = ctx.deref(value, at.child(str(name)))
        if not isinstance(header, dict):
            ctx.invalid(header_at, f"header {literal(name)} is not a mapping; it is not read")
            continue
        param = read_parameter(ctx, {**header, "name": str(name)}, header_at, "header")
        out.append(param)
    return out
