"""Akamai sandbox over loopback with edgegrid-python: auth, create/409, paging, lockVersion, locks."""

from __future__ import annotations

from typing import Any

import requests
from akamai.edgegrid import EdgeGridAuth

from migrate.sandbox import SandboxHandle
from tests.sandbox.sandbox_helpers import endpoint_body


def _create(akamai: requests.Session, sandbox: SandboxHandle, **kw: object) -> requests.Response:
    return akamai.post(f"{sandbox.base_urls['akamai']}/endpoints", json=endpoint_body(**kw), timeout=5)  # type: ignore[arg-type]


def test_wrong_secret_is_401_problem(sandbox: SandboxHandle) -> None:
    creds = sandbox.credentials.akamai
    session = requests.Session()
    session.auth = EdgeGridAuth(creds.client_token, "not-the-secret", creds.access_token)
    response = session.get(f"{sandbox.base_urls['akamai']}/endpoints", timeout=5)
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["detail"] == "the signature does not match"


def test_unsigned_and_tampered_requests_are_refused(sandbox: SandboxHandle, akamai: requests.Session) -> None:
    url = f"{sandbox.base_urls['akamai']}/endpoints"
    assert requests.get(url, timeout=5).status_code == 401
    signed = akamai.prepare_request(requests.Request("POST", url, json=endpoint_body()))
    signed.body = b'{"apiEndPointName": "tampered"}'
    signed.headers["Content-Length"] = str(len(signed.body))
    assert akamai.send(signed, timeout=5).status_code == 401


def test_create_returns_201_location_and_unique_name_409(sandbox: SandboxHandle, akamai: requests.Session) -> None:
    first = _create(akamai, sandbox)
    assert first.status_code == 201
    endpoint_id = first.json()["apiEndPointId"]
    assert first.headers["Location"] == f"/api-definitions/v2/endpoints/{endpoint_id}/versions/1"
    again = _create(akamai, sandbox, name="bookstore", base_path="/other")
    assert again.status_code == 409
    assert again.headers["content-type"] == "application/problem+json"


def test_same_resource_url_under_another_name_is_409(sandbox: SandboxHandle, akamai: requests.Session) -> None:
    assert _create(akamai, sandbox).status_code == 201
    assert _create(akamai, sandbox, name="Other").status_code == 409


def test_invalid_body_is_400_with_pointer(sandbox: SandboxHandle, akamai: requests.Session) -> None:
    body = endpoint_body()
    body["apiEndPointScheme"] = "ftp"
    response = akamai.post(f"{sandbox.base_urls['akamai']}/endpoints", json=body, timeout=5)
    assert response.status_code == 400
    assert [e["pointer"] for e in response.json()["errors"]] == ["/apiEndPointScheme"]


def test_unknown_contract_is_refused(sandbox: SandboxHandle, akamai: requests.Session) -> None:
    body = endpoint_body(contractId="C-OTHER")
    assert akamai.post(f"{sandbox.base_urls['akamai']}/endpoints", json=body, timeout=5).status_code == 403


def test_list_pages_and_contains(sandbox: SandboxHandle, akamai: requests.Session) -> None:
    for i in range(5):
        assert _create(akamai, sandbox, name=f"Api {i}", base_path=f"/p{i}").status_code == 201
    url = f"{sandbox.base_urls['akamai']}/endpoints"
    page = akamai.get(url, params={"page": 2, "pageSize": 2}, timeout=5).json()
    assert (page["totalSize"], [e["apiEndPointName"] for e in page["apiEndPoints"]]) == (5, ["Api 2", "Api 3"])
    found = akamai.get(url, params={"contains": "api 4"}, timeout=5).json()
    assert [e["apiEndPointName"] for e in found["apiEndPoints"]] == ["Api 4"]


def test_put_checks_lock_version(sandbox: SandboxHandle, akamai: requests.Session) -> None:
    endpoint_id = _create(akamai, sandbox).json()["apiEndPointId"]
    url = f"{sandbox.base_urls['akamai']}/endpoints/{endpoint_id}/versions/1"
    detail = akamai.get(f"{url}/resources-detail", timeout=5).json()
    detail["description"] = "changed"
    updated = akamai.put(url, json=detail, timeout=5)
    assert updated.status_code == 200 and updated.json()["lockVersion"] == 1
    stale = akamai.put(url, json=detail, timeout=5)  # still carries lockVersion 0
    assert stale.status_code == 409
    assert akamai.get(f"{url}/resources-detail", timeout=5).json()["description"] == "changed"


