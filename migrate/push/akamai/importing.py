"""Akamai's server-side import as a second opinion (seed 002 "Create an Endpoint from an API
Definition File"; akamai.json post-endpoints-file, its JSON form): upload the spec itself, read
the Endpoint object Akamai built from it (201) or its importResult (400: ``apiEndpointDetails``
and ``problems[]`` with pointers into the file), and compare that, field by field on the members
our conversion sets, with our own ``akamai.json``.

Akamai imports Swagger 2.0 and RAML 0.8 (the seed); one file, since the JSON form carries one
file's content (``root`` names a file inside a ZIP at an ``importUrl`` only). An OpenAPI 3 spec
would first have to be converted to Swagger 2.0, and api-migrate has no OpenAPI 2 emitter: such
a spec is refused with that reason, not converted by a stand-in."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field
from typing import Any

import jsonpatch

from migrate.core.errors import PushError
from migrate.emitters.akamai.importfile import import_format  # noqa: F401  (re-exported for compare)
from migrate.push.akamai.project import project


@dataclass
class Imported:
    """What Akamai's import made of the file: the Endpoint (or the details of a refused import),
    its problems, and the id of the endpoint it created (None when refused)."""

    endpoint: dict[str, Any]
    problems: list[dict[str, Any]] = field(default_factory=list)
    endpoint_id: int | None = None


@dataclass(frozen=True)
class Difference:
    """One line of a comparison: ``kind`` differs, ours-only or akamai-only; ``where`` a JSON
    pointer into the projected Endpoint object."""

    kind: str
    where: str
    ours: Any = None
    theirs: Any = None

    def render(self) -> str:
        if self.kind == "differs":
            return f"~ {self.where}: ours {_short(self.ours)}, Akamai's import {_short(self.theirs)}"
        if self.kind == "ours-only":
            return f"- {self.where}: only ours has {_short(self.ours)}"
        return f"+ {self.where}: only Akamai's import has {_short(self.theirs)}"

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "pointer": self.where, "ours": self.ours, "akamai": self.theirs}


def _short(value: Any, width: int = 100) -> str:
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return text if len(text) <= width else text[: width - 1] + "…"


def upload(call: Any, text: str, fmt: str, contract_id: Any, group_id: Any) -> Imported:
    """POST /endpoints/files with the file's content (BODY_BASE64)."""
    body = {"importFileFormat": fmt, "importFileSource": "BODY_BASE64",
            "importFileContent": base64.b64encode(text.encode("utf-8")).decode("ascii"),
            "contractId": contract_id, "groupId": group_id}
    try:
        answer = call("POST", "/endpoints/files", "import definition file", json=body)
    except PushError as exc:
        found = _import_result(exc)
        if found is None:
            raise
        return found
    made = answer.json()
    return Imported(made, [], made.get("apiEndPointId"))


def _import_result(exc: PushError) -> Imported | None:
    """The importResult of a 400 (application/json: apiEndpointDetails and problems[])."""
    body = exc.problem
    if exc.status != 400 or not isinstance(body, dict) or "problems" not in body:
        return None
    return Imported(dict(body.get("apiEndpointDetails") or {}), list(body.get("problems") or []))


def import_refused(exc: PushError) -> PushError:
    """Akamai's importResult (400: problems[] with pointers into the spec) as one message."""
    problems = exc.problem.get("problems") if isinstance(exc.problem, dict) else None
    if exc.status != 400 or not problems:
        return exc
    said = "; ".join(f"{p.get('pointer') or '/'}: {p.get('detail') or p.get('title')}" for p in problems[:5])
    more = f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""
    return PushError("akamai", f"Akamai's import refused the spec: {said}{more}", exc.status, exc.problem)


def compare(ours: dict[str, Any], theirs: dict[str, Any]) -> list[Difference]:
    """Where Akamai's import differs from our conversion, on the members our conversion sets."""
    mine, other = project(ours, ours), project(theirs, ours)
    out = []
    for op in jsonpatch.make_patch(mine, other).patch:
        where = readable(op["path"], *((other, mine) if op["op"] == "add" else (mine, other)))
        if op["op"] == "replace":
            out.append(Difference("differs", where, _at(mine, op["path"]), op["value"]))
        elif op["op"] == "add":
            out.append(Difference("akamai-only", where, None, op["value"]))
        elif op["op"] == "remove":
            out.append(Difference("ours-only", where, _at(mine, op["path"])))
        else:  # move/copy: shown as what each side has at the target
            out.append(Difference("differs", where, _at(mine, op["path"]), _at(other, op["path"])))
    return out


#: list members of the Endpoint object -> how an element is named in a readable pointer
NAMES = {"apiResources": lambda e: e.get("resourcePath"),
         "apiResourceMethods": lambda e: e.get("apiResourceMethod"),
         "apiParameters": lambda e: f"{e.get('apiParameterLocation')} {e.get('apiParameterName')}",
         "apiChildParameters": lambda e: e.get("apiParameterName")}


def readable(pointer: str, mine: Any, other: Any) -> str:
    """``/apiResources/0/apiResourceMethods/1/…`` as ``/apiResources[/items]/apiResourceMethods[GET]/…``
    (elements named from ``mine``, else ``other``)."""
    parts = pointer.split("/")[1:]
    out: list[str] = []
    here, there = mine, other
    for i, part in enumerate(parts):
        previous = parts[i - 1] if i else ""
        if previous in NAMES and part.isdigit():
            element = _index(here, int(part)) or _index(there, int(part)) or {}
            out[-1] += f"[{NAMES[previous](element)}]"
        else:
            out.append(part)
        here, there = _step(here, part), _step(there, part)
    return "/" + "/".join(out)


def _index(items: Any, i: int) -> dict[str, Any] | None:
    return items[i] if isinstance(items, list) and i < len(items) and isinstance(items[i], dict) else None


def _step(node: Any, part: str) -> Any:
    if isinstance(node, list) and part.isdigit():
        return node[int(part)] if int(part) < len(node) else None
    return node.get(part) if isinstance(node, dict) else None


def _at(document: Any, pointer: str) -> Any:
    import jsonpointer

    return jsonpointer.resolve_pointer(document, pointer, None)
