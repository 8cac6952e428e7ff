"""Helpers for the vendor-client tests (a unique module name: every ``conftest.py`` is imported
as the module ``conftest``, so test modules must not import helpers from it)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from migrate.conversion.run import convert
from migrate.emitters.base import EmitOptions
from migrate.push.commands import Connection
from migrate.push.http import RetryPolicy
from migrate.push.protocol import Delivery
from migrate.sandbox import SandboxHandle

FAST = RetryPolicy(attempts=6, base=0.02, cap=0.2, jitter=0.02, timeout=5.0)
EXTRA: dict[str, dict[str, Any]] = {
    "akamai": {"activate": "staging"}, "akana": {}, "frends": {"publish": True, "deploy": 1},
}
SpecMaker = Callable[..., Path]
ConnMaker = Callable[..., Connection]

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


def secrets_of(handle: SandboxHandle) -> list[str]:
    c = handle.credentials
    return [c.akamai.client_secret, c.akamai.access_token, c.akamai.client_token, c.akana.password,
            c.frends.api_key]


def delivery(spec: Path, vendor: str, options: EmitOptions | None = None) -> Delivery:
    """What push sends for ``spec``: its payload for ``vendor``, converted here."""
    conversion = convert(spec, vendor, options)
    return Delivery(conversion.source, conversion.payload)
