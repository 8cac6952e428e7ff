"""Fixtures for pull, verify and migrate: a sandbox per test, its config file and journal (as the
vendor-client tests have them)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from migrate.push.commands import Connection
from migrate.sandbox import SandboxHandle, start_sandbox, write_config
from tests.vendors.vendor_helpers import FAST, ConnMaker


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
