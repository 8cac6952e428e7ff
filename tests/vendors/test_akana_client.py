"""Akana client against the Akana sandbox over loopback: login cookie and optional CSRF header, token
renewal, legacy JSON/XML and import-mode creates, the proxy endpoint from the profile, new versions
for changed specs, an API gone from the platform."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

import migrate.sandbox.akana.app as akana_sandbox
from migrate.core.errors import AuthError, PushError
from migrate.emitters.base import EmitOptions
from migrate.push.akana.client import AkanaClient, next_version_name
from migrate.push.commands import Connection, push_spec
from migrate.push.journal import Journal
from migrate.push.run import run_push
from migrate.sandbox import SandboxHandle, start_sandbox, write_config
from tests.sandbox.sandbox_helpers import akana_login
from tests.testsupport import FakeClock
from tests.vendors.vendor_helpers import FAST, ConnMaker, SpecMaker, delivery


@pytest.fixture
def sandbox() -> Iterator[SandboxHandle]:
    """Only the Akana sandbox (the conftest's ``config`` and ``conn`` use this one)."""
    with start_sandbox("akana") as handle:
        yield handle


def apis(handle: SandboxHandle) -> list[dict[str, Any]]:
    return list(handle.state()["akana"].get("apis", {}).values())


def akana_client(conn: Connection) -> AkanaClient:
    client = conn.client()
    assert isinstance(client, AkanaClient)
    return client


def test_create_rerun_and_new_version(sandbox: SandboxHandle, conn: ConnMaker, make_spec: SpecMaker) -> None:
    spec = make_spec("Books", "/books")
    assert push_spec(spec, conn("akana")).done == ["create"]
    assert push_spec(spec, conn("akana")).plan.action == "nothing"
    changed = make_spec("Books", "/books", name="v2.json", post=True)
    result = push_spec(changed, conn("akana"))
    assert result.plan.action == "new-version" and result.remote is not None
    assert result.remote.version == "1.0-r2"
    (entry,) = apis(sandbox)
    assert entry["api"]["Name"] == "Books"
    assert [v["Name"] for v in entry["versions"].values()] == ["1.0", "1.0-r2"]
    newest = list(entry["versions"].values())[-1]
    assert sorted(op["Path"] for op in newest["Operations"]["Operation"]) == ["/items", "/items/{id}"]
    assert push_spec(changed, conn("akana")).changed is False


def test_proxy_endpoint_defaults_from_the_profile(sandbox: SandboxHandle, conn: ConnMaker,
                                                  make_spec: SpecMaker) -> None:
    profile = f"{sandbox.root_url('akana')}/gateway"
    assert akana_client(conn("akana")).emit_options(EmitOptions()).akana_endpoint == profile
    given = EmitOptions(akana_endpoint="https://gw.example.com/books")
    assert akana_client(conn("akana")).emit_options(given).akana_endpoint == "https://gw.example.com/books"
    push_spec(make_spec("Books", "/books"), conn("akana"))
    (entry,) = apis(sandbox)
    (version,) = entry["versions"].values()
    assert version["Endpoints"]["Endpoint"] == [{"Uri": profile, "Category": "Production",
                                                 "CName": "127.0.0.1"}]
    assert version["TargetAPI"]["Endpoints"]["Endpoint"] == [{"Uri": "https://api.example.com/books",
                                                              "Category": "Production"}]


def test_xml_body(sandbox: SandboxHandle, conn: ConnMaker, make_spec: SpecMaker) -> None:
    spec = make_spec("Books", "/books")
    options = EmitOptions(akana_format="xml")
    assert push_spec(spec, conn("akana"), options=options).done == ["create"]
    assert push_spec(spec, conn("akana"), options=options).plan.action == "nothing"
    assert push_spec(spec, conn("akana")).plan.action == "nothing"  # the JSON form of the same API
    (entry,) = apis(sandbox)
    assert entry["api"]["Name"] == "Books"


def test_import_mode_uploads_then_refers_and_repushes_nothing(sandbox: SandboxHandle, conn: ConnMaker,
                                                              make_spec: SpecMaker) -> None:
    spec = make_spec("Books", "/books")
    options = EmitOptions(akana_mode="import")
    assert push_spec(spec, conn("akana"), options=options).done == ["create"]
    (entry,) = apis(sandbox)
    (version,) = entry["versions"].values()
    assert [op["Path"] for op in version["Operations"]["Operation"]] == ["/items/{id}"]
    assert len(sandbox.state()["akana"]["dropbox"]) == 1
    before = json.dumps(sandbox.state()["akana"], sort_keys=True)
    again = push_spec(spec, conn("akana"), options=options)
    assert again.plan.action == "nothing" and "local state" in again.plan.reason
    assert json.dumps(sandbox.state()["akana"], sort_keys=True) == before


def test_import_mode_cannot_make_versions(sandbox: SandboxHandle, conn: ConnMaker, make_spec: SpecMaker) -> None:
    options = EmitOptions(akana_mode="import")
    push_spec(make_spec("Books", "/books"), conn("akana"), options=options)
    with pytest.raises(PushError, match="legacy mode"):
        push_spec(make_spec("Books", "/books", name="v2.json", post=True), conn("akana"), options=options)
    assert len(apis(sandbox)) == 1


def test_an_api_gone_from_the_platform_is_created_again(sandbox: SandboxHandle, conn: ConnMaker,
                                                        make_spec: SpecMaker) -> None:
    spec = make_spec("Books", "/books")
    first = push_spec(spec, conn("akana"))
    assert first.remote is not None
    with akana_login(sandbox) as session:
        gone = session.delete(f"{sandbox.base_urls['akana']}/apis/{first.remote.ids['apiId']}", timeout=5)
        assert gone.status_code == 200
    again = push_spec(spec, conn("akana"))
    assert again.done == ["create"] and "gone" in again.plan.reason
    assert len(apis(sandbox)) == 1


def test_description_change_reaches_api_and_version(sandbox: SandboxHandle, conn: ConnMaker,
                                                    make_spec: SpecMaker, tmp_path: Path) -> None:
    spec = make_spec("Books", "/books")
    push_spec(spec, conn("akana"))
    document = json.loads(spec.read_text())
    document["info"]["description"] = "Now with words"
    spec.write_text(json.dumps(document))
    assert push_spec(spec, conn("akana")).done == ["new-version"]
    (entry,) = apis(sandbox)
    assert entry["api"]["Description"] == "Now with words"
    assert list(entry["versions"].values())[-1]["Description"] == "Now with words"
    assert push_spec(spec, conn("akana")).changed is False


def test_an_api_description_edited_on_the_platform_is_put_back_without_a_new_version(
        sandbox: SandboxHandle, conn: ConnMaker, make_spec: SpecMaker) -> None:
    spec = make_spec("Books", "/books")
    first = push_spec(spec, conn("akana"))
    assert first.remote is not None
    with akana_login(sandbox) as session:
        edited = session.put(f"{sandbox.base_urls['akana']}/apis/versions/{first.remote.ids['apiVersionId']}/info",
                             json={"ApiDescription": "edited on the platform"}, timeout=5)
        assert edited.status_code == 200
    again = push_spec(spec, conn("akana"))
    assert "changed there" in again.plan.reason
    (entry,) = apis(sandbox)
    assert entry["api"]["Description"] == "" and len(entry["versions"]) == 1


def test_csrf_off_works_without_the_header(tmp_path: Path, make_spec: SpecMaker) -> None:
    with start_sandbox("akana", settings={"akana": {"csrf": False}}) as handle:
        write_config(handle, tmp_path / "c.toml")
        conn = Connection("akana", tmp_path / "c.toml", "sandbox-akana", journal=tmp_path / "j", policy=FAST)
        client = akana_client(conn)
        spec = delivery(make_spec("Books", "/books"), "akana", client.emit_options(EmitOptions()))
        assert run_push(spec, client, Journal(tmp_path / "j")).done == ["create"]
        assert "X-Csrf-Token_sandbox" not in client.api.session.headers
        assert run_push(spec, client, Journal(tmp_path / "j")).done == []
        assert handle.violations == []


def test_wrong_password(sandbox: SandboxHandle, tmp_path: Path, make_spec: SpecMaker) -> None:
    cfg = tmp_path / "bad.toml"
    cfg.write_text(f'[profiles.a]\nvendor = "akana"\nbase_url = "{sandbox.base_urls["akana"]}"\n'
                   'email = "sandbox@example.com"\npassword = "not-the-password"\nfedmemberid = "sandbox"\n')
    with pytest.raises(AuthError) as caught:
        push_spec(make_spec("Books", "/books"), Connection("akana", cfg, "a", journal=tmp_path / "j", policy=FAST))
    assert caught.value.exit_code == 2 and "login" in str(caught.value) and caught.value.status == 401
    assert "not-the-password" not in repr(caught.value) + str(caught.value)


def test_wrong_fedmemberid_is_said(sandbox: SandboxHandle, tmp_path: Path) -> None:
    creds = sandbox.credentials.akana
    client = AkanaClient(sandbox.base_urls["akana"], creds.email, creds.password, "other", FAST)
    with pytest.raises(AuthError, match="AtmoAuthToken_other"):
        client.call("GET", "/apis", "list APIs")


def test_expired_token_is_renewed(tmp_path: Path, make_spec: SpecMaker, caplog: pytest.LogCaptureFixture,
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    caplog.set_level(logging.DEBUG, logger="migrate.push")
    clock = FakeClock()
    monkeypatch.setattr(akana_sandbox, "time", clock)
    with start_sandbox("akana", token_ttl=60) as handle:
        write_config(handle, tmp_path / "c.toml")
        client = akana_client(Connection("akana", tmp_path / "c.toml", "sandbox-akana", policy=FAST))
        journal = Journal(tmp_path / "j.jsonl")
        run_push(delivery(make_spec("Books", "/books"), "akana"), client, journal)
        logins = caplog.text.count("akana POST /login\n")
        clock.now += 61  # the token has expired
        changed = delivery(make_spec("Books", "/books", name="v2.json", post=True), "akana")
        assert run_push(changed, client, journal).done == ["new-version"]
        assert caplog.text.count("akana POST /login\n") == logins + 1  # renewToken refused: logged in again
        assert "renewal failed" in caplog.text
        (entry,) = apis(handle)
        assert len(entry["versions"]) == 2


def test_the_token_never_reaches_the_log(sandbox: SandboxHandle, conn: ConnMaker, make_spec: SpecMaker,
                                         caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    push_spec(make_spec("Books", "/books"), conn("akana"))
    assert "TokenID" not in caplog.text and sandbox.credentials.akana.password not in caplog.text
    assert requests.get(f"{sandbox.base_urls['akana']}/apis", timeout=5).status_code == 401


@pytest.mark.parametrize(("latest", "expected"), [(None, "1.0"), ("1.0", "1.0-r2"), ("1.0-r2", "1.0-r3"),
                                                  ("0.9", "1.0"), ("1.0-rc1", "1.0")])
def test_next_version_name(latest: str | None, expected: str) -> None:
    assert next_version_name("1.0", latest) == expected
