"""The Akamai client against Akamai's own example responses (seed 002, verbatim in
tests/fixtures/contracts/akamai/, see its index.yaml), through the in-process transport seam
``tests/replay.py``. Where a test needs a state the seed has no example of (a version PENDING, a
FAILED activation, an error), it changes one member of a seed example and says so."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from akamai.edgegrid import EdgeGridAuth

from migrate.core.errors import AuthError, PushError
from migrate.emitters.base import Payload, PayloadFile
from migrate.push.akamai.client import AkamaiClient
from migrate.push.akamai.project import merge, project
from migrate.push.protocol import Delivery, Followup, PushOptions, Remote
from tests.replay import BASE, Canned, ReplayAdapter, Sent, canned_file, example
from tests.vendors.vendor_helpers import FAST

API = "/api-definitions/v2"
EID = 288194  # the seed's versions list (get-endpoint-versions.200.json)
VERSIONS = rf"{API}/endpoints/\d+/versions"
DETAIL = rf"{API}/endpoints/\d+/versions/\d+/resources-detail"
Routes = dict[tuple[str, str], Canned | list[Canned]]


def seed(name: str) -> Any:
    return json.loads(example("akamai", name))


def canned_json(value: Any, status: int = 200, content_type: str = "application/json") -> Canned:
    return Canned(status, json.dumps(value).encode(), content_type)


def replay(routes: Routes) -> tuple[AkamaiClient, ReplayAdapter]:
    client = AkamaiClient(BASE + API, EdgeGridAuth("akab-client", "c2VjcmV0", "akab-access"), policy=FAST)
    adapter = ReplayAdapter(routes)
    client.session.mount(BASE + "/", adapter)
    return client, adapter


def delivery(body: dict[str, Any]) -> Delivery:
    return Delivery("seed", Payload("akamai", [PayloadFile("akamai.json", json.dumps(body), "application/json")]))


def writes(adapter: ReplayAdapter) -> list[Sent]:
    return [s for s in adapter.sent if s.method != "GET"]


def versions_with(number: int, **members: Any) -> dict[str, Any]:
    """The seed's versions list with version ``number`` changed (the seed shows no PENDING/FAILED one)."""
    listed = seed("get-endpoint-versions.200.json")
    next(v for v in listed["apiVersions"] if v["versionNumber"] == number).update(members)
    return dict(listed)


# -- the projection on the seed's own examples ------------------------------------------------------------


def test_seed_create_request_and_its_responses_compare_equal() -> None:
    ours = seed("post-endpoints.request.json")
    wanted = project(ours, ours)
    for answer in ("post-endpoints.201.json", "put-endpoint-version.request.json", "put-endpoint-version.200.json"):
        assert project(seed(answer), ours) == wanted, answer


def resources_detail_as_payload() -> dict[str, Any]:
    """A create body describing what the seed's resources-detail example holds, written as our emitter
    writes it (lower-case types, children with location "body", no nulls, no ids)."""
    def param(name: str, location: str, ptype: str, required: bool, restriction: Any = None,
              children: list[Any] | None = None) -> dict[str, Any]:
        out: dict[str, Any] = {"apiParameterName": name, "apiParameterLocation": location, "apiParameterType": ptype,
                               "apiParameterRequired": required, "array": False}
        if restriction:
            out["apiParameterRestriction"] = restriction
        if children:
            out["apiChildParameters"] = children
        return out

    children = [param("root", "body", "json/xml", True, children=[
        param("param1", "body", "integer", False, {"rangeRestriction": {"rangeMin": 1, "rangeMax": 999}}),
        param("param-2", "body", "number", False,
              {"numberRangeRestriction": {"numberRangeMin": -999, "numberRangeMax": 999}})])]
    return {
        "apiEndPointName": "Membership Benefits", "basePath": "/api/v2", "consumeType": "any",
        "apiEndPointHosts": ["api-service.example.com"], "contractId": "3-13H55B5", "groupId": 44681,
        "apiCategoryIds": [1123],
        "securityScheme": {"securitySchemeType": "apikey",
                           "securitySchemeDetail": {"apiKeyLocation": "header", "apiKeyName": "header-api"}},
        "apiResources": [{"apiResourceName": "Billing", "resourcePath": "/billing", "description": "Billing data",
                          "apiResourceMethods": [
                              {"apiResourceMethod": "POST",
                               "apiParameters": [param("body-param", "body", "json/xml", False, children=children)]},
                              {"apiResourceMethod": "GET", "apiParameters": [
                                  param("param1", "header", "integer", True),
                                  param("param-2", "cookie", "number", False,
                                        {"numberRangeRestriction": {"numberRangeMax": 999999}})]}]}],
    }


