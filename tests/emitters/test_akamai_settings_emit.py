"""The Akamai emitter's delivery settings (akamai-settings.json): API privacy and JWT from the spec,
the settings file's key, claims, CORS, cache and GZIP, and every loss reported with its reason;
a bad settings file is one line naming the file and the member (exit 2)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from migrate.cli import main
from migrate.conversion.run import convert
from migrate.core.errors import UsageError
from migrate.emitters.base import EmitOptions

KEY = {"name": "k.pub", "content": "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n"}
IDENTITY: dict[str, Any] = {"host": "api.example.com", "contract_id": "C-1", "group_id": "1"}


def spec(tmp_path: Path, schemes: dict[str, Any], security: list[Any], paths: dict[str, Any]) -> Path:
    path = tmp_path / "spec.json"
    path.write_text(json.dumps({"openapi": "3.0.3", "info": {"title": "T", "version": "1"},
                                "servers": [{"url": "https://api.example.com/t"}], "security": security,
                                "components": {"securitySchemes": schemes}, "paths": paths}), encoding="utf-8")
    return path


def op(**extra: Any) -> dict[str, Any]:
    return {"responses": {"200": {"description": "ok"}}, **extra}


def emitted(path: Path, settings: dict[str, Any], tmp_path: Path) -> tuple[dict[str, Any] | None, list[str]]:
    file = tmp_path / "settings.yaml"
    file.write_text(yaml.safe_dump(settings), encoding="utf-8")
    conversion = convert(path, "akamai", EmitOptions(akamai_settings=file, **IDENTITY))
    found = [f for f in conversion.payload.files if f.name == "akamai-settings.json"]
    messages = [f"{d.code.name} {d.pointer}: {d.message}" for d in conversion.payload.report.items]
    return (json.loads(found[0].text) if found else None), messages


BEARER = {"jwt": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}}
KEYED = {"key": {"type": "apiKey", "in": "header", "name": "X-Key"}}


def test_no_settings_file_no_settings(tmp_path: Path) -> None:
    conversion = convert(spec(tmp_path, BEARER, [{"jwt": []}], {"/a": {"get": op()}}), "akamai",
                         EmitOptions(**IDENTITY))
    assert [f.name for f in conversion.payload.files] == ["akamai.json"]


def test_jwt_from_a_bearer_scheme_with_the_files_key(tmp_path: Path) -> None:
    document, messages = emitted(spec(tmp_path, BEARER, [{"jwt": []}], {"/a": {"get": op()},
                                                                          "/b": {"get": op(security=[])}}),
                                 {"jwt": {"rsaPublicKey": KEY}}, tmp_path)
    assert document is not None
    assert document["jwt"] == {"enabled": True, "resources": {"/a": {"enabled": True}, "/b": {"enabled": False}},
                               "settings": {"location": "HEADER", "paramName": "Authorization", "clockSkew": 10,
                                            "validation": {"claims": [], "rsaPublicKeyA": KEY}}}
    assert not [m for m in messages if m.startswith("SECURITY_SCHEME_UNSUPPORTED")]


def test_jwt_without_a_key_is_reported_and_not_set(tmp_path: Path) -> None:
    document, messages = emitted(spec(tmp_path, BEARER, [{"jwt": []}], {"/a": {"get": op()}}), {}, tmp_path)
    assert document is not None and "jwt" not in document
    assert any("Akamai validates JWTs with an RSA public key, and the settings file gives none" in m
               for m in messages)


def test_oauth_scopes_are_reported_as_not_held(tmp_path: Path) -> None:
    oauth = {"o": {"type": "oauth2", "flows": {"clientCredentials": {"tokenUrl": "https://t.example.com",
                                                                        "scopes": {"read": "r"}}}}}
    _, messages = emitted(spec(tmp_path, oauth, [{"o": ["read"]}], {"/a": {"get": op()}}),
                          {"jwt": {"rsaPublicKey": KEY}}, tmp_path)
    (lost,) = [m for m in messages if "becomes Akamai JWT validation" in m]
    assert "flow clientCredentials" in lost and "required scopes read" in lost


def test_privacy_from_api_keys_security_none_and_the_extension(tmp_path: Path) -> None:
    paths = {"/open": {"get": op(security=[])}, "/closed": {"get": op()},
             "/marked": {"get": op(**{"x-akamai-public": True})},
             "/mixed": {"get": op(security=[]), "post": op()}}
    document, messages = emitted(spec(tmp_path, KEYED, [{"key": []}], paths), {}, tmp_path)
    assert document is not None
    assert document["api-privacy"] == {"public": False, "resources": {
        "/open": {"public": True}, "/closed": {"public": False}, "/marked": {"public": True},
        "/mixed": {"public": False}}}
    assert any("resource '/mixed': methods GET need no API key" in m for m in messages)
    assert not [m for m in messages if "x-akamai-public is not carried over" in m]


def test_settings_file_members_are_checked_against_akamais_schema(tmp_path: Path) -> None:
    path = spec(tmp_path, KEYED, [], {"/a": {"get": op()}})
    with pytest.raises(UsageError, match=r"settings.yaml: /gzip: .*SOMETIMES"):
        emitted(path, {"gzip": {"compressResponse": "SOMETIMES"}}, tmp_path)
    with pytest.raises(UsageError, match=r"/cache/resources/~?/nope: no resource with this path"):
        emitted(path, {"cache": {"resources": {"/nope": {"option": "CACHE"}}}}, tmp_path)
    with pytest.raises(UsageError, match=r"settings.yaml: /: Additional properties.*'colour'"):
        emitted(path, {"colour": "blue"}, tmp_path)
    bearer = spec(tmp_path, BEARER, [{"jwt": []}], {"/a": {"get": op()}})
    with pytest.raises(UsageError, match=r"settings.yaml: /jwt: .*claims/0: 'required' is a required property"):
        emitted(bearer, {"jwt": {"rsaPublicKey": KEY, "claims": [{"name": "iss", "type": "STRING"}]}}, tmp_path)


def test_cli_bad_settings_file_is_one_line_exit_2(tmp_path: Path) -> None:
    path = spec(tmp_path, KEYED, [], {"/a": {"get": op()}})
    bad = tmp_path / "bad.yaml"
    bad.write_text("jwt: {rsaPublicKey: {file: missing.pub}}\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["convert", str(path), "--to", "akamai", "--akamai-settings", str(bad),
                                       "--host", "api.example.com", "--contract-id", "C-1", "--group-id", "1"])
    assert result.exit_code == 2, result.output
    (line,) = result.output.strip().splitlines()
    assert "--akamai-settings" in line and "/jwt/rsaPublicKey/file: cannot read" in line
