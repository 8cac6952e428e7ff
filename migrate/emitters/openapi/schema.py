"""Model schemas and restrictions -> OpenAPI 3.0.3 Schema Objects (plain dicts).

Named schemas become ``#/components/schemas/<key>`` references, so recursion stays a ``$ref``.
Component keys must match ``^[a-zA-Z0-9.\\-_]+$`` in OpenAPI 3.0; other names are rewritten
(NAME_SANITIZED) consistently for the component and every reference to it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from migrate.core.diagnostics import Code, Report, literal
from migrate.core.model import Restrictions, Schema, Xml

COMPONENT_KEY = re.compile(r"^[a-zA-Z0-9.\-_]+$")
COMBINATORS = ("oneOf", "anyOf", "allOf")


@dataclass
class Context:
    """State shared while one document is written: the report, the component key of every named
    schema / security scheme, and the schema dicts whose ``default`` must be checked at the end."""

    report: Report
    schema_keys: dict[str, str] = field(default_factory=dict)
    scheme_keys: dict[str, str] = field(default_factory=dict)
    defined_schemes: set[str] = field(default_factory=set)
    security_key: str = "security"  # RAML: securedBy
    defaults: list[tuple[dict[str, Any], str | None]] = field(default_factory=list)


def component_keys(names: list[str], report: Report, pointers: dict[str, str | None]) -> dict[str, str]:
    """Map each name to a unique valid component key (valid names stay as they are)."""
    keys: dict[str, str] = {}
    taken = {n for n in names if COMPONENT_KEY.match(n)}
    for name in names:
        if COMPONENT_KEY.match(name):
            keys[name] = name
            continue
        base = re.sub(r"[^a-zA-Z0-9.\-_]+", "_", name).strip("_") or "schema"
        key, n = base, 1
        while key in taken:
            n += 1
            key = f"{base}_{n}"
        taken.add(key)
        keys[name] = key
        report.report(Code.NAME_SANITIZED, pointers.get(name), f"name {literal(name)} is not a valid OpenAPI 3.0 "
                      f"component key; written as {literal(key)}")
    return keys


def restrictions_out(r: Restrictions, pointer: str | None, ctx: Context) -> dict[str, Any]:
    """Restriction keywords in OpenAPI 3.0 form (exclusive bounds as booleans)."""
    out: dict[str, Any] = {}
    for name in ("min_length", "max_length", "min_items", "max_items"):
        value = getattr(r, name)
        if value is None:
            continue
        key = _camel(name)
        if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
            out[key] = value
        else:
            ctx.report.report(Code.RESTRICTION_DROPPED, pointer,
                              f"{key} {literal(value)} is not a non-negative integer")
    _bounds(r, pointer, ctx, out)
    _multiple_of(r, pointer, ctx, out)
    if r.pattern is not None:
        _pattern(r.pattern, pointer, ctx, out)
    if r.enum is not None:
        if r.enum:
            out["enum"] = _unique_enum(r.enum, pointer, ctx)
        else:
            ctx.report.report(Code.ENUM_DROPPED, pointer, "an empty enum cannot be written in OpenAPI 3.0")
    if r.unique_items is not None:
        out["uniqueItems"] = r.unique_items
    if r.format is not None:
        out["format"] = r.format
    return out


def _unique_enum(values: list[Any], pointer: str | None, ctx: Context) -> list[Any]:
    """OpenAPI 3.0 requires unique enum values (3.1 only recommends it): a repeated value is
    written once, which allows the same values (ENUM_DEDUPLICATED)."""
    seen: dict[str, Any] = {}
    for value in values:
        key = json.dumps(value, sort_keys=True)
        if key in seen:
            ctx.report.report(Code.ENUM_DEDUPLICATED, pointer,
                              f"enum value {literal(value)} is listed more than once; written once (OpenAPI 3.0 "
                              "requires unique values)")
        seen.setdefault(key, value)
    return list(seen.values())


def _bounds(r: Restrictions, pointer: str | None, ctx: Context, out: dict[str, Any]) -> None:
    for bound, flag in (("minimum", "exclusive_minimum"), ("maximum", "exclusive_maximum")):
        value, exclusive = getattr(r, bound), getattr(r, flag)
        if value is not None:
            out[bound] = value
            if exclusive:
                out[_camel(flag)] = True
        elif exclusive:
            ctx.report.report(Code.RESTRICTION_DROPPED, pointer, f"{_camel(flag)} without {bound} means nothing "
                              "in OpenAPI 3.0")


def _multiple_of(r: Restrictions, pointer: str | None, ctx: Context, out: dict[str, Any]) -> None:
    if r.multiple_of is None:
        return
    if isinstance(r.multiple_of, (int, float)) and not isinstance(r.multiple_of, bool) and r.multiple_of > 0:
        out["multipleOf"] = r.multiple_of
    else:
        ctx.report.report(Code.MULTIPLE_OF_DROPPED, pointer, f"multipleOf {literal(r.multiple_of)} is not a positive "
                          "number")


def _pattern(pattern: str, pointer: str | None, ctx: Context, out: dict[str, Any]) -> None:
    try:  # OpenAPI validators check patterns with Python's re ("format: regex")
        re.compile(pattern)
    except (re.error, TypeError, OverflowError, RecursionError) as exc:  # a{4294967296}: a count too large
        ctx.report.report(Code.PATTERN_DROPPED, pointer, f"pattern {literal(pattern)} is not a regular expression "
                          f"OpenAPI validators accept ({exc}); left out")
        return
    out["pattern"] = pattern


def ref_out(name: str, pointer: str | None, ctx: Context) -> dict[str, Any]:
    key = ctx.schema_keys.get(name)
    if key is None:
        ctx.report.report(Code.SCHEMA_FEATURE_DROPPED, pointer, f"reference to unknown schema {literal(name)} "
                          "written as an unconstrained schema")
        return {}
    return {"$ref": "#/components/schemas/" + key}


def schema_out(s: Schema, ctx: Context) -> dict[str, Any]:
    """One Schema Object; ``ref`` nodes become ``$ref``."""
    if s.ref is not None:
        return ref_out(s.ref, s.pointer, ctx)
    out: dict[str, Any] = {}
    _type(s, out)
    _texts(s, out)
    _object(s, out, ctx)
    if s.type == "array" or s.items is not None:
        out["items"] = schema_out(s.items, ctx) if s.items is not None else {}
    out.update(restrictions_out(s.restrictions, s.pointer, ctx))
    _flags_and_values(s, out, ctx)
    if s.xml is not None:
        out["xml"] = xml_out(s.xml)
    if s.alternatives:
        combinator = s.combinator if s.combinator in COMBINATORS else "oneOf"
        out[combinator] = [schema_out(a, ctx) for a in s.alternatives]
    extensions = dict(s.extensions)
    if "discriminator" in extensions:
        _discriminator(extensions.pop("discriminator"), s.pointer, ctx, out)
    out.update(extensions_out(extensions, s.pointer, ctx.report, Code.SCHEMA_FEATURE_DROPPED))
    return out


def _discriminator(value: Any, pointer: str | None, ctx: Context, out: dict[str, Any]) -> None:
    """Swagger 2 names the property; OpenAPI 3 has ``{propertyName, mapping}`` (mapping targets
    that name a known schema are rewritten to its component reference)."""
    if isinstance(value, str):
        value = {"propertyName": value}
    if not isinstance(value, dict) or not isinstance(value.get("propertyName"), str):
        ctx.report.report(Code.SCHEMA_FEATURE_DROPPED, pointer,
                          f"discriminator {literal(value)} is not usable; left out")
        return
    disc: dict[str, Any] = {"propertyName": value["propertyName"]}
    mapping = value.get("mapping")
    if isinstance(mapping, dict) and mapping:
        disc["mapping"] = {str(k): _mapping_target(str(v), ctx) for k, v in mapping.items()}
    out["discriminator"] = disc


def _mapping_target(target: str, ctx: Context) -> str:
    name = target.rsplit("/", 1)[-1]
    key = ctx.schema_keys.get(name)
    return "#/components/schemas/" + key if key is not None and target.startswith("#/") else target


def _type(s: Schema, out: dict[str, Any]) -> None:
    if s.type == "file":
        out.update(type="string", format="binary")
    elif s.type == "null":  # OpenAPI 3.0 has no null type: "only null" is nullable with enum [null]
        out.update(nullable=True, enum=[None])
    elif s.type is not None:
        out["type"] = s.type


def _texts(s: Schema, out: dict[str, Any]) -> None:
    if s.title is not None:
        out["title"] = s.title
    if s.description is not None:
        out["description"] = s.description


def _object(s: Schema, out: dict[str, Any], ctx: Context) -> None:
    if s.properties:
        props: dict[str, Any] = {}
        for p in s.properties:
            if p.name in props:
                ctx.report.report(Code.SCHEMA_FEATURE_DROPPED, p.schema.pointer or s.pointer,
                                  f"property {literal(p.name)} is declared twice; the second is left out")
                continue
            props[p.name] = schema_out(p.schema, ctx)
        out["properties"] = props
        required = sorted({p.name for p in s.properties if p.required}, key=list(props).index)
        if required:
            out["required"] = required
    if isinstance(s.additional_properties, Schema):
        out["additionalProperties"] = schema_out(s.additional_properties, ctx)
    elif isinstance(s.additional_properties, bool):
        out["additionalProperties"] = s.additional_properties


def _flags_and_values(s: Schema, out: dict[str, Any], ctx: Context) -> None:
    if s.nullable:
        out["nullable"] = True
    if s.read_only:
        out["readOnly"] = True
    if s.write_only:
        out["writeOnly"] = True
    if s.default is not None:
        out["default"] = s.default
        ctx.defaults.append((out, s.pointer))
    if s.example is not None:
        out["example"] = s.example


def xml_out(x: Xml) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key in ("name", "namespace", "prefix"):
        if getattr(x, key) is not None:
            out[key] = getattr(x, key)
    if x.attribute:
        out["attribute"] = True
    if x.wrapped:
        out["wrapped"] = True
    return out


def extensions_out(extensions: dict[str, Any], pointer: str | None, report: Report,
                   code: Code = Code.EXTENSION_DROPPED) -> dict[str, Any]:
    """``x-`` keys are carried back; any other key kept by a reader has no OpenAPI 3.0 place."""
    out: dict[str, Any] = {}
    for key, value in extensions.items():
        if key.startswith("x-"):
            out[key] = value
        elif key == "const" and code is Code.SCHEMA_FEATURE_DROPPED:  # 3.1 const == one-value enum
            out["enum"] = [value]
        elif code is Code.SCHEMA_FEATURE_DROPPED and _carried_as_is(key, value):
            out[key] = value
        else:
            report.report(code, pointer, f"{literal(key)} has no OpenAPI 3.0.3 form; left out")
    return out


#: JSON Schema keywords OpenAPI 3.0 has that the model keeps only as extensions of a schema
_SCHEMA_KEYWORDS_30 = {"not", "minProperties", "maxProperties", "deprecated", "externalDocs"}


def _carried_as_is(key: str, value: Any) -> bool:
    """A kept schema keyword that 3.0.3 has, with a value free of references (a ``$ref`` inside
    would point into the source document, not into this one)."""
    return key in _SCHEMA_KEYWORDS_30 and "$ref" not in json.dumps(value)


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(p[:1].upper() + p[1:] for p in rest)
