"""Akamai sandbox: versions (list, summary, resources-detail, PUT with lockVersion, clone, delete),
activation and resources of one version (seed 002)."""

from __future__ import annotations

import copy
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

import migrate.sandbox.akamai.state as st
from migrate.sandbox.responses import HTTPProblem, int_param, json_response, page_of, path_int, read_json
from migrate.sandbox.store import Store

VERSION = "/endpoints/{eid:int}/versions/{v:int}"
Handler = Callable[[Request], Awaitable[Response]]


def version_routes(store: Store) -> list[tuple[str, Handler, str]]:
    """(path below the base, handler, method) for every version and resource operation."""
    h = VersionHandlers(store)
    return [
        ("/endpoints/{eid:int}/versions", h.list_versions, "GET"),
        (VERSION, h.get_summary, "GET"),
        (VERSION, h.put_version, "PUT"),
        (VERSION, h.delete_version, "DELETE"),
        (VERSION + "/resources-detail", h.get_detail, "GET"),
        (VERSION + "/cloneVersion", h.clone_version, "POST"),
        (VERSION + "/activate", h.activate, "POST"),
        (VERSION + "/deactivate", h.deactivate, "POST"),
        (VERSION + "/resources", h.list_resources, "GET"),
        (VERSION + "/resources", h.create_resource, "POST"),
        (VERSION + "/resources/{rid:int}", h.get_resource, "GET"),
        (VERSION + "/resources/{rid:int}", h.put_resource, "PUT"),
        (VERSION + "/resources/{rid:int}", h.delete_resource, "DELETE"),
    ]


def _ids(request: Request) -> tuple[int, int]:
    return path_int(request, "eid"), path_int(request, "v")


