"""akana.yaml, implementations: the operations route, name their sources, and their schemas hold
what the documents show and refuse what they do not (closed objects, unretrieved fields)."""

from __future__ import annotations

import json

import pytest

from migrate.push.contracts.check import Contract

V81 = "application/vnd.soa.v81+json"
BASE = "/api/apis/versions/v1.acme/implementations"


@pytest.fixture(scope="module")
def contract() -> Contract:
    return Contract.load("akana")


@pytest.mark.parametrize(("method", "path", "operation_id"), [
    ("POST", BASE, "addAPIImplementation"),
    ("GET", f"{BASE}/Live", "getAPIImplementation"),
    ("GET", f"{BASE}/Sandbox/services/uddi:1/endpoints", "getServiceEndpoints"),
    ("PUT", f"{BASE}/Live/services/uddi:1/endpoints", "saveServiceEndpoints"),
])
def test_routes_and_sources(contract: Contract, method: str, path: str, operation_id: str) -> None:
    operation = contract.operation(method, path)
    assert operation is not None and operation.operation_id == operation_id
    document = contract.document["paths"][operation.template][method.lower()]
    assert any("akana.com" in s for s in document["x-source"])


def _body(value: object) -> bytes:
    return json.dumps(value).encode()


def test_the_documented_add_request_shape_conforms(contract: Contract) -> None:
    body = {"ImplementationCode": "Sandbox", "Description": "d", "CreateMechanism": "PROXY",
            "ProxyImplementationRequest": {"TargetEndpointURL": ["http://a.example.com"]}, "APIVersionID": "v1.acme"}
    assert contract.check_request("POST", BASE, V81, _body(body)) == []
    empty = {**body, "ProxyImplementationRequest": {"TargetEndpointURL": []}}
    assert contract.check_request("POST", BASE, V81, _body(empty)) != []
    assert contract.check_request("POST", BASE, V81, _body({**body, "Url": "x"})) != []


def test_an_implementation_answer_is_closed(contract: Contract) -> None:
    answer = {"ImplementationCode": "Live", "ServiceKey": "uddi:1", "ProxyImplementationDetails": {"ServiceKey": "u"}}
    assert contract.check_response("GET", f"{BASE}/Live", 200, V81, _body(answer)) == []
    assert contract.check_response("GET", f"{BASE}/Live", 200, V81, _body({**answer, "Created": "today"})) != []
    unretrieved = {**answer, "APIBindings": {}}  # documented, its shape not retrieved: no value allowed
    assert contract.check_response("GET", f"{BASE}/Live", 200, V81, _body(unretrieved)) != []


def test_service_endpoints_need_a_uri_and_no_category(contract: Contract) -> None:
    path = f"{BASE}/Live/services/uddi:1/endpoints"
    assert contract.check_request("PUT", path, V81, _body({"Endpoint": [{"Uri": "http://a"}]})) == []
    assert contract.check_request("PUT", path, V81, _body({"Endpoint": [{"EndpointKey": "k"}]})) != []
    assert contract.check_request("PUT", path, V81, _body({"Endpoint": [{"Uri": "u", "Category": "Sandbox"}]})) != []

