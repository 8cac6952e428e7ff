"""The model's JSON form: field names, omission of unset values, round trip."""

from __future__ import annotations

import json

import pytest

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
    Source,
    Xml,
)


def full_api() -> Api:
    node = Schema(type="object", properties=[Property("next", Schema(ref="Node"))], pointer="/definitions/Node")
    body = Schema(
        type="object",
        properties=[
            Property("name", Schema(type="string", restrictions=Restrictions(min_length=1, max_length=20)), True),
            Property("tags", Schema(type="array", items=Schema(type="string"),
                                    restrictions=Restrictions(min_items=1, unique_items=True))),
            Property("id", Schema(type="integer", xml=Xml(name="Id", attribute=True), nullable=True)),
            Property("kind", Schema(combinator="oneOf", alternatives=[Schema(type="string"), Schema(ref="Node")])),
        ],
        additional_properties=False,
    )
    op = Operation(
        "POST", operation_id="addPet", tags=["pets"],
        parameters=[Parameter("limit", "query", type="integer", default=10,
                              restrictions=Restrictions(minimum=0, maximum=100, exclusive_maximum=True))],
        request_body=RequestBody(required=True, contents=[Content("application/json", body)]),
        responses=[Response("201", "created", headers=[Parameter("Location", "header")])],
        security=[], extensions={"x-rate": {"limit": 5}},
    )
    return Api(
        title="Pets", version="1.0",
        servers=[Server("https://api.example.com/v1", host="api.example.com", base_path="/v1", scheme="https")],
        security_schemes=[SecurityScheme("key", "apiKey", location="header", param_name="X-Key")],
        security=[{"key": []}],
        resources=[Resource("/pets", operations=[op], pointer="/paths/~1pets")],
        schemas={"Node": node},
        source=Source("swagger", "2.0", "pets.yaml"),
    )


def test_round_trip_through_json_text() -> None:
    api = full_api()
    doc = json.loads(json.dumps(api.document()))
    assert Api.from_document(doc) == api


def test_json_form_uses_architecture_field_names() -> None:
    doc = full_api().document()
    assert doc["irVersion"] == 1
    api = doc["api"]
    assert api["servers"][0] == {"url": "https://api.example.com/v1", "host": "api.example.com",
                                 "basePath": "/v1", "scheme": "https"}
    op = api["resources"][0]["operations"][0]
    assert op["operationId"] == "addPet" and op["method"] == "POST"
    assert op["security"] == []  # explicitly no security is kept, unlike "inherit" (absent)
    param = op["parameters"][0]
    assert param["restrictions"] == {"minimum": 0, "maximum": 100, "exclusiveMaximum": True}
    prop = op["requestBody"]["contents"][0]["schema"]["properties"][0]
    assert prop == {"name": "name", "schema": {"type": "string", "restrictions": {"minLength": 1, "maxLength": 20}},
                    "required": True}
    assert op["requestBody"]["contents"][0]["mediaType"] == "application/json"


def test_unset_values_are_absent() -> None:
    doc = Parameter("q", "query").to_json()
    assert doc == {"name": "q", "location": "query", "required": False, "type": "string", "array": False}
    assert Schema(ref="Node").to_json() == {"ref": "Node"}


def test_security_none_means_inherit() -> None:
    op = Operation("GET")
    assert "security" not in op.to_json()
    assert Operation.from_json(op.to_json()).security is None


def test_resolve_follows_refs_and_stops_on_cycles() -> None:
    api = Api(title="t", schemas={"A": Schema(ref="B"), "B": Schema(type="string"), "C": Schema(ref="C")})
    assert api.resolve(Schema(ref="A")).type == "string"
    assert api.resolve(Schema(ref="C")).ref == "C"
    assert api.resolve(Schema(ref="missing")).ref == "missing"


def test_other_ir_version_is_refused() -> None:
    with pytest.raises(ValueError, match="irVersion"):
        Api.from_document({"irVersion": 2, "api": {"title": "x"}})
