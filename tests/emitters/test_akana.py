"""Akana legacy body: mapping of the model to the seed-003 structure (hand-built Api objects)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from migrate.core.errors import EmitError
from migrate.core.model import Api, Content, Operation, Parameter, RequestBody, Resource, Response, Server
from migrate.emitters.base import EmitOptions, emit


def _api(**kwargs: Any) -> Api:
    base: dict[str, Any] = {
        "title": "Pets",
        "version": "2.1",
        "description": "All the pets",
        "servers": [Server(url="https://api.example.com/v1")],
        "resources": [Resource("/pets/{petId}", pointer="/paths/~1pets~1{petId}", operations=[
            Operation("GET", operation_id="getPet", pointer="/paths/~1pets~1{petId}/get", parameters=[
                Parameter("petId", "path", required=True),
                Parameter("verbose", "query"),
                Parameter("X-Trace", "header"),
            ]),
        ])],
    }
    base.update(kwargs)
    return Api(**base)


def _doc(api: Api, **options: Any) -> dict[str, Any]:
    doc: dict[str, Any] = emit(api, "akana", EmitOptions(**options)).main().document
    return doc


def _ops(doc: dict[str, Any]) -> list[dict[str, Any]]:
    ops: list[dict[str, Any]] = doc["APIVersion"]["Operations"]["Operation"]
    return ops


def test_top_level_fields_follow_the_seed() -> None:
    doc = _doc(_api(tags=["pets"]))
    # seed 003 request #1: tags only in APIVersion (the API object's Tag is "used only in response messages")
    assert list(doc) == ["Name", "Description", "Visibility", "APIVersion"]
    # Visibility: seed 003 shows Public and registered users; the least exposure is the default
    assert (doc["Name"], doc["Description"], doc["Visibility"]) == ("Pets", "All the pets",
                                                                    "com.soa.visibility.registered.users")
    version = doc["APIVersion"]
    assert version["Name"] == "2.1"
    assert version["Type"] == "shttp" and version["TargetAPI"]["Type"] == "shttp"
    assert version["DefaultProfile"] == "Any in and out"
    assert version["Policies"] == {"Policy": []}
    assert version["Tag"] == ["pets"]


def test_operation_carries_name_method_path_and_inputs() -> None:
    (op,) = _ops(_doc(_api()))
    assert list(op) == ["Method", "Path", "Input", "InputContentType", "OutputContentType",
                        "FaultContentType", "Name"]
    assert (op["Name"], op["Method"], op["Path"]) == ("getPet", "GET", "/pets/{petId}")
    assert op["Input"] == [{"Name": "petId", "Type": "path"}, {"Name": "verbose", "Type": "query"},
                           {"Name": "X-Trace", "Type": "header"}]
    assert (op["InputContentType"], op["OutputContentType"], op["FaultContentType"]) == ("*/*",) * 3


def test_target_api_repeats_operations() -> None:
    doc = _doc(_api())
    assert doc["APIVersion"]["TargetAPI"]["Operations"] == doc["APIVersion"]["Operations"]


def test_content_types_from_request_success_and_error_responses() -> None:
    op = Operation("POST", operation_id="add",
                   request_body=RequestBody(contents=[Content("application/xml")]),
                   responses=[Response("201", contents=[Content("application/json")]),
                              Response("default", contents=[Content("application/problem+json")])])
    (out,) = _ops(_doc(_api(resources=[Resource("/pets", operations=[op])])))
    assert out["InputContentType"] == "application/xml"
    assert out["OutputContentType"] == "application/json"
    assert out["FaultContentType"] == "application/problem+json"


def test_several_media_types_widen_to_any() -> None:
    op = Operation("POST", operation_id="add", request_body=RequestBody(
        contents=[Content("application/json"), Content("application/xml")]))
    payload = emit(_api(resources=[Resource("/pets", operations=[op])]), "akana")
    assert _ops(payload.main().document)[0]["InputContentType"] == "*/*"
    assert "MEDIA_TYPE_MAPPED" in payload.report.by_code()


def test_missing_and_duplicate_operation_ids_are_made_unique() -> None:
    resources = [Resource("/a", operations=[Operation("GET"), Operation("POST", operation_id="x")]),
                 Resource("/b", operations=[Operation("GET", operation_id="x")])]
    names = [op["Name"] for op in _ops(_doc(_api(resources=resources)))]
    assert names == ["getA", "x", "x_2"]


def test_operation_names_are_made_xml_safe() -> None:
    resources = [Resource("/a", operations=[Operation("GET", operation_id="pets/list all"),
                                            Operation("PUT", operation_id="1st")])]
    payload = emit(_api(resources=resources), "akana")
    assert [op["Name"] for op in _ops(payload.main().document)] == ["pets_list_all", "_1st"]
    assert payload.report.by_code()["OPERATION_ID_RENAMED"] == 2


def test_unsupported_method_is_left_out_and_reported() -> None:
    resources = [Resource("/a", operations=[Operation("TRACE", operation_id="t"),
                                            Operation("GET", operation_id="g")])]
    payload = emit(_api(resources=resources), "akana")
    assert [op["Method"] for op in _ops(payload.main().document)] == ["GET"]
    assert payload.report.by_code()["METHOD_UNSUPPORTED"] == 1


def test_proxy_endpoint_comes_from_the_options_never_from_the_backend() -> None:
    payload = emit(_api(), "akana", EmitOptions(akana_endpoint="https://gw.example.com/pets",
                                                akana_zone_rule="8c06bf74-default-http0"))
    version = payload.main().document["APIVersion"]
    assert version["Endpoints"]["Endpoint"] == [{"Uri": "https://gw.example.com/pets", "Category": "Production",
                                                 "CName": "gw.example.com",
                                                 "DeploymentZoneRule": "8c06bf74-default-http0"}]
    assert version["ProductionEndpoint"] == "https://gw.example.com/pets"
    assert version["TargetAPI"]["Endpoints"]["Endpoint"] == [{"Uri": "https://api.example.com/v1",
                                                              "Category": "Production"}]
    assert "SERVER_DROPPED" not in payload.report.by_code()


def test_cname_option_wins_over_the_endpoint_host() -> None:
    doc = _doc(_api(), akana_endpoint="http://10.0.0.5:9900/pets", akana_cname="www.acme.example")
    assert doc["APIVersion"]["Endpoints"]["Endpoint"][0]["CName"] == "www.acme.example"


def test_without_proxy_options_no_proxy_endpoint_and_a_report() -> None:
    payload = emit(_api(), "akana")
    version = payload.main().document["APIVersion"]
    assert version["Endpoints"] == {"Endpoint": []}
    assert "ProductionEndpoint" not in version and version["SandboxEndpoint"] is None
    assert _backend_only_in_target(version)
    (said,) = [d for d in payload.report if d.code.name == "PROXY_ENDPOINT_MISSING"]
    assert said.pointer == "" and "no proxy endpoint" in said.message and "--akana-endpoint" in said.message
    assert not payload.report.failed()


def _backend_only_in_target(version: dict[str, Any]) -> bool:
    outside = {k: v for k, v in version.items() if k != "TargetAPI"}
    return "api.example.com" not in str(outside) and "api.example.com" in str(version["TargetAPI"])


@pytest.mark.parametrize("options", [EmitOptions(akana_cname="gw.example.com"),
                                     EmitOptions(akana_endpoint="/relative", akana_zone_rule="z")])
def test_cname_or_zone_without_an_absolute_endpoint_is_reported(options: EmitOptions) -> None:
    payload = emit(_api(), "akana", options)
    assert payload.main().document["APIVersion"]["Endpoints"] == {"Endpoint": []}
    (said,) = [d for d in payload.report if d.code.name == "PROXY_ENDPOINT_MISSING"]
    assert "not used" in said.message


def test_later_servers_are_reported_as_left_out_backends() -> None:
    servers = [Server(url="https://api.example.com/v1"), Server(url="https://sandbox.example.com/v1")]
    payload = emit(_api(servers=servers), "akana")
    dropped = [d.pointer for d in payload.report if d.code.name == "SERVER_DROPPED"]
    assert dropped == ["/servers/1"] and "PROXY_ENDPOINT_MISSING" in payload.report.by_code()


def test_sandbox_is_null_when_absent() -> None:
    assert _doc(_api())["APIVersion"]["SandboxEndpoint"] is None


def test_target_api_endpoint_from_option_or_server() -> None:
    from_server = _doc(_api())["APIVersion"]["TargetAPI"]["Endpoints"]["Endpoint"]
    assert from_server == [{"Uri": "https://api.example.com/v1", "Category": "Production"}]
    from_option = _doc(_api(), target_url="http://backend.internal:8080/pets")
    assert from_option["APIVersion"]["TargetAPI"]["Endpoints"]["Endpoint"] == [
        {"Uri": "http://backend.internal:8080/pets", "Category": "Production"}]


def test_import_mode_reports_endpoint_options_it_cannot_carry() -> None:
    payload = emit(_api(), "akana", EmitOptions(akana_mode="import", akana_endpoint="https://gw.example.com/p"))
    (said,) = [d for d in payload.report if d.code.name == "SERVER_DROPPED" and d.pointer == ""]
    assert "--akana-endpoint is not used" in said.message


def test_relative_server_gives_no_endpoint_and_an_error() -> None:
    payload = emit(_api(servers=[Server(url="/v1")]), "akana")
    version = payload.main().document["APIVersion"]
    assert version["Endpoints"]["Endpoint"] == [] and version["TargetAPI"]["Endpoints"]["Endpoint"] == []
    codes = payload.report.by_code()
    assert codes["SERVER_DROPPED"] == codes["PROXY_ENDPOINT_MISSING"] == codes["MISSING_REQUIRED_FIELD"] == 1
    assert payload.report.failed()


def test_missing_version_is_defaulted_and_reported() -> None:
    payload = emit(_api(version=None), "akana")
    assert payload.main().document["APIVersion"]["Name"] == "1.0"
    assert payload.report.by_code()["VERSION_DEFAULTED"] == 1


def test_operation_tags_join_api_tags_in_first_seen_order() -> None:
    resources = [Resource("/a", operations=[Operation("GET", operation_id="a", tags=["b", "a"])])]
    assert _doc(_api(tags=["a"], resources=resources))["APIVersion"]["Tag"] == ["a", "b"]


def test_output_is_deterministic_and_ends_with_newline() -> None:
    first = emit(_api(), "akana").main().text
    assert first == emit(_api(), "akana").main().text
    assert first.endswith("}\n") and '\n  "Name"' in first


def test_file_names_and_media_types() -> None:
    assert (emit(_api(), "akana").main().name, emit(_api(), "akana").main().media_type) == (
        "akana.json", "application/json")
    xml = emit(_api(), "akana", EmitOptions(akana_format="xml")).main()
    assert (xml.name, xml.media_type) == ("akana.xml", "application/xml")


@pytest.mark.parametrize("options", [EmitOptions(akana_format="yaml"), EmitOptions(akana_mode="bulk"),
                                     EmitOptions(akana_mode="import", akana_format="xml")])
def test_bad_options_are_emit_errors(options: EmitOptions) -> None:
    with pytest.raises(EmitError):
        emit(_api(), "akana", options)


def test_user_defaults_template_overrides_builtin(tmp_path: Path) -> None:
    (tmp_path / "akana").mkdir()
    (tmp_path / "akana" / "defaults.j2").write_text(
        '{% set visibility = "com.soa.visibility.registered.users" %}\n'
        '{% set api_type = "shttp" %}\n{% set default_profile = "Strict" %}\n'
        '{% set policies = [{"PolicyKey": "10001-DetailedAuditing", "PolicyType": "Operational Policy"}] %}\n'
        '{% set target_policies = [] %}\n{% set resource_level_permissions_supported = true %}\n'
        '{% set production_anonymous_access_allowed = true %}\n{% set sandbox_anonymous_access_allowed = true %}\n'
        '{% set production_endpoint_access_auto_approved = false %}\n'
        '{% set sandbox_endpoint_access_auto_approved = false %}\n{% set xml_namespace = "urn:x" %}\n')
    doc = _doc(_api(), templates_dir=tmp_path)
    version = doc["APIVersion"]
    assert doc["Visibility"] == "com.soa.visibility.registered.users"
    assert version["DefaultProfile"] == "Strict" and version["TargetAPI"]["DefaultProfile"] == "Strict"
    assert version["Policies"]["Policy"] == [{"PolicyKey": "10001-DetailedAuditing",
                                              "PolicyType": "Operational Policy"}]
    assert version["ProductionEndpointAccessAutoApproved"] is False
    root = emit(_api(), "akana", EmitOptions(akana_format="xml", templates_dir=tmp_path)).main().document
    assert root.tag == "{urn:x}API"


def test_user_body_template_overrides_builtin(tmp_path: Path) -> None:
    (tmp_path / "akana").mkdir()
    (tmp_path / "akana" / "api.json.j2").write_text('{"Name": {{ name | tojson }}, "Custom": true}\n')
    assert _doc(_api(), templates_dir=tmp_path) == {"Name": "Pets", "Custom": True}


def test_broken_user_template_is_an_emit_error(tmp_path: Path) -> None:
    (tmp_path / "akana").mkdir()
    (tmp_path / "akana" / "api.json.j2").write_text('{"Name": {{ name }}\n')
    with pytest.raises(EmitError, match="does not parse"):
        emit(_api(), "akana", EmitOptions(templates_dir=tmp_path))


def test_json_text_is_canonical_two_space_form() -> None:
    import json

    for api in (_api(), _api(servers=[]), _api(tags=["a", "b"], servers=[
            Server(url="https://a.example"), Server(url="https://sandbox.example")])):
        main = emit(api, "akana").main()
        assert main.text == json.dumps(main.document, indent=2, ensure_ascii=False) + "\n"


def test_emit_does_not_mutate_the_input() -> None:
    import copy

    resources = [Resource("/a", operations=[Operation("GET", operation_id="a b"), Operation("POST")])]
    api = _api(resources=resources)
    before = copy.deepcopy(api)
    emit(api, "akana")
    emit(api, "akana", EmitOptions(akana_format="xml"))
    assert api == before


def test_exposure_is_least_by_default_and_said_and_the_organisation_decides() -> None:
    """Issue 11: bodies used to default to Visibility Public with access auto-approved, unannounced."""
    from migrate.conversion.run import convert
    from migrate.emitters.base import EmitOptions
    from tests.testsupport import SAMPLES

    spec = SAMPLES / "orders-openapi30.yaml"
    default = convert(spec, "akana")
    body = default.payload.main().document
    assert body["Visibility"] == body["APIVersion"]["Visibility"] == "com.soa.visibility.registered.users"
    assert body["APIVersion"]["ProductionEndpointAccessAutoApproved"] is False
    assert body["APIVersion"]["SandboxEndpointAccessAutoApproved"] is False
    assert any(d.code.name == "VALUE_FILLED" and "--akana-visibility" in d.message for d in default.diagnostics)
    chosen = convert(spec, "akana", EmitOptions(akana_visibility="Public", akana_auto_approve="yes"))
    body = chosen.payload.main().document
    assert body["Visibility"] == "Public" and body["APIVersion"]["ProductionEndpointAccessAutoApproved"] is True
    assert not any("--akana-visibility" in d.message for d in chosen.diagnostics)


def test_the_profile_sets_exposure_as_the_options_would(tmp_path: Path) -> None:
    from migrate.emitters.base import EmitOptions
    from migrate.push.clients import client_for

    config = tmp_path / "c.toml"
    config.write_text('[profiles.a]\nvendor = "akana"\nbase_url = "http://127.0.0.1:9/api"\nemail = "e"\n'
                      'password = "p"\nfedmemberid = "f"\nakana_visibility = "Public"\nakana_auto_approve = true\n')
    options = client_for("akana", config, "a").emit_options(EmitOptions())
    assert (options.akana_visibility, options.akana_auto_approve) == ("Public", "yes")
    kept = client_for("akana", config, "a").emit_options(EmitOptions(akana_auto_approve="no"))
    assert kept.akana_auto_approve == "no"  # the command line wins over the profile
