"""Which format a spec is in, from its content: Swagger 2.0, OpenAPI 3.0/3.1 or RAML 0.8."""

from __future__ import annotations

import re
from typing import Any

from migrate.core.errors import ReadError, UnsupportedFormatError

_RAML_HEADER = re.compile(r"#%RAML[ \t]+(\S+)")


def detect(text: str, name: str) -> tuple[str, str]:
    """Return (format, version) from content: ("swagger", "2.0"), ("openapi", "3.x.y"), ("raml", "0.8").

    Raises ``UnsupportedFormatError`` for RAML 1.0 and unknown documents.
    """
    first = text.lstrip("\ufeff").split("\n", 1)[0].strip()
    match = _RAML_HEADER.match(first)
    if match:
        if match.group(1) == "0.8":
            return "raml", "0.8"
        raise UnsupportedFormatError(name, f"RAML {match.group(1)} is not supported (only RAML 0.8)", line=1)
    head = text[:4096]
    m = re.search(r"""^\s*["']?swagger["']?\s*:\s*["']?([0-9.]+)""", head, re.M)
    if m:
        return "swagger", m.group(1)
    m = re.search(r"""^\s*["']?openapi["']?\s*:\s*["']?([0-9][0-9.]*)""", head, re.M)
    if m:
        return "openapi", m.group(1)
    return "", ""


def detect_data(data: Any, name: str) -> tuple[str, str]:
    """Detection on parsed data, for documents whose version key is not near the top."""
    if not isinstance(data, dict):
        kind = "empty" if data is None else type(data).__name__
        raise ReadError(name, f"top level is {kind}, not a mapping")
    if "swagger" in data:
        version = str(data["swagger"])
        if version != "2.0":
            raise UnsupportedFormatError(
                name, f"Swagger {version} is not supported (only 2.0)", pointer="/swagger"
            )
        return "swagger", version
    if "openapi" in data:
        version = str(data["openapi"])
        if not re.match(r"3\.[01](\.\d+)?$", version):
            raise UnsupportedFormatError(
                name, f"OpenAPI {version} is not supported (2.0, 3.0 and 3.1 are)", pointer="/openapi"
            )
        return "openapi", version
    raise UnsupportedFormatError(
        name, "unknown format: not Swagger 2.0 (swagger: \"2.0\"), OpenAPI 3.x (openapi: 3.x) or #%RAML 0.8"
    )
