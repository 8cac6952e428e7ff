"""Akamai API Endpoint Definition API v2 client (vendors.md, seed 002): EdgeGrid auth; endpoints
found by name (or by the journal's id); "unchanged" decided on a projection of Akamai's object
(``project``); updates as Akamai documents them (GET resources-detail -> modify -> PUT with its
lockVersion), on a clone when the latest version was ever activated; hostnames checked against the
contract and group; activation requested once and polled until ACTIVE or FAILED."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import requests
from akamai.edgegrid import EdgeGridAuth

from migrate.core.errors import ConflictError, PushError
from migrate.core.status import Action
from migrate.emitters.akamai.importfile import FILE_NAME as IMPORT_FILE
from migrate.emitters.base import EmitOptions
from migrate.push.akamai import settings as delivery_settings
from migrate.push.akamai.activation import Poller, failure_message, status_field
from migrate.push.akamai.categories import Categories, category_names
from migrate.push.akamai.importing import import_refused
from migrate.push.akamai.project import merge, project
from migrate.push.http import MaybeCommitted, RetryPolicy, create_once, make_session, send
from migrate.push.protocol import (
    Definition,
    Delivery,
    Followup,
    PushOptions,
    Remote,
    Shape,
    add_to_shape,
    json_document,
    log,
    payload_file,
)

V = "akamai"
#: the member of a Definition body that holds the delivery settings (ours, not an Endpoint member)
SETTINGS = "deliverySettings"
PAGE_SIZE = 100
MAX_PAGES = 1000
#: edgegrid-python logs signing material at DEBUG: keep it quiet whatever the root level
logging.getLogger("akamai.edgegrid").setLevel(logging.WARNING)


class AkamaiClient:
    vendor = V
    id_key = "endpointId"
    finds_by_name = True

    def __init__(self, base_url: str, auth: EdgeGridAuth, contract_id: str | None = None,
                 group_id: int | None = None, account_key: str | None = None,
                 policy: RetryPolicy | None = None, endpoint_host: str | None = None) -> None:
        self.target = base_url.rstrip("/")
        self.policy = policy or RetryPolicy()
        self.session = make_session(self.policy)
        self.session.auth = auth
        if account_key:  # vendors.md: every call may carry accountSwitchKey
            self.session.params = {"accountSwitchKey": account_key}
        self.contract_id, self.group_id, self.endpoint_host = contract_id, group_id, endpoint_host
        self.settings_file: Path | None = None  # the profile's akamai_settings
        self._imports: dict[tuple[int, int], dict[str, Any]] = {}  # (endpoint, version) -> the file's import
        self.categories = Categories(self.call, self.policy)
        self._hosts: dict[tuple[str, int], list[str]] = {}

    def call(self, method: str, path: str, action: str, **kwargs: Any) -> requests.Response:
        log.debug("akamai %s %s", method, path)
        return send(self.session, V, method, self.target + path, action, self.policy, **kwargs)

    def emit_options(self, options: EmitOptions) -> EmitOptions:
        """The profile's contract, group, endpoint hostname and settings file, unless the options
        name their own."""
        return replace(options, contract_id=options.contract_id or self.contract_id,
                       group_id=options.group_id or (str(self.group_id) if self.group_id else None),
                       host=options.host or self.endpoint_host,
                       akamai_settings=options.akamai_settings or self.settings_file)

    def body(self, delivery: Delivery, create_categories: bool = False) -> dict[str, Any]:
        """akamai.json with the profile's contract and group, and the ids of the categories named
        with ``--category NAME`` (created at Akamai when missing, if ``create_categories``)."""
        body: dict[str, Any] = json_document(delivery, "akamai.json")
        body.setdefault("contractId", self.contract_id)
        body.setdefault("groupId", self.group_id)
        names = category_names(delivery)
        if names:
            found = self.categories.ids(names, create_categories)
            body["apiCategoryIds"] = list(dict.fromkeys([*(body.get("apiCategoryIds") or []), *found.values()]))
        return body

    def key(self, delivery: Delivery) -> str:
        return str(self.body(delivery)["apiEndPointName"])

    def desired(self, delivery: Delivery) -> Definition:
        ours = self.body(delivery)
        missing = self.categories.missing(category_names(delivery))
        if self._import_body(delivery) is not None:  # what Akamai's import makes of the spec, when it can say
            found = self._search(ours)
            latest = self._latest(found) if found is not None else None
            if found is not None and latest is not None:
                ours = self._reference(delivery, found, latest, ours)
        body = project(ours, ours)
        if missing:  # shown in the plan as categories to create (their ids exist only then)
            body["apiCategoryIds"] = [*body.get("apiCategoryIds", []), *(f"(new) {n}" for n in missing)]
        wanted = delivery_settings.wanted(delivery)
        if wanted is not None:
            body[SETTINGS] = delivery_settings.desired(wanted)
        return Definition(body, shape(ours))

    # -- reading --

    def find(self, delivery: Delivery, known: dict[str, Any]) -> Remote | None:
        """By the journal's endpoint id, else by name; an id Akamai answers 403/404 for (the
        endpoint is gone: akamai.json documents 403 for the versions list) falls back to the search."""
        ours = self.body(delivery)
        wanted = delivery_settings.wanted(delivery)
        eid = known.get("ids", {}).get("endpointId")
        remote = self._read(int(eid), ours, wanted, delivery) if eid is not None else None
        if remote is None:
            found = self._search(ours)
            remote = self._read(found, ours, wanted, delivery) if found is not None else None
        return remote

    # -- --akamai-mode import --

    def _import_body(self, delivery: Delivery) -> dict[str, Any] | None:
        """The server-side import's request body (akamai-import.json + the contract and group)."""
        found = payload_file(delivery, IMPORT_FILE)
        if found is None:
            return None
        ours = self.body(delivery)
        return {**json.loads(found.text), "contractId": ours.get("contractId"), "groupId": ours.get("groupId")}

    def _reference(self, delivery: Delivery, eid: int, number: int, ours: dict[str, Any]) -> dict[str, Any]:
        """What version ``number`` should hold: our definition, or (import mode) what Akamai's import
        of the spec makes of it (POST …/versions/{v}/file: parsed, not stored)."""
        body = self._import_body(delivery)
        if body is None:
            return ours
        key = (eid, number)
        if key not in self._imports:
            try:
                answer = self.call("POST", f"/endpoints/{eid}/versions/{number}/file", "import definition file",
                                   json=body)
            except PushError as exc:
                raise import_refused(exc) from None
            self._imports[key] = answer.json()
        return self._imports[key]

    def _latest(self, eid: int) -> int | None:
        versions = self._versions(eid)
        return max(int(v["versionNumber"]) for v in versions) if versions else None

    def _pages(self, path: str, action: str, member: str, params: dict[str, Any]) -> Iterator[dict[str, Any]]:
        """The items of a paged list, page by page (``totalSize`` says when to stop)."""
        seen = 0
        for page in range(1, MAX_PAGES + 1):
            got = self.call("GET", path, action, params={**params, "page": page, "pageSize": PAGE_SIZE}).json()
            batch = got.get(member) or []
            yield from batch
            seen += len(batch)
            if not batch or seen >= int(got.get("totalSize") or 0):
                return

    def _search(self, ours: dict[str, Any]) -> int | None:
        """List Endpoints with ``contains`` (and the contract and group, seed 60-64), exact name match."""
        name = str(ours["apiEndPointName"])
        params: dict[str, Any] = {"contains": name}
        if ours.get("contractId") and ours.get("groupId"):
            params.update(contractId=ours["contractId"], groupId=ours["groupId"])
        for item in self._pages("/endpoints", "search endpoints", "apiEndPoints", params):
            if str(item.get("apiEndPointName", "")).casefold() == name.casefold():
                return int(item["apiEndPointId"])
        return None

    def _versions(self, eid: int) -> list[dict[str, Any]] | None:
        try:
            return list(self._pages(f"/endpoints/{eid}/versions", "list versions", "apiVersions", {}))
        except PushError as exc:
            if exc.status in (403, 404):
                return None
            raise

    def _detail(self, eid: int, number: int) -> dict[str, Any] | None:
        try:
            found: dict[str, Any] = self.call("GET", f"/endpoints/{eid}/versions/{number}/resources-detail",
                                              "read version").json()
        except PushError as exc:
            if exc.status in (403, 404):
                return None
            raise
        return found

    def _read(self, eid: int, ours: dict[str, Any], wanted: dict[str, Any] | None = None,
              delivery: Delivery | None = None) -> Remote | None:
        """The endpoint's latest version, or None when ``eid`` is not (any more) our endpoint;
        with ``wanted``, the members of the delivery settings it sets as the version holds them."""
        versions = self._versions(eid)
        if not versions:
            return None
        latest = max(versions, key=lambda v: int(v["versionNumber"]))
        number = int(latest["versionNumber"])
        detail = self._detail(eid, number)
        if detail is None or str(detail.get("apiEndPointName", "")).casefold() != \
                str(ours["apiEndPointName"]).casefold():
            return None
        if delivery is not None:
            ours = self._reference(delivery, eid, number, ours)
        statuses = {k: latest.get(k) for k in ("stagingStatus", "productionStatus")}
        # a version that was ever activated (any status at all) is edited only through a clone (akamai.json:
        # PUT updates "a version that has never been activated"; a status is null only before that)
        locked = bool(latest.get("isVersionLocked")) or any(s is not None for s in statuses.values())
        body = project(detail, ours)
        if wanted is not None:
            body[SETTINGS] = delivery_settings.read(self.call, eid, number, detail, wanted)
        served = {n: detail.get(f"{n.lower()}Version") or {} for n in ("STAGING", "PRODUCTION")}
        return Remote({"endpointId": eid}, str(number), locked, Definition(body, shape(detail)),
                      {**statuses, "versionNumber": number, "networks": served})

    def change_kind(self, remote: Remote) -> str:
        return Action.NEW_VERSION if remote.locked else Action.UPDATE

    # -- writing --

    def create(self, delivery: Delivery) -> Remote:
        ours = self.body(delivery, create_categories=True)
        self._check_hosts(ours)

        imported = self._import_body(delivery)

        def post() -> Remote:
            if imported is not None:  # --akamai-mode import: Akamai builds the endpoint from the spec
                return self._import_create(imported, delivery, ours)
            answer = self.call("POST", "/endpoints", "create endpoint", json=ours)
            eid = _id_of(answer.json(), "apiEndPointId") or _id_in_location(answer.headers.get("Location"))
            if eid is None:  # nullable in akamai.json: find the new endpoint by name instead
                return self.find(delivery, {}) or _missing(ours)
            return self._read(eid, ours) or _missing(ours)

        made = create_once(post, lambda: self.find(delivery, {}), self.policy)
        return self._apply_settings(delivery, made, ours)

    def _import_create(self, body: dict[str, Any], delivery: Delivery, ours: dict[str, Any]) -> Remote:
        try:
            answer = self.call("POST", "/endpoints/files", "import definition file", json=body)
        except PushError as exc:
            raise import_refused(exc) from None
        made = answer.json()
        eid = _id_of(made, "apiEndPointId") or _id_in_location(answer.headers.get("Location"))
        if eid is None:
            return self.find(delivery, {}) or _missing(ours)
        return self._read(eid, made) or _missing(ours)

    def _apply_settings(self, delivery: Delivery, remote: Remote, ours: dict[str, Any]) -> Remote:
        """The delivery settings written to the version ``remote`` names (they are keyed by its
        resources' ids, so only once the resources exist); the version read again when any was."""
        wanted = delivery_settings.wanted(delivery)
        if wanted is None:
            return remote
        eid, number = int(remote.ids["endpointId"]), int(remote.version or 1)
        detail = self._detail(eid, number) or {}
        written = delivery_settings.apply(self.call, eid, number, detail, wanted)
        if written:
            log.info("akamai: %s settings of version %s written", ", ".join(written), number)
        return self._read(eid, ours, wanted) or _missing(ours) if written else remote

    def change(self, delivery: Delivery, remote: Remote) -> Remote:
        ours = self.body(delivery, create_categories=True)
        self._check_hosts(ours)
        eid, number = int(remote.ids["endpointId"]), int(remote.version or 1)
        if remote.locked:
            number = self._clone(eid, number)
        target = self._reference(delivery, eid, number, ours)
        self._update(eid, number, target)
        changed = self._read(eid, target) or _missing(ours)
        return self._apply_settings(delivery, changed, ours)

    def _check_hosts(self, ours: dict[str, Any]) -> None:
        """vendors.md: hostnames must come from the contract and group's host list."""
        contract, group = str(ours.get("contractId")), int(ours.get("groupId") or 0)
        if (contract, group) not in self._hosts:
            found = self.call("GET", f"/contracts/{contract}/groups/{group}/hosts", "list hostnames").json()
            self._hosts[(contract, group)] = [str(h) for h in found]
        allowed = self._hosts[(contract, group)]
        wanted = [str(h) for h in ours.get("apiEndPointHosts") or []]
        missing = [h for h in wanted if h.casefold() not in {a.casefold() for a in allowed}]
        if missing:
            raise PushError(V, f"hostname(s) {', '.join(missing)} not available to contract {contract} and group "
                            f"{group}; allowed: {', '.join(allowed) or 'none'} (use --host)")

    def _clone(self, eid: int, number: int) -> int:
        """cloneVersion is not idempotent: after an unknown outcome, look for a clone of ``number``."""
        def post() -> int:
            answer = self.call("POST", f"/endpoints/{eid}/versions/{number}/cloneVersion", "clone version")
            made = _id_of(answer.json(), "versionNumber") or lookup()  # versionNumber is nullable in akamai.json
            if made is None:
                raise PushError(V, f"the clone of version {number} of endpoint {eid} was made but cannot be found")
            return made

        def lookup() -> int | None:
            clones = [int(v["versionNumber"]) for v in self._versions(eid) or []
                      if v.get("basedOn") == number and not v.get("isVersionLocked")]
            return max(clones) if clones else None

        return create_once(post, lookup, self.policy)

    def _update(self, eid: int, number: int, ours: dict[str, Any]) -> None:
        """GET -> modify -> PUT with its lockVersion (seed 1806-1811); a 409 means someone else
        wrote in between (or our lost PUT went through): read again and reapply."""
        path = f"/endpoints/{eid}/versions/{number}"
        wanted = project(ours, ours)
        for attempt in range(1, self.policy.attempts + 1):
            current = self.call("GET", path + "/resources-detail", "read version").json()
            if project(current, ours) == wanted:
                return
            try:
                self.call("PUT", path, "update version", json=merge(current, ours))
                return
            except (ConflictError, MaybeCommitted):
                time.sleep(self.policy.backoff(attempt))
        raise ConflictError(V, f"version {number} of endpoint {eid} kept changing under us (stale lockVersion)")

    # -- activation --

    def followups(self, delivery: Delivery, remote: Remote | None, options: PushOptions) -> list[Followup]:
        """Activate unless the version is ACTIVE (never a PENDING version again); deactivate the
        version active on ``options.deactivate``'s network (the Endpoint object's
        stagingVersion/productionVersion say which)."""
        steps = self._activation(remote, options)
        if options.deactivate:
            network = options.deactivate.upper()
            if options.activate and options.activate.upper() == network:
                raise PushError(V, f"--activate and --deactivate both name {network}: choose one")
            slot = (remote.state.get("networks") or {}).get(network) or {} if remote else {}
            if slot.get("status") == "ACTIVE" and slot.get("versionNumber") is not None:
                steps.append(Followup("deactivate", f"deactivate version {slot['versionNumber']} on {network}"))
        return steps

    def _activation(self, remote: Remote | None, options: PushOptions) -> list[Followup]:
        if not options.activate:
            return []
        network = options.activate.upper()
        status = remote.state.get(status_field(network)) if remote else None
        which = f"version {remote.version}" if remote else "the pushed version"
        if status == "ACTIVE" or (status == "PENDING" and not options.wait):
            return []
        if status == "PENDING":
            return [Followup("wait", f"wait until {which} is ACTIVE on {network} (activation already requested)")]
        how = "and wait until it is ACTIVE" if options.wait else "(not waiting: it stays PENDING until Akamai is done)"
        return [Followup("activate", f"activate {which} on {network} {how}")]

    def run_followup(self, step: Followup, delivery: Delivery, remote: Remote, options: PushOptions) -> None:
        if step.name == "deactivate":
            self._deactivate(remote, (options.deactivate or "staging").upper(), options)
            return
        network = (options.activate or "staging").upper()
        eid, number = int(remote.ids["endpointId"]), int(remote.version or 1)
        before = None
        if step.name == "activate":
            before = self._version_item(eid, number)  # the old status may still show right after the request
            self._activate(eid, number, network)
        if not options.wait:
            log.warning("akamai: activation of version %s on %s requested and PENDING (not waiting)", number, network)
            return
        item = Poller(lambda: self._version_item(eid, number), self.policy).wait(network, options.wait_timeout, before)
        status = item.get(status_field(network))
        if status == "FAILED":
            raise PushError(V, failure_message(number, network, self._detail(eid, number)))
        if status != "ACTIVE":
            raise PushError(V, f"version {number} on {network} is {status}, not ACTIVE: someone else changed it")

    def _deactivate(self, remote: Remote, network: str, options: PushOptions) -> None:
        """Deactivate a Version (seed 002) for the version the network serves, then (with wait)
        poll the versions list until it is DEACTIVATED."""
        eid = int(remote.ids["endpointId"])
        number = int(((remote.state.get("networks") or {}).get(network) or {}).get("versionNumber") or 0)
        before = self._version_item(eid, number)
        body = {"networks": [network], "notificationRecipients": [], "notes": "api-migrate push --deactivate"}
        self.call("POST", f"/endpoints/{eid}/versions/{number}/deactivate", "deactivate", json=body)
        if not options.wait:
            return
        item = Poller(lambda: self._version_item(eid, number), self.policy).wait(network, options.wait_timeout, before)
        if item.get(status_field(network)) != "DEACTIVATED":
            raise PushError(V, f"version {number} on {network} is {item.get(status_field(network))}, not DEACTIVATED")

    def _version_item(self, eid: int, number: int) -> dict[str, Any] | None:
        for item in self._versions(eid) or []:
            if int(item.get("versionNumber", -1)) == number:
                return item
        return None

    def _activate(self, eid: int, number: int, network: str) -> None:
        """POST activate once; after an unknown outcome, the versions list tells whether it went through."""
        body = {"networks": [network], "notificationRecipients": [], "notes": "api-migrate push"}
        for attempt in range(1, self.policy.attempts + 1):
            try:
                self.call("POST", f"/endpoints/{eid}/versions/{number}/activate", "activate", json=body)
                return
            except MaybeCommitted:
                try:  # send waits out any Retry-After the failed answer gave
                    item = self._version_item(eid, number)
                except MaybeCommitted:
                    item = None
                if item and item.get(status_field(network)) in ("PENDING", "ACTIVE"):
                    return
                time.sleep(self.policy.backoff(attempt))
        raise PushError(V, f"activation of version {number} did not go through")


def _missing(ours: dict[str, Any]) -> Remote:
    raise PushError(V, f"endpoint {ours.get('apiEndPointName')!r} vanished right after it was written")


def shape(endpoint: dict[str, Any]) -> Shape:
    out: Shape = {}
    for resource in endpoint.get("apiResources") or []:
        for method in resource.get("apiResourceMethods") or []:
            params = [f"{p.get('apiParameterLocation')} {p.get('apiParameterName')}"
                      for p in method.get("apiParameters") or []]
            add_to_shape(out, str(resource.get("resourcePath", "/")), str(method.get("apiResourceMethod")), params)
    return out


def _id_of(document: Any, field: str) -> int | None:
    """An integer id from an answer whose schema makes it nullable."""
    value = document.get(field) if isinstance(document, dict) else None
    return int(value) if isinstance(value, int) or (isinstance(value, str) and value.isdigit()) else None


def _id_in_location(location: str | None) -> int | None:
    """The endpoint id at the end of a create's ``Location`` header (seed 002: 201 with Location)."""
    last = (location or "").rstrip("/").rsplit("/", 1)[-1]
    return int(last) if last.isdigit() else None
