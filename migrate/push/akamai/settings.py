"""Akamai delivery settings (seed 002 "Get/Update … Settings"): what the payload's
``akamai-settings.json`` asks for, read from and written to an endpoint version.

The payload keys per-resource settings by resource path; Akamai keys them by ``apiResourceId``,
which the version's resources-detail gives (``ids``). "Unchanged" is decided on the members the
payload sets (``owned``), never on the whole object; an update is Akamai's documented GET ->
modify -> PUT of the whole object (``merged``), one family at a time, only when it differs."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from typing import Any

import requests

from migrate.push.protocol import Delivery, payload_file

FILE_NAME = "akamai-settings.json"  # the Akamai emitter's settings file
#: the order families are applied in (privacy first: it decides who reaches the resources at all)
FAMILIES = ("api-privacy", "jwt", "cors", "cache", "gzip")
Call = Callable[..., requests.Response]


def wanted(delivery: Delivery) -> dict[str, Any] | None:
    """The settings the payload asks for (None: the push sets none)."""
    found = payload_file(delivery, FILE_NAME)
    if found is None:
        return None
    document: dict[str, Any] = json.loads(found.text)
    return {family: document[family] for family in FAMILIES if family in document}


def ids(detail: dict[str, Any]) -> dict[str, str]:
    """resource path -> apiResourceId (as the settings' map keys: strings) of a version."""
    return {str(r.get("resourcePath")): str(r.get("apiResourceId")) for r in detail.get("apiResources") or []
            if r.get("apiResourceId") is not None}


def owned(vendor: Any, ours: Any, paths: dict[str, str] | None) -> Any:
    """``vendor`` reduced to the members ``ours`` sets; ``resources`` (by id at Akamai) read by
    path through ``paths`` (None: ``vendor`` is keyed by path already, as ``ours`` is)."""
    if not isinstance(ours, dict) or not isinstance(vendor, dict):  # e.g. a null maxAge where we set one
        return vendor
    out: dict[str, Any] = {}
    for key in sorted(ours):
        if key == "resources" and isinstance(ours[key], dict):
            theirs = vendor.get(key) or {}
            out[key] = {path: owned(theirs.get(paths[path] if paths is not None and path in paths else path),
                                    ours[key][path], None) for path in sorted(ours[key])}
        else:
            out[key] = owned(vendor.get(key), ours[key], None)
    return out


def merged(vendor: dict[str, Any], ours: dict[str, Any], paths: dict[str, str]) -> dict[str, Any]:
    """Akamai's object with our members written in (objects member by member, resources by id)."""
    out = copy.deepcopy(vendor)
    for key, value in ours.items():
        if key == "resources" and isinstance(value, dict):
            target = out.setdefault("resources", {})
            for path, entry in value.items():
                rid = paths[path]
                target[rid] = _deep(target.get(rid) or {}, entry)
        elif isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _deep(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def _deep(base: dict[str, Any], top: dict[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(base)
    for key, value in top.items():
        out[key] = _deep(out[key], value) if isinstance(value, dict) and isinstance(out.get(key), dict) \
            else copy.deepcopy(value)
    return out


def path_of(eid: int, number: int, family: str) -> str:
    return f"/endpoints/{eid}/versions/{number}/settings/{family}"


def read(call: Call, eid: int, number: int, detail: dict[str, Any], ours: dict[str, Any]) -> dict[str, Any]:
    """What the version holds of the members we set, per family, resources by path."""
    paths = ids(detail)
    return {family: owned(call("GET", path_of(eid, number, family), f"read {family} settings").json(),
                          ours[family], paths) for family in sorted(ours)}


def desired(ours: dict[str, Any]) -> dict[str, Any]:
    """Our own settings in the form ``read`` gives (for an equality check and the plan's diff)."""
    return {family: owned(ours[family], ours[family], None) for family in sorted(ours)}


def apply(call: Call, eid: int, number: int, detail: dict[str, Any], ours: dict[str, Any]) -> list[str]:
    """Write the families that differ (GET -> modify -> PUT); the families written."""
    paths = ids(detail)
    missing = sorted({p for family in ours.values() for p in (family.get("resources") or {})} - set(paths))
    if missing:
        from migrate.core.errors import PushError
        raise PushError("akamai", f"version {number} of endpoint {eid} has no resource {missing[0]!r} to set "
                        "delivery settings on")
    written = []
    for family in FAMILIES:
        if family not in ours:
            continue
        where = path_of(eid, number, family)
        current = call("GET", where, f"read {family} settings").json()
        if owned(current, ours[family], paths) == owned(ours[family], ours[family], None):
            continue
        call("PUT", where, f"update {family} settings", json=merged(current, ours[family], paths))
        written.append(family)
    return written
