"""Validation keywords -> ``Restrictions`` (shared by schemas and Swagger 2.0 parameters/headers)."""

from __future__ import annotations

from typing import Any

from migrate.core.diagnostics import literal
from migrate.core.model import Restrictions
from migrate.readers.openapi.context import Ctx, plain
from migrate.readers.openapi.refs import Cursor

_INTS = (("minLength", "min_length"), ("maxLength", "max_length"), ("minItems", "min_items"),
         ("maxItems", "max_items"))
_NUMBERS = (("minimum", "minimum"), ("maximum", "maximum"), ("multipleOf", "multiple_of"))
_TEXTS = (("pattern", "pattern"), ("format", "format"))
_KEYWORDS = frozenset({k for k, _ in (*_INTS, *_NUMBERS, *_TEXTS)}
                      | {"enum", "const", "uniqueItems", "exclusiveMinimum", "exclusiveMaximum"})


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def read_restrictions(ctx: Ctx, node: dict[str, Any], at: Cursor) -> Restrictions:
    """Restrictions of a schema/parameter node. 3.1 numeric exclusiveMinimum/Maximum become
    minimum/maximum with the exclusive flag (the tighter of the two bounds is kept)."""
    r = Restrictions()
    if _KEYWORDS.isdisjoint(node):
        return r
    _numbers(ctx, r, node, at)
    for key, attr in _TEXTS:
        value = node.get(key)
        if isinstance(value, (str, int, float)) and not isinstance(value, bool):
            setattr(r, attr, str(value))
    _enum(ctx, r, node, at)
    if isinstance(node.get("uniqueItems"), bool):
        r.unique_items = node["uniqueItems"]
    _exclusive(r, node, "exclusiveMinimum", "minimum", "exclusive_minimum", low=True)
    _exclusive(r, node, "exclusiveMaximum", "maximum", "exclusive_maximum", low=False)
    return r


def _numbers(ctx: Ctx, r: Restrictions, node: dict[str, Any], at: Cursor) -> None:
    for key, attr in (*_INTS, *_NUMBERS):
        if key not in node:
            continue
        value = node[key]
        if not _is_number(value):
            ctx.repaired(at.child(key), f"{key} {literal(value)} is not a number; ignored")
        elif (key, attr) in _INTS and not float(value).is_integer():
            ctx.repaired(at.child(key), f"{key} {literal(value)} is not an integer; ignored")
        else:
            setattr(r, attr, int(value) if (key, attr) in _INTS else value)


def _enum(ctx: Ctx, r: Restrictions, node: dict[str, Any], at: Cursor) -> None:
    if "enum" in node:
        values = node["enum"]
        if isinstance(values, list):
            r.enum = [plain(v, at) for v in values]
        else:
            ctx.repaired(at.child("enum"), "enum is not a list; read as a one-value enum")
            r.enum = [plain(values, at)]
    if "const" in node:
        const = plain(node["const"], at)
        # enum and const together allow the values in both: const if enum lists it, else none
        if r.enum is not None and const not in r.enum:
            ctx.repaired(at.child("const"), f"const {literal(const)} is not among the enum values; no value is "
                         "valid here, read as the const alone")
        r.enum = [const]


def _exclusive(r: Restrictions, node: dict[str, Any], key: str, bound: str, flag: str, low: bool) -> None:
    value = node.get(key)
    if isinstance(value, bool):
        if value:  # false is the same as absent
            setattr(r, flag, True)
        return
    if not _is_number(value):
        return
    current = getattr(r, bound)
    tighter = current is None or (value >= current if low else value <= current)
    if tighter:  # 3.1 form: the bound itself, exclusive
        setattr(r, bound, value)
        setattr(r, flag, True)
