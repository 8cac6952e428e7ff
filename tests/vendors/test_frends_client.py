"""Frends client against the Frends sandbox over loopback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from migrate.core.errors import AuthError, ConflictError
from migrate.emitters.base import EmitOptions
from migrate.push.commands import Connection, plan_command, push_spec
from migrate.sandbox import SandboxHandle
from tests.vendors.vendor_helpers import FAST, ConnMaker, SpecMaker


def specs(handle: SandboxHandle) -> list[dict]:
    return list(handle.state()["frends"].get("specs", {}).values())


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
    assert result.done == ["update"]
    assert [c.render() for c in result.plan.diff] == ["+ resource /items", "+ method POST /items"]
    (stored,) = specs(sandbox)
    assert "/items" in json.loads(stored["versions"]["1"]["specification"])["paths"]


def test_same_base_path_other_api_is_a_conflict(sandbox: SandboxHandle, conn: ConnMaker,
                                                make_spec: SpecMaker, tmp_path: Path) -> None:
    push_spec(make_spec("Books", "/books"), conn("frends"))
    other = make_spec("Magazines", "/books")
    with pytest.raises(ConflictError, match="already used by API specification 1"):
        plan_command(other, conn("frends"))
    with pytest.raises(ConflictError) as caught:
        push_spec(other, conn("frends", journal=tmp_path / "other.jsonl"))  # no journal ids
    assert caught.value.status == 409 and "base path /books is already used" in str(caught.value)
    assert [s["name"] for s in specs(sandbox)] == ["Books"]


def test_passthrough_configs_are_synced_once(sandbox: SandboxHandle, conn: ConnMaker, make_spec: SpecMaker) -> None:
    spec = make_spec("Books", "/books", post=True)
    options = EmitOptions(passthrough_target="https://backend.example.com")
    assert push_spec(spec, conn("frends"), options=options).done == ["create", "passthrough"]
    again = push_spec(spec, conn("frends"), options=options)
    assert again.done == [] and not again.plan.changes_anything  # configs in place: nothing to do
    configs = specs(sandbox)[0]["versions"]["1"]["passthrough"]
    assert sorted((c["method"], c["path"]) for c in configs.values()) == [("GET", "/items/{id}"), ("POST", "/items")]


def test_vendor_side_edit_is_detected(sandbox: SandboxHandle, conn: ConnMaker, make_spec: SpecMaker) -> None:
    spec = make_spec("Books", "/books")
    push_spec(spec, conn("frends"))
    client = conn("frends").client()
    edited = json.loads(spec.read_text())
    edited["servers"] = [{"url": "/books"}]
    edited["paths"]["/extra"] = {"get": {"responses": {"200": {"description": "x"}}}}
    client.call("PUT", "/1", "edit", json=json.dumps(edited))
    result = push_spec(spec, conn("frends"))
    assert result.plan.action == "update" and "changed there" in result.plan.reason
    assert [c.render() for c in result.plan.diff] == ["- resource /extra", "- method GET /extra"]
    assert "/extra" not in json.loads(specs(sandbox)[0]["versions"]["1"]["specification"])["paths"]


def test_wrong_api_key(sandbox: SandboxHandle, tmp_path: Path, make_spec: SpecMaker) -> None:
    cfg = tmp_path / "bad.toml"
    cfg.write_text(f'[profiles.f]\nvendor = "frends"\nbase_url = "{sandbox.base_urls["frends"]}"\n'
                   'api_key = "wrong-key-123"\n')
    with pytest.raises(AuthError) as caught:
        push_spec(make_spec("Books", "/books"), Connection("frends", cfg, "f", journal=tmp_path / "j", policy=FAST))
    assert caught.value.exit_code == 2 and "wrong-key-123" not in repr(caught.value) + str(caught.value)
