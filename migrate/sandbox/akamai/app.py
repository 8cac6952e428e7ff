"""Akamai API Endpoint Definition API v2 sandbox (``/api-definitions/v2``), seed 002 and Akamai's
openapi.json. Every request must carry a valid EdgeGrid signature for the sandbox's credentials."""

from __future__ import annotations

import copy
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

import migrate.sandbox.akamai.state as st
from migrate.sandbox.akamai.edgegrid import signed_request_from_scope, verify
from migrate.sandbox.akamai.state import endpoint_body, validation_problem
from migrate.sandbox.akamai.versions import version_routes
from migrate.sandbox.credentials import AkamaiCredentials
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

BASE = "/api-definitions/v2"
TYPE_BASE = "https://problems.luna.akamaiapis.net/api-definitions/error-types"
INSTANCE_BASE = "https://problems.luna.akamaiapis.net/api-definitions/error-instances"
Handler = Callable[[Request], Awaitable[Response]]


class AkamaiSandbox:
    """Routes bound to one store and one set of credentials."""

    def __init__(self, store: Store, creds: AkamaiCredentials) -> None:
        self.store = store
        self.creds = creds

    def app(self) -> Starlette:
        routes = [
            self.route("/endpoints", self.list_endpoints, "GET"),
            self.route("/endpoints", self.create_endpoint, "POST"),
            self.route("/endpoints/{eid:int}", self.delete_endpoint, "DELETE"),
            self.route("/categories", self.list_categories, "GET"),
            self.route("/categories", self.create_category, "POST"),
            self.route("/categories/{cid:int}", self.get_category, "GET"),
            self.route("/categories/{cid:int}", self.delete_category, "DELETE"),
            self.route("/contracts/groups", self.list_groups, "GET"),
            self.route("/contracts/{contract}/groups/{gid:int}/hosts", self.list_hosts, "GET"),
        ]
        routes += [self.route(path, handler, method) for path, handler, method in version_routes(self.store)]
        return Starlette(routes=routes)

    def route(self, path: str, handler: Handler, method: str) -> Route:
        async def guarded(request: Request) -> Response:
            try:
                body = await request.body()
                reason = verify(signed_request_from_scope(request.scope, body), self.creds)
                if reason is not None:
                    raise HTTPProblem(401, "Not authorized", reason)
                return await handler(request)
            except HTTPProblem as problem:
                return problem_response(problem, TYPE_BASE, INSTANCE_BASE)

        return Route(BASE + path, guarded, methods=[method])

    async def list_endpoints(self, request: Request) -> Response:
        page = int_param(request, "page", 1)
        size = int_param(request, "pageSize", 25, high=1000)
        needle = request.query_params.get("contains", "").casefold()
        found = [st.summary(st.latest(entry)) for _, entry in sorted(st.endpoints(self.store).items(),
                                                                      key=lambda kv: int(kv[0]))]
        found = [e for e in found if needle in f"{e['apiEndPointName']} {e.get('description') or ''}".casefold()]
        return json_response({"page": page, "pageSize": size, "totalSize": len(found),
                              "apiEndPoints": page_of(found, page, size)})

    async def create_endpoint(self, request: Request) -> Response:
        body = await endpoint_body(request, need_lock_version=False)
        st.check_group(body)
        st.check_unique_name(self.store, body["apiEndPointName"], None)
        st.check_unique_urls(self.store, body, None)
        endpoint_id = self.store.next_id(st.V, "endpoint", 100)
        version = st.new_version(self.store, body, endpoint_id, 1)
        st.endpoints(self.store)[str(endpoint_id)] = {"versions": {"1": version}}
        location = f"{BASE}/endpoints/{endpoint_id}/versions/1"
        return json_response(version["endpoint"], 201, headers={"Location": location})

    async def delete_endpoint(self, request: Request) -> Response:
        entry = st.get_endpoint(self.store, path_int(request, "eid"))
        for version in entry["versions"].values():
            if "ACTIVE" in (version["endpoint"]["stagingStatus"], version["endpoint"]["productionStatus"]):
                raise HTTPProblem(409, "Conflict", "deactivate every active version before removing the endpoint")
        del st.endpoints(self.store)[str(path_int(request, "eid"))]
        return Response(status_code=204)

    async def list_categories(self, request: Request) -> Response:
        found = st.categories(self.store)
        return json_response([found[key] for key in sorted(found, key=int)])

    async def create_category(self, request: Request) -> Response:
        body = await read_json(request)
        name = body.get("apiCategoryName") if isinstance(body, dict) else None
        if not isinstance(name, str) or not name:
            raise validation_problem(["/apiCategoryName: 'apiCategoryName' is a required property"])
        if any(c["apiCategoryName"].casefold() == name.casefold() for c in st.categories(self.store).values()):
            raise HTTPProblem(409, "Conflict", f"a category named {name!r} already exists")
        cid = self.store.next_id(st.V, "category", 9900)
        category = {"apiCategoryId": cid, "apiCategoryName": name, "lockVersion": 0,
                    "apiCategoryDescription": body.get("apiCategoryDescription"),
                    "link": f"{BASE}/categories/{cid}"}
        st.categories(self.store)[str(cid)] = category
        return json_response(category, 201, headers={"Location": category["link"]})

    async def get_category(self, request: Request) -> Response:
        return json_response(copy.deepcopy(self._category(request)))

    async def delete_category(self, request: Request) -> Response:
        self._category(request)
        del st.categories(self.store)[str(path_int(request, "cid"))]
        return Response(status_code=204)

    def _category(self, request: Request) -> dict[str, Any]:
        found = st.categories(self.store).get(str(path_int(request, "cid")))
        if found is None:
            raise HTTPProblem(404, "Not Found", "no such category")
        return found

    async def list_groups(self, request: Request) -> Response:
        return json_response(st.GROUPS)

    async def list_hosts(self, request: Request) -> Response:
        st.check_group({"contractId": request.path_params["contract"], "groupId": path_int(request, "gid")})
        return json_response(st.HOSTS)
