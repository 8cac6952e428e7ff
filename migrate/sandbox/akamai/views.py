"""What the sandbox answers, built from a stored version: the Endpoint object (resources-detail),
an endpoint-list item, a versions-list item and a version summary, each in the shape and with the
members of its seed 002 example and akamai.json schema (nulls only where the schema allows them)."""

from __future__ import annotations

import copy
from typing import Any

from migrate.sandbox.akamai.activation import networks

#: the version summary and versions list offer the descriptor's actions (versions-action-clone: a
#: server emits the descriptor's values, not the seed's "CLONE")
EDITABLE_ACTIONS = ["CLONE_VERSION", "DELETE", "VIEW_AAG_SETTINGS", "EDIT_AAG_SETTINGS", "EDIT_ENDPOINT_DEFINITION",
                    "ACTIVATE_ON_STAGING", "ACTIVATE_ON_PRODUCTION"]
LOCKED_ACTIONS = ["CLONE_VERSION", "VIEW_AAG_SETTINGS", "ACTIVATE_ON_STAGING", "ACTIVATE_ON_PRODUCTION"]
AUDIT = ("createdBy", "createDate", "updateDate", "updatedBy")


def endpoint(entry: dict[str, Any], version: dict[str, Any]) -> dict[str, Any]:
    """The Endpoint object of Get a Version (seed 2108-2306)."""
    out = copy.deepcopy(version["endpoint"])
    for network, key in (("STAGING", "stagingVersion"), ("PRODUCTION", "productionVersion")):
        out[key] = copy.deepcopy(networks(entry)[network])
    return out


def list_item(entry: dict[str, Any], version: dict[str, Any]) -> dict[str, Any]:
    """An apiEndPoints item of List Endpoints (seed 95-142)."""
    full = endpoint(entry, version)
    keys = (*AUDIT, "apiEndPointId", "apiEndPointName", "description", "basePath", "apiEndPointScheme", "consumeType",
            "contractId", "groupId", "versionNumber", "clonedFromVersion", "apiEndPointLocked", "stagingVersion",
            "productionVersion", "protectedByApiKey", "apiEndPointHosts", "apiCategoryIds")
    # the list's schema has description, basePath, apiEndPointScheme and consumeType non-nullable:
    # unset ones are left out rather than sent as null
    out = {k: full.get(k) for k in keys if full.get(k) is not None or k == "clonedFromVersion"}
    out["apiResourceBaseInfo"] = [_base_info(r) for r in full.get("apiResources") or []]
    return out


def _base_info(resource: dict[str, Any]) -> dict[str, Any]:
    keys = (*AUDIT, "apiResourceId", "apiResourceName", "resourcePath", "description", "link",
            "apiResourceClonedFromId", "apiResourceLogicId", "lockVersion")
    return {**{k: resource.get(k) for k in keys}, "private": bool(resource.get("private", False))}


def version_item(version: dict[str, Any]) -> dict[str, Any]:
    """An apiVersions item of List Versions (seed 1052-1076)."""
    e = version["endpoint"]
    out = {k: e.get(k) for k in AUDIT}
    out.update(apiEndPointVersionId=version["versionId"], description=e.get("description"),
               basedOn=version["basedOn"], stagingStatus=e.get("stagingStatus"),
               productionStatus=e.get("productionStatus"), stagingDate=version.get("stagingDate"),
               productionDate=version.get("productionDate"), isVersionLocked=version["locked"],
               availableActions=list(LOCKED_ACTIONS if version["locked"] else EDITABLE_ACTIONS),
               versionNumber=e["versionNumber"], lockVersion=e["lockVersion"])
    if e.get("basePath") is not None:
        out["basePath"] = e["basePath"]
    return out


def summary(version: dict[str, Any]) -> dict[str, Any]:
    """Get a Version Summary (seed 1404-1431): not the list item, not the Endpoint object."""
    e = version["endpoint"]
    out: dict[str, Any] = {
        "apiEndPointVersionId": version["versionId"], "versionNumber": e["versionNumber"],
        "apiResourceNames": [r.get("apiResourceName") for r in e.get("apiResources") or []],
        "apiEndPointHosts": list(e.get("apiEndPointHosts") or []),
        "apiCategoryIds": list(e.get("apiCategoryIds") or []),
        "availableActions": list(LOCKED_ACTIONS if version["locked"] else EDITABLE_ACTIONS),
    }
    for key in ("stagingStatus", "productionStatus", "description", "basePath"):  # non-nullable there
        if e.get(key) is not None:
            out[key] = e[key]
    return out
