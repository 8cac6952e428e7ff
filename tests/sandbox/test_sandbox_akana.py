"""Akana sandbox against Akana's documents (migrate/push/contracts/akana.yaml, seed 003): cookies and
the optional CSRF header, token expiry and renewal, platform ids and fields, rewrites, RSS lists,
plain-status errors, XML and dropbox creates, versions and their updates. Every exchange is also
checked by the contract guard (tests/conftest.py)."""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
import requests

import migrate.sandbox.akana.app as akana_sandbox
from migrate.sandbox import SandboxHandle, start_sandbox
from tests.replay import example
from tests.sandbox.sandbox_helpers import akana_login, openapi_text
from tests.testsupport import ROOT, FakeClock

ID = re.compile(r"[0-9a-f-]{36}\.sandbox")
API: dict[str, Any] = {"Name": "Pets", "Description": "d", "APIVersion": {
    "Name": "1.0", "Type": "shttp", "Tag": ["pets"], "Operations": {"Operation": [
        {"Name": "getPet", "Method": "GET", "Path": "/pet/{petId}", "Input": [{"Name": "petId", "Type": "path"}]}]},
    "TargetAPI": {"Endpoints": {"Endpoint": [{"Uri": "http://backend.example.com/v2", "Category": "Production"}]}}}}
SEED_REQUEST = json.loads(example("akana", "createAPI.request.legacy-new-service.json"))


@pytest.fixture
def box() -> Iterator[SandboxHandle]:
    with start_sandbox("akana") as handle:
        yield handle


@pytest.fixture
def session(box: SandboxHandle) -> Iterator[requests.Session]:
    with akana_login(box) as logged_in:
        yield logged_in


def url(box: SandboxHandle, path: str) -> str:
    return box.base_urls["akana"] + path


def create(box: SandboxHandle, session: requests.Session, body: dict[str, Any] | None = None) -> dict[str, Any]:
    answer = session.post(url(box, "/apis"), json=body or API, timeout=5)
    assert answer.status_code == 200, answer.status_code
    created: dict[str, Any] = answer.json()
    return created


def test_login_sets_both_cookies_and_answers_no_body(box: SandboxHandle) -> None:
    creds = box.credentials.akana
    answer = requests.post(url(box, "/login"), json={"email": creds.email, "password": creds.password}, timeout=5)
    assert answer.status_code == 200 and answer.content == b""
    assert set(answer.cookies.keys()) == {"AtmoAuthToken_sandbox", "Csrf-Token_sandbox"}


def test_wrong_password_is_a_plain_401(box: SandboxHandle) -> None:
    answer = requests.post(url(box, "/login"), json={"email": box.credentials.akana.email, "password": "x"},
                           timeout=5)
    assert (answer.status_code, answer.content, dict(answer.cookies)) == (401, b"", {})


def test_calls_need_the_cookie_and_writes_the_csrf_header(box: SandboxHandle, session: requests.Session) -> None:
    assert requests.post(url(box, "/apis"), json=API, timeout=5).status_code == 401
    assert requests.get(url(box, "/apis"), timeout=5).status_code == 401
    header = "X-Csrf-Token_sandbox"
    assert session.get(url(box, "/apis"), headers={header: ""}, timeout=5).status_code == 200  # GET: no CSRF
    assert session.post(url(box, "/apis"), json=API, headers={header: ""}, timeout=5).status_code == 401
    assert session.post(url(box, "/apis"), json=API, headers={header: "TokenID%3Dforged"}, timeout=5).status_code \
        == 401
    assert session.post(url(box, "/apis"), json=API, timeout=5).status_code == 200


def test_with_csrf_off_login_sets_no_csrf_cookie_and_writes_need_no_header() -> None:
    with start_sandbox("akana", settings={"akana": {"csrf": False}}) as handle:
        creds = handle.credentials.akana
        with requests.Session() as plain:
            plain.post(url(handle, "/login"), json={"email": creds.email, "password": creds.password}, timeout=5)
            assert list(plain.cookies.keys()) == ["AtmoAuthToken_sandbox"]
            assert plain.post(url(handle, "/apis"), json=API, timeout=5).status_code == 200
        assert handle.violations == []


