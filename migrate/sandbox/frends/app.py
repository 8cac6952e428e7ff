"""Frends Platform API sandbox (``/api/v1``), serving ``migrate/push/contracts/frends.yaml`` and
nothing more: API specifications (seed 000: paged list, create/import refusing a base path already
used, update, versions, publish, deploy to an Agent Group, delete from an Agent Group, passthrough
configurations, process templates), Processes (seed 001: list, get, delete, export, batch export and
import) and Process deployments (Platform API reference).

Every specification a client sees is DtoApiSpecification: id, name, activeVersion, description;
never its text, whether a version is published, or where it is deployed. Errors are
application/problem+json with the statuses the contract's x-decision entries give (401, 400, 404,
409). Only ``Authorization: Bearer <token>`` is accepted (info.x-auth-note)."""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.applications import Starlette
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

import migrate.sandbox.frends.state as st
from migrate.sandbox.credentials import FrendsCredentials
from migrate.sandbox.frends.paging import by_name, paged
from migrate.sandbox.frends.passthrough import copy_configs, passthrough_routes
from migrate.sandbox.frends.process_files import file_routes
from migrate.sandbox.frends.processes import process_routes
from migrate.sandbox.frends.templates import Templates
from migrate.sandbox.responses import HTTPProblem, json_response, path_int, problem_response, read_json
from migrate.sandbox.store import Store

ROOT = "/api/v1"
SPECS = ROOT + "/api-management/api-specifications"
TYPE_BASE = "https://sandbox.frendsapp.invalid/problems"
Handler = Callable[[Request], Awaitable[Response]]


def _text_body(body: Any) -> str:
    """Seed 000: create and update take the specification as one JSON string."""
    if not isinstance(body, str):
        raise HTTPProblem(400, "Bad Request", "the body must be the API specification as a JSON string")
    return body


