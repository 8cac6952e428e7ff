"""Akamai emitter: mapping of endpoint fields, parameters, restrictions and body trees, and the
diagnostics for what Akamai cannot hold. Hand-built model objects; expected values written out."""

from __future__ import annotations

from typing import Any

import pytest

from migrate.core.diagnostics import Code
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
from migrate.emitters.akamai.emit import emit
from migrate.emitters.akamai.schema import validate_endpoint
from migrate.emitters.base import EmitOptions, Payload

OPTS = EmitOptions(contract_id="C-0N7RAC71", group_id="44681", host="api.example.com")


def api_with(*operations: Operation, path: str = "/items", **kwargs: Any) -> Api:
    servers = kwargs.pop("servers", [Server("https://api.example.com/v1/", host="api.example.com",
                                            base_path="/v1", scheme="https")])
    return Api(title="Items", servers=servers, resources=[Resource(path, operations=list(operations))], **kwargs)


def run(api: Api, options: EmitOptions = OPTS) -> tuple[dict[str, Any], Payload]:
    payload = emit(api, options)
    return payload.main().document, payload


def params_of(doc: dict[str, Any], method: int = 0) -> list[dict[str, Any]]:
    return doc["apiResources"][0]["apiResourceMethods"][method]["apiParameters"]


def codes(payload: Payload) -> list[Code]:
    return [d.code for d in payload.report]


def query(name: str = "q", **kwargs: Any) -> Operation:
    return Operation("GET", parameters=[Parameter(name, "query", pointer="/p/q", **kwargs)])


def test_endpoint_fields_from_spec_and_options() -> None:
    api = api_with(Operation("GET"), description="All items", servers=[
        Server("https://a.example.com/v1", host="a.example.com", base_path="/v1", scheme="https"),
        Server("http://b.example.com/v1", host="b.example.com", base_path="/v1", scheme="http")])
    doc, payload = run(api, EmitOptions(contract_id="C-1", group_id="grp_12", categories=("7", "2")))
    assert doc == {
        "apiEndPointName": "Items", "description": "All items", "basePath": "/v1",
        "apiEndPointScheme": "http/https", "apiEndPointHosts": ["a.example.com", "b.example.com"],
        "contractId": "C-1", "groupId": 12, "apiCategoryIds": [7, 2],
        "apiResources": [{"apiResourceName": "/items", "resourcePath": "/items",
                          "apiResourceMethods": [{"apiResourceMethod": "GET", "apiParameters": []}]}],
    }
    assert [(d.code, d.pointer) for d in payload.report] == [(Code.VALUE_ASSUMED, "/servers/0")]  # hosts from the spec
    assert "a.example.com, b.example.com come from the spec's servers" in payload.report.items[0].message
    assert validate_endpoint(doc) == []
    _, given = run(api, EmitOptions(contract_id="C-1", group_id="grp_12", host="gw.example.net"))
    assert Code.VALUE_ASSUMED not in codes(given)  # --host: nothing assumed


def test_options_override_name_and_host() -> None:
    doc, _ = run(api_with(Operation("GET")), EmitOptions(contract_id="C", group_id="1", name="Mine",
                                                          host="gw.example.net"))
    assert doc["apiEndPointName"] == "Mine"
    assert doc["apiEndPointHosts"] == ["gw.example.net"]


def test_missing_contract_group_and_host_are_errors_not_placeholders() -> None:
    api = api_with(Operation("GET"), servers=[Server("/v1", base_path="/v1")])
    doc, payload = run(api, EmitOptions())
    assert not {"contractId", "groupId", "apiEndPointHosts"} & set(doc)
    missing = [d.message for d in payload.report if d.code is Code.MISSING_REQUIRED_FIELD]
    assert len(missing) == 3
    assert payload.report.failed()
    assert not {Code.VALUE_INVALID_FOR_TARGET, Code.OUTPUT_INVALID} & set(codes(payload))


def test_non_numeric_group_is_invalid() -> None:
    _, payload = run(api_with(Operation("GET")), EmitOptions(contract_id="C", group_id="abc", host="api.example.com"))
    assert codes(payload) == [Code.VALUE_INVALID_FOR_TARGET, Code.MISSING_REQUIRED_FIELD]


def test_base_path_loses_trailing_slash_and_other_base_paths_are_reported() -> None:
    api = api_with(Operation("GET"), servers=[
        Server("https://a.example.com/v1/", host="a.example.com", base_path="/v1/", scheme="https"),
        Server("https://a.example.com/v2", host="a.example.com", base_path="/v2", scheme="https")])
    doc, payload = run(api)
    assert doc["basePath"] == "/v1"
    assert codes(payload) == [Code.SERVER_DROPPED]


