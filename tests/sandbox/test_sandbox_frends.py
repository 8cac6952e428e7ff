"""Frends sandbox: bearer tokens only, documented objects only (DtoApiSpecification's four
members, full DtoApiPassthrough, DtoProcessDeploymentGet), paging as PagingModel, and the contract's
decided error answers. Every exchange is also checked by the contract guard (tests/conftest.py)."""

from __future__ import annotations

import copy
import json
import uuid
from typing import Any

import pytest
import requests

import migrate.sandbox.frends.state as st
from migrate.sandbox import SandboxHandle
from tests.replay import example
from tests.sandbox.sandbox_helpers import openapi_text

SWAGGER = '{"swagger": "2.0", "info": {"title": "Legacy", "version": "1"}, "basePath": "/legacy", "paths": {}}'
SPEC_MEMBERS = {"id", "name", "activeVersion", "description"}
PAGING = {"currentPage", "pageSize", "totalCount", "firstPage", "lastPage", "nextPage", "previousPage"}
PROBLEM = "application/problem+json"


def _specs(sandbox: SandboxHandle) -> str:
    return f"{sandbox.base_urls['frends']}/api-management/api-specifications"


def _import(frends: requests.Session, sandbox: SandboxHandle, text: str) -> requests.Response:
    return frends.post(f"{_specs(sandbox)}/import", files={"file": ("api.json", text)}, timeout=5)


def _new(frends: requests.Session, sandbox: SandboxHandle, title: str, base: str) -> int:
    created = _import(frends, sandbox, openapi_text(title, base))
    assert created.status_code == 201, created.text
    return int(created.json()["data"]["id"])


def sample_process(api_spec_id: int, name: str = "Get item", version: int = 1,
                   guid: str | None = None, process_id: int = 1) -> dict[str, Any]:
    """A complete DtoProcess: seed 001's example (tests/fixtures) with its own identity."""
    listed = json.loads(example("frends", "GetProcesses.200.json"))["data"][0]
    process = {k: v for k, v in copy.deepcopy(listed).items() if k != "links"}
    process.update(id=process_id, uniqueIdentifier=guid or str(uuid.uuid4()), name=name, version=version,
                   apiSpecId=api_spec_id, isDeleted=False, isDraft=False, isNotLatestVersion=False,
                   isSubprocess=False, majorVersion=1, minorVersion=0)
    return process


# -- authentication ----------------------------------------------------------------------------------------


def test_only_a_bearer_token_is_accepted(sandbox: SandboxHandle) -> None:
    url, key = _specs(sandbox), sandbox.credentials.frends.api_key
    for header in ({}, {"Authorization": key}, {"Authorization": "Bearer nope"}, {"Authorization": f"Basic {key}"},
                   {"Authorization": f"Bearer  {key}"}):
        refused = requests.get(url, headers=header, timeout=5)
        assert refused.status_code == 401, header
        assert refused.headers["content-type"] == PROBLEM and refused.headers["www-authenticate"] == "Bearer"
        assert key not in refused.text
    for scheme in ("Bearer", "bearer"):  # the scheme name is case-insensitive (RFC 9110 11.1)
        assert requests.get(url, headers={"Authorization": f"{scheme} {key}"}, timeout=5).status_code == 200


# -- specifications: documented members only --------------------------------------------------------------


def test_import_answers_the_four_members_and_refuses_a_used_base_path(sandbox: SandboxHandle,
                                                                      frends: requests.Session) -> None:
    created = _import(frends, sandbox, openapi_text("Pets", "https://a.example.com/pets/v1"))
    assert created.status_code == 201
    assert created.json() == {"data": {"id": 1, "name": "Pets", "activeVersion": 1, "description": None}}
    clash = _import(frends, sandbox, openapi_text("Other", "https://b.example.com/pets/v1/"))
    assert clash.status_code == 409 and clash.headers["content-type"] == PROBLEM
    assert "A path is already used in an existing API" in clash.json()["detail"]
    assert _import(frends, sandbox, SWAGGER).status_code == 201
    bad = _import(frends, sandbox, "not: [an, api]")
    assert bad.status_code == 400 and bad.headers["content-type"] == PROBLEM


def test_no_documented_response_shows_text_publish_state_or_groups(sandbox: SandboxHandle,
                                                                   frends: requests.Session) -> None:
    sid = _new(frends, sandbox, "Pets", "/pets")
    url = f"{_specs(sandbox)}/{sid}"
    assert frends.post(f"{url}/publish", json={"changeDescription": "v1"}, timeout=5).status_code == 200
    assert frends.post(f"{url}/1/deploy/2", timeout=5).status_code == 200
    answers = [frends.get(url, timeout=5).json()["data"], frends.get(f"{url}/1", timeout=5).json()["data"],
               frends.get(f"{url}/2", timeout=5).json()["data"], *frends.get(_specs(sandbox), timeout=5).json()["data"]]
    assert all(set(a) == SPEC_MEMBERS for a in answers)
    assert {a["activeVersion"] for a in answers} == {2}
    stored = sandbox.state()["frends"]["specs"][str(sid)]  # what Frends keeps but never returns
    assert stored["versions"]["1"]["published"] and stored["versions"]["1"]["deployedTo"] == [2]
    assert frends.get(f"{url}/9", timeout=5).status_code == 404


