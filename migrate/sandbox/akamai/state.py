"""Akamai sandbox state: endpoints with numbered versions, categories; the rules the API enforces
(unique names, unique resource URLs, lockVersion, versions locked once activated)."""

from __future__ import annotations

import copy
from typing import Any

from starlette.requests import Request

from migrate.emitters.akamai.schema import validate_endpoint
from migrate.sandbox.responses import HTTPProblem, read_json
from migrate.sandbox.store import Store

V = "akamai"
#: the account's contracts and groups (GET /contracts/groups)
GROUPS = [
    {"acgId": "3-SANDBOX", "contractId": "C-SANDBOX", "displayName": "Sandbox group", "groupId": 12345},
    {"acgId": "3-SANDBOX.G2", "contractId": "C-SANDBOX", "displayName": "Sandbox developers", "groupId": 23456},
]
HOSTS = ["api.sandbox.example.com", "api2.sandbox.example.com"]
NETWORKS = ("STAGING", "PRODUCTION")
#: fields the server owns: a client's value is overwritten
SERVER_FIELDS = ("apiEndPointId", "versionNumber", "lockVersion", "stagingStatus", "productionStatus",
                 "apiEndPointLocked", "clonedFromVersion")


def endpoints(store: Store) -> dict[str, Any]:
    return store.doc(V).setdefault("endpoints", {})


def categories(store: Store) -> dict[str, Any]:
    return store.doc(V).setdefault("categories", {})


def get_endpoint(store: Store, endpoint_id: int) -> dict[str, Any]:
    found = endpoints(store).get(str(endpoint_id))
    if found is None:
        raise HTTPProblem(404, "Not Found", f"endpoint {endpoint_id} does not exist")
    return found


def get_version(store: Store, endpoint_id: int, number: int) -> dict[str, Any]:
    found = get_endpoint(store, endpoint_id)["versions"].get(str(number))
    if found is None:
        raise HTTPProblem(404, "Not Found", f"endpoint {endpoint_id} has no version {number}")
    return found


def latest(entry: dict[str, Any]) -> dict[str, Any]:
    """The endpoint object of the highest-numbered version."""
    number = max(entry["versions"], key=int)
    return entry["versions"][number]["endpoint"]


def check_group(body: dict[str, Any]) -> None:
    known = {(g["contractId"], g["groupId"]) for g in GROUPS}
    if (body.get("contractId"), body.get("groupId")) not in known:
        raise HTTPProblem(403, "Forbidden", "no access to this contractId/groupId (see GET /contracts/groups)")


def check_unique_name(store: Store, name: str, own_id: int | None) -> None:
    for key, entry in endpoints(store).items():
        if int(key) != own_id and latest(entry)["apiEndPointName"].casefold() == name.casefold():
            raise HTTPProblem(409, "Conflict", f"an endpoint named {name!r} already exists",
                              errors=[{"title": "duplicate name", "detail": "/apiEndPointName"}])


def resource_urls(endpoint: dict[str, Any]) -> set[str]:
    base = (endpoint.get("basePath") or "").rstrip("/")
    return {f"{host}{base}{res.get('resourcePath', '')}"
            for host in endpoint.get("apiEndPointHosts") or []
            for res in endpoint.get("apiResources") or []}


def check_unique_urls(store: Store, endpoint: dict[str, Any], own_id: int | None) -> None:
    """Seed 002: a resource's full URL (hostname + basePath + resourcePath) is unique in the account."""
    mine = resource_urls(endpoint)
    for key, entry in endpoints(store).items():
        clash = sorted(mine & resource_urls(latest(entry))) if int(key) != own_id else []
        if clash:
            raise HTTPProblem(409, "Conflict", f"resource URL {clash[0]} is already used by endpoint {key}")


def assign_resource_ids(store: Store, endpoint: dict[str, Any]) -> None:
    for resource in endpoint.get("apiResources") or []:
        if not isinstance(resource.get("apiResourceId"), int):
            resource["apiResourceId"] = store.next_id(V, "resource", 1000)
        resource.setdefault("lockVersion", 0)


