"""Akamai API Endpoint Definition API v2 sandbox (``/api-definitions/v2``): the operations of
migrate/push/contracts/akamai.json as seed 002 shows them. Every request must carry a valid
EdgeGrid signature for the sandbox's credentials; every error is application/problem+json with a
status the contract documents (401 by the defect edgegrid-401-undocumented).

Behaviour knobs (``start_sandbox(settings={"akamai": {...}})``): ``activation_seconds`` (how long
an activation stays PENDING), ``fail_activation`` (activations end FAILED) and ``clock`` (epoch
seconds; tests pass a fake one)."""

from __future__ import annotations

import copy
import time
import uuid
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

import migrate.sandbox.akamai.state as st
from migrate.sandbox.akamai import activation, importer, objects, views
from migrate.sandbox.akamai.edgegrid import SignedRequest, parse_authorization, signed_request_from_scope, verify
from migrate.sandbox.akamai.settings import SettingsHandlers, settings_routes
from migrate.sandbox.akamai.versions import VERSION, VersionHandlers, query_int, version_routes
from migrate.sandbox.credentials import AkamaiCredentials
from migrate.sandbox.responses import PROBLEM, HTTPProblem, json_response, page_of, path_int, problem_response
from migrate.sandbox.store import Store

BASE = "/api-definitions/v2"
TYPE_BASE = "https://problems.luna.akamaiapis.net/api-definitions/error-types"
INSTANCE_BASE = "https://problems.luna.akamaiapis.net/api-definitions/error-instances"
#: EdgeGrid failures come from Akamai's API gateway (techdocs.akamai.com/client-access-control/reference/401)
AUTHN_TYPE = "https://problems.luna.akamaiapis.net/-/pep-authn/deny"
Handler = Callable[[Request], Awaitable[Response]]


class NonceLog:
    """EdgeGrid nonces already seen: Akamai takes a nonce once (a retried request must be signed
    again, vendors.md), so a request that repeats one is refused like a bad signature."""

    def __init__(self, keep: int = 100_000) -> None:
        self.seen: OrderedDict[str, None] = OrderedDict()
        self.keep = keep

    def reused(self, request: SignedRequest) -> str | None:
        fields = parse_authorization(request.headers.get("Authorization", "")) or {}
        nonce = fields.get("nonce", "")
        if nonce in self.seen:
            return "the nonce was already used: sign every request (and every retry) anew"
        self.seen[nonce] = None
        if len(self.seen) > self.keep:
            self.seen.popitem(last=False)
        return None


