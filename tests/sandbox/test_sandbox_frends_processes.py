"""Frends sandbox, seed 001 and the process template of seed 000: a template per endpoint, Process
files that round-trip (export gives back what import took), the five importConflict settings, get
by id and by GUID and version, paged listing with its filters, delete. Every exchange is also
checked by the contract guard (tests/conftest.py)."""

from __future__ import annotations

import json
import uuid
from typing import Any

import requests

from migrate.push.contracts.check import Contract
from migrate.sandbox import SandboxHandle
from tests.sandbox.sandbox_helpers import openapi_text

PROBLEM = "application/problem+json"
SERVER = {"id", "version", "modified", "modifier", "isDeleted", "isNotLatestVersion", "isDraft", "draftId",
          "idOfBaseProcessForDraft"}


def _root(sandbox: SandboxHandle) -> str:
    return sandbox.base_urls["frends"]


def _api(frends: requests.Session, sandbox: SandboxHandle) -> int:
    text = json.loads(openapi_text("Pets", "https://a.example.com/pets"))
    text["paths"] = {"/pets": {"get": {"summary": "List pets", "responses": {"200": {"description": "ok"}}},
                               "post": {"responses": {"201": {"description": "made"}}}}}
    created = frends.post(f"{_root(sandbox)}/api-management/api-specifications/import",
                          files={"file": ("api.json", json.dumps(text))}, timeout=5)
    assert created.status_code == 201, created.text
    return int(created.json()["data"]["id"])


def _template(frends: requests.Session, sandbox: SandboxHandle, sid: int, path: str = "/pets",
              operation: str = "GET") -> requests.Response:
    return frends.post(f"{_root(sandbox)}/api-management/api-specifications/{sid}/1/processTemplate",
                       json={"path": path, "operation": operation}, timeout=5)


def _import(frends: requests.Session, sandbox: SandboxHandle, content: Any, conflict: str | None = "Error") -> (
        requests.Response):
    raw = content if isinstance(content, bytes) else json.dumps(content).encode()
    data = {} if conflict is None else {"importConflict": conflict}
    return frends.post(f"{_root(sandbox)}/processes/batch-import", files={"file": ("p.json", raw)}, data=data,
                       timeout=5)


def _made(frends: requests.Session, sandbox: SandboxHandle) -> tuple[dict[str, Any], dict[str, Any]]:
    """A template and the import result of it."""
    template = _template(frends, sandbox, _api(frends, sandbox)).json()["data"]
    imported = _import(frends, sandbox, template)
    assert imported.status_code == 200, imported.text
    return template, imported.json()["data"]


def test_a_template_is_a_complete_process_for_an_endpoint_of_the_version(sandbox: SandboxHandle,
                                                                        frends: requests.Session) -> None:
    sid = _api(frends, sandbox)
    answer = _template(frends, sandbox, sid)
    assert answer.status_code == 200
    process = answer.json()["data"]
    assert Contract.load("frends").check_instance("#/components/schemas/DtoProcess", process) == []
    assert process["apiSpecId"] == sid and process["name"] == "Pets GET /pets" and process["description"] == "List pets"
    again = _template(frends, sandbox, sid).json()["data"]
    assert again["uniqueIdentifier"] != process["uniqueIdentifier"]  # a pure read naming a new identity
    listed = frends.get(f"{_root(sandbox)}/processes", timeout=5).json()
    assert listed["data"] == [] and listed["paging"]["totalCount"] == 0  # nothing was stored
    for path, method in (("/nope", "GET"), ("/pets", "DELETE")):
        refused = _template(frends, sandbox, sid, path, method)
        assert refused.status_code == 400 and refused.headers["content-type"] == PROBLEM
    assert frends.post(f"{_root(sandbox)}/api-management/api-specifications/{sid}/7/processTemplate",
                       json={"path": "/pets", "operation": "GET"}, timeout=5).status_code == 404


def test_import_assigns_identity_and_export_gives_back_what_it_took(sandbox: SandboxHandle,
                                                                    frends: requests.Session) -> None:
    template, result = _made(frends, sandbox)
    assert set(result) == {"name", "elementIdentifier", "id", "resourceLocation", "version"}
    assert result["elementIdentifier"] == template["uniqueIdentifier"] and result["version"] == 1
    assert result["id"] != template["id"] and result["resourceLocation"].endswith(f"/processes/{result['id']}")
    exported = frends.get(f"{_root(sandbox)}/processes/{result['id']}/export", timeout=5)
    assert exported.status_code == 200 and exported.headers["content-type"].startswith("application/json")
    back = json.loads(exported.content)
    assert {k: v for k, v in back.items() if k not in SERVER} == {k: v for k, v in template.items() if k not in SERVER}
    assert back["modifier"] == "sandbox" and back["id"] == result["id"] and back["isDeleted"] is False
    by_guid = frends.get(f"{_root(sandbox)}/processes/{template['uniqueIdentifier']}/versions/1/export", timeout=5)
    assert by_guid.content == exported.content
    batch = frends.get(f"{_root(sandbox)}/processes/batch-export", params={"ids": [result["id"]]}, timeout=5)
    assert json.loads(batch.content) == [back]
    # the exported file imports again: the same Process, as the conflict setting says
    assert _import(frends, sandbox, exported.content, "UseExisting").json()["data"] == result


