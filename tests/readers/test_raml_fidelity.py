"""RAML 0.8: the reserved {mediaTypeExtension} URI parameter and OAuth 1.0 security schemes."""

from __future__ import annotations

import pytest

from migrate.conversion.run import convert
from migrate.core.diagnostics import Code, Severity
from migrate.emitters.base import EmitOptions
from migrate.readers import read_spec
from tests.testsupport import FIXTURES

SPEC = FIXTURES / "fidelity" / "raml" / "media-type-extension.raml"


def test_a_single_value_media_type_extension_is_the_literal() -> None:
    api = read_spec(SPEC)
    assert [r.path for r in api.resources] == ["/search/tweets.json", "/statuses{mediaTypeExtension}"]
    assert [p.name for p in api.resources[0].operations[0].parameters] == []
    [several] = api.resources[1].operations[0].parameters
    assert (several.name, several.restrictions.enum) == ("mediaTypeExtension", [".json", ".xml"])


def test_the_resolution_is_said_at_the_resource_naming_the_declaration() -> None:
    conversion = convert(SPEC, "openapi")
    [d] = [d for d in conversion.diagnostics if d.code is Code.PATH_PARAMETER_RESOLVED]
    assert d.pointer == "/~1search~1tweets{mediaTypeExtension}"
    assert d.message == ("{mediaTypeExtension} can only be '.json' (declared at "
                         "/resourceTypes/0/base/uriParameters/mediaTypeExtension): /search/tweets{mediaTypeExtension} "
                         "is written as /search/tweets.json")
    assert list(conversion.payload.main().document["paths"]) == ["/search/tweets.json",
                                                                 "/statuses{mediaTypeExtension}"]


def test_oauth_1_0_is_read_into_the_model() -> None:
    [scheme] = read_spec(SPEC).security_schemes
    assert (scheme.type, scheme.urls, scheme.extensions) == ("oauth1", {
        "requestToken": "https://api.example.com/oauth/request_token",
        "authorization": "https://api.example.com/oauth/authorize",
        "tokenCredentials": "https://api.example.com/oauth/access_token"}, {})


@pytest.mark.parametrize(("target", "says"), [
    ("openapi", "OpenAPI 3.0 has no OAuth 1.0 security schemes (requestToken URL "
                "https://api.example.com/oauth/request_token; authorization URL"),
    ("akamai", "(type 'oauth1'; requestToken URL https://api.example.com/oauth/request_token;"),
    ("akana", "(oauth1; requestToken URL https://api.example.com/oauth/request_token;"),
    ("frends", "OpenAPI 3.0 has no OAuth 1.0 security schemes"),
])
def test_each_target_says_what_of_the_oauth_1_0_scheme_it_cannot_hold(target: str, says: str) -> None:
    conversion = convert(SPEC, target, EmitOptions(contract_id="C-1", group_id="1"))
    found = [d for d in conversion.diagnostics if d.code is Code.SECURITY_SCHEME_UNSUPPORTED
             and d.pointer == "/securitySchemes/0/oauth_1_0"]
    assert found and says in found[0].message and found[0].severity is Severity.WARNING
    assert "tokenCredentials URL https://api.example.com/oauth/access_token" in found[0].message


BASE_URI = FIXTURES / "fidelity" / "raml" / "base-uri-parameters.raml"


def test_base_uri_parameters_are_server_variables_and_version_is_fixed() -> None:
    servers = read_spec(BASE_URI).servers
    assert [(s.url, s.template) for s in servers] == [
        ("https://eu.api.example.com/v3/public", "https://{region}.api.example.com/v3/{tenant}"),
        ("http://eu.api.example.com/v3/public", "http://{region}.api.example.com/v3/{tenant}")]
    region, tenant = servers[0].variables["region"], servers[0].variables["tenant"]
    assert (region.default, region.enum, region.description) == ("eu", ["eu", "us"], "Where the request is served.")
    assert (tenant.default, tenant.enum) == ("public", [])


def test_a_target_without_server_variables_names_each_at_its_declaration() -> None:
    conversion = convert(BASE_URI, "akana")
    dropped = {d.pointer: d.message for d in conversion.diagnostics if d.code is Code.SERVER_DROPPED}
    assert "/baseUriParameters/region" in dropped and "/baseUriParameters/tenant" in dropped
    assert 'the other values ["us"] are not carried' in dropped["/baseUriParameters/region"]