def test_seed_resources_detail_equals_the_payload_that_describes_it() -> None:
    ours = resources_detail_as_payload()
    assert project(seed("get-version-details.200.json"), ours) == project(ours, ours)


@pytest.mark.parametrize("change", ["description", "parameter", "vendor-resource", "security"])
def test_a_real_difference_is_not_normalised_away(change: str) -> None:
    ours = resources_detail_as_payload()
    vendor = seed("get-version-details.200.json")
    if change == "description":
        ours["description"] = "new"
    elif change == "parameter":
        ours["apiResources"][0]["apiResourceMethods"][1]["apiParameters"].pop()
    elif change == "vendor-resource":  # someone added a resource at Akamai
        vendor["apiResources"].append({**vendor["apiResources"][0], "resourcePath": "/other"})
    else:  # an API key requirement we no longer set
        del ours["securityScheme"]
    assert project(vendor, ours) != project(ours, ours)


def test_merge_keeps_ids_of_what_still_exists() -> None:
    ours = resources_detail_as_payload()
    ours["apiResources"][0]["apiResourceMethods"][1]["apiParameters"].append(
        {"apiParameterName": "q", "apiParameterLocation": "query", "apiParameterType": "string",
         "apiParameterRequired": False, "array": False})
    merged = merge(seed("get-version-details.200.json"), ours)
    get = next(m for m in merged["apiResources"][0]["apiResourceMethods"] if m["apiResourceMethod"] == "GET")
    assert merged["apiResources"][0]["apiResourceId"] == 12943 and get["apiResourceMethodId"] == 30135
    assert [p.get("apiParameterId") for p in get["apiParameters"]] == [35545, 35546, None]
    assert merged["lockVersion"] == 1 and project(merged, ours) == project(ours, ours)


# -- find, update, hosts ---------------------------------------------------------------------------------


def test_find_by_journal_id_gives_the_definition_of_the_create_request() -> None:
    client, adapter = replay({("GET", VERSIONS): canned_file("akamai", "get-endpoint-versions.200.json"),
                              ("GET", DETAIL): canned_file("akamai", "post-endpoints.201.json")})
    wanted = delivery(seed("post-endpoints.request.json"))
    remote = client.find(wanted, {"ids": {"endpointId": EID}})
    assert remote is not None and remote.definition == client.desired(wanted)
    assert (remote.version, remote.locked, remote.ids) == ("13", False, {"endpointId": EID})
    assert [s.path for s in adapter.sent] == [f"{API}/endpoints/{EID}/versions",
                                              f"{API}/endpoints/{EID}/versions/13/resources-detail"]


def test_a_gone_journal_id_403_falls_back_to_a_search() -> None:
    forbidden = canned_json({"type": "https://problems.luna.akamaiapis.net/api-definitions/error-types/forbidden",
                             "title": "Forbidden", "status": 403}, 403, "application/problem+json")
    client, adapter = replay({
        ("GET", rf"{API}/endpoints/999/versions"): forbidden,
        ("GET", f"{API}/endpoints"): canned_file("akamai", "get-endpoints.200.json"),
        ("GET", VERSIONS): canned_file("akamai", "get-endpoint-versions.200.json"),
        ("GET", DETAIL): canned_file("akamai", "post-endpoints.201.json")})
    remote = client.find(delivery(seed("post-endpoints.request.json")), {"ids": {"endpointId": 999}})
    assert remote is not None and remote.ids == {"endpointId": 81}  # the seed's list: Membership Benefits is 81
    search = adapter.sent[1]
    assert search.path == f"{API}/endpoints" and "contains=Membership+Benefits" in search.query
    assert "contractId=3-13H55B5" in search.query and "groupId=44681" in search.query


