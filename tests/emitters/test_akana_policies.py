"""Akana policies: the spec's security schemes become the organisation's policy keys through the
profile's mapping (``akana_policies`` / ``--akana-policy``), written into ``APIVersion.Policies.
Policy[]`` as seed 003's sample request #1 writes them; every scheme without a mapping is reported."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from migrate.cli import main
from migrate.core.diagnostics import Code
from migrate.core.errors import EmitError
from migrate.core.model import Api, Operation, Resource, SecurityScheme, Server
from migrate.emitters.base import EmitOptions, Payload, emit
from tests.testsupport import SAMPLES

SCHEMES = [
    SecurityScheme("key", "apiKey", location="header", param_name="X-Key", pointer="/components/securitySchemes/key"),
    SecurityScheme("oauth", "oauth2", flows={"clientCredentials": {}}, pointer="/components/securitySchemes/oauth"),
    SecurityScheme("basic", "http", scheme="Basic", pointer="/components/securitySchemes/basic"),
]


def _api(security: list[dict[str, list[str]]] | None = None) -> Api:
    return Api(title="Pets", version="1", servers=[Server(url="https://backend.example.com")],
               resources=[Resource("/pets", pointer="/paths/~1pets", operations=[
                   Operation("GET", operation_id="list", pointer="/paths/~1pets/get")])],
               security_schemes=list(SCHEMES), security=security or [])


def _emit(api: Api, *entries: str, fmt: str = "json") -> Payload:
    return emit(api, "akana", EmitOptions(akana_policies=entries, akana_format=fmt))


def _policies(payload: Payload) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = payload.main().document["APIVersion"]["Policies"]["Policy"]
    return found


def _at(payload: Payload, code: Code) -> list[str]:
    return [d.pointer or "" for d in payload.report.items if d.code == code]


def test_mapped_schemes_become_operational_policies_in_scheme_order() -> None:
    payload = _emit(_api(), "oauth2=10001-OAuth", "apiKey=10001-acmeApplicationSecurityPolicy")
    # seed 003:143-158: {"PolicyKey": ..., "PolicyType": "Operational Policy"}
    assert _policies(payload) == [
        {"PolicyKey": "10001-acmeApplicationSecurityPolicy", "PolicyType": "Operational Policy"},
        {"PolicyKey": "10001-OAuth", "PolicyType": "Operational Policy"},
    ]
    assert _at(payload, Code.SECURITY_POLICY_MAPPED) == ["/components/securitySchemes/key",
                                                         "/components/securitySchemes/oauth"]
    unmapped = [d for d in payload.report.items if d.code == Code.SECURITY_SCHEME_UNSUPPORTED]
    assert [d.pointer for d in unmapped] == ["/components/securitySchemes/basic"]
    # the true reason and how to map it: by kind (http-basic) or by name
    assert "maps no policy" in unmapped[0].message and "http-basic" in unmapped[0].message
    assert "basic = " in unmapped[0].message


def test_a_scheme_name_wins_over_its_kind_and_keys_are_written_once() -> None:
    payload = _emit(_api(), "key=NAMED", "apiKey=BY-KIND", "http-basic=NAMED", "oauth2=NAMED")
    assert [p["PolicyKey"] for p in _policies(payload)] == ["NAMED"]
    assert _at(payload, Code.SECURITY_SCHEME_UNSUPPORTED) == []


def test_the_first_entry_for_a_key_wins() -> None:
    """The command line's entries come before the profile's (the push client appends those)."""
    payload = _emit(_api(), "apiKey=FROM-CLI", "apiKey=FROM-PROFILE")
    assert [p["PolicyKey"] for p in _policies(payload)] == ["FROM-CLI"]


def test_no_mapping_no_policy_and_every_scheme_reported() -> None:
    payload = _emit(_api())
    assert _policies(payload) == []
    assert _at(payload, Code.SECURITY_SCHEME_UNSUPPORTED) == [s.pointer for s in SCHEMES]
    assert _at(payload, Code.SECURITY_POLICY_MAPPED) == []


def test_the_xml_form_carries_the_same_policies() -> None:
    payload = _emit(_api(), "apiKey=10001-App", fmt="xml")
    assert "<PolicyKey>10001-App</PolicyKey>" in payload.main().text
    assert "<PolicyType>Operational Policy</PolicyType>" in payload.main().text


def test_default_requirement_carried_only_when_one_set_of_mapped_schemes() -> None:
    mapped = _emit(_api([{"key": []}]), "apiKey=A")
    assert "/security" not in _at(mapped, Code.SECURITY_SCHEME_UNSUPPORTED)
    unmapped = _emit(_api([{"basic": []}]), "apiKey=A")
    assert "/security" in _at(unmapped, Code.SECURITY_SCHEME_UNSUPPORTED)
    alternatives = _emit(_api([{"key": []}, {"oauth": []}]), "apiKey=A", "oauth2=B")
    reason = [d.message for d in alternatives.report.items if d.pointer == "/security"]
    assert len(reason) == 1 and "alternatives" in reason[0]


@pytest.mark.parametrize("entry", ["apiKey", "=X", "apiKey=", " = "])
def test_a_malformed_entry_is_a_clear_error(entry: str) -> None:
    with pytest.raises(EmitError, match="SCHEME=POLICYKEY"):
        _emit(_api(), entry)


def test_the_cli_names_the_option_as_typed_and_exits_2(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["convert", str(SAMPLES / "petstore-swagger2.yaml"), "--to", "akana",
                                       "-o", str(tmp_path), "--akana-policy", "apiKey"])
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [
        "api-migrate: akana: --akana-policy 'apiKey': write SCHEME=POLICYKEY, for example "
        "apiKey=10001-ApplicationSecurityPolicy (akana_policies in the profile)"]
    mapped = CliRunner().invoke(main, ["convert", str(SAMPLES / "petstore-swagger2.yaml"), "--to", "akana",
                                       "-o", str(tmp_path), "--akana-policy", "apiKey=10001-App"])
    assert mapped.exit_code == 0
    keys = [p["PolicyKey"] for p in json.loads((tmp_path / "akana.json").read_text())["APIVersion"]["Policies"]
            ["Policy"]]
    assert keys == ["10001-App"]


def test_import_mode_says_the_mapping_is_not_applied() -> None:
    payload = emit(_api(), "akana", EmitOptions(akana_mode="import", akana_policies=("apiKey=A",),
                                                akana_sandbox_url="https://sb.example.com"))
    messages = [d.message for d in payload.report.items if d.pointer == ""]
    assert any("policy mapping" in m and "not applied" in m for m in messages)
    assert any("--akana-sandbox-url" in m for m in messages)
    assert "akana-implementations.json" not in {f.name for f in payload.files}


def test_a_mapping_key_that_names_nothing_is_pointed_out() -> None:
    """Review finding: --akana-policy api_key=... for a scheme named apiKeyHeader was ignored
    without a word."""
    payload = emit(_petstore(), "akana", EmitOptions(akana_policies=("api_key=10001-Pol", "oauth2=10001-OAuth")))
    lost = [d.message for d in payload.report
            if d.code is Code.SECURITY_SCHEME_UNSUPPORTED and d.message.startswith("security scheme")]
    assert len(lost) == 2 and all("the mapping's 'api_key' names no scheme of this spec and no kind" in m for m in lost)
    assert not any("'oauth2' names no scheme" in m for m in lost)  # a kind is never a stray


def _petstore() -> Api:
    from migrate.readers import read_spec

    return read_spec(SAMPLES / "petstore-swagger2.yaml")
