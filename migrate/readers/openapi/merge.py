"""allOf merging of model schemas: properties, required flags and restrictions combined."""

from __future__ import annotations

from migrate.core.model import Property, Schema
from migrate.transforms import merge_restrictions


def merge_schema(into: Schema, part: Schema) -> None:
    """Merge ``part`` (an allOf member, references already followed) into ``into`` in place.

    Properties are united (a property named in both keeps the later schema and is required when
    either says so); restrictions follow allOf semantics (``merge_restrictions``); other fields
    are taken from ``part`` only where ``into`` has none.
    """
    _merge_properties(into, part.properties)
    into.restrictions = merge_restrictions(into.restrictions, part.restrictions)
    if into.type is None:
        into.type = part.type
    for name in ("title", "description", "items", "additional_properties", "default", "example", "xml"):
        if getattr(into, name) is None:
            setattr(into, name, getattr(part, name))
    if into.combinator is None and part.combinator is not None:
        into.combinator, into.alternatives = part.combinator, list(part.alternatives)
    into.nullable = into.nullable or part.nullable
    into.read_only = into.read_only or part.read_only
    into.write_only = into.write_only or part.write_only
    into.extensions = {**part.extensions, **into.extensions}


def _merge_properties(into: Schema, extra: list[Property]) -> None:
    index = {p.name: i for i, p in enumerate(into.properties)}
    merged = list(into.properties)
    for prop in extra:
        at = index.get(prop.name)
        if at is None:
            index[prop.name] = len(merged)
            merged.append(Property(prop.name, prop.schema, prop.required))
        else:
            old = merged[at]
            schema = prop.schema if _says_more(prop.schema, old.schema) else old.schema
            merged[at] = Property(prop.name, schema, old.required or prop.required)
    into.properties = merged


def _says_more(new: Schema, old: Schema) -> bool:
    """The later allOf member wins unless it is an untyped placeholder (``{}``) for the property."""
    return not (new.ref is None and new.type is None and not new.properties and new.combinator is None
                and new.items is None)
