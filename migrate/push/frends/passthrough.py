"""Frends passthrough configurations of one version (seed 000:546-793), synced idempotently.

A configuration is known by (method, path, isDefault). A missing one is created with the
documented create body; its id comes back neither in a body nor a Location (x-silent), so after an
unknown outcome the list is read again before another try. A changed one is updated with the
documented update body only: corsEnabled, allowedOrigins, targetUrl, headers (seed 000:692-733); a
change of path, method or isDefault is a different configuration."""

from __future__ import annotations

from typing import Any

from migrate.push.frends.listing import Caller
from migrate.push.http import create_once

SPECS = "/api-management/api-specifications"
#: seed 000:614-633 plus the members of its example body (000:650-671)
CREATE_FIELDS = ("path", "method", "isDefault", "corsEnabled", "allowedOrigins", "targetUrl", "headers")
#: seed 000:692-699 plus the members of its example body (000:715-733)
UPDATE_FIELDS = ("corsEnabled", "allowedOrigins", "targetUrl", "headers")
Key = tuple[str, str, bool]


def config_key(config: dict[str, Any]) -> Key:
    """(METHOD, path, isDefault); path and method are not used by a default configuration."""
    if config.get("isDefault"):
        return "", "", True
    return str(config.get("method") or "").upper(), str(config.get("path") or ""), False


def body_of(config: dict[str, Any], fields: tuple[str, ...]) -> dict[str, Any]:
    return {k: config[k] for k in fields if k in config}


def _base(sid: int, version: int) -> str:
    return f"{SPECS}/{sid}/{version}/api-passthrough"


def _listed(client: Caller, base: str) -> dict[Key, dict[str, Any]]:
    data = client.call("GET", base, "list passthrough configurations").json().get("data") or []
    found: dict[Key, dict[str, Any]] = {}
    for config in sorted((c for c in data if isinstance(c, dict)), key=lambda c: int(c.get("id") or 0)):
        found.setdefault(config_key(config), config)
    return found


def _differs(found: dict[str, Any], config: dict[str, Any]) -> bool:
    """A documented update member differs (a missing list or text is taken as empty)."""
    return any(_norm(found.get(k)) != _norm(config[k]) for k in UPDATE_FIELDS if k in config)


def _norm(value: Any) -> Any:
    if value is None:
        return []
    if isinstance(value, dict):
        return {k: v or "" for k, v in value.items()}
    return value


def pending(client: Caller, sid: int, version: int, configs: list[dict[str, Any]]) -> int:
    """How many configurations are missing or differ (0: in sync)."""
    existing = _listed(client, _base(sid, version))
    return sum(config_key(c) not in existing or _differs(existing[config_key(c)], c) for c in configs)


def sync_passthrough(client: Caller, sid: int, version: int, configs: list[dict[str, Any]]) -> None:
    base = _base(sid, version)
    existing = _listed(client, base)
    for config in configs:
        key = config_key(config)
        found = existing.get(key)
        if found is None:
            _create(client, base, key, body_of(config, CREATE_FIELDS))
        elif _differs(found, config):
            client.call("PUT", f"{base}/{found['id']}", "update passthrough configuration",
                        json=body_of(config, UPDATE_FIELDS))


def _create(client: Caller, base: str, key: Key, body: dict[str, Any]) -> None:
    def post() -> bool:
        client.call("POST", base, "create passthrough configuration", json=body)
        return True

    def lookup() -> bool | None:
        return True if key in _listed(client, base) else None

    create_once(post, lookup, client.policy)
