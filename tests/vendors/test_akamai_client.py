"""Akamai client against the Akamai sandbox over loopback (EdgeGrid-signed requests, config profiles):
create, no-op re-runs, GET -> modify -> PUT keeping ids, clones of activated versions, hostnames of
the contract and group, the journal's id of a removed endpoint, asynchronous activation."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from migrate.core.errors import AuthError, PushError, UsageError
from migrate.emitters.base import EmitOptions
from migrate.push.commands import Connection, plan_command, push_command, push_spec
from migrate.sandbox import SandboxHandle, start_sandbox, write_config
from tests.vendors.vendor_helpers import FAST, ConnMaker, SpecMaker, secrets_of


@pytest.fixture
def sandbox() -> Iterator[SandboxHandle]:
    """Akamai only (this module's tests need no other vendor), activations quick."""
    with start_sandbox("akamai", settings={"akamai": {"activation_seconds": 0.05}}) as handle:
        yield handle


def endpoints(handle: SandboxHandle) -> dict[str, Any]:
    found: dict[str, Any] = handle.state()["akamai"].get("endpoints", {})
    return found


def only_endpoint(handle: SandboxHandle) -> dict[str, Any]:
    (entry,) = endpoints(handle).values()
    return dict(entry)


def test_create_then_rerun_does_nothing(sandbox: SandboxHandle, conn: ConnMaker, make_spec: SpecMaker) -> None:
    spec = make_spec("Books", "/books")
    first = push_spec(spec, conn("akamai"))
    assert first.done == ["create"]
    endpoint = only_endpoint(sandbox)["versions"]["1"]["endpoint"]
    assert endpoint["apiEndPointName"] == "Books" and endpoint["apiEndPointHosts"] == ["api.sandbox.example.com"]
    assert endpoint["contractId"] == "C-SANDBOX" and endpoint["groupId"] == 12345
    assert [r["resourcePath"] for r in endpoint["apiResources"]] == ["/items/{id}"]
    before = sandbox.state()["akamai"]
    again = push_spec(spec, conn("akamai"))
    assert again.plan.action == "nothing" and not again.changed
    assert "unchanged since the push" in again.plan.reason
    assert sandbox.state()["akamai"] == before


def test_update_in_place_keeps_the_ids(sandbox: SandboxHandle, conn: ConnMaker, make_spec: SpecMaker) -> None:
    push_spec(make_spec("Books", "/books"), conn("akamai"))
    old = only_endpoint(sandbox)["versions"]["1"]["endpoint"]["apiResources"][0]
    result = push_spec(make_spec("Books", "/books", name="v2.json", extra_param=True), conn("akamai"))
    assert result.plan.action == "update" and result.done == ["update"]
    assert [c.render() for c in result.plan.diff] == ["+ parameter query q (GET /items/{id})"]
    entry = only_endpoint(sandbox)
    assert list(entry["versions"]) == ["1"] and entry["versions"]["1"]["endpoint"]["lockVersion"] == 1
    resource = entry["versions"]["1"]["endpoint"]["apiResources"][0]
    assert resource["apiResourceId"] == old["apiResourceId"]
    old_id, new_id = (r["apiResourceMethods"][0]["apiParameters"][0]["apiParameterId"] for r in (old, resource))
    assert old_id == new_id
    assert sorted(p["apiParameterName"] for p in resource["apiResourceMethods"][0]["apiParameters"]) == ["id", "q"]


def test_clone_when_latest_is_activated(sandbox: SandboxHandle, conn: ConnMaker, make_spec: SpecMaker) -> None:
    first = push_spec(make_spec("Books", "/books"), conn("akamai"), activate="staging")
    assert first.done == ["create", "activate"]
    assert only_endpoint(sandbox)["versions"]["1"]["endpoint"]["stagingStatus"] == "ACTIVE"  # waited for it
    changed = make_spec("Books", "/books", name="v2.json", post=True)
    result = push_spec(changed, conn("akamai"), activate="staging")
    assert result.plan.action == "new-version" and "locked" in result.plan.reason
    assert result.done == ["new-version", "activate"]
    v1, v2 = (only_endpoint(sandbox)["versions"][n] for n in ("1", "2"))
    assert v2["basedOn"] == 1 and v2["endpoint"]["stagingStatus"] == "ACTIVE"
    assert v1["endpoint"]["stagingStatus"] == "DEACTIVATED"
    assert v2["endpoint"]["apiResources"][0]["apiResourceId"] == v1["endpoint"]["apiResources"][0]["apiResourceId"]
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


def test_hostname_outside_the_contract_is_refused_before_writing(sandbox: SandboxHandle, conn: ConnMaker,
                                                                 make_spec: SpecMaker) -> None:
    with pytest.raises(PushError, match=r"not-ours\.example\.com not available.*allowed: api\.sandbox\.example\.com"):
        push_spec(make_spec("Books", "/books"), conn("akamai"), options=EmitOptions(host="not-ours.example.com"))
    assert endpoints(sandbox) == {}


def test_journal_id_of_a_removed_endpoint_falls_back_to_a_search(sandbox: SandboxHandle, conn: ConnMaker,
                                                                  make_spec: SpecMaker) -> None:
    spec = make_spec("Books", "/books")
    push_spec(spec, conn("akamai"))
    (eid,) = endpoints(sandbox)
    client = conn("akamai").client()
    client.call("DELETE", f"/endpoints/{eid}", "remove")  # Akamai now answers 403 for this id
    result = push_spec(spec, conn("akamai"))
    assert result.done == ["create"] and "gone" in result.plan.reason
    (new_id,) = endpoints(sandbox)
    assert new_id != eid


def test_no_wait_leaves_it_pending_and_never_activates_twice(tmp_path: Path, make_spec: SpecMaker) -> None:
    with start_sandbox("akamai", settings={"akamai": {"activation_seconds": 600}}) as slow:
        write_config(slow, tmp_path / "slow.toml")
        connection = Connection("akamai", tmp_path / "slow.toml", "sandbox-akamai", journal=tmp_path / "j", policy=FAST)
        spec = make_spec("Books", "/books")
        text = push_command(spec, connection, activate="staging", wait=False)
        assert "not waiting: it stays PENDING" in text and "done: create, activate" in text
        assert only_endpoint(slow)["versions"]["1"]["endpoint"]["stagingStatus"] == "PENDING"
        before = slow.state()["akamai"]
        again = push_spec(spec, connection, activate="staging", wait=False)
        assert not again.changed and slow.state()["akamai"] == before
        with pytest.raises(PushError, match=r"still PENDING on STAGING after 0\.1 s"):
            push_spec(spec, connection, activate="staging", wait_timeout=0.1)
        assert slow.state()["akamai"] == before


def test_failed_activation_is_an_error(tmp_path: Path, make_spec: SpecMaker) -> None:
    with start_sandbox("akamai", settings={"akamai": {"activation_seconds": 0.0, "fail_activation": True}}) as bad:
        write_config(bad, tmp_path / "bad.toml")
        connection = Connection("akamai", tmp_path / "bad.toml", "sandbox-akamai", journal=tmp_path / "j", policy=FAST)
        with pytest.raises(PushError, match=r"version 1 on STAGING FAILED \(Akamai: status FAILED, versionNumber 1"):
            push_spec(make_spec("Books", "/books"), connection, activate="staging")


def test_edgerc_section_and_account_switch_key(sandbox: SandboxHandle, tmp_path: Path, make_spec: SpecMaker) -> None:
    creds = sandbox.credentials.akamai
    rc = tmp_path / ".edgerc"
    rc.write_text(f"[migrate]\nhost = {sandbox.hosts['akamai']}\nclient_token = {creds.client_token}\n"
                  f"client_secret = {creds.client_secret}\naccess_token = {creds.access_token}\n")
    cfg = tmp_path / "c.toml"
    cfg.write_text('[profiles.a]\nvendor = "akamai"\nscheme = "http"\ncontract_id = "C-SANDBOX"\ngroup_id = 12345\n'
                   'endpoint_host = "api2.sandbox.example.com"\n')
    connection = Connection("akamai", cfg, "a", rc, "migrate", account_key="1-ABCDE", journal=tmp_path / "j")
    assert push_spec(make_spec("Books", "/books"), connection).done == ["create"]
    assert only_endpoint(sandbox)["versions"]["1"]["endpoint"]["apiEndPointHosts"] == ["api2.sandbox.example.com"]
    with pytest.raises(UsageError, match=r"no section \[other\]"):
        push_spec(make_spec("Books", "/books"), Connection("akamai", cfg, "a", rc, "other"))


def test_wrong_credentials(sandbox: SandboxHandle, tmp_path: Path, make_spec: SpecMaker) -> None:
    cfg = tmp_path / "bad.toml"
    cfg.write_text(f'[profiles.a]\nvendor = "akamai"\nbase_url = "{sandbox.base_urls["akamai"]}"\n'
                   'host = "x"\nclient_token = "akab-wrong"\nclient_secret = "c2VjcmV0"\n'
                   'access_token = "akab-wrong-access"\ncontract_id = "C-SANDBOX"\ngroup_id = 12345\n'
                   'endpoint_host = "api.sandbox.example.com"\n')
    with pytest.raises(AuthError) as caught:
        push_spec(make_spec("Books", "/books"), Connection("akamai", cfg, "a", journal=tmp_path / "j"))
    assert caught.value.exit_code == 2 and caught.value.status == 401
    assert "credentials refused" in str(caught.value)
    assert not any(s in repr(caught.value) + str(caught.value) for s in ["c2VjcmV0", *secrets_of(sandbox)])
    assert endpoints(sandbox) == {}
