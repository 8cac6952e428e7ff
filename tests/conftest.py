"""Shared fixtures; paths and helpers live in testsupport.py."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from migrate.sandbox.guard import LOG_ENV
from tests.testsupport import CORPUS, FIXTURES, ROOT, SAMPLES, SHARED, need_shared

# openapi-spec-validator switches to jsonschema-rs by itself when that is installed (a product
# dependency); the tests use it as the reference with the pure-Python backend its verdicts were
# recorded with (migrate/validation/openapi.py pins the same for the product).
os.environ.setdefault("OPENAPI_SPEC_VALIDATOR_SCHEMA_VALIDATOR_BACKEND", "jsonschema")

__all__ = ["CORPUS", "FIXTURES", "ROOT", "SAMPLES", "SHARED", "need_shared"]


@pytest.fixture
def corpus() -> Path:
    return need_shared("corpus")


@pytest.fixture(scope="session", autouse=True)
def contract_log(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every sandbox started during the run (in this process or another) appends each exchange
    that breaks its vendor's documented contract to this file (migrate.sandbox.guard)."""
    path = tmp_path_factory.mktemp("contract") / "violations.jsonl"
    path.touch()
    os.environ[LOG_ENV] = str(path)
    return path


@pytest.fixture(autouse=True)
def sandboxes_keep_the_contract(contract_log: Path, request: pytest.FixtureRequest) -> Iterator[None]:
    """A test during which any sandbox response differed from its vendor's contract fails."""
    start = contract_log.stat().st_size
    yield
    if request.node.get_closest_marker("breaks_contract"):
        return
    with contract_log.open(encoding="utf-8") as log:
        log.seek(start)
        found = [json.loads(line) for line in log if line.strip()]
    if found:
        shown = "\n".join(f"  {v['vendor']} {v['method']} {v['path']} -> {v['status']}: {v['problem']}"
                          for v in found[:20])
        pytest.fail(f"{len(found)} sandbox exchange(s) broke the vendor contract:\n{shown}", pytrace=False)
