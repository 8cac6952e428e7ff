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
    path through ``paths`` (None: ``vendor`` is keyed by path already, as ``ours`` is). Lists are
    ours as a whole but order-free: named objects (JWT ``claims``) are compared by name, only the
    names we set (Akamai adds its own ``exp``/``nbf``, seed 002 Get JWT Settings), each reduced to
    the members we set; other lists (CORS origins, headers, methods) as sets."""
    if isinstance(ours, list) and isinstance(vendor, list):
        if _named(ours):
            theirs = {str(item.get("name")): item for item in vendor if isinstance(item, dict)}
            return [owned(theirs.get(str(item["name"])), item, None)
                    for item in sorted(ours, key=lambda item: str(item["name"]))]
        unique = {json.dumps(item, sort_keys=True): item for item in vendor}
        return [unique[key] for key in sorted(unique)]
    if isinstance(ours, list):
        return vendor
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


def _named(items: list[Any]) -> bool:
    return bool(items) and all(isinstance(item, dict) and "name" in item for item in items)


def flagged(family: str, ours: dict[str, Any]) -> dict[str, Any]:
    """``ours`` with the inheritance flag of cache resources set: writable and required there
    (akamai.json PUT …/settings/cache), false for a resource we give values of its own (seed 002
    Update Cache Settings: the overriding resource is sent with ``"inheritsFromEndpoint": false``),
    unless the settings file says ``true`` (inherit the endpoint's). JWT and API privacy resources
    have it read-only: Akamai decides, and it is not a member we set."""
    if family == "api-privacy":
        return canonical(family, ours)
    if family != "cache" or not isinstance(ours.get("resources"), dict):
        return ours
    out = copy.deepcopy(ours)
    for entry in out["resources"].values():
        entry.setdefault("inheritsFromEndpoint", False)
    return out


def canonical(family: str, document: Any) -> Any:
    """API privacy read per method (akamai.json: ``resources.{id}.methods.{METHOD}.public``): each
    resource's ``methods`` becomes method -> {public} when its methods differ from the resource,
    None when they all agree with it (or Akamai sends the seed's list of names), so that "all
    methods as the resource" is a value we own and compare too. Other families as they are."""
    if family != "api-privacy" or not isinstance(document, dict) or not isinstance(document.get("resources"), dict):
        return document
    out = copy.deepcopy(document)
    for key, entry in out["resources"].items():
        if not isinstance(entry, dict):
            continue
        public, methods = entry.get("public"), entry.get("methods")
        per = {m: {"public": v.get("public", public)} for m, v in sorted(methods.items()) if isinstance(v, dict)} \
            if isinstance(methods, dict) else {}
        out["resources"][key] = {**entry, "methods": per if any(v["public"] != public for v in per.values())
                                 else None}
    return out


def merged(vendor: dict[str, Any], ours: dict[str, Any], paths: dict[str, str],
           family: str = "") -> dict[str, Any]:
    """Akamai's object with our members written in (objects member by member, resources by id;
    API privacy: every method of a resource written too, so none contradicts its resource)."""
    out = copy.deepcopy(vendor)
    for key, value in ours.items():
        if key == "resources" and isinstance(value, dict):
            target = out.setdefault("resources", {})
            for path, entry in value.items():
                rid = paths[path]
                target[rid] = _privacy(target.get(rid) or {}, entry) if family == "api-privacy" \
                    else _deep(target.get(rid) or {}, entry)
        elif isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _deep(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def _deep(base: dict[str, Any], top: dict[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(base)
    for key, value in top.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _deep(out[key], value)
        elif isinstance(value, list) and isinstance(out.get(key), list) and _named(value):
            out[key] = _claims(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def _privacy(base: dict[str, Any], top: dict[str, Any]) -> dict[str, Any]:
    """A privacy resource with our ``public`` and each method's: ours where we name the method,
    else the resource's (the seed's list of method names becomes the descriptor's object when we
    set methods of our own)."""
    out = _deep(base, {k: v for k, v in top.items() if k != "methods"})
    public, ours = out.get("public"), top.get("methods") or {}
    methods = out.get("methods")
    if isinstance(methods, dict):
        for name, entry in methods.items():
            if isinstance(entry, dict):
                entry["public"] = (ours.get(name) or {}).get("public", public)
    elif ours:
        out["methods"] = {name: {"public": (ours.get(name) or {}).get("public", public)}
                          for name in (methods if isinstance(methods, list) else sorted(ours))}
    return out


def _claims(theirs: list[Any], ours: list[dict[str, Any]]) -> list[Any]:
    """Our named objects written over Akamai's of the same name, in our order; the platform's
    others (its default ``exp``/``nbf`` claims) kept after them."""
    by_name = {str(item.get("name")): item for item in theirs if isinstance(item, dict)}
    names = {str(item["name"]) for item in ours}
    written = [_deep(by_name.get(str(item["name"])) or {}, item) for item in ours]
    return written + [copy.deepcopy(item) for item in theirs
                      if not (isinstance(item, dict) and str(item.get("name")) in names)]


def path_of(eid: int, number: int, family: str) -> str:
    return f"/endpoints/{eid}/versions/{number}/settings/{family}"


def read(call: Call, eid: int, number: int, detail: dict[str, Any], ours: dict[str, Any]) -> dict[str, Any]:
    """What the version holds of the members we set, per family, resources by path."""
    paths = ids(detail)
    return {family: owned(canonical(family, call("GET", path_of(eid, number, family), f"read {family} settings")
                                    .json()), flagged(family, ours[family]), paths) for family in sorted(ours)}


def desired(ours: dict[str, Any]) -> dict[str, Any]:
    """Our own settings in the form ``read`` gives (for an equality check and the plan's diff)."""
    return {family: owned(flagged(family, ours[family]), flagged(family, ours[family]), None)
            for family in sorted(ours)}


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
        mine = flagged(family, ours[family])
        current = call("GET", where, f"read {family} settings").json()
        if owned(canonical(family, current), mine, paths) == owned(mine, mine, None):
            continue
        call("PUT", where, f"update {family} settings", json=merged(current, ours[family], paths, family)
             if family == "api-privacy" else merged(current, mine, paths))
        written.append(family)
    return written
