"""What "unchanged" means for an Akamai endpoint, and how our payload is written into Akamai's object.

Akamai returns more than a client sends (seed 002, resources-detail example; vendors.md, Akamai):
ids and logic ids on resources, methods and parameters, audit fields, activation state, explicit
nulls for unset members, the schema's defaults, and members of a body parameter without their
location. So two objects are compared on a **projection**: the members we set (the emitter's
vocabulary below, plus any other member our payload carries), after Akamai's normalisation. Lists
of resources, methods and parameters are matched by their natural keys (resource path, method,
parameter location + name), so a resource someone added at Akamai is still a difference.

``merge`` is the "modify" of Akamai's documented update (GET resources-detail -> modify -> PUT,
seed 1806-1811): our members are written into the vendor's object, elements that still exist keep
their ids (per-resource settings are keyed by apiResourceId), elements we no longer have go.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

#: the members the Akamai emitter writes, per level (an unset one must be unset at Akamai too)
VOCABULARY: dict[str, frozenset[str]] = {
    "endpoint": frozenset({"apiEndPointName", "description", "basePath", "apiEndPointScheme", "consumeType",
                           "apiEndPointHosts", "contractId", "groupId", "apiCategoryIds", "securityScheme",
                           "apiResources"}),
    "resource": frozenset({"apiResourceName", "resourcePath", "description", "apiResourceMethods"}),
    "method": frozenset({"apiResourceMethod", "apiParameters"}),
    "parameter": frozenset({"apiParameterName", "apiParameterLocation", "apiParameterType", "apiParameterRequired",
                            "array", "apiParameterNotes", "apiParameterContentType", "apiParameterRestriction",
                            "apiChildParameters"}),
}
VOCABULARY["child"] = VOCABULARY["parameter"] - {"apiParameterLocation"}
#: members never compared or written: the server owns them (akamai.json readOnly, seed 002)
SERVER_OWNED = frozenset({
    "apiEndPointId", "versionNumber", "lockVersion", "stagingStatus", "productionStatus", "apiEndPointLocked",
    "clonedFromVersion", "stagingVersion", "productionVersion", "createdBy", "createDate", "updateDate",
    "updatedBy", "protectedByApiKey", "availableActions", "apiResourceId", "apiResourceLogicId",
    "apiResourceClonedFromId", "apiResourceMethodId", "apiResourceMethodLogicId", "apiParameterId",
    "apiParamLogicId", "apiResourceMethParamId", "link", "apiEndPointVersion", "source",
})
#: a list member -> the level of its items and their natural key
LISTS: dict[str, tuple[str, Callable[[dict[str, Any]], Any]]] = {
    "apiResources": ("resource", lambda r: r.get("resourcePath")),
    "apiResourceMethods": ("method", lambda m: str(m.get("apiResourceMethod") or "").upper()),
    "apiParameters": ("parameter", lambda p: (p.get("apiParameterLocation"), p.get("apiParameterName"))),
    "apiChildParameters": ("child", lambda p: p.get("apiParameterName")),
}
#: akamai.json defaults: a member holding its default is the same as an absent one
DEFAULTS = {"collectionFormat": "csv", "attribute": False, "wrapped": False}
#: lists whose order means nothing
UNORDERED = frozenset({"apiEndPointHosts", "apiCategoryIds"})


def project(vendor: dict[str, Any], ours: dict[str, Any]) -> dict[str, Any]:
    """``vendor`` (an Endpoint object as Akamai returns it, or our own payload) reduced to what our
    payload ``ours`` sets, in a canonical form: ``project(akamai, ours) == project(ours, ours)``
    exactly when Akamai holds what we would send."""
    return _level(vendor, ours, "endpoint")


def _level(vendor: dict[str, Any], ours: dict[str, Any], level: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key in sorted(_members(ours, level)):
        value = vendor.get(key)
        value = _keyed(value or [], ours.get(key) or [], key) if key in LISTS else _clean(value, key, level)
        if value not in (None, {}, []):
            out[key] = value
    return out


def _members(ours: dict[str, Any], level: str) -> set[str]:
    """The emitter's vocabulary for ``level`` and whatever else our payload sets there."""
    extra = {k for k, v in ours.items() if v is not None} - SERVER_OWNED
    if level == "child":  # seed 2240: Akamai returns members of a body parameter without a location
        extra.discard("apiParameterLocation")
    return set(VOCABULARY[level]) | extra


def _keyed(vendor: list[Any], ours: list[Any], member: str) -> list[dict[str, Any]]:
    level, key = LISTS[member]
    mine = {key(o): o for o in ours if isinstance(o, dict)}
    items = [(repr(key(v)), _level(v, mine.get(key(v), {}), level)) for v in vendor if isinstance(v, dict)]
    return [item for _, item in sorted(items, key=lambda pair: pair[0])]


def _clean(value: Any, key: str, level: str) -> Any:
    """Nulls, documented defaults and empty objects dropped; type names lower case (seed 308: "String")."""
    if isinstance(value, dict):
        out = {k: _clean(v, k, level) for k, v in value.items()}
        return {k: v for k, v in sorted(out.items()) if v not in (None, {}, []) and DEFAULTS.get(k, ...) != v}
    if isinstance(value, list):
        items = [_clean(v, key, level) for v in value]
        return sorted(items, key=repr) if key in UNORDERED else items
    if key == "apiParameterType" and isinstance(value, str):
        return value.lower()
    return value


def merge(vendor: dict[str, Any], ours: dict[str, Any]) -> dict[str, Any]:
    """Akamai's object with our payload written in, ready to PUT back (it keeps ``lockVersion``)."""
    target = copy.deepcopy(vendor)
    _merge_level(target, ours, "endpoint")
    return target


def _merge_level(target: dict[str, Any], ours: dict[str, Any], level: str) -> None:
    for key in _members(ours, level):
        if key in LISTS:
            target[key] = _merge_list(target.get(key) or [], ours.get(key) or [], key)
        elif ours.get(key) is not None:
            target[key] = copy.deepcopy(ours[key])
        else:  # a member we do not set is unset at Akamai too
            target.pop(key, None)


def _merge_list(vendor: list[Any], ours: list[Any], member: str) -> list[dict[str, Any]]:
    """Our elements, each written into the vendor's element with the same natural key (ids kept)."""
    level, key = LISTS[member]
    theirs = {key(v): v for v in vendor if isinstance(v, dict)}
    out = []
    for element in ours:
        found = theirs.pop(key(element), None)
        if found is None:
            out.append(copy.deepcopy(element))
            continue
        _merge_level(found, element, level)
        out.append(found)
    return out
