"""The XML form of Akana's API object (``application/xml`` / ``vnd.soa.*+xml``) read into the JSON
form's dict: the payload ``akana.xml`` and XML answers. Akana shows no XML sample (akana.yaml,
info.x-silent), so this follows the emitter's XML form: elements carry the JSON names, arrays are
repeated elements, ``Endpoints``/``Operations``/``Policies`` stay objects even when empty, the
documented booleans are booleans. DOCTYPE/ENTITY declarations are refused (no entity expansion)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import Any

#: elements that are lists in the JSON form even when they occur once
LIST_TAGS = frozenset({"Tag", "Endpoint", "Operation", "Input", "Policy", "ConnectionProperties"})
#: wrapper element -> the list it holds
WRAPPERS = {"Endpoints": "Endpoint", "Operations": "Operation", "Policies": "Policy"}
BOOLEANS = frozenset({"ProductionEndpointAccessAutoApproved", "SandboxEndpointAccessAutoApproved",
                      "ProductionAnonymousAccessAllowed", "SandboxAnonymousAccessAllowed",
                      "ResourceLevelPermissionsSupported"})


def parse_api_xml(raw: bytes) -> dict[str, Any]:
    """The root element's children as a dict; ValueError when not well-formed or unsafe."""
    if re.search(rb"<!\s*(DOCTYPE|ENTITY)", raw, re.I):
        raise ValueError("DOCTYPE and ENTITY declarations are not accepted")
    try:
        root = ET.fromstring(raw)
    except ET.ParseError as exc:
        raise ValueError(f"malformed XML: {exc}") from None
    return _children(root)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _children(node: ET.Element) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for child in node:
        key = _local(child.tag)
        value = _children(child) if len(child) or key in WRAPPERS else _text(key, child)
        if key in LIST_TAGS:
            result.setdefault(key, []).append(value)
        else:
            result[key] = value
    if _local(node.tag) in WRAPPERS:
        result.setdefault(WRAPPERS[_local(node.tag)], [])
    return result


def _text(key: str, node: ET.Element) -> Any:
    text = (node.text or "").strip()
    return {"true": True, "false": False}.get(text, text) if key in BOOLEANS else text
