"""Akamai sandbox: the versions of an endpoint (list, summary, resources-detail, PUT with
lockVersion, soft delete, clone), activation and deactivation (seed 002, akamai.json)."""

from __future__ import annotations

import copy
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

import migrate.sandbox.akamai.state as st
from migrate.sandbox.akamai import activation, objects, views
from migrate.sandbox.faults import drop_parameter_restrictions
from migrate.sandbox.responses import HTTPProblem, json_response, page_of, path_int
from migrate.sandbox.store import Store

VERSION = "/endpoints/{eid:int}/versions/{v:int}"
Handler = Callable[[Request], Awaitable[Response]]


def version_routes(handlers: VersionHandlers) -> list[tuple[str, Handler, str]]:
    """(path below the base, handler, method) for every version operation of the contract."""
    h = handlers
    return [
        ("/endpoints/{eid:int}/versions", h.list_versions, "GET"),
        (VERSION, h.get_summary, "GET"),
        (VERSION, h.put_version, "PUT"),
        (VERSION, h.delete_version, "DELETE"),
        (VERSION + "/resources-detail", h.get_detail, "GET"),
        (VERSION + "/cloneVersion", h.clone_version, "POST"),
        (VERSION + "/activate", h.activate, "POST"),
        (VERSION + "/deactivate", h.deactivate, "POST"),
    ]


def query_int(request: Request, name: str, default: int) -> int:
    """A paging parameter; an unusable value means the default (the operations document no 400)."""
    try:
        value = int(request.query_params.get(name, default))
    except ValueError:
        return default
    return value if value >= 1 else default


@dataclass
class VersionHandlers:
    """The version operations over one store; activations take ``activation_seconds`` of ``clock``
    and end FAILED when ``fail_activation``."""

    store: Store
    activation_seconds: float = 0.3
    fail_activation: bool = False
    clock: Callable[[], float] = time.time
    drop_restrictions: bool = False  # fault mode: faults.drop_parameter_restrictions on every write

    def written(self, body: dict[str, Any]) -> dict[str, Any]:
        """What a create or update stores of ``body`` (all of it, unless a fault mode is on)."""
        return drop_parameter_restrictions(body) if self.drop_restrictions else body

    def entry(self, request: Request, status: int = 404) -> dict[str, Any]:
        return self.settled(st.get_entry(self.store, path_int(request, "eid"), status))

    def settled(self, entry: dict[str, Any]) -> dict[str, Any]:
        """``entry`` with its finished activations settled (persisted also when a GET observed them)."""
        if activation.settle(entry, self.clock()):
            self.store.commit(st.V)
        return entry

    def version(self, request: Request, status: int = 404) -> tuple[dict[str, Any], dict[str, Any]]:
        entry = self.entry(request, status)
        return entry, st.get_version(self.store, path_int(request, "eid"), path_int(request, "v"), status)

    async def list_versions(self, request: Request) -> Response:
        entry = self.entry(request, 403)  # akamai.json documents 403 only, also for an unknown endpoint
        items = [views.version_item(v) for v in st.live(entry)]
        if request.query_params.get("sortOrder", "desc") != "asc":  # akamai.json: sortOrder default desc
            items.reverse()
        page, size = query_int(request, "page", 1), query_int(request, "pageSize", 2147483647)
        current = st.latest(entry)
        name = current["endpoint"]["apiEndPointName"] if current else None
        body = {"apiEndPointId": path_int(request, "eid"), "page": page, "pageSize": size, "totalSize": len(items),
                "apiVersions": page_of(items, page, size)}
        return json_response({**body, "apiEndPointName": name} if name else body)

    async def get_summary(self, request: Request) -> Response:
        return json_response(views.summary(self.version(request)[1]))

    async def get_detail(self, request: Request) -> Response:
        entry, version = self.version(request, 403)  # get-version-details documents 403 only
        return json_response(views.endpoint(entry, version))

    async def put_version(self, request: Request) -> Response:
        eid = path_int(request, "eid")
        entry, version = self.version(request)
        if version["locked"]:
            raise HTTPProblem(403, "Forbidden", "this version was activated and can no longer be modified; "
                              "clone it (seed: Modify a Version edits never-activated versions only)")
        body = await st.checked_body(request)
        old = version["endpoint"]
        st.check_lock_version(old["lockVersion"], body.get("lockVersion"))
        body = self.written({**body, "contractId": old["contractId"], "groupId": old["groupId"]})  # readOnly: ours
        self.check_definition(body, eid)
        ids = objects.Ids.of(self.store, old)
        version["endpoint"] = objects.endpoint_object(
            body, old, ids, apiEndPointId=eid, versionNumber=old["versionNumber"], contractId=old["contractId"],
            groupId=old["groupId"], lockVersion=old["lockVersion"] + 1)
        version["seq"] = self.store.next_id(st.V, "seq")
        return json_response(views.endpoint(entry, version))

    def check_definition(self, body: dict[str, Any], eid: int | None) -> None:
        st.check_hosts(body)
        st.check_categories(self.store, body)
        st.check_unique_name(self.store, body["apiEndPointName"], eid)
        st.check_unique_urls(self.store, body, eid)

    async def delete_version(self, request: Request) -> Response:
        _, version = self.version(request)
        if version["locked"]:
            raise HTTPProblem(403, "Forbidden", "a version that was ever activated cannot be removed")
        version["deleted"] = True  # seed 1817: a soft delete, the number is never reused
        return Response(status_code=204)

    async def clone_version(self, request: Request) -> Response:
        entry, version = self.version(request)
        number = max(int(k) for k in entry["versions"]) + 1  # removed versions keep their numbers
        ids = objects.Ids(self.store)
        source = version["endpoint"]
        endpoint = objects.clone(source, ids, versionNumber=number, clonedFromVersion=source["versionNumber"],
                                 lockVersion=0)
        entry["versions"][str(number)] = self.record(endpoint, based_on=source["versionNumber"])
        # the clone keeps the resource ids, so the settings keyed by them carry over as they are
        entry["versions"][str(number)]["settings"] = copy.deepcopy(version.get("settings") or {})
        return json_response(views.endpoint(entry, entry["versions"][str(number)]))

    def record(self, endpoint: dict[str, Any], based_on: int | None) -> dict[str, Any]:
        return {"endpoint": endpoint, "locked": False, "basedOn": based_on, "deleted": False,
                "versionId": self.store.next_id(st.V, "version", 320000), "seq": self.store.next_id(st.V, "seq"),
                "stagingDate": None, "productionDate": None}

    async def activate(self, request: Request) -> Response:
        return await self._switch(request, active=True)

    async def deactivate(self, request: Request) -> Response:
        return await self._switch(request, active=False)

    async def _switch(self, request: Request, active: bool) -> Response:
        entry, version = self.version(request, 400)  # activate/deactivate document 400 only
        body = await st.checked_body(request)
        number = path_int(request, "v")
        for network in body["networks"]:
            status = version["endpoint"][activation.FIELD[network]]
            if active and status == "PENDING":
                raise st.invalid([("/networks", f"version {number} is already being activated on {network}")])
            if not active and status != "ACTIVE":
                raise st.invalid([("/networks", f"version {number} is not active on {network}")])
        for network in body["networks"]:
            if active:
                until = self.clock() + self.activation_seconds
                activation.request(entry, number, network, until, self.fail_activation)
            else:
                activation.deactivate(entry, number, network)
        return json_response(body)  # akamai.json: application/json (activation-content-type)
