"""OpenAPI 3.0 / 3.1 features: small inline specs, asserting the model fields."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from migrate.core.model import Restrictions
from tests.readers.test_openapi_helpers import oas, op_of, read_doc

OK = {"200": {"description": "ok"}}


def get(params: list[dict[str, Any]]) -> dict[str, Any]:
    return {"/x": {"get": {"parameters": params, "responses": OK}}}


def schema_api(tmp_path: Path, schemas: dict[str, Any], version: str = "3.0.3") -> Any:
    return read_doc(tmp_path, oas(version=version, components={"schemas": schemas}))[0]


@pytest.mark.parametrize(("param", "expected"), [
    ({"schema": {"type": "integer", "minimum": 1, "maximum": 10, "exclusiveMinimum": True}},
     {"type": "integer", "restrictions": Restrictions(minimum=1, maximum=10, exclusive_minimum=True)}),
    ({"schema": {"type": "array", "maxItems": 3, "items": {"type": "string", "enum": ["a", "b"]}}},
     {"type": "string", "array": True, "collection_format": "multi",
      "restrictions": Restrictions(enum=["a", "b"], max_items=3)}),
    ({"explode": False, "schema": {"type": "array", "items": {"type": "integer"}}},
     {"type": "integer", "collection_format": "csv"}),
    ({"style": "pipeDelimited", "schema": {"type": "array", "items": {"type": "integer"}}},
     {"collection_format": "pipes"}),
    ({"style": "spaceDelimited", "schema": {"type": "array", "items": {"type": "integer"}}},
     {"collection_format": "ssv"}),
    ({"schema": {"type": "string", "default": "x", "format": "date"}, "deprecated": True},
     {"default": "x", "deprecated": True, "restrictions": Restrictions(format="date")}),
    ({"schema": {"type": "object", "properties": {"k": {"type": "string"}}}},
     {"type": "object"}),
    ({"content": {"application/json": {"schema": {"type": "object"}}}},
     {"type": "object", "extensions": {"contentMediaType": "application/json"}}),
    ({"schema": {"$ref": "#/components/schemas/Id"}}, {"type": "integer", "restrictions": Restrictions(minimum=1)}),
])
def test_parameters(tmp_path: Path, param: dict[str, Any], expected: dict[str, Any]) -> None:
    doc = oas(get([{"name": "a", "in": "query", **param}]),
              components={"schemas": {"Id": {"type": "integer", "minimum": 1}}})
    (read,) = op_of(read_doc(tmp_path, doc)[0]).parameters
    for key, value in expected.items():
        assert getattr(read, key) == value, key
    if read.type == "object":
        assert read.schema is not None and read.schema.type == "object"


def test_path_parameter_style_defaults_to_csv_and_cookie(tmp_path: Path) -> None:
    params = [{"name": "ids", "in": "path", "required": True, "schema": {"type": "array", "items": {"type": "string"}}},
              {"name": "c", "in": "cookie", "schema": {"type": "string"}}]
    ids, cookie = op_of(read_doc(tmp_path, oas({"/x": {"get": {"parameters": params, "responses": OK}}}))[0]).parameters
    assert (ids.array, ids.collection_format) == (True, "csv")
    assert cookie.location == "cookie"


def test_request_body_ref_and_contents(tmp_path: Path) -> None:
    doc = oas({"/x": {"post": {"requestBody": {"$ref": "#/components/requestBodies/B"}, "responses": OK}}},
              components={"requestBodies": {"B": {"required": True, "description": "d", "content": {
                  "application/json": {"schema": {"$ref": "#/components/schemas/S"}, "example": {"a": 1}},
                  "application/xml": {"schema": {"type": "string"}}}}},
                  "schemas": {"S": {"type": "object"}}})
    body = op_of(read_doc(tmp_path, doc)[0], method="POST").request_body
    assert (body.required, body.description, body.pointer) == (True, "d", "/components/requestBodies/B")
    json_c, xml_c = body.contents
    assert (json_c.media_type, json_c.schema.ref, json_c.example) == ("application/json", "S", {"a": 1})
    assert (xml_c.media_type, xml_c.schema.type) == ("application/xml", "string")


def test_responses_with_content_headers_and_refs(tmp_path: Path) -> None:
    doc = oas({"/x": {"get": {"responses": {"200": {"description": "ok", "headers": {
        "X-N": {"schema": {"type": "integer"}}, "X-R": {"$ref": "#/components/headers/R"}},
        "content": {"text/plain": {"schema": {"type": "string"}}}},
        "4XX": {"$ref": "#/components/responses/E"}}}}},
        components={"headers": {"R": {"required": True, "schema": {"type": "string", "maxLength": 9}}},
                    "responses": {"E": {"description": "bad"}}})
    ok, bad = op_of(read_doc(tmp_path, doc)[0]).responses
    assert [(h.name, h.type, h.required, h.restrictions.max_length) for h in ok.headers] == [
        ("X-N", "integer", False, None), ("X-R", "string", True, 9)]
    assert [(c.media_type, c.schema.type) for c in ok.contents] == [("text/plain", "string")]
    assert (bad.status, bad.description, bad.pointer) == ("4XX", "bad", "/components/responses/E")


@pytest.mark.parametrize(("servers", "expected"), [
    ([{"url": "https://{env}.example.com:{port}/api/v1/", "variables": {
        "env": {"default": "prod"}, "port": {"default": "8443"}}}],
     [("https://prod.example.com:8443/api/v1/", "prod.example.com:8443", "/api/v1", "https")]),
    ([{"url": "/relative"}], [("/relative", None, "/relative", None)]),
    ([{"url": "http://h"}, {"url": "https://h/"}], [("http://h", "h", "", "http"), ("https://h/", "h", "", "https")]),
])
def test_servers(tmp_path: Path, servers: list[dict[str, Any]], expected: list[tuple[Any, ...]]) -> None:
    api, _ = read_doc(tmp_path, oas(servers=servers))
    assert [(s.url, s.host, s.base_path, s.scheme) for s in api.servers] == expected


def test_security_schemes(tmp_path: Path) -> None:
    flows = {"password": {"tokenUrl": "https://t", "scopes": {"a": "b"}}}
    doc = oas(components={"securitySchemes": {
        "basic": {"type": "http", "scheme": "Basic"},
        "jwt": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"},
        "key": {"type": "apiKey", "in": "cookie", "name": "sid"},
        "o": {"type": "oauth2", "flows": flows},
        "oidc": {"type": "openIdConnect", "openIdConnectUrl": "https://o"},
        "tls": {"type": "mutualTLS"}}}, version="3.1.0")
    basic, jwt, key, o, oidc, tls = read_doc(tmp_path, doc)[0].security_schemes
    assert (basic.type, basic.scheme) == ("http", "basic")
    assert (jwt.scheme, jwt.bearer_format) == ("bearer", "JWT")
    assert (key.type, key.location, key.param_name) == ("apiKey", "cookie", "sid")
    assert (o.type, o.flows) == ("oauth2", flows)
    assert (oidc.type, oidc.open_id_connect_url) == ("openIdConnect", "https://o")
    assert tls.type == "mutualTLS" and tls.pointer == "/components/securitySchemes/tls"


def test_schema_restrictions_and_fields(tmp_path: Path) -> None:
    api = schema_api(tmp_path, {"S": {
        "type": "object", "title": "t", "description": "d", "required": ["a"], "additionalProperties": False,
        "x-k": True, "discriminator": {"propertyName": "a"}, "xml": {"name": "s", "prefix": "p", "wrapped": True},
        "properties": {
            "a": {"type": "string", "minLength": 1, "maxLength": 3, "pattern": "^x", "enum": ["x"], "nullable": True},
            "b": {"type": "array", "minItems": 1, "maxItems": 2, "uniqueItems": True, "items": {"type": "number"},
                  "readOnly": True},
            "c": {"type": "number", "minimum": 0, "maximum": 1, "multipleOf": 0.5, "writeOnly": True,
                  "default": 1, "example": 0.5}}}})
    s = api.schemas["S"]
    assert (s.type, s.title, s.description, s.additional_properties) == ("object", "t", "d", False)
    assert s.extensions == {"x-k": True, "discriminator": {"propertyName": "a"}}
    assert (s.xml.name, s.xml.prefix, s.xml.wrapped, s.xml.attribute) == ("s", "p", True, False)
    a, b, c = s.properties
    assert (a.required, b.required) == (True, False)
    assert a.schema.restrictions == Restrictions(min_length=1, max_length=3, pattern="^x", enum=["x"])
    assert a.schema.nullable and b.schema.read_only and c.schema.write_only
    assert b.schema.restrictions == Restrictions(min_items=1, max_items=2, unique_items=True)
    assert b.schema.items.type == "number"
    assert c.schema.restrictions == Restrictions(minimum=0, maximum=1, multiple_of=0.5)
    assert (c.schema.default, c.schema.example) == (1, 0.5)
    assert a.schema.pointer == "/components/schemas/S/properties/a"


def test_openapi31_type_list_const_and_exclusive_numbers(tmp_path: Path) -> None:
    api = schema_api(tmp_path, {
        "N": {"type": ["integer", "null"], "exclusiveMinimum": 0, "exclusiveMaximum": 10, "maximum": 5},
        "C": {"const": "only"},
        "M": {"type": ["string", "integer"]}}, version="3.1.0")
    n = api.schemas["N"]
    assert (n.type, n.nullable) == ("integer", True)
    assert n.restrictions == Restrictions(minimum=0, exclusive_minimum=True, maximum=5)
    assert api.schemas["C"].restrictions.enum == ["only"]
    m = api.schemas["M"]
    assert (m.combinator, [a.type for a in m.alternatives]) == ("anyOf", ["string", "integer"])


def test_all_of_merges_referenced_properties_and_restrictions(tmp_path: Path) -> None:
    api = schema_api(tmp_path, {
        "Base": {"type": "object", "required": ["id"], "properties": {"id": {"type": "integer"}}},
        "Len": {"type": "string", "minLength": 2, "maxLength": 10},
        "Both": {"allOf": [{"$ref": "#/components/schemas/Base"},
                           {"properties": {"name": {"$ref": "#/components/schemas/Len"}}, "required": ["name"]}]},
        "Tight": {"allOf": [{"$ref": "#/components/schemas/Len"}, {"maxLength": 5, "minLength": 1}]}})
    both = api.schemas["Both"]
    assert both.type == "object"
    assert [(p.name, p.required) for p in both.properties] == [("id", True), ("name", True)]
    assert both.properties[1].schema.ref == "Len"
    tight = api.schemas["Tight"]
    assert (tight.type, tight.restrictions.min_length, tight.restrictions.max_length) == ("string", 2, 5)


def test_one_of_and_any_of_kept_as_alternatives(tmp_path: Path) -> None:
    api = schema_api(tmp_path, {
        "A": {"type": "string"},
        "O": {"oneOf": [{"$ref": "#/components/schemas/A"}, {"type": "integer"}]},
        "Y": {"anyOf": [{"type": "boolean"}]}})
    o, y = api.schemas["O"], api.schemas["Y"]
    assert (o.combinator, [(a.ref, a.type) for a in o.alternatives]) == ("oneOf", [("A", None), (None, "integer")])
    assert (y.combinator, y.alternatives[0].type) == ("anyOf", "boolean")


def test_recursive_schema_reads_as_reference(tmp_path: Path) -> None:
    api = schema_api(tmp_path, {"Node": {"type": "object", "properties": {
        "next": {"$ref": "#/components/schemas/Node"},
        "kids": {"type": "array", "items": {"$ref": "#/components/schemas/Node"}}}}})
    node = api.schemas["Node"]
    assert node.properties[0].schema.ref == "Node"
    assert node.properties[1].schema.items.ref == "Node"
    assert node.properties[0].schema.pointer == "/components/schemas/Node/properties/next"
    assert node.pointer == "/components/schemas/Node"


def test_all_of_cycle_is_reported_not_looped(tmp_path: Path) -> None:
    api, report = read_doc(tmp_path, oas(components={"schemas": {
        "A": {"allOf": [{"$ref": "#/components/schemas/B"}], "properties": {"a": {"type": "string"}}},
        "B": {"allOf": [{"$ref": "#/components/schemas/A"}], "properties": {"b": {"type": "string"}}}}}))
    assert [p.name for p in api.schemas["A"].properties] == ["a", "b"]
    assert any(d.pointer == "/components/schemas/B/allOf/0" for d in report)


def test_unreferenced_and_non_component_refs_get_names(tmp_path: Path) -> None:
    doc = oas({"/x": {"get": {"responses": {"200": {"description": "ok", "content": {"application/json": {
        "schema": {"$ref": "#/components/schemas/P/properties/inner"}}}}}}}},
        components={"schemas": {"P": {"properties": {"inner": {"type": "string"}}}}})
    api, _ = read_doc(tmp_path, doc)
    assert list(api.schemas) == ["P", "P_properties_inner"]
    assert op_of(api).responses[0].contents[0].schema.ref == "P_properties_inner"
    assert api.schemas["P_properties_inner"].type == "string"


def test_ignored_features_are_reported(tmp_path: Path) -> None:
    responses = {"200": {"description": "ok", "links": {"l": {}}}}
    doc = oas({"/x": {"get": {"callbacks": {"c": {}}, "responses": responses}}}, version="3.1.0", webhooks={"w": {}})
    _, report = read_doc(tmp_path, doc)
    pointers = {d.pointer for d in report if d.code.name == "SOURCE_FEATURE_IGNORED"}
    assert {"/webhooks", "/paths/~1x/get/callbacks", "/paths/~1x/get/responses/200/links"} <= pointers
