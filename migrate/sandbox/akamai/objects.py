"""The Endpoint object as Akamai stores and returns it (seed 002, "Get a Version" example, lines
2108-2306): server ids and logic ids on resources, methods and parameters, audit fields, explicit
nulls for unset members and the schema's defaults filled in.

Ids a client sends back (GET -> modify -> PUT, seed lines 1806-1811) are kept when they belong to
the version being edited; elements without a known id get new ones."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from migrate.sandbox.akamai.state import USER, V, stamp
from migrate.sandbox.store import Store

#: members the server owns: a client's value is ignored (readOnly in akamai.json)
SERVER_OWNED = frozenset({
    "apiEndPointId", "versionNumber", "lockVersion", "stagingStatus", "productionStatus", "apiEndPointLocked",
    "clonedFromVersion", "stagingVersion", "productionVersion", "createdBy", "createDate", "updateDate",
    "updatedBy", "protectedByApiKey", "apiEndPointVersion", "availableActions", "endpointHidden", "versionHidden",
    "responseConstraintsEnabled", "source", "contractId", "groupId",
})
ID_KEYS = frozenset({"apiResourceId", "apiResourceLogicId", "apiResourceClonedFromId", "apiResourceMethodId",
                     "apiResourceMethodLogicId", "apiParameterId", "apiParamLogicId", "apiResourceMethParamId",
                     "createdBy", "createDate", "updateDate", "updatedBy", "lockVersion", "link"})
#: unset members the seed shows as explicit nulls (seed 2115-2154)
ENDPOINT_NULLS = ("description", "basePath", "apiEndPointScheme", "consumeType", "securityScheme",
                  "akamaiSecurityRestrictions")
#: the restriction sub-objects and their members (seed 2184-2192: all five keys, null when unset)
RESTRICTIONS = {
    "lengthRestriction": ("lengthMin", "lengthMax"),
    "rangeRestriction": ("rangeMin", "rangeMax"),
    "numberRangeRestriction": ("numberRangeMin", "numberRangeMax"),
    "arrayRestriction": (),
    "xmlConversionRule": ("name",),
}
#: schema defaults (akamai.json apiParameterRestriction: collectionFormat, attribute, wrapped)
DEFAULTS: dict[str, dict[str, Any]] = {"arrayRestriction": {"collectionFormat": "csv"},
                                        "xmlConversionRule": {"attribute": False, "wrapped": False}}


@dataclass
class Ids:
    """The elements of the version being replaced, by kind and id, and where new ids come from."""

    store: Store
    known: dict[tuple[str, int], dict[str, Any]] = field(default_factory=dict)
    used: set[tuple[str, int]] = field(default_factory=set)
    when: str = field(default_factory=stamp)

    @classmethod
    def of(cls, store: Store, endpoint: dict[str, Any] | None) -> Ids:
        ids = cls(store)
        for resource in (endpoint or {}).get("apiResources") or []:
            ids.known[("resource", resource["apiResourceId"])] = resource
            for method in resource.get("apiResourceMethods") or []:
                ids.known[("method", method["apiResourceMethodId"])] = method
                for param in _tree(method.get("apiParameters") or []):
                    ids.known[("param", param["apiParameterId"])] = param
        return ids

    def match(self, kind: str, sent: dict[str, Any], key: str) -> dict[str, Any] | None:
        """The element of the replaced version with the id ``sent`` carries (each at most once)."""
        value = sent.get(key)
        if not isinstance(value, int) or (kind, value) in self.used:
            return None
        self.used.add((kind, value))
        return self.known.get((kind, value))

    def new(self, kind: str) -> int:
        return self.store.next_id(V, kind, {"resource": 12000, "method": 30000, "param": 35000}.get(kind, 14000))


def _tree(params: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for param in params:
        out.append(param)
        out += _tree(param.get("apiChildParameters") or [])
    return out


def content(value: Any) -> Any:
    """A resource without ids, audit fields and nulls: what tells whether it changed."""
    if isinstance(value, dict):
        return {k: content(v) for k, v in value.items() if k not in ID_KEYS and v is not None}
    if isinstance(value, list):
        return [content(v) for v in value]
    return value


def endpoint_object(body: dict[str, Any], previous: dict[str, Any] | None, ids: Ids, **server: Any) -> dict[str, Any]:
    """The stored Endpoint object for a create or PUT ``body``; ``server`` sets the server-owned
    members (apiEndPointId, versionNumber, contractId, groupId, lockVersion, ...)."""
    endpoint = {k: copy.deepcopy(v) for k, v in body.items() if k not in SERVER_OWNED and k != "apiResources"}
    for key in ENDPOINT_NULLS:
        endpoint.setdefault(key, None)
    endpoint.setdefault("apiCategoryIds", [])
    before = previous or {}
    endpoint.update(createdBy=before.get("createdBy", USER), createDate=before.get("createDate", ids.when),
                    updatedBy=USER, updateDate=ids.when, protectedByApiKey=False, apiEndPointLocked=False,
                    clonedFromVersion=before.get("clonedFromVersion"), stagingStatus=before.get("stagingStatus"),
                    productionStatus=before.get("productionStatus"))
    endpoint.update(server)
    endpoint["apiResources"] = [resource(r, ids) for r in body.get("apiResources") or []]
    return endpoint


def resource(sent: dict[str, Any], ids: Ids) -> dict[str, Any]:
    old = ids.match("resource", sent, "apiResourceId")
    out = {k: copy.deepcopy(v) for k, v in sent.items() if k not in ID_KEYS and k != "apiResourceMethods"}
    out["apiResourceMethods"] = [method(m, ids) for m in sent.get("apiResourceMethods") or []]
    if old is None:
        rid = ids.new("resource")
        out.update(apiResourceId=rid, apiResourceLogicId=ids.new("logic"), apiResourceClonedFromId=None, link=None,
                   createdBy=USER, createDate=ids.when, updatedBy=USER, updateDate=ids.when, lockVersion=0)
        return out
    changed = content(out) != content(old)
    out.update({k: old.get(k) for k in ("apiResourceId", "apiResourceLogicId", "apiResourceClonedFromId", "link",
                                         "createdBy", "createDate", "updatedBy", "updateDate", "lockVersion")})
    if changed:
        out.update(updatedBy=USER, updateDate=ids.when, lockVersion=int(old.get("lockVersion") or 0) + 1)
    return out


def method(sent: dict[str, Any], ids: Ids) -> dict[str, Any]:
    old = ids.match("method", sent, "apiResourceMethodId")
    out = {k: copy.deepcopy(v) for k, v in sent.items() if k not in ID_KEYS and k != "apiParameters"}
    out["apiParameters"] = [parameter(p, ids, child=False) for p in sent.get("apiParameters") or []]
    if old is None:
        out.update(apiResourceMethodId=ids.new("method"), apiResourceMethodLogicId=ids.new("logic"))
    else:
        out.update(apiResourceMethodId=old["apiResourceMethodId"],
                   apiResourceMethodLogicId=old.get("apiResourceMethodLogicId"))
    return out


def parameter(sent: dict[str, Any], ids: Ids, child: bool) -> dict[str, Any]:
    old = ids.match("param", sent, "apiParameterId")
    out = {k: copy.deepcopy(v) for k, v in sent.items() if k not in ID_KEYS and k != "apiChildParameters"}
    out["apiChildParameters"] = [parameter(p, ids, child=True) for p in sent.get("apiChildParameters") or []]
    out.setdefault("apiParameterNotes", None)
    out["apiParameterRestriction"] = restriction(sent.get("apiParameterRestriction"))
    if child:  # seed 2240, 2250, 2272: members of a body parameter come back without a location
        out["apiParameterLocation"] = None
    if old is None:
        out.update(apiParameterId=ids.new("param"), apiParamLogicId=ids.new("logic"),
                   apiResourceMethParamId=None if child else ids.new("methparam"))
    else:
        out.update(apiParameterId=old["apiParameterId"], apiParamLogicId=old.get("apiParamLogicId"),
                   apiResourceMethParamId=None if child else old.get("apiResourceMethParamId") or ids.new("methparam"))
    return out


def restriction(sent: Any) -> dict[str, Any] | None:
    """All five sub-objects, null when unset; unset bounds null; documented defaults filled."""
    if not isinstance(sent, dict):
        return None
    out: dict[str, Any] = {k: copy.deepcopy(v) for k, v in sent.items()}
    for name, bounds in RESTRICTIONS.items():
        value = out.get(name)
        if isinstance(value, dict):
            out[name] = {**{b: None for b in bounds}, **DEFAULTS.get(name, {}), **value}
        else:
            out[name] = None
    return out


def clone(source: dict[str, Any], ids: Ids, **server: Any) -> dict[str, Any]:
    """Clone a Version (seed 2336-2533): the same definition and resource ids, a new number."""
    endpoint = copy.deepcopy(source)
    endpoint.update(createdBy=USER, createDate=ids.when, updatedBy=USER, updateDate=ids.when,
                    stagingStatus=None, productionStatus=None, apiEndPointLocked=False)
    endpoint.update(server)
    return endpoint
