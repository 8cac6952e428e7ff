"""Body schemas in RAML 0.8: JSON Schema draft 3/4 text -> model Schema.

Schema text that is not strict JSON (comments, trailing commas, YAML-ish) is read leniently
with a SOURCE_VALUE_REPAIRED diagnostic; XML schemas and unreadable text are kept verbatim in
``extensions["x-raml-schema"]`` with SOURCE_FEATURE_IGNORED. A JSON ``$ref`` to a file that is
also a root schema becomes ``Schema(ref=NAME)``; ``#/definitions/X`` refers to the named
schema ``OWNER.X`` (registered in ``Api.schemas``); ``#`` to the owner itself.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from migrate.core.diagnostics import Code, Report, literal
from migrate.core.model import Property, Restrictions, Schema
from migrate.core.pointers import pointer_join
from migrate.source.load import DuplicateKey, loads_noting_duplicates, yaml_noting_duplicates

_COMMENT = re.compile(r"^\s*//.*$|/\*.*?\*/", re.M | re.S)
_TRAILING_COMMA = re.compile(r",(\s*[}\]])")
_TYPES = {"string", "integer", "number", "boolean", "object", "array", "null", "file"}
_RESTRICTIONS = {
    "minLength": "min_length", "maxLength": "max_length", "minimum": "minimum", "maximum": "maximum",
    "multipleOf": "multiple_of", "divisibleBy": "multiple_of", "pattern": "pattern", "enum": "enum",
    "minItems": "min_items", "maxItems": "max_items", "uniqueItems": "unique_items", "format": "format",
}
_HANDLED = {
    "type", "properties", "items", "required", "additionalProperties", "title", "description", "default",
    "$schema", "id", "$ref", "definitions", "oneOf", "anyOf", "allOf", "exclusiveMinimum", "exclusiveMaximum",
    "example", "readOnly", *_RESTRICTIONS,
}


@dataclass
class SchemaContext:
    """Named schemas being built (``Api.schemas``) and the report."""

    report: Report
    schemas: dict[str, Schema] = field(default_factory=dict)
    #: file name (as written after !include, e.g. "book.json") -> root schema name
    files: dict[str, str] = field(default_factory=dict)


def parse_schema_text(text: str, pointer: str, report: Report) -> Any:
    """JSON value of a schema/example text, leniently; None when it is not JSON-like at all. A key
    written twice in one of its objects is a warning (only the last is read)."""
    try:
        value, duplicates = loads_noting_duplicates(text, "")
    except (json.JSONDecodeError, RecursionError):
        pass
    else:
        _duplicates(duplicates, pointer, report)
        return value
    if text.lstrip().startswith("<"):
        return None
    cleaned = _TRAILING_COMMA.sub(r"\1", _COMMENT.sub("", text))
    for attempt in (lambda: loads_noting_duplicates(cleaned, ""), lambda: yaml_noting_duplicates(cleaned, "")):
        try:
            value, duplicates = attempt()
        except (ValueError, yaml.YAMLError, RecursionError):
            continue
        if isinstance(value, (dict, list)):
            report.report(Code.SOURCE_VALUE_REPAIRED, pointer, "not strict JSON; read leniently")
            _duplicates(duplicates, pointer, report)
            return value
    return None


def _duplicates(duplicates: list[DuplicateKey], pointer: str, report: Report) -> None:
    """A text's duplicate keys, at the text's place (their lines would count from the text's start,
    not the file's: left out)."""
    for found in duplicates:
        report.report(Code.SOURCE_VALUE_REPAIRED, pointer, f"in this text at {found.pointer or '/'}: "
                      + found._replace(lines=()).message())


def text_schema(text: str, pointer: str, ctx: SchemaContext, owner: str | None = None) -> Schema:
    """Schema from the text of a body ``schema`` or a root schema."""
    value = parse_schema_text(text, pointer, ctx.report)
    if not isinstance(value, dict):
        kind = "XML schema" if text.lstrip().startswith("<") else "schema that is not JSON"
        ctx.report.report(Code.SOURCE_FEATURE_IGNORED, pointer, f"{kind} kept as text only")
        return Schema(pointer=pointer, extensions={"x-raml-schema": text})
    return convert(value, pointer, ctx, owner)


def convert(node: Any, pointer: str, ctx: SchemaContext, owner: str | None, depth: int = 0) -> Schema:
    """JSON Schema (draft 3 or 4) -> model Schema."""
    if not isinstance(node, dict) or depth > 64:
        return Schema(pointer=pointer)
    if "$ref" in node:
        return _ref(str(node["$ref"]), pointer, ctx, owner)
    if owner is not None and depth == 0:
        _definitions(node, pointer, ctx, owner)
    schema = Schema(title=_str(node.get("title")), description=_str(node.get("description")),
                    default=node.get("default"), example=node.get("example"), pointer=pointer)
    _type(node, schema, pointer, ctx.report)
    schema.restrictions = _restrictions(node)
    schema.read_only = node.get("readOnly") is True
    _properties(node, schema, pointer, ctx, owner, depth)
    _items(node, schema, pointer, ctx, owner, depth)
    _alternatives(node, schema, pointer, ctx, owner, depth)
    for key in node:
        if key not in _HANDLED:
            ctx.report.report(Code.SOURCE_FEATURE_IGNORED, pointer_join(pointer, key),
                              f"JSON schema {literal(key)} not read")
    return schema


def _str(value: Any) -> str | None:
    return None if value is None else str(value)


def _type(node: dict[str, Any], schema: Schema, pointer: str, report: Report) -> None:
    raw = node.get("type")
    kinds = [k for k in raw if isinstance(k, str)] if isinstance(raw, list) else [raw] if isinstance(raw, str) else []
    if "null" in kinds and len(kinds) > 1:
        schema.nullable = True
        kinds.remove("null")
    known = [k for k in kinds if k in _TYPES]
    if known:
        schema.type = known[0]
    if schema.type is None and "properties" in node:
        schema.type = "object"
    if len(known) > 1 or len(known) < len(kinds):
        read_as = repr(schema.type) if schema.type else "any value (no type)"
        report.report(Code.SOURCE_FEATURE_IGNORED, pointer_join(pointer, "type"),
                      f"type {literal(raw)} read as {read_as}")


def _restrictions(node: dict[str, Any]) -> Restrictions:
    out = Restrictions()
    for key, attr in _RESTRICTIONS.items():
        if node.get(key) is not None and getattr(out, attr) is None:
            setattr(out, attr, node[key])
    if not isinstance(out.enum, list):
        out.enum = None
    for key, attr in (("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")):
        value = node.get(key)
        if isinstance(value, bool):
            setattr(out, _snake(key), value or None)
        elif isinstance(value, (int, float)):  # draft 6 numeric form, seen in the wild
            setattr(out, attr, value)
            setattr(out, _snake(key), True)
    return out


def _snake(key: str) -> str:
    return "exclusive_minimum" if key == "exclusiveMinimum" else "exclusive_maximum"


def _properties(node: dict[str, Any], schema: Schema, pointer: str, ctx: SchemaContext, owner: str | None,
                depth: int) -> None:
    props = node.get("properties")
    if not isinstance(props, dict):
        return
    required: list[Any] = node["required"] if isinstance(node.get("required"), list) else []
    for name, sub in props.items():
        sub_pointer = pointer_join(pointer, "properties", name)
        child = convert(sub, sub_pointer, ctx, owner, depth + 1)
        draft3 = isinstance(sub, dict) and sub.get("required") is True  # draft 3: required on the property
        schema.properties.append(Property(name=str(name), schema=child, required=draft3 or name in required))
    extra = node.get("additionalProperties")
    if isinstance(extra, bool):
        schema.additional_properties = extra
    elif isinstance(extra, dict):
        schema.additional_properties = convert(extra, pointer_join(pointer, "additionalProperties"), ctx, owner,
                                               depth + 1)


def _items(node: dict[str, Any], schema: Schema, pointer: str, ctx: SchemaContext, owner: str | None,
           depth: int) -> None:
    items = node.get("items")
    if isinstance(items, list):
        ctx.report.report(Code.SOURCE_FEATURE_IGNORED, pointer_join(pointer, "items"),
                          "tuple items: only the first item schema is read")
        items = items[0] if items else None
    if isinstance(items, dict):
        schema.items = convert(items, pointer_join(pointer, "items"), ctx, owner, depth + 1)
        schema.type = schema.type or "array"


def _alternatives(node: dict[str, Any], schema: Schema, pointer: str, ctx: SchemaContext, owner: str | None,
                  depth: int) -> None:
    for key in ("oneOf", "anyOf"):
        if isinstance(node.get(key), list):
            schema.combinator = key
            schema.alternatives = [convert(s, pointer_join(pointer, key, i), ctx, owner, depth + 1)
                                   for i, s in enumerate(node[key])]
    if isinstance(node.get("allOf"), list):
        for i, part in enumerate(node["allOf"]):
            merged = convert(part, pointer_join(pointer, "allOf", i), ctx, owner, depth + 1)
            schema.type = schema.type or merged.type
            schema.properties.extend(p for p in merged.properties if p.name not in {q.name for q in schema.properties})
            if merged.ref is not None:
                ctx.report.report(Code.SOURCE_FEATURE_IGNORED, pointer_join(pointer, "allOf", i),
                                  f"allOf member $ref {merged.ref} not merged")


def _definitions(node: dict[str, Any], pointer: str, ctx: SchemaContext, owner: str) -> None:
    defs = node.get("definitions")
    if not isinstance(defs, dict):
        return
    for name, sub in defs.items():
        key = f"{owner}.{name}"
        if key not in ctx.schemas:
            ctx.schemas[key] = Schema(pointer=pointer)  # placeholder: guards recursion
            ctx.schemas[key] = convert(sub, pointer_join(pointer, "definitions", name), ctx, owner, 1)


def _ref(ref: str, pointer: str, ctx: SchemaContext, owner: str | None) -> Schema:
    if ref in ("#", "") and owner is not None:
        return Schema(ref=owner)
    if ref.startswith("#/definitions/") and owner is not None:
        return Schema(ref=f"{owner}.{ref.rsplit('/', 1)[-1]}")
    name = ctx.files.get(ref.split("#", 1)[0].rsplit("/", 1)[-1])
    if name is not None and "#" not in ref:
        return Schema(ref=name)
    if ref in ctx.schemas:
        return Schema(ref=ref)
    ctx.report.report(Code.SOURCE_FEATURE_IGNORED, pointer_join(pointer, "$ref"), f"$ref {literal(ref)} not followed")
    return Schema(pointer=pointer, extensions={"x-ref": ref})
