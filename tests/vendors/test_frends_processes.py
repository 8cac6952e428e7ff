"""``--frends-mode processes`` against the Frends sandbox: one Process per operation, made from the
process template, imported (batch-import), published and deployed with the API; a re-run writes
nothing; a changed operation updates only its Process (NewVersion); a Process edited in Frends is
not overwritten; a lost journal does not make a second Process. The samples too."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from migrate.core.errors import PushError, UsageError
from migrate.emitters.base import EmitOptions
from migrate.push.commands import Connection, plan_command, push_spec
from migrate.push.frends.client import FrendsClient
from migrate.push.frends.processes import endpoints
from migrate.sandbox import FaultSpec, SandboxHandle, start_sandbox, write_config
from tests.testsupport import SAMPLES
from tests.vendors.test_faults_push import write_specs
from tests.vendors.vendor_helpers import FAST, ConnMaker, SpecMaker

PROCESSES = EmitOptions(frends_mode="processes")
SAMPLE_FILES = sorted([*SAMPLES.glob("*.yaml"), SAMPLES / "library-raml08" / "api.raml"])


@pytest.fixture
def sandbox() -> Iterator[SandboxHandle]:
    with start_sandbox("frends") as handle:
        yield handle


def live(handle: SandboxHandle) -> dict[str, dict[str, Any]]:
    """The latest live version of every Process in the sandbox, by name."""
    found: dict[str, dict[str, Any]] = {}
    for process in handle.store.snapshot()["frends"].get("processes", {}).values():
        if not process["isDeleted"] and not process["isNotLatestVersion"]:
            found[process["name"]] = process
    return found


def deployed(handle: SandboxHandle) -> set[tuple[int, int]]:
    """(Agent Group, Process version id) of every deployment."""
    return {(d["agentGroup"]["id"], d["processId"])
            for d in handle.store.snapshot()["frends"].get("deployments", {}).values()}


def spec_versions(handle: SandboxHandle) -> list[tuple[int, bool, list[int]]]:
    spec = handle.store.snapshot()["frends"]["specs"]["1"]
    return [(v["version"], v["published"], v["deployedTo"]) for v in spec["versions"].values()]


def test_one_process_per_operation_imported_published_and_deployed(sandbox: SandboxHandle, conn: ConnMaker,
                                                                   make_spec: SpecMaker) -> None:
    spec = make_spec("Books", "/books", post=True)
    planned = plan_command(spec, conn("frends"), options=PROCESSES)
    assert "processes: 2 to create (POST /items, GET /items/{id}), 0 to update, 0 unchanged" in planned
    result = push_spec(spec, conn("frends"), publish=True, deploy=2, options=PROCESSES)
    assert result.done == ["create", "import-processes", "publish", "deploy"]
    made = live(sandbox)
    assert sorted(made) == ["Books GET /items/{id}", "Books POST /items"]
    assert all(p["apiSpecId"] == 1 and p["version"] == 1 for p in made.values())
    assert deployed(sandbox) == {(2, p["id"]) for p in made.values()}
    assert spec_versions(sandbox) == [(1, True, [2]), (2, False, [])]
    # a re-run writes nothing and its plan says so
    before = sandbox.store.snapshot()["frends"]
    again = push_spec(spec, conn("frends"), publish=True, deploy=2, options=PROCESSES)
    assert not again.changed and sandbox.store.snapshot()["frends"] == before
    assert "nothing to do" in plan_command(spec, conn("frends"), options=PROCESSES, push_options=None)


def test_a_changed_operation_updates_only_its_process(sandbox: SandboxHandle, conn: ConnMaker,
                                                      make_spec: SpecMaker) -> None:
    push_spec(make_spec("Books", "/books", post=True), conn("frends"), publish=True, deploy=2, options=PROCESSES)
    first = live(sandbox)
    changed = make_spec("Books", "/books", post=True, extra_param=True)  # GET /items/{id} gains a parameter
    planned = plan_command(changed, conn("frends"), options=PROCESSES)
    assert "processes: 0 to create, 1 to update (GET /items/{id}), 1 unchanged" in planned
    result = push_spec(changed, conn("frends"), publish=True, deploy=2, options=PROCESSES)
    assert result.done == ["update", "import-processes", "publish", "deploy"]
    now = live(sandbox)
    get, post = now["Books GET /items/{id}"], now["Books POST /items"]
    assert post == first["Books POST /items"]  # untouched
    old = first["Books GET /items/{id}"]
    assert (get["uniqueIdentifier"], get["version"]) == (old["uniqueIdentifier"], 2) and get["id"] != old["id"]
    assert get["elementParameters"][0]["parameters"] == {"parameters": ["id", "q"]}
    assert deployed(sandbox) == {(2, get["id"]), (2, post["id"])}
    assert not push_spec(changed, conn("frends"), publish=True, deploy=2, options=PROCESSES).changed


def test_a_process_edited_in_frends_is_not_overwritten(sandbox: SandboxHandle, conn: ConnMaker,
                                                      make_spec: SpecMaker, caplog: pytest.LogCaptureFixture) -> None:
    push_spec(make_spec("Books", "/books"), conn("frends"), options=PROCESSES)
    process = live(sandbox)["Books GET /items/{id}"]
    edited = {**process, "id": 999, "version": 2, "description": "edited in Frends"}
    sandbox.store.doc("frends")["processes"]["999"] = edited
    changed = make_spec("Books", "/books", extra_param=True)
    with caplog.at_level("WARNING", "migrate.push"):
        plan_command(changed, conn("frends"), options=PROCESSES)
        assert "1 edited in Frends since the push, NOT replaced (GET /items/{id})" in caplog.text
        push_spec(changed, conn("frends"), options=PROCESSES)
    assert live(sandbox)["Books GET /items/{id}"]["description"] == "edited in Frends"



def test_a_lost_journal_takes_the_process_over(sandbox: SandboxHandle, conn: ConnMaker, make_spec: SpecMaker,
                                               tmp_path: Path) -> None:
    spec = make_spec("Books", "/books")
    push_spec(spec, conn("frends"), options=PROCESSES)
    (tmp_path / "journal.jsonl").unlink()
    push_spec(spec, conn("frends"), options=PROCESSES)
    assert len(sandbox.store.snapshot()["frends"]["processes"]) == 1  # not imported twice


def test_a_process_taken_over_with_another_content_is_updated_next(sandbox: SandboxHandle, conn: ConnMaker,
                                                                  make_spec: SpecMaker, tmp_path: Path,
                                                                  caplog: pytest.LogCaptureFixture) -> None:
    push_spec(make_spec("Books", "/books"), conn("frends"), options=PROCESSES)
    (tmp_path / "journal.jsonl").unlink()
    changed = make_spec("Books", "/books", extra_param=True)  # the operation changed while the journal was lost
    with caplog.at_level("WARNING", "migrate.push"):
        push_spec(changed, conn("frends"), options=PROCESSES)
    assert "its content differs from the operation's current template" in caplog.text
    assert len(sandbox.store.snapshot()["frends"]["processes"]) == 1  # taken over, not imported twice
    assert "1 to update (GET /items/{id})" in plan_command(changed, conn("frends"), options=PROCESSES)
    push_spec(changed, conn("frends"), options=PROCESSES)
    get = live(sandbox)["Books GET /items/{id}"]
    assert get["version"] == 2 and get["elementParameters"][0]["parameters"] == {"parameters": ["id", "q"]}
    assert not push_spec(changed, conn("frends"), options=PROCESSES).changed


def test_several_processes_of_the_name_are_not_guessed(sandbox: SandboxHandle, conn: ConnMaker,
                                                       make_spec: SpecMaker, tmp_path: Path,
                                                       caplog: pytest.LogCaptureFixture) -> None:
    spec = make_spec("Books", "/books")
    push_spec(spec, conn("frends"), options=PROCESSES)
    (tmp_path / "journal.jsonl").unlink()
    process = live(sandbox)["Books GET /items/{id}"]
    twin = {**process, "id": 999, "uniqueIdentifier": "00000000-0000-4000-8000-000000000999"}
    sandbox.store.doc("frends")["processes"]["999"] = twin
    with caplog.at_level("WARNING", "migrate.push"):
        push_spec(spec, conn("frends"), publish=True, options=PROCESSES)
    assert len(sandbox.store.snapshot()["frends"]["processes"]) == 2  # nothing imported
    assert (f"2 Processes of API specification 1 are named 'Books GET /items/{{id}}' "
            f"({twin['uniqueIdentifier']}, {process['uniqueIdentifier']})") in caplog.text
    assert "keep one of that name" in caplog.text
    before = sandbox.store.snapshot()["frends"]
    assert not push_spec(spec, conn("frends"), publish=True, options=PROCESSES).changed  # a re-run writes nothing
    assert sandbox.store.snapshot()["frends"] == before
    assert "1 with several Processes of its name in Frends, none imported (keep one of that name) (GET /items/{id})" \
        in caplog.text
    # settled in Frends: the one left is taken over, nothing imported; made from the template of
    # version 1 (publishing moved the API to version 2), it is updated by the next push
    sandbox.store.doc("frends")["processes"]["999"]["isDeleted"] = True
    push_spec(spec, conn("frends"), options=PROCESSES)
    assert len(sandbox.store.snapshot()["frends"]["processes"]) == 2
    journal = [json.loads(line) for line in (tmp_path / "journal.jsonl").read_text().splitlines()]
    assert journal[-1]["ids"]["processes"]["GET /items/{id}"] == {
        "guid": process["uniqueIdentifier"], "version": 1, "id": process["id"], "fingerprint": "unknown"}
    push_spec(spec, conn("frends"), options=PROCESSES)
    assert live(sandbox)["Books GET /items/{id}"]["version"] == 2
    assert not push_spec(spec, conn("frends"), options=PROCESSES).changed


def test_the_journals_processes_are_deployed_not_every_one_with_the_api_id(
        sandbox: SandboxHandle, conn: ConnMaker, make_spec: SpecMaker, caplog: pytest.LogCaptureFixture) -> None:
    spec = make_spec("Books", "/books")
    planned = plan_command(spec, conn("frends"), options=PROCESSES)
    assert "the old backend's logic is NOT carried into it" in planned  # the loss, where the user sees it
    with caplog.at_level("WARNING", "migrate.push"):
        push_spec(spec, conn("frends"), publish=True, deploy=2, options=PROCESSES)
    assert "1 Process(es) imported from process templates: each is the process template" in caplog.text
    process = live(sandbox)["Books GET /items/{id}"]
    stranger = {**process, "id": 998, "uniqueIdentifier": "00000000-0000-4000-8000-000000000998",
                "name": "Made in Frends for the API"}
    sandbox.store.doc("frends")["processes"]["998"] = stranger  # apiSpecId 1, but not api-migrate's
    assert "nothing to do" in plan_command(spec, conn("frends"), options=PROCESSES,
                                           push_options=None)
    assert not push_spec(spec, conn("frends"), publish=True, deploy=2, options=PROCESSES).changed
    assert deployed(sandbox) == {(2, process["id"])}


def test_the_mode_comes_from_the_profile_and_refuses_passthrough_targets(sandbox: SandboxHandle, conn: ConnMaker,
                                                                         make_spec: SpecMaker, config: Path) -> None:
    config.write_text(config.read_text().replace('vendor = "frends"', 'vendor = "frends"\nfrends_mode = "processes"'))
    push_spec(make_spec("Books", "/books"), conn("frends"))
    assert sorted(live(sandbox)) == ["Books GET /items/{id}"]
    with pytest.raises(UsageError, match="--passthrough-target"):
        push_spec(make_spec("Other", "/other"), conn("frends"),
                  options=EmitOptions(passthrough_target="https://backend.example.com"))
    assert push_spec(make_spec("Third", "/third"), conn("frends"),
                     options=EmitOptions(frends_mode="passthrough")).done == ["create"]
    with pytest.raises(UsageError, match="frends_mode"):
        FrendsClient("https://x.example.com", "k", mode="both")


@pytest.mark.parametrize("sample", SAMPLE_FILES, ids=lambda p: p.parent.name if p.name == "api.raml" else p.stem)
def test_samples_leave_one_deployed_process_per_operation(sandbox: SandboxHandle, conn: ConnMaker,
                                                          sample: Path, tmp_path: Path) -> None:
    result = push_spec(sample, conn("frends"), publish=True, deploy=1, options=PROCESSES)
    assert "import-processes" in result.done
    pushed = json.loads((tmp_path / "journal.jsonl").read_text().splitlines()[-1])["ids"]["processes"]
    made = live(sandbox)
    assert len(made) == len(pushed) > 0
    assert deployed(sandbox) == {(1, p["id"]) for p in made.values()}
    assert not push_spec(sample, conn("frends"), publish=True, deploy=1, options=PROCESSES).changed


def test_endpoints_fingerprint_what_we_own() -> None:
    doc: dict[str, Any] = {"paths": {"/a": {"parameters": [{"name": "x", "in": "query"}], "get": {"summary": "A"},
                            "post": {}, "x-note": {}}}}
    first = endpoints(doc)
    assert [e.key for e in first] == ["GET /a", "POST /a"]
    doc["paths"]["/a"]["get"]["summary"] = "B"
    second = endpoints(doc)
    assert first[0].fingerprint != second[0].fingerprint and first[1].fingerprint == second[1].fingerprint
    doc["paths"]["/a"]["parameters"] = []
    assert endpoints(doc)[1].fingerprint != first[1].fingerprint


@pytest.mark.slow  # a dozen pushes through injected faults
def test_processes_mode_through_faults(tmp_path: Path) -> None:
    """Lost answers, resets and 5xx around template, import, publish and deploy calls: every
    operation still ends with exactly one Process, deployed, and a re-run changes nothing."""
    with start_sandbox("frends", faults=FaultSpec(0.25, seed=7, slow_seconds=0.1, retry_after=0)) as handle:
        write_config(handle, tmp_path / "c.toml")
        conn = Connection("frends", tmp_path / "c.toml", "sandbox-frends", journal=tmp_path / "j.jsonl", policy=FAST)
        specs = write_specs(tmp_path / "specs", "Faulty")[:12]
        for spec in specs:
            for _ in range(6):  # an operator re-runs a push that gave up
                try:
                    push_spec(spec, conn, publish=True, deploy=1, options=PROCESSES)
                    break
                except PushError:
                    continue
        processes = [p for p in handle.state()["frends"]["processes"].values() if not p["isNotLatestVersion"]]
        expected = sorted(f"Faulty API {n:02d} {e.key}" for n, spec in enumerate(specs)
                          for e in endpoints(json.loads(spec.read_text())))
        assert sorted(p["name"] for p in processes) == expected  # one per operation, none twice
        deployed_ids = {d["processId"] for d in handle.state()["frends"]["deployments"].values()}
        assert deployed_ids == {p["id"] for p in processes}
        assert all(not push_spec(spec, conn, publish=True, deploy=1, options=PROCESSES).changed for spec in specs[:4])
        hit = {(f["kind"], f["path"]) for f in handle.faults.entries if f["path"].endswith("batch-import")}
        assert ("lost", "/api/v1/processes/batch-import") in hit  # an import went through, its answer did not



def test_a_plan_without_a_journal_says_a_create_may_be_a_take_over() -> None:
    """Review finding: the plan said "5 to create" and the push took 5 Processes over."""
    from migrate.push.frends.processes import Endpoint, ProcessPlan

    new = [Endpoint("/a", "GET", "f1")]
    assert "taken over instead of created" in ProcessPlan(create=new, stateless=True).describe()
    assert "taken over" not in ProcessPlan(create=new, stateless=False).describe()
