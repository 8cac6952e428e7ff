"""The Akamai client's settings logic on Akamai's own example objects (seed 002, copied verbatim in
tests/fixtures/contracts/akamai/): the members we set read through apiResourceId, and the object
written back (GET -> modify -> PUT) is one the contract accepts, with every other member kept."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from migrate.push.akamai.settings import apply, desired, merged, owned, read
from migrate.push.contracts.check import Contract

FIXTURES = Path(__file__).parent.parent / "fixtures" / "contracts" / "akamai"
PUT = "/api-definitions/v2/endpoints/288595/versions/23/settings/"


def example(name: str) -> dict[str, Any]:
    found: dict[str, Any] = json.loads((FIXTURES / name).read_text(encoding="utf-8"))
    return found


@pytest.mark.parametrize(("family", "ids", "ours", "before"), [
    ("jwt", {"/endpoint1": "11904", "/endpoint2": "11903"},
     {"enabled": True, "settings": {"paramName": "Authorization", "location": "HEADER"},
      "resources": {"/endpoint2": {"enabled": True}}},
     {"enabled": True, "settings": {"paramName": "cookieWT", "location": "COOKIE"},
      "resources": {"/endpoint2": {"enabled": False}}}),
    ("api-privacy", {"/add": "6362"}, {"public": False, "resources": {"/add": {"public": False}}},
     {"public": True, "resources": {"/add": {"public": True}}}),
    ("cache", {"/1": "12083", "/2": "12084"},
     {"enabled": True, "resources": {"/2": {"option": "CACHE", "maxAge": {"duration": 5, "unit": "MINUTES"}}}},
     {"enabled": True, "resources": {"/2": {"option": "BYPASS_CACHE", "maxAge": None}}}),
    ("cors", {}, {"allowedOrigins": ["https://a.example.com"], "preflightMaxAge": 600},
     {"allowedOrigins": ["*"], "preflightMaxAge": 86400}),
    ("gzip", {}, {"compressResponse": "NEVER"}, {"compressResponse": "ALWAYS"}),
])
def test_seed_objects_read_and_written_back(family: str, ids: dict[str, str], ours: dict[str, Any],
                                            before: dict[str, Any]) -> None:
    vendor = example(f"get-{family}-settings.200.json")
    assert owned(vendor, ours, ids) == before  # what Akamai's example holds of the members we set
    body = merged(vendor, ours, ids)
    assert owned(body, ours, ids) == owned(ours, ours, None)  # our members written in ...
    untouched = {k: v for k, v in vendor.items() if k not in ours}
    assert {k: body[k] for k in untouched} == untouched  # ... every other member kept
    assert Contract.load("akamai").check_request("PUT", PUT + family, "application/json",
                                                 json.dumps(body).encode()) == []


def test_overriding_a_cache_resource_sends_inherits_false() -> None:
    """Seed 002 (PUT cache example): the overriding resource carries "inheritsFromEndpoint": false;
    the descriptor makes the flag writable and required for cache resources. A resource whose values
    already are ours but which still inherits is written too (the flag is a member we own)."""
    vendor = example("get-cache-settings.200.json")
    assert vendor["resources"]["12083"]["inheritsFromEndpoint"] is True
    detail = {"apiResources": [{"resourcePath": "/1", "apiResourceId": 12083},
                               {"resourcePath": "/2", "apiResourceId": 12084}]}
    sent: list[dict[str, Any]] = []

    def call(method: str, path: str, what: str, json: Any = None) -> Any:
        if method == "PUT":
            sent.append(json)

        class Answer:
            @staticmethod
            def json() -> Any:
                return copy.deepcopy(vendor)
        return Answer()

    same = {"option": "CACHE", "maxAge": {"duration": 123, "unit": "SECONDS"}, "serveStale": False}
    assert apply(call, 1, 1, detail, {"cache": {"resources": {"/1": same}}}) == ["cache"]
    assert sent[-1]["resources"]["12083"]["inheritsFromEndpoint"] is False
    assert sent[-1]["resources"]["12084"] == vendor["resources"]["12084"]
    # inheritance asked for in the settings file: true is sent
    assert apply(call, 1, 1, detail, {"cache": {"resources": {"/2": {"inheritsFromEndpoint": True}}}}) == ["cache"]
    assert sent[-1]["resources"]["12084"]["inheritsFromEndpoint"] is True
    # already overriding with our values: nothing written
    assert apply(call, 1, 1, detail, {"cache": {"resources": {"/2": {"option": "BYPASS_CACHE"}}}}) == []
    assert read(call, 1, 1, detail, {"cache": {"resources": {"/2": {"option": "BYPASS_CACHE"}}}}) == \
        desired({"cache": {"resources": {"/2": {"option": "BYPASS_CACHE"}}}})


def test_claims_compare_by_name_and_the_platforms_own_claims_are_kept() -> None:
    """Seed 002 (Get JWT Settings): Akamai returns exp/nbf beside the configured claims."""
    vendor = example("get-jwt-settings.200.json")
    claims = vendor["settings"]["validation"]["claims"]
    ours = {"settings": {"validation": {"claims": [c for c in claims if c["name"] in ("iss", "sub", "aud")][::-1]}}}
    assert owned(vendor, ours, {}) == owned(ours, ours, None)  # extra exp/nbf and another order: unchanged
    changed = {"settings": {"validation": {"claims": [{**claims[1], "value": "other"}]}}}
    assert owned(vendor, changed, {}) != owned(changed, changed, None)
    body = merged(vendor, changed, {})
    written = {c["name"]: c for c in body["settings"]["validation"]["claims"]}
    assert sorted(written) == ["aud", "exp", "iss", "nbf", "sub"]  # the platform's claims kept
    assert written["iss"]["value"] == "other" and written["exp"] == claims[3]


def test_cors_lists_compare_as_sets() -> None:
    vendor = {"enabled": True, "allowedOrigins": ["https://b.example.com", "https://a.example.com"],
              "allowedMethods": ["GET", "POST"]}
    ours = {"allowedOrigins": ["https://a.example.com", "https://b.example.com"], "allowedMethods": ["POST", "GET"]}
    assert owned(vendor, ours, None) == owned(ours, ours, None)
    assert owned({**vendor, "allowedMethods": ["GET"]}, ours, None) != owned(ours, ours, None)


def test_privacy_is_written_per_method_without_contradictions() -> None:
    """akamai.json PUT …/api-privacy: resources.{id}.methods.{METHOD}.public is writable."""
    method = {"public": True, "inheritsFromEndpoint": True}
    vendor = {"public": True, "resources": {"6362": {"path": "/add", "public": True, "inheritsFromEndpoint": True,
                                                     "methods": {"GET": dict(method), "POST": dict(method)}}}}
    ids = {"/add": "6362"}
    detail = {"apiResources": [{"resourcePath": "/add", "apiResourceId": 6362}]}
    held = [copy.deepcopy(vendor)]
    puts: list[Any] = []

    def call(method: str, path: str, what: str, json: Any = None) -> Any:
        if method == "PUT":
            puts.append(json)
            held.append(copy.deepcopy(json))

        class Answer:
            @staticmethod
            def json() -> Any:
                return copy.deepcopy(held[-1])
        return Answer()

    private = {"api-privacy": {"public": False, "resources": {"/add": {"public": False}}}}
    assert apply(call, 1, 1, detail, private) == ["api-privacy"]
    sent = puts[-1]["resources"]["6362"]
    assert sent["public"] is False and {m: v["public"] for m, v in sent["methods"].items()} == \
        {"GET": False, "POST": False}  # no method left public under a private resource
    mixed = {"api-privacy": {"public": False, "resources": {"/add": {"public": False, "methods": {
        "GET": {"public": True}, "POST": {"public": False}}}}}}
    assert read(call, 1, 1, detail, mixed) != desired(mixed)
    assert apply(call, 1, 1, detail, mixed) == ["api-privacy"]
    assert {m: v["public"] for m, v in puts[-1]["resources"]["6362"]["methods"].items()} == \
        {"GET": True, "POST": False}
    assert read(call, 1, 1, detail, mixed) == desired(mixed)
    assert apply(call, 1, 1, detail, mixed) == []  # a re-run writes nothing
    assert read(call, 1, 1, detail, private) != desired(private)  # per-method values differ from "all private"
    assert Contract.load("akamai").check_request("PUT", PUT + "api-privacy", "application/json",
                                                 json.dumps(merged(vendor, mixed["api-privacy"], ids,
                                                                   "api-privacy")).encode()) == []