def test_seed_request_gets_platform_ids_fields_and_rewrites(box: SandboxHandle, session: requests.Session) -> None:
    answer = session.post(url(box, "/apis"), json=SEED_REQUEST, timeout=5)
    assert answer.status_code == 200 and answer.headers["Atmo-Renew-Token"] == "renew"
    body = answer.json()
    version = body["APIVersion"]
    assert ID.fullmatch(body["APIID"]) and ID.fullmatch(version["APIVersionID"]) and version["APIID"] == body["APIID"]
    get_pet, add_pet = version["Operations"]["Operation"]
    # seed 003:67-71 -> 291-299: "/get /pet/{petId}" with input petId comes back as /pet/{path:.+|} with input path
    assert (get_pet["Path"], get_pet["Input"]) == ("/pet/{path:.+|}", [{"Name": "path", "Type": "path"}])
    assert get_pet["InterfaceQName"] == f"{{uri:sandbox}}PortType_svc_{version['APIVersionID']}.production"
    assert (get_pet["WsdlOperationName"], add_pet["Path"]) == ("getPetById", "/pet")
    (proxy,) = version["Endpoints"]["Endpoint"]
    assert proxy["ConnectionProperties"] == [] and proxy["DeploymentZoneRule"].endswith("default-http0")
    assert version["TargetAPI"]["Endpoints"]["Endpoint"][0]["ConnectionProperties"] == []
    assert version["DefaultProfile"] == version["TargetAPI"]["DefaultProfile"] == "Any in and out"
    assert box.violations == []


def test_version_reads_follow_the_include_parameters(box: SandboxHandle, session: requests.Session) -> None:
    version_id = create(box, session)["APIVersion"]["APIVersionID"]
    plain = session.get(url(box, f"/apis/versions/{version_id}"), timeout=5).json()
    assert "Operations" not in plain and "TargetAPI" not in plain and plain["Endpoints"] == {"Endpoint": []}
    full = session.get(url(box, f"/apis/versions/{version_id}"), timeout=5,
                       params={"includeOperations": "true", "includeTargetAPI": "true"}).json()
    assert [op["Name"] for op in full["Operations"]["Operation"]] == ["getPet"]
    assert full["TargetAPI"]["Endpoints"]["Endpoint"][0]["Uri"] == "http://backend.example.com/v2"
    assert full["Tag"] == ["pets"] and full["DefaultProfile"] == "Any in and out"


def test_api_read_embeds_a_version_summary_and_the_latest_id(box: SandboxHandle, session: requests.Session) -> None:
    created = create(box, session)
    api = session.get(url(box, f"/apis/{created['APIID']}"), timeout=5).json()
    assert api["LatestVersionID"] == created["APIVersion"]["APIVersionID"]
    assert api["Tag"] == ["pets"] and api["Name"] == "Pets"
    assert not {"Operations", "Endpoints", "TargetAPI"} & set(api["APIVersion"])


def test_lists_and_search_are_rss_channels_without_item_fields(box: SandboxHandle, session: requests.Session) -> None:
    created = create(box, session)
    create(box, session, {**API, "Name": "Payments", "Description": "Payment things"})
    assert session.get(url(box, "/apis"), timeout=5).json() == {"title": "APIs", "item": [{}, {}], "version": "1.0"}
    versions = session.get(url(box, f"/apis/{created['APIID']}/versions"), timeout=5).json()
    assert versions["item"] == [{}] and versions["version"] == "1.0"
    found = {q: len(requests.get(url(box, "/search"), params={"q": q}, timeout=5).json()["item"])
             for q in ("Payment", "Pay*", "Payments", "pets", "nothing")}
    assert found == {"Payment": 1, "Pay*": 1, "Payments": 1, "pets": 1, "nothing": 0}


def test_errors_are_plain_statuses(box: SandboxHandle, session: requests.Session) -> None:
    for path in ("/apis/nope.sandbox", "/apis/versions/nope.sandbox", "/apis/nope.sandbox/versions"):
        answer = session.get(url(box, path), timeout=5)
        assert (answer.status_code, answer.content) == (404, b"")
    assert session.get(url(box, "/apis"), headers={"Accept": "image/png"}, timeout=5).status_code == 404
    assert session.post(url(box, "/apis"), json={"Name": "No version"}, timeout=5).status_code == 400
    assert session.post(url(box, "/apis"), data=b"x", headers={"Content-Type": "text/plain"}, timeout=5) \
        .status_code == 404  # design/vendors.md: 404 also for a wrong media type


