"""Shared fixtures; paths and helpers live in testsupport.py."""

from __future__ import annotations

from pathlib import Path

import pytest
from testsupport import CORPUS, FIXTURES, ROOT, SAMPLES, SHARED, need_shared

__all__ = ["CORPUS", "FIXTURES", "ROOT", "SAMPLES", "SHARED", "need_shared"]


@pytest.fixture
def corpus() -> Path:
    return need_shared("corpus")
