"""The XML form of Akana's API object (``application/xml`` / ``vnd.soa.*+xml``): element trees to
dicts and back. DOCTYPE/ENTITY declarations are refused (no entity expansion)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import Any

#: elements that are lists in the JSON form even when they occur once
LIST_TAGS = frozenset({"Tag", "Endpoint", "Operation", "Input", "Policy", "ConnectionProperties"})


def parse_api_xml(raw: bytes) -> dict[str, Any]:
    """The root element's children as a dict; ValueError when not well-formed or unsafe."""
    if re.search(rb"<!(DOCTYPE|ENTITY)", raw, re.I):
        raise ValueError("DOCTYPE and ENTITY declarations are not accepted")
    try:
        root = ET.fromstring(raw)
    except ET.ParseError as exc:
        raise ValueError(f"malformed XML: {exc}") from None
    value = _element(root)
    return value if isinstance(value, dict) else {}


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _element(node: ET.Element) -> Any:
    children = list(node)
    if not children:
        text = (node.text or "").strip()
        return {"true": True, "false": False}.get(text, text)
    result: dict[str, Any] = {}
    for child in children:
        key, value = _local(child.tag), _element(child)
        if key in LIST_TAGS:
            result.setdefault(key, []).append(value)
        elif key in result:
            result[key] = [*result[key], value] if isinstance(result[key], list) else [result[key], value]
        else:
            result[key] = value
    return result


def to_xml(root_tag: str, data: dict[str, Any]) -> bytes:
    """Deterministic XML for a response (keys in sorted order, lists as repeated elements)."""
    root = ET.Element(root_tag)
    _fill(root, data)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def _fill(parent: ET.Element, data: dict[str, Any]) -> None:
    for key in sorted(data):
        values = data[key] if isinstance(data[key], list) else [data[key]]
        for value in values:
            child = ET.SubElement(parent, key)
            if isinstance(value, dict):
                _fill(child, value)
            elif value is not None:
                child.text = str(value).lower() if isinstance(value, bool) else str(value)