class FrendsSandbox:
    def __init__(self, store: Store, creds: FrendsCredentials) -> None:
        self.store = store
        self.creds = creds

    def app(self) -> Starlette:
        specs: list[tuple[str, Handler, str]] = [
            ("", self.list_specs, "GET"),
            ("", self.create_spec, "POST"),
            ("/import", self.import_spec, "POST"),
            ("/{sid:int}", self.get_spec, "GET"),
            ("/{sid:int}", self.update_spec, "PUT"),
            ("/{sid:int}/publish", self.publish, "POST"),
            ("/{sid:int}/{ver:int}", self.get_version, "GET"),
            ("/{sid:int}/{ver:int}/deploy/{group:int}", self.deploy, "POST"),
            ("/{sid:int}/agent-group/{group:int}", self.delete_from_group, "DELETE"),
            ("/{sid:int}/{ver:int}/processTemplate", Templates(self.store).process_template, "POST"),
            *passthrough_routes(self.store),
        ]
        routes = [Route(SPECS + path, self.guard(h), methods=[m]) for path, h, m in specs]
        processes = [*process_routes(self.store), *file_routes(self.store)]
        routes += [Route(ROOT + path, self.guard(h), methods=[m]) for path, h, m in processes]
        return Starlette(routes=routes)

    def guard(self, handler: Handler) -> Handler:
        async def guarded(request: Request) -> Response:
            try:
                self.check_token(request)
                return await handler(request)
            except HTTPProblem as problem:
                response = problem_response(problem, TYPE_BASE, str(request.url.path))
                if problem.status == 401:
                    response.headers["WWW-Authenticate"] = "Bearer"  # RFC 6750 3
                return response

        return guarded

    def check_token(self, request: Request) -> None:
        """``Authorization: Bearer <token>`` only (info.x-auth-note): the seeds' ``YOUR_API_KEY`` is
        the renderer's placeholder for the whole value, so a bare key is refused."""
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not secrets.compare_digest(token.encode(), self.creds.api_key.encode()):
            raise HTTPProblem(401, "Unauthorized", "send Authorization: Bearer <token> with a valid token")

    async def list_specs(self, request: Request) -> Response:
        items = [st.summary(s) for s in st.specs(self.store).values()]
        return json_response(paged(request, by_name(items, lambda s: str(s["name"]))))

    async def create_spec(self, request: Request) -> Response:
        return self._create(_text_body(await read_json(request)), "body")

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
        st.check_base_path(self.store, meta["basePath"])
        spec = st.new_spec(self.store, meta, text)
        return json_response({"data": st.summary(spec)}, 201)

    async def get_spec(self, request: Request) -> Response:
        return json_response({"data": st.summary(st.get_spec(self.store, path_int(request, "sid")))})

    async def update_spec(self, request: Request) -> Response:
        """Seed 000: the text replaces the active version's; the base path cannot be modified."""
        spec = st.get_spec(self.store, path_int(request, "sid"))
        text = _text_body(await read_json(request))
        meta = st.read_spec(text, "body")
        if meta["basePath"] != spec["basePath"]:
            raise HTTPProblem(400, "Bad Request", f"the base path cannot be modified (it is {spec['basePath']})")
        active = st.get_version(spec, spec["activeVersion"])
        active.update(specification=text, name=meta["name"], description=meta["description"])
        spec.update(name=meta["name"], description=meta["description"])
        return Response(status_code=200)

    async def get_version(self, request: Request) -> Response:
        """The same four members as the specification (seed 000:181-212), for that version."""
        spec = st.get_spec(self.store, path_int(request, "sid"))
        return json_response({"data": st.summary(spec, st.get_version(spec, path_int(request, "ver")))})

    async def publish(self, request: Request) -> Response:
        """Seed 000: the active version is locked; a new active version is created."""
        spec = st.get_spec(self.store, path_int(request, "sid"))
        body = await read_json(request)
        if body is not None and not isinstance(body, dict):
            raise HTTPProblem(400, "Bad Request", "the body must be an object with changeDescription")
        active = st.get_version(spec, spec["activeVersion"])
        active.update(published=True, changeDescription=(body or {}).get("changeDescription"))
        number = spec["activeVersion"] + 1
        fresh = st.new_version(self.store, number, active, active["specification"])
        fresh["passthrough"] = copy_configs(self.store, active["passthrough"], fresh["versionId"])
        spec["versions"][str(number)] = fresh
        spec["activeVersion"] = number
        return Response(status_code=200)

    async def deploy(self, request: Request) -> Response:
        """Only a published version is deployable (seed 000: publishing makes it so); one version
        per Agent Group."""
        spec = st.get_spec(self.store, path_int(request, "sid"))
        version = st.get_version(spec, path_int(request, "ver"))
        group = st.agent_group(path_int(request, "group"))["id"]
        if not version["published"]:
            raise HTTPProblem(400, "Bad Request", "only a published version can be deployed: publish it first")
        if group in version["deployedTo"]:
            return Response(status_code=200)
        for other in spec["versions"].values():
            other["deployedTo"] = [g for g in other["deployedTo"] if g != group]
        version["deployedTo"].append(group)
        if group not in spec["agentGroups"]:
            spec["agentGroups"].append(group)
        return Response(status_code=200)

    async def delete_from_group(self, request: Request) -> Response:
        """Seed 000: the default group last; deleting from it deletes the specification."""
        sid, group = path_int(request, "sid"), path_int(request, "group")
        spec = st.get_spec(self.store, sid)
        if group not in spec["agentGroups"]:
            raise HTTPProblem(404, "Not Found", f"API specification {sid} is not in Agent group {group}")
        if group == st.DEFAULT_GROUP and len(spec["agentGroups"]) > 1:
            raise HTTPProblem(409, "Conflict", "delete it from every other Agent group first")
        if group == st.DEFAULT_GROUP:
            del st.specs(self.store)[str(sid)]
        else:
            spec["agentGroups"].remove(group)
            for version in spec["versions"].values():
                version["deployedTo"] = [g for g in version["deployedTo"] if g != group]
        return Response(status_code=204)
