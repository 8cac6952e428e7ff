"""Facts of an OpenAPI 2.0 / 3.x source, read from the document itself as the OpenAPI
Specification defines it (not through the project's reader): paths, methods, parameters with
their location, required flag, serialisation (style/explode), enum and restrictions, servers and
their variables, response codes (default and ranges included) and security requirements.

Each fact has the pointer of the element in the user's file (a ``$ref``'d parameter: both the
referring place and the component) at which a diagnostic may name it. Parts reached through a
reference to another file are not read (``Facts.unchecked`` counts them).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

try:
    from yaml import CSafeLoader as Loader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as Loader  # type: ignore[assignment]

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
#: OpenAPI 3 "Style Values" defaults (3.0.3 and 3.1: form for query/cookie, simple otherwise)
DEFAULT_STYLE = {"query": "form", "cookie": "form", "path": "simple", "header": "simple"}
#: Swagger 2.0 collectionFormat -> the OpenAPI 3 (style, explode) it means (query/cookie | path/header)
COLLECTION = {"csv": ("form", False), "ssv": ("spaceDelimited", False), "pipes": ("pipeDelimited", False),
              "multi": ("form", True)}
RESTRICTIONS = ("minLength", "maxLength", "pattern", "minItems", "maxItems", "uniqueItems", "multipleOf",
                "format")


@dataclass(frozen=True)
class Fact:
    """``kind`` (a ``holds`` entry of targets.yaml), where it is (``key``), what it says
    (``value``) and the pointers at which a report may name it."""

    kind: str
    key: tuple[Any, ...]
    value: Any
    pointers: tuple[str, ...]
    #: what a target may need besides the value (a security requirement: per alternative, the
    #: (type, in, name) of each scheme it names, as the scheme's definition gives them)
    detail: Any = None


@dataclass
class Facts:
    items: list[Fact] = field(default_factory=list)
    unchecked: int = 0

    def add(self, kind: str, key: tuple[Any, ...], value: Any, *pointers: str, detail: Any = None) -> None:
        self.items.append(Fact(kind, key, value, tuple(dict.fromkeys(pointers)), detail))


def esc(token: Any) -> str:
    return str(token).replace("~", "~0").replace("/", "~1")


def load(path: Path) -> Any:
    return yaml.load(path.read_text(encoding="utf-8-sig"), Loader=Loader)


class Source:
    """One parsed document and its internal references."""

    def __init__(self, doc: dict[str, Any]) -> None:
        self.doc = doc
        self.v2 = str(doc.get("swagger", "")).startswith("2")

    def deref(self, node: Any, pointer: str) -> tuple[Any, str]:
        """Follow internal ``$ref``s; (None, pointer) for a reference this check does not read."""
        seen = 0
        while isinstance(node, dict) and isinstance(node.get("$ref"), str) and seen < 20:
            ref = node["$ref"]
            if not ref.startswith("#/"):
                return None, pointer
            node, pointer, seen = self._at(ref[1:]), ref[1:], seen + 1
        return node, pointer

    def _at(self, pointer: str) -> Any:
        node: Any = self.doc
        for token in pointer.lstrip("/").split("/"):
            token = token.replace("~1", "/").replace("~0", "~")
            node = node.get(token) if isinstance(node, dict) else None
        return node


def source_facts(doc: dict[str, Any]) -> Facts:
    src, facts = Source(doc), Facts()
    _servers(src, facts)
    _security(src, doc.get("security"), ("api",), "/security", facts)
    for path, item in (doc.get("paths") or {}).items():
        at = f"/paths/{esc(path)}"
        item, _ = src.deref(item, at)
        if not isinstance(item, dict):
            facts.unchecked += 1
            continue
        facts.add("path", (path,), path, at)
        for method in METHODS:
            if isinstance(item.get(method), dict):
                _operation(src, path, method, item, at, facts)
    return facts


def _operation(src: Source, path: str, method: str, item: dict[str, Any], at: str, facts: Facts) -> None:
    op, op_at = item[method], f"{at}/{method}"
    facts.add("operation", (path, method.upper()), True, op_at, at)
    params: dict[tuple[str, str], tuple[dict[str, Any], tuple[str, ...]]] = {}
    for owner, owner_at in ((item, at), (op, op_at)):  # operation-level ones override path-level ones
        for i, raw in enumerate(owner.get("parameters") or []):
            node, node_at = src.deref(raw, f"{owner_at}/parameters/{i}")
            if not isinstance(node, dict):
                facts.unchecked += 1
                continue
            params[(str(node.get("name")), str(node.get("in")))] = (node, (f"{owner_at}/parameters/{i}", node_at))
    for (name, where), (node, pointers) in params.items():
        if where in DEFAULT_STYLE:
            _parameter(src, (path, method.upper(), name, where), node, (*pointers, op_at), facts)
    for code, response in (op.get("responses") or {}).items():
        kind = "response-default" if str(code) == "default" else \
            "response-range" if str(code).upper().endswith("XX") else "response"
        response_at = f"{op_at}/responses/{esc(code)}"
        _, target_at = src.deref(response, response_at)  # a shared response is named at its component
        facts.add(kind, (path, method.upper(), str(code).upper() if kind != "response-default" else "default"),
                  True, response_at, target_at, op_at)
    if "security" in op:
        _security(src, op.get("security"), (path, method.upper()), f"{op_at}/security", facts, op_at)


def _parameter(src: Source, key: tuple[str, ...], node: dict[str, Any], pointers: tuple[str, ...],
               facts: Facts) -> None:
    facts.add("parameter", key, True, *pointers)
    facts.add("required", key, node.get("required") is True or key[3] == "path", *pointers)
    schema, schema_at = (node, pointers[-2]) if src.v2 else src.deref(node.get("schema"), f"{pointers[-2]}/schema")
    if not isinstance(schema, dict):
        return
    style, explode = _serialisation(src, node, schema, key[3])
    if style is not None:
        facts.add("style", key, style, *pointers, schema_at)
    if explode is not None:
        facts.add("explode", key, explode, *pointers, schema_at)
    values = _constraints(src, schema)
    if "enum" in values:
        facts.add("enum", key, values.pop("enum"), *pointers, schema_at)
    for name, value in values.items():
        facts.add("restriction", (*key, name), value, *pointers, schema_at)


def _serialisation(src: Source, node: dict[str, Any], schema: dict[str, Any], where: str) -> tuple[Any, Any]:
    """The (style, explode) the parameter is sent with; None where it says nothing that matters
    (a scalar in Swagger 2.0, or an OpenAPI 3 parameter that states neither)."""
    if src.v2:
        if schema.get("type") != "array":
            return None, None
        fmt = str(node.get("collectionFormat", "csv"))
        style, explode = COLLECTION.get(fmt, (fmt, False))
        if where in ("path", "header"):
            style = "simple" if fmt == "csv" else style
        return style, explode
    if "style" not in node and "explode" not in node:
        return None, None
    style = str(node.get("style", DEFAULT_STYLE[where]))
    return style, node.get("explode", style == "form") is True


def _constraints(src: Source, schema: dict[str, Any]) -> dict[str, Any]:
    """Enum and restrictions of a parameter (of its items for an array, as OpenAPI 2.0 writes them)."""
    out: dict[str, Any] = {}
    items, _ = src.deref(schema.get("items"), "") if schema.get("type") == "array" else (None, "")
    for holder in (schema, items if isinstance(items, dict) else {}):  # items mean something for arrays only
        if isinstance(holder.get("enum"), list):
            out.setdefault("enum", holder["enum"])
        elif "const" in holder:
            out.setdefault("enum", [holder["const"]])
        for name in RESTRICTIONS:
            if name in holder:
                out.setdefault(name, holder[name])
        for low, key in ((True, "minimum"), (False, "maximum")):
            bound = _bound(holder, key, low)
            if bound is not None:
                out.setdefault(key, bound)
    return out


def _bound(schema: dict[str, Any], key: str, low: bool) -> tuple[float, bool] | None:
    """(value, exclusive) of a lower or upper bound, in 2.0/3.0 (boolean flag) or 3.1 (number) form."""
    flag = "exclusiveMinimum" if low else "exclusiveMaximum"
    number = schema.get(key) if isinstance(schema.get(key), (int, float)) and not isinstance(schema.get(key), bool) \
        else None
    exclusive = schema.get(flag)
    if isinstance(exclusive, (int, float)) and not isinstance(exclusive, bool) \
            and (number is None or (exclusive >= number if low else exclusive <= number)):
        return float(exclusive), True
    if number is None:
        return None
    return float(number), exclusive is True


def _servers(src: Source, facts: Facts) -> None:
    doc = src.doc
    if src.v2:
        if "host" in doc or "basePath" in doc:
            base = str(doc.get("basePath") or "/")
            for scheme in doc.get("schemes") or [""]:
                url = f"{scheme}://{doc.get('host', '')}{base}" if scheme and doc.get("host") else \
                    f"//{doc['host']}{base}" if doc.get("host") else base
                facts.add("server", (url.rstrip("/") or "/",), url, "/host" if "host" in doc else "/basePath",
                          "/basePath", "/schemes")
        return
    for i, server in enumerate(doc.get("servers") or []):
        if not isinstance(server, dict) or not isinstance(server.get("url"), str):
            continue
        facts.add("server", (server["url"].rstrip("/") or "/",), _with_defaults(server), f"/servers/{i}")
        for name, var in (server.get("variables") or {}).items():
            if isinstance(var, dict):
                facts.add("server-variable", (server["url"].rstrip("/") or "/", name),
                          (str(var.get("default")), sorted(map(str, var.get("enum") or []))),
                          f"/servers/{i}/variables/{esc(name)}", f"/servers/{i}")


def _with_defaults(server: dict[str, Any]) -> str:
    """The server URL with each variable replaced by its default."""
    defaults = {str(n): str(v.get("default")) for n, v in (server.get("variables") or {}).items()
                if isinstance(v, dict)}
    return re.sub(r"\{([^{}]+)\}", lambda m: defaults.get(m.group(1), m.group(0)), str(server["url"]))


def _security(src: Source, value: Any, key: tuple[Any, ...], at: str, facts: Facts, *owner: str) -> None:
    if not isinstance(value, list):
        return
    names = sorted({str(n) for requirement in value if isinstance(requirement, dict) for n in requirement})
    definitions = "securityDefinitions" if src.v2 else "components/securitySchemes"
    schemes = (src.doc.get("securityDefinitions") if src.v2 else (src.doc.get("components") or {}).get(
        "securitySchemes")) or {}

    def scheme(name: str) -> tuple[str, str, str]:
        node = schemes.get(name) if isinstance(schemes, dict) else None
        node = node if isinstance(node, dict) else {}
        return str(node.get("type")), str(node.get("in")), str(node.get("name"))

    alternatives = [tuple(scheme(str(n)) for n in r) for r in value if isinstance(r, dict)]
    facts.add("security", key, names, at, *(f"{at}/{i}" for i in range(len(value))),
              *(f"/{definitions}/{esc(n)}" for n in names), *owner, detail=alternatives)
