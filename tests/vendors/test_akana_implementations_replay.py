"""The Akana client's implementation calls through the replay seam, against answers of the
documented shapes (akana.yaml: APIImplementation, ServiceEndpoints). No response example of these
operations is retrievable from Akana's reference (akana.yaml x-silent), and the reference pages'
request samples are not copied into the repo (tests/fixtures/contracts/akana/index.yaml): the
answers below follow the documented shapes with values of our own, and every request the client
sends is checked against the contract."""

from __future__ import annotations

import json
from typing import Any

import pytest

from migrate.core.errors import PushError
from migrate.push.akana import implementations
from migrate.push.akana.client import AkanaClient
from migrate.push.contracts.check import Contract
from tests.replay import BASE, Canned, Sent
from tests.vendors.test_akana_replay import FED, POLICY, CookieReplay, cookies

VID = "f10624ed-9a23-4cb9-90d4-595d4a7c64f9.acmepaymentscorp"
PHYSICAL = "uddi:d148f207-3bfe-11e7-8c53-f1aac8715c11"
V81 = "application/vnd.soa.v81+json"
#: a physical service endpoint of the documented shape (m_apis_saveServiceEndpoints.htm's PUT body)
OLD = "http://old.example.com/v2"
HELD: dict[str, Any] = {"Uri": OLD,
                        "ConnectionProperties": [{"Name": "http.version", "Value": "unspecified"},
                                                 {"Name": "http.chunked.encoding", "Value": "true"}],
                        "BindingQName": "{orders.json}Orders_Binding_0", "BindingType": "binding.http",
                        "EndpointKey": "uddi:d24ccd21-3bfe-11e7-8c53-f1aac8715c11"}


def _client(routes: dict[tuple[str, str], Canned | list[Canned]]) -> tuple[AkanaClient, CookieReplay]:
    adapter = CookieReplay({("POST", "/api/login"): Canned(200, b"", None, cookies(True)), **routes})
    client = AkanaClient(f"{BASE}/api", "migrator@example.com", "secret", FED, POLICY)
    client.api.session.mount(f"{BASE}/", adapter)
    return client, adapter


def _json(value: object) -> bytes:
    return json.dumps(value).encode()


IMPL = f"/api/apis/versions/{VID}/implementations"
ANSWER = {"ImplementationCode": "Live", "ServiceKey": "uddi:virtual",
          "ProxyImplementationDetails": {"ServiceKey": PHYSICAL}}
LIVE: dict[tuple[str, str], Canned | list[Canned]] = {
    ("GET", f"{IMPL}/Live"): Canned(200, _json(ANSWER), V81),
    ("GET", f"{IMPL}/Live/services/{PHYSICAL}/endpoints"): Canned(200, _json({"Endpoint": [HELD]}), V81)}


def _conforms(sent: Sent) -> None:
    contract = Contract.load("akana")
    content_type = next(v for k, v in sent.headers.items() if k.lower() == "content-type")
    assert contract.check_request(sent.method, sent.path, content_type, sent.body) == []


def test_a_changed_backend_is_put_with_what_the_platform_holds_and_a_new_uri() -> None:
    client, adapter = _client({**LIVE, ("PUT", f"{IMPL}/Live/services/{PHYSICAL}/endpoints"): Canned(200, b"", None)})
    want = implementations.Wanted("Live", ("https://new.example.com/v2",))
    steps = implementations.pending(client, VID, [want])
    assert [(s.name, s.description) for s in steps] == [(
        "implementation-live", "set the Live implementation's backend to https://new.example.com/v2 "
                               "(now http://old.example.com/v2)")]
    implementations.carry_out(client, VID, want)
    [put] = [s for s in adapter.sent if s.method == "PUT"]
    # "use the response to this operation as the body content for PUT ..., with a modified endpoint"
    assert put.json() == {"Endpoint": [{**HELD, "Uri": "https://new.example.com/v2"}]}
    _conforms(put)


def test_an_unchanged_backend_is_no_step() -> None:
    client, adapter = _client(LIVE)
    assert implementations.pending(client, VID, [implementations.Wanted("Live", (OLD,))]) == []
    assert [s.method for s in adapter.sent] == ["POST", "GET", "GET"]  # login, implementation, endpoints


