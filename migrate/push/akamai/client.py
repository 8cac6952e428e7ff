"""Akamai API Endpoint Definition API v2 client (vendors.md, seed 002): EdgeGrid auth, endpoints
looked up by name, versions cloned when the latest one is locked, PUT with lockVersion, activation."""

from __future__ import annotations

import logging
import time
from typing import Any

import requests
from akamai.edgegrid import EdgeGridAuth

from migrate.core.errors import ConflictError, PushError
from migrate.core.status import Action
from migrate.emitters.base import EmitOptions
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
    strip,
)

V = "akamai"
#: fields the server owns (seed 002): never part of a comparison
SERVER_FIELDS = frozenset({"apiEndPointId", "versionNumber", "lockVersion", "stagingStatus", "productionStatus",
                           "apiEndPointLocked", "clonedFromVersion", "apiResourceId", "link"})
#: edgegrid-python logs signing material at DEBUG: keep it quiet whatever the root level
logging.getLogger("akamai.edgegrid").setLevel(logging.WARNING)


class AkamaiClient:
    vendor = V

    def __init__(self, base_url: str, auth: EdgeGridAuth, contract_id: str | None = None,
                 group_id: int | None = None, account_key: str | None = None,
                 policy: RetryPolicy | None = None) -> None:
        self.target = base_url.rstrip("/")
        self.policy = policy or RetryPolicy()
        self.session = make_session(self.policy)
        self.session.auth = auth
        if account_key:  # vendors.md: every call may carry accountSwitchKey
            self.session.params = {"accountSwitchKey": account_key}
        self.contract_id, self.group_id = contract_id, group_id

    def call(self, method: str, path: str, action: str, **kwargs: Any) -> requests.Response:
        log.debug("akamai %s %s", method, path)
        return send(self.session, V, method, self.target + path, action, self.policy, **kwargs)

    def emit_options(self, options: EmitOptions) -> EmitOptions:
        from dataclasses import replace

        return replace(options, contract_id=options.contract_id or self.contract_id,
                       group_id=options.group_id or (str(self.group_id) if self.group_id else None))

    def body(self, delivery: Delivery) -> dict[str, Any]:
        body: dict[str, Any] = json_document(delivery, "akamai.json")
        body.setdefault("contractId", self.contract_id)
        body.setdefault("groupId", self.group_id)
        return body

    def key(self, delivery: Delivery) -> str:
        return str(self.body(delivery)["apiEndPointName"])

    def desired(self, delivery: Delivery) -> Definition:
        return definition(self.body(delivery))

    def find(self, delivery: Delivery, known: dict[str, Any]) -> Remote | None:
        name = self.key(delivery)
        eid = known.get("ids", {}).get("endpointId")
        remote = self._read(eid, name) if eid is not None else None
        if remote is None:
            eid = self._search(name)
            remote = self._read(eid, name) if eid is not None else None
        return remote

    def _search(self, name: str) -> int | None:
        found = self.call("GET", "/endpoints", "list endpoints",
                          params={"contains": name, "pageSize": 1000}).json()
        for item in found.get("apiEndPoints") or []:
            if str(item.get("apiEndPointName", "")).casefold() == name.casefold():
                return int(item["apiEndPointId"])
        return None

    def _read(self, eid: int, name: str) -> Remote | None:
        try:
            versions = self.call("GET", f"/endpoints/{eid}/versions", "list versions",
                                 params={"pageSize": 1000}).json()
        except PushError as exc:
            if exc.status == 404:
                return None
            raise
        if str(versions.get("apiEndPointName", "")).casefold() != name.casefold():
            return None
        latest = max(versions["apiVersions"], key=lambda v: int(v["versionNumber"]))
        number = int(latest["versionNumber"])
        detail = self.call("GET", f"/endpoints/{eid}/versions/{number}/resources-detail", "read version").json()
        state = {"stagingStatus": latest.get("stagingStatus"), "productionStatus": latest.get("productionStatus"),
                 "lockVersion": detail.get("lockVersion"), "versions": versions["apiVersions"]}
        return Remote({"endpointId": eid}, str(number), bool(latest.get("isVersionLocked")),
                      definition(detail), state)

    def change_kind(self, remote: Remote) -> str:
        return Action.NEW_VERSION if remote.locked else Action.UPDATE

    def create(self, delivery: Delivery) -> Remote:
        name = self.key(delivery)

        def post() -> Remote:
            created = self.call("POST", "/endpoints", "create endpoint", json=self.body(delivery)).json()
            return self._read(int(created["apiEndPointId"]), name) or _missing(name)

        return create_once(post, lambda: self.find(delivery, {}), self.policy)

    def change(self, delivery: Delivery, remote: Remote) -> Remote:
        eid, number = remote.ids["endpointId"], int(remote.version or 1)
        if remote.locked:
            number = self._clone(eid, number)
        self._put(eid, number, self.body(delivery))
        return self._read(eid, self.key(delivery)) or _missing(self.key(delivery))

    def _clone(self, eid: int, number: int) -> int:
        """cloneVersion is not idempotent: after an unknown outcome, look for a clone of ``number``."""
        def post() -> int:
            return int(self.call("POST", f"/endpoints/{eid}/versions/{number}/cloneVersion", "clone version",
                                 json={}).json()["versionNumber"])

        def lookup() -> int | None:
            listed = self.call("GET", f"/endpoints/{eid}/versions", "list versions", params={"pageSize": 1000})
            clones = [int(v["versionNumber"]) for v in listed.json()["apiVersions"]
                      if v.get("basedOn") == number and not v.get("isVersionLocked")]
            return max(clones) if clones else None

        return create_once(post, lookup, self.policy)

    def _put(self, eid: int, number: int, body: dict[str, Any]) -> None:
        """PUT with the current lockVersion; a 409 after a lost response is checked by reading back."""
        path = f"/endpoints/{eid}/versions/{number}"
        for attempt in range(1, self.policy.attempts + 1):
            current = self.call("GET", path + "/resources-detail", "read version").json()
            if definition(current).body == definition(body).body:
                return
            try:
                self.call("PUT", path, "update version", json={**body, "lockVersion": current["lockVersion"]})
                return
            except (ConflictError, MaybeCommitted):
                time.sleep(self.policy.backoff(attempt))
        raise ConflictError(V, f"version {number} of endpoint {eid} kept changing under us (stale lockVersion)")

    def followups(self, delivery: Delivery, remote: Remote | None, options: PushOptions) -> list[Followup]:
        if not options.activate:
            return []
        network = options.activate.upper()
        status = (remote.state.get(f"{network.lower()}Status") if remote else None)
        if status == "ACTIVE":
            return []
        which = f"version {remote.version}" if remote else "the pushed version"
        return [Followup("activate", f"activate {which} on {network}")]

    def run_followup(self, step: Followup, delivery: Delivery, remote: Remote, options: PushOptions) -> None:
        network = (options.activate or "staging").upper()
        eid, number = remote.ids["endpointId"], remote.version
        body = {"networks": [network], "notificationRecipients": [], "notes": "api-migrate push"}
        for attempt in range(1, self.policy.attempts + 1):
            try:
                self.call("POST", f"/endpoints/{eid}/versions/{number}/activate", "activate", json=body)
                return
            except MaybeCommitted:  # activating twice is harmless; check first anyway
                found = self._read(eid, self.key(delivery))
                if found and found.version == number and found.state.get(f"{network.lower()}Status") == "ACTIVE":
                    return
                time.sleep(self.policy.backoff(attempt))
        raise PushError(V, f"activation of version {number} did not go through")


def _missing(name: str) -> Remote:
    raise PushError(V, f"endpoint {name!r} vanished right after it was written")


def definition(endpoint: dict[str, Any]) -> Definition:
    body = strip(endpoint, SERVER_FIELDS)
    return Definition(body, shape(body))


def shape(endpoint: dict[str, Any]) -> Shape:
    out: Shape = {}
    for resource in endpoint.get("apiResources") or []:
        for method in resource.get("apiResourceMethods") or []:
            params = [f"{p.get('apiParameterLocation')} {p.get('apiParameterName')}"
                      for p in method.get("apiParameters") or []]
            add_to_shape(out, str(resource.get("resourcePath", "/")), str(method.get("apiResourceMethod")), params)
    return out
