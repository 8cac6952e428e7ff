"""Shared fixtures; paths and helpers live in testsupport.py."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.testsupport import CORPUS, FIXTURES, ROOT, SAMPLES, SHARED, need_shared

# openapi-spec-validator switches to jsonschema-rs by itself when that is installed (a product
# dependency); the tests use it as the reference with the pure-Python backend its verdicts were
# recorded with (migrate/validation/openapi.py pins the same for the product).
os.environ.setdefault("OPENAPI_SPEC_VALIDATOR_SCHEMA_VALIDATOR_BACKEND", "jsonschema")

__all__ = ["CORPUS", "FIXTURES", "ROOT", "SAMPLES", "SHARED", "need_shared"]


@pytest.fixture
def corpus() -> Path:
    return need_shared("corpus")
