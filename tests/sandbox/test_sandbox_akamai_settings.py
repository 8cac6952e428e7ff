"""Akamai sandbox: a version's settings (akamai.json settings/*): the vendor's own PUT examples
kept and returned, nothing configured is a 404, an activated version refuses a PUT."""

from __future__ import annotations

import json

import pytest

from migrate.sandbox.akamai.settings import KINDS
from tests.sandbox.test_sandbox_akamai import ACTIVATE, Box, problem
from tests.testsupport import FIXTURES


def _example(kind: str) -> dict:
    return json.loads((FIXTURES / "contracts" / "akamai" / f"put-{kind}-settings.request.json").read_text())


@pytest.fixture
def box() -> Box:
    return Box()


@pytest.mark.parametrize("kind", KINDS)
def test_settings_are_kept_as_put_and_none_is_404(kind: str, box: Box) -> None:
    eid = box.create()["apiEndPointId"]
    path = f"/endpoints/{eid}/versions/1/settings/{kind}"
    assert "configured" in problem(box.get(path), 404)["detail"]
    put = box.put(path, _example(kind))
    assert put.status_code == 200, put.text
    got = box.get(path)
    assert got.status_code == 200 and got.json() == _example(kind)
    assert box.checked.items == []


def test_an_activated_version_refuses_a_settings_put(box: Box) -> None:
    eid = box.create()["apiEndPointId"]
    assert box.post(f"/endpoints/{eid}/versions/1/activate", ACTIVATE).status_code in (200, 201, 202)
    box.get(f"/endpoints/{eid}/versions")  # the activation settles
    problem(box.put(f"/endpoints/{eid}/versions/1/settings/gzip", _example("gzip")), 403)