def test_same_name_twice_is_not_refused(box: SandboxHandle, session: requests.Session) -> None:
    first, second = create(box, session), create(box, session)  # akana.yaml: no 409 is documented
    assert first["APIID"] != second["APIID"]


def test_xml_create_with_empty_wrappers_and_bad_xml(box: SandboxHandle, session: requests.Session) -> None:
    xml = (b"<API><Name>Xml Api</Name><APIVersion><Name>1.0</Name><Endpoints>\n</Endpoints><Operations>"
           b"<Operation><Name>op</Name><Method>GET</Method><Path>/a</Path></Operation></Operations>"
           b"<ProductionAnonymousAccessAllowed>false</ProductionAnonymousAccessAllowed></APIVersion></API>")
    created = session.post(url(box, "/apis"), data=xml, headers={"Content-Type": "application/xml"}, timeout=5)
    assert created.status_code == 200 and created.headers["content-type"].startswith("application/xml")
    assert b"<APIID>" in created.content and b"<InterfaceQName>" in created.content
    (entry,) = box.state()["akana"]["apis"].values()
    (version,) = entry["versions"].values()
    assert version["Endpoints"] == {"Endpoint": []} and version["ProductionAnonymousAccessAllowed"] is False
    bomb = b'<!DOCTYPE a [<!ENTITY x "y">]><API><Name>&x;</Name></API>'
    assert session.post(url(box, "/apis"), data=bomb, headers={"Content-Type": "application/xml"},
                        timeout=5).status_code == 400


def test_dropbox_upload_then_dldescriptor(box: SandboxHandle, session: requests.Session) -> None:
    document = json.dumps({**json.loads(openapi_text("Dropbox Pets", "https://backend.example.com/v1")), "paths": {
        "/pets/{id}": {"get": {"operationId": "getPet", "parameters": [{"name": "id", "in": "path"}]}}}})
    uploaded = session.post(url(box, "/dropbox/readfiledetails"), timeout=5,
                            files={"FileName": ("pets.json", document, "application/json")})
    file_id = uploaded.json()["DropboxFileId"]
    assert uploaded.json() == {"DropboxFileId": file_id, "FileName": "pets.json"} and isinstance(file_id, int)
    ref = {"ServiceName": "Dropbox Pets", "FileName": "pets.json", "DropboxFileId": str(file_id)}
    created = session.post(url(box, "/apis"), json={"DLDescriptor": {"ServiceDescriptorReference": ref}}, timeout=5,
                           headers={"Content-Type": "application/vnd.soa.v81+json"})
    version = created.json()["APIVersion"]
    assert [(o["Method"], o["Path"]) for o in version["Operations"]["Operation"]] == [("GET", "/pets/{id}")]
    assert "SourceFile" not in json.dumps(box.state()["akana"]["apis"])
    served = session.get(url(box, f"/apis/versions/{version['APIVersionID']}/definition/openapi"), timeout=5)
    assert served.json()["info"]["title"] == "Dropbox Pets"
    as_legacy = session.post(url(box, "/apis"), json={"DLDescriptor": {"ServiceDescriptorReference": ref}}, timeout=5)
    assert as_legacy.status_code == 400  # application/json selects the legacy form, which needs a Name
    assert session.post(url(box, "/dropbox/readfiledetails"), files={"file": ("a", "b")}, timeout=5).status_code \
        == 400


