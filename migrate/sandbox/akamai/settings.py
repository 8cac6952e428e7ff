"""Akamai sandbox: the delivery settings of an endpoint version (seed 002 "Get/Update Cache, GZIP,
CORS, JWT, API Privacy Settings"; akamai.json ``…/settings/{family}``).

Each family is one object per version; the per-resource ones (cache, JWT, API privacy) carry a
``resources`` map keyed by ``apiResourceId`` with every resource of the version, its ``path``,
``methods`` (and privacy ``notes``) read-only. A resource either inherits the endpoint's values
(``inheritsFromEndpoint`` true, as every resource of the seed examples whose values equal the
endpoint's) or holds its own: a PUT that gives a resource the endpoint's values makes it inherit
again. Updates follow the seed: GET the object, modify, PUT it back whole (never-activated
versions only, like the definition: 403 otherwise). A clone copies its version's settings.
Privacy is kept per resource; the per-method ``methods`` object of the descriptor is served (each
method as its resource) but what a client sends there is not kept."""

from __future__ import annotations

import copy
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

import migrate.sandbox.akamai.state as st
from migrate.sandbox.responses import HTTPProblem, json_response, path_int
from migrate.sandbox.store import Store

Handler = Callable[[Request], Awaitable[Response]]
FAMILIES = ("cache", "gzip", "cors", "jwt", "api-privacy")
#: what a version holds before anyone set a family: the schema defaults of akamai.json where it has
#: them (gzip compressResponse ALWAYS, cache option CACHE, downstream ALLOW_CACHING/SMALLER_VALUE,
#: location HEADER); the documents are silent on the rest, which are "off" values. The JWT schema
#: requires an rsaPublicKeyA object even when none was uploaded: it is sent with empty members.
DEFAULTS: dict[str, dict[str, Any]] = {
    "gzip": {"compressResponse": "ALWAYS"},
    "cors": {"enabled": False, "allowedOrigins": [], "allowedHeaders": [], "allowedMethods": [],
             "allowCredentials": False, "exposedHeaders": [], "preflightMaxAge": 86400},
    "cache": {"enabled": False, "option": "CACHE", "maxAge": None, "serveStale": False,
              "downstreamCaching": {"option": "ALLOW_CACHING", "lifetime": "SMALLER_VALUE", "maxAge": None,
                                    "headers": "CACHE_CONTROL_AND_EXPIRES", "markAsPrivate": False},
              "errorCaching": {"enabled": False, "maxAge": None, "preserveStale": False}},
    "jwt": {"enabled": False, "settings": {"location": "HEADER", "paramName": "Authorization", "clockSkew": 10,
                                           "validation": {"claims": [], "rsaPublicKeyA": {"name": "", "content": ""},
                                                          "rsaPublicKeyB": None}}},
    "api-privacy": {"public": True},
}
#: per family: the writable members of a resource entry and the endpoint members they inherit
RESOURCE_VALUES: dict[str, dict[str, str]] = {
    "cache": {"option": "option", "maxAge": "maxAge", "serveStale": "serveStale"},
    "jwt": {"enabled": "enabled"},
    "api-privacy": {"public": "public"},
}
#: writable members of a cache resource that have no endpoint counterpart (schema: required)
CACHE_EXTRAS = {"cacheKey": {"customize": False, "exactMatch": None, "option": None, "parameters": None},
                "preRefreshing": None}


def settings_routes(handlers: SettingsHandlers, version_path: str) -> list[tuple[str, Handler, str]]:
    out: list[tuple[str, Handler, str]] = []
    for family in FAMILIES:
        out.append((f"{version_path}/settings/{family}", handlers.getter(family), "GET"))
        out.append((f"{version_path}/settings/{family}", handlers.putter(family), "PUT"))
    return out