def test_create_from_a_json_string_and_update_cannot_move_the_base_path(sandbox: SandboxHandle,
                                                                        frends: requests.Session) -> None:
    created = frends.post(_specs(sandbox), json=openapi_text("Str", "/str"), timeout=5)
    assert created.status_code == 201
    url = f"{_specs(sandbox)}/{created.json()['data']['id']}"
    assert frends.put(url, json=openapi_text("Renamed", "/str"), timeout=5).status_code == 200
    assert frends.get(url, timeout=5).json()["data"]["name"] == "Renamed"
    assert frends.put(url, json=openapi_text("Renamed", "/moved"), timeout=5).status_code == 400
    assert frends.put(url, json={"not": "a string"}, timeout=5).status_code == 400
    assert frends.put(f"{_specs(sandbox)}/99", json=openapi_text("X", "/x"), timeout=5).status_code == 404


# -- paging -------------------------------------------------------------------------------------------------


def test_list_is_paged_as_documented(sandbox: SandboxHandle, frends: requests.Session) -> None:
    for title in ("Cc", "aa", "Bb"):
        _new(frends, sandbox, title, f"/{title}")
    first = frends.get(_specs(sandbox), params={"PageNumber": 1, "PageSize": 2}, timeout=5).json()
    assert set(first) == {"data", "paging"} and set(first["paging"]) == PAGING
    assert [d["name"] for d in first["data"]] == ["aa", "Bb"]  # by name: not the creation order
    paging = first["paging"]
    assert (paging["currentPage"], paging["pageSize"], paging["totalCount"], paging["previousPage"]) == (1, 2, 3, None)
    assert "PageNumber=2" in paging["nextPage"] and "PageNumber=2" in paging["lastPage"]
    assert "PageNumber=1" in paging["firstPage"]
    second = frends.get(_specs(sandbox), params={"PageNumber": 2, "PageSize": 2}, timeout=5).json()
    assert [d["name"] for d in second["data"]] == ["Cc"] and second["paging"]["nextPage"] is None
    past = frends.get(_specs(sandbox), params={"PageNumber": 5, "PageSize": 2}, timeout=5).json()
    assert past["data"] == [] and past["paging"]["nextPage"] is None
    assert frends.get(_specs(sandbox), timeout=5).json()["paging"]["pageSize"] == 30
    for bad in ({"PageSize": 201}, {"PageNumber": 0}, {"PageSize": "x"}):
        refused = frends.get(_specs(sandbox), params=bad, timeout=5)
        assert refused.status_code == 400 and refused.headers["content-type"] == PROBLEM


# -- publish, deploy, Agent Groups -------------------------------------------------------------------------


def test_publish_deploy_and_delete_from_groups(sandbox: SandboxHandle, frends: requests.Session) -> None:
    sid = _new(frends, sandbox, "Pets", "/pets")
    url = f"{_specs(sandbox)}/{sid}"
    assert frends.post(f"{url}/1/deploy/2", timeout=5).status_code == 400  # not published yet
    assert frends.post(f"{url}/publish", json={"changeDescription": None}, timeout=5).status_code == 200
    assert frends.get(url, timeout=5).json()["data"]["activeVersion"] == 2
    assert frends.post(f"{url}/1/deploy/2", timeout=5).status_code == 200
    before = sandbox.state()["frends"]
    assert frends.post(f"{url}/1/deploy/2", timeout=5).status_code == 200  # a repeat changes nothing
    assert sandbox.state()["frends"] == before
    assert frends.post(f"{url}/1/deploy/99", timeout=5).status_code == 404  # Agent group not found
    assert frends.post(f"{url}/2/deploy/2", timeout=5).status_code == 400  # the active version is not locked
    assert frends.delete(f"{url}/agent-group/1", timeout=5).status_code == 409
    assert frends.delete(f"{url}/agent-group/2", timeout=5).status_code == 204
    assert frends.delete(f"{url}/agent-group/1", timeout=5).status_code == 204
    assert frends.get(url, timeout=5).status_code == 404


# -- passthrough configurations ----------------------------------------------------------------------------


