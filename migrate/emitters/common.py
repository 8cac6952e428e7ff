"""What every emitter shares: source pointers of API-level fields, the XML character rule and
the parse-back of rendered output."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from typing import Any

from migrate.core.errors import EmitError
from migrate.core.model import Api

#: Characters outside XML 1.0's ``Char`` production (lone surrogates included): no XML document
#: can hold them, not even as character references. The ``xml`` template filter writes U+FFFD in
#: their place and emitters report each string that held one; both use this one pattern.
XML_INVALID = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_invalid_chars(value: str) -> list[str]:
    """The characters of ``value`` XML 1.0 cannot hold, as sorted ``U+XXXX`` names."""
    return sorted({f"U+{ord(ch):04X}" for ch in XML_INVALID.findall(value)})


def api_pointer(api: Api, field_name: str) -> str:
    """Pointer of an API-level field (the model's Api node carries no pointer of its own)."""
    raml = api.source is not None and api.source.format == "raml"
    if field_name == "tags":
        return "" if raml else "/tags"
    return f"/{field_name}" if raml else f"/info/{field_name}"


def server_pointer(api: Api, index: int) -> str:
    fmt = api.source.format if api.source else "openapi"
    if fmt == "raml":
        return "/baseUri"
    if fmt == "swagger":
        return "/host"
    return f"/servers/{index}"


def parse_back(text: str, fmt: str, target: str) -> Any:
    """Parse rendered output back, so a template bug surfaces as an EmitError, not a broken file."""
    try:
        if fmt == "xml":
            return ET.fromstring(text.encode("utf-8"))
        return json.loads(text)
    except (ValueError, ET.ParseError) as exc:
        raise EmitError(target, f"the rendered {fmt.upper()} does not parse: {exc}") from None