def new_version(store: Store, body: dict[str, Any], endpoint_id: int, number: int,
                cloned_from: int | None = None) -> dict[str, Any]:
    """A version record holding a full endpoint object with the server-owned fields set."""
    endpoint = copy.deepcopy(body)
    endpoint.update(apiEndPointId=endpoint_id, versionNumber=number, lockVersion=0, stagingStatus=None,
                    productionStatus=None, apiEndPointLocked=False, clonedFromVersion=cloned_from)
    assign_resource_ids(store, endpoint)
    return {"endpoint": endpoint, "locked": False, "basedOn": cloned_from}


def check_editable(version: dict[str, Any]) -> None:
    if version["locked"]:
        raise HTTPProblem(403, "Forbidden", "this version was activated and is locked; clone it to make changes")


def check_lock_version(current: Any, sent: Any, pointer: str = "/lockVersion") -> None:
    if sent is None:
        raise HTTPProblem(400, "Bad Request", "lockVersion is required",
                          errors=[{"title": "missing field", "detail": pointer}])
    if sent != current:
        raise HTTPProblem(409, "Conflict", f"stale lockVersion {sent} (current is {current}); "
                          "read the object again and reapply your change")


def summary(endpoint: dict[str, Any]) -> dict[str, Any]:
    keys = ("apiEndPointId", "apiEndPointName", "apiEndPointHosts", "basePath", "contractId", "groupId",
            "description", "versionNumber", "lockVersion", "stagingStatus", "productionStatus")
    return {key: endpoint.get(key) for key in keys}


def version_summary(version: dict[str, Any]) -> dict[str, Any]:
    endpoint = version["endpoint"]
    return {
        "versionNumber": endpoint["versionNumber"], "lockVersion": endpoint["lockVersion"],
        "isVersionLocked": version["locked"], "basedOn": version["basedOn"],
        "basePath": endpoint.get("basePath"), "description": endpoint.get("description"),
        "stagingStatus": endpoint["stagingStatus"], "productionStatus": endpoint["productionStatus"],
    }


def set_status(entry: dict[str, Any], number: int, network: str, active: bool) -> None:
    """Activate (deactivating the network's previous version and locking this one) or deactivate."""
    field = "stagingStatus" if network == "STAGING" else "productionStatus"
    version = entry["versions"][str(number)]
    if active:
        for other in entry["versions"].values():
            if other["endpoint"][field] == "ACTIVE":
                other["endpoint"][field] = "DEACTIVATED"
        version["locked"] = True
        version["endpoint"]["apiEndPointLocked"] = True
    version["endpoint"][field] = "ACTIVE" if active else "DEACTIVATED"


def validation_problem(errors: list[str]) -> HTTPProblem:
    """400 with one ``errors[]`` entry per schema violation; ``pointer`` is the offending field."""
    items = []
    for error in errors:
        pointer, _, message = error.partition(": ")
        items.append({"title": "Invalid value", "detail": message, "pointer": pointer})
    return HTTPProblem(400, "Bad Request", f"the body does not match the Endpoint schema ({len(items)} errors)",
                       errors=items, problems=items)


async def endpoint_body(request: Request, need_lock_version: bool) -> dict[str, Any]:
    body = await read_json(request)
    if not isinstance(body, dict):
        raise validation_problem(["/: the body must be a JSON object"])
    errors = schema_errors(body)
    if errors:
        raise validation_problem(errors)
    if need_lock_version and "lockVersion" not in body:
        raise validation_problem(["/lockVersion: 'lockVersion' is a required property"])
    return body


def schema_errors(body: dict[str, Any]) -> list[str]:
    """Schema violations of an endpoint object. The server's own nullable read-only fields come
    back as null, which OAS30Validator holds against their enums: being server-owned, they are
    not checked."""
    return validate_endpoint({k: v for k, v in body.items() if not (k in SERVER_FIELDS and v is None)})
