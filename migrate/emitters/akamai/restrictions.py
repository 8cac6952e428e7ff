"""Akamai apiParameterRestriction from model restrictions, reporting what Akamai cannot hold.

Akamai (Endpoint schema, apiParameterRestriction) has lengthRestriction, rangeRestriction
(integers), numberRangeRestriction, arrayRestriction and xmlConversionRule: no enum, pattern,
format, multipleOf or exclusive number bounds.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from migrate.core.diagnostics import Code, Report, literal
from migrate.core.model import Restrictions, Xml

COLLECTION_FORMATS = ("csv", "ssv", "tsv", "pipes", "multi")


@dataclass(frozen=True)
class Where:
    """The source element a restriction belongs to: its pointer and a name for messages."""

    pointer: str | None
    label: str

    def report(self, report: Report, code: Code, message: str) -> None:
        report.report(code, self.pointer, f"{self.label}: {message}")


def _drop_lost(r: Restrictions, where: Where, report: Report) -> None:
    if r.enum is not None:
        where.report(report, Code.ENUM_DROPPED, f"enum {literal(r.enum)} is not checked by Akamai")
    if r.pattern is not None:
        where.report(report, Code.PATTERN_DROPPED, f"pattern {literal(r.pattern)} is not checked by Akamai")
    if r.format is not None:
        where.report(report, Code.FORMAT_DROPPED, f"format {literal(r.format)} is not checked by Akamai")
    if r.multiple_of is not None:
        where.report(report, Code.MULTIPLE_OF_DROPPED, f"multipleOf {literal(r.multiple_of)} is not checked by Akamai")


def _length(r: Restrictions, ptype: str, where: Where, report: Report) -> dict[str, Any] | None:
    if r.min_length is None and r.max_length is None:
        return None
    if ptype != "string":
        where.report(report, Code.RESTRICTION_DROPPED, f"minLength/maxLength on a {ptype} is not kept")
        return None
    out = {"lengthMin": r.min_length, "lengthMax": r.max_length}
    return {k: v for k, v in out.items() if v is not None}


def _int_bound(value: float, exclusive: bool, lower: bool, where: Where, report: Report) -> int:
    """An inclusive integer bound with the same set of integer values."""
    if lower:
        bound = math.floor(value) + 1 if exclusive else math.ceil(value)
    else:
        bound = math.ceil(value) - 1 if exclusive else math.floor(value)
    if exclusive or bound != value:
        kind = "exclusiveMinimum" if lower and exclusive else "exclusiveMaximum" if exclusive else \
            "minimum" if lower else "maximum"
        where.report(report, Code.BOUND_ADJUSTED, f"{kind} {literal(value)} became the inclusive integer bound {bound}")
    return int(bound)


def _int_range(r: Restrictions, where: Where, report: Report) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if r.minimum is not None:
        out["rangeMin"] = _int_bound(r.minimum, bool(r.exclusive_minimum), True, where, report)
    if r.maximum is not None:
        out["rangeMax"] = _int_bound(r.maximum, bool(r.exclusive_maximum), False, where, report)
    return out


def _number_range(r: Restrictions, where: Where, report: Report) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value, exclusive, flag in (("numberRangeMin", r.minimum, r.exclusive_minimum, "exclusiveMinimum"),
                                        ("numberRangeMax", r.maximum, r.exclusive_maximum, "exclusiveMaximum")):
        if value is None:
            continue
        out[key] = value
        if exclusive:
            where.report(report, Code.RESTRICTION_DROPPED,
                         f"{flag} {literal(value)}: Akamai number ranges are inclusive; the bound is kept inclusive")
    return out


def _range(r: Restrictions, ptype: str, where: Where, report: Report) -> tuple[str, dict[str, Any]] | None:
    if r.minimum is None and r.maximum is None:
        return None
    if ptype == "integer":
        return "rangeRestriction", _int_range(r, where, report)
    if ptype == "number":
        return "numberRangeRestriction", _number_range(r, where, report)
    where.report(report, Code.RESTRICTION_DROPPED, f"minimum/maximum on a {ptype} is not kept")
    return None


def _array(r: Restrictions, array: bool, collection_format: str | None, where: Where,
           report: Report) -> dict[str, Any] | None:
    if not array:
        if r.min_items is not None or r.max_items is not None or r.unique_items is not None:
            where.report(report, Code.RESTRICTION_DROPPED, "minItems/maxItems/uniqueItems on a non-array")
        return None
    out: dict[str, Any] = {"minItems": r.min_items, "maxItems": r.max_items, "uniqueItems": r.unique_items}
    if collection_format in COLLECTION_FORMATS:
        out["collectionFormat"] = collection_format
    elif collection_format is not None:
        where.report(report, Code.COLLECTION_FORMAT_DROPPED,
                     f"serialisation {literal(collection_format)} is none of Akamai's collectionFormat values "
                     f"({', '.join(COLLECTION_FORMATS)}); how the array is written in the request is lost")
    return {k: v for k, v in out.items() if v is not None}


def xml_rule(xml: Xml | None) -> dict[str, Any] | None:
    if xml is None:
        return None
    out: dict[str, Any] = {"name": xml.name, "namespace": xml.namespace, "prefix": xml.prefix}
    out = {k: v for k, v in out.items() if v is not None}
    if xml.attribute:
        out["attribute"] = True
    if xml.wrapped:
        out["wrapped"] = True
    return out or None


def restriction(r: Restrictions, ptype: str, where: Where, report: Report, *, array: bool = False,
                collection_format: str | None = None, xml: Xml | None = None) -> dict[str, Any] | None:
    """The apiParameterRestriction object (None when empty). ``r`` holds the item restrictions and,
    for arrays, minItems/maxItems/uniqueItems."""
    _drop_lost(r, where, report)
    out: dict[str, Any] = {}
    length = _length(r, ptype, where, report)
    if length is not None:
        out["lengthRestriction"] = length
    ranged = _range(r, ptype, where, report)
    if ranged is not None:
        out[ranged[0]] = ranged[1]
    items = _array(r, array, collection_format, where, report)
    if items is not None:
        out["arrayRestriction"] = items
    rule = xml_rule(xml)
    if rule is not None:
        out["xmlConversionRule"] = rule
    return out or None
