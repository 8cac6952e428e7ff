"""Activation is asynchronous (akamai.json: stagingStatus/productionStatus PENDING, ACTIVE,
DEACTIVATED, FAILED): a requested activation is PENDING until its time is up, then ACTIVE (the
network's previously active version becomes DEACTIVATED, seed 2548) or FAILED.

Statuses settle lazily, when a request reads the endpoint: the sandbox needs no background task
and its state only changes at the moment a client could observe the change."""

from __future__ import annotations

from typing import Any

from migrate.sandbox.akamai.state import stamp

FIELD = {"STAGING": "stagingStatus", "PRODUCTION": "productionStatus"}
DATE = {"STAGING": "stagingDate", "PRODUCTION": "productionDate"}


def networks(entry: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Per network: the version it serves or is activating and that version's status (stagingVersion,
    productionVersion of the Endpoint object), plus ``lastError`` after a failed activation."""
    return entry.setdefault("networks", {n: {"versionNumber": None, "status": None} for n in FIELD})


def request(entry: dict[str, Any], number: int, network: str, until: float, fail: bool) -> None:
    """Activate: the version is locked at once (seed 1456: only never-activated versions can be edited)."""
    version = entry["versions"][str(number)]
    version["locked"] = True
    version["endpoint"]["apiEndPointLocked"] = True
    version["endpoint"][FIELD[network]] = "PENDING"
    version.setdefault("pending", {})[network] = {"until": until,
                                                  "outcome": "FAILED" if fail else "ACTIVE"}
    if networks(entry)[network]["status"] != "ACTIVE":
        networks(entry)[network].update(versionNumber=number, status="PENDING")


def deactivate(entry: dict[str, Any], number: int, network: str) -> None:
    version = entry["versions"][str(number)]
    version["endpoint"][FIELD[network]] = "DEACTIVATED"
    version[DATE[network]] = stamp()
    slot = networks(entry)[network]
    if slot["versionNumber"] == number:
        slot.update(status="DEACTIVATED")


def settle(entry: dict[str, Any], now: float) -> bool:
    """Finish the activations whose time (``until``, epoch seconds) is up; True when anything changed."""
    changed = False
    for key in sorted(entry["versions"], key=int):
        pending = entry["versions"][key].get("pending") or {}
        for network in [n for n in FIELD if n in pending and pending[n]["until"] <= now]:
            _finish(entry, int(key), network, pending.pop(network)["outcome"])
            changed = True
    return changed


def _finish(entry: dict[str, Any], number: int, network: str, outcome: str) -> None:
    field, when = FIELD[network], stamp()
    version = entry["versions"][str(number)]
    slot = networks(entry)[network]
    if outcome == "FAILED":
        version["endpoint"][field] = "FAILED"
        slot["lastError"] = {"versionNumber": number, "status": "FAILED", "timestamp": when}
        if slot["versionNumber"] == number:
            slot["status"] = "FAILED"
        return
    for other in entry["versions"].values():
        if other is not version and other["endpoint"][field] == "ACTIVE":
            other["endpoint"][field] = "DEACTIVATED"
    version["endpoint"][field] = "ACTIVE"
    version[DATE[network]] = when
    slot.update(versionNumber=number, status="ACTIVE")
    slot.pop("lastError", None)


def busy(entry: dict[str, Any]) -> bool:
    """Some version is active or pending activation (seed 1014: then the endpoint cannot be removed)."""
    return any(v["endpoint"][f] in ("ACTIVE", "PENDING") for v in entry["versions"].values() for f in FIELD.values())