def test_activated_version_is_locked_and_clone_is_editable(sandbox: SandboxHandle, akamai: requests.Session) -> None:
    endpoint_id = _create(akamai, sandbox).json()["apiEndPointId"]
    base = f"{sandbox.base_urls['akamai']}/endpoints/{endpoint_id}/versions"
    activation = {"networks": ["STAGING"], "notes": "rehearsal", "notificationRecipients": []}
    assert akamai.post(f"{base}/1/activate", json=activation, timeout=5).status_code == 200
    detail = akamai.get(f"{base}/1/resources-detail", timeout=5).json()
    assert detail["stagingStatus"] == "ACTIVE"
    assert akamai.put(f"{base}/1", json=detail, timeout=5).status_code == 403
    assert akamai.delete(f"{base}/1", timeout=5).status_code == 403
    clone = akamai.post(f"{base}/1/cloneVersion", timeout=5).json()
    assert (clone["versionNumber"], clone["stagingStatus"]) == (2, None)
    assert akamai.put(f"{base}/2", json=clone, timeout=5).status_code == 200
    versions = akamai.get(base, timeout=5).json()["apiVersions"]
    assert [(v["versionNumber"], v["isVersionLocked"]) for v in versions] == [(1, True), (2, False)]


def test_activation_needs_known_networks(sandbox: SandboxHandle, akamai: requests.Session) -> None:
    endpoint_id = _create(akamai, sandbox).json()["apiEndPointId"]
    url = f"{sandbox.base_urls['akamai']}/endpoints/{endpoint_id}/versions/1/activate"
    assert akamai.post(url, json={"networks": ["MOON"]}, timeout=5).status_code == 400


def test_resources_crud(sandbox: SandboxHandle, akamai: requests.Session) -> None:
    endpoint_id = _create(akamai, sandbox).json()["apiEndPointId"]
    url = f"{sandbox.base_urls['akamai']}/endpoints/{endpoint_id}/versions/1/resources"
    new: dict[str, Any] = {"apiResourceName": "shelf", "resourcePath": "/shelf",
                           "apiResourceMethods": [{"apiResourceMethod": "GET"}]}
    created = akamai.post(url, json=new, timeout=5)
    assert created.status_code == 201
    rid = created.json()["apiResourceId"]
    assert created.headers["Location"].endswith(f"/resources/{rid}")
    assert akamai.post(url, json=new, timeout=5).status_code == 409
    listed = akamai.get(url, timeout=5).json()
    assert [(r["resourcePath"], r["apiResourceMethodNameLists"]) for r in listed] == [
        ("/book/{id}", ["GET"]), ("/shelf", ["GET"])]
    assert akamai.delete(f"{url}/{rid}", timeout=5).status_code == 204
    assert akamai.get(f"{url}/{rid}", timeout=5).status_code == 404


def test_categories_groups_and_hosts(sandbox: SandboxHandle, akamai: requests.Session) -> None:
    base = sandbox.base_urls["akamai"]
    created = akamai.post(f"{base}/categories", json={"apiCategoryName": "Sales"}, timeout=5)
    assert created.status_code == 201 and created.headers["Location"].startswith("/api-definitions/v2/categories/")
    assert akamai.post(f"{base}/categories", json={"apiCategoryName": "sales"}, timeout=5).status_code == 409
    assert [c["apiCategoryName"] for c in akamai.get(f"{base}/categories", timeout=5).json()] == ["Sales"]
    group = akamai.get(f"{base}/contracts/groups", timeout=5).json()[0]
    hosts = akamai.get(f"{base}/contracts/{group['contractId']}/groups/{group['groupId']}/hosts", timeout=5)
    assert hosts.status_code == 200 and hosts.json()
    assert akamai.get(f"{base}/contracts/C-NONE/groups/1/hosts", timeout=5).status_code == 403


def test_delete_endpoint_refused_while_active(sandbox: SandboxHandle, akamai: requests.Session) -> None:
    endpoint_id = _create(akamai, sandbox).json()["apiEndPointId"]
    base = f"{sandbox.base_urls['akamai']}/endpoints/{endpoint_id}"
    net = {"networks": ["PRODUCTION"]}
    akamai.post(f"{base}/versions/1/activate", json=net, timeout=5)
    assert akamai.delete(base, timeout=5).status_code == 409
    akamai.post(f"{base}/versions/1/deactivate", json=net, timeout=5)
    assert akamai.delete(base, timeout=5).status_code == 204
    assert akamai.get(f"{base}/versions", timeout=5).status_code == 404
