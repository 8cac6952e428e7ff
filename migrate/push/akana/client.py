"""Akana API Platform client (seed 003, vendors.md): login cookie + CSRF header, token renewal
(renewToken, else a new login) on 401 and when the platform asks for it, APIs looked up by name.

Create: legacy ``POST /api/apis`` (JSON or XML) or, in import mode, a dropbox upload plus a
DLDescriptor. Update of an existing API: a new API version (``POST /api/apis/{APIID}/versions``),
never a replacement, so the running version is untouched. The version is named after the spec's
``info.version``; when that name is taken, ``-r<N>`` is appended (Akana refuses duplicate names).
"""

from __future__ import annotations

import json
from typing import Any

import requests

from migrate.core.errors import PushError
from migrate.core.status import Action
from migrate.emitters.base import EmitOptions
from migrate.push.akana.session import AkanaSession, xml_to_dict
from migrate.push.http import MaybeCommitted, RetryPolicy, create_once
from migrate.push.protocol import (
    Definition,
    Delivery,
    Followup,
    PushOptions,
    Remote,
    Shape,
    add_to_shape,
    payload_file,
    source_hash,
)

V = "akana"


class AkanaClient:
    vendor = V

    def __init__(self, base_url: str, email: str, password: str, fedmemberid: str,
                 policy: RetryPolicy | None = None) -> None:
        self.target = base_url.rstrip("/")
        self.policy = policy or RetryPolicy()
        self.api = AkanaSession(self.target, email, password, fedmemberid, self.policy)

    def emit_options(self, options: EmitOptions) -> EmitOptions:
        return options

    def call(self, method: str, path: str, action: str, **kwargs: Any) -> requests.Response:
        return self.api.call(method, path, action, **kwargs)

    def legacy(self, delivery: Delivery) -> dict[str, Any] | None:
        """The legacy API object (from akana.json or akana.xml), or None in import mode."""
        found = payload_file(delivery, "akana.json", "akana.xml")
        if found is None:
            return None
        if found.name.endswith(".json"):
            return dict(json.loads(found.text))
        return xml_to_dict(found.text.encode("utf-8"))

    def key(self, delivery: Delivery) -> str:
        legacy = self.legacy(delivery)
        if legacy is not None:
            return str(legacy["Name"])
        descriptor = json.loads(_file(delivery, "akana-descriptor.json").text)
        return str(descriptor["DLDescriptor"]["ServiceDescriptorReference"]["ServiceName"])

    def desired(self, delivery: Delivery) -> Definition:
        legacy = self.legacy(delivery)
        if legacy is None:  # import mode: Akana does not return the operations of an imported file
            return Definition({"import": source_hash(delivery)}, {})
        return version_definition(legacy["APIVersion"])

    def find(self, delivery: Delivery, known: dict[str, Any]) -> Remote | None:
        name = self.key(delivery)
        api_id = known.get("ids", {}).get("apiId") or self._search(name)
        remote = self._read(api_id, name, delivery) if api_id else None
        if remote is None and known.get("ids", {}).get("apiId"):
            api_id = self._search(name)
            remote = self._read(api_id, name, delivery) if api_id else None
        if remote is not None and remote.definition is not None and "import" in remote.definition.body:
            # Akana does not give back an imported file's operations: the journal's hash stands in
            remote.definition = Definition({"import": known.get("sourceHash")}, {})
        return remote

    def _search(self, name: str) -> str | None:
        for item in self.call("GET", "/apis", "list APIs").json().get("API") or []:
            if str(item.get("Name", "")).casefold() == name.casefold():
                return str(item["APIID"])
        return None

    def _read(self, api_id: str, name: str, delivery: Delivery) -> Remote | None:
        try:
            api = self.call("GET", f"/apis/{api_id}", "read API").json()
        except PushError as exc:
            if exc.status == 404:
                return None
            raise
        if str(api.get("Name", "")).casefold() != name.casefold():
            return None
        listed = self.call("GET", f"/apis/{api_id}/versions", "list versions").json().get("APIVersion") or []
        version = api.get("APIVersion") or {}
        imported = "SourceFile" in version and not version.get("Operations")
        found = Definition({"import": version.get("Name")}, {}) if imported else version_definition(version)
        ids = {"apiId": api_id, "apiVersionId": version.get("APIVersionID")}
        return Remote(ids, version.get("Name"), False, found, {"versionNames": [v.get("Name") for v in listed]})

    def change_kind(self, remote: Remote) -> str:
        return Action.NEW_VERSION

    def create(self, delivery: Delivery) -> Remote:
        name = self.key(delivery)
        legacy = payload_file(delivery, "akana.json", "akana.xml")
        if legacy is not None:
            headers = {"Content-Type": legacy.media_type}
            data: str = legacy.text
        else:
            headers, data = {"Content-Type": "application/json"}, self._descriptor(delivery)

        def post() -> Remote:
            created = self.call("POST", "/apis", "create API", data=data.encode("utf-8"), headers=headers)
            self.api.renew_if_asked(created)
            return self._read(_api_id(created), name, delivery) or _missing(name)

        return create_once(post, lambda: self.find(delivery, {}), self.policy)

    def _descriptor(self, delivery: Delivery) -> str:
        """Akana 8.1+: upload the spec to the dropbox, then refer to it (a repeated upload is harmless)."""
        spec = _file(delivery, "openapi.json")
        for attempt in range(1, self.policy.attempts + 1):
            try:
                uploaded = self.call("POST", "/dropbox/readfiledetails", "upload spec",
                                     files={"file": (spec.name, spec.text.encode("utf-8"), spec.media_type)})
                break
            except MaybeCommitted:
                if attempt == self.policy.attempts:
                    raise
        file_id = str(uploaded.json()["DropboxFileId"])
        return _file(delivery, "akana-descriptor.json").text.replace("${DropboxFileId}", file_id)

    def change(self, delivery: Delivery, remote: Remote) -> Remote:
        legacy = self.legacy(delivery)
        if legacy is None:
            raise PushError(V, "a new version of an API imported from a file cannot be made through the API "
                            "(Akana's versions endpoint takes a version object): push in legacy mode")
        taken = set(remote.state.get("versionNames") or [])
        version = dict(legacy["APIVersion"], Name=free_name(str(legacy["APIVersion"].get("Name") or "1.0"), taken))
        api_id, name = remote.ids["apiId"], self.key(delivery)

        def post() -> Remote:
            made = self.call("POST", f"/apis/{api_id}/versions", "create version", json={"APIVersion": version})
            self.api.renew_if_asked(made)
            return self._read(api_id, name, delivery) or _missing(name)

        def lookup() -> Remote | None:
            found = self._read(api_id, name, delivery)
            return found if found and version["Name"] in found.state.get("versionNames", []) else None

        return create_once(post, lookup, self.policy)

    def followups(self, delivery: Delivery, remote: Remote | None, options: PushOptions) -> list[Followup]:
        return []

    def run_followup(self, step: Followup, delivery: Delivery, remote: Remote, options: PushOptions) -> None:
        raise PushError(V, f"unknown step {step.name}")  # pragma: no cover


