"""Akana sandbox: the implementations of an API version (akana.yaml, tag ``implementations``).

- Every version gets its Live implementation when it is made ("When you create your initial API
  definition, the API platform creates the Live implementation automatically",
  apiadmin_implementations.htm); its physical service endpoints are the version's TargetAPI
  endpoints. A Sandbox implementation is added with ``POST .../implementations``
  (m_apis_addAPIImplementation.htm): PROXY with ``TargetEndpointURL``, or ORCHESTRATION without.
- The platform assigns the keys: the implementation's ``ServiceKey`` (the virtual service), the
  physical service's (``ProxyImplementationDetails.ServiceKey``, m_apis_saveServiceEndpoints.htm)
  and each endpoint's ``EndpointKey``, all ``uddi:{uuid}`` as the samples show them.
- ``PUT .../services/{ServiceID}/endpoints`` replaces the physical service's endpoints; for the
  virtual service it answers 400, as documented. A Live change shows in the version's TargetAPI
  (GET /api/apis/versions/{id} describes the Live implementation).

Stored state: ``doc["implementations"][APIVersionID][ImplCode]`` = ``{ServiceKey, PhysicalKey,
Description, Endpoint: [ServiceEndpoint]}``. No audit fields: none is documented for these objects.
"""

from __future__ import annotations

import copy
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from migrate.sandbox.akana import shapes
from migrate.sandbox.akana.apis import V81_JSON, AkanaApis, bad_request, done, media_type, not_found
from migrate.sandbox.responses import json_response, read_json

CODES = ("Live", "Sandbox")
#: the ServiceEndpoint fields the contract documents (the PUT sample of m_apis_saveServiceEndpoints.htm)
SERVICE_ENDPOINT_FIELDS = ("Uri", "ConnectionProperties", "BindingQName", "BindingType", "EndpointKey")
PATTERN = "com.akana.pattern.proxy"  # APIImplementation: "Example: com.akana.pattern.proxy"


class AkanaImplementations:
    def __init__(self, apis: AkanaApis) -> None:
        self.apis = apis

    def records(self, request: Request) -> tuple[dict[str, Any], dict[str, Any]]:
        """(the version, its implementations by code) of ``{APIVersionID}`` (404 when unknown)."""
        _, version = self.apis.version_entry(request)
        found = self.apis.doc.setdefault("implementations", {}).setdefault(version["APIVersionID"], {})
        return version, found

    def record(self, request: Request) -> tuple[dict[str, Any], dict[str, Any]]:
        version, found = self.records(request)
        code = request.path_params["impl_code"]
        if code not in found:
            raise not_found()  # undocumented for an absent implementation (akana.yaml PlainError)
        return version, found[code]

    async def add(self, request: Request) -> Response:
        """POST .../implementations (AddAPIImplementationRequest): 200 without a body."""
        _, found = self.records(request)
        if media_type(request) not in (V81_JSON, "application/json"):
            raise not_found()
        body = await read_json(request)
        if not isinstance(body, dict) or body.get("ImplementationCode") not in CODES:
            raise bad_request("ImplementationCode must be Live or Sandbox")
        code = body["ImplementationCode"]
        if code in found:  # at most one per code ("cannot have more than two implementations")
            raise bad_request(f"the version already has a {code} implementation")
        found[code] = shapes.new_implementation(_target_urls(body), body.get("Description"))
        return done()

    async def get(self, request: Request) -> Response:
        version, record = self.record(request)
        code = request.path_params["impl_code"]
        out: dict[str, Any] = {"ImplementationCode": code, "Pattern": PATTERN, "ServiceKey": record["ServiceKey"],
                               "ProxyImplementationDetails": {"ServiceKey": record["PhysicalKey"]}}
        if "Description" in record:
            out["Description"] = record["Description"]
        proxies = version.get("Endpoints") if code == "Live" else None
        out["Endpoints"] = shapes.endpoints_view(proxies)
        return json_response(out, media_type=_answer_type(request))

    async def get_endpoints(self, request: Request) -> Response:
        version, record = self.record(request)
        service = request.path_params["service_id"]
        if service == record["PhysicalKey"]:
            return json_response({"Endpoint": copy.deepcopy(record["Endpoint"])}, media_type=_answer_type(request))
        if service == record["ServiceKey"]:  # the virtual service: the proxy endpoints
            proxies = shapes.items(version.get("Endpoints"), "Endpoint") if request.path_params["impl_code"] == \
                "Live" else []
            return json_response({"Endpoint": [{"Uri": e["Uri"], "BindingType": "binding.http"}
                                               for e in proxies if e.get("Uri")]}, media_type=_answer_type(request))
        raise not_found()

    async def put_endpoints(self, request: Request) -> Response:
        """Replace the physical service's endpoints; 400 for the virtual service (documented)."""
        version, record = self.record(request)
        service = request.path_params["service_id"]
        if service == record["ServiceKey"]:
            raise bad_request("the endpoints of a virtual service are changed through .../deployments")
        if service != record["PhysicalKey"]:
            raise not_found()
        if media_type(request) != V81_JSON:
            raise not_found()
        body = await read_json(request)
        sent = shapes.items(body, "Endpoint") if isinstance(body, dict) else []
        if not sent or not all(isinstance(e.get("Uri"), str) and e["Uri"] for e in sent):
            raise bad_request("expected {\"Endpoint\": [{\"Uri\": ...}, ...]}")
        known = {e["EndpointKey"] for e in record["Endpoint"]}
        record["Endpoint"] = [_stored_endpoint(e, known) for e in sent]
        if request.path_params["impl_code"] == "Live":
            _set_live_target(version, [e["Uri"] for e in sent])
        return done()


def _stored_endpoint(sent: dict[str, Any], known: set[str]) -> dict[str, Any]:
    """A sent endpoint as kept: its key when it is one the platform assigned, else a new one."""
    key = sent.get("EndpointKey") if sent.get("EndpointKey") in known else None
    return {**shapes.service_endpoint(sent["Uri"], key), **shapes.pick(sent, SERVICE_ENDPOINT_FIELDS[1:4])}


def _target_urls(body: dict[str, Any]) -> list[str]:
    mechanism = body.get("CreateMechanism")
    if mechanism == "ORCHESTRATION":
        return []
    proxy = body.get("ProxyImplementationRequest")
    urls = proxy.get("TargetEndpointURL") if isinstance(proxy, dict) else None
    if mechanism != "PROXY" or not isinstance(urls, list) or not urls or not all(isinstance(u, str) and u
                                                                                 for u in urls):
        raise bad_request("a PROXY implementation needs ProxyImplementationRequest.TargetEndpointURL")
    return [str(u) for u in urls]


def _set_live_target(version: dict[str, Any], uris: list[str]) -> None:
    target = version.setdefault("TargetAPI", {})
    others = [e for e in shapes.items(target.get("Endpoints"), "Endpoint") if e.get("Category") != "Production"]
    target["Endpoints"] = {"Endpoint": [{"Category": "Production", "Uri": u} for u in uris] + others}


def _answer_type(request: Request) -> str:
    """The vendor type when the caller accepts it (the samples send vnd.soa.v81+json), else JSON."""
    return V81_JSON if V81_JSON in request.headers.get("accept", "") else "application/json"
