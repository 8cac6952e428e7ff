"""Akana sandbox: the implementations of an API version (akana.yaml tag implementations): the Live
implementation comes with the version, a Sandbox one is added by POST, the platform assigns the
service and endpoint keys, the physical service's endpoints round-trip through GET and PUT, the
virtual service refuses a PUT with 400 (documented). Every exchange is checked against the contract
(tests/conftest.py)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
import requests

from migrate.sandbox import SandboxHandle, start_sandbox
from tests.sandbox.sandbox_helpers import akana_login

V81 = "application/vnd.soa.v81+json"
UDDI = re.compile(r"uddi:[0-9a-f-]{36}")
API: dict[str, Any] = {"Name": "Pets", "APIVersion": {
    "Name": "1.0", "Operations": {"Operation": [{"Name": "list", "Method": "GET", "Path": "/pets"}]},
    "TargetAPI": {"Endpoints": {"Endpoint": [{"Uri": "http://live.example.com/v1", "Category": "Production"}]}}}}
#: the shape of m_apis_addAPIImplementation.htm's sample request body #1 (its values are ours)
SANDBOX: dict[str, Any] = {"ImplementationCode": "Sandbox", "Description": "Sandbox implementation.",
                           "CreateMechanism": "PROXY",
                           "ProxyImplementationRequest": {"TargetEndpointURL": ["http://sandbox.example.com/v1"]}}


@pytest.fixture
def box() -> Iterator[SandboxHandle]:
    with start_sandbox("akana") as handle:
        yield handle


@pytest.fixture
def session(box: SandboxHandle) -> Iterator[requests.Session]:
    with akana_login(box) as logged_in:
        yield logged_in


def _version(box: SandboxHandle, session: requests.Session) -> tuple[str, str]:
    """A new API's version id and the base URL of its implementations."""
    answer = session.post(box.base_urls["akana"] + "/apis", json=API, timeout=5)
    assert answer.status_code == 200
    vid = answer.json()["APIVersion"]["APIVersionID"]
    return vid, f"{box.base_urls['akana']}/apis/versions/{vid}/implementations"


def _backend(session: requests.Session, base: str, code: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    impl = session.get(f"{base}/{code}", headers={"Accept": V81}, timeout=5)
    assert impl.status_code == 200 and impl.headers["content-type"] == V81
    found = impl.json()
    physical = found["ProxyImplementationDetails"]["ServiceKey"]
    endpoints = session.get(f"{base}/{code}/services/{physical}/endpoints", timeout=5)
    assert endpoints.status_code == 200
    return found, endpoints.json()["Endpoint"]


def test_the_live_implementation_comes_with_the_version(box: SandboxHandle, session: requests.Session) -> None:
    _, base = _version(box, session)
    live, endpoints = _backend(session, base, "Live")
    assert live["ImplementationCode"] == "Live" and UDDI.fullmatch(live["ServiceKey"])
    assert UDDI.fullmatch(live["ProxyImplementationDetails"]["ServiceKey"])
    assert live["ServiceKey"] != live["ProxyImplementationDetails"]["ServiceKey"]
    assert [e["Uri"] for e in endpoints] == ["http://live.example.com/v1"]
    assert UDDI.fullmatch(endpoints[0]["EndpointKey"]) and endpoints[0]["BindingType"] == "binding.http"
    assert session.get(f"{base}/Sandbox", timeout=5).status_code == 404  # none until added


def test_a_sandbox_implementation_is_added_once(box: SandboxHandle, session: requests.Session) -> None:
    vid, base = _version(box, session)
    added = session.post(base, json={**SANDBOX, "APIVersionID": vid}, headers={"Content-Type": V81}, timeout=5)
    assert (added.status_code, added.content) == (200, b"")
    sandbox, endpoints = _backend(session, base, "Sandbox")
    assert sandbox["Description"] == "Sandbox implementation."
    assert [e["Uri"] for e in endpoints] == ["http://sandbox.example.com/v1"]
    again = session.post(base, json=SANDBOX, headers={"Content-Type": V81}, timeout=5)
    assert again.status_code == 400


@pytest.mark.parametrize("body", [
    {**SANDBOX, "ImplementationCode": "Staging"},
    {**SANDBOX, "ProxyImplementationRequest": {"TargetEndpointURL": []}},
    {k: v for k, v in SANDBOX.items() if k != "ProxyImplementationRequest"},
    {**SANDBOX, "CreateMechanism": "CLONE"},
])
def test_refused_implementation_requests(box: SandboxHandle, session: requests.Session, body: dict[str, Any]) -> None:
    _, base = _version(box, session)
    assert session.post(base, json=body, headers={"Content-Type": V81}, timeout=5).status_code == 400


def test_the_physical_backend_round_trips_and_live_shows_in_the_version(box: SandboxHandle,
                                                                       session: requests.Session) -> None:
    vid, base = _version(box, session)
    live, endpoints = _backend(session, base, "Live")
    physical = live["ProxyImplementationDetails"]["ServiceKey"]
    body = {"Endpoint": [{**endpoints[0], "Uri": "http://moved.example.com/v1"}]}
    put = session.put(f"{base}/Live/services/{physical}/endpoints", json=body,
                      headers={"Content-Type": V81, "Accept": V81}, timeout=5)
    assert put.status_code == 200
    _, after = _backend(session, base, "Live")
    assert after == body["Endpoint"]  # the key the platform assigned is kept
    version = session.get(f"{box.base_urls['akana']}/apis/versions/{vid}", params={"includeTargetAPI": "true"},
                          timeout=5).json()
    assert [e["Uri"] for e in version["TargetAPI"]["Endpoints"]["Endpoint"]] == ["http://moved.example.com/v1"]


def test_the_virtual_service_refuses_a_put(box: SandboxHandle, session: requests.Session) -> None:
    _, base = _version(box, session)
    live, _ = _backend(session, base, "Live")
    virtual = live["ServiceKey"]
    put = session.put(f"{base}/Live/services/{virtual}/endpoints", json={"Endpoint": [{"Uri": "http://x"}]},
                      headers={"Content-Type": V81}, timeout=5)
    assert put.status_code == 400  # m_apis_saveServiceEndpoints.htm
    unknown = session.put(f"{base}/Live/services/uddi:nothing/endpoints", json={"Endpoint": [{"Uri": "http://x"}]},
                          headers={"Content-Type": V81}, timeout=5)
    assert unknown.status_code == 404


def test_implementations_need_login(box: SandboxHandle) -> None:
    assert requests.get(f"{box.base_urls['akana']}/apis/versions/x.sandbox/implementations/Live",
                        timeout=5).status_code == 401


def test_deleting_the_version_deletes_its_implementations(box: SandboxHandle, session: requests.Session) -> None:
    vid, base = _version(box, session)
    assert session.post(base, json=SANDBOX, headers={"Content-Type": V81}, timeout=5).status_code == 200
    assert set(box.state()["akana"]["implementations"][vid]) == {"Live", "Sandbox"}
    deleted = session.delete(f"{box.base_urls['akana']}/apis/versions/{vid}", headers={"Accept": "text/plain"},
                             timeout=5)
    assert deleted.status_code == 200
    assert vid not in box.state()["akana"]["implementations"]
    assert session.get(f"{base}/Live", timeout=5).status_code == 404
