"""OpenAPI 3.0.3 emitter: mapping per restriction/type, diagnostics, determinism, template override."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from openapi_spec_validator import OpenAPIV30SpecValidator

from migrate.core.diagnostics import Code, Severity
from migrate.core.model import (
    Api,
    Content,
    Operation,
    Parameter,
    Property,
    RequestBody,
    Resource,
    Response,
    Restrictions,
    Schema,
    SecurityScheme,
    Server,
    Xml,
)
from migrate.emitters.base import EmitOptions, Payload, emit


def one_op(*params: Parameter, path: str = "/items", method: str = "GET", **op: Any) -> Api:
    op.setdefault("responses", [Response("200", description="ok")])
    return Api(title="T", version="1", resources=[
        Resource(path, operations=[Operation(method, parameters=list(params), pointer="/op", **op)])])


def run(api: Api, options: EmitOptions | None = None) -> Payload:
    payload = emit(api, "openapi", options or EmitOptions())
    errors = [e.message for e in OpenAPIV30SpecValidator(payload.main().document).iter_errors()]
    assert errors == []
    return payload


def doc_of(api: Api) -> dict[str, Any]:
    return run(api).main().document


def codes(payload: Payload) -> list[str]:
    return [d.code.name for d in payload.report]


def param_schema(api: Api, index: int = 0) -> dict[str, Any]:
    op = next(iter(doc_of(api)["paths"].values()))["get"]
    return op["parameters"][index]["schema"]


@pytest.mark.parametrize(("restrictions", "expected"), [
    (Restrictions(min_length=2, max_length=5), {"minLength": 2, "maxLength": 5}),
    (Restrictions(minimum=1, maximum=9), {"minimum": 1, "maximum": 9}),
    (Restrictions(minimum=0, exclusive_minimum=True), {"minimum": 0, "exclusiveMinimum": True}),
    (Restrictions(maximum=2.5, exclusive_maximum=True), {"maximum": 2.5, "exclusiveMaximum": True}),
    (Restrictions(multiple_of=0.5), {"multipleOf": 0.5}),
    (Restrictions(pattern="^a+$"), {"pattern": "^a+$"}),
    (Restrictions(enum=["a", "b"]), {"enum": ["a", "b"]}),
    (Restrictions(format="uuid"), {"format": "uuid"}),
])
def test_scalar_parameter_restrictions(restrictions: Restrictions, expected: dict[str, Any]) -> None:
    schema = param_schema(one_op(Parameter("q", "query", type="number", restrictions=restrictions)))
    assert schema == {"type": "number", **expected}


def test_array_parameter_splits_item_and_array_restrictions() -> None:
    r = Restrictions(max_length=3, enum=["x", "y"], min_items=1, max_items=4, unique_items=True)
    schema = param_schema(one_op(Parameter("q", "query", array=True, restrictions=r, default=["x"])))
    assert schema == {"type": "array", "items": {"type": "string", "maxLength": 3, "enum": ["x", "y"]},
                      "minItems": 1, "maxItems": 4, "uniqueItems": True, "default": ["x"]}


@pytest.mark.parametrize(("fmt", "location", "style"), [
    ("csv", "query", {"style": "form", "explode": False}),
    ("multi", "query", {"style": "form", "explode": True}),
    ("ssv", "query", {"style": "spaceDelimited", "explode": False}),
    ("pipes", "query", {"style": "pipeDelimited", "explode": False}),
    ("csv", "header", {"style": "simple", "explode": False}),
])
def test_collection_format_becomes_style(fmt: str, location: str, style: dict[str, Any]) -> None:
    api = one_op(Parameter("q", location, array=True, collection_format=fmt))
    param = doc_of(api)["paths"]["/items"]["get"]["parameters"][0]
    assert {k: param[k] for k in ("style", "explode")} == style


def test_tsv_collection_format_is_reported() -> None:
    payload = run(one_op(Parameter("q", "query", array=True, collection_format="tsv", pointer="/p")))
    assert "style" not in payload.main().document["paths"]["/items"]["get"]["parameters"][0]
    assert [(d.code, d.pointer) for d in payload.report] == [(Code.COLLECTION_FORMAT_DROPPED, "/p")]


@pytest.mark.parametrize(("schema", "expected"), [
    (Schema(type="string", nullable=True), {"type": "string", "nullable": True}),
    (Schema(type="file"), {"type": "string", "format": "binary"}),
    (Schema(type="null"), {"nullable": True, "enum": [None]}),
    (Schema(type="array"), {"type": "array", "items": {}}),
    (Schema(type="integer", read_only=True, example=3), {"type": "integer", "readOnly": True, "example": 3}),
    (Schema(type="object", additional_properties=Schema(type="integer")),
     {"type": "object", "additionalProperties": {"type": "integer"}}),
    (Schema(alternatives=[Schema(type="string"), Schema(type="integer")], combinator="anyOf"),
     {"anyOf": [{"type": "string"}, {"type": "integer"}]}),
    (Schema(type="string", xml=Xml(name="n", prefix="p", attribute=True)),
     {"type": "string", "xml": {"name": "n", "prefix": "p", "attribute": True}}),
    (Schema(type="string", extensions={"x-a": 1, "const": "k"}), {"type": "string", "x-a": 1, "enum": ["k"]}),
])
def test_schema_mapping(schema: Schema, expected: dict[str, Any]) -> None:
    api = one_op(responses=[Response("200", contents=[Content("application/json", schema)])])
    got = doc_of(api)["paths"]["/items"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert got == expected


def test_named_schemas_become_components_and_recursion_stays_a_ref() -> None:
    node = Schema(type="object", properties=[Property("kids", Schema(type="array", items=Schema(ref="Node")), True),
                                             Property("name", Schema(type="string"))])
    api = one_op(responses=[Response("200", contents=[Content("application/json", Schema(ref="Node"))])])
    api.schemas = {"Node": node}
    doc = doc_of(api)
    assert doc["components"]["schemas"]["Node"] == {
        "type": "object", "required": ["kids"],
        "properties": {"kids": {"type": "array", "items": {"$ref": "#/components/schemas/Node"}},
                       "name": {"type": "string"}}}
    assert doc["paths"]["/items"]["get"]["responses"]["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Node"}


def test_invalid_component_name_is_rewritten_everywhere() -> None:
    api = one_op(responses=[Response("200", contents=[Content("a/b", Schema(ref="My Pet"))])])
    api.schemas = {"My Pet": Schema(type="string", pointer="/definitions/My Pet")}
    payload = run(api)
    doc = payload.main().document
    assert list(doc["components"]["schemas"]) == ["My_Pet"]
    assert doc["paths"]["/items"]["get"]["responses"]["200"]["content"]["a/b"]["schema"]["$ref"] == \
        "#/components/schemas/My_Pet"
    assert [(d.code, d.pointer) for d in payload.report] == [(Code.NAME_SANITIZED, "/definitions/My Pet")]


def test_request_body_responses_headers_servers_tags() -> None:
    api = one_op(method="POST", request_body=RequestBody(True, "d", [Content("application/xml", Schema(type="object"),
                                                                             example="<a/>")]),
                 responses=[Response("201", "made", headers=[Parameter("Location", "header", required=True)]),
                            Response("4xx", "bad")], tags=["t"], operation_id="make", deprecated=True,
                 extensions={"x-k": [1]})
    api.servers, api.tags = [Server("https://h.example/v1", base_path="/v1")], ["t"]
    doc = doc_of(api)
    op = doc["paths"]["/items"]["post"]
    assert op["requestBody"] == {"description": "d", "required": True,
                                 "content": {"application/xml": {"schema": {"type": "object"}, "example": "<a/>"}}}
    assert op["responses"] == {"201": {"description": "made", "headers": {
        "Location": {"required": True, "schema": {"type": "string"}}}}, "4XX": {"description": "bad"}}
    assert (op["operationId"], op["tags"], op["deprecated"], op["x-k"]) == ("make", ["t"], True, [1])
    assert doc["servers"] == [{"url": "https://h.example/v1"}] and doc["tags"] == [{"name": "t"}]


def test_security_schemes_and_unsupported_ones() -> None:
    api = one_op(security=[{"key": []}, {"o1": []}])
    api.security_schemes = [SecurityScheme("key", "apiKey", location="header", param_name="X-Key"),
                            SecurityScheme("o1", "oauth1", pointer="/securitySchemes/o1"),
                            SecurityScheme("bearer", "http", scheme="bearer", bearer_format="JWT")]
    api.security = [{"bearer": []}]
    payload = run(api)
    doc = payload.main().document
    assert doc["components"]["securitySchemes"] == {
        "key": {"type": "apiKey", "name": "X-Key", "in": "header"},
        "bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}}
    assert doc["security"] == [{"bearer": []}]
    assert doc["paths"]["/items"]["get"]["security"] == [{"key": []}]
    assert [(d.code, d.pointer) for d in payload.report] == [
        (Code.SECURITY_SCHEME_UNSUPPORTED, "/securitySchemes/o1"), (Code.SECURITY_SCHEME_UNSUPPORTED, "/op/security/1")]


@pytest.mark.parametrize(("api", "code"), [
    (one_op(Parameter("q", "body", pointer="/p")), Code.PARAMETER_LOCATION_UNSUPPORTED),
    (one_op(Parameter("Accept", "header", pointer="/p")), Code.PARAMETER_DROPPED),
    (one_op(Parameter("id", "path", required=True, pointer="/p")), Code.PARAMETER_DROPPED),
    (one_op(Parameter("q", "query", restrictions=Restrictions(multiple_of=0), pointer="/p")),
     Code.MULTIPLE_OF_DROPPED),
    (one_op(Parameter("q", "query", restrictions=Restrictions(enum=[]), pointer="/p")), Code.ENUM_DROPPED),
    (one_op(Parameter("q", "query", restrictions=Restrictions(exclusive_minimum=True), pointer="/p")),
     Code.RESTRICTION_DROPPED),
    (one_op(Parameter("q", "query", type="integer", default="x", pointer="/p")), Code.DEFAULT_DROPPED),
    (one_op(Parameter("q", "query", type="file", pointer="/p")), Code.PARAMETER_TYPE_UNSUPPORTED),
])
def test_losses_are_reported_at_the_source_pointer(api: Api, code: Code) -> None:
    assert [(d.code, d.pointer) for d in run(api).report] == [(code, "/p")]


def test_method_body_and_response_losses() -> None:
    api = Api(title="T", version="1", resources=[Resource("/a", operations=[
        Operation("CONNECT", pointer="/c", responses=[Response("200")]),
        Operation("GET", pointer="/g", request_body=RequestBody(contents=[Content("a/b")], pointer="/g/body"),
                  responses=[Response("600", pointer="/g/600")])])])
    payload = run(api)
    assert [(d.code, d.pointer) for d in payload.report] == [
        (Code.METHOD_UNSUPPORTED, "/c"), (Code.BODY_DROPPED, "/g/body"), (Code.RESPONSES_DROPPED, "/g/600"),
        (Code.VALUE_FILLED, "/g")]
    assert payload.main().document["paths"]["/a"] == {"get": {"responses": {"default": {"description": ""}}}}


def test_missing_path_parameter_is_added_and_optional_one_forced_required() -> None:
    api = one_op(Parameter("a", "path", pointer="/a"), path="/x/{a}/{b}")
    payload = run(api)
    params = payload.main().document["paths"]["/x/{a}/{b}"]["get"]["parameters"]
    assert [(p["name"], p["required"]) for p in params] == [("a", True), ("b", True)]
    assert [d.code for d in payload.report] == [Code.VALUE_ASSUMED, Code.PATH_PARAMETER_ADDED]
    assert payload.report.items[0].severity is Severity.WARNING


def test_duplicate_operation_ids_are_renamed() -> None:
    api = Api(title="T", version="1", resources=[Resource("/a", operations=[
        Operation("GET", operation_id="x", responses=[Response("200")]),
        Operation("PUT", operation_id="x", responses=[Response("200")], pointer="/put")])])
    payload = run(api)
    assert payload.main().document["paths"]["/a"]["put"]["operationId"] == "x_2"
    assert [(d.code, d.pointer) for d in payload.report] == [(Code.OPERATION_ID_RENAMED, "/put")]


def test_missing_version_is_filled_and_extensions_carried() -> None:
    api = Api(title="T", extensions={"x-logo": {"url": "u"}, "weird": 1})
    payload = run(api)
    doc = payload.main().document
    assert doc["info"] == {"title": "T", "version": "1.0.0"} and doc["x-logo"] == {"url": "u"}
    assert "weird" not in doc
    assert [d.code for d in payload.report] == [Code.VALUE_FILLED, Code.EXTENSION_DROPPED]


def test_output_is_deterministic_and_canonical() -> None:
    api = one_op(Parameter("q", "query", restrictions=Restrictions(enum=["b", "a"])))
    first, second = emit(api, "openapi").main().text, emit(api, "openapi").main().text
    assert first == second
    assert first.endswith("}\n") and first.startswith('{\n  "openapi": "3.0.3",\n  "info": {\n    "title"')


def test_user_template_overrides_builtin(tmp_path: Path) -> None:
    (tmp_path / "openapi").mkdir()
    (tmp_path / "openapi" / "document.json.j2").write_text(
        '{ {% for key, value in sections %}{{ key | tojson }}: {{ value | tojson }}, {% endfor %}'
        '"x-generated-by": {{ "my template" | tojson }} }\n')
    payload = run(Api(title="T", version="1"), EmitOptions(templates_dir=tmp_path))
    assert payload.main().document["x-generated-by"] == "my template"
    assert payload.main().document["info"]["title"] == "T"
