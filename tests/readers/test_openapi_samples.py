"""The three sample specs read into the model with the features they were written to exercise."""

from __future__ import annotations

from migrate.core.model import Api
from migrate.readers import ReadOptions, read_spec
from migrate.readers.openapi.read import read_with_report
from tests.readers.test_openapi_helpers import op_of
from tests.testsupport import SAMPLES


def read(name: str) -> Api:
    return read_spec(SAMPLES / name)


def pet_xml(api: Api) -> str | None:
    xml = api.schemas["Pet"].xml
    return xml.name if xml is not None else None


def test_petstore_swagger2() -> None:
    api = read("petstore-swagger2.yaml")
    assert api.source is not None and pet_xml(api) == "pet"
    assert (api.source.format, api.title, api.base_path) == ("swagger", "Petstore", "/v1")
    assert [r.path for r in api.resources] == ["/pets", "/pets/{petId}", "/pets/{petId}/photo", "/store/feedback"]
    assert [s.type for s in api.security_schemes] == ["http", "apiKey", "oauth2"]
    pet = api.schemas["Pet"]
    assert [p.name for p in pet.properties] == ["name", "tag", "photoUrls", "id", "parent", "children"]
    assert pet.properties[4].schema.ref == "Pet"
    get_pet = op_of(api, "/pets/{petId}")
    assert [(p.name, p.default) for p in get_pet.parameters] == [("petId", None), ("verbose", False)]
    photo = op_of(api, "/pets/{petId}/photo", "POST")
    assert photo.request_body.contents[0].media_type == "multipart/form-data"
    create = op_of(api, "/pets", "POST")
    assert create.extensions == {"x-rate-limit": 10}
    assert [c.media_type for c in create.request_body.contents] == ["application/json", "application/xml"]


def test_orders_openapi30() -> None:
    path = SAMPLES / "orders-openapi30.yaml"
    api, report = read_with_report(path, path.read_text(encoding="utf-8"), ReadOptions())
    assert [(s.host, s.base_path) for s in api.servers] == [("eu.orders.example.com", "/api/v2"),
                                                            ("localhost:8080", "/api/v2")]
    assert list(report) == []  # server variables are read into the model, not lost here
    region = api.servers[0].variables["region"]
    assert (api.servers[0].template, region.default, region.enum) == (
        "https://{region}.orders.example.com/{basePath}", "eu", ["eu", "us"])
    assert api.schemas["Payment"].combinator == "oneOf"
    bundle = api.schemas["Line"].properties[2].schema
    assert bundle.items is not None and bundle.items.ref == "Line"
    order = api.schemas["Order"]
    assert [p.name for p in order.properties] == ["lines", "payment", "note", "id", "total", "status"]
    listing = op_of(api, "/orders")
    assert [p.name for p in listing.parameters] == ["pageSize", "status", "placedAfter", "filter"]
    get_order = op_of(api, "/orders/{orderId}")
    trace = next(p for p in get_order.parameters if p.name == "X-Trace")
    assert trace.required and trace.restrictions.min_length == 8
    assert [s.type for s in api.security_schemes] == ["http", "http", "apiKey", "oauth2", "openIdConnect"]


def test_events_openapi31() -> None:
    api = read("events-openapi31.yaml")
    assert api.source is not None
    assert (api.source.format_version, api.servers[0].base_path) == ("3.1.0", "/events/v1")
    price = next(p for p in api.schemas["Event"].properties if p.name == "price")
    assert (price.schema.type, price.schema.nullable) == ("number", True)
    assert (price.schema.restrictions.minimum, price.schema.restrictions.exclusive_minimum) == (0, True)
    capacity = op_of(api, "/events").parameters[1]
    r = capacity.restrictions
    assert (r.minimum, r.exclusive_minimum, r.maximum, r.exclusive_maximum) == (0, True, 100000, True)
    assert api.security_schemes[-1].type == "mutualTLS"


def test_model_json_round_trip() -> None:
    for name in ("petstore-swagger2.yaml", "orders-openapi30.yaml", "events-openapi31.yaml"):
        api = read(name)
        assert Api.from_document(api.document()) == api