def test_a_missing_sandbox_implementation_is_added_with_the_documented_request() -> None:
    request = {"ImplementationCode": "Sandbox", "Description": "Sandbox implementation.", "CreateMechanism": "PROXY",
               "ProxyImplementationRequest": {"TargetEndpointURL": ["https://sandbox.example.com"]}}
    client, adapter = _client({
        ("GET", f"{IMPL}/Sandbox"): [Canned(404, b"", None), Canned(404, b"", None)],
        ("POST", IMPL): Canned(200, b"", None),
    })
    want = implementations.Wanted("Sandbox", ("https://sandbox.example.com",), request)
    assert [s.name for s in implementations.pending(client, VID, [want])] == ["implementation-sandbox"]
    implementations.carry_out(client, VID, want)
    [post] = [s for s in adapter.sent if s.method == "POST" and s.path == IMPL]
    assert post.json() == {**request, "APIVersionID": VID}  # the sample's fields, the version filled in
    _conforms(post)


def test_an_implementation_without_a_physical_service_is_a_clear_error() -> None:
    client, _ = _client({("GET", f"{IMPL}/Live"): Canned(200, _json({"ImplementationCode": "Live"}), V81)})
    with pytest.raises(PushError, match=r"ProxyImplementationDetails\.ServiceKey"):
        implementations.pending(client, VID, [implementations.Wanted("Live", ("https://x.example.com",))])


@pytest.mark.parametrize("status", [400, 405, 406, 409, 410, 415])
def test_only_a_404_to_the_documented_request_reads_as_absent(status: int) -> None:
    """Any other status for GET .../implementations/Sandbox is an error: no POST follows."""
    request = {"ImplementationCode": "Sandbox", "CreateMechanism": "PROXY",
               "ProxyImplementationRequest": {"TargetEndpointURL": ["https://sandbox.example.com"]}}
    client, adapter = _client({("GET", f"{IMPL}/Sandbox"): Canned(status, b"", None),
                               ("POST", IMPL): Canned(200, b"", None)})
    want = implementations.Wanted("Sandbox", ("https://sandbox.example.com",), request)
    with pytest.raises(PushError) as caught:
        implementations.pending(client, VID, [want])
    assert caught.value.status == status
    with pytest.raises(PushError):
        implementations.carry_out(client, VID, want)
    assert not [s for s in adapter.sent if s.method == "POST" and s.path == IMPL]


def test_the_implementation_is_read_with_a_documented_accept() -> None:
    """A 404 means "absent" only when the Accept was right (seed 003:451: a wrong Accept gives 404)."""
    client, adapter = _client({("GET", f"{IMPL}/Sandbox"): Canned(404, b"", None)})
    assert implementations.read(client, VID, "Sandbox").service is None
    [get] = [s for s in adapter.sent if s.method == "GET"]
    accept = next(v for k, v in get.headers.items() if k.lower() == "accept")
    documented = ("application/json", "application/vnd.soa.v81+json", "application/vnd.soa.v2019+json")
    assert accept in documented  # akana.yaml getAPIImplementation: the documented Accept values


def test_an_added_backend_uri_carries_the_services_binding_as_the_documented_sample() -> None:
    client, adapter = _client({**LIVE, ("PUT", f"{IMPL}/Live/services/{PHYSICAL}/endpoints"): Canned(200, b"", None)})
    want = implementations.Wanted("Live", ("https://a.example.com/v2", "https://b.example.com/v2"))
    implementations.carry_out(client, VID, want)
    [put] = [s for s in adapter.sent if s.method == "PUT"]
    first, added = put.json()["Endpoint"]
    assert first == {**HELD, "Uri": "https://a.example.com/v2"}
    # every endpoint of m_apis_saveServiceEndpoints.htm's sample has BindingQName and BindingType; the key
    # of a new endpoint is the platform's to assign
    assert added == {"Uri": "https://b.example.com/v2", "BindingQName": HELD["BindingQName"],
                     "BindingType": HELD["BindingType"]}
    _conforms(put)
