"""Spec data as the validators see it: plain JSON (YAML dates and times become ISO strings).
Shared by the library-backed check and the compiled fast path (a leaf: it imports neither)."""

from __future__ import annotations

import json
from typing import Any


def json_normal(data: Any) -> Any:
    """The JSON view of YAML data (integer keys such as response codes become strings, dates
    become ISO strings), as openapi-spec-validator sees a file it reads itself."""
    return json.loads(json_text(data))


def json_text(data: Any) -> str:
    """``data`` as JSON text (the serialisation ``json_normal`` reads back)."""
    return json.dumps(data, default=_iso)


def json_view(data: Any) -> tuple[str, Any]:
    """``data`` as JSON text and read back (``json_normal``), made once for the fast check and
    the library (the cyclic collector paused: reading back makes only acyclic containers)."""
    from migrate.core.gcpause import collector_paused

    with collector_paused():
        text = json_text(data)
        return text, json.loads(text)


def _iso(value: Any) -> str:
    iso = getattr(value, "isoformat", None)
    if iso is None:
        raise TypeError(f"{type(value).__name__} is not JSON data")
    return str(iso())