@pytest.mark.parametrize(("ptype", "restrictions", "expected"), [
    ("string", Restrictions(min_length=2, max_length=9), {"lengthRestriction": {"lengthMin": 2, "lengthMax": 9}}),
    ("integer", Restrictions(minimum=1, maximum=10), {"rangeRestriction": {"rangeMin": 1, "rangeMax": 10}}),
    ("number", Restrictions(minimum=-1.5, maximum=2.25),
     {"numberRangeRestriction": {"numberRangeMin": -1.5, "numberRangeMax": 2.25}}),
    ("integer", Restrictions(maximum=100), {"rangeRestriction": {"rangeMax": 100}}),
])
def test_restrictions_map_to_akamai_objects(ptype: str, restrictions: Restrictions, expected: dict[str, Any]) -> None:
    doc, payload = run(api_with(query(type=ptype, restrictions=restrictions)))
    assert params_of(doc)[0]["apiParameterRestriction"] == expected
    assert list(payload.report) == []


def test_exclusive_integer_bounds_are_adjusted_and_reported() -> None:
    r = Restrictions(minimum=0, maximum=10, exclusive_minimum=True, exclusive_maximum=True)
    doc, payload = run(api_with(query(type="integer", restrictions=r)))
    assert params_of(doc)[0]["apiParameterRestriction"] == {"rangeRestriction": {"rangeMin": 1, "rangeMax": 9}}
    assert codes(payload) == [Code.BOUND_ADJUSTED, Code.BOUND_ADJUSTED]
    assert payload.report.items[0].pointer == "/p/q"


def test_fractional_integer_bounds_are_rounded_inwards() -> None:
    doc, payload = run(api_with(query(type="integer", restrictions=Restrictions(minimum=1.5, maximum=7.5))))
    assert params_of(doc)[0]["apiParameterRestriction"] == {"rangeRestriction": {"rangeMin": 2, "rangeMax": 7}}
    assert codes(payload) == [Code.BOUND_ADJUSTED, Code.BOUND_ADJUSTED]


def test_exclusive_number_bound_is_reported_as_loss() -> None:
    doc, payload = run(api_with(query(type="number", restrictions=Restrictions(minimum=0.5, exclusive_minimum=True))))
    assert params_of(doc)[0]["apiParameterRestriction"] == {"numberRangeRestriction": {"numberRangeMin": 0.5}}
    assert codes(payload) == [Code.RESTRICTION_DROPPED]


@pytest.mark.parametrize(("restrictions", "code"), [
    (Restrictions(enum=["a", "b"]), Code.ENUM_DROPPED),
    (Restrictions(pattern="^a+$"), Code.PATTERN_DROPPED),
    (Restrictions(format="uuid"), Code.FORMAT_DROPPED),
    (Restrictions(multiple_of=5), Code.MULTIPLE_OF_DROPPED),
    (Restrictions(minimum=1), Code.RESTRICTION_DROPPED),
    (Restrictions(min_items=1), Code.RESTRICTION_DROPPED),
])
def test_inexpressible_restrictions_are_dropped_with_a_warning(restrictions: Restrictions, code: Code) -> None:
    doc, payload = run(api_with(query(type="string", restrictions=restrictions)))
    assert "apiParameterRestriction" not in params_of(doc)[0]
    assert codes(payload) == [code]
    assert payload.report.items[0].pointer == "/p/q"


def test_array_query_parameter() -> None:
    r = Restrictions(min_items=1, max_items=5, unique_items=True, max_length=3)
    doc, payload = run(api_with(query(type="string", array=True, restrictions=r, collection_format="pipes")))
    assert params_of(doc)[0] == {
        "apiParameterName": "q", "apiParameterLocation": "query", "apiParameterType": "string",
        "apiParameterRequired": False, "array": True,
        "apiParameterRestriction": {"lengthRestriction": {"lengthMax": 3}, "arrayRestriction": {
            "minItems": 1, "maxItems": 5, "uniqueItems": True, "collectionFormat": "pipes"}},
    }
    assert list(payload.report) == []


@pytest.mark.parametrize("ptype", ["object", "file"])
def test_object_and_file_parameters_become_strings_with_a_warning(ptype: str) -> None:
    doc, payload = run(api_with(query(type=ptype)))
    assert params_of(doc)[0]["apiParameterType"] == "string"
    assert codes(payload) == [Code.PARAMETER_TYPE_UNSUPPORTED]


