"""The sandbox's own reading and writing of Akana's XML bodies (``application/xml``,
``application/vnd.soa.*+xml``). Akana documents the XML media types but shows no XML sample
(akana.yaml, info.x-silent "How XML bodies map to the JSON objects"), so elements carry the JSON
names: a JSON array is a run of repeated elements, an object that wraps one list (``Endpoints``,
``Operations``, ``Policies``) stays an object even when empty, and the documented booleans are
read as booleans. DOCTYPE and ENTITY declarations are refused (no entity expansion).

Written for the sandbox alone (house rule 12: it shares no code with the clients it tests)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import Any

#: element -> the repeated element it wraps (akana.yaml: Endpoints, Operations, Policies)
WRAPPERS = {"Endpoints": "Endpoint", "Operations": "Operation", "Policies": "Policy"}
#: elements that are JSON arrays (repeated elements)
REPEATED = frozenset({"Tag", "Endpoint", "Operation", "Input", "Policy", "ConnectionProperties", "Tags"})
#: elements whose text is a JSON boolean (akana.yaml, APIVersion and API)
BOOLEANS = frozenset({"ProductionEndpointAccessAutoApproved", "SandboxEndpointAccessAutoApproved",
                      "ProductionAnonymousAccessAllowed", "SandboxAnonymousAccessAllowed",
                      "ResourceLevelPermissionsSupported", "IsFollowed"})
_DECLARATION = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)


def read_xml(raw: bytes) -> tuple[str, dict[str, Any]]:
    """(root element name, its content as the JSON form's object); ValueError when the body is
    not well-formed, declares a DOCTYPE/ENTITY, or is not an object."""
    if _DECLARATION.search(raw):
        raise ValueError("DOCTYPE and ENTITY declarations are not accepted")
    try:
        root = ET.fromstring(raw)
    except ET.ParseError as exc:
        raise ValueError(f"malformed XML: {exc}") from None
    return _local(root.tag), _object(root)


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _object(node: ET.Element) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for child in node:
        name = _local(child.tag)
        value = _value(name, child)
        if name in REPEATED:
            out.setdefault(name, []).append(value)
        else:
            out[name] = value
    wrapped = WRAPPERS.get(_local(node.tag))
    if wrapped is not None:
        out.setdefault(wrapped, [])
    return out


def _value(name: str, node: ET.Element) -> Any:
    if len(node) or name in WRAPPERS:
        return _object(node)
    text = (node.text or "").strip()
    if name in BOOLEANS:
        return {"true": True, "false": False}.get(text, text)
    return text


def write_xml(root: str, data: dict[str, Any]) -> bytes:
    """``data`` as XML under ``root``: keys in sorted order, arrays as repeated elements, nulls left out."""
    element = ET.Element(root)
    _fill(element, data)
    return ET.tostring(element, encoding="utf-8", xml_declaration=True)


def _fill(parent: ET.Element, data: dict[str, Any]) -> None:
    for key in sorted(data):
        values = data[key] if isinstance(data[key], list) else [data[key]]
        for value in values:
            if value is None:
                continue
            child = ET.SubElement(parent, key)
            if isinstance(value, dict):
                _fill(child, value)
            else:
                child.text = ("true" if value else "false") if isinstance(value, bool) else str(value)
