"""migrate.emitters.akamai.schema: the committed Akamai extract and validate_endpoint."""

from __future__ import annotations

import json

from migrate.emitters.akamai.schema import (
    AKAMAI_ENDPOINT_SCHEMA,
    dump_extract,
    extract_akamai_endpoint_schema,
    validate_endpoint,
)
from tests.testsupport import need_shared

# the seed's create request (../shared/seeds, "Create an endpoint"), trimmed
SEED_BODY = {
    "apiEndPointName": "Membership Benefits", "basePath": "/api/v2", "apiEndPointScheme": "http/https",
    "consumeType": "any", "groupId": 44681, "apiEndPointHosts": ["api-service.example.com"],
    "apiCategoryIds": [161], "contractId": "3-13H55B5",
    "securityScheme": {"securitySchemeType": "apikey",
                       "securitySchemeDetail": {"apiKeyLocation": "header", "apiKeyName": "header-101"}},
    "apiResources": [{"apiResourceName": "cloud security", "resourcePath": "/resources/{resourceId}",
                      "apiResourceMethods": [{"apiResourceMethod": "POST", "apiParameters": [
                          {"apiParameterRequired": True, "apiParameterName": "post-body",
                           "apiParameterLocation": "body", "apiParameterType": "json/xml",
                           "apiChildParameters": [{"apiParameterRequired": True, "apiParameterName": "id",
                                                   "apiParameterLocation": "body", "apiParameterType": "integer",
                                                   "apiParameterRestriction": {"rangeRestriction": {
                                                       "rangeMin": 6, "rangeMax": 15}}}]}]}]}],
}


def test_committed_extract_equals_fresh_extraction() -> None:
    source = need_shared("vendor", "akamai", "openapi.json")
    fresh = dump_extract(extract_akamai_endpoint_schema(json.loads(source.read_text(encoding="utf-8"))))
    assert AKAMAI_ENDPOINT_SCHEMA.read_text(encoding="utf-8") == fresh


def test_extract_keeps_lock_version_required_but_validation_does_not() -> None:
    extract = json.loads(AKAMAI_ENDPOINT_SCHEMA.read_text(encoding="utf-8"))
    assert "lockVersion" in extract["endpoint"]["required"]
    assert validate_endpoint(SEED_BODY) == []


def test_missing_required_and_wrong_types_are_reported_with_pointers() -> None:
    body = json.loads(json.dumps(SEED_BODY))
    del body["contractId"]
    body["groupId"] = "44681"
    assert validate_endpoint(body) == ["/: 'contractId' is a required property",
                                       "/groupId: '44681' is not of type 'integer'"]


def test_child_parameters_are_held_to_the_parameter_schema() -> None:
    body = json.loads(json.dumps(SEED_BODY))
    child = body["apiResources"][0]["apiResourceMethods"][0]["apiParameters"][0]["apiChildParameters"][0]
    child["apiParameterType"] = "object"
    child["apiChildParameters"] = [{"apiParameterName": "deep"}]
    errors = validate_endpoint(body)
    where = "/apiResources/0/apiResourceMethods/0/apiParameters/0/apiChildParameters/0"
    assert f"{where}/apiParameterType: 'object' is not one of ['string', 'integer', 'number', 'boolean', " \
           "'json/xml']" in errors
    assert f"{where}/apiChildParameters/0: 'apiParameterType' is a required property" in errors
    assert len(errors) == 4


def test_unknown_members_are_rejected() -> None:
    body = dict(SEED_BODY, bogus=1)
    assert validate_endpoint(body) == ["/: Additional properties are not allowed ('bogus' was unexpected)"]
