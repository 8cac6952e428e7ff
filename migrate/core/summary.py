"""``api-migrate inspect``: a readable, deterministic text summary of a model ``Api``."""

from __future__ import annotations

import json
from typing import Any

from migrate.core.model import Api, Content, Operation, Parameter, Resource, Restrictions, Schema, SecurityScheme

#: Top-level properties shown in a body outline before "+N more".
MAX_OUTLINE_PROPERTIES = 12
PARAM_HEADER = ("name", "in", "type", "required", "restrictions")


def render_text(api: Api) -> str:
    """Title, source, servers and security schemes, then per resource and method a parameter
    table, request body media types with a schema outline, and response codes."""
    lines = _header(api)
    for resource in api.resources:
        for operation in resource.operations:
            lines.append("")
            lines.extend(_operation(api, resource, operation))
    return "\n".join(lines) + "\n"


# -- header ------------------------------------------------------------------------------------


def _header(api: Api) -> list[str]:
    title = f"{api.title}  v{api.version}" if api.version else api.title
    lines = [title, "=" * len(title)]
    if api.source is not None:
        where = f"  ({api.source.path})" if api.source.path else ""
        lines.append(f"source:  {api.source.format} {api.source.format_version}{where}")
    operations = sum(len(r.operations) for r in api.resources)
    lines.append(f"paths:   {len(api.resources)} resource(s), {operations} operation(s), "
                 f"{len(api.schemas)} named schema(s)")
    lines.append("servers:" + ("" if api.servers else " (none)"))
    lines.extend(f"  {server.url}" for server in api.servers)
    lines.append("security schemes:" + ("" if api.security_schemes else " (none)"))
    lines.extend(_table([_scheme_row(s) for s in api.security_schemes], indent="  "))
    return lines


def _scheme_row(scheme: SecurityScheme) -> tuple[str, ...]:
    if scheme.type == "apiKey":
        detail = f"{scheme.location or '?'} {scheme.param_name or '?'}"
    elif scheme.type == "http":
        detail = scheme.scheme or ""
    elif scheme.type == "oauth2":
        detail = "flows: " + ",".join(sorted(scheme.flows)) if scheme.flows else ""
    elif scheme.type == "openIdConnect":
        detail = scheme.open_id_connect_url or ""
    else:
        detail = ""
    return (scheme.name, scheme.type, detail)


# -- operations --------------------------------------------------------------------------------


def _operation(api: Api, resource: Resource, operation: Operation) -> list[str]:
    head = f"{operation.method} {resource.path}"
    if operation.operation_id:
        head += f"  ({operation.operation_id})"
    if operation.deprecated:
        head += "  [deprecated]"
    lines = [head]
    if operation.summary:
        lines.append(f"  {operation.summary}")
    if operation.parameters:
        lines.append("  parameters:")
        rows = [PARAM_HEADER] + [_param_row(p) for p in operation.parameters]
        lines.extend(_table(rows, indent="    "))
    if operation.request_body is not None:
        required = " (required)" if operation.request_body.required else ""
        lines.append(f"  request body{required}:")
        lines.extend(_contents(api, operation.request_body.contents))
    if operation.responses:
        lines.append("  responses: " + ", ".join(r.status for r in operation.responses))
    return lines


def _param_row(param: Parameter) -> tuple[str, ...]:
    kind = param.type + ("[]" if param.array else "")
    parts = [restrictions_text(param.restrictions)]
    if param.default is not None:
        parts.append(f"default {_value(param.default)}")
    return (param.name, param.location, kind, "yes" if param.required else "no", "  ".join(p for p in parts if p))


def _contents(api: Api, contents: list[Content]) -> list[str]:
    rows: list[tuple[str, ...]] = [
        (c.media_type, schema_outline(api, c.schema) if c.schema is not None else "") for c in contents
    ]
    return _table(rows, indent="    ")


# -- restrictions and schemas ------------------------------------------------------------------


def _value(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, sort_keys=True)


def _span(low: Any, high: Any) -> str:
    return f"{'' if low is None else low}..{'' if high is None else high}"


def _range(r: Restrictions) -> str:
    if r.minimum is None and r.maximum is None:
        return ""
    if r.minimum is not None and r.maximum is not None:
        left = "(" if r.exclusive_minimum else "["
        right = ")" if r.exclusive_maximum else "]"
        return f"range {left}{_value(r.minimum)}, {_value(r.maximum)}{right}"
    if r.minimum is not None:
        return f"{'>' if r.exclusive_minimum else '>='} {_value(r.minimum)}"
    return f"{'<' if r.exclusive_maximum else '<='} {_value(r.maximum)}"


def _items(r: Restrictions) -> str:
    parts = []
    if r.min_items is not None or r.max_items is not None:
        parts.append(_span(r.min_items, r.max_items))
    if r.unique_items:
        parts.append("unique")
    return "items " + " ".join(parts) if parts else ""


def restrictions_text(r: Restrictions) -> str:
    """Compact form: ``len 1..20``, ``range [0, 100)``, ``enum(a,b)``, ``pattern ^x$``,
    ``items 1..5 unique``, ``multipleOf 5``, ``format date``; two spaces between parts."""
    parts = [
        f"len {_span(r.min_length, r.max_length)}" if r.min_length is not None or r.max_length is not None else "",
        _range(r),
        f"multipleOf {_value(r.multiple_of)}" if r.multiple_of is not None else "",
        "enum(" + ",".join(_value(v) for v in r.enum) + ")" if r.enum is not None else "",
        f"pattern {r.pattern}" if r.pattern is not None else "",
        f"format {r.format}" if r.format is not None else "",
        _items(r),
    ]
    return "  ".join(p for p in parts if p)


def _type_name(schema: Schema) -> str:
    if schema.ref is not None:
        return schema.ref
    if schema.type == "array":
        return (_type_name(schema.items) if schema.items is not None else "any") + "[]"
    if schema.alternatives:
        return (schema.combinator or "oneOf") + "(" + "|".join(_type_name(a) for a in schema.alternatives) + ")"
    return schema.type or "any"


def schema_outline(api: Api, schema: Schema) -> str:
    """``Name = object {id*: integer, tags: string[]}``: the type and top-level properties
    (``*`` marks required ones); a reference is named and followed once."""
    resolved = api.resolve(schema)
    prefix = f"{schema.ref} = " if schema.ref is not None and resolved is not schema else ""
    text = _type_name(resolved)
    if resolved.properties:
        shown = resolved.properties[:MAX_OUTLINE_PROPERTIES]
        props = [f"{p.name}{'*' if p.required else ''}: {_type_name(p.schema)}" for p in shown]
        more = len(resolved.properties) - len(shown)
        if more:
            props.append(f"+{more} more")
        text += " {" + ", ".join(props) + "}"
    return prefix + text


# -- layout ------------------------------------------------------------------------------------


def _table(rows: list[tuple[str, ...]], indent: str) -> list[str]:
    """Rows as left-aligned columns two spaces apart (trailing spaces stripped)."""
    if not rows:
        return []
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return [(indent + "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True))).rstrip()
            for row in rows]
