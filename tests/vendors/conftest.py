"""Fixtures for the vendor clients: a sandbox per test, its config file, small retry backoffs and
small OpenAPI 3 specs written to tmp_path. Helpers the test modules import live in
``vendor_helpers.py``."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from migrate.push.commands import Connection
from migrate.sandbox import SandboxHandle, start_sandbox, write_config
from tests.vendors.vendor_helpers import FAST, ConnMaker, SpecMaker, spec_document


@pytest.fixture
def make_spec(tmp_path: Path) -> SpecMaker:
    def make(title: str = "Items", base: str = "/items-api", name: str | None = None, **kw: Any) -> Path:
        path = tmp_path / (name or f"{title.replace(' ', '_')}.json")
        path.write_text(json.dumps(spec_document(title, base, **kw)), encoding="utf-8")
        return path

    return make


@pytest.fixture
def sandbox() -> Iterator[SandboxHandle]:
    with start_sandbox("all") as handle:
        yield handle


@pytest.fixture
def config(sandbox: SandboxHandle, tmp_path: Path) -> Path:
    path = tmp_path / "config.toml"
    write_config(sandbox, path)
    return path


@pytest.fixture
def conn(config: Path, tmp_path: Path) -> ConnMaker:
    def make(vendor: str, **kw: Any) -> Connection:
        settings: dict[str, Any] = {"config": config, "profile": f"sandbox-{vendor}",
                                    "journal": tmp_path / "journal.jsonl", "policy": FAST, **kw}
        return Connection(vendor, **settings)

    return make
