"""Akana client against the Akana sandbox over loopback: login cookie + CSRF, token renewal,
legacy JSON/XML and import-mode creates, new versions for changed specs."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

import migrate.sandbox.akana.app as akana_sandbox
from migrate.core.errors import AuthError, PushError
from migrate.emitters.base import EmitOptions
from migrate.push.akana.client import free_name
from migrate.push.commands import Connection, push_spec
from migrate.push.journal import Journal
from migrate.push.run import run_push
from migrate.sandbox import SandboxHandle, start_sandbox, write_config
from tests.testsupport import FakeClock
from tests.vendors.vendor_helpers import FAST, ConnMaker, SpecMaker, delivery


def apis(handle: SandboxHandle) -> list[dict]:
    return list(handle.state()["akana"].get("apis", {}).values())


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
    names = sorted(v["Name"] for v in entry["versions"].values())
    assert names == ["1.0", "1.0-r2"]
    newest = next(v for v in entry["versions"].values() if v["Name"] == "1.0-r2")
    assert sorted(op["Path"] for op in newest["Operations"]["Operation"]) == ["/items", "/items/{id}"]
    assert push_spec(changed, conn("akana")).changed is False


def test_xml_body(sandbox: SandboxHandle, conn: ConnMaker, make_spec: SpecMaker) -> None:
    spec = make_spec("Books", "/books")
    options = EmitOptions(akana_format="xml")
    assert push_spec(spec, conn("akana"), options=options).done == ["create"]
    assert push_spec(spec, conn("akana"), options=options).plan.action == "nothing"
    (entry,) = apis(sandbox)
    assert entry["api"]["Name"] == "Books"


def test_import_mode_uploads_then_refers(sandbox: SandboxHandle, conn: ConnMaker, make_spec: SpecMaker) -> None:
    spec = make_spec("Books", "/books")
    options = EmitOptions(akana_mode="import")
    assert push_spec(spec, conn("akana"), options=options).done == ["create"]
    (entry,) = apis(sandbox)
    assert next(iter(entry["versions"].values()))["SourceFile"] == "openapi.json"
    assert len(sandbox.state()["akana"]["dropbox"]) == 1
    assert push_spec(spec, conn("akana"), options=options).plan.action == "nothing"


def test_wrong_password(sandbox: SandboxHandle, tmp_path: Path, make_spec: SpecMaker) -> None:
    cfg = tmp_path / "bad.toml"
    cfg.write_text(f'[profiles.a]\nvendor = "akana"\nbase_url = "{sandbox.base_urls["akana"]}"\n'
                   'email = "sandbox@example.com"\npassword = "not-the-password"\nfedmemberid = "sandbox"\n')
    with pytest.raises(AuthError) as caught:
        push_spec(make_spec("Books", "/books"), Connection("akana", cfg, "a", journal=tmp_path / "j", policy=FAST))
    assert caught.value.exit_code == 2 and "wrong email or password" in str(caught.value)
    assert "not-the-password" not in repr(caught.value) + str(caught.value)


def test_expired_token_is_renewed(tmp_path: Path, make_spec: SpecMaker, caplog: pytest.LogCaptureFixture,
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    caplog.set_level(logging.DEBUG, logger="migrate.push")
    clock = FakeClock()
    monkeypatch.setattr(akana_sandbox, "time", clock)
    with start_sandbox("akana", token_ttl=60) as handle:
        write_config(handle, tmp_path / "c.toml")
        client = Connection("akana", tmp_path / "c.toml", "sandbox-akana", policy=FAST).client()
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


def test_import_mode_cannot_make_versions(sandbox: SandboxHandle, conn: ConnMaker, make_spec: SpecMaker) -> None:
    options = EmitOptions(akana_mode="import")
    push_spec(make_spec("Books", "/books"), conn("akana"), options=options)
    assert len(apis(sandbox)) == 1
    with pytest.raises(PushError, match="legacy mode"):
        push_spec(make_spec("Books", "/books", name="v2.json", post=True), conn("akana"),
                  options=EmitOptions(akana_mode="import", name=None), read_options=None)


@pytest.mark.parametrize(("taken", "expected"), [(set(), "1.0"), ({"1.0"}, "1.0-r2"), ({"1.0", "1.0-r2"}, "1.0-r3")])
def test_free_name(taken: set[str], expected: str) -> None:
    assert free_name("1.0", taken) == expected