def test_passthrough_objects_are_complete_and_bodies_as_documented(sandbox: SandboxHandle,
                                                                   frends: requests.Session) -> None:
    sid = _new(frends, sandbox, "Pets", "/pets")
    url = f"{_specs(sandbox)}/{sid}/1/api-passthrough"
    created = frends.post(url, json=json.loads(example("frends", "CreateApiPassthrough.request.json")), timeout=5)
    assert created.status_code == 201 and created.content == b"" and "location" not in created.headers
    assert frends.post(url, json={"isDefault": False}, timeout=5).status_code == 400
    (config,) = frends.get(url, timeout=5).json()["data"]
    documented = json.loads(example("frends", "GetApiPassthroughs.200.json"))["data"][0]
    assert set(config) == set(documented)
    assert config["apiVersionId"] != 1  # an internal version id, not the version number
    update = json.loads(example("frends", "UpdateApiPassthrough.request.json"))
    assert frends.put(f"{url}/{config['id']}", json={**update, "path": "/x"}, timeout=5).status_code == 400
    updated = frends.put(f"{url}/{config['id']}", json={**update, "corsEnabled": False}, timeout=5).json()["data"]
    assert updated["corsEnabled"] is False and set(updated) == set(documented)
    assert frends.delete(f"{url}/{config['id']}", timeout=5).status_code == 204
    assert frends.get(url, timeout=5).json()["data"] == []
    assert frends.delete(f"{url}/{config['id']}", timeout=5).status_code == 404


def test_publish_copies_passthrough_configurations_with_new_ids(sandbox: SandboxHandle,
                                                                frends: requests.Session) -> None:
    sid = _new(frends, sandbox, "Pets", "/pets")
    base = f"{_specs(sandbox)}/{sid}"
    frends.post(f"{base}/1/api-passthrough", json={"isDefault": True, "targetUrl": {"server": "https://b"}}, timeout=5)
    frends.post(f"{base}/publish", timeout=5)
    (old,) = frends.get(f"{base}/1/api-passthrough", timeout=5).json()["data"]
    (new,) = frends.get(f"{base}/2/api-passthrough", timeout=5).json()["data"]
    assert new["id"] != old["id"] and new["apiVersionId"] != old["apiVersionId"]
    assert {k: v for k, v in new.items() if k not in ("id", "apiVersionId")} == \
        {k: v for k, v in old.items() if k not in ("id", "apiVersionId")}


# -- Processes and Process deployments ---------------------------------------------------------------------


def test_process_list_and_deployments(sandbox: SandboxHandle, frends: requests.Session) -> None:
    process = sample_process(7, process_id=11)
    st.add_process(sandbox.store, process)
    root = sandbox.base_urls["frends"]
    listed = frends.get(f"{root}/processes", timeout=5).json()
    (item,) = listed["data"]
    assert item["uniqueIdentifier"] == process["uniqueIdentifier"] and set(item["links"]) == {"deployments", "delete"}
    assert set(listed["paging"]) == PAGING
    wanted = [{"processGuid": process["uniqueIdentifier"], "version": 1}]
    body: dict[str, Any] = {"agentGroupId": 2, "processes": wanted, "activateTriggers": True}
    deployed = frends.post(f"{root}/process-deployments", json=body, timeout=5)
    assert deployed.status_code == 201 and deployed.content == b""
    found = frends.get(f"{root}/process-deployments", timeout=5,
                       params={"agentGroupId": 2, "processGuid": process["uniqueIdentifier"]}).json()
    (deployment,) = found["data"]
    versions = (deployment["processId"], deployment["processVersion"], deployment["processBuildVersion"])
    assert versions == (11, "1.0.1", 1)
    assert deployment["agentGroup"] == {"id": 2, "displayName": "Test"} and deployment["triggersActive"] is True
    frends.post(f"{root}/process-deployments", json=body, timeout=5)  # one deployed version per group
    assert len(frends.get(f"{root}/process-deployments", params={"agentGroupId": 2}, timeout=5).json()["data"]) == 1
    assert frends.get(f"{root}/process-deployments", params={"agentGroupId": 3}, timeout=5).json()["data"] == []


@pytest.mark.parametrize(("body", "status"), [
    ({"agentGroupId": 99, "processes": [{"processGuid": "0b0e7a4e-0000-4000-8000-000000000000", "version": 1}]}, 404),
    ({"agentGroupId": 1, "processes": [{"processGuid": "0b0e7a4e-0000-4000-8000-000000000000", "version": 1}]}, 404),
    ({"agentGroupId": 1, "processes": []}, 400),
    ({"agentGroupId": 1, "processes": [{"processGuid": "x", "version": 1}] * 21}, 400),
    ({"agentGroupId": 1, "processes": [{"processGuid": "x", "version": 1}], "extra": True}, 400),
])
def test_process_deployment_refusals(sandbox: SandboxHandle, frends: requests.Session, body: dict[str, Any],
                                     status: int) -> None:
    refused = frends.post(f"{sandbox.base_urls['frends']}/process-deployments", json=body, timeout=5)
    assert refused.status_code == status and refused.headers["content-type"] == PROBLEM
    assert sandbox.state()["frends"].get("deployments", {}) == {}


def test_unknown_agent_group_in_the_deployment_list(sandbox: SandboxHandle, frends: requests.Session) -> None:
    refused = frends.get(f"{sandbox.base_urls['frends']}/process-deployments", params={"agentGroupId": 42}, timeout=5)
    assert refused.status_code == 404 and refused.headers["content-type"] == PROBLEM
