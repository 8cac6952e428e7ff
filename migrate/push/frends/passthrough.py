"""Frends passthrough configurations of one version (seed 000), synced idempotently: a config is
known by (method, path, isDefault); missing ones are created (looked up again after an unknown
outcome, so none is made twice), changed ones are PUT."""

from __future__ import annotations

from typing import Any, Protocol

import requests

from migrate.push.http import create_once


class _Caller(Protocol):
    policy: Any

    def call(self, method: str, path: str, action: str, **kwargs: Any) -> requests.Response: ...


def config_key(config: dict[str, Any]) -> tuple[str, str, bool]:
    return str(config.get("method") or "").upper(), str(config.get("path") or ""), bool(config.get("isDefault"))


def _listed(client: _Caller, base: str) -> dict[tuple[str, str, bool], dict[str, Any]]:
    data = client.call("GET", base, "list passthrough configurations").json().get("data") or []
    return {config_key(c): c for c in data}


def in_sync(client: _Caller, sid: int, version: int, configs: list[dict[str, Any]]) -> bool:
    """Every config is there with the same values (so ``plan`` can say there is nothing to do)."""
    existing = _listed(client, f"/{sid}/{version}/api-passthrough")
    return all(config_key(c) in existing and not _differs(existing[config_key(c)], c) for c in configs)


def _differs(found: dict[str, Any], config: dict[str, Any]) -> bool:
    return any(found.get(k) != v for k, v in config.items())


def sync_passthrough(client: _Caller, sid: int, version: int, configs: list[dict[str, Any]]) -> None:
    base = f"/{sid}/{version}/api-passthrough"
    existing = _listed(client, base)
    for config in configs:
        key = config_key(config)
        found = existing.get(key)
        if found is None:
            def post(config: dict[str, Any] = config) -> bool:
                client.call("POST", base, "create passthrough configuration", json=config)
                return True

            def lookup(key: tuple[str, str, bool] = key) -> bool | None:
                return True if key in _listed(client, base) else None

            create_once(post, lookup, client.policy)
        elif _differs(found, config):
            client.call("PUT", f"{base}/{found['id']}", "update passthrough configuration", json=config)