def test_update_is_get_modify_put_with_the_ids_and_lock_version() -> None:
    client, adapter = replay({
        ("GET", rf"{API}/contracts/3-13H55B5/groups/44681/hosts"): canned_json(["api-service.example.com"]),
        ("GET", VERSIONS): canned_file("akamai", "get-endpoint-versions.200.json"),
        ("GET", DETAIL): canned_file("akamai", "post-endpoints.201.json"),
        ("PUT", rf"{API}/endpoints/{EID}/versions/13"): canned_file("akamai", "put-endpoint-version.200.json")})
    ours = seed("post-endpoints.request.json")
    ours["description"] = "Membership benefits, now with a query parameter."
    ours["apiResources"][0]["apiResourceMethods"][0]["apiParameters"].append(
        {"apiParameterName": "q", "apiParameterLocation": "query", "apiParameterType": "string",
         "apiParameterRequired": False, "array": False})
    client.change(delivery(ours), Remote({"endpointId": EID}, "13", False, None))
    (put,) = writes(adapter)
    sent = put.json()
    assert sent["lockVersion"] == 1 and sent["description"].endswith("query parameter.")
    assert sent["createdBy"] == "joe1" and sent["apiEndPointId"] == 314252  # the object GET returned, modified
    resource = sent["apiResources"][0]
    get = resource["apiResourceMethods"][0]
    assert (resource["apiResourceId"], get["apiResourceMethodId"]) == (765432, 54362)
    assert [p.get("apiParameterId") for p in get["apiParameters"]] == [23245, 43212, None]
    assert [s.method for s in adapter.sent[:3]] == ["GET", "GET", "PUT"]  # hosts, resources-detail, PUT


def test_a_host_outside_the_contract_is_refused_before_any_write() -> None:
    client, adapter = replay({("GET", rf"{API}/contracts/.+/hosts"): canned_file(
        "akamai", "get-contract-group-hosts.200.json")})
    with pytest.raises(PushError, match=r"api-service\.example\.com not available .* allowed: www\.akamai\.com, "
                                        r"www3\.akamai\.com"):
        client.create(delivery(seed("post-endpoints.request.json")))
    assert writes(adapter) == []


def test_refused_credentials_are_an_auth_error() -> None:
    denied = canned_json({"type": "https://problems.luna.akamaiapis.net/-/pep-authn/deny", "title": "Not authorized",
                          "status": 401, "detail": "The signature does not match"}, 401, "application/problem+json")
    client, _ = replay({("GET", VERSIONS): denied})
    with pytest.raises(AuthError, match="The signature does not match"):
        client.find(delivery(seed("post-endpoints.request.json")), {"ids": {"endpointId": EID}})


# -- activation ------------------------------------------------------------------------------------------


def activation_routes(*statuses: str | None) -> Routes:
    """The versions list answers in turn: the first is what the client reads before it requests
    the activation, the others what its polls see."""
    return {
        ("POST", rf"{API}/endpoints/{EID}/versions/13/activate"): canned_file(
            "akamai", "post-endpoint-version-activate.200.json", content_type="application/problem+json"),  # seed 2573
        ("GET", VERSIONS): [canned_json(versions_with(13, stagingStatus=s)) for s in statuses],
    }


REMOTE = Remote({"endpointId": EID}, "13", False, None, {"stagingStatus": None})
STAGING = PushOptions(activate="staging", wait=True, wait_timeout=5.0)


