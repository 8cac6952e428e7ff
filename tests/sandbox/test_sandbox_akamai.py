"""Akamai sandbox: what Akamai documents (seed 002, akamai.json with its defects), served in process
through the transport seam with EdgeGrid-signed requests, every exchange checked against the
contract by the guard: server ids, audit fields and nulls, lockVersion, soft-deleted versions,
asynchronous activation, hostnames of the contract and group, documented statuses only."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
import requests
from akamai.edgegrid import EdgeGridAuth

from migrate.sandbox.credentials import Credentials
from migrate.sandbox.guard import Violations
from migrate.sandbox.inprocess import ASGIAdapter, sandbox_app
from migrate.sandbox.store import Store
from tests.sandbox.sandbox_helpers import endpoint_body
from tests.testsupport import FakeClock

ROOT = "http://sandbox"
BASE = ROOT + "/api-definitions/v2"
PROBLEM = "application/problem+json"


@dataclass
class Box:
    """An Akamai sandbox app in process and a session signed with its credentials."""

    settings: dict[str, Any] = field(default_factory=dict)
    store: Store = field(default_factory=Store)
    creds: Credentials = field(default_factory=Credentials)
    checked: Violations = field(default_factory=Violations)
    session: requests.Session = field(default_factory=requests.Session)

    def __post_init__(self) -> None:
        app = sandbox_app("akamai", self.store, self.creds, {"activation_seconds": 0.0, **self.settings},
                          violations=self.checked)
        self.session.mount(ROOT + "/", ASGIAdapter(app))
        c = self.creds.akamai
        self.session.auth = EdgeGridAuth(c.client_token, c.client_secret, c.access_token)

    def get(self, path: str, **kw: Any) -> requests.Response:
        return self.session.get(BASE + path, **kw)

    def post(self, path: str, body: Any = None) -> requests.Response:
        return self.session.post(BASE + path, json=body)

    def put(self, path: str, body: Any) -> requests.Response:
        return self.session.put(BASE + path, json=body)

    def delete(self, path: str) -> requests.Response:
        return self.session.delete(BASE + path)

    def create(self, **kw: Any) -> dict[str, Any]:
        created = self.post("/endpoints", endpoint_body(**kw))
        assert created.status_code == 201, created.text
        return dict(created.json())


@pytest.fixture
def box() -> Iterator[Box]:
    yield Box()


def problem(response: requests.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    body: dict[str, Any] = response.json()
    assert body["status"] == status and body["title"] and body["type"].startswith("https://problems.luna.akamaiapis")
    return body


def pointers(response: requests.Response) -> list[str]:
    return [e["pointer"] for e in problem(response, 400)["errors"]]


ACTIVATE = {"networks": ["STAGING"], "notificationRecipients": [], "notes": "test"}


def status_of(box: Box, eid: int, number: int, field_: str = "stagingStatus") -> Any:
    versions = box.get(f"/endpoints/{eid}/versions").json()["apiVersions"]
    return next(v[field_] for v in versions if v["versionNumber"] == number)


# -- EdgeGrid --------------------------------------------------------------------------------------------


def test_wrong_secret_is_401_problem_from_the_gateway(box: Box) -> None:
    c = box.creds.akamai
    box.session.auth = EdgeGridAuth(c.client_token, "not-the-secret", c.access_token)
    body = problem(box.get("/endpoints"), 401)
    assert body["detail"] == "the signature does not match"
    assert body["type"] == "https://problems.luna.akamaiapis.net/-/pep-authn/deny"


def test_unsigned_and_tampered_requests_are_refused(box: Box) -> None:
    box.session.auth = None
    problem(box.get("/endpoints"), 401)
    box.session.auth = EdgeGridAuth(box.creds.akamai.client_token, box.creds.akamai.client_secret,
                                    box.creds.akamai.access_token)
    signed = box.session.prepare_request(requests.Request("POST", BASE + "/endpoints", json=endpoint_body()))
    signed.body = b'{"apiEndPointName": "tampered"}'
    signed.headers["Content-Length"] = str(len(signed.body))
    problem(box.session.send(signed), 401)


# -- what Akamai adds ------------------------------------------------------------------------------------


def test_create_answers_the_full_object_with_ids_audit_fields_and_nulls(box: Box) -> None:
    body = endpoint_body()
    body["apiResources"][0]["apiResourceMethods"].append({"apiResourceMethod": "POST", "apiParameters": [
        {"apiParameterName": "book", "apiParameterLocation": "body", "apiParameterType": "json/xml",
         "apiParameterRequired": True, "array": False, "apiChildParameters": [
             {"apiParameterName": "title", "apiParameterLocation": "body", "apiParameterType": "string",
              "apiParameterRequired": True, "array": False,
              "apiParameterRestriction": {"lengthRestriction": {"lengthMax": 9}}}]}]})
    created = box.post("/endpoints", body)
    assert created.status_code == 201
    e = created.json()
    assert created.headers["Location"] == f"/api-definitions/v2/endpoints/{e['apiEndPointId']}/versions/1"
    assert {k: e[k] for k in ("description", "apiEndPointScheme", "securityScheme", "clonedFromVersion",
                              "stagingStatus")} == dict.fromkeys(("description", "apiEndPointScheme", "securityScheme",
                                                                  "clonedFromVersion", "stagingStatus"))
    assert e["stagingVersion"] == {"versionNumber": None, "status": None} and e["protectedByApiKey"] is False
    assert e["createdBy"] and e["createDate"].endswith("+0000") and e["lockVersion"] == 0
    resource = e["apiResources"][0]
    assert resource["link"] is None and isinstance(resource["apiResourceLogicId"], int)
    get, post = resource["apiResourceMethods"]
    path_param = get["apiParameters"][0]
    assert isinstance(get["apiResourceMethodLogicId"], int) and isinstance(path_param["apiResourceMethParamId"], int)
    assert (path_param["apiParameterNotes"], path_param["apiParameterRestriction"],
            path_param["apiChildParameters"]) == (None, None, [])
    child = post["apiParameters"][0]["apiChildParameters"][0]
    assert child["apiParameterLocation"] is None and child["apiResourceMethParamId"] is None  # seed 2240
    assert child["apiParameterRestriction"] == {"lengthRestriction": {"lengthMin": None, "lengthMax": 9},
                                                "rangeRestriction": None, "numberRangeRestriction": None,
                                                "arrayRestriction": None, "xmlConversionRule": None}
    assert box.get(f"/endpoints/{e['apiEndPointId']}/versions/1/resources-detail").json() == e


def test_documented_defaults_are_filled_in(box: Box) -> None:
    body = endpoint_body()
    body["apiResources"][0]["apiResourceMethods"][0]["apiParameters"].append(
        {"apiParameterName": "tag", "apiParameterLocation": "query", "apiParameterType": "string",
         "apiParameterRequired": False, "array": True,
         "apiParameterRestriction": {"arrayRestriction": {"maxItems": 3}}})
    tag = box.post("/endpoints", body).json()["apiResources"][0]["apiResourceMethods"][0]["apiParameters"][1]
    assert tag["apiParameterRestriction"]["arrayRestriction"] == {"maxItems": 3, "collectionFormat": "csv"}


# -- documented refusals ---------------------------------------------------------------------------------


def test_duplicate_name_and_resource_url_are_400(box: Box) -> None:
    box.create()
    assert pointers(box.post("/endpoints", endpoint_body(name="bookstore", base_path="/other"))) == ["/apiEndPointName"]
    assert pointers(box.post("/endpoints", endpoint_body(name="Other"))) == ["/apiResources"]


def test_invalid_body_is_400_with_pointer(box: Box) -> None:
    body = endpoint_body()
    body["apiEndPointScheme"] = "ftp"
    assert pointers(box.post("/endpoints", body)) == ["/apiEndPointScheme"]
    assert pointers(box.post("/endpoints", {**endpoint_body(), "apiEndPointId": 5})) == ["/apiEndPointId"]


def test_contract_group_and_hostnames(box: Box) -> None:
    problem(box.post("/endpoints", endpoint_body(contractId="C-OTHER")), 403)
    assert pointers(box.post("/endpoints", endpoint_body(apiEndPointHosts=["x.example.com"]))) == [
        "/apiEndPointHosts/0"]
    group = box.get("/contracts/groups").json()[0]
    hosts = box.get(f"/contracts/{group['contractId']}/groups/{group['groupId']}/hosts")
    assert hosts.status_code == 200 and "api.sandbox.example.com" in hosts.json()
    problem(box.get("/contracts/C-NONE/groups/1/hosts"), 403)


def test_list_pages_contains_and_contract_filter(box: Box) -> None:
    for i in range(5):
        box.create(name=f"Api {i}", base_path=f"/p{i}")
    page = box.get("/endpoints", params={"page": 2, "pageSize": 2}).json()
    assert (page["totalSize"], [e["apiEndPointName"] for e in page["apiEndPoints"]]) == (5, ["Api 2", "Api 3"])
    found = box.get("/endpoints", params={"contains": "/p4"}).json()["apiEndPoints"]
    assert [(e["apiEndPointName"], e["apiResourceBaseInfo"][0]["resourcePath"]) for e in found] == [
        ("Api 4", "/book/{id}")]
    other = box.get("/endpoints", params={"contains": "Api", "contractId": "C-SANDBOX", "groupId": 23456})
    assert other.json()["apiEndPoints"] == []


# -- GET -> modify -> PUT --------------------------------------------------------------------------------


def test_put_keeps_ids_sent_back_and_gives_new_elements_new_ids(box: Box) -> None:
    eid = box.create()["apiEndPointId"]
    url = f"/endpoints/{eid}/versions/1"
    detail = box.get(url + "/resources-detail").json()
    old = detail["apiResources"][0]
    detail["description"] = "changed"
    detail["apiResources"].append({"apiResourceName": "shelf", "resourcePath": "/shelf",
                                   "apiResourceMethods": [{"apiResourceMethod": "GET"}]})
    updated = box.put(url, detail)
    assert updated.status_code == 200
    kept, new = updated.json()["apiResources"]
    assert (kept["apiResourceId"], kept["apiResourceLogicId"], kept["lockVersion"]) == (
        old["apiResourceId"], old["apiResourceLogicId"], old["lockVersion"])
    assert kept["apiResourceMethods"][0]["apiResourceMethodId"] == old["apiResourceMethods"][0]["apiResourceMethodId"]
    assert new["apiResourceId"] not in (None, old["apiResourceId"])
    assert updated.json()["lockVersion"] == 1 and updated.json()["description"] == "changed"


def test_lock_version_is_required_and_checked(box: Box) -> None:
    eid = box.create()["apiEndPointId"]
    url = f"/endpoints/{eid}/versions/1"
    detail = box.get(url + "/resources-detail").json()
    assert box.put(url, detail).status_code == 200
    problem(box.put(url, detail), 409)  # still lockVersion 0
    assert pointers(box.put(url, {k: v for k, v in detail.items() if k != "lockVersion"})) == ["/lockVersion"]
    problem(box.put(f"/endpoints/{eid}/versions/9", detail), 404)


def test_summary_is_its_own_shape(box: Box) -> None:
    eid = box.create()["apiEndPointId"]
    summary = box.get(f"/endpoints/{eid}/versions/1").json()
    assert summary["apiResourceNames"] == ["book"] and summary["versionNumber"] == 1
    assert "apiResources" not in summary and "isVersionLocked" not in summary


# -- versions: soft delete, clone ------------------------------------------------------------------------


def test_removed_versions_keep_their_numbers(box: Box) -> None:
    eid = box.create()["apiEndPointId"]
    assert box.post(f"/endpoints/{eid}/versions/1/cloneVersion").json()["versionNumber"] == 2
    assert box.delete(f"/endpoints/{eid}/versions/2").status_code == 204
    assert [v["versionNumber"] for v in box.get(f"/endpoints/{eid}/versions").json()["apiVersions"]] == [1]
    problem(box.get(f"/endpoints/{eid}/versions/2"), 404)
    problem(box.delete(f"/endpoints/{eid}/versions/2"), 404)
    assert box.post(f"/endpoints/{eid}/versions/1/cloneVersion").json()["versionNumber"] == 3
    assert box.store.snapshot()["akamai"]["endpoints"][str(eid)]["versions"]["2"]["deleted"] is True


def test_versions_list_is_newest_first_and_unknown_endpoint_is_403(box: Box) -> None:
    eid = box.create()["apiEndPointId"]
    box.post(f"/endpoints/{eid}/versions/1/cloneVersion")
    listed = box.get(f"/endpoints/{eid}/versions").json()["apiVersions"]
    assert [(v["versionNumber"], v["basedOn"]) for v in listed] == [(2, 1), (1, None)]  # akamai.json: sortOrder desc
    problem(box.get("/endpoints/999/versions"), 403)  # documented: 200, 403
    problem(box.get("/endpoints/999/versions/1/resources-detail"), 403)


# -- activation ------------------------------------------------------------------------------------------


def test_activation_is_pending_then_active_and_locks_the_version() -> None:
    clock = FakeClock()
    box = Box({"activation_seconds": 30.0, "clock": clock.time})
    eid = box.create()["apiEndPointId"]
    base = f"/endpoints/{eid}/versions"
    assert box.post(f"{base}/1/activate", ACTIVATE).json() == ACTIVATE
    assert status_of(box, eid, 1) == "PENDING"
    assert pointers(box.post(f"{base}/1/activate", ACTIVATE)) == ["/networks"]  # not twice
    problem(box.put(f"{base}/1", box.get(f"{base}/1/resources-detail").json()), 403)
    problem(box.delete(f"/endpoints/{eid}"), 403)
    clock.now += 29.0
    assert status_of(box, eid, 1) == "PENDING"
    clock.now += 1.0
    assert status_of(box, eid, 1) == "ACTIVE"
    detail = box.get(f"{base}/1/resources-detail").json()
    assert detail["stagingVersion"] == {"versionNumber": 1, "status": "ACTIVE"} and detail["apiEndPointLocked"]
    assert box.delete(f"{base}/1").status_code == 403
    clone = box.post(f"{base}/1/cloneVersion").json()
    assert (clone["versionNumber"], clone["stagingStatus"], clone["lockVersion"]) == (2, None, 0)
    assert box.put(f"{base}/2", clone).status_code == 200


def test_activating_a_new_version_deactivates_the_old_one(box: Box) -> None:
    eid = box.create()["apiEndPointId"]
    base = f"/endpoints/{eid}/versions"
    box.post(f"{base}/1/activate", ACTIVATE)
    box.post(f"{base}/1/cloneVersion")
    box.post(f"{base}/2/activate", ACTIVATE)
    assert [status_of(box, eid, n) for n in (1, 2)] == ["DEACTIVATED", "ACTIVE"]


def test_failed_activation() -> None:
    box = Box({"fail_activation": True})
    eid = box.create()["apiEndPointId"]
    box.post(f"/endpoints/{eid}/versions/1/activate", ACTIVATE)
    assert status_of(box, eid, 1) == "FAILED"
    slot = box.get(f"/endpoints/{eid}/versions/1/resources-detail").json()["stagingVersion"]
    assert slot["status"] == "FAILED" and slot["lastError"]["versionNumber"] == 1


def test_activation_errors_are_400(box: Box) -> None:
    eid = box.create()["apiEndPointId"]
    assert pointers(box.post(f"/endpoints/{eid}/versions/1/activate", {"networks": ["MOON"]})) == ["/networks/0"]
    assert pointers(box.post(f"/endpoints/{eid}/versions/1/deactivate", ACTIVATE)) == ["/networks"]
    problem(box.post("/endpoints/999/versions/1/activate", ACTIVATE), 400)  # documented: 200, 400


def test_endpoint_removal_is_refused_while_active(box: Box) -> None:
    eid = box.create()["apiEndPointId"]
    net = {"networks": ["PRODUCTION"]}
    box.post(f"/endpoints/{eid}/versions/1/activate", net)
    problem(box.delete(f"/endpoints/{eid}"), 403)
    assert box.post(f"/endpoints/{eid}/versions/1/deactivate", net).status_code == 200
    assert box.delete(f"/endpoints/{eid}").status_code == 204
    problem(box.delete(f"/endpoints/{eid}"), 404)


# -- categories ------------------------------------------------------------------------------------------


def test_categories(box: Box) -> None:
    created = box.post("/categories", {"apiCategoryName": "Sales"})
    assert created.status_code == 201 and created.headers["Location"].startswith("/api-definitions/v2/categories/")
    cid = created.json()["apiCategoryId"]
    assert pointers(box.post("/categories", {"apiCategoryName": "sales"})) == ["/apiCategoryName"]
    box.create(apiCategoryIds=[cid])
    listed = box.get("/categories", params={"withUsageInfo": "true"}).json()
    assert [(c["apiCategoryName"], c["usageCount"]) for c in listed] == [("Sales", 1), ("__UNCATEGORIZED__", 0)]
    problem(box.delete(f"/categories/{cid}"), 403)  # seed: assigned categories cannot be removed
    problem(box.get("/categories/1"), 404)
    free = box.post("/categories", {"apiCategoryName": "Free", "apiCategoryDescription": "unused"}).json()
    assert box.delete(f"/categories/{free['apiCategoryId']}").status_code == 204
    assert pointers(box.post("/endpoints", endpoint_body(name="X", base_path="/x", apiCategoryIds=[777]))) == [
        "/apiCategoryIds"]


@pytest.mark.breaks_contract  # the path is undocumented: the guard reports the exchange, as it should
def test_unknown_route_is_a_problem_404(box: Box) -> None:
    problem(box.get("/nothing/here"), 404)
    problem(box.session.patch(BASE + "/endpoints"), 404)
    assert box.checked.items  # the guard saw it


def test_a_reused_nonce_is_refused_and_a_client_retry_is_signed_again() -> None:
    """Akamai takes an EdgeGrid nonce once: the same signed request sent twice is refused, and
    the client's retries (429/5xx) go through because each attempt is signed anew."""
    import requests
    from akamai.edgegrid import EdgeGridAuth

    from migrate.push.http import RetryPolicy, make_session, send
    from migrate.sandbox import FaultSpec, start_sandbox

    with start_sandbox("akamai") as handle:
        creds = handle.credentials.akamai
        auth = EdgeGridAuth(creds.client_token, creds.client_secret, creds.access_token)
        url = f"{handle.base_urls['akamai']}/contracts/groups"
        prepared = requests.Request("GET", url, auth=auth).prepare()
        with requests.Session() as plain:
            assert plain.send(prepared).status_code == 200
            assert plain.send(prepared).status_code == 401  # the same nonce again
    with start_sandbox("akamai", faults=FaultSpec(rate=0.5, seed=3, kinds=("503", "lost"), retry_after=0)) as handle:
        creds = handle.credentials.akamai
        session = make_session(RetryPolicy(attempts=8, base=0.01, cap=0.02, jitter=0.0))
        session.auth = EdgeGridAuth(creds.client_token, creds.client_secret, creds.access_token)
        for _ in range(6):
            response = send(session, "akamai", "GET", f"{handle.base_urls['akamai']}/contracts/groups", "list",
                            RetryPolicy(attempts=8, base=0.01, cap=0.02, jitter=0.0))
            assert response.status_code == 200
