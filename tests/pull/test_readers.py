"""The vendor readers on the vendors' own example objects, verbatim (tests/fixtures/contracts)."""

from __future__ import annotations

import json

from migrate.core.diagnostics import Code
from migrate.pull.akamai import read_endpoint
from migrate.pull.akana import read_version
from tests.testsupport import FIXTURES


def _load(vendor: str, name: str) -> dict:
    return json.loads((FIXTURES / "contracts" / vendor / name).read_text(encoding="utf-8"))


def test_akamai_resources_detail_example_is_read() -> None:
    api, report = read_endpoint(_load("akamai", "get-version-details.200.json"))  # seed 002:2108-2306
    assert api.title == "Membership Benefits"
    assert [s.url for s in api.servers] == ["https://api-service.example.com/api/v2"]  # scheme null: https
    assert [(s.type, s.location, s.param_name) for s in api.security_schemes] == [("apiKey", "header", "header-api")]
    billing = api.resources[0]
    assert (billing.path, billing.name) == ("/billing", "Billing")
    get, post = billing.operations
    assert [(p.name, p.location, p.type) for p in get.parameters] == [("param1", "header", "integer"),
                                                                       ("param-2", "cookie", "number")]
    assert get.parameters[1].restrictions.maximum == 999999.0 and get.parameters[1].restrictions.minimum is None
    assert post.parameters == [] and post.request_body is not None
    # no apiParameterContentType: its apiParameterType json/xml says what the body is
    assert [c.media_type for c in post.request_body.contents] == ["application/json", "application/xml"]
    schema = post.request_body.contents[0].schema
    assert schema is not None and schema.type == "object" and len(schema.properties) == 1
    codes = {d.code for d in report}
    assert Code.VENDOR_LACKS in codes
    held = {d.pointer for d in report if d.code is Code.VENDOR_FEATURE_NOT_READ}
    assert held == {"/apiCategoryIds", "/akamaiSecurityRestrictions"}


def test_akana_api_version_example_is_read() -> None:
    created = _load("akana", "createAPI.200.legacy-new-service.json")  # seed 003:269-370
    api, report = read_version(created, created["APIVersion"])
    assert (api.title, api.version, api.description) == ("aaa_Swagger_Production", "1.0", "First version")
    assert [s.url for s in api.servers] == ["http://petstore.swagger.io/"]  # the backend, not the proxy
    (resource,) = api.resources
    assert resource.path == "/pet/{path}"
    (op,) = resource.operations
    assert (op.method, op.operation_id) == ("GET", "getPetById")
    assert [(p.name, p.location, p.required, p.type) for p in op.parameters] == [("path", "path", True, "string")]
    assert op.request_body is None  # "*/*" is what a body-less operation carries too
    by_pointer = {d.pointer: d for d in report if d.code is Code.VENDOR_FEATURE_NOT_READ}
    assert set(by_pointer) == {"/Operations/Operation/0/Path", "/Policies/Policy/0", "/Endpoints/Endpoint/0"}
    assert "10001-DetailedAuditing" in by_pointer["/Policies/Policy/0"].message
    lacks = " ".join(d.message for d in report if d.code is Code.VENDOR_LACKS)
    assert "parameter types" in lacks and "responses" in lacks


def test_akamai_array_body_member_and_restrictions() -> None:
    member = {"apiParameterName": "tags", "apiParameterType": "string", "array": True,
              "apiParameterRequired": True,
              "apiParameterRestriction": {"lengthRestriction": {"lengthMin": 2, "lengthMax": 9},
                                          "arrayRestriction": {"maxItems": 4, "uniqueItems": True}}}
    body = {"apiParameterName": "body", "apiParameterLocation": "body", "apiParameterType": "json/xml",
            "apiParameterContentType": "json/xml", "apiParameterRequired": False, "apiChildParameters": [member]}
    endpoint = {"apiEndPointName": "T", "apiResources": [{"resourcePath": "/t", "apiResourceMethods": [
        {"apiResourceMethod": "POST", "apiParameters": [body]}]}]}
    api, _ = read_endpoint(endpoint)
    request = api.resources[0].operations[0].request_body
    assert request is not None and not request.required
    assert [c.media_type for c in request.contents] == ["application/json", "application/xml"]
    tags = request.contents[0].schema.properties[0]  # type: ignore[union-attr]
    assert tags.required and tags.schema.type == "array"
    assert (tags.schema.restrictions.max_items, tags.schema.restrictions.unique_items) == (4, True)
    assert tags.schema.items is not None and tags.schema.items.type == "string"
    assert (tags.schema.items.restrictions.min_length, tags.schema.items.restrictions.max_length) == (2, 9)


def test_akamai_settings_examples_are_reported_not_read() -> None:
    """Akamai's own GET settings examples: each one that is on is named; the privacy example makes
    everything public (as any spec describes an API), and the GZIP example is the descriptor's
    default (ALWAYS, what every endpoint does), so neither is a loss; NEVER is."""
    settings = {kind: _load("akamai", f"get-{kind}-settings.200.json")
                for kind in ("cache", "gzip", "cors", "jwt", "api-privacy")}
    _, report = read_endpoint(_load("akamai", "get-version-details.200.json"), settings)
    found = {d.pointer: d.message for d in report if d.pointer.startswith("/settings/")}
    assert set(found) == {"/settings/cache", "/settings/cors", "/settings/jwt"}
    assert all(d.code is Code.VENDOR_FEATURE_NOT_READ for d in report if d.pointer.startswith("/settings/"))
    assert "'COOKIE cookieWT'" in found["/settings/jwt"]
    _, never = read_endpoint(_load("akamai", "get-version-details.200.json"), {"gzip": {"compressResponse": "NEVER"}})
    gzip = next(d.message for d in never if d.pointer == "/settings/gzip")
    assert gzip.startswith("GZIP compression of responses: 'NEVER'")
