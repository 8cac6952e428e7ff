"""Akamai sandbox: delivery settings (seed 002 "Get/Update … Settings", akamai.json
``…/settings/{family}``): defaults, GET -> modify -> PUT, resources keyed by apiResourceId with
inheritance, unknown resource ids, locked versions, settings carried over by a clone; every
exchange checked by the contract guard."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.sandbox.test_sandbox_akamai import ACTIVATE, Box, pointers, problem

FIXTURES = Path(__file__).parent.parent / "fixtures" / "contracts" / "akamai"
FAMILIES = ("cache", "gzip", "cors", "jwt", "api-privacy")


@pytest.fixture
def box() -> Box:
    return Box()


def settings(box: Box, eid: int, number: int, family: str) -> dict[str, Any]:
    answer = box.get(f"/endpoints/{eid}/versions/{number}/settings/{family}")
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


@pytest.mark.parametrize("family", FAMILIES)
def test_every_family_reads_before_anything_was_set(box: Box, family: str) -> None:
    made = box.create()
    got = settings(box, made["apiEndPointId"], 1, family)
    rid = str(made["apiResources"][0]["apiResourceId"])
    if family in ("cache", "jwt", "api-privacy"):
        assert list(got["resources"]) == [rid]
        assert got["resources"][rid]["path"] == "/book/{id}" and got["resources"][rid]["inheritsFromEndpoint"] is True
    assert box.checked.items == []


@pytest.mark.parametrize("family", ["cors", "gzip"])
def test_seed_bodies_of_endpoint_level_families_are_stored(box: Box, family: str) -> None:
    eid = box.create()["apiEndPointId"]
    body = json.loads((FIXTURES / f"put-{family}-settings.request.json").read_text())
    put = box.put(f"/endpoints/{eid}/versions/1/settings/{family}", body)
    assert put.status_code == 200, put.text
    assert put.json() == body == settings(box, eid, 1, family)  # the seed's request echoes as its response
    assert box.checked.items == []


def test_get_modify_put_keys_resources_by_id_and_tracks_inheritance(box: Box) -> None:
    made = box.create()
    eid, rid = made["apiEndPointId"], str(made["apiResources"][0]["apiResourceId"])
    got = settings(box, eid, 1, "jwt")
    got["enabled"] = True
    got["settings"]["validation"]["rsaPublicKeyA"] = {"name": "k.pub", "content": "-----BEGIN PUBLIC KEY-----\n"}
    got["resources"][rid]["enabled"] = False
    put = box.put(f"/endpoints/{eid}/versions/1/settings/jwt", got)
    assert put.status_code == 200, put.text
    again = settings(box, eid, 1, "jwt")
    assert again["enabled"] is True and again["resources"][rid]["enabled"] is False
    assert again["resources"][rid]["inheritsFromEndpoint"] is False
    again["resources"][rid]["enabled"] = True  # the endpoint's value again: inherits
    box.put(f"/endpoints/{eid}/versions/1/settings/jwt", again)
    assert settings(box, eid, 1, "jwt")["resources"][rid]["inheritsFromEndpoint"] is True
    privacy = settings(box, eid, 1, "api-privacy")
    privacy["resources"][rid]["public"] = False
    box.put(f"/endpoints/{eid}/versions/1/settings/api-privacy", privacy)
    now = settings(box, eid, 1, "api-privacy")["resources"][rid]
    assert now["public"] is False and now["methods"] == {"GET": {"public": False, "inheritsFromEndpoint": True}}
    assert box.checked.items == []


def test_unknown_resource_id_is_400_with_pointer(box: Box) -> None:
    eid = box.create()["apiEndPointId"]
    body = settings(box, eid, 1, "api-privacy")
    body["resources"] = {"999999": {"public": False}}
    assert pointers(box.put(f"/endpoints/{eid}/versions/1/settings/api-privacy", body)) == ["/resources/999999"]
    assert box.checked.items == []


def test_unknown_version_is_404_and_invalid_body_400(box: Box) -> None:
    eid = box.create()["apiEndPointId"]
    problem(box.get(f"/endpoints/{eid}/versions/9/settings/cors"), 404)
    problem(box.put(f"/endpoints/{eid}/versions/1/settings/gzip", {"compressResponse": "SOMETIMES"}), 400)
    assert box.checked.items == []


def test_activated_version_is_read_only_and_a_clone_keeps_its_settings(box: Box) -> None:
    made = box.create()
    eid, rid = made["apiEndPointId"], str(made["apiResources"][0]["apiResourceId"])
    cache = settings(box, eid, 1, "cache")
    cache["resources"][rid].update(option="BYPASS_CACHE", maxAge=None)
    assert box.put(f"/endpoints/{eid}/versions/1/settings/cache", cache).status_code == 200
    assert box.post(f"/endpoints/{eid}/versions/1/activate", ACTIVATE).status_code == 200
    problem(box.put(f"/endpoints/{eid}/versions/1/settings/gzip", {"compressResponse": "NEVER"}), 403)
    clone = box.post(f"/endpoints/{eid}/versions/1/cloneVersion").json()
    copied = settings(box, eid, clone["versionNumber"], "cache")["resources"][rid]
    assert copied["option"] == "BYPASS_CACHE" and copied["inheritsFromEndpoint"] is False
    assert box.checked.items == []
