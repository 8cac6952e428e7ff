"""Whether an Akana legacy ``POST /api/apis`` body (``akana.json``) says what a source fact says,
read from the body's documented shape (seeds/003_ba8d2638a43b2439.txt, migrate/push/contracts/akana.yaml:
API, APIVersion, TargetAPI, Endpoints, Operations, Operation, Input), not from the emitter.

What the body can say (targets.yaml, ``akana``):

- ``APIVersion.Operations.Operation[]``: ``Method`` and ``Path`` of each operation the platform
  serves, and ``Input[]``: ``Name`` and ``Type`` (path, query or header) of each parameter.
  ``TargetAPI.Operations`` is the next hop's copy; an operation counts as carried only when both
  list it. A path template ``{name}`` is the same one-segment variable as OpenAPI's (the samples
  write ``/pet/{petId}``). An Input has no required flag and no type: a path Input is required by
  being a segment of the path, any other Input may be sent or not (so an optional parameter is
  carried as optional, a required one is not).
- ``TargetAPI.Endpoints.Endpoint[].Uri``: the backend, one concrete URL (no variables), so a
  server is carried when its URL (each variable at its default) is a Uri, and a server variable
  only when its one allowed value is that default.
- Nothing for serialisation, enum, restrictions, responses (only content types) or security
  requirements (those are policies): each such fact must be reported.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import Any

from tests.fidelity.carried import renamed
from tests.fidelity.facts import Fact

Doc = dict[str, Any]


def _operations(owner: Any) -> list[dict[str, Any]]:
    ops = ((owner or {}).get("Operations") or {}).get("Operation") if isinstance(owner, dict) else None
    return [op for op in ops or [] if isinstance(op, dict)]


def _served(doc: Doc) -> list[dict[str, Any]]:
    """The operations the version serves that the target API also lists (same Method and Path)."""
    version = doc.get("APIVersion") or {}
    backend = {(op.get("Method"), op.get("Path")) for op in _operations(version.get("TargetAPI"))}
    return [op for op in _operations(version) if (op.get("Method"), op.get("Path")) in backend]


def _paths(doc: Doc) -> list[str]:
    return list(dict.fromkeys(str(op.get("Path")) for op in _served(doc)))


def _operation(doc: Doc, path: str, method: str) -> dict[str, Any] | None:
    paths = _paths(doc)
    wanted = path if path in paths else renamed(path, paths)
    return next((op for op in _served(doc) if op.get("Path") == wanted and op.get("Method") == method), None)


def _input(doc: Doc, key: tuple[Any, ...]) -> dict[str, Any] | None:
    op = _operation(doc, key[0], key[1]) or {}
    return next((i for i in op.get("Input") or [] if isinstance(i, dict) and i.get("Name") == key[2]
                 and i.get("Type") == key[3]), None)


def _backends(doc: Doc) -> set[str]:
    target = (doc.get("APIVersion") or {}).get("TargetAPI") or {}
    endpoints = (target.get("Endpoints") or {}).get("Endpoint") or []
    return {str(e.get("Uri", "")).rstrip("/") for e in endpoints if isinstance(e, dict)}


def _server(doc: Doc, fact: Fact) -> bool:
    if fact.kind == "server":
        return str(fact.value).rstrip("/") in _backends(doc)
    # a concrete URL holds a variable only when the variable has one value (its default) and the
    # server's URL is a Uri with it (the server's other variables at any value)
    (template, name), (default, enum) = fact.key, fact.value
    parts = re.split(r"(\{[^{}]*\})", template)
    pattern = "".join(re.escape(default) if part == f"{{{name}}}" else "[^/]*" if part.startswith("{")
                      else re.escape(part) for part in parts)
    return list(enum) == [default] and any(re.fullmatch(pattern, uri) for uri in _backends(doc))


def akana_carried(doc: Doc, fact: Fact) -> bool:
    if fact.kind == "path":
        return fact.key[0] in _paths(doc)
    if fact.kind == "operation":
        return _operation(doc, *fact.key) is not None
    if fact.kind == "server":
        return _server(doc, fact)
    if fact.kind in ("parameter", "required"):
        found = _input(doc, fact.key)
        if found is None:
            return False
        return fact.kind == "parameter" or bool(fact.value) == (fact.key[3] == "path")
    return False  # serialisation, enum, restrictions, responses, security: the body has no place


#: elements that repeat in the XML form (a JSON list there), and objects that may be empty
_LISTS = {"Operation", "Input", "Endpoint", "Policy", "Tag"}
_OBJECTS = {"APIVersion", "TargetAPI", "Endpoints", "Operations", "Policies"}


def akana_xml_body(root: ET.Element) -> Doc:
    """The XML form of the body (``application/xml``, the same element names as the JSON keys,
    repeated elements for lists) as the JSON shape the reader above reads."""
    def value(node: ET.Element) -> Any:
        if len(node) == 0:
            return {} if node.tag in _OBJECTS else node.text or ""
        out: dict[str, Any] = {}
        for child in node:
            if child.tag in _LISTS:
                out.setdefault(child.tag, []).append(value(child))
            else:
                out[child.tag] = value(child)
        return out

    body = value(root)
    return body if isinstance(body, dict) else {}