def free_name(name: str, taken: set[str]) -> str:
    """``name``, or ``name-rN`` with the smallest N >= 2 not in ``taken``."""
    if name not in taken:
        return name
    n = 2
    while f"{name}-r{n}" in taken:
        n += 1
    return f"{name}-r{n}"


def _api_id(response: requests.Response) -> str:
    if "xml" in response.headers.get("content-type", ""):
        return str(xml_to_dict(response.content)["APIID"])
    return str(response.json()["APIID"])


def _file(delivery: Delivery, name: str) -> Any:
    found = payload_file(delivery, name)
    if found is None:
        raise PushError(V, f"the payload has no {name}")
    return found


def _missing(name: str) -> Remote:
    raise PushError(V, f"API {name!r} vanished right after it was written")


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [] if value in (None, "") else [value]


def version_definition(version: dict[str, Any]) -> Definition:
    """Compared: operations (method, path, inputs) and endpoint URIs; JSON and XML forms alike."""
    out: Shape = {}
    for op in _as_list((version.get("Operations") or {}).get("Operation")):
        inputs = [f"{i.get('Type')} {i.get('Name')}" for i in _as_list(op.get("Input")) if isinstance(i, dict)]
        add_to_shape(out, str(op.get("Path", "/")), str(op.get("Method", "GET")), inputs)
    uris = sorted(str(e.get("Uri")) for e in _as_list((version.get("Endpoints") or {}).get("Endpoint"))
                  if isinstance(e, dict))
    return Definition({"operations": out, "endpoints": uris}, out)

