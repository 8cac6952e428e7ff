"""Akamai sandbox state: endpoints with permanently numbered versions, categories, the account's
contracts, groups and hostnames; the rules the API enforces (seed 002, akamai.json).

Request bodies are checked with the contract itself (``migrate.push.contracts.check.Contract``),
never with emitter or client code (house rule 12)."""

from __future__ import annotations

import json
import time
from typing import Any

from starlette.requests import Request

from migrate.push.contracts.check import Contract
from migrate.sandbox.responses import HTTPProblem
from migrate.sandbox.store import Store

V = "akamai"
#: who the audit fields name (seed 002: createdBy/updatedBy are the API client's user)
USER = "api-migrate-sandbox"
#: the account's contract and group pairs (GET /contracts/groups, seed 002 lines 4367-4380)
GROUPS: list[dict[str, Any]] = [
    {"acgId": "3-SANDBOX", "contractId": "C-SANDBOX", "displayName": "Sandbox group", "groupId": 12345},
    {"acgId": "3-SANDBOX.G2", "contractId": "C-SANDBOX", "displayName": "Sandbox developers", "groupId": 23456},
]
#: hostnames per contract and group (GET /contracts/{contractId}/groups/{groupId}/hosts, seed 4399-4402)
HOSTS: dict[tuple[str, int], list[str]] = {
    ("C-SANDBOX", 12345): ["api.sandbox.example.com", "api2.sandbox.example.com"],
    ("C-SANDBOX", 23456): ["dev.sandbox.example.com"],
}


def contract() -> Contract:
    return Contract.load(V)


def stamp() -> str:
    """Akamai's timestamp form, offset without colon (seed 002, e.g. line 1055)."""
    return time.strftime("%Y-%m-%dT%H:%M:%S+0000", time.gmtime())


def endpoints(store: Store) -> dict[str, Any]:
    return store.doc(V).setdefault("endpoints", {})


def categories(store: Store) -> dict[str, Any]:
    return store.doc(V).setdefault("categories", {})


def get_entry(store: Store, endpoint_id: int, status: int = 404) -> dict[str, Any]:
    """An endpoint's record; ``status`` is what the operation documents for an unknown id
    (akamai.json: 403 for the versions list and resources-detail, 404 elsewhere)."""
    found = endpoints(store).get(str(endpoint_id))
    if found is None:
        raise _unknown(status, f"endpoint {endpoint_id} does not exist or is not yours")
    return found


def get_version(store: Store, endpoint_id: int, number: int, status: int = 404) -> dict[str, Any]:
    """A live (not removed) version record."""
    found = get_entry(store, endpoint_id, status)["versions"].get(str(number))
    if found is None or found["deleted"]:
        raise _unknown(status, f"endpoint {endpoint_id} has no version {number}")
    return found


def _unknown(status: int, detail: str) -> HTTPProblem:
    title = {400: "Bad Request", 403: "Forbidden", 404: "Not Found"}[status]
    return HTTPProblem(status, title, detail)


def live(entry: dict[str, Any]) -> list[dict[str, Any]]:
    """The versions not removed, by number (a removed version keeps its number: seed 1817)."""
    return [entry["versions"][k] for k in sorted(entry["versions"], key=int) if not entry["versions"][k]["deleted"]]


def latest(entry: dict[str, Any]) -> dict[str, Any] | None:
    """The last updated live version (List Endpoints' default versionPreference LAST_UPDATED)."""
    found = live(entry)
    return max(found, key=lambda v: v["seq"]) if found else None


def check_group(contract_id: Any, group_id: Any) -> None:
    if (contract_id, group_id) not in HOSTS:
        raise HTTPProblem(403, "Forbidden", "the system denies access to this contractId and groupId "
                          "(see GET /contracts/groups)")


def check_hosts(body: dict[str, Any]) -> None:
    """Seed 002 line 4389: endpoints are served on the contract and group's hostnames only."""
    allowed = {h.casefold() for h in HOSTS[(body["contractId"], body["groupId"])]}
    bad = [(i, h) for i, h in enumerate(body.get("apiEndPointHosts") or []) if h.casefold() not in allowed]
    if bad:
        raise invalid([(f"/apiEndPointHosts/{i}", f"hostname {h!r} is not available to contract "
                        f"{body['contractId']} and group {body['groupId']}") for i, h in bad])


def check_unique_name(store: Store, name: str, own_id: int | None) -> None:
    """Seed 002 line 174: the endpoint's name is unique within the account (400, akamai.json)."""
    for key, entry in endpoints(store).items():
        current = latest(entry)
        if int(key) != own_id and current and current["endpoint"]["apiEndPointName"].casefold() == name.casefold():
            raise invalid([("/apiEndPointName", f"an endpoint named {name!r} already exists")])


def resource_urls(endpoint: dict[str, Any]) -> set[str]:
    base = (endpoint.get("basePath") or "").rstrip("/")
    return {f"{host.casefold()}{base}{res.get('resourcePath', '')}"
            for host in endpoint.get("apiEndPointHosts") or []
            for res in endpoint.get("apiResources") or []}


def check_unique_urls(store: Store, endpoint: dict[str, Any], own_id: int | None) -> None:
    """Seed 002: a resource's full URL (hostname + basePath + resourcePath) is unique in the account."""
    mine = resource_urls(endpoint)
    for key, entry in endpoints(store).items():
        current = latest(entry)
        clash = sorted(mine & resource_urls(current["endpoint"])) if current and int(key) != own_id else []
        if clash:
            raise invalid([("/apiResources", f"resource URL {clash[0]} is already used by endpoint {key}")])


def check_categories(store: Store, body: dict[str, Any]) -> None:
    known = {int(k) for k in categories(store)}
    unknown = [c for c in body.get("apiCategoryIds") or [] if c not in known]
    if unknown:
        raise invalid([("/apiCategoryIds", f"no category {unknown[0]}")])


def check_lock_version(current: int, sent: Any) -> None:
    """put-endpoint-version: a missing lockVersion is invalid, a stale one a 409 (akamai.json)."""
    if sent is None:
        raise invalid([("/lockVersion", "lockVersion is required: PUT back the object Get a version returned")])
    if sent != current:
        raise HTTPProblem(409, "Conflict", f"stale lockVersion {sent} (current is {current}); "
                          "read the version again and reapply your change")


def invalid(errors: list[tuple[str, str]]) -> HTTPProblem:
    """400 with one ``errors[]`` entry per problem (``pointer``: the offending member)."""
    items = [{"title": "Invalid value", "detail": message, "pointer": pointer} for pointer, message in errors]
    return HTTPProblem(400, "Bad Request", f"some of the input is invalid ({len(items)} problems)", errors=items)


async def checked_body(request: Request) -> Any:
    """The request's JSON body once the contract accepts it for this operation, else 400."""
    raw = await request.body()
    problems = contract().check_request(request.method, request.url.path, request.headers.get("content-type"), raw)
    if problems:
        raise invalid([_pointer_and_message(p) for p in problems])
    try:
        return json.loads(raw) if raw else None
    except ValueError:  # pragma: no cover - the contract check already refused it
        raise invalid([("", "the body is not JSON")]) from None


def _pointer_and_message(problem: str) -> tuple[str, str]:
    """('/apiEndPointScheme', message) from the checker's '<vendor> <method> <path> request: <pointer>: <message>'."""
    detail = problem.split(" request: ", 1)[-1]
    pointer, sep, message = detail.partition(": ")
    if sep and (pointer.startswith("/") or pointer == "(root)"):
        return ("" if pointer == "(root)" else pointer), message
    return "", detail
