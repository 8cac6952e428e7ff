"""Frends API management client (seed 000, vendors.md): bearer API key; an API specification is
found by its base path (server URL / basePath, which Frends never lets change) and title; import
creates, PUT of the spec updates the active version, publish locks it (a new active version is
made), deploy puts the latest published version on an Agent Group; passthrough configs are synced."""

from __future__ import annotations

import json
import time
from typing import Any
from urllib.parse import urlparse

import requests

from migrate.core.errors import ConflictError, PushError
from migrate.core.status import Action
from migrate.emitters.base import EmitOptions
from migrate.push.frends.passthrough import in_sync, sync_passthrough
from migrate.push.http import MaybeCommitted, RetryPolicy, create_once, make_session, send
from migrate.push.protocol import (
    Definition,
    Delivery,
    Followup,
    PushOptions,
    Remote,
    header_value,
    json_document,
    log,
    openapi_shape,
    payload_file,
)

V = "frends"
SPECS = "/api-management/api-specifications"
#: vendors.md: import is slow
IMPORT_TIMEOUT = 300.0


class FrendsClient:
    vendor = V

    def __init__(self, base_url: str, api_key: str, policy: RetryPolicy | None = None) -> None:
        self.target = base_url.rstrip("/")
        self.policy = policy or RetryPolicy()
        self.session = make_session(self.policy)
        self.session.headers["Authorization"] = f"Bearer {header_value(V, 'the API key', api_key)}"

    def call(self, method: str, path: str, action: str, **kwargs: Any) -> requests.Response:
        log.debug("frends %s %s", method, path)
        return send(self.session, V, method, self.target + SPECS + path, action, self.policy, **kwargs)

    def emit_options(self, options: EmitOptions) -> EmitOptions:
        return options

    def document(self, delivery: Delivery) -> dict[str, Any]:
        return dict(json_document(delivery, "frends-openapi.json"))

    def key(self, delivery: Delivery) -> str:
        return base_path(self.document(delivery))

    def desired(self, delivery: Delivery) -> Definition:
        document = self.document(delivery)
        return Definition(document, openapi_shape(document))

    def find(self, delivery: Delivery, known: dict[str, Any]) -> Remote | None:
        title, path = str(self.document(delivery)["info"]["title"]), self.key(delivery)
        sid = known.get("ids", {}).get("specId")
        remote = self._read(int(sid), path) if sid is not None else None
        if remote is not None and str(remote.state["name"]).casefold() != title.casefold():
            # the base path is the key Frends enforces; another API's title there means another API
            raise ConflictError(V, f"base path {path} is already used by API specification {sid} "
                                f"({remote.state['name']!r}), not {title!r}", 409)
        if remote is None:
            for candidate in self._ids_named(title):
                remote = self._read(candidate, path)
                if remote is not None:
                    break
        return remote

    def _ids_named(self, title: str) -> list[int]:
        found, page = [], 1
        while True:
            listed = self.call("GET", "", "list API specifications", params={"PageNumber": page, "PageSize": 200})
            data = listed.json()
            found += [int(s["id"]) for s in data.get("data") or [] if str(s.get("name")).casefold() == title.casefold()]
            if not (data.get("paging") or {}).get("nextPage"):
                return found
            page += 1

    def version(self, sid: int, number: int) -> dict[str, Any]:
        return dict(self.call("GET", f"/{sid}/{number}", "read version").json()["data"])

    def _read(self, sid: int, path: str) -> Remote | None:
        try:
            summary = self.call("GET", f"/{sid}", "read API specification").json()["data"]
        except PushError as exc:
            if exc.status == 404:
                return None
            raise
        active = int(summary["activeVersion"])
        current = self.version(sid, active)
        document = json.loads(current["specification"])
        if base_path(document) != path:
            return None
        previous = self.version(sid, active - 1) if active > 1 else None
        state = {"name": summary.get("name"), "previous": previous, "agentGroups": current.get("agentGroups") or []}
        return Remote({"specId": sid}, str(active), bool(current.get("published")),
                      Definition(document, openapi_shape(document)), state)

    def change_kind(self, remote: Remote) -> str:
        return Action.UPDATE

    def create(self, delivery: Delivery) -> Remote:
        text, path = self.document_text(delivery), self.key(delivery)

        def post() -> Remote:
            created = self.call("POST", "/import", "import API specification", timeout=IMPORT_TIMEOUT,
                                files={"file": ("openapi.json", text.encode("utf-8"), "application/json")})
            return self._read(int(created.json()["data"]["id"]), path) or _missing(path)

        return create_once(post, lambda: self.find(delivery, {}), self.policy)

    def document_text(self, delivery: Delivery) -> str:
        found = payload_file(delivery, "frends-openapi.json")
        assert found is not None
        return found.text

    def change(self, delivery: Delivery, remote: Remote) -> Remote:
        sid = int(remote.ids["specId"])
        self.call("PUT", f"/{sid}", "update API specification", json=self.document_text(delivery))
        return self._read(sid, self.key(delivery)) or _missing(self.key(delivery))

    def followups(self, delivery: Delivery, remote: Remote | None, options: PushOptions) -> list[Followup]:
        steps = []
        if payload_file(delivery, "frends-passthrough.json") is not None and not self._passthrough_done(
                delivery, remote):
            steps.append(Followup("passthrough", "sync passthrough configurations of the active version"))
        published = remote is not None and _published_same(remote)
        if options.publish and not published:
            steps.append(Followup("publish", "publish the active version"))
        if options.deploy is not None and not (published and _deployed(remote, options.deploy)):
            steps.append(Followup("deploy", f"deploy the published version to Agent Group {options.deploy}"))
        return steps

    def _passthrough_done(self, delivery: Delivery, remote: Remote | None) -> bool:
        """The active version already has every passthrough config (``remote`` is None when the
        definition itself changes: then they are synced anyway)."""
        if remote is None:
            return False
        configs = json_document(delivery, "frends-passthrough.json")
        return in_sync(self, int(remote.ids["specId"]), int(remote.version or 1), configs)

    def run_followup(self, step: Followup, delivery: Delivery, remote: Remote, options: PushOptions) -> None:
        sid = int(remote.ids["specId"])
        if step.name == "passthrough":
            configs = json_document(delivery, "frends-passthrough.json")
            sync_passthrough(self, sid, int(remote.version or 1), configs)
        elif step.name == "publish":
            self._publish(sid, delivery)
        elif step.name == "deploy":
            self._deploy(sid, delivery, int(options.deploy or 0))

    def _publish(self, sid: int, delivery: Delivery) -> None:
        """Publishing twice would lock two versions: after an unknown outcome, check first."""
        fresh = self._read(sid, self.key(delivery)) or _missing(self.key(delivery))
        before = int(fresh.version or 1)

        def post() -> bool:
            self.call("POST", f"/{sid}/publish", "publish", json={"changeDescription": "api-migrate push"})
            return True

        def lookup() -> bool | None:
            now = self.call("GET", f"/{sid}", "read API specification").json()["data"]
            return True if int(now["activeVersion"]) > before else None

        create_once(post, lookup, self.policy)

    def _deploy(self, sid: int, delivery: Delivery, group: int) -> None:
        fresh = self._read(sid, self.key(delivery)) or _missing(self.key(delivery))
        previous = fresh.state.get("previous")
        if not previous or not previous.get("published"):
            raise PushError(V, "only a published version can be deployed: add --publish")
        number = int(previous["version"])
        for attempt in range(1, self.policy.attempts + 1):
            try:  # deploying the same version again changes nothing
                self.call("POST", f"/{sid}/{number}/deploy/{group}", "deploy")
                return
            except MaybeCommitted:
                time.sleep(self.policy.backoff(attempt))
        raise PushError(V, f"deploying version {number} to Agent Group {group} did not go through")


def _published_same(remote: Remote) -> bool:
    """The version before the active one is published and holds the same specification."""
    previous = remote.state.get("previous")
    if not previous or not previous.get("published") or remote.definition is None:
        return False
    return bool(json.loads(previous["specification"]) == remote.definition.body)


def _deployed(remote: Remote | None, group: int) -> bool:
    previous = remote.state.get("previous") if remote else None
    return bool(previous) and group in (previous or {}).get("agentGroups", [])


def _missing(path: str) -> Remote:
    raise PushError(V, f"API specification with base path {path} vanished right after it was written")


def base_path(document: dict[str, Any]) -> str:
    """Seed 000: basePath (OpenAPI 2) / the first server URL's path (OpenAPI 3)."""
    if "swagger" in document:
        raw = str(document.get("basePath") or "/")
    else:
        servers = document.get("servers") or [{}]
        raw = urlparse(str(servers[0].get("url") or "/")).path if isinstance(servers[0], dict) else "/"
    return "/" + raw.strip("/")
