"""Spec data as the validators see it: plain JSON (YAML dates and times become ISO strings).
Shared by the library-backed check and the compiled fast path (a leaf: it imports neither)."""

from __future__ import annotations

import json
from typing import Any

from migrate.core.exactjson import exact_dumps


def json_normal(data: Any) -> Any:
    """The JSON view of YAML data (integer keys such as response codes become strings, dates
    become ISO strings), as openapi-spec-validator sees a file it reads itself."""
    return json.loads(json_text(data))


def json_text(data: Any) -> str:
    """``data`` as JSON text (the serialisation ``json_normal`` reads back)."""
    return json.dumps(data, default=_iso)


def json_view(data: Any) -> tuple[str, Any]:
    """``data`` as JSON text and read back (``json_normal``), made once for the fast check and
    the library (the cyclic collector paused: reading back makes only acyclic containers).

    The text is orjson's where orjson writes and reads ``data`` as ``json`` does (``_compiled_view``),
    else ``json_text``. Its readers do not depend on which: they look for ``"$id"`` and ``"$ref"``
    members, written alike by both (orjson leaves non-ASCII unescaped and puts no space after ``:``)."""
    from migrate.core.gcpause import collector_paused

    with collector_paused():
        view = _compiled_view(data)
        if view is not None:
            return view
        text = json_text(data)
        return text, json.loads(text)


def _compiled_view(data: Any) -> tuple[str, Any] | None:
    """orjson's text of ``data`` and its reading, when equal to ``json_normal(data)``; else None.
    The rule is ``core.exactjson``'s; dates and subclasses go to ``_iso`` as they do with ``json``
    (a date compared with its text only costs the slower path)."""
    found = exact_dumps(data, _iso, read=True)
    return None if found is None else (found[0].decode("utf-8"), found[1])


def _iso(value: Any) -> str:
    iso = getattr(value, "isoformat", None)
    if iso is None:
        raise TypeError(f"{type(value).__name__} is not JSON data")
    return str(iso())
