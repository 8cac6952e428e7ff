"""Shared state of one OpenAPI/Swagger read: the resolver, the report and lenient accessors."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from migrate.core.diagnostics import Code, Report
from migrate.core.errors import ReadError
from migrate.readers.openapi.refs import Cursor, Resolver

#: Deepest nesting copied into ``extensions`` (x- values are plain data; a cycle through YAML
#: aliases is refused when the file is loaded, ``source.load.check_expansion``).
MAX_PLAIN_DEPTH = 200


@dataclass
class Ctx:
    """One read. ``swagger``: the document is Swagger 2.0; ``v31``: OpenAPI 3.1."""

    resolver: Resolver
    swagger: bool
    v31: bool
    report: Report = field(default_factory=Report)
    consumes: list[str] = field(default_factory=list)
    produces: list[str] = field(default_factory=list)
    schemas: Any = None  # migrate.readers.openapi.schema.SchemaReader, set by the reader

    def repaired(self, at: Cursor, message: str) -> None:
        self.report.report(Code.SOURCE_VALUE_REPAIRED, at.shown, message)

    def ignored(self, at: Cursor, message: str) -> None:
        self.report.report(Code.SOURCE_FEATURE_IGNORED, at.shown, message)

    def invalid(self, at: Cursor, message: str) -> None:
        """Broken structure: an error, so ``convert``/``batch`` fail and ``push`` refuses, while
        ``inspect`` still shows what could be read."""
        self.report.report(Code.SPEC_INVALID, at.shown, message)

    def mapping(self, value: Any, at: Cursor, what: str) -> dict[str, Any]:
        """``value`` if it is a mapping; otherwise ``{}`` and an error-level diagnostic."""
        if isinstance(value, dict):
            return value
        if value is not None:
            self.invalid(at, f"{what} is {json_kind(value)}, not a mapping; it is not read")
        return {}

    def listing(self, value: Any, at: Cursor, what: str) -> list[Any]:
        if isinstance(value, list):
            return value
        if value is not None:
            self.invalid(at, f"{what} is {json_kind(value)}, not a list; it is not read")
        return []

    def deref(self, node: Any, at: Cursor) -> tuple[Any, Cursor]:
        """Follow a non-schema ``$ref`` (parameter, response, path item ...) to its node."""
        if isinstance(node, dict) and "$ref" in node:
            if not isinstance(node["$ref"], str):
                self.repaired(at, "$ref is not a string; the node is read as it stands")
                return node, at
            return self.resolver.follow(node, at)
        return node, at

    def text(self, value: Any) -> str | None:
        if value is None or isinstance(value, (dict, list)):
            return None
        return str(value)

    def strings(self, value: Any, at: Cursor, what: str) -> list[str]:
        return [str(v) for v in self.listing(value, at, what) if isinstance(v, (str, int, float))]


def json_kind(value: Any) -> str:
    """The kind of a parsed value as the spec's author sees it: ``a number``, ``a string`` ..."""
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    kinds = {str: "a string", list: "a list", dict: "a mapping", type(None): "null"}
    return kinds.get(type(value), f"a {type(value).__name__} value")


def extensions(node: dict[str, Any], at: Cursor) -> dict[str, Any]:
    """The ``x-`` keys of ``node`` as plain data."""
    out: dict[str, Any] = {}
    for key, value in node.items():
        if isinstance(key, str) and key.startswith("x-"):
            out[key] = plain(value, at)
    return out


def plain(value: Any, at: Cursor, depth: int = 0) -> Any:
    """A JSON-safe copy of parsed data (keys as strings, dates as ISO text)."""
    if depth > MAX_PLAIN_DEPTH:
        raise ReadError(at.doc, f"value nests deeper than {MAX_PLAIN_DEPTH} levels", pointer=at.ptr)
    if isinstance(value, dict):
        return {str(k): plain(v, at, depth + 1) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v, at, depth + 1) for v in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)