def test_the_five_conflict_settings(sandbox: SandboxHandle, frends: requests.Session) -> None:
    template, first = _made(frends, sandbox)
    refused = _import(frends, sandbox, template, "Error")
    assert refused.status_code == 409 and refused.headers["content-type"] == PROBLEM
    assert _import(frends, sandbox, template, "UseExisting").json()["data"] == first
    changed = {**template, "description": "changed"}
    second = _import(frends, sandbox, changed, "NewVersion").json()["data"]
    assert (second["elementIdentifier"], second["version"]) == (first["elementIdentifier"], 2)
    assert second["id"] != first["id"]
    old = frends.get(f"{_root(sandbox)}/processes/{first['id']}", timeout=5).json()
    assert old["data"]["isNotLatestVersion"] is True and set(old["links"]) == {"deployments", "delete"}
    for conflict, active in (("NewActiveElement", True), ("NewInactiveElement", False)):
        made = _import(frends, sandbox, template, conflict).json()["data"]
        assert made["elementIdentifier"] != first["elementIdentifier"] and made["version"] == 1
        got = frends.get(f"{_root(sandbox)}/processes/{made['id']}", timeout=5).json()["data"]
        assert got["activateIfNew"] is active
    for bad in (_import(frends, sandbox, template, None), _import(frends, sandbox, template, "Overwrite"),
                _import(frends, sandbox, b"not json"), _import(frends, sandbox, {"name": "half a process"})):
        assert bad.status_code == 400 and bad.headers["content-type"] == PROBLEM


def test_get_list_filters_paging_and_delete(sandbox: SandboxHandle, frends: requests.Session) -> None:
    template, first = _made(frends, sandbox)
    others = [_import(frends, sandbox, {**template, "uniqueIdentifier": str(uuid.uuid4()), "name": f"P{n}"})
              for n in range(3)]
    assert all(o.status_code == 200 for o in others)
    root = _root(sandbox)
    page = frends.get(f"{root}/processes", params={"PageSize": 2, "PageNumber": 2}, timeout=5).json()
    assert [p["name"] for p in page["data"]] == ["P2", "Pets GET /pets"] and page["paging"]["totalCount"] == 4
    guid = first["elementIdentifier"]
    def listed(**params: Any) -> list[Any]:
        return list(frends.get(f"{root}/processes", params=params, timeout=5).json()["data"])

    assert [p["id"] for p in listed(processGuid=guid)] == [first["id"]]
    assert [p["name"] for p in listed(processName="P1")] == ["P1"]
    got = frends.get(f"{root}/processes/{guid}/versions/1", timeout=5).json()
    assert got == frends.get(f"{root}/processes/{first['id']}", timeout=5).json()
    assert frends.get(f"{root}/processes/{guid}/versions/9", timeout=5).status_code == 404
    assert frends.get(f"{root}/processes/99999", timeout=5).status_code == 404
    assert frends.delete(f"{root}/processes/{guid}", timeout=5).status_code == 204
    assert frends.get(f"{root}/processes/{first['id']}", timeout=5).json()["data"]["isDeleted"] is True
    assert frends.delete(f"{root}/processes/{guid}", timeout=5).status_code == 404
    # a deleted Process is not in the way of an import with Error
    assert _import(frends, sandbox, template, "Error").status_code == 200


def test_delete_undeploys_from_every_agent_group(sandbox: SandboxHandle, frends: requests.Session) -> None:
    _, first = _made(frends, sandbox)
    root, guid = _root(sandbox), first["elementIdentifier"]
    for group in (1, 2):
        body = {"agentGroupId": group, "processes": [{"processGuid": guid, "version": 1}]}
        assert frends.post(f"{root}/process-deployments", json=body, timeout=5).status_code == 201
    assert frends.get(f"{root}/process-deployments", timeout=5).json()["paging"]["totalCount"] == 2
    assert frends.delete(f"{root}/processes/{guid}", timeout=5).status_code == 204
    assert frends.get(f"{root}/process-deployments", timeout=5).json()["data"] == []


def test_a_batch_import_is_not_atomic(sandbox: SandboxHandle, frends: requests.Session) -> None:
    """x-sandbox-decisions: the Processes before a refused one stay stored (the documents are silent)."""
    template, _ = _made(frends, sandbox)
    fresh = {**template, "uniqueIdentifier": str(uuid.uuid4()), "name": "Stored before the refusal"}
    refused = _import(frends, sandbox, [fresh, template], "Error")
    assert refused.status_code == 409
    listed = frends.get(f"{_root(sandbox)}/processes", params={"processGuid": fresh["uniqueIdentifier"]}, timeout=5)
    assert [p["name"] for p in listed.json()["data"]] == ["Stored before the refusal"]
