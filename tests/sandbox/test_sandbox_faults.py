"""Fault injection observed by a real client: 429 + Retry-After, 500/503, slow, reset, lost write."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import requests

from migrate.sandbox import FaultSpec, SandboxHandle, start_sandbox
from tests.sandbox.sandbox_helpers import openapi_text


@contextmanager
def frends_with(spec: FaultSpec) -> Iterator[tuple[SandboxHandle, requests.Session, str]]:
    with start_sandbox("frends", faults=spec) as handle:
        session = requests.Session()
        session.headers["Authorization"] = f"Bearer {handle.credentials.frends.api_key}"
        yield handle, session, f"{handle.base_urls['frends']}/api-management/api-specifications"


def _state(handle: SandboxHandle) -> dict[str, Any]:
    state: dict[str, Any] = requests.get(f"{handle.root_url('frends')}/_sandbox/state", timeout=5).json()
    return state


@pytest.mark.parametrize("status", [429, 500, 503])
def test_error_statuses(status: int) -> None:
    with frends_with(FaultSpec(1.0, 1, (str(status),), retry_after=2)) as (_, session, url):
        response = session.get(url, timeout=5)
    assert response.status_code == status
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers.get("Retry-After") == ("2" if status in (429, 503) else None)


def test_slow_response_times_out_a_short_client() -> None:
    with frends_with(FaultSpec(1.0, 1, ("slow",), slow_seconds=0.6)) as (_, session, url), \
            pytest.raises(requests.exceptions.ReadTimeout):
        session.get(url, timeout=0.2)


def test_reset_drops_the_connection_and_writes_nothing() -> None:
    with frends_with(FaultSpec(1.0, 1, ("reset",))) as (handle, session, url):
        with pytest.raises(requests.exceptions.ConnectionError):
            session.post(f"{url}/import", files={"file": ("a.json", openapi_text("A", "/a"))}, timeout=5)
        assert _state(handle)["frends"].get("specs", {}) == {}
        assert [f["kind"] for f in _state(handle)["faults"]] == ["reset"]


def test_lost_response_commits_the_write() -> None:
    with frends_with(FaultSpec(1.0, 1, ("lost",))) as (handle, session, url):
        with pytest.raises(requests.exceptions.ConnectionError):
            session.post(f"{url}/import", files={"file": ("a.json", openapi_text("A", "/a"))}, timeout=5)
        assert [s["name"] for s in _state(handle)["frends"]["specs"].values()] == ["A"]


def _outcomes(seed: int) -> list[int]:
    with frends_with(FaultSpec(0.5, seed, ("429", "500"))) as (_, session, url):
        return [session.get(url, timeout=5).status_code for _ in range(12)]


def test_same_seed_same_faults() -> None:
    first = _outcomes(7)
    assert first == _outcomes(7)
    assert {200, 429, 500} & set(first) != {200} and 200 in first


@pytest.mark.parametrize("text", ["2", "0.5:x", "0.5:1:teleport", "-0.1"])
def test_bad_fault_specs_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match="--faults"):
        FaultSpec.parse(text)


def test_fault_spec_parse() -> None:
    assert FaultSpec.parse("0.25:9:429,reset") == FaultSpec(0.25, 9, ("429", "reset"))
    assert FaultSpec.parse("0.1").seed is None
