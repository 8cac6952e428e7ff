"""Akamai apiParameters: path/query/header/cookie parameters and the body parameter tree.

A parameter becomes a plain view ``{"fields": {...}, "children": [...] | None}`` that the
templates format; ``children`` are the body tree's apiChildParameters (None: not a json/xml node),
already in payload form (each child: its fields, then its own ``apiChildParameters``), so a
template writes the whole tree with one ``tojson`` instead of one ``{% include %}`` per node.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from migrate.core.diagnostics import Code, Report, literal
from migrate.core.model import Parameter, Restrictions, Schema
from migrate.emitters.akamai.restrictions import Where, restriction
from migrate.emitters.common import serialisation

LOCATIONS = ("path", "query", "header", "cookie")
SCALARS = ("string", "integer", "number", "boolean")
BODY_TYPE = "json/xml"
#: nesting limit for body trees (keeps payloads bounded; see akamai_steps)
MAX_NESTING = 32

View = dict[str, Any]


def fields(name: str, location: str, ptype: str, required: bool, *, array: bool = False,
           notes: str | None = None, restriction_: dict[str, Any] | None = None,
           content_type: str | None = None) -> dict[str, Any]:
    """A parameter's members in the order of Akamai's Endpoint schema."""
    out: dict[str, Any] = {
        "apiParameterName": name,
        "apiParameterLocation": location,
        "apiParameterType": ptype,
        "apiParameterRequired": required,
        "array": array,
    }
    if notes:
        out["apiParameterNotes"] = notes
    if content_type is not None:
        out["apiParameterContentType"] = content_type
    if restriction_ is not None:
        out["apiParameterRestriction"] = restriction_
    return out


def _report_extras(where: Where, report: Report, *, default: Any = None, example: Any = None,
                   deprecated: bool = False, extensions: dict[str, Any] | None = None) -> None:
    if default is not None:
        where.report(report, Code.DEFAULT_DROPPED, f"default {literal(default)} has no place in Akamai")
    if example is not None:
        where.report(report, Code.EXAMPLE_DROPPED, "the example has no place in Akamai")
    if deprecated:
        where.report(report, Code.DEPRECATION_DROPPED, "Akamai cannot mark a parameter deprecated")
    for key in sorted(extensions or {}):
        if key.startswith("x-"):
            where.report(report, Code.EXTENSION_DROPPED, f"extension {key} is not carried over")
        else:  # a schema keyword the model keeps as it was (not, minProperties, discriminator, ...)
            where.report(report, Code.SCHEMA_FEATURE_DROPPED, f"keyword {literal(key)} is not checked by Akamai")


def parameter(p: Parameter, report: Report) -> View | None:
    """The view of a path/query/header/cookie parameter (None: left out, reported)."""
    where = Where(p.pointer, f"{p.location} parameter {literal(p.name)}")
    if p.location not in LOCATIONS:
        where.report(report, Code.PARAMETER_LOCATION_UNSUPPORTED, "Akamai has no parameters here; left out")
        return None
    ptype = p.type
    if ptype not in SCALARS:
        where.report(report, Code.PARAMETER_TYPE_UNSUPPORTED, f"type {literal(ptype)} is described as a string")
        ptype = "string"
    if p.schema is not None and p.schema.alternatives:
        where.report(report, Code.SCHEMA_FEATURE_DROPPED,
                     f"{p.schema.combinator or 'oneOf'} alternatives are not described")
    _report_extras(where, report, default=p.default, example=p.example, deprecated=p.deprecated,
                   extensions=p.extensions)
    if (p.style is not None or p.explode is not None) and not p.array:
        where.report(report, Code.COLLECTION_FORMAT_DROPPED, f"{serialisation(p)} is not expressible in Akamai; "
                     "how the value is written in the request is lost")
    rule = restriction(p.restrictions, ptype, where, report, array=p.array,
                       collection_format=p.collection_format)
    # Akamai: a path parameter must be required (apiParameterRequired description)
    required = True if p.location == "path" else p.required
    return {"fields": fields(p.name, p.location, ptype, required, array=p.array, notes=p.description,
                             restriction_=rule), "children": None}


def _report_schema(schema: Schema, where: Where, report: Report) -> None:
    if schema.nullable:
        where.report(report, Code.SCHEMA_FEATURE_DROPPED, "nullable is not expressible")
    if schema.additional_properties is True or isinstance(schema.additional_properties, Schema):
        where.report(report, Code.SCHEMA_FEATURE_DROPPED, "additionalProperties are not described")
    if schema.alternatives:
        where.report(report, Code.SCHEMA_FEATURE_DROPPED,
                     f"{schema.combinator or 'oneOf'} with {len(schema.alternatives)} alternatives is not "
                     "described (any JSON/XML value is accepted here)")
    if schema.title:
        where.report(report, Code.DESCRIPTION_DROPPED, f"title {literal(schema.title)} has no place in Akamai")
    if schema.read_only or schema.write_only:
        where.report(report, Code.SCHEMA_FEATURE_DROPPED, "readOnly/writeOnly is not expressible")
    own = {k: v for k, v in schema.extensions.items() if k != "x-cut-ref"}  # x-cut-ref: set by inline_refs
    _report_extras(where, report, default=schema.default, example=schema.example, extensions=own)


def _node_type(schema: Schema, where: Where, report: Report) -> str:
    if schema.type in SCALARS:
        return schema.type
    if schema.type in (None, "object"):
        if schema.type is None and not schema.properties and not schema.alternatives \
                and "x-cut-ref" not in schema.extensions:
            where.report(report, Code.SCHEMA_FEATURE_DROPPED, "an untyped value is described as JSON/XML")
        return BODY_TYPE
    where.report(report, Code.PARAMETER_TYPE_UNSUPPORTED, f"type {literal(schema.type)} is described as a string")
    return "string"


class BodyMemo:
    """apiChildParameters lists shared between equal body subtrees of one emit (one report).

    ``inline_refs`` with a memo shares the expansion of a named schema wherever it recurs, so the
    same schema node object is met many times; its children are built once per key and reused.
    The key holds all the list depends on: the node, the pointer its members fall back to, and,
    only where the MAX_NESTING cut can reach into it, the depth and the label of its messages. A
    reused list's diagnostics were reported when it was built (a report says each one once).
    """

    def __init__(self) -> None:
        self.children: dict[tuple[Any, ...], list[View]] = {}
        self._nesting: dict[int, int] = {}
        self._keep: list[Schema] = []  # keeps the keyed nodes alive, so their ids stay unique

    def key(self, node: Schema, depth: int, where: Where) -> tuple[Any, ...]:
        if depth + self.nesting(node) + 1 < MAX_NESTING:
            return id(node), where.pointer
        return id(node), where.pointer, depth, where.label

    def nesting(self, schema: Schema) -> int:
        """An upper bound of how many member levels lie below ``schema`` (items count as none)."""
        found = self._nesting.get(id(schema))
        if found is None:
            below = [1 + self.nesting(p.schema) for p in schema.properties]
            if schema.items is not None:
                below.append(self.nesting(schema.items))
            found = self._nesting[id(schema)] = max(below, default=0)
            self._keep.append(schema)
        return found


def _children(schema: Schema, depth: int, where: Where, report: Report, memo: BodyMemo | None) -> list[View]:
    if memo is None:
        return _new_children(schema, depth, where, report, None)
    key = memo.key(schema, depth, where)
    found = memo.children.get(key)
    if found is None:
        found = memo.children[key] = _new_children(schema, depth, where, report, memo)
    return found


def _new_children(schema: Schema, depth: int, where: Where, report: Report, memo: BodyMemo | None) -> list[View]:
    if depth >= MAX_NESTING:
        if schema.properties:
            where.report(report, Code.SCHEMA_FEATURE_DROPPED,
                         f"nested deeper than {MAX_NESTING} levels; the members below are not described")
        return []
    return [_entry(p.name, p.schema, p.required, depth + 1, report, where.pointer, memo=memo)
            for p in schema.properties]


def _entry(name: str, schema: Schema, required: bool, depth: int, report: Report,
           parent_pointer: str | None = None, content_type: str | None = None,
           memo: BodyMemo | None = None) -> View:
    """One body tree node in payload form: its fields, then ``apiChildParameters`` (json/xml nodes)."""
    where = Where(schema.pointer or parent_pointer, f"body member {literal(name)}" if depth else "request body")
    _report_schema(schema, where, report)
    array, node = schema.type == "array", schema
    if array:
        node = schema.items or Schema()
        if node.type == "array":
            where.report(report, Code.SCHEMA_FEATURE_DROPPED, "an array of arrays is described as an array of "
                         "JSON/XML values")
            node = Schema()
        elif node is not schema:
            _report_schema(node, Where(node.pointer or where.pointer, where.label + " items"), report)
    ptype = _node_type(node, where, report)
    limits = node.restrictions
    if array:
        limits = _with_items(node.restrictions, schema)
    rule = restriction(limits, ptype, where, report, array=array, xml=schema.xml)
    entry = fields(name, "body", ptype, required, array=array, notes=schema.description, restriction_=rule,
                   content_type=content_type)
    if ptype == BODY_TYPE:
        entry["apiChildParameters"] = _children(node, depth, where, report, memo)
    return entry


def body_node(name: str, schema: Schema, required: bool, depth: int, report: Report,
              parent_pointer: str | None = None, *, content_type: str | None = None,
              memo: BodyMemo | None = None) -> View:
    """The view of one body tree node (``depth`` 0: the top-level body parameter); its children
    are in payload form. With ``memo`` (one per report), equal subtrees share their children."""
    entry = _entry(name, schema, required, depth, report, parent_pointer, content_type, memo)
    children = entry.pop("apiChildParameters", None)
    return {"fields": entry, "children": children}


def _with_items(item: Restrictions, array: Schema) -> Restrictions:
    """The item restrictions plus the array's minItems/maxItems/uniqueItems."""
    r = array.restrictions
    return replace(item, min_items=r.min_items, max_items=r.max_items, unique_items=r.unique_items)