@dataclass
class SettingsHandlers:
    store: Store
    version_of: Callable[[Request, int], tuple[dict[str, Any], dict[str, Any]]]

    def getter(self, family: str) -> Handler:
        async def get(request: Request) -> Response:
            _, version = self.version_of(request, 404)
            return json_response(view(version, family))
        return get

    def putter(self, family: str) -> Handler:
        async def put(request: Request) -> Response:
            _, version = self.version_of(request, 404)
            if version["locked"]:
                raise HTTPProblem(403, "Forbidden", f"version {path_int(request, 'v')} was activated and can no "
                                  "longer be modified; clone it")
            body = await st.checked_body(request)
            store(version, family, body)
            return json_response(view(version, family))
        return put


def _resources(version: dict[str, Any]) -> list[dict[str, Any]]:
    return list(version["endpoint"].get("apiResources") or [])


def view(version: dict[str, Any], family: str) -> dict[str, Any]:
    """The family's object as Get … Settings returns it."""
    held = (version.get("settings") or {}).get(family) or {}
    top = _merged(DEFAULTS[family], held.get("endpoint") or {})
    if family not in RESOURCE_VALUES:
        return top
    overrides = held.get("resources") or {}
    top["resources"] = {str(r["apiResourceId"]): _resource_view(r, family, top, overrides.get(str(r["apiResourceId"])))
                        for r in _resources(version)}
    return top


def _resource_view(resource: dict[str, Any], family: str, top: dict[str, Any],
                   own: dict[str, Any] | None) -> dict[str, Any]:
    methods = [str(m.get("apiResourceMethod")).upper() for m in resource.get("apiResourceMethods") or []]
    inherited = {k: copy.deepcopy(top.get(src)) for k, src in RESOURCE_VALUES[family].items()}
    values = {**inherited, **(own or {})}
    out: dict[str, Any] = {"path": resource.get("resourcePath"), **values, "inheritsFromEndpoint": own is None}
    if family == "cache":
        out["methods"] = methods
        out.update({k: copy.deepcopy((own or {}).get(k, v)) for k, v in CACHE_EXTRAS.items()})
    elif family == "jwt":
        out.update(methods=methods, notes=resource.get("description"))
    else:  # api-privacy: the descriptor's methods object (privacy-methods-array: a server emits that form)
        out["methods"] = {m: {"public": values["public"], "inheritsFromEndpoint": True} for m in methods}
        if resource.get("description") is not None:
            out["notes"] = resource["description"]
    return out


def store(version: dict[str, Any], family: str, body: dict[str, Any]) -> None:
    """Keep the writable members of a PUT body; unknown resource ids are a 400."""
    known = {str(r["apiResourceId"]) for r in _resources(version)}
    sent = body.get("resources") or {}
    unknown = sorted(set(sent) - known)
    if unknown:
        raise st.invalid([(f"/resources/{unknown[0]}", f"no resource {unknown[0]} in this version")])
    held = version.setdefault("settings", {}).setdefault(family, {})
    endpoint = {k: copy.deepcopy(v) for k, v in body.items() if k != "resources"}
    held["endpoint"] = _merged(held.get("endpoint") or {}, endpoint)
    if family not in RESOURCE_VALUES:
        return
    top = _merged(DEFAULTS[family], held["endpoint"])
    overrides = held.setdefault("resources", {})
    for rid, entry in sent.items():
        values = {k: copy.deepcopy(entry[k]) for k in RESOURCE_VALUES[family] if k in entry}
        extras = {k: copy.deepcopy(entry[k]) for k in CACHE_EXTRAS if family == "cache" and k in entry}
        inherited = {k: top.get(src) for k, src in RESOURCE_VALUES[family].items()}
        if {**inherited, **values} == inherited and all(CACHE_EXTRAS[k] == v for k, v in extras.items()):
            overrides.pop(rid, None)
        else:
            overrides[rid] = {**inherited, **(overrides.get(rid) or {}), **values, **extras}


def _merged(base: dict[str, Any], top: dict[str, Any]) -> dict[str, Any]:
    """``base`` with ``top`` written over it, objects member by member (the whole object PUT back)."""
    out = copy.deepcopy(base)
    for key, value in top.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merged(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out