class AkamaiSandbox:
    """Routes bound to one store and one set of credentials."""

    def __init__(self, store: Store, creds: AkamaiCredentials, activation_seconds: float = 0.3,
                 fail_activation: bool = False, clock: Callable[[], float] = time.time,
                 drop_restrictions: bool = False) -> None:
        """``drop_restrictions``: a fault mode that breaks the contract on purpose
        (``faults.drop_parameter_restrictions``)."""
        self.store = store
        self.creds = creds
        self.versions = VersionHandlers(store, activation_seconds, fail_activation, clock, drop_restrictions)
        self.settings = SettingsHandlers(store, self.versions.version)
        self.nonces = NonceLog()

    def app(self) -> Starlette:
        routes = [
            self.route("/endpoints", self.list_endpoints, "GET"),
            self.route("/endpoints", self.create_endpoint, "POST"),
            self.route("/endpoints/files", self.import_endpoint, "POST"),
            self.route("/endpoints/{eid:int}", self.delete_endpoint, "DELETE"),
            self.route("/categories", self.list_categories, "GET"),
            self.route("/categories", self.create_category, "POST"),
            self.route("/categories/{cid:int}", self.get_category, "GET"),
            self.route("/categories/{cid:int}", self.delete_category, "DELETE"),
            self.route("/contracts/groups", self.list_groups, "GET"),
            self.route("/contracts/{contract}/groups/{gid:int}/hosts", self.list_hosts, "GET"),
        ]
        routes += [self.route(path, handler, method) for path, handler, method in version_routes(self.versions)]
        routes += [self.route(path, handler, method) for path, handler, method in
                   settings_routes(self.settings, VERSION)]
        routes.append(self.route(VERSION + "/file", self.import_version_file, "POST"))
        return Starlette(routes=routes, exception_handlers={HTTPException: self.no_route})

    async def no_route(self, request: Request, exc: Exception) -> Response:
        """Unknown paths and methods: a problem+json 404 (akamai.json documents nothing better)."""
        return problem_response(HTTPProblem(404, "Not Found", f"no operation {request.method} {request.url.path}"),
                                TYPE_BASE, INSTANCE_BASE)

    def route(self, path: str, handler: Handler, method: str) -> Route:
        async def guarded(request: Request) -> Response:
            try:
                body = await request.body()
                signed = signed_request_from_scope(request.scope, body)
                reason = verify(signed, self.creds) or self.nonces.reused(signed)
                if reason is not None:
                    return denied(reason)
                return await handler(request)
            except HTTPProblem as problem:
                return problem_response(problem, TYPE_BASE, INSTANCE_BASE)

        return Route(BASE + path, guarded, methods=[method])

    # -- endpoints --

    async def list_endpoints(self, request: Request) -> Response:
        """List Endpoints (seed 55-159): contains, contractId + groupId, category, paging, sorted by name."""
        q = request.query_params
        needle = q.get("contains", "").casefold()
        found = []
        for entry in st.endpoints(self.store).values():
            current = st.latest(self.versions.settled(entry))
            if current is None or not _matches(current["endpoint"], needle, q.get("contractId"), q.get("groupId")):
                continue
            if "category" in q and not self._in_category(current["endpoint"], q["category"]):
                continue
            found.append(views.list_item(entry, current))
        found.sort(key=lambda e: (str(e["apiEndPointName"]).casefold(), e["apiEndPointId"]))
        if q.get("sortOrder") == "desc":
            found.reverse()
        page, size = query_int(request, "page", 1), query_int(request, "pageSize", 25)
        return json_response({"page": page, "pageSize": size, "totalSize": len(found),
                              "apiEndPoints": page_of(found, page, size)})

    def _in_category(self, endpoint: dict[str, Any], name: str) -> bool:
        """akamai.json List Endpoints ``category``: by apiCategoryName, or ``__UNCATEGORIZED__``."""
        ids = {int(c) for c in endpoint.get("apiCategoryIds") or []}
        if name == "__UNCATEGORIZED__":
            return not ids
        return any(int(c["apiCategoryId"]) in ids for c in st.categories(self.store).values()
                   if c.get("apiCategoryName") == name)  # exact: the documents say no more

    async def create_endpoint(self, request: Request) -> Response:
        body = self.versions.written(await st.checked_body(request))
        st.check_group(body["contractId"], body["groupId"])
        self.versions.check_definition(body, None)
        eid = self.store.next_id(st.V, "endpoint", 100)
        ids = objects.Ids(self.store)
        endpoint = objects.endpoint_object(body, None, ids, apiEndPointId=eid, versionNumber=1, lockVersion=0,
                                           contractId=body["contractId"], groupId=body["groupId"])
        entry: dict[str, Any] = {"versions": {"1": self.versions.record(endpoint, None)}}
        activation.networks(entry)
        st.endpoints(self.store)[str(eid)] = entry
        location = f"{BASE}/endpoints/{eid}/versions/1"
        return json_response(views.endpoint(entry, entry["versions"]["1"]), 201, headers={"Location": location})

    async def import_endpoint(self, request: Request) -> Response:
        """Create an Endpoint from an API Definition File (seed 753-991, akamai.json post-endpoints-file):
        201 with the Endpoint object and Location, or 400 with the importResult (application/json)."""
        body: dict[str, Any] = {}
        details: dict[str, Any] = {}
        try:  # every refusal is the documented 400 importResult (application/json, not problem+json)
            body = await st.checked_body(request)
            st.check_group(body.get("contractId"), int(body.get("groupId") or 0))
            details = importer.import_file(body)
            definition = {**details, "contractId": body["contractId"], "groupId": int(body["groupId"])}
            self.versions.check_definition(definition, None)
        except importer.ImportProblems as exc:
            return self._import_failed(body, {**exc.details, **details}, exc.problems)
        except HTTPProblem as exc:  # the create rules (name, URLs, hosts, group) as import problems
            errors = exc.extra.get("errors") or [{"pointer": "", "detail": exc.detail}]
            return self._import_failed(body, details, [(e.get("pointer") or "", e["detail"]) for e in errors])
        eid = self.store.next_id(st.V, "endpoint", 100)
        endpoint = objects.endpoint_object(definition, None, objects.Ids(self.store), apiEndPointId=eid,
                                           versionNumber=1, lockVersion=0, contractId=definition["contractId"],
                                           groupId=definition["groupId"])
        entry: dict[str, Any] = {"versions": {"1": self.versions.record(endpoint, None)}}
        activation.networks(entry)
        st.endpoints(self.store)[str(eid)] = entry
        return json_response(views.endpoint(entry, entry["versions"]["1"]), 201,
                             headers={"Location": f"{BASE}/endpoints/{eid}/versions/1"})

    async def import_version_file(self, request: Request) -> Response:
        """Edit a Version from an API Definition File (seed 1844-2090, akamai.json
        post-endpoint-version-file): the version as the file describes it, NOT stored: the client
        PUTs it back to finish (seed: "submit it as a request to the Modify a Version operation")."""
        body: dict[str, Any] = {}
        details: dict[str, Any] = {}
        try:
            body = await st.checked_body(request)
            entry, version = self.versions.version(request, 400)  # the operation documents 400 only
            old = version["endpoint"]
            details = importer.import_file(body)
            definition = {**details, "contractId": old["contractId"], "groupId": old["groupId"]}
            self.versions.check_definition(definition, old["apiEndPointId"])
        except importer.ImportProblems as exc:
            return self._import_failed(body, {**exc.details, **details}, exc.problems)
        except HTTPProblem as exc:
            errors = exc.extra.get("errors") or [{"pointer": "", "detail": exc.detail}]
            return self._import_failed(body, details, [(e.get("pointer") or "", e["detail"]) for e in errors])
        made = objects.endpoint_object(definition, old, objects.Ids(self.store), apiEndPointId=old["apiEndPointId"],
                                       versionNumber=old["versionNumber"], lockVersion=old["lockVersion"],
                                       contractId=old["contractId"], groupId=old["groupId"])
        return json_response(views.endpoint(entry, {**version, "endpoint": made}))

    def _import_failed(self, body: dict[str, Any], details: dict[str, Any],
                       problems: list[tuple[str, str]]) -> Response:
        shown = {"apiEndPointName": details.get("apiEndPointName") or "", "apiEndPointHosts":
                 details.get("apiEndPointHosts") or [], "contractId": body.get("contractId"),
                 "groupId": body.get("groupId"), "lockVersion": -1,
                 **{k: v for k, v in details.items() if k in ("description", "basePath", "apiEndPointScheme",
                                                              "securityScheme", "apiResources")}}
        result: dict[str, Any] = {"problems": importer.problem_items(problems)}
        if shown["apiEndPointName"] and shown["apiEndPointHosts"]:  # the schema wants both (non-empty)
            result["apiEndpointDetails"] = shown
        return json_response(result, 400)

    async def delete_endpoint(self, request: Request) -> Response:
        eid = path_int(request, "eid")
        entry = self.versions.settled(st.get_entry(self.store, eid))
        if activation.busy(entry):  # seed 1014; akamai.json documents 403 for a refusal
            raise HTTPProblem(403, "Forbidden", "a version of this endpoint is active or pending activation: "
                              "deactivate it first")
        del st.endpoints(self.store)[str(eid)]
        return Response(status_code=204)

    # -- categories --

    async def list_categories(self, request: Request) -> Response:
        usage = request.query_params.get("withUsageInfo") == "true"
        found = st.categories(self.store)
        items = [self._category_view(found[key], usage) for key in sorted(found, key=int)]
        if usage:  # seed 4193-4196
            items.append({"apiCategoryName": "__UNCATEGORIZED__", "usageCount": self._usage(None)})
        return json_response(items)

    async def create_category(self, request: Request) -> Response:
        body = await st.checked_body(request)
        name = body["apiCategoryName"]
        if any(c["apiCategoryName"].casefold() == name.casefold() for c in st.categories(self.store).values()):
            raise st.invalid([("/apiCategoryName", f"a category named {name!r} already exists")])  # seed 4209
        cid = self.store.next_id(st.V, "category", 9900)
        when = st.stamp()
        category = {"apiCategoryId": cid, "apiCategoryName": name, "link": f"{BASE}/categories/{cid}",
                    "lockVersion": 0, "createdBy": st.USER, "createDate": when, "updatedBy": st.USER,
                    "updateDate": when}
        if body.get("apiCategoryDescription") is not None:
            category["apiCategoryDescription"] = body["apiCategoryDescription"]
        st.categories(self.store)[str(cid)] = category
        return json_response(category, 201, headers={"Location": category["link"]})

    async def get_category(self, request: Request) -> Response:
        return json_response(copy.deepcopy(self._category(request, 404)))

    async def delete_category(self, request: Request) -> Response:
        category = self._category(request, 403)  # delete-category documents 403 only
        if self._usage(category["apiCategoryId"]):
            raise HTTPProblem(403, "Forbidden", "the category is assigned to an endpoint (seed: Remove a Category)")
        del st.categories(self.store)[str(category["apiCategoryId"])]
        return Response(status_code=204)

    def _category(self, request: Request, status: int) -> dict[str, Any]:
        found = st.categories(self.store).get(str(path_int(request, "cid")))
        if found is None:
            raise HTTPProblem(status, "Not Found" if status == 404 else "Forbidden", "no such category")
        return found

    def _category_view(self, category: dict[str, Any], usage: bool) -> dict[str, Any]:
        return {**category, "usageCount": self._usage(category["apiCategoryId"])} if usage else dict(category)

    def _usage(self, cid: int | None) -> int:
        """Endpoints with a live version tagged ``cid`` (None: untagged ones)."""
        count = 0
        for entry in st.endpoints(self.store).values():
            tags = [set(v["endpoint"].get("apiCategoryIds") or []) for v in st.live(entry)]
            count += any(cid in t for t in tags) if cid is not None else bool(tags) and not any(tags)
        return count

    # -- contracts --

    async def list_groups(self, request: Request) -> Response:
        return json_response(st.GROUPS)

    async def list_hosts(self, request: Request) -> Response:
        key = (request.path_params["contract"], path_int(request, "gid"))
        st.check_group(*key)
        return json_response(st.HOSTS[key])


def denied(reason: str) -> Response:
    """401 as Akamai's gateway answers a request it cannot authenticate (edgegrid-401-undocumented)."""
    body = {"type": AUTHN_TYPE, "title": "Not authorized", "status": 401, "detail": reason,
            "instance": f"{INSTANCE_BASE}/{uuid.uuid4()}"}
    return json_response(body, 401, media_type=PROBLEM)


def _matches(endpoint: dict[str, Any], needle: str, contract: str | None, group: str | None) -> bool:
    """Seed 65-68: ``contains`` searches name, description, basePath and resource paths; contractId and
    groupId filter together."""
    if contract is not None and group is not None and (endpoint["contractId"], str(endpoint["groupId"])) != (
            contract, group):
        return False
    text = " ".join([endpoint["apiEndPointName"], endpoint.get("description") or "", endpoint.get("basePath") or "",
                     *(r.get("resourcePath", "") for r in endpoint.get("apiResources") or [])])
    return needle in text.casefold()
