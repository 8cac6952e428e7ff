"""Swagger 2.0 features: small inline specs, asserting the model fields."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from migrate.core.model import Restrictions
from tests.readers.test_openapi_helpers import op_of, read_doc, swagger

OK = {"200": {"description": "ok"}}


def get(params: list[dict[str, Any]], **op: Any) -> dict[str, Any]:
    return {"/x": {"get": {"parameters": params, "responses": OK, **op}}}


@pytest.mark.parametrize(("param", "expected"), [
    ({"name": "a", "in": "query", "type": "integer", "minimum": 1, "maximum": 9, "exclusiveMaximum": True,
      "multipleOf": 2, "format": "int32"},
     {"type": "integer", "restrictions": Restrictions(minimum=1, maximum=9, exclusive_maximum=True, multiple_of=2,
                                                      format="int32")}),
    ({"name": "a", "in": "query", "type": "string", "minLength": 2, "maxLength": 5, "pattern": "^a", "enum": ["ab"]},
     {"type": "string", "restrictions": Restrictions(min_length=2, max_length=5, pattern="^a", enum=["ab"])}),
    ({"name": "a", "in": "query", "type": "array", "collectionFormat": "pipes", "minItems": 1, "maxItems": 4,
      "uniqueItems": True, "items": {"type": "number", "maximum": 3.5}},
     {"type": "number", "array": True, "collection_format": "pipes",
      "restrictions": Restrictions(maximum=3.5, min_items=1, max_items=4, unique_items=True)}),
    ({"name": "a", "in": "query", "type": "array", "items": {"type": "string"}},
     {"array": True, "collection_format": "csv"}),
    ({"name": "a", "in": "header", "type": "boolean", "default": True, "description": "d"},
     {"type": "boolean", "location": "header", "default": True, "description": "d"}),
    ({"name": "a", "in": "path", "type": "string"}, {"required": True, "location": "path"}),
    ({"name": "a", "in": "query", "x-internal": {"k": 1}}, {"type": "string", "extensions": {"x-internal": {"k": 1}}}),
])
def test_parameters(tmp_path: Path, param: dict[str, Any], expected: dict[str, Any]) -> None:
    api, _ = read_doc(tmp_path, swagger(get([param])))
    (read,) = op_of(api).parameters
    assert read.name == "a"
    assert read.pointer == "/paths/~1x/get/parameters/0"
    for key, value in expected.items():
        assert getattr(read, key) == value, key


def test_path_and_operation_parameters_merge(tmp_path: Path) -> None:
    paths = {"/x": {"parameters": [{"name": "p", "in": "query", "type": "string"},
                                   {"name": "q", "in": "query", "type": "string"},
                                   {"name": "p", "in": "header", "type": "string"}],
                    "get": {"parameters": [{"name": "p", "in": "query", "type": "integer"}], "responses": OK}}}
    api, _ = read_doc(tmp_path, swagger(paths))
    params = [(p.name, p.location, p.type) for p in op_of(api).parameters]
    assert params == [("q", "query", "string"), ("p", "header", "string"), ("p", "query", "integer")]


def test_parameter_ref(tmp_path: Path) -> None:
    doc = swagger(get([{"$ref": "#/parameters/Limit"}]),
                  parameters={"Limit": {"name": "limit", "in": "query", "type": "integer", "maximum": 50}})
    api, _ = read_doc(tmp_path, doc)
    (param,) = op_of(api).parameters
    assert (param.name, param.type, param.restrictions.maximum) == ("limit", "integer", 50)
    assert param.pointer == "/parameters/Limit"


def test_body_parameter_uses_consumes(tmp_path: Path) -> None:
    doc = swagger({"/x": {"post": {"consumes": ["application/json", "text/xml"], "responses": OK, "parameters": [
        {"name": "b", "in": "body", "required": True, "description": "the body",
         "schema": {"$ref": "#/definitions/B"}}]}}}, definitions={"B": {"type": "object"}})
    body = op_of(read_doc(tmp_path, doc)[0], method="POST").request_body
    assert body.required and body.description == "the body"
    assert [c.media_type for c in body.contents] == ["application/json", "text/xml"]
    assert all(c.schema.ref == "B" for c in body.contents)


def test_global_consumes_and_default_media_type(tmp_path: Path) -> None:
    body_op = {"post": {"responses": OK, "parameters": [{"name": "b", "in": "body", "schema": {"type": "string"}}]}}
    api, _ = read_doc(tmp_path, swagger({"/x": body_op}, consumes=["application/vnd.a+json"]))
    assert [c.media_type for c in op_of(api, method="POST").request_body.contents] == ["application/vnd.a+json"]
    api, _ = read_doc(tmp_path, swagger({"/x": body_op}))
    assert [c.media_type for c in op_of(api, method="POST").request_body.contents] == ["application/json"]


@pytest.mark.parametrize(("consumes", "params", "media"), [
    ([], [{"name": "a", "in": "formData", "type": "string"}], "application/x-www-form-urlencoded"),
    (["multipart/form-data"], [{"name": "a", "in": "formData", "type": "string"}], "multipart/form-data"),
    ([], [{"name": "f", "in": "formData", "type": "file", "required": True}], "multipart/form-data"),
])
def test_form_data_becomes_body(tmp_path: Path, consumes: list[str], params: list[dict[str, Any]],
                                media: str) -> None:
    doc = swagger({"/x": {"post": {"consumes": consumes, "parameters": params, "responses": OK}}})
    op = op_of(read_doc(tmp_path, doc)[0], method="POST")
    assert op.parameters == []
    (content,) = op.request_body.contents
    assert content.media_type == media
    assert content.schema.type == "object"
    assert [p.name for p in content.schema.properties] == [p["name"] for p in params]


def test_form_field_restrictions_and_required(tmp_path: Path) -> None:
    params = [{"name": "n", "in": "formData", "type": "integer", "required": True, "maximum": 5},
              {"name": "l", "in": "formData", "type": "array", "maxItems": 2,
               "items": {"type": "string", "maxLength": 3}}]
    op = op_of(read_doc(tmp_path, swagger({"/x": {"post": {"parameters": params, "responses": OK}}}))[0], method="POST")
    n, lst = op.request_body.contents[0].schema.properties
    assert (n.required, n.schema.type, n.schema.restrictions.maximum) == (True, "integer", 5)
    assert (lst.required, lst.schema.type, lst.schema.restrictions.max_items) == (False, "array", 2)
    assert lst.schema.items.restrictions.max_length == 3


def test_responses_with_produces_and_headers(tmp_path: Path) -> None:
    doc = swagger({"/x": {"get": {"produces": ["application/xml"], "responses": {
        "200": {"description": "ok", "schema": {"type": "string"},
                "headers": {"X-Rate": {"type": "integer", "minimum": 0}},
                "examples": {"application/xml": "<a/>"}},
        "default": {"description": "err"}}}}}, produces=["application/json"])
    r200, default = op_of(read_doc(tmp_path, doc)[0]).responses
    assert r200.status == "200" and default.status == "default"
    assert [(c.media_type, c.schema.type, c.example) for c in r200.contents] == [("application/xml", "string", "<a/>")]
    (header,) = r200.headers
    assert (header.name, header.location, header.type) == ("X-Rate", "header", "integer")
    assert header.restrictions.minimum == 0
    assert default.contents == []


def test_servers_from_host_base_path_schemes(tmp_path: Path) -> None:
    api, _ = read_doc(tmp_path, swagger(host="api.example.com:8443", basePath="/v1/", schemes=["https", "http"]))
    assert [(s.url, s.host, s.base_path, s.scheme) for s in api.servers] == [
        ("https://api.example.com:8443/v1", "api.example.com:8443", "/v1", "https"),
        ("http://api.example.com:8443/v1", "api.example.com:8443", "/v1", "http")]
    api, _ = read_doc(tmp_path, swagger(basePath="/"))
    assert [(s.url, s.host, s.base_path, s.scheme) for s in api.servers] == [("/", None, "", None)]


def test_security_definitions(tmp_path: Path) -> None:
    doc = swagger(securityDefinitions={
        "b": {"type": "basic"},
        "k": {"type": "apiKey", "in": "query", "name": "key"},
        "o": {"type": "oauth2", "flow": "application", "tokenUrl": "https://t", "scopes": {"r": "read"}},
        "i": {"type": "oauth2", "flow": "implicit", "authorizationUrl": "https://a", "scopes": {}},
    }, security=[{"k": []}], paths={"/x": {"get": {"security": [{"o": ["r"]}, {}], "responses": OK}}})
    api, _ = read_doc(tmp_path, doc)
    b, k, o, i = api.security_schemes
    assert (b.type, b.scheme) == ("http", "basic")
    assert (k.type, k.location, k.param_name) == ("apiKey", "query", "key")
    assert o.flows == {"clientCredentials": {"tokenUrl": "https://t", "scopes": {"r": "read"}}}
    assert i.flows == {"implicit": {"authorizationUrl": "https://a", "scopes": {}}}
    assert api.security == [{"k": []}]
    assert op_of(api).security == [{"o": ["r"]}, {}]


def test_operation_security_absent_or_empty(tmp_path: Path) -> None:
    paths = {"/x": {"get": {"responses": OK}, "put": {"security": [], "responses": OK}}}
    api, _ = read_doc(tmp_path, swagger(paths))
    assert op_of(api).security is None
    assert op_of(api, method="PUT").security == []


def test_source_and_info(tmp_path: Path) -> None:
    doc = swagger(info={"title": "Pets", "version": "2", "description": "d", "x-logo": "l"}, tags=[{"name": "t"}])
    api, _ = read_doc(tmp_path, doc)
    assert (api.title, api.version, api.description, api.tags) == ("Pets", "2", "d", ["t"])
    assert api.extensions == {"x-logo": "l"}
    assert api.source is not None
    assert (api.source.format, api.source.format_version) == ("swagger", "2.0")
    assert api.source.path == str(tmp_path / "spec.json")


def test_operation_fields_and_extensions(tmp_path: Path) -> None:
    paths = {"/x": {"x-r": 1, "get": {"operationId": "o", "summary": "s", "description": "d", "tags": ["a"],
                                      "deprecated": True, "x-o": [1], "responses": OK}}}
    api, _ = read_doc(tmp_path, swagger(paths))
    (resource,) = api.resources
    op = resource.operations[0]
    assert resource.extensions == {"x-r": 1} and resource.pointer == "/paths/~1x"
    assert (op.method, op.operation_id, op.summary, op.description, op.tags, op.deprecated) == (
        "GET", "o", "s", "d", ["a"], True)
    assert op.extensions == {"x-o": [1]} and op.pointer == "/paths/~1x/get"
