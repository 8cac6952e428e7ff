"""RAML 0.8 named parameters (query, header, URI, form) -> model Parameter / Schema."""

from __future__ import annotations

from typing import Any

from migrate.core.diagnostics import Code, Report, literal
from migrate.core.model import Parameter, Property, Restrictions, Schema
from migrate.core.pointers import pointer_join
from migrate.readers.raml.expand import PTR

#: RAML 0.8 named-parameter type -> (model type, format)
TYPES: dict[str, tuple[str, str | None]] = {
    "string": ("string", None),
    "number": ("number", None),
    "integer": ("integer", None),
    "date": ("string", "date-time"),  # RAML 0.8 dates are RFC 2616 dates, not RFC 3339
    "boolean": ("boolean", None),
    "file": ("file", None),
}
_NUMERIC = ("minimum", "maximum")
_LENGTHS = ("minLength", "maxLength")
_KNOWN = {
    "displayName", "description", "type", "enum", "pattern", "minLength", "maxLength", "minimum", "maximum",
    "example", "repeat", "required", "default", PTR,
}


def number(value: Any) -> int | float | None:
    """A number, also from a substituted ``<<param>>`` string ("50"); None when not numeric."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, str):
        try:
            return int(value)
        except ValueError:
            try:
                return float(value)
            except ValueError:
                return None
    return None


def parameter(name: str, spec: Any, location: str, pointer: str, report: Report) -> Parameter:
    """One named parameter. ``spec`` may be None (all defaults) or a list of alternative
    definitions (RAML 0.8 "named parameters with multiple types": the first is used)."""
    if isinstance(spec, list):
        if len(spec) > 1:
            report.report(Code.SOURCE_FEATURE_IGNORED, pointer, "only the first of several types is read")
        spec = spec[0] if spec else None
    spec = spec if isinstance(spec, dict) else {}
    pointer = str(spec.get(PTR, pointer))
    kind, fmt = _type(spec, pointer, report)
    param = Parameter(
        name=name,
        location=location,
        required=_required(spec, location),
        type=kind,
        array=spec.get("repeat") is True,
        description=_description(spec),
        default=spec.get("default"),
        example=spec.get("example"),
        restrictions=restrictions(spec, pointer, report, fmt),
        pointer=pointer,
    )
    _unknown(spec, pointer, report)
    return param


def _required(spec: dict[str, Any], location: str) -> bool:
    # RAML 0.8: URI parameters are required by default, all other named parameters optional.
    value = spec.get("required")
    if value is None:
        return location == "path"
    return value is True or str(value).lower() == "true"


def _description(spec: dict[str, Any]) -> str | None:
    text = spec.get("description")
    return str(text) if text is not None else None


def _type(spec: dict[str, Any], pointer: str, report: Report) -> tuple[str, str | None]:
    raw = spec.get("type", "string")
    if raw is None:
        return "string", None
    if str(raw) not in TYPES:
        report.report(Code.SPEC_INVALID, pointer_join(pointer, "type"), f"unknown RAML type {literal(raw)}; "
                      "read as string")
        return "string", None
    return TYPES[str(raw)]


def restrictions(spec: dict[str, Any], pointer: str, report: Report, fmt: str | None = None) -> Restrictions:
    """minLength, maxLength, minimum, maximum, enum and pattern of a named parameter."""
    out = Restrictions(format=fmt)
    for key in _NUMERIC + _LENGTHS:
        if spec.get(key) is None:
            continue
        value = number(spec[key])
        if value is None:
            report.report(Code.SPEC_INVALID, pointer_join(pointer, key), f"{key} {literal(spec[key])} is not a number")
            continue
        if isinstance(spec[key], str):
            report.report(Code.SOURCE_VALUE_REPAIRED, pointer_join(pointer, key),
                          f"{key} {literal(spec[key])} read as a number")
        setattr(out, _snake(key), int(value) if key in _LENGTHS else value)
    if isinstance(spec.get("enum"), list):
        out.enum = list(spec["enum"])
    if spec.get("pattern") is not None:
        out.pattern = str(spec["pattern"])
    return out


def _snake(key: str) -> str:
    return {"minLength": "min_length", "maxLength": "max_length"}.get(key, key)


def _unknown(spec: dict[str, Any], pointer: str, report: Report) -> None:
    for key in spec:
        if key not in _KNOWN:
            report.report(Code.SOURCE_FEATURE_IGNORED, pointer_join(pointer, str(key)),
                          f"property {literal(key)} not read")


def parameters(specs: Any, location: str, pointer: str, report: Report) -> list[Parameter]:
    """A ``queryParameters``/``headers``/``uriParameters`` mapping -> parameters in source order."""
    if not isinstance(specs, dict):
        return []
    return [parameter(str(n), s, location, pointer_join(pointer, str(n)), report) for n, s in specs.items()]


def form_schema(specs: Any, pointer: str, report: Report) -> Schema:
    """``formParameters`` -> an object schema with one property per form parameter."""
    props = []
    for param in parameters(specs, "query", pointer, report):
        items = Schema(type=param.type, restrictions=param.restrictions, default=param.default,
                       description=param.description, pointer=param.pointer)
        schema = Schema(type="array", items=items, pointer=param.pointer) if param.array else items
        props.append(Property(name=param.name, schema=schema, required=param.required))
    return Schema(type="object", properties=props, pointer=pointer)
