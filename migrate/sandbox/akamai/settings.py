"""Akamai sandbox: a version's settings (cache, GZIP, CORS, JWT, API privacy; akamai.json
``/endpoints/{apiEndPointId}/versions/{versionNumber}/settings/*``, GET and PUT).

A PUT body the contract accepts is kept as sent and returned by the GET. What a version that was
never configured answers is not documented (akamai.json lists 200, 400, 403 and 404; the
descriptions say "the settings configured for an endpoint version"): the sandbox's decision is a
404 problem saying that nothing is configured, rather than inventing defaults. A clone starts
with none. An activated (locked) version refuses a PUT with 403, as its definition does."""

from __future__ import annotations

import copy
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

import migrate.sandbox.akamai.state as st
from migrate.sandbox.akamai.versions import VERSION, Handler, VersionHandlers
from migrate.sandbox.responses import HTTPProblem, json_response

KINDS = ("cache", "gzip", "cors", "jwt", "api-privacy")


def settings_routes(handlers: VersionHandlers) -> list[tuple[str, Handler, str]]:
    out: list[tuple[str, Handler, str]] = []
    for kind in KINDS:
        out.append((f"{VERSION}/settings/{kind}", _get(handlers, kind), "GET"))
        out.append((f"{VERSION}/settings/{kind}", _put(handlers, kind), "PUT"))
    return out


def _get(handlers: VersionHandlers, kind: str) -> Handler:
    async def get(request: Request) -> Response:
        _, version = handlers.version(request)
        held: dict[str, Any] | None = (version.get("settings") or {}).get(kind)
        if held is None:
            raise HTTPProblem(404, "Not Found", f"no {kind} settings are configured for this version")
        return json_response(held)

    return get


def _put(handlers: VersionHandlers, kind: str) -> Handler:
    async def put(request: Request) -> Response:
        _, version = handlers.version(request)
        if version["locked"]:
            raise HTTPProblem(403, "Forbidden", "this version was activated and can no longer be modified; clone it")
        body = await st.checked_body(request)
        version.setdefault("settings", {})[kind] = copy.deepcopy(body)
        return json_response(body)

    return put
