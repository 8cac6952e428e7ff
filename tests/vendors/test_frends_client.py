"""Frends client against the Frends sandbox over loopback: create, update, publish, deploy (with
the API's Processes through process-deployments), passthrough configurations, one API per base
path, decisions on the local state, and a wrong token."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import migrate.sandbox.frends.state as st
from migrate.core.errors import AuthError, ConflictError, PushError
from migrate.emitters.base import EmitOptions
from migrate.push.commands import Connection, plan_command, push_command, push_spec
from migrate.push.frends.client import SPECS
from migrate.sandbox import SandboxHandle, start_sandbox
from tests.sandbox.test_sandbox_frends import sample_process
from tests.vendors.vendor_helpers import FAST, ConnMaker, SpecMaker


@pytest.fixture
def sandbox() -> Iterator[SandboxHandle]:
    """Frends alone (the config and conn fixtures of tests/vendors/conftest.py use this one)."""
    with start_sandbox("frends") as handle:
        yield handle


def specs(handle: SandboxHandle) -> list[dict[str, Any]]:
    return list(handle.state()["frends"].get("specs", {}).values())


def deployments(handle: SandboxHandle) -> list[tuple[int, int, str]]:
    """(Agent Group, Process version id, processVersion) of every Process deployment."""
    found = handle.state()["frends"].get("deployments", {}).values()
    return sorted((d["agentGroup"]["id"], d["processId"], d["processVersion"]) for d in found)


def test_create_publish_deploy_and_rerun(sandbox: SandboxHandle, conn: ConnMaker, make_spec: SpecMaker) -> None:
    spec = make_spec("Books", "/books")
    result = push_spec(spec, conn("frends"), publish=True, deploy=2)
    assert result.done == ["create", "publish", "deploy"]
    (stored,) = specs(sandbox)
    assert stored["basePath"] == "/books" and stored["activeVersion"] == 2
    assert stored["versions"]["1"]["published"] and stored["versions"]["1"]["deployedTo"] == [2]
    again = push_spec(spec, conn("frends"), publish=True, deploy=2)
    assert again.plan.action == "nothing" and not again.changed
    assert specs(sandbox)[0]["activeVersion"] == 2


def test_update_changed_spec(sandbox: SandboxHandle, conn: ConnMaker, make_spec: SpecMaker) -> None:
    push_spec(make_spec("Books", "/books"), conn("frends"))
    result = push_spec(make_spec("Books", "/books", name="v2.json", post=True), conn("frends"))
    assert result.done == ["update"] and "fingerprint of the last push" in result.plan.reason
    (stored,) = specs(sandbox)
    assert "/items" in json.loads(stored["versions"]["1"]["specification"])["paths"]


def test_another_api_on_the_same_base_path_is_refused(sandbox: SandboxHandle, conn: ConnMaker,
                                                      make_spec: SpecMaker, tmp_path: Path) -> None:
    push_spec(make_spec("Books", "/books"), conn("frends"))
    other = make_spec("Magazines", "/books")
    with pytest.raises(ConflictError, match="holds API specification 1, pushed from 'Books'"):
        plan_command(other, conn("frends"))  # the local state knows what was pushed there
    with pytest.raises(PushError, match="A path is already used in an existing API"):
        push_spec(other, conn("frends", journal=tmp_path / "other.jsonl"))  # no state: Frends refuses the import
    assert [s["name"] for s in specs(sandbox)] == ["Books"]


def test_a_same_named_api_elsewhere_is_not_written_over(sandbox: SandboxHandle, conn: ConnMaker,
                                                        make_spec: SpecMaker, tmp_path: Path) -> None:
    push_spec(make_spec("Books", "/books/v1"), conn("frends"))
    # no local state: the only API named Books is taken for this one; Frends refuses the text (its
    # base path cannot change), so it was another API and this one is imported
    result = push_spec(make_spec("Books", "/books/v2", name="v2.json"), conn("frends", journal=tmp_path / "j2"))
    assert result.plan.action == "update" and result.remote is not None and result.remote.ids["specId"] == 2
    assert sorted(s["basePath"] for s in specs(sandbox)) == ["/books/v1", "/books/v2"]


def test_passthrough_configs_are_synced_once(sandbox: SandboxHandle, conn: ConnMaker, make_spec: SpecMaker) -> None:
    spec = make_spec("Books", "/books", post=True)
    options = EmitOptions(passthrough_target="https://backend.example.com")
    assert push_spec(spec, conn("frends"), options=options).done == ["create", "passthrough"]
    again = push_spec(spec, conn("frends"), options=options)
    assert again.done == [] and not again.plan.changes_anything
    configs = specs(sandbox)[0]["versions"]["1"]["passthrough"]
    assert sorted((c["method"], c["path"]) for c in configs.values()) == [("GET", "/items/{id}"), ("POST", "/items")]
    published = push_spec(spec, conn("frends"), options=options, publish=True)  # copied to the new active version
    assert published.done == ["publish"]
    assert push_spec(spec, conn("frends"), options=options, publish=True).done == []


def test_a_vendor_side_edit_is_not_visible_and_the_plan_says_why(sandbox: SandboxHandle, conn: ConnMaker,
                                                                 make_spec: SpecMaker) -> None:
    spec = make_spec("Books", "/books")
    push_spec(spec, conn("frends"))
    edited = json.loads(spec.read_text())
    edited["servers"] = [{"url": "/books"}]
    edited["paths"]["/extra"] = {"get": {"responses": {"200": {"description": "x"}}}}
    conn("frends").client().call("PUT", f"{SPECS}/1", "edit", json=json.dumps(edited))
    text = plan_command(spec, conn("frends"))
    assert "-> nothing" in text and "decided on the local state: frends cannot return what it holds" in text


def test_a_publish_whose_record_was_lost_is_not_repeated(sandbox: SandboxHandle, conn: ConnMaker,
                                                         make_spec: SpecMaker) -> None:
    spec = make_spec("Books", "/books")
    push_spec(spec, conn("frends"))
    conn("frends").client().call("POST", f"{SPECS}/1/publish", "publish", json={"changeDescription": None})
    result = push_spec(spec, conn("frends"), publish=True, deploy=1)
    assert result.done == ["deploy"]  # version 1 holds the pushed text and is locked: only deploy it
    (stored,) = specs(sandbox)
    assert stored["activeVersion"] == 2 and stored["versions"]["1"]["deployedTo"] == [1]


def test_deploy_without_a_published_version_asks_for_publish(sandbox: SandboxHandle, conn: ConnMaker,
                                                             make_spec: SpecMaker) -> None:
    with pytest.raises(PushError, match="add --publish"):
        push_spec(make_spec("Books", "/books"), conn("frends"), deploy=1)


def test_processes_are_deployed_through_process_deployments(sandbox: SandboxHandle, conn: ConnMaker,
                                                            make_spec: SpecMaker,
                                                            caplog: pytest.LogCaptureFixture) -> None:
    spec = make_spec("Books", "/books")
    with caplog.at_level(logging.WARNING, "migrate.push"):
        text = push_command(spec, conn("frends"), publish=True, deploy=2)
    assert "NOT DEPLOYED" in text and "process templates" in text  # the push says why, not "deployed"
    assert "Processes are not deployed to Agent Group 2" in caplog.text and deployments(sandbox) == []
    # the processes work (a later step) makes the API's Processes; a push then deploys them
    guid = "6f1c2d3e-0000-4000-8000-00000000000a"
    st.add_process(sandbox.store, sample_process(1, "Get item", guid=guid, process_id=21))
    st.add_process(sandbox.store, sample_process(1, "Add item", process_id=22))
    st.add_process(sandbox.store, sample_process(9, "Another API's", process_id=23))
    result = push_spec(spec, conn("frends"), publish=True, deploy=2)
    assert result.done == ["processes"] and deployments(sandbox) == [(2, 21, "1.0.1"), (2, 22, "1.0.1")]
    assert not push_spec(spec, conn("frends"), publish=True, deploy=2).changed
    st.add_process(sandbox.store, sample_process(1, "Get item", version=2, guid=guid, process_id=24))
    assert push_spec(spec, conn("frends"), publish=True, deploy=2).done == ["processes"]
    assert deployments(sandbox) == [(2, 22, "1.0.1"), (2, 24, "1.0.2")]


def test_wrong_api_key(sandbox: SandboxHandle, tmp_path: Path, make_spec: SpecMaker) -> None:
    cfg = tmp_path / "bad.toml"
    cfg.write_text(f'[profiles.f]\nvendor = "frends"\nbase_url = "{sandbox.base_urls["frends"]}"\n'
                   'api_key = "wrong-key-123"\n')
    with pytest.raises(AuthError) as caught:
        push_spec(make_spec("Books", "/books"), Connection("frends", cfg, "f", journal=tmp_path / "j", policy=FAST))
    assert caught.value.exit_code == 2 and "wrong-key-123" not in repr(caught.value) + str(caught.value)
