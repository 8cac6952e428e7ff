"""Frends API management sandbox (``/api/v1/api-management/api-specifications``), seed 000: API key
auth, paged list, create/import (a base path used by another API is refused), update, versions,
publish, deploy to an Agent Group, passthrough configs, delete from an Agent Group."""

from __future__ import annotations

import copy
import secrets
from collections.abc import Awaitable, Callable

from starlette.applications import Starlette
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

import migrate.sandbox.frends.state as st
from migrate.sandbox.credentials import FrendsCredentials
from migrate.sandbox.frends.passthrough import passthrough_routes
from migrate.sandbox.responses import (
    HTTPProblem,
    int_param,
    json_response,
    page_of,
    path_int,
    problem_response,
    read_json,
)
from migrate.sandbox.store import Store

BASE = "/api/v1/api-management/api-specifications"
TYPE_BASE = "https://sandbox.frendsapp.invalid/problems"
Handler = Callable[[Request], Awaitable[Response]]


class FrendsSandbox:
    def __init__(self, store: Store, creds: FrendsCredentials) -> None:
        self.store = store
        self.creds = creds

    def app(self) -> Starlette:
        table: list[tuple[str, Handler, str]] = [
            ("", self.list_specs, "GET"),
            ("", self.create_spec, "POST"),
            ("/import", self.import_spec, "POST"),
            ("/{sid:int}", self.get_spec, "GET"),
            ("/{sid:int}", self.update_spec, "PUT"),
            ("/{sid:int}/publish", self.publish, "POST"),
            ("/{sid:int}/{ver:int}", self.get_version, "GET"),
            ("/{sid:int}/{ver:int}/deploy/{group:int}", self.deploy, "POST"),
            ("/{sid:int}/agent-group/{group:int}", self.delete_from_group, "DELETE"),
            *passthrough_routes(self.store),
        ]
        return Starlette(routes=[Route(BASE + path, self.guard(h), methods=[m]) for path, h, m in table])

    def guard(self, handler: Handler) -> Handler:
        async def guarded(request: Request) -> Response:
            try:
                self.check_key(request)
                return await handler(request)
            except HTTPProblem as problem:
                return problem_response(problem, TYPE_BASE, str(request.url.path))

        return guarded

    def check_key(self, request: Request) -> None:
        """Seed 000 sends the API key as the Authorization value; ``Bearer <key>`` is accepted too."""
        sent = request.headers.get("authorization", "")
        key = sent[7:] if sent.lower().startswith("bearer ") else sent
        if not key or not secrets.compare_digest(key.strip(), self.creds.api_key):
            raise HTTPProblem(401, "Unauthorized", "missing or wrong API key")

    async def list_specs(self, request: Request) -> Response:
        page = int_param(request, "PageNumber", 1)
        size = int_param(request, "PageSize", 30, high=200)
        items = [st.summary(s) for _, s in sorted(st.specs(self.store).items(), key=lambda kv: int(kv[0]))]
        last = max(1, -(-len(items) // size))

        def link(n: int) -> str | None:
            return str(request.url.replace_query_params(PageNumber=n, PageSize=size)) if 1 <= n <= last else None

        paging = {"currentPage": page, "pageSize": size, "totalCount": len(items), "firstPage": link(1),
                  "lastPage": link(last), "nextPage": link(page + 1), "previousPage": link(page - 1)}
        return json_response({"data": page_of(items, page, size), "paging": paging})

    async def create_spec(self, request: Request) -> Response:
        """Seed 000: the body is the specification as a JSON string."""
        body = await read_json(request)
        if not isinstance(body, str):
            raise HTTPProblem(400, "Bad Request", "the body must be the specification as a JSON string")
        return self._create(body, "body")

    async def import_spec(self, request: Request) -> Response:
        async with request.form() as form:
            upload = form.get("file")
            if not isinstance(upload, UploadFile):
                raise HTTPProblem(400, "Bad Request", "multipart field 'file' is required")
            raw = await upload.read()
            name = upload.filename or "file"
        return self._create(raw.decode("utf-8", "replace"), name)

    def _create(self, text: str, name: str) -> Response:
        meta = st.read_spec(text, name)
        st.check_base_path(self.store, meta["basePath"], None)
        spec = st.new_spec(self.store, meta, text)
        return json_response({"data": st.summary(spec)}, 201)

    async def get_spec(self, request: Request) -> Response:
        return json_response({"data": st.summary(st.get_spec(self.store, path_int(request, "sid")))})

    async def update_spec(self, request: Request) -> Response:
        spec = st.get_spec(self.store, path_int(request, "sid"))
        body = await read_json(request)
        if not isinstance(body, str):
            raise HTTPProblem(400, "Bad Request", "the body must be the specification as a JSON string")
        meta = st.read_spec(body, "body")
        if meta["basePath"] != spec["basePath"]:
            raise HTTPProblem(400, "Bad Request", f"the base path cannot be modified (it is {spec['basePath']})")
        spec.update(name=meta["name"], description=meta["description"])
        st.get_version(spec, spec["activeVersion"])["specification"] = body
        return Response(status_code=200)

    async def get_version(self, request: Request) -> Response:
        spec = st.get_spec(self.store, path_int(request, "sid"))
        version = st.get_version(spec, path_int(request, "ver"))
        data = {**st.summary(spec), "version": version["version"], "published": version["published"],
                "specification": version["specification"], "agentGroups": version["deployedTo"]}
        return json_response({"data": data})

    async def publish(self, request: Request) -> Response:
        """Seed 000: the active version is locked; a new active version is created."""
        spec = st.get_spec(self.store, path_int(request, "sid"))
        body = await read_json(request)
        active = st.get_version(spec, spec["activeVersion"])
        active["published"] = True
        active["changeDescription"] = body.get("changeDescription") if isinstance(body, dict) else None
        number = spec["activeVersion"] + 1
        fresh = st.new_version(number, active["specification"])
        fresh["passthrough"] = copy.deepcopy(active["passthrough"])
        spec["versions"][str(number)] = fresh
        spec["activeVersion"] = number
        return Response(status_code=200)

    async def deploy(self, request: Request) -> Response:
        spec = st.get_spec(self.store, path_int(request, "sid"))
        version = st.get_version(spec, path_int(request, "ver"))
        group = path_int(request, "group")
        if group not in st.AGENT_GROUPS:
            raise HTTPProblem(404, "Not Found", f"Agent Group {group} does not exist")
        if not version["published"]:
            raise HTTPProblem(400, "Bad Request", "only published versions can be deployed; publish first")
        for other in spec["versions"].values():
            if group in other["deployedTo"]:
                other["deployedTo"].remove(group)
        version["deployedTo"].append(group)
        if group not in spec["agentGroups"]:
            spec["agentGroups"].append(group)
        return Response(status_code=200)

    async def delete_from_group(self, request: Request) -> Response:
        """Seed 000: the default group last; deleting from it deletes the specification."""
        sid, group = path_int(request, "sid"), path_int(request, "group")
        spec = st.get_spec(self.store, sid)
        if group not in spec["agentGroups"]:
            raise HTTPProblem(404, "Not Found", f"API specification {sid} is not in Agent Group {group}")
        if group == st.DEFAULT_GROUP and len(spec["agentGroups"]) > 1:
            raise HTTPProblem(409, "Conflict", "delete it from every other Agent Group first")
        if group == st.DEFAULT_GROUP:
            del st.specs(self.store)[str(sid)]
        else:
            spec["agentGroups"].remove(group)
            for version in spec["versions"].values():
                version["deployedTo"] = [g for g in version["deployedTo"] if g != group]
        return Response(status_code=204)
