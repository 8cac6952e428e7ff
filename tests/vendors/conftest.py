"""Fixtures for the vendor clients: a sandbox per test, its config file, small retry backoffs and
small OpenAPI 3 specs written to tmp_path."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from migrate.sandbox import SandboxHandle, start_sandbox, write_config
from migrate.vendors.commands import Connection
from migrate.vendors.http import RetryPolicy

FAST = RetryPolicy(attempts=6, base=0.02, cap=0.2, jitter=0.02, timeout=5.0)
EXTRA: dict[str, dict[str, Any]] = {
    "akamai": {"activate": "staging"}, "akana": {}, "frends": {"publish": True, "deploy": 1},
}


def spec_document(title: str, base: str, extra_param: bool = False, post: bool = False) -> dict[str, Any]:
    """A small OpenAPI 3 document: GET {base}/items/{id} (+ a query parameter, + POST /items)."""
    params: list[dict[str, Any]] = [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}]
    if extra_param:
        params.append({"name": "q", "in": "query", "schema": {"type": "integer"}})
    paths: dict[str, Any] = {"/items/{id}": {"get": {"operationId": "getItem", "parameters": params,
                                                     "responses": {"200": {"description": "ok"}}}}}
    if post:
        paths["/items"] = {"post": {"operationId": "addItem", "responses": {"201": {"description": "made"}}}}
    return {"openapi": "3.0.3", "info": {"title": title, "version": "1.0"},
            "servers": [{"url": f"https://api.example.com{base}"}], "paths": paths}


SpecMaker = Callable[..., Path]


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


ConnMaker = Callable[..., Connection]


@pytest.fixture
def conn(config: Path, tmp_path: Path) -> ConnMaker:
    def make(vendor: str, **kw: Any) -> Connection:
        settings: dict[str, Any] = {"config": config, "profile": f"sandbox-{vendor}",
                                    "journal": tmp_path / "journal.jsonl", "policy": FAST, **kw}
        return Connection(vendor, **settings)

    return make


def secrets_of(handle: SandboxHandle) -> list[str]:
    c = handle.credentials
    return [c.akamai.client_secret, c.akamai.access_token, c.akamai.client_token, c.akana.password,
            c.frends.api_key]
