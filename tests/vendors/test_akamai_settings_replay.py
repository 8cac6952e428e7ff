"""The Akamai client's settings logic on Akamai's own example objects (seed 002, copied verbatim in
tests/fixtures/contracts/akamai/): the members we set read through apiResourceId, and the object
written back (GET -> modify -> PUT) is one the contract accepts, with every other member kept."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from migrate.push.akamai.settings import merged, owned
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