def test_activation_is_requested_once_and_polled_until_active() -> None:
    client, adapter = replay(activation_routes(None, "PENDING", "PENDING", "ACTIVE"))
    (step,) = client.followups(delivery({}), REMOTE, STAGING)
    client.run_followup(step, delivery({}), REMOTE, STAGING)
    (post,) = writes(adapter)
    assert post.json() == {"networks": ["STAGING"], "notificationRecipients": [], "notes": "api-migrate push"}
    assert [s.method for s in adapter.sent] == ["GET", "POST", "GET", "GET", "GET"]


def test_the_old_status_right_after_the_request_is_not_taken_as_the_outcome() -> None:
    """Activation is asynchronous: right after the request the list may still show the last
    attempt's FAILED; only a status that moved (PENDING seen, or a new status or date) settles."""
    client, adapter = replay(activation_routes("FAILED", "FAILED", "PENDING", "ACTIVE"))
    failed_before = copy.deepcopy(REMOTE)
    failed_before.state["stagingStatus"] = "FAILED"
    (step,) = client.followups(delivery({}), failed_before, STAGING)
    client.run_followup(step, delivery({}), failed_before, STAGING)
    assert [s.method for s in adapter.sent] == ["GET", "POST", "GET", "GET", "GET"]


def test_failed_activation_names_akamais_error() -> None:
    detail = seed("post-endpoints.201.json")
    detail["stagingVersion"] = {"versionNumber": None, "status": None,
                                "lastError": {"versionNumber": 13, "status": "FAILED",
                                              "timestamp": "2017-11-17T19:30:07+0000"}}
    client, _ = replay({**activation_routes(None, "PENDING", "FAILED"), ("GET", DETAIL): canned_json(detail)})
    (step,) = client.followups(delivery({}), REMOTE, STAGING)
    with pytest.raises(PushError, match=r"version 13 on STAGING FAILED \(Akamai: status FAILED, versionNumber 13, "
                                        r"timestamp 2017-11-17T19:30:07\+0000\)"):
        client.run_followup(step, delivery({}), REMOTE, STAGING)


def test_a_pending_version_is_never_activated_again() -> None:
    client, adapter = replay(activation_routes("PENDING", "ACTIVE"))
    pending = copy.deepcopy(REMOTE)
    pending.state["stagingStatus"] = "PENDING"
    assert client.followups(delivery({}), pending, PushOptions(activate="staging", wait=False)) == []
    (step,) = client.followups(delivery({}), pending, STAGING)
    assert step == Followup("wait", "wait until version 13 is ACTIVE on STAGING (activation already requested)")
    client.run_followup(step, delivery({}), pending, STAGING)
    assert writes(adapter) == [] and len(adapter.sent) == 2


def test_waiting_gives_up_after_the_timeout() -> None:
    client, _ = replay(activation_routes(None, "PENDING"))
    options = PushOptions(activate="staging", wait=True, wait_timeout=0.05)
    with pytest.raises(PushError, match=r"still PENDING on STAGING after 0\.05 s"):
        client.run_followup(Followup("activate", ""), delivery({}), REMOTE, options)


def test_a_create_answer_with_a_null_id_takes_the_location_header() -> None:
    """``apiEndPointId`` is nullable in akamai.json: the new endpoint's id comes from the 201's
    Location header instead of a TypeError."""
    body = seed("post-endpoints.request.json")
    hosts = canned_json(body["apiEndPointHosts"])
    answer = {**seed("post-endpoints.201.json"), "apiEndPointId": None}
    client, adapter = replay({
        ("GET", rf"{API}/contracts/.+/hosts"): hosts,
        ("POST", f"{API}/endpoints"): Canned(201, json.dumps(answer).encode(), "application/json",
                                             {"Location": f"{API}/endpoints/{EID}"}),
        ("GET", VERSIONS): canned_file("akamai", "get-endpoint-versions.200.json"),
        ("GET", DETAIL): canned_file("akamai", "post-endpoints.201.json")})
    remote = client.create(delivery(body))
    assert remote.ids == {"endpointId": EID}
    assert [s.path for s in writes(adapter)] == [f"{API}/endpoints"]
