"""Akamai client against the Akamai sandbox over loopback (EdgeGrid-signed requests)."""

from __future__ import annotations

from pathlib import Path

import pytest

from migrate.core.errors import AuthError, UsageError
from migrate.push.commands import Connection, plan_command, push_spec
from migrate.sandbox import SandboxHandle
from tests.vendors.vendor_helpers import ConnMaker, SpecMaker, secrets_of


def endpoints(handle: SandboxHandle) -> dict[str, dict]:
    return handle.state()["akamai"].get("endpoints", {})


def test_create_then_rerun_does_nothing(sandbox: SandboxHandle, conn: ConnMaker, make_spec: SpecMaker) -> None:
    spec = make_spec("Books", "/books")
    first = push_spec(spec, conn("akamai"))
    assert first.done == ["create"]
    (entry,) = endpoints(sandbox).values()
    endpoint = entry["versions"]["1"]["endpoint"]
    assert endpoint["apiEndPointName"] == "Books"
    assert endpoint["contractId"] == "C-SANDBOX" and endpoint["groupId"] == 12345
    assert [r["resourcePath"] for r in endpoint["apiResources"]] == ["/items/{id}"]
    again = push_spec(spec, conn("akamai"))
    assert again.plan.action == "nothing" and not again.changed
    assert "unchanged since the push" in again.plan.reason
    assert len(endpoints(sandbox)) == 1 and list(endpoints(sandbox)[str(entry["versions"]["1"]["endpoint"]
                                                                         ["apiEndPointId"])]["versions"]) == ["1"]


def test_update_of_editable_version_in_place(sandbox: SandboxHandle, conn: ConnMaker, make_spec: SpecMaker) -> None:
    push_spec(make_spec("Books", "/books"), conn("akamai"))
    changed = make_spec("Books", "/books", name="v2.json", extra_param=True)
    result = push_spec(changed, conn("akamai"))
    assert result.plan.action == "update"
    assert [c.render() for c in result.plan.diff] == ["+ parameter query q (GET /items/{id})"]
    (entry,) = endpoints(sandbox).values()
    assert list(entry["versions"]) == ["1"]
    params = entry["versions"]["1"]["endpoint"]["apiResources"][0]["apiResourceMethods"][0]["apiParameters"]
    assert sorted(p["apiParameterName"] for p in params) == ["id", "q"]
    assert entry["versions"]["1"]["endpoint"]["lockVersion"] == 1


def test_clone_when_latest_is_activated(sandbox: SandboxHandle, conn: ConnMaker, make_spec: SpecMaker) -> None:
    first = push_spec(make_spec("Books", "/books"), conn("akamai"), activate="staging")
    assert first.done == ["create", "activate"]
    changed = make_spec("Books", "/books", name="v2.json", post=True)
    result = push_spec(changed, conn("akamai"), activate="staging")
    assert result.plan.action == "new-version" and "locked" in result.plan.reason
    assert result.done == ["new-version", "activate"]
    (entry,) = endpoints(sandbox).values()
    v1, v2 = entry["versions"]["1"], entry["versions"]["2"]
    assert v2["basedOn"] == 1 and v2["endpoint"]["stagingStatus"] == "ACTIVE"
    assert v1["endpoint"]["stagingStatus"] == "DEACTIVATED"
    assert len(v1["endpoint"]["apiResources"]) == 1 and len(v2["endpoint"]["apiResources"]) == 2
    assert push_spec(changed, conn("akamai"), activate="staging").changed is False


def test_plan_reports_vendor_side_change(sandbox: SandboxHandle, conn: ConnMaker, make_spec: SpecMaker) -> None:
    spec = make_spec("Books", "/books")
    push_spec(spec, conn("akamai"))
    (eid,) = endpoints(sandbox)
    client = conn("akamai").client()
    path = f"/endpoints/{eid}/versions/1"
    detail = client.call("GET", path + "/resources-detail", "read").json()
    detail["apiResources"][0]["resourcePath"] = "/renamed/{id}"  # edited by someone at the vendor
    client.call("PUT", path, "edit", json=detail)
    text = plan_command(spec, conn("akamai"))
    assert "-> update" in text and "changed there" in text
    assert "+ resource /items/{id}" in text and "- resource /renamed/{id}" in text
    assert push_spec(spec, conn("akamai")).done == ["update"]


def test_edgerc_section_and_account_switch_key(sandbox: SandboxHandle, tmp_path: Path, make_spec: SpecMaker) -> None:
    creds = sandbox.credentials.akamai
    rc = tmp_path / ".edgerc"
    rc.write_text(f"[migrate]\nhost = {sandbox.hosts['akamai']}\nclient_token = {creds.client_token}\n"
                  f"client_secret = {creds.client_secret}\naccess_token = {creds.access_token}\n")
    cfg = tmp_path / "c.toml"
    cfg.write_text('[profiles.a]\nvendor = "akamai"\nscheme = "http"\ncontract_id = "C-SANDBOX"\ngroup_id = 12345\n')
    connection = Connection("akamai", cfg, "a", rc, "migrate", account_key="1-ABCDE", journal=tmp_path / "j")
    assert push_spec(make_spec("Books", "/books"), connection).done == ["create"]
    with pytest.raises(UsageError, match=r"no section \[other\]"):
        push_spec(make_spec("Books", "/books"), Connection("akamai", cfg, "a", rc, "other"))


def test_wrong_credentials(sandbox: SandboxHandle, tmp_path: Path, make_spec: SpecMaker) -> None:
    cfg = tmp_path / "bad.toml"
    cfg.write_text(f'[profiles.a]\nvendor = "akamai"\nbase_url = "{sandbox.base_urls["akamai"]}"\n'
                   'host = "x"\nclient_token = "akab-wrong"\nclient_secret = "c2VjcmV0"\n'
                   'access_token = "akab-wrong-access"\ncontract_id = "C-SANDBOX"\ngroup_id = 12345\n')
    with pytest.raises(AuthError) as caught:
        push_spec(make_spec("Books", "/books"), Connection("akamai", cfg, "a", journal=tmp_path / "j"))
    assert caught.value.exit_code == 2 and caught.value.status == 401
    assert "credentials refused" in str(caught.value)
    assert not any(s in repr(caught.value) + str(caught.value) for s in ["c2VjcmV0", *secrets_of(sandbox)])
    assert endpoints(sandbox) == {}