def test_parameter_extras_are_reported() -> None:
    op = query(type="integer", default=3, deprecated=True, description="How many", extensions={"x-a": 1})
    doc, payload = run(api_with(op))
    assert params_of(doc)[0]["apiParameterNotes"] == "How many"
    assert codes(payload) == [Code.DEFAULT_DROPPED, Code.DEPRECATION_DROPPED, Code.EXTENSION_DROPPED]


def test_path_parameters_are_required_and_undeclared_ones_added() -> None:
    op = Operation("GET", parameters=[Parameter("a", "path", required=False)], pointer="/op")
    doc, payload = run(api_with(op, path="/items/{a}/{b}"))
    assert [(p["apiParameterName"], p["apiParameterRequired"]) for p in params_of(doc)] == [("a", True), ("b", True)]
    assert codes(payload) == [Code.PATH_PARAMETER_ADDED]


def test_unsupported_method_is_left_out() -> None:
    doc, payload = run(api_with(Operation("GET"), Operation("TRACE", pointer="/t")))
    assert [m["apiResourceMethod"] for m in doc["apiResources"][0]["apiResourceMethods"]] == ["GET"]
    assert codes(payload) == [Code.METHOD_UNSUPPORTED]
    assert payload.report.items[0].pointer == "/t"


def test_responses_dropped_once_per_operation() -> None:
    ops = [Operation("GET", responses=[Response("200", pointer="/r1"), Response("404", pointer="/r2")],
                     pointer="/get"),
           Operation("PUT", responses=[Response("204", pointer="/r3")], pointer="/put")]
    _, payload = run(api_with(*ops))
    dropped = [d for d in payload.report if d.code is Code.RESPONSES_DROPPED]
    assert [d.pointer for d in dropped] == ["/get", "/put"]
    assert "200, 404" in dropped[0].message and "204" in dropped[1].message


def body_op(schema: Schema, media: str = "application/json", required: bool = True) -> Operation:
    return Operation("POST", request_body=RequestBody(required=required, contents=[Content(media, schema)],
                                                      pointer="/body"))


def test_body_tree_mirrors_schema() -> None:
    schema = Schema(type="object", xml=Xml(name="item"), properties=[
        Property("id", Schema(type="integer", restrictions=Restrictions(minimum=1)), required=True),
        Property("tags", Schema(type="array", restrictions=Restrictions(max_items=3),
                                items=Schema(type="string", restrictions=Restrictions(max_length=10)))),
        Property("owner", Schema(type="object", properties=[
            Property("name", Schema(type="string", xml=Xml(attribute=True)))])),
    ])
    doc, payload = run(api_with(body_op(schema)))
    assert params_of(doc) == [{
        "apiParameterName": "body", "apiParameterLocation": "body", "apiParameterType": "json/xml",
        "apiParameterRequired": True, "array": False, "apiParameterContentType": "json",
        "apiParameterRestriction": {"xmlConversionRule": {"name": "item"}},
        "apiChildParameters": [
            {"apiParameterName": "id", "apiParameterLocation": "body", "apiParameterType": "integer",
             "apiParameterRequired": True, "array": False,
             "apiParameterRestriction": {"rangeRestriction": {"rangeMin": 1}}},
            {"apiParameterName": "tags", "apiParameterLocation": "body", "apiParameterType": "string",
             "apiParameterRequired": False, "array": True,
             "apiParameterRestriction": {"lengthRestriction": {"lengthMax": 10},
                                         "arrayRestriction": {"maxItems": 3}}},
            {"apiParameterName": "owner", "apiParameterLocation": "body", "apiParameterType": "json/xml",
             "apiParameterRequired": False, "array": False, "apiChildParameters": [
                 {"apiParameterName": "name", "apiParameterLocation": "body", "apiParameterType": "string",
                  "apiParameterRequired": False, "array": False,
                  "apiParameterRestriction": {"xmlConversionRule": {"attribute": True}}}]},
        ],
    }]
    assert doc["consumeType"] == "json"
    assert list(payload.report) == []
    assert validate_endpoint(doc) == []


def test_recursive_body_is_cut_and_reported() -> None:
    node = Schema(type="object", properties=[Property("next", Schema(ref="Node", pointer="/next"))])
    api = api_with(body_op(Schema(ref="Node")), schemas={"Node": node})
    doc, payload = run(api)
    body = params_of(doc)[0]
    assert body["apiChildParameters"][0]["apiParameterName"] == "next"
    assert body["apiChildParameters"][0]["apiChildParameters"] == []
    assert codes(payload) == [Code.RECURSION_CUT]
    assert validate_endpoint(doc) == []


