"""Golden files: each sample read with read_spec and emitted for Akamai must equal
tests/golden/akamai/<sample>.json (payload) and <sample>.report.txt (diagnostics).
Regenerate with UPDATE_GOLDEN=1 and review the diff."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from migrate.emitters.akamai.emit import emit
from migrate.emitters.akamai.schema import validate_endpoint
from migrate.emitters.base import EmitOptions
from tests.testsupport import ROOT, SAMPLES

GOLDEN = ROOT / "tests" / "golden" / "akamai"
OPTIONS = EmitOptions(contract_id="C-0N7RAC71", group_id="44681", categories=("7",))
CASES = {
    "petstore-swagger2": SAMPLES / "petstore-swagger2.yaml",
    "orders-openapi30": SAMPLES / "orders-openapi30.yaml",
    "events-openapi31": SAMPLES / "events-openapi31.yaml",
    "library-raml08": SAMPLES / "library-raml08" / "api.raml",
}


def _read(path: Path):  # type: ignore[no-untyped-def]
    try:
        from migrate.readers import read_spec
    except ImportError:  # pragma: no cover - only before the readers land
        pytest.skip("readers not available yet")
    return read_spec(path)


def _compare(golden: Path, actual: str) -> None:
    if os.environ.get("UPDATE_GOLDEN") == "1":
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(actual, encoding="utf-8")
    assert golden.exists(), f"golden file {golden} is missing; run with UPDATE_GOLDEN=1 and review it"
    assert actual == golden.read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(CASES))
def test_sample_matches_golden(name: str) -> None:
    payload = emit(_read(CASES[name]), OPTIONS)
    assert [f.name for f in payload.files] == ["akamai.json"]
    _compare(GOLDEN / f"{name}.json", payload.main().text)
    _compare(GOLDEN / f"{name}.report.txt", "".join(d.render() + "\n" for d in payload.report))


@pytest.mark.parametrize("name", sorted(CASES))
def test_sample_payload_validates(name: str) -> None:
    payload = emit(_read(CASES[name]), OPTIONS)
    assert validate_endpoint(payload.main().document) == []
    assert not payload.report.failed()
    assert json.loads(payload.main().text) == payload.main().document
