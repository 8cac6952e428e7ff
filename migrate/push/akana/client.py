"""Akana API Platform client (migrate/push/contracts/akana.yaml; seed 003; vendors.md).

- Login cookie, and the CSRF header only when the platform set the CSRF cookie (``session.py``).
- Create: legacy ``POST /api/apis`` (JSON or XML) or, in import mode, a dropbox upload plus a
  DLDescriptor (``application/vnd.soa.v81+json``). The APIID and APIVersionID of the answer go to
  the journal; the token is renewed after every create (seed 003:13).
- Find: Akana documents no lookup by name whose answer can be read (GET /api/apis and GET
  /api/search answer RSS channels whose item fields are not documented): the API is the one whose
  APIID the journal holds, confirmed by ``GET /api/apis/{APIID}`` comparing ``Name`` exactly; its
  latest version (``LatestVersionID``) is read with ``GET /api/apis/versions/{APIVersionID}
  ?includeOperations=true&includeTargetAPI=true``.
- Unchanged: decided on the fields this tool sets (``owned.py``), never on full equality; the
  version's tags and policy keys, which the platform need not return, on what the last push sent
  (the journal's ``local``; with a journal written before it kept them, the payload of the last
  finished push when it is this one), not on what the platform returns. In import
  mode what the platform made of the document cannot be compared with it: the local state decides.
- Change: a new API version (``POST /api/apis/{APIID}/versions`` with an APIVersion object, the
  documented deprecated form: the 8.1+ bodies carry no design), so the running version stays as it
  is; then ``PUT /api/apis/versions/{APIVersionID}/info`` when the API's description changed.
- Then the implementations (``implementations.py``): the Live backend, when it differs, is set on
  the Live implementation alone; a Sandbox implementation is added or its backend set.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from typing import Any

import requests

from migrate.core.errors import OutcomeUnknown, PushError, UsageError
from migrate.core.status import Action
from migrate.emitters.base import EmitOptions
from migrate.push.akana import implementations
from migrate.push.akana.owned import (
    NOT_ECHOED,
    Owned,
    echoed_part,
    listed,
    projection,
    returned_fields,
    sent_fields,
    shape,
)
from migrate.push.akana.session import ACCEPT, AkanaSession
from migrate.push.akana.xml import parse_api_xml
from migrate.push.http import MaybeCommitted, RetryPolicy, create_once, repeat_safely
from migrate.push.plan import operator_steps
from migrate.push.protocol import (
    Definition,
    Delivery,
    Followup,
    PushOptions,
    Remote,
    json_document,
    log,
    openapi_shape,
    payload_file,
    source_hash,
)

V = "akana"
V81_JSON = "application/vnd.soa.v81+json"
DROPBOX_PLACEHOLDER = "${DropboxFileId}"
#: the version query that returns what "unchanged" is decided on (m_apis_getAPIVersion.htm)
VERSION_QUERY = {"includeOperations": "true", "includeTargetAPI": "true"}


class AkanaClient:
    vendor = V
    id_key = "apiId"
    finds_by_name = False  # no documented lookup by name whose answer can be read (akana.yaml x-silent)

    def __init__(self, base_url: str, email: str, password: str, fedmemberid: str,
                 policy: RetryPolicy | None = None, proxy: dict[str, Any] | None = None) -> None:
        """``proxy``: the profile's defaults for ``akana_endpoint``, ``akana_cname``, ``akana_zone_rule``,
        ``akana_visibility``, ``akana_auto_approve``, ``akana_sandbox_url`` and ``akana_policies``
        (a table: scheme name or kind -> the organisation's policy key)."""
        self.target = base_url.rstrip("/")
        self.policy = policy or RetryPolicy()
        self.api = AkanaSession(self.target, email, password, fedmemberid, self.policy)
        self.proxy = {k: v for k, v in (proxy or {}).items() if v is not None and v != ""}

    def emit_options(self, options: EmitOptions) -> EmitOptions:
        """The profile's proxy endpoint, visibility and auto-approval where the options give none."""
        defaults: dict[str, Any] = {k: v for k, v in self.proxy.items()
                                    if k != "akana_policies" and getattr(options, k) is None}
        if "akana_policies" in self.proxy:  # the command line's entries first: they win per scheme
            defaults["akana_policies"] = options.akana_policies + _policy_entries(self.proxy["akana_policies"])
        if "akana_auto_approve" in defaults:  # TOML true/false, or yes/no as the option writes it
            defaults["akana_auto_approve"] = _yes_no(defaults["akana_auto_approve"])
        return replace(options, **defaults)

    def call(self, method: str, path: str, action: str, **kwargs: Any) -> requests.Response:
        return self.api.call(method, path, action, **kwargs)

    # -- the payload ------------------------------------------------------------------------------

    def legacy(self, delivery: Delivery) -> dict[str, Any] | None:
        """The legacy API object (from akana.json or akana.xml), or None in import mode."""
        found = payload_file(delivery, "akana.json", "akana.xml")
        if found is None:
            return None
        if found.name.endswith(".json"):
            return dict(json.loads(found.text))
        return _xml(found.text.encode("utf-8"))

    def key(self, delivery: Delivery) -> str:
        legacy = self.legacy(delivery)
        if legacy is not None:
            return str(legacy["Name"])
        descriptor = json_document(delivery, "akana-descriptor.json")
        return str(descriptor["DLDescriptor"]["ServiceDescriptorReference"]["ServiceName"])

    def desired(self, delivery: Delivery) -> Definition:
        legacy = self.legacy(delivery)
        if legacy is None:  # import mode: compared on the local state (see find)
            return Definition({"import": source_hash(delivery)}, openapi_shape(json_document(delivery,
                                                                                             "openapi.json")))
        version = _version_of(legacy)
        return Definition(projection(legacy, version, Owned.of(version)), shape(version), local=sent_fields(version))

    # -- reading ----------------------------------------------------------------------------------

    def find(self, delivery: Delivery, known: dict[str, Any]) -> Remote | None:
        """The API the journal's APIID names, if the platform returns it under this name."""
        name, api_id = self.key(delivery), (known.get("ids") or {}).get("apiId")
        if not api_id:
            log.debug("akana: no APIID for %r in the journal (Akana documents no readable lookup by name)", name)
            return None
        api = self._read_api(str(api_id))
        if api is None or api.get("Name") != name:
            return None
        version_id = api.get("LatestVersionID") or (api.get("APIVersion") or {}).get("APIVersionID") \
            or (known.get("ids") or {}).get("apiVersionId")
        ids = {"apiId": str(api_id), "apiVersionId": version_id}
        legacy = self.legacy(delivery)
        if legacy is None or not version_id:
            embedded = api.get("APIVersion") or {}
            return Remote(ids, embedded.get("Name"), False, None)
        version = self._read_version(str(version_id))
        desired = _version_of(legacy)
        owned = Owned.of(desired)
        sent = _sent_before(known, str(version_id))
        if sent is None and _same_as_last_finished(known, str(version_id), source_hash(delivery)):
            sent = sent_fields(desired)  # a journal written before it kept them: that push sent this payload
        returned = returned_fields(version, owned)
        if sent is None:
            origin = {f"/version/{k}": "as Akana returns it (no local state for this version); Akana need not "
                      "return it" for k in NOT_ECHOED}
        else:
            origin = {f"/version/{k}": "as the last push sent it (local state); Akana need not return it"
                      for k in NOT_ECHOED}
            _show_drift(name, sent, returned)
        found = Definition(projection(api, version, owned, sent), shape(version), origin=origin)
        return Remote(ids, version.get("Name"), False, found)

    def _read_api(self, api_id: str) -> dict[str, Any] | None:
        """GET /api/apis/{APIID}; None when the platform answers 404 (the status for an unknown
        APIID is not documented: akana.yaml x-silent). The Accept sent, application/json, is one
        the operation documents, so that 404 is not the wrong-Accept 404 of seed 003:451. Any
        other error status is an error, never "gone": a create would follow."""
        try:
            return dict(self.call("GET", f"/apis/{api_id}", "read API", headers={"Accept": ACCEPT}).json())
        except MaybeCommitted:
            raise
        except PushError as exc:
            if exc.status == 404:
                log.info("akana: the platform does not return API %s (status 404)", api_id)
                return None
            raise

    def _read_version(self, version_id: str) -> dict[str, Any]:
        answer = self.call("GET", f"/apis/versions/{version_id}", "read API version", params=VERSION_QUERY)
        return dict(answer.json())

    def change_kind(self, remote: Remote) -> str:
        return Action.NEW_VERSION

    # -- writing ----------------------------------------------------------------------------------

    def create(self, delivery: Delivery) -> Remote:
        legacy = payload_file(delivery, "akana.json", "akana.xml")
        if legacy is not None:
            headers, data = {"Content-Type": legacy.media_type}, legacy.text
        else:
            headers, data = {"Content-Type": V81_JSON}, self._descriptor(delivery)

        def post() -> Remote:
            created = self.call("POST", "/apis", "create API", data=data.encode("utf-8"), headers=headers)
            self.api.renew()  # seed 003:13: the create changes what the token holds
            return _created(created)

        # No lookup after an outcome-unknown create: Akana documents none whose answer can be read
        # (akana.yaml info.x-silent), so the create is never sent again blindly: the operator decides.
        try:
            return post()
        except MaybeCommitted as exc:
            name = self.key(delivery)
            raise OutcomeUnknown(V, f"creating API {name!r}: the outcome is unknown ({exc.reason}); it is not sent "
                                 "again, because Akana's documented API cannot look an API up by name. "
                                 + operator_steps(V, name, self.id_key), exc.status) from None

    def _descriptor(self, delivery: Delivery) -> str:
        """Akana 8.1+: upload the document to the dropbox (form field FileName, as the curl sample
        sends it), then refer to it; a repeated upload is harmless."""
        spec = _file(delivery, "openapi.json")
        files = {"FileName": (spec.name, spec.text.encode("utf-8"), spec.media_type)}
        uploaded = repeat_safely(
            lambda: self.call("POST", "/dropbox/readfiledetails", "upload document", files=files), self.policy)
        file_id = str(uploaded.json()["DropboxFileId"])
        return _file(delivery, "akana-descriptor.json").text.replace(DROPBOX_PLACEHOLDER, file_id)

    def change(self, delivery: Delivery, remote: Remote) -> Remote:
        legacy = self.legacy(delivery)
        if legacy is None:
            raise PushError(V, "an API imported from a document cannot get a new version through Akana's "
                            "documented calls (the import body of POST /api/apis/{APIID}/versions is not "
                            "documented): push in legacy mode")
        desired, wanted = _version_of(legacy), self.desired(delivery).body
        held = remote.definition.body if remote.definition is not None else {}
        made = Remote(dict(remote.ids), remote.version, False, None)
        if held.get("version") != wanted["version"]:  # else only the API's info differs (an earlier push stopped)
            body = {**desired, "Name": next_version_name(str(desired.get("Name") or "1.0"), remote.version)}
            made = create_once(lambda: self._post_version(remote, body),
                               lambda: self._version_made(remote, desired), self.policy)
        if held.get("description") != wanted["description"]:
            info = {"ApiName": wanted["name"], "ApiDescription": wanted["description"]}
            self._put(f"/apis/versions/{made.ids['apiVersionId']}/info", info, "update API info")
        return made

    def _post_version(self, remote: Remote, version: dict[str, Any]) -> Remote:
        answer = self.call("POST", f"/apis/{remote.ids['apiId']}/versions", "create API version", json=version)
        self.api.renew()  # m_apis_addAPIVersion.htm: the token must be renewed
        made = answer.json()
        return Remote({"apiId": remote.ids["apiId"], "apiVersionId": made["APIVersionID"]}, made.get("Name"),
                      False, None)

    def _version_made(self, remote: Remote, desired: dict[str, Any]) -> Remote | None:
        """After an outcome-unknown POST: a new latest version holding what was sent is that one."""
        api = self._read_api(str(remote.ids["apiId"]))
        latest = (api or {}).get("LatestVersionID")
        if not latest or latest == remote.ids.get("apiVersionId"):
            return None
        version = self._read_version(str(latest))
        owned = Owned.of(desired)  # the fields the platform returns (tags and policies need not come back)
        if echoed_part(version, owned) != echoed_part(desired, owned):
            return None
        return Remote({"apiId": remote.ids["apiId"], "apiVersionId": latest}, version.get("Name"), False, None)

    def _put(self, path: str, body: dict[str, Any], action: str) -> None:
        """An idempotent PUT (the HTTP layer retries it after an outcome-unknown attempt)."""
        self.call("PUT", path, action, json=body)

    def followups(self, delivery: Delivery, remote: Remote | None, options: PushOptions) -> list[Followup]:
        """The implementations whose backend differs from the push's (``implementations.py``)."""
        version_id = (remote.ids.get("apiVersionId") if remote is not None else None) or None
        return implementations.pending(self, version_id, self._implementations(delivery))

    def run_followup(self, step: Followup, delivery: Delivery, remote: Remote, options: PushOptions) -> None:
        for want in self._implementations(delivery):
            if want.step == step.name:
                implementations.carry_out(self, str(remote.ids["apiVersionId"]), want)
                return
        raise PushError(V, f"unknown step {step.name}")  # pragma: no cover

    def _implementations(self, delivery: Delivery) -> list[implementations.Wanted]:
        legacy = self.legacy(delivery)
        return implementations.wanted(delivery, _version_of(legacy) if legacy is not None else None)


def _sent_before(known: dict[str, Any], version_id: str) -> dict[str, Any] | None:
    """What the last push sent of the fields the platform need not return (the journal's ``local``),
    when it describes ``version_id``; None without it (no journal, or another version is latest)."""
    local, ids = known.get("local"), known.get("localIds") or {}
    if not isinstance(local, dict) or str(ids.get("apiVersionId")) != version_id:
        return None
    if not all(isinstance(local.get(k), list) and all(isinstance(v, str) for v in local[k]) for k in NOT_ECHOED):
        return None
    return {k: list(local[k]) for k in NOT_ECHOED}


def _same_as_last_finished(known: dict[str, Any], version_id: str, digest: str) -> bool:
    """The last finished push sent this very payload (same source hash) and left ``version_id``."""
    done = known.get("doneIds") or {}
    return bool(known.get("sourceHash")) and known.get("sourceHash") == digest \
        and str(done.get("apiVersionId")) == version_id


def _show_drift(name: str, sent: dict[str, Any], returned: dict[str, Any]) -> list[str]:
    """Tags or policy keys (of those this push sets) the platform returns that the last push did not
    send: shown (logged, and returned for the caller), not compared. Fewer than were sent is no
    drift: the platform need not return them (akana.yaml info.x-silent)."""
    shown: list[str] = []
    for k in NOT_ECHOED:
        extra = sorted(set(returned[k]) - set(sent[k]))
        if extra:
            shown.append(f"{k} {extra}")
            log.info("akana: %r: the version returns %s %s that the last push did not send (changed on the "
                     "platform?); not compared: Akana need not return them", name, k, extra)
    return shown


def _yes_no(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if str(value).lower() in ("yes", "no"):
        return str(value).lower()
    raise UsageError(f"akana: the profile's akana_auto_approve must be true or false, not {value!r}")


def _policy_entries(table: Any) -> tuple[str, ...]:
    """The profile's ``akana_policies`` table as ``SCHEME=POLICYKEY`` entries (sorted)."""
    if not isinstance(table, dict) or not all(isinstance(v, str) and v for v in table.values()):
        raise UsageError("akana: the profile's akana_policies must be a table of scheme (name or kind) = "
                         "\"policy key\", e.g. akana_policies = { apiKey = \"10001-AppSecurity\" }")
    return tuple(f"{k}={v}" for k, v in sorted(table.items()))


def next_version_name(name: str, latest: str | None) -> str:
    """The new version's name: ``name``, or ``name-rN`` after the latest version ``name`` /
    ``name-r(N-1)``. Version names are read from the latest version only (the versions list's
    items have no documented fields), so an older version of the same name is not seen."""
    if latest is None or (latest != name and not re.fullmatch(re.escape(name) + r"-r\d+", latest)):
        return name
    return f"{name}-r{int(latest.rsplit('-r', 1)[1]) + 1 if latest != name else 2}"


def _version_of(legacy: dict[str, Any]) -> dict[str, Any]:
    """The legacy body's APIVersion as the JSON form has it (an empty XML wrapper reads as "")."""
    version = dict(legacy.get("APIVersion") or {})
    for key, item in (("Endpoints", "Endpoint"), ("Operations", "Operation"), ("Policies", "Policy")):
        if key in version:
            version[key] = {item: listed(version[key], item)}
    if isinstance(version.get("TargetAPI"), dict):
        target = dict(version["TargetAPI"])
        for key, item in (("Endpoints", "Endpoint"), ("Operations", "Operation"), ("Policies", "Policy")):
            if key in target:
                target[key] = {item: listed(target[key], item)}
        version["TargetAPI"] = target
    return version


def _created(answer: requests.Response) -> Remote:
    """The ids in a create answer (JSON or XML, seed 003:269-278)."""
    body = _xml(answer.content) if "xml" in answer.headers.get("content-type", "") else dict(answer.json())
    found = body.get("APIVersion")
    version: dict[str, Any] = found if isinstance(found, dict) else {}
    return Remote({"apiId": str(body["APIID"]), "apiVersionId": version.get("APIVersionID")}, version.get("Name"),
                  False, None)


def _xml(raw: bytes) -> dict[str, Any]:
    try:
        return parse_api_xml(raw)
    except ValueError as exc:
        raise PushError(V, f"unreadable XML: {exc}") from None


def _file(delivery: Delivery, name: str) -> Any:
    found = payload_file(delivery, name)
    if found is None:
        raise PushError(V, f"the payload has no {name}")
    return found