def test_array_body_and_schema_losses() -> None:
    item = Schema(type="object", nullable=True, additional_properties=True,
                  properties=[Property("v", Schema(alternatives=[Schema(type="string"), Schema(type="integer")],
                                                   combinator="oneOf"))])
    doc, payload = run(api_with(body_op(Schema(type="array", items=item, restrictions=Restrictions(min_items=1)))))
    body = params_of(doc)[0]
    assert (body["array"], body["apiParameterRestriction"]) == (True, {"arrayRestriction": {"minItems": 1}})
    assert body["apiChildParameters"][0]["apiParameterType"] == "json/xml"
    assert codes(payload).count(Code.SCHEMA_FEATURE_DROPPED) == 3


@pytest.mark.parametrize(("media", "consume"), [
    ("application/xml", "xml"), ("application/x-www-form-urlencoded", "urlencoded"),
    ("application/vnd.api+json", "json"), ("*/*", "any"),
])
def test_consume_type_from_media_types(media: str, consume: str) -> None:
    doc, _ = run(api_with(body_op(Schema(type="object"), media)))
    assert doc["consumeType"] == consume


def test_unsupported_media_type_drops_body() -> None:
    doc, payload = run(api_with(body_op(Schema(type="object"), "multipart/form-data")))
    assert params_of(doc) == []
    assert "consumeType" not in doc
    assert codes(payload) == [Code.MEDIA_TYPE_UNSUPPORTED, Code.BODY_DROPPED]


def test_json_and_xml_bodies_combine() -> None:
    op = Operation("PUT", request_body=RequestBody(contents=[Content("application/json", Schema(type="object")),
                                                             Content("application/xml", Schema(type="object"))]))
    doc, _ = run(api_with(op))
    assert doc["consumeType"] == "json/xml"
    assert params_of(doc)[0]["apiParameterContentType"] == "json/xml"


def test_api_key_security_and_other_schemes() -> None:
    schemes = [SecurityScheme("key", "apiKey", location="header", param_name="X-Key"),
               SecurityScheme("oauth", "oauth2", pointer="/s/oauth"),
               SecurityScheme("unused", "http", scheme="basic", pointer="/s/unused")]
    api = api_with(Operation("GET"), security_schemes=schemes, security=[{"key": []}, {"oauth": ["r"]}])
    doc, payload = run(api)
    assert doc["securityScheme"] == {"securitySchemeType": "apikey",
                                     "securitySchemeDetail": {"apiKeyLocation": "header", "apiKeyName": "X-Key"}}
    assert [(d.code, d.pointer) for d in payload.report] == [(Code.SECURITY_SCHEME_UNSUPPORTED, "/s/oauth"),
                                                             (Code.SECURITY_SCHEME_UNSUPPORTED, "/s/unused")]


def test_resource_names_unique_and_descriptions_reported() -> None:
    api = Api(title="t", servers=[Server("https://h/", host="h", scheme="https")], resources=[
        Resource("/a", name="Same", operations=[Operation("GET", summary="s", pointer="/a/get")]),
        Resource("/b", name="Same", description="d", pointer="/b", operations=[Operation("GET")])])
    doc, payload = run(api)
    assert [r["apiResourceName"] for r in doc["apiResources"]] == ["Same", "Same (2)"]
    assert sorted(c.name for c in codes(payload)) == ["DESCRIPTION_DROPPED", "DESCRIPTION_DROPPED",
                                                      "RESOURCE_RENAMED"]


def test_emit_does_not_mutate_input_and_is_deterministic() -> None:
    api = api_with(Operation("TRACE"), body_op(Schema(ref="Node")), path="/x/{id}",
                   schemas={"Node": Schema(type="object", properties=[Property("n", Schema(ref="Node"))])})
    before = api.to_json()
    first, second = emit(api, OPTS), emit(api, OPTS)
    assert api.to_json() == before
    assert first.main().text == second.main().text
    assert first.main().text.endswith("}\n")
    assert [d.to_json() for d in first.report] == [d.to_json() for d in second.report]


def test_wide_reference_graphs_are_cut_to_bound_the_payload() -> None:
    from migrate.emitters.akamai.steps import MAX_BODY_NODES

    def level(n: int) -> Schema:
        child = Schema(ref=f"L{n + 1}") if n < 5 else Schema(type="string")
        return Schema(type="object", properties=[Property(f"p{i}", child) for i in range(12)])

    api = api_with(body_op(Schema(ref="L0")), schemas={f"L{n}": level(n) for n in range(6)})
    doc, payload = run(api)

    def count(p: dict[str, Any]) -> int:
        return 1 + sum(count(c) for c in p.get("apiChildParameters", []))

    assert count(params_of(doc)[0]) <= MAX_BODY_NODES
    assert Code.RECURSION_CUT in codes(payload)
    assert validate_endpoint(doc) == []
