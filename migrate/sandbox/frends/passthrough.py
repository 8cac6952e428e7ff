"""Frends sandbox: API passthrough configurations of one specification version (seed 000)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

import migrate.sandbox.frends.state as st
from migrate.sandbox.responses import HTTPProblem, json_response, path_int, read_json
from migrate.sandbox.store import Store

PATH = "/{sid:int}/{ver:int}/api-passthrough"
Handler = Callable[[Request], Awaitable[Response]]


def passthrough_routes(store: Store) -> list[tuple[str, Handler, str]]:
    h = Passthrough(store)
    return [(PATH, h.list, "GET"), (PATH, h.create, "POST"),
            (PATH + "/{pid:int}", h.update, "PUT"), (PATH + "/{pid:int}", h.delete, "DELETE")]


def check_config(body: Any, creating: bool) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise HTTPProblem(400, "Bad Request", "the body must be a passthrough configuration object")
    for key in ("corsEnabled", "isDefault"):
        if key in body and not isinstance(body[key], bool):
            raise HTTPProblem(400, "Bad Request", f"{key} must be a boolean")
    if creating and not body.get("isDefault") and not (body.get("path") and body.get("method")):
        raise HTTPProblem(400, "Bad Request", "path and method are required unless isDefault is true")
    return body


class Passthrough:
    def __init__(self, store: Store) -> None:
        self.store = store

    def configs(self, request: Request) -> dict[str, Any]:
        spec = st.get_spec(self.store, path_int(request, "sid"))
        return st.get_version(spec, path_int(request, "ver"))["passthrough"]

    def config(self, request: Request) -> dict[str, Any]:
        found = self.configs(request).get(str(path_int(request, "pid")))
        if found is None:
            raise HTTPProblem(404, "Not Found", "no such passthrough configuration")
        return found

    async def list(self, request: Request) -> Response:
        configs = self.configs(request)
        return json_response({"data": [configs[k] for k in sorted(configs, key=int)]})

    async def create(self, request: Request) -> Response:
        configs = self.configs(request)
        body = check_config(await read_json(request), creating=True)
        pid = self.store.next_id(st.V, "passthrough")
        configs[str(pid)] = {**body, "id": pid, "apiVersionId": path_int(request, "ver")}
        return Response(status_code=201, headers={"Location": f"{request.url.path}/{pid}"})

    async def update(self, request: Request) -> Response:
        config = self.config(request)
        body = check_config(await read_json(request), creating=False)
        config.update({k: v for k, v in body.items() if k not in ("id", "apiVersionId")})
        return json_response({"data": config})

    async def delete(self, request: Request) -> Response:
        self.config(request)
        del self.configs(request)[str(path_int(request, "pid"))]
        return Response(status_code=204)
