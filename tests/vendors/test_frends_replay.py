"""The Frends client against Frends' own example answers (tests/fixtures/contracts/frends, verbatim)
through the in-process transport seam (tests/replay.py): with only the documented members the
client plans, imports, publishes, deploys and syncs passthrough configurations; what it sends
conforms to the contract, and its Authorization header is always ``Bearer <token>``."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import pytest

from migrate.core.errors import PushError
from migrate.emitters.base import EmitOptions
from migrate.push.contracts.check import Contract
from migrate.push.frends import processes
from migrate.push.frends.client import SPECS, FrendsClient
from migrate.push.frends.listing import read_all
from migrate.push.frends.passthrough import UPDATE_FIELDS
from migrate.push.journal import Journal
from migrate.push.plan import make_plan
from migrate.push.protocol import Delivery, PushOptions, Remote
from migrate.push.run import run_push
from tests.replay import BASE, Canned, ReplayAdapter, Sent, canned_file, example
from tests.vendors.vendor_helpers import FAST, SpecMaker, delivery

KEY = "replay-token-0123"
ROOT = "/api/v1"
ID = r"/api/v1/api-management/api-specifications/\d+"
EXAMPLE_LIST = "GetApiSpecifications.200.json"


def client_with(routes: dict[tuple[str, str], Canned | list[Canned]]) -> tuple[FrendsClient, ReplayAdapter]:
    client = FrendsClient(f"{BASE}{ROOT}", KEY, FAST)
    adapter = ReplayAdapter(routes)
    client.session.mount(f"{BASE}/", adapter)
    return client, adapter


def fc(name: str, status: int = 200) -> Canned:
    return canned_file("frends", name, status)


def titled(make_spec: SpecMaker, title: str = "text") -> Delivery:
    """A delivery for a small spec; by default titled as the examples name their API ("text")."""
    return delivery(make_spec(title, "/items-api"), "frends")


def assert_bearer_only(sent: list[Sent]) -> None:
    assert sent
    assert {s.headers.get("Authorization") for s in sent} == {f"Bearer {KEY}"}  # never the bare key


def assert_conforming(sent: list[Sent]) -> None:
    """Every JSON request the client sent is one the contract allows."""
    contract = Contract.load("frends")
    for s in sent:
        media = s.headers.get("Content-Type", "")
        if media.startswith("application/json"):
            assert contract.check_request(s.method, s.path, media, s.body) == [], (s.method, s.path)


# -- listing -----------------------------------------------------------------------------------------------


def test_the_example_list_is_read_in_one_page_although_it_names_a_next_page() -> None:
    # the example's paging has nextPage set with totalCount 1 and pageSize 1: totalCount ends the list
    client, adapter = client_with({("GET", ROOT + SPECS): fc(EXAMPLE_LIST)})
    assert [s["id"] for s in read_all(client, SPECS, "list")] == [1]
    (sent,) = adapter.sent
    assert sent.query == "PageNumber=1&PageSize=200"
    assert_bearer_only(adapter.sent)


def test_pages_are_asked_by_number_until_total_count() -> None:
    def page(n: int, ids: list[int]) -> Canned:
        paging = {"currentPage": n, "pageSize": 2, "totalCount": 3, "firstPage": "https://elsewhere.example/1",
                  "lastPage": "https://elsewhere.example/2", "nextPage": "https://elsewhere.example/next",
                  "previousPage": None}
        items = [{"id": i, "name": f"n{i}", "activeVersion": 1, "description": None} for i in ids]
        return Canned(200, json.dumps({"data": items, "paging": paging}).encode())

    client, adapter = client_with({("GET", ROOT + SPECS): [page(1, [1, 2]), page(2, [3]), page(3, [])]})
    assert [s["id"] for s in read_all(client, SPECS, "list")] == [1, 2, 3]
    assert [s.query for s in adapter.sent] == ["PageNumber=1&PageSize=200", "PageNumber=2&PageSize=200"]
    assert all(s.path.startswith(ROOT) for s in adapter.sent)  # page URLs of the answer are never followed


# -- plan and create ---------------------------------------------------------------------------------------


def test_find_by_the_journal_id_needs_only_the_four_documented_members(make_spec: SpecMaker) -> None:
    client, adapter = client_with({("GET", ID): fc("GetApiSpecification.200.json")})
    remote = client.find(titled(make_spec), {"ids": {"specId": 1, "title": "text"}})
    assert remote is not None and remote.definition is None
    assert (remote.ids["specId"], remote.version, remote.locked) == (1, "1", False)
    assert [s.path for s in adapter.sent] == [f"{ROOT}{SPECS}/1"]


def test_the_documented_version_answer_has_no_text_and_the_client_needs_none(make_spec: SpecMaker) -> None:
    version = json.loads(example("frends", "GetApiSpecificationVersion.200.json"))["data"]
    assert set(version) == {"id", "name", "activeVersion", "description"}
    routes: dict[tuple[str, str], Canned | list[Canned]] = {
        ("GET", ROOT + SPECS): fc(EXAMPLE_LIST), ("GET", ID): fc("GetApiSpecification.200.json"),
        ("GET", ID + r"/\d+"): fc("GetApiSpecificationVersion.200.json")}
    client, adapter = client_with(routes)
    plan = make_plan(titled(make_spec), client)  # no journal: found by name, as the only "text"
    assert plan.action == "update" and "no local state" in plan.reason and "safe documented action" in plan.reason
    assert plan.remote is not None and plan.remote.definition is None
    assert_bearer_only(adapter.sent)


def test_import_answer_gives_the_id_and_the_local_state(make_spec: SpecMaker, tmp_path: Path) -> None:
    routes: dict[tuple[str, str], Canned | list[Canned]] = {
        ("GET", ROOT + SPECS): Canned(200, json.dumps({"data": [], "paging": {
            "currentPage": 1, "pageSize": 200, "totalCount": 0, "firstPage": None, "lastPage": None,
            "nextPage": None, "previousPage": None}}).encode()),
        ("POST", ROOT + SPECS + "/import"): fc("ImportApiSpecification.201.json", 201)}
    client, adapter = client_with(routes)
    result = run_push(titled(make_spec, "Items"), client, Journal(tmp_path / "j.jsonl"))
    assert result.done == ["create"]
    assert result.remote is not None and result.remote.ids["specId"] == 1 and result.remote.ids["writtenTo"] == 1
    upload = [s for s in adapter.sent if s.method == "POST"]
    assert len(upload) == 1 and upload[0].headers["Content-Type"].startswith("multipart/form-data")
    assert b'name="file"' in upload[0].body
    assert_bearer_only(adapter.sent)


def test_a_refused_import_shows_the_problem_whatever_its_status(make_spec: SpecMaker) -> None:
    problem = example("frends", "DeleteApiSpecificationFromAgentGroup.204.json")  # the only documented error body
    for status in (400, 409, 422):
        refusal = Canned(status, problem, "application/problem+json")
        client, _ = client_with({("GET", ROOT + SPECS): fc(EXAMPLE_LIST), ("POST", ROOT + SPECS + "/import"): refusal})
        with pytest.raises(PushError) as caught:
            client.create(titled(make_spec, "Items"))
        assert caught.value.status == status and "text" in str(caught.value)


# -- publish and deploy ------------------------------------------------------------------------------------


def test_publish_and_deploy_with_the_documented_answers(make_spec: SpecMaker, tmp_path: Path,
                                                        caplog: pytest.LogCaptureFixture) -> None:
    routes: dict[tuple[str, str], Canned | list[Canned]] = {
        ("GET", ID): fc("GetApiSpecification.200.json"),
        ("PUT", ID): Canned(200),
        ("POST", ID + "/publish"): Canned(200),
        ("POST", ID + r"/\d+/deploy/\d+"): Canned(200),
        ("GET", ROOT + "/processes"): fc("GetProcesses.200.json")}
    client, adapter = client_with(routes)
    journal = Journal(tmp_path / "j.jsonl")
    target = titled(make_spec)
    journal.record("frends", client.target, client.key(target), "done", "h", {"specId": 1, "title": "text"}, "1")
    with caplog.at_level(logging.WARNING, "migrate.push"):
        result = run_push(target, client, journal, publish=True, deploy=1)
    assert result.done == ["update", "publish", "deploy"]
    posts = [(s.method, s.path) for s in adapter.sent if s.method != "GET"]
    assert posts == [("PUT", f"{ROOT}{SPECS}/1"), ("POST", f"{ROOT}{SPECS}/1/publish"),
                     ("POST", f"{ROOT}{SPECS}/1/1/deploy/1")]
    # the example's only Process of API 1 is a deleted draft: nothing to deploy, and the push says why
    assert "Processes are not deployed" in caplog.text and "process templates" in caplog.text
    assert "NOT DEPLOYED" in " ".join(f.description for f in client.followups(target, None, PushOptions(deploy=1)))
    assert_conforming(adapter.sent)
    assert_bearer_only(adapter.sent)


# -- passthrough -------------------------------------------------------------------------------------------


def test_passthrough_list_create_and_update_with_documented_bodies(make_spec: SpecMaker) -> None:
    target = delivery(make_spec("text", "/items-api", post=True), "frends",
                      EmitOptions(passthrough_target="https://backend.example.com"))
    configs = json.loads(next(f.text for f in target.payload.files if f.name == "frends-passthrough.json"))
    default = {**configs[0], "isDefault": True, "corsEnabled": True}  # matches the example's default config
    target.payload.files[-1].text = json.dumps([default, configs[1]])
    base = ID + r"/\d+/api-passthrough"
    routes: dict[tuple[str, str], Canned | list[Canned]] = {
        ("GET", base): fc("GetApiPassthroughs.200.json"), ("POST", base): Canned(201),
        ("PUT", base + r"/\d+"): fc("UpdateApiPassthrough.200.json")}
    client, adapter = client_with(routes)
    remote = Remote({"specId": 1}, "1", False, None)
    (step,) = client.followups(target, remote, PushOptions())
    client.run_followup(step, target, remote, PushOptions())
    writes = [s for s in adapter.sent if s.method in ("POST", "PUT")]
    assert [(s.method, s.path) for s in writes] == [
        ("PUT", f"{ROOT}{SPECS}/1/1/api-passthrough/1"), ("POST", f"{ROOT}{SPECS}/1/1/api-passthrough")]
    update, create = writes[0].json(), writes[1].json()
    assert set(update) <= set(UPDATE_FIELDS) and update["corsEnabled"] is True
    assert create["path"] == configs[1]["path"] and create["isDefault"] is False
    assert_conforming(adapter.sent)
    assert_bearer_only(adapter.sent)


# -- processes mode (seed 000 processTemplate, seed 001 batch-import) ----------------------------------------


def test_processes_are_made_from_the_example_template_and_import_answer() -> None:
    # the example list's one Process is deleted and a draft: not one to take over, so the template is imported
    client, adapter = client_with({
        ("GET", ROOT + "/processes"): fc("GetProcesses.200.json"),
        ("POST", ID + r"/1/processTemplate"): fc("GetApiSpecificationProcessTemplate.200.json"),
        ("POST", ROOT + "/processes/batch-import"): fc("BatchImport.200.json"),
    })
    document = {"paths": {"/items": {"get": {"responses": {"200": {"description": "ok"}}}}}}
    made = processes.sync(client, 1, 1, document, {})
    (endpoint,) = processes.endpoints(document)
    assert made == {"GET /items": {"guid": "123e4567-e89b-12d3-a456-426614174000", "version": 1, "id": 1,
                                   "fingerprint": endpoint.fingerprint}}
    template, upload = [s for s in adapter.sent if s.method == "POST"]
    assert template.json() == {"path": "/items", "operation": "GET"}
    assert upload.headers["Content-Type"].startswith("multipart/form-data")
    assert b'name="importConflict"\r\n\r\nError\r\n' in upload.body and b'name="file"' in upload.body
    template_data = json.loads(example("frends", "GetApiSpecificationProcessTemplate.200.json"))["data"]
    assert json.dumps(template_data, sort_keys=True, indent=2).encode() in upload.body  # the template, as given
    assert_conforming(adapter.sent)
    assert_bearer_only(adapter.sent)
    # with that state, the example list (its Process deleted) says the Process is gone: made again
    assert processes.plan(client, document, {"processes": made}).create == [endpoint]


def test_a_process_taken_over_without_state_is_never_shared_by_two_operations() -> None:
    # every template is named alike ("text", as in the example); the API holds one live Process of that name
    listed = json.loads(example("frends", "GetProcesses.200.json"))
    listed["data"][0].update(isDeleted=False, isDraft=False, uniqueIdentifier="0b5e0c1e-0000-4000-8000-000000000001")
    client, adapter = client_with({
        ("GET", ROOT + "/processes"): Canned(200, json.dumps(listed).encode()),
        ("POST", ID + r"/1/processTemplate"): fc("GetApiSpecificationProcessTemplate.200.json"),
        ("POST", ROOT + "/processes/batch-import"): fc("BatchImport.200.json"),
    })
    document: dict[str, Any] = {"paths": {"/a": {"get": {}}, "/b": {"get": {}}}}
    made = processes.sync(client, 1, 1, document, {})
    assert made["GET /a"]["guid"] == "0b5e0c1e-0000-4000-8000-000000000001"  # taken over
    assert made["GET /b"]["guid"] == "123e4567-e89b-12d3-a456-426614174000"  # imported: not the same one again
    assert sum(s.path.endswith("batch-import") for s in adapter.sent) == 1
