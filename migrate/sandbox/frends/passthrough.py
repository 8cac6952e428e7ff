"""Frends sandbox: API passthrough configurations of one specification version (seed 000:546-793).

Stored and served as DtoApiPassthrough (id, apiVersionId, modifier, modified, path, method,
isDefault, corsEnabled, targetUrl, headers, allowedOrigins). A create accepts the documented create
body (000:614-671), an update only corsEnabled, allowedOrigins, targetUrl and headers (000:692-733):
members the documented bodies do not have are refused."""

from __future__ import annotations

import copy
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

import migrate.sandbox.frends.state as st
from migrate.sandbox.responses import HTTPProblem, json_response, path_int, read_json
from migrate.sandbox.store import Store

PATH = "/{sid:int}/{ver:int}/api-passthrough"
UPDATE_FIELDS = frozenset({"corsEnabled", "allowedOrigins", "targetUrl", "headers"})
CREATE_FIELDS = UPDATE_FIELDS | {"path", "method", "isDefault"}
TARGET_FIELDS = ("server", "basePath", "operationPath", "query")
HEADER_FIELDS = ("action", "name", "value")
Handler = Callable[[Request], Awaitable[Response]]


def passthrough_routes(store: Store) -> list[tuple[str, Handler, str]]:
    h = Passthrough(store)
    return [(PATH, h.list, "GET"), (PATH, h.create, "POST"),
            (PATH + "/{pid:int}", h.update, "PUT"), (PATH + "/{pid:int}", h.delete, "DELETE")]


def _bad(detail: str) -> HTTPProblem:
    return HTTPProblem(400, "Bad Request", detail)


def _strings(value: Any, fields: tuple[str, ...], what: str) -> dict[str, str]:
    """An object of string members (absent ones as empty strings)."""
    if not isinstance(value, dict) or set(value) - set(fields):
        raise _bad(f"{what} must be an object with members {', '.join(fields)}")
    if any(v is not None and not isinstance(v, str) for v in value.values()):
        raise _bad(f"the members of {what} must be strings")
    return {k: value.get(k) or "" for k in fields}


def check_body(body: Any, allowed: frozenset[str]) -> dict[str, Any]:
    """The documented members of a create or update body, with their types checked."""
    if not isinstance(body, dict):
        raise _bad("the body must be a passthrough configuration object")
    unknown = sorted(set(body) - allowed)
    if unknown:
        raise _bad(f"not members of this body: {', '.join(unknown)}")
    for key in ("corsEnabled", "isDefault"):
        if key in body and not isinstance(body[key], bool):
            raise _bad(f"{key} must be a boolean")
    checked = dict(body)
    if "targetUrl" in body:
        checked["targetUrl"] = _strings(body["targetUrl"], TARGET_FIELDS, "targetUrl")
    if "headers" in body:
        if not isinstance(body["headers"], list):
            raise _bad("headers must be an array")
        checked["headers"] = [_strings(h, HEADER_FIELDS, "a header") for h in body["headers"]]
    if "allowedOrigins" in body:  # nullable (000:626-627)
        origins = body["allowedOrigins"]
        if origins is not None and not (isinstance(origins, list) and all(isinstance(o, str) for o in origins)):
            raise _bad("allowedOrigins must be an array of strings")
        checked["allowedOrigins"] = origins or []
    return checked


def new_config(body: dict[str, Any], pid: int, version_id: int) -> dict[str, Any]:
    """A DtoApiPassthrough with every member (path and method are not used when isDefault)."""
    return {"id": pid, "apiVersionId": version_id, "modifier": st.MODIFIER, "modified": st.now(),
            "path": body.get("path") or "", "method": str(body.get("method") or "").upper(),
            "isDefault": bool(body.get("isDefault")), "corsEnabled": bool(body.get("corsEnabled")),
            "targetUrl": body.get("targetUrl") or dict.fromkeys(TARGET_FIELDS, ""),
            "headers": body.get("headers") or [], "allowedOrigins": body.get("allowedOrigins") or []}


def copy_configs(store: Store, configs: dict[str, Any], version_id: int) -> dict[str, Any]:
    """The configurations of a newly published version: copies with new ids (x-sandbox-decisions)."""
    copied = {}
    for old in configs.values():
        pid = store.next_id(st.V, "passthrough")
        copied[str(pid)] = {**copy.deepcopy(old), "id": pid, "apiVersionId": version_id}
    return copied


class Passthrough:
    def __init__(self, store: Store) -> None:
        self.store = store

    def version(self, request: Request) -> dict[str, Any]:
        spec = st.get_spec(self.store, path_int(request, "sid"))
        return st.get_version(spec, path_int(request, "ver"))

    def config(self, request: Request) -> dict[str, Any]:
        found = self.version(request)["passthrough"].get(str(path_int(request, "pid")))
        if found is None:
            raise HTTPProblem(404, "Not Found", "API passthrough configuration not found")
        return found

    async def list(self, request: Request) -> Response:
        configs = list(self.version(request)["passthrough"].values())
        return json_response({"data": sorted(configs, key=lambda c: (c["path"], c["method"], c["id"]))})

    async def create(self, request: Request) -> Response:
        version = self.version(request)
        body = check_body(await read_json(request), CREATE_FIELDS)
        if not body.get("isDefault") and not (body.get("path") and body.get("method")):
            raise _bad("path and method are required unless isDefault is true")
        pid = self.store.next_id(st.V, "passthrough")
        version["passthrough"][str(pid)] = new_config(body, pid, version["versionId"])
        return Response(status_code=201)  # seed 000:635-673: no content, and no Location either

    async def update(self, request: Request) -> Response:
        config = self.config(request)
        config.update(check_body(await read_json(request), UPDATE_FIELDS), modifier=st.MODIFIER, modified=st.now())
        return json_response({"data": config})

    async def delete(self, request: Request) -> Response:
        self.config(request)
        del self.version(request)["passthrough"][str(path_int(request, "pid"))]
        return Response(status_code=204)
