"""The implementations of the pushed Akana API version (akana.yaml, tag ``implementations``).

- Live: made by the platform with the version, its backend from the legacy body's TargetAPI.
  When the backend the push wants differs from the one the Live implementation holds, only that
  implementation is changed (no new version): ``PUT .../implementations/Live/services/{ServiceID}
  /endpoints``, ServiceID = ``ProxyImplementationDetails.ServiceKey`` of ``GET .../implementations
  /Live`` (m_apis_saveServiceEndpoints.htm), the body the ``GET`` of the same path answered with
  the URIs replaced ("use the response to this operation as the body content for PUT").
- Sandbox (``akana-implementations.json``): added with ``POST .../implementations`` (the documented
  AddAPIImplementationRequest, ``APIVersionID`` filled in) when the version does not return one;
  else its backend is changed as Live's is.

"Unchanged" is decided on the backend URIs only (the fields we set); the keys, connection
properties and bindings the platform holds are sent back as they were read.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from migrate.core.errors import PushError
from migrate.push.akana.owned import listed
from migrate.push.http import MaybeCommitted, create_once
from migrate.push.protocol import Delivery, Followup, json_document, log, payload_file

if TYPE_CHECKING:
    from migrate.push.akana.client import AkanaClient

V = "akana"
V81_JSON = "application/vnd.soa.v81+json"
FILE_NAME = "akana-implementations.json"
STEP = "implementation-"
#: fields of a physical service endpoint sent back as read (akana.yaml ServiceEndpoint)
KEPT = ("ConnectionProperties", "BindingQName", "BindingType", "EndpointKey")
#: the service's binding, the same on every endpoint of the documented sample (carried to an added one)
BINDING = ("BindingQName", "BindingType")


@dataclass(frozen=True)
class Wanted:
    """An implementation the push sets: its code, backend URIs and, for one the push adds, the
    documented AddAPIImplementationRequest (without APIVersionID)."""

    code: str
    uris: tuple[str, ...]
    request: dict[str, Any] | None = None

    @property
    def step(self) -> str:
        return STEP + self.code.lower()


@dataclass(frozen=True)
class Held:
    """What the version returns of one implementation: None for ``service`` when it returns none."""

    service: str | None
    endpoints: list[dict[str, Any]]

    @property
    def uris(self) -> tuple[str, ...]:
        return tuple(sorted(str(e.get("Uri")) for e in self.endpoints))


def wanted(delivery: Delivery, version: dict[str, Any] | None) -> list[Wanted]:
    """Live (the legacy version's TargetAPI backend, when it sets one), then the file's others."""
    out: list[Wanted] = []
    if version is not None:
        target = version.get("TargetAPI") if isinstance(version.get("TargetAPI"), dict) else {}
        uris = [str(e["Uri"]) for e in listed((target or {}).get("Endpoints"), "Endpoint")
                if e.get("Uri") and e.get("Category", "Production") == "Production"]
        if uris:
            out.append(Wanted("Live", tuple(uris)))
    if payload_file(delivery, FILE_NAME) is not None:
        for code, request in sorted(dict(json_document(delivery, FILE_NAME)).items()):
            urls = (request.get("ProxyImplementationRequest") or {}).get("TargetEndpointURL") or []
            out.append(Wanted(str(code), tuple(str(u) for u in urls), dict(request)))
    return out


#: the Accept sent when reading an implementation: one the operation documents (getAPIImplementation),
#: so that a 404 is not the wrong-Accept 404 of seed 003:451
READ_ACCEPT = "application/json"


def read(client: AkanaClient, version_id: str, code: str) -> Held:
    """The implementation's physical service and its endpoints; ``Held(None, [])`` when the
    platform answers 404 to the documented request (a documented Accept, so not the wrong-Accept
    404 of seed 003:451). The status for a code the version does not have is not documented
    (akana.yaml x-silent); any other error status is an error, never "absent" (an add would follow)."""
    base = f"/apis/versions/{version_id}/implementations/{code}"
    try:
        found = dict(client.call("GET", base, f"read {code} implementation", headers={"Accept": READ_ACCEPT}).json())
    except MaybeCommitted:
        raise
    except PushError as exc:
        if exc.status == 404:
            return Held(None, [])
        raise
    service = (found.get("ProxyImplementationDetails") or {}).get("ServiceKey")
    if not service:
        raise PushError(V, f"the {code} implementation of version {version_id} names no physical service "
                        "(ProxyImplementationDetails.ServiceKey): its backend cannot be read or set")
    answer = client.call("GET", f"{base}/services/{service}/endpoints", f"read {code} backend endpoints")
    return Held(str(service), listed(answer.json(), "Endpoint"))


def pending(client: AkanaClient, version_id: str | None, wants: list[Wanted]) -> list[Followup]:
    """The implementation steps still to do; with no version yet, those the push will check."""
    steps: list[Followup] = []
    for want in wants:
        shown = ", ".join(want.uris)
        if version_id is None:
            if want.request is not None:  # Live comes with the version the body makes
                steps.append(Followup(want.step, f"add the {want.code} implementation (backend {shown}) "
                                      "unless the version has it, else set its backend"))
            continue
        held = read(client, version_id, want.code)
        if held.service is None:
            if want.request is None:  # made by the platform with the version: nothing to add
                log.warning("akana: version %s returns no %s implementation (the platform makes it with the "
                            "version); its backend is not checked", version_id, want.code)
                continue
            steps.append(Followup(want.step, f"add the {want.code} implementation (backend {shown})"))
        elif held.uris != tuple(sorted(want.uris)):
            now = ", ".join(held.uris) or "none"
            steps.append(Followup(want.step, f"set the {want.code} implementation's backend to {shown} (now {now})"))
    return steps


def carry_out(client: AkanaClient, version_id: str, want: Wanted) -> None:
    """Add the implementation, or replace its backend endpoints."""
    held = read(client, version_id, want.code)
    if held.service is None:
        assert want.request is not None
        _add(client, version_id, want)
        return
    body = {"Endpoint": [{**_kept(held.endpoints, i), "Uri": uri} for i, uri in enumerate(want.uris)]}
    path = f"/apis/versions/{version_id}/implementations/{want.code}/services/{held.service}/endpoints"
    client.call("PUT", path, f"set {want.code} backend", data=json.dumps(body).encode("utf-8"),
                headers={"Content-Type": V81_JSON, "Accept": V81_JSON})


def _kept(endpoints: list[dict[str, Any]], index: int) -> dict[str, Any]:
    """What the platform holds of the endpoint at ``index`` (keys, properties), without its URI. An
    endpoint added beyond those held carries the service's binding (``BindingQName``,
    ``BindingType`` of the first held endpoint), as every endpoint of the documented sample body
    does (m_apis_saveServiceEndpoints.htm); its key is the platform's to assign."""
    if index >= len(endpoints):
        return {k: endpoints[0][k] for k in BINDING if k in endpoints[0]} if endpoints else {}
    return {k: endpoints[index][k] for k in KEPT if k in endpoints[index]}


def _add(client: AkanaClient, version_id: str, want: Wanted) -> None:
    """POST .../implementations; after an outcome-unknown attempt, the implementation the version
    then returns is the one sent (m_apis_addAPIImplementation.htm: one per code)."""
    body = {**(want.request or {}), "APIVersionID": version_id}

    def post() -> bool:
        client.call("POST", f"/apis/versions/{version_id}/implementations", f"add {want.code} implementation",
                    data=json.dumps(body).encode("utf-8"), headers={"Content-Type": V81_JSON, "Accept": V81_JSON})
        return True

    def made() -> bool | None:
        return True if read(client, version_id, want.code).service is not None else None

    create_once(post, made, client.policy)