class VersionHandlers:
    def __init__(self, store: Store) -> None:
        self.store = store

    def version(self, request: Request) -> dict[str, Any]:
        return st.get_version(self.store, *_ids(request))

    async def list_versions(self, request: Request) -> Response:
        entry = st.get_endpoint(self.store, path_int(request, "eid"))
        page, size = int_param(request, "page", 1), int_param(request, "pageSize", 25, high=1000)
        items = [st.version_summary(entry["versions"][k]) for k in sorted(entry["versions"], key=int)]
        return json_response({"apiEndPointId": path_int(request, "eid"),
                              "apiEndPointName": st.latest(entry)["apiEndPointName"], "page": page,
                              "pageSize": size, "totalSize": len(items), "apiVersions": page_of(items, page, size)})

    async def get_summary(self, request: Request) -> Response:
        return json_response(st.version_summary(self.version(request)))

    async def get_detail(self, request: Request) -> Response:
        return json_response(self.version(request)["endpoint"])

    async def put_version(self, request: Request) -> Response:
        eid = path_int(request, "eid")
        version = self.version(request)
        st.check_editable(version)
        body = await st.endpoint_body(request, need_lock_version=True)
        st.check_lock_version(version["endpoint"]["lockVersion"], body.get("lockVersion"))
        st.check_group(body)
        st.check_unique_name(self.store, body["apiEndPointName"], eid)
        st.check_unique_urls(self.store, body, eid)
        old = version["endpoint"]
        endpoint = copy.deepcopy(body)
        for key in st.SERVER_FIELDS:
            endpoint[key] = old.get(key)
        endpoint["lockVersion"] = old["lockVersion"] + 1
        st.assign_resource_ids(self.store, endpoint)
        version["endpoint"] = endpoint
        return json_response(endpoint)

    async def delete_version(self, request: Request) -> Response:
        eid, number = _ids(request)
        if self.version(request)["locked"]:
            raise HTTPProblem(403, "Forbidden", "a version that was ever activated cannot be removed")
        del st.get_endpoint(self.store, eid)["versions"][str(number)]
        if not st.get_endpoint(self.store, eid)["versions"]:
            del st.endpoints(self.store)[str(eid)]
        return Response(status_code=204)

    async def clone_version(self, request: Request) -> Response:
        eid, number = _ids(request)
        entry = st.get_endpoint(self.store, eid)
        source = self.version(request)["endpoint"]
        new_number = max(int(k) for k in entry["versions"]) + 1
        clone = st.new_version(self.store, source, eid, new_number, cloned_from=number)
        entry["versions"][str(new_number)] = clone
        return json_response(clone["endpoint"])

    async def activate(self, request: Request) -> Response:
        return await self._switch(request, active=True)

    async def deactivate(self, request: Request) -> Response:
        return await self._switch(request, active=False)

    async def _switch(self, request: Request, active: bool) -> Response:
        eid, number = _ids(request)
        self.version(request)
        body = await read_json(request)
        networks = body.get("networks") if isinstance(body, dict) else None
        if not networks or not isinstance(networks, list) or any(n not in st.NETWORKS for n in networks):
            raise HTTPProblem(400, "Bad Request", "networks must list STAGING and/or PRODUCTION",
                              errors=[{"title": "Invalid value", "detail": "/networks"}])
        for network in networks:
            st.set_status(st.get_endpoint(self.store, eid), number, network, active)
        return json_response(body)

    def resources(self, request: Request) -> list[dict[str, Any]]:
        return self.version(request)["endpoint"].setdefault("apiResources", [])

    def resource(self, request: Request) -> dict[str, Any]:
        rid = path_int(request, "rid")
        for resource in self.resources(request):
            if resource.get("apiResourceId") == rid:
                return resource
        raise HTTPProblem(404, "Not Found", f"no resource {rid} in this version")

    async def list_resources(self, request: Request) -> Response:
        items = []
        for resource in self.resources(request):
            item = {k: v for k, v in resource.items() if k != "apiResourceMethods"}
            item["apiResourceMethodNameLists"] = [m.get("apiResourceMethod")
                                                  for m in resource.get("apiResourceMethods") or []]
            items.append(item)
        return json_response(items)

    async def get_resource(self, request: Request) -> Response:
        return json_response(self.resource(request))

    async def create_resource(self, request: Request) -> Response:
        eid, number = _ids(request)
        st.check_editable(self.version(request))
        resource = await self._resource_body(request, eid)
        resource["apiResourceId"] = self.store.next_id(st.V, "resource", 1000)
        resource["lockVersion"] = 0
        self.resources(request).append(resource)
        location = f"/api-definitions/v2/endpoints/{eid}/versions/{number}/resources/{resource['apiResourceId']}"
        return json_response(resource, 201, headers={"Location": location})

    async def put_resource(self, request: Request) -> Response:
        eid, _ = _ids(request)
        st.check_editable(self.version(request))
        current = self.resource(request)
        resource = await self._resource_body(request, eid, exclude=current["apiResourceId"])
        st.check_lock_version(current.get("lockVersion", 0), resource.get("lockVersion"))
        resource.update(apiResourceId=current["apiResourceId"], lockVersion=current.get("lockVersion", 0) + 1)
        items = self.resources(request)
        items[items.index(current)] = resource
        return json_response(resource)

    async def delete_resource(self, request: Request) -> Response:
        st.check_editable(self.version(request))
        self.resources(request).remove(self.resource(request))
        return Response(status_code=204)

    async def _resource_body(self, request: Request, eid: int, exclude: int | None = None) -> dict[str, Any]:
        """Validated through the Endpoint schema (a one-resource endpoint) plus URL uniqueness."""
        body = await read_json(request)
        endpoint = copy.deepcopy(self.version(request)["endpoint"])
        if not isinstance(body, dict):
            raise st.validation_problem(["/: the body must be a JSON object"])
        endpoint["apiResources"] = [body]
        errors = [e.replace("/apiResources/0", "", 1) for e in st.schema_errors(endpoint)]
        if errors:
            raise st.validation_problem(errors)
        others = [r for r in self.resources(request) if r.get("apiResourceId") != exclude]
        urls = [st.resource_urls({**endpoint, "apiResources": [r]}) for r in others]
        if any(st.resource_urls({**endpoint, "apiResources": [body]}) & u for u in urls):
            raise HTTPProblem(409, "Conflict", "a resource with this path already exists in this version")
        st.check_unique_urls(self.store, {**endpoint, "apiResources": [body]}, eid)
        return body
