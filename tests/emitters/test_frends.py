"""Frends emitter: import document (OpenAPI 3.0.3) steps, passthrough bodies, golden files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from openapi_spec_validator import OpenAPIV30SpecValidator

from migrate.core.diagnostics import Code, Report
from migrate.core.errors import EmitError
from migrate.core.model import Api, Content, Operation, Property, Resource, Response, Schema, Server, Source
from migrate.emitters.base import EmitOptions, Payload, emit
from migrate.emitters.frends.steps import base_path_server, concrete_response_codes, literal_properties
from migrate.readers import read_spec
from tests.emitters.test_openapi_emit_samples import SAMPLE_FILES, compare_golden, sample_stem
from tests.testsupport import SAMPLES


def api_with(*responses: Response, **extra: Any) -> Api:
    op = Operation("GET", responses=list(responses), pointer="/op")
    return Api(title="T", version="1", resources=[Resource("/a/{id}", operations=[op])], **extra)


def run(api: Api, options: EmitOptions | None = None) -> Payload:
    payload = emit(api, "frends", options or EmitOptions())
    assert [e.message for e in OpenAPIV30SpecValidator(payload.main().document).iter_errors()] == []
    return payload


@pytest.mark.parametrize(("statuses", "expected"), [
    (["default"], ["200"]),
    (["200", "default"], ["200", "500"]),
    (["4XX", "400"], ["401", "400"]),
    (["2XX", "5XX", "default"], ["200", "500", "501"]),
])
def test_response_codes_become_concrete(statuses: list[str], expected: list[str]) -> None:
    report = Report()
    out = concrete_response_codes(api_with(*(Response(s, pointer=f"/r/{s}") for s in statuses)), report)
    assert [r.status for r in out.resources[0].operations[0].responses] == expected
    assert [d.code for d in report] == [Code.RESPONSE_CODE_NORMALIZED] * sum(not s.isdigit() for s in statuses)


def test_top_level_one_of_gets_literal_properties() -> None:
    a = Schema(type="object", properties=[Property("x", Schema(type="string"), True)])
    b = Schema(type="object", properties=[Property("y", Schema(type="integer"), True),
                                          Property("x", Schema(type="number"))])
    api = api_with(schemas={"A": a, "AB": Schema(alternatives=[Schema(ref="A"), b], combinator="oneOf",
                                                 pointer="/s/AB")})
    report = Report()
    out = literal_properties(api, report).schemas["AB"]
    assert (out.type, out.alternatives) == ("object", [])
    assert [(p.name, p.schema.type, p.required) for p in out.properties] == [("x", "string", False),
                                                                              ("y", "integer", False)]
    assert [(d.code, d.pointer) for d in report] == [(Code.SCHEMA_FEATURE_DROPPED, "/s/AB")]
    assert api.schemas["AB"].alternatives  # the input is not mutated


def test_top_level_all_of_in_a_body_is_flattened_with_required_union() -> None:
    body = Schema(combinator="allOf", pointer="/body", alternatives=[
        Schema(type="object", properties=[Property("x", Schema(type="string"), True)]),
        Schema(type="object", properties=[Property("y", Schema(type="string"))])])
    report = Report()
    out = literal_properties(api_with(Response("200", contents=[Content("application/json", body)])), report)
    schema = out.resources[0].operations[0].responses[0].contents[0].schema
    assert schema is not None
    assert [(p.name, p.required) for p in schema.properties] == [("x", True), ("y", False)]
    assert [(d.code, d.pointer) for d in report] == [(Code.ALLOF_FLATTENED, "/body")]


def test_steps_leave_the_input_model_as_it_was_and_shared_nodes_shared() -> None:
    """The steps copy only what they change (not the whole model): the input keeps its status
    codes and body schemas, a response the model holds in two operations is changed once (as
    before, when the whole model was deep-copied), and untouched schemas are not copied."""
    body = Schema(combinator="allOf", pointer="/body", alternatives=[
        Schema(type="object", properties=[Property("x", Schema(type="string"), True)])])
    shared = Response("default", contents=[Content("application/json", body)], pointer="/r/default")
    named = Schema(type="object", properties=[Property("z", Schema(type="string"))])
    ops = [Operation("GET", responses=[shared], pointer="/get"), Operation("PUT", responses=[shared], pointer="/put")]
    api = Api(title="T", version="1", resources=[Resource("/a", operations=ops)], schemas={"N": named})
    report = Report()
    out = literal_properties(concrete_response_codes(api, report), report)
    get, put = out.resources[0].operations
    assert get.responses[0] is put.responses[0] and get.responses[0].status == "200"
    flattened = get.responses[0].contents[0].schema
    assert flattened is not None and (flattened.alternatives, [p.name for p in flattened.properties]) == ([], ["x"])
    assert [d.code for d in report] == [Code.RESPONSE_CODE_NORMALIZED, Code.ALLOF_FLATTENED]
    assert (shared.status, shared.contents[0].schema) == ("default", body) and body.alternatives
    assert out.schemas["N"] is named and out.schemas is not api.schemas


def test_scalar_alternatives_are_left_alone() -> None:
    api = api_with(schemas={"S": Schema(alternatives=[Schema(type="string"), Schema(type="integer")])})
    report = Report()
    assert literal_properties(api, report).schemas["S"].alternatives and len(report) == 0


def test_server_url_becomes_the_base_path() -> None:
    api = api_with(servers=[Server("https://h.example/v1", base_path="/v1"), Server("https://b.example/v2",
                                                                                    base_path="/v2")],
                   source=Source("openapi", "3.0.3"))
    report = Report()
    out = base_path_server(api, report)
    assert [(s.url, s.base_path) for s in out.servers] == [("/v1", "/v1")]
    assert [(d.code, d.pointer) for d in report] == [(Code.SERVER_DROPPED, "/servers/1"),
                                                     (Code.SERVER_DROPPED, "/servers/0"),
                                                     (Code.BASE_PATH_FIXED, "/servers/0")]
    assert "server 'https://h.example/v1' is carried as its base path '/v1' only" in report.items[1].message


def test_document_has_unique_ids_and_concrete_codes() -> None:
    payload = run(api_with(Response("default", "d")))
    op = payload.main().document["paths"]["/a/{id}"]["get"]
    assert op["operationId"] == "getAById" and list(op["responses"]) == ["200"]
    assert payload.main().document["servers"] == [{"url": "/"}]
    assert payload.main().name == "frends-openapi.json" and len(payload.files) == 1
    assert Code.BASE_PATH_FIXED in [d.code for d in payload.report]


def test_passthrough_bodies_one_per_operation() -> None:
    payload = run(api_with(Response("200")), EmitOptions(passthrough_target="https://backend.example/api/?k=1"))
    assert [f.name for f in payload.files] == ["frends-openapi.json", "frends-passthrough.json"]
    assert payload.files[1].document == [{
        "path": "/a/{id}", "method": "GET", "isDefault": False, "corsEnabled": False, "allowedOrigins": [],
        "targetUrl": {"server": "https://backend.example", "basePath": "/api", "operationPath": "/a/{id}",
                      "query": "k=1"},
        "headers": []}]


def test_passthrough_target_must_be_absolute() -> None:
    with pytest.raises(EmitError):
        emit(api_with(Response("200")), "frends", EmitOptions(passthrough_target="backend/api"))


def test_deterministic_and_template_override(tmp_path: Path) -> None:
    api = api_with(Response("4XX"))
    assert emit(api, "frends").main().text == emit(api, "frends").main().text
    (tmp_path / "frends").mkdir()
    (tmp_path / "frends" / "openapi.json.j2").write_text(
        '{ {% for key, value in sections %}{{ key | tojson }}: {{ value | tojson }}, {% endfor %}'
        '"x-frends": true }')
    doc = run(api, EmitOptions(templates_dir=tmp_path)).main().document
    assert doc["x-frends"] is True and doc["openapi"] == "3.0.3"


@pytest.mark.parametrize("sample", SAMPLE_FILES)
def test_sample_golden_and_valid(sample: str) -> None:
    payload = run(read_spec(SAMPLES / sample), EmitOptions(passthrough_target="https://backend.example.com/base"))
    compare_golden(payload, "frends", sample_stem(sample))
