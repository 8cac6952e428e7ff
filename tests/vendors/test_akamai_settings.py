"""Akamai delivery settings pushed to the sandbox over loopback: JWT, API privacy, CORS, cache and
GZIP on the right resources (by apiResourceId), a re-run that writes nothing, settings in the plan's
diff, and a change after activation that clones the version with the settings kept."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from migrate.cli import main
from migrate.emitters.base import EmitOptions
from migrate.push.commands import plan_of, push_spec
from migrate.sandbox import SandboxHandle, start_sandbox
from tests.sandbox.sandbox_helpers import akamai_session_for
from tests.vendors.vendor_helpers import ConnMaker, spec_document

SAMPLES = Path(__file__).parent.parent.parent / "samples"
KEY = "-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA09zaA6sHDxoJ\n-----END PUBLIC KEY-----\n"


@pytest.fixture
def sandbox() -> Iterator[SandboxHandle]:
    with start_sandbox("akamai", settings={"akamai": {"activation_seconds": 0.05}}) as handle:
        yield handle


def writes(handle: SandboxHandle, since: int = 0) -> list[str]:
    return [f"{e['method']} {e['path'].split('/v2', 1)[1]}" for e in handle.requests.of("akamai")[since:]
            if e["method"] != "GET"]


def version(handle: SandboxHandle, number: int) -> dict[str, Any]:
    (entry,) = handle.state()["akamai"]["endpoints"].values()
    found: dict[str, Any] = entry["versions"][str(number)]
    return found


def served(handle: SandboxHandle, number: int, family: str) -> dict[str, Any]:
    """What Get … Settings answers (over loopback, like any client)."""
    url = f"{handle.base_urls['akamai']}/endpoints/{_eid(handle)}/versions/{number}/settings/{family}"
    answer = akamai_session_for(handle).get(url)
    assert answer.status_code == 200, answer.text
    found: dict[str, Any] = answer.json()
    return found


def by_path(record: dict[str, Any]) -> dict[str, int]:
    return {r["resourcePath"]: r["apiResourceId"] for r in record["endpoint"]["apiResources"]}


def jwt_spec(tmp_path: Path, extra_param: bool = False) -> Path:
    """GET /items/{id} needs a bearer JWT, POST /items is public (security: [])."""
    document = spec_document("Secured", "/secured", extra_param=extra_param, post=True)
    document["components"] = {"securitySchemes": {"jwt": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}}}
    document["security"] = [{"jwt": []}]
    document["paths"]["/items"]["post"]["security"] = []
    path = tmp_path / ("v2.json" if extra_param else "v1.json")
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def settings_file(tmp_path: Path, origins: list[str]) -> Path:
    path = tmp_path / "akamai-settings.yaml"
    path.write_text(yaml.safe_dump({
        "jwt": {"rsaPublicKey": {"name": "k.pub", "content": KEY}, "clockSkew": 5,
                "claims": [{"name": "iss", "type": "STRING", "value": "me", "required": True, "validate": True}]},
        "cors": {"enabled": True, "allowedOrigins": origins, "preflightMaxAge": 60},
        "cache": {"enabled": True, "option": "CACHE", "maxAge": {"duration": 30, "unit": "SECONDS"},
                  "resources": {"/items": {"option": "BYPASS_CACHE", "maxAge": None}}},
        "gzip": {"compressResponse": "NEVER"}}), encoding="utf-8")
    return path


def test_sample_with_settings_file_sets_every_family(sandbox: SandboxHandle, conn: ConnMaker) -> None:
    options = EmitOptions(akamai_settings=SAMPLES / "akamai-settings" / "orders-settings.yaml")
    result = push_spec(SAMPLES / "orders-openapi30.yaml", conn("akamai"), options=options)
    assert result.done == ["create"]
    record = version(sandbox, 1)
    ids = by_path(record)
    held = record["settings"]
    jwt = held["jwt"]["endpoint"]
    assert jwt["enabled"] is True and jwt["settings"]["location"] == "HEADER"
    assert jwt["settings"]["paramName"] == "Authorization"  # the spec's bearer JWT scheme
    assert jwt["settings"]["validation"]["rsaPublicKeyA"]["content"] == \
        (SAMPLES / "akamai-settings" / "orders-jwt.pub").read_text()
    assert [c["name"] for c in jwt["settings"]["validation"]["claims"]] == ["iss", "aud", "exp"]
    # POST /customers/{customerId}/notes needs openId only: not validated as the bearer JWT
    assert held["jwt"]["resources"] == {str(ids["/customers/{customerId}/notes"]): {"enabled": False}}
    assert held["api-privacy"]["endpoint"]["public"] is False
    assert held["api-privacy"]["resources"] == {str(ids["/orders/{orderId}"]): {"public": True},
                                                str(ids["/customers/{customerId}/notes"]): {"public": True}}
    assert held["cors"]["endpoint"]["allowedOrigins"] == ["https://shop.example.com"]
    assert held["cache"]["resources"][str(ids["/orders/{orderId}"])]["option"] == "BYPASS_CACHE"
    assert served(sandbox, 1, "gzip") == {"compressResponse": "SAME_AS_ORIGIN"}
    jwt_served = served(sandbox, 1, "jwt")["resources"]
    assert {p: jwt_served[str(i)]["enabled"] for p, i in ids.items()} == {
        "/orders": True, "/orders/{orderId}": True, "/customers/{customerId}/notes": False}
    before = len(sandbox.requests.of("akamai"))
    again = push_spec(SAMPLES / "orders-openapi30.yaml", conn("akamai"), options=options)
    assert again.plan.action == "nothing" and writes(sandbox, before) == []


def test_rerun_writes_nothing_and_the_plan_shows_a_settings_change(sandbox: SandboxHandle, conn: ConnMaker,
                                                                  tmp_path: Path) -> None:
    spec = jwt_spec(tmp_path)
    options = EmitOptions(akamai_settings=settings_file(tmp_path, ["https://a.example.com"]))
    push_spec(spec, conn("akamai"), options=options)
    ids = by_path(version(sandbox, 1))
    held = version(sandbox, 1)["settings"]
    assert held["jwt"]["resources"] == {str(ids["/items"]): {"enabled": False}}  # public POST: no JWT
    privacy = served(sandbox, 1, "api-privacy")  # a bearer JWT is not an API key: all public
    assert privacy["public"] is True and {r["public"] for r in privacy["resources"].values()} == {True}
    options = EmitOptions(akamai_settings=settings_file(tmp_path, ["https://b.example.com"]))
    plan, _ = plan_of(spec, conn("akamai"), options)
    assert plan.action == "update"
    assert [c.render() for c in plan.diff] == [
        '~ field /deliverySettings/cors/allowedOrigins/0: "https://a.example.com" -> "https://b.example.com"']
    before = len(sandbox.requests.of("akamai"))
    assert push_spec(spec, conn("akamai"), options=options).done == ["update"]
    assert writes(sandbox, before) == [f"PUT /endpoints/{_eid(sandbox)}/versions/1/settings/cors"]


def _eid(handle: SandboxHandle) -> str:
    (eid,) = handle.state()["akamai"]["endpoints"]
    return str(eid)


def test_change_after_activation_clones_and_the_settings_survive(sandbox: SandboxHandle, conn: ConnMaker,
                                                                tmp_path: Path) -> None:
    options = EmitOptions(akamai_settings=settings_file(tmp_path, ["https://a.example.com"]))
    assert push_spec(jwt_spec(tmp_path), conn("akamai"), activate="staging", options=options).done == \
        ["create", "activate"]
    first = version(sandbox, 1)["settings"]
    before = len(sandbox.requests.of("akamai"))
    result = push_spec(jwt_spec(tmp_path, extra_param=True), conn("akamai"), options=options)
    assert result.done == ["new-version"] and result.remote is not None and result.remote.version == "2"
    eid = _eid(sandbox)
    # cloned and updated; no settings written: the clone kept them
    assert writes(sandbox, before) == [f"POST /endpoints/{eid}/versions/1/cloneVersion",
                                       f"PUT /endpoints/{eid}/versions/2"]
    assert version(sandbox, 2)["settings"] == first
    again = push_spec(jwt_spec(tmp_path, extra_param=True), conn("akamai"), options=options)
    assert again.plan.action == "nothing"


def test_batch_manifest_names_the_settings_file_relative_to_itself(sandbox: SandboxHandle, config: Path,
                                                                   tmp_path: Path) -> None:
    shutil.copy(SAMPLES / "orders-openapi30.yaml", tmp_path / "orders.yaml")
    shutil.copytree(SAMPLES / "akamai-settings", tmp_path / "settings")
    manifest = tmp_path / "manifest.yaml"
    manifest.write_text(yaml.safe_dump([{"spec": "orders.yaml", "targets": ["akamai"],
                                         "options": {"akamai-settings": "settings/orders-settings.yaml"}}]))
    args = ["batch", str(manifest), "--to", "akamai", "-o", str(tmp_path / "out"), "--push", "akamai",
            "--config", str(config), "--profile", "sandbox-akamai", "--yes"]
    first = CliRunner().invoke(main, args)
    assert "push: 1 created" in first.output, first.output
    assert sorted(version(sandbox, 1)["settings"]) == ["api-privacy", "cache", "cors", "gzip", "jwt"]
    again = CliRunner().invoke(main, args)
    assert "push: 0 created, 0 changed, 1 unchanged" in again.output, again.output