def test_versions_new_clone_duplicate_and_delete(box: SandboxHandle, session: requests.Session) -> None:
    created = create(box, session)
    api_id, first = created["APIID"], created["APIVersion"]["APIVersionID"]
    second = session.post(url(box, f"/apis/{api_id}/versions"), json={**API["APIVersion"], "Name": "1.0"},
                          timeout=5)
    assert second.status_code == 200 and second.json()["Name"] == "1.0"  # no refusal is documented
    clone = session.post(url(box, f"/apis/{api_id}/versions"), timeout=5,
                         headers={"Content-Type": "application/vnd.soa.v81+json"},
                         json={"APIVersionInfo": {"Name": "2.0"},
                               "CloneAPIVersionRequest": {"SourceAPIVersionID": first, "CloneDesign": True}})
    assert clone.headers["content-type"].startswith("application/vnd.soa.v81+json")
    assert [o["Name"] for o in clone.json()["Operations"]["Operation"]] == ["getPet"]
    api = session.get(url(box, f"/apis/{api_id}"), timeout=5).json()
    assert api["LatestVersionID"] == clone.json()["APIVersionID"]
    for version_id in (first, second.json()["APIVersionID"]):
        assert session.delete(url(box, f"/apis/versions/{version_id}"), timeout=5).status_code == 200
    assert session.get(url(box, f"/apis/{api_id}"), timeout=5).status_code == 200
    assert session.delete(url(box, f"/apis/versions/{clone.json()['APIVersionID']}"), timeout=5).status_code == 200
    assert session.get(url(box, f"/apis/{api_id}"), timeout=5).status_code == 404  # the only version took the API


def test_info_and_deprecated_updates(box: SandboxHandle, session: requests.Session) -> None:
    created = create(box, session)
    api_id, version_id = created["APIID"], created["APIVersion"]["APIVersionID"]
    info = {"ApiDescription": "new words", "Tags": ["a", "b"], "VersionName": "1.1"}
    answer = session.put(url(box, f"/apis/versions/{version_id}/info"), json=info, timeout=5)
    assert (answer.status_code, answer.content) == (200, b"")
    version = session.get(url(box, f"/apis/versions/{version_id}"), timeout=5).json()
    assert (version["Name"], version["Tag"]) == ("1.1", ["a", "b"])
    assert session.get(url(box, f"/apis/{api_id}"), timeout=5).json()["Description"] == "new words"
    design = {**API["APIVersion"], "APIVersionID": version_id, "Description": "redesigned"}
    assert session.put(url(box, f"/apis/versions/{version_id}"), json=design, timeout=5).status_code == 200
    assert session.put(url(box, f"/apis/{api_id}"), json={"Name": "Pets 2"}, timeout=5).status_code == 200
    api = session.get(url(box, f"/apis/{api_id}"), timeout=5).json()
    assert (api["Name"], api["APIVersion"]["Description"], api["APIVersion"]["APIVersionID"]) == (
        "Pets 2", "redesigned", version_id)


def test_token_expires_and_renew_extends_it(monkeypatch: pytest.MonkeyPatch) -> None:
    clock = FakeClock()
    monkeypatch.setattr(akana_sandbox, "time", clock)
    with start_sandbox("akana", token_ttl=60) as handle:
        session = akana_login(handle)
        clock.now += 40
        renewed = session.post(url(handle, "/login/renewToken"), timeout=5)
        assert (renewed.status_code, renewed.content) == (200, b"")
        session.headers["X-Csrf-Token_sandbox"] = session.cookies.get("Csrf-Token_sandbox") or ""
        clock.now += 40  # 80 s after login, 40 s after renewal
        assert session.get(url(handle, "/apis"), timeout=5).status_code == 200
        clock.now += 40
        assert session.get(url(handle, "/apis"), timeout=5).status_code == 401
        assert session.post(url(handle, "/login/renewToken"), timeout=5).status_code == 401


def test_reads_leave_the_stored_state_alone(box: SandboxHandle, session: requests.Session) -> None:
    session.get(url(box, "/apis"), timeout=5)
    session.get(url(box, "/apis/nope.sandbox"), timeout=5)
    assert box.state()["akana"] == {}


def test_the_sandbox_shares_no_code_with_clients_emitters_or_readers() -> None:
    """House rule 12: the fake vendor copies the vendor, never our client."""
    imported = {node.module or "" for path in (ROOT / "migrate" / "sandbox" / "akana").glob("*.py")
                for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))) if isinstance(node, ast.ImportFrom)}
    assert not [m for m in imported if m.startswith(("migrate.push", "migrate.emitters", "migrate.source",
                                                     "migrate.readers"))]
