"""Frends sandbox: API key, paged list, create/import with base path conflicts, publish/deploy, passthrough."""

from __future__ import annotations

from typing import Any

import requests

from migrate.sandbox import SandboxHandle
from tests.sandbox.sandbox_helpers import openapi_text

SWAGGER = '{"swagger": "2.0", "info": {"title": "Legacy", "version": "1"}, "basePath": "/legacy", "paths": {}}'


def _specs(sandbox: SandboxHandle) -> str:
    return f"{sandbox.base_urls['frends']}/api-management/api-specifications"


def _import(frends: requests.Session, sandbox: SandboxHandle, text: str, name: str = "api.json") -> requests.Response:
    return frends.post(f"{_specs(sandbox)}/import", files={"file": (name, text)}, timeout=5)


def test_missing_or_wrong_key_is_401_problem(sandbox: SandboxHandle) -> None:
    assert requests.get(_specs(sandbox), timeout=5).status_code == 401
    wrong = requests.get(_specs(sandbox), headers={"Authorization": "Bearer nope"}, timeout=5)
    assert wrong.status_code == 401 and wrong.headers["content-type"] == "application/problem+json"
    raw_key = requests.get(_specs(sandbox), headers={"Authorization": sandbox.credentials.frends.api_key}, timeout=5)
    assert raw_key.status_code == 200


def test_import_creates_version_1_and_refuses_used_base_path(sandbox: SandboxHandle, frends: requests.Session) -> None:
    created = _import(frends, sandbox, openapi_text("Pets", "https://a.example.com/pets/v1"))
    assert created.status_code == 201
    assert created.json()["data"] == {"id": 1, "name": "Pets", "activeVersion": 1, "description": ""}
    clash = _import(frends, sandbox, openapi_text("Other", "https://b.example.com/pets/v1/"))
    assert clash.status_code == 409 and clash.headers["content-type"] == "application/problem+json"
    assert _import(frends, sandbox, SWAGGER).status_code == 201
    assert _import(frends, sandbox, "not: [an, api]").status_code == 400


def test_create_from_json_string_and_update_cannot_move_base_path(sandbox: SandboxHandle,
                                                                  frends: requests.Session) -> None:
    created = frends.post(_specs(sandbox), json=openapi_text("Str", "/str"), timeout=5)
    assert created.status_code == 201
    url = f"{_specs(sandbox)}/{created.json()['data']['id']}"
    assert frends.put(url, json=openapi_text("Renamed", "/str"), timeout=5).status_code == 200
    assert frends.get(url, timeout=5).json()["data"]["name"] == "Renamed"
    assert frends.put(url, json=openapi_text("Renamed", "/moved"), timeout=5).status_code == 400


def test_list_is_paged_with_max_200(sandbox: SandboxHandle, frends: requests.Session) -> None:
    for i in range(3):
        _import(frends, sandbox, openapi_text(f"Api {i}", f"/p{i}"))
    page = frends.get(_specs(sandbox), params={"PageNumber": 2, "PageSize": 2}, timeout=5).json()
    assert [d["name"] for d in page["data"]] == ["Api 2"]
    paging = page["paging"]
    assert (paging["totalCount"], paging["currentPage"], paging["nextPage"]) == (3, 2, None)
    assert "PageNumber=1" in paging["previousPage"]
    assert frends.get(_specs(sandbox), params={"PageSize": 201}, timeout=5).status_code == 400


def test_publish_deploy_and_delete_from_groups(sandbox: SandboxHandle, frends: requests.Session) -> None:
    sid = _import(frends, sandbox, openapi_text("Pets", "/pets")).json()["data"]["id"]
    url = f"{_specs(sandbox)}/{sid}"
    assert frends.post(f"{url}/1/deploy/2", timeout=5).status_code == 400  # not published yet
    assert frends.post(f"{url}/publish", json={"changeDescription": "first"}, timeout=5).status_code == 200
    assert frends.get(url, timeout=5).json()["data"]["activeVersion"] == 2
    assert frends.post(f"{url}/1/deploy/2", timeout=5).status_code == 200
    assert frends.post(f"{url}/1/deploy/99", timeout=5).status_code == 404
    assert frends.delete(f"{url}/agent-group/1", timeout=5).status_code == 409
    assert frends.delete(f"{url}/agent-group/2", timeout=5).status_code == 204
    assert frends.delete(f"{url}/agent-group/1", timeout=5).status_code == 204
    assert frends.get(url, timeout=5).status_code == 404


def test_passthrough_configs(sandbox: SandboxHandle, frends: requests.Session) -> None:
    sid = _import(frends, sandbox, openapi_text("Pets", "/pets")).json()["data"]["id"]
    url = f"{_specs(sandbox)}/{sid}/1/api-passthrough"
    config: dict[str, Any] = {"isDefault": True, "corsEnabled": False, "targetUrl": {"server": "https://backend"}}
    created = frends.post(url, json=config, timeout=5)
    assert created.status_code == 201
    assert frends.post(url, json={"isDefault": False}, timeout=5).status_code == 400
    pid = created.headers["Location"].rsplit("/", 1)[1]
    updated = frends.put(f"{url}/{pid}", json={"corsEnabled": True, "allowedOrigins": ["*"]}, timeout=5)
    assert updated.json()["data"]["corsEnabled"] is True
    assert [c["id"] for c in frends.get(url, timeout=5).json()["data"]] == [int(pid)]
    assert frends.delete(f"{url}/{pid}", timeout=5).status_code == 204
    assert frends.get(url, timeout=5).json()["data"] == []
