"""Akana sandbox: login cookies, CSRF, token expiry and renewal, APIs (JSON, XML, dropbox)."""

from __future__ import annotations

from typing import Any

import pytest
import requests

import migrate.sandbox.akana.app as akana_sandbox
from migrate.sandbox import SandboxHandle, start_sandbox
from tests.sandbox.sandbox_helpers import akana_login, openapi_text
from tests.testsupport import FakeClock

API: dict[str, Any] = {"Name": "Pets", "Description": "d", "APIVersion": {
    "Name": "1.0", "Type": "shttp", "Operations": {"Operation": [
        {"Name": "getPet", "Method": "GET", "Path": "/pet/{petId}", "Input": [{"Name": "petId", "Type": "path"}]}]}}}


def test_wrong_password_is_401(sandbox: SandboxHandle) -> None:
    url = f"{sandbox.base_urls['akana']}/login"
    response = requests.post(url, json={"email": sandbox.credentials.akana.email, "password": "x"}, timeout=5)
    assert response.status_code == 401 and not response.cookies


def test_login_sets_both_cookies(sandbox: SandboxHandle, akana: requests.Session) -> None:
    fed = sandbox.credentials.akana.fedmemberid
    assert {f"AtmoAuthToken_{fed}", f"Csrf-Token_{fed}"} <= set(akana.cookies.keys())


def test_calls_without_login_or_csrf_are_401(sandbox: SandboxHandle, akana: requests.Session) -> None:
    url = f"{sandbox.base_urls['akana']}/apis"
    assert requests.post(url, json=API, timeout=5).status_code == 401
    assert akana.get(url, timeout=5).status_code == 200
    header = f"X-Csrf-Token_{sandbox.credentials.akana.fedmemberid}"
    no_csrf = akana.post(url, json=API, headers={header: ""}, timeout=5)
    wrong_csrf = akana.post(url, json=API, headers={header: "TokenID%3Dforged"}, timeout=5)
    assert (no_csrf.status_code, wrong_csrf.status_code) == (401, 401)
    assert akana.post(url, json=API, timeout=5).status_code == 200


def test_create_returns_ids_and_names_are_unique(sandbox: SandboxHandle, akana: requests.Session) -> None:
    url = f"{sandbox.base_urls['akana']}/apis"
    created = akana.post(url, json=API, timeout=5)
    fed = sandbox.credentials.akana.fedmemberid
    body = created.json()
    assert created.headers["Atmo-Renew-Token"] == "renew"
    assert body["APIID"].endswith(f".{fed}") and body["APIVersion"]["APIVersionID"].endswith(f".{fed}")
    assert akana.post(url, json={**API, "Name": "pets"}, timeout=5).status_code == 409
    assert akana.get(f"{url}/{body['APIID']}", timeout=5).json()["Name"] == "Pets"
    assert akana.delete(f"{url}/{body['APIID']}", timeout=5).status_code == 200
    assert akana.get(f"{url}/{body['APIID']}", timeout=5).status_code == 404


def test_xml_body_and_bad_bodies(sandbox: SandboxHandle, akana: requests.Session) -> None:
    url = f"{sandbox.base_urls['akana']}/apis"
    xml = (b"<API><Name>Xml Api</Name><APIVersion><Name>1.0</Name><Operations><Operation><Name>op</Name>"
           b"<Method>GET</Method><Path>/a</Path></Operation></Operations></APIVersion></API>")
    created = akana.post(url, data=xml, headers={"Content-Type": "application/xml"}, timeout=5)
    assert created.status_code == 200 and b"<APIID>" in created.content
    bomb = b'<!DOCTYPE a [<!ENTITY x "y">]><API><Name>&x;</Name></API>'
    assert akana.post(url, data=bomb, headers={"Content-Type": "application/xml"}, timeout=5).status_code == 400
    assert akana.post(url, data=b"x", headers={"Content-Type": "text/plain"}, timeout=5).status_code == 400
    assert akana.post(url, json={"Name": "No version"}, timeout=5).status_code == 400
    assert akana.get(url, headers={"Accept": "image/png"}, timeout=5).status_code == 404


def test_dropbox_upload_then_dldescriptor(sandbox: SandboxHandle, akana: requests.Session) -> None:
    base = sandbox.base_urls["akana"]
    files = {"file": ("pets.json", openapi_text("Dropbox Pets", "https://x/v1"), "application/json")}
    uploaded = akana.post(f"{base}/dropbox/readfiledetails", files=files, timeout=5)
    assert uploaded.status_code == 200
    ref = {"FileName": "pets.json", "DropboxFileId": uploaded.json()["DropboxFileId"]}
    created = akana.post(f"{base}/apis", json={"DLDescriptor": {"ServiceDescriptorReference": ref}}, timeout=5)
    assert created.status_code == 200 and created.json()["Name"] == "Dropbox Pets"
    missing = {"DLDescriptor": {"ServiceDescriptorReference": {"DropboxFileId": 999999}}}
    assert akana.post(f"{base}/apis", json=missing, timeout=5).status_code == 400


def test_versions(sandbox: SandboxHandle, akana: requests.Session) -> None:
    url = f"{sandbox.base_urls['akana']}/apis"
    api_id = akana.post(url, json=API, timeout=5).json()["APIID"]
    second = akana.post(f"{url}/{api_id}/versions", json={"Name": "2.0"}, timeout=5)
    assert second.status_code == 200
    assert akana.post(f"{url}/{api_id}/versions", json={"Name": "2.0"}, timeout=5).status_code == 409
    names = [v["Name"] for v in akana.get(f"{url}/{api_id}/versions", timeout=5).json()["APIVersion"]]
    assert names == ["1.0", "2.0"]
    version_url = f"{url}/{api_id}/versions/{second.json()['APIVersionID']}"
    assert akana.delete(version_url, timeout=5).status_code == 200
    assert akana.get(version_url, timeout=5).status_code == 404


def test_token_expires_and_renew_extends_it(monkeypatch: pytest.MonkeyPatch) -> None:
    clock = FakeClock()
    monkeypatch.setattr(akana_sandbox, "time", clock)
    with start_sandbox("akana", token_ttl=60) as handle:
        url = f"{handle.base_urls['akana']}/apis"
        session = akana_login(handle)
        clock.now += 40
        renewed = session.post(f"{url.rsplit('/', 1)[0]}/login/renewToken", timeout=5)
        assert renewed.status_code == 200
        fed = handle.credentials.akana.fedmemberid
        session.headers[f"X-Csrf-Token_{fed}"] = session.cookies.get(f"Csrf-Token_{fed}") or ""
        clock.now += 40  # 80 s after login, 40 s after renewal
        assert session.get(url, timeout=5).status_code == 200
        clock.now += 40
        assert session.get(url, timeout=5).status_code == 401
        assert session.post(f"{url.rsplit('/', 1)[0]}/login/renewToken", timeout=5).status_code == 401
