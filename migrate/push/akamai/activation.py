"""Akamai activation is asynchronous (akamai.json: a version's stagingStatus/productionStatus is
PENDING before ACTIVE or FAILED; vendors.md: poll the versions list): request it once, then poll
the versions list with capped exponential backoff until it settles or the wait times out."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from migrate.core.errors import PushError
from migrate.push.http import RetryPolicy

V = "akamai"
#: statuses a version keeps until someone acts; PENDING is the one that moves by itself
SETTLED = frozenset({"ACTIVE", "FAILED", "DEACTIVATED"})


def status_field(network: str) -> str:
    """``stagingStatus`` or ``productionStatus`` (versions list and Endpoint object)."""
    return f"{network.lower()}Status"


@dataclass
class Poller:
    """Reads one version's status on one network (``read`` returns the versions-list item or
    None) until it is no longer PENDING."""

    read: Callable[[], dict[str, Any] | None]
    policy: RetryPolicy
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic

    def wait(self, network: str, timeout: float, before: dict[str, Any] | None = None) -> dict[str, Any]:
        """The versions-list item once it is ACTIVE, FAILED or DEACTIVATED; PushError after ``timeout`` s.
        ``before``: the item as it was before activation was requested: a settled status is taken
        only once the activation is seen to have moved (PENDING seen, or the status or its date
        changed), since the list may still show the old status right after the request."""
        deadline = self.clock() + timeout
        attempt = 0
        moved = before is None
        while True:
            item = self.read()
            if item is None:
                raise PushError(V, "the version being activated is gone from the versions list")
            status = item.get(status_field(network))
            moved = moved or status == "PENDING" or _changed(before, item, network)
            if status in SETTLED and moved:
                return item
            remaining = deadline - self.clock()
            if remaining <= 0:
                raise PushError(V, f"version {item.get('versionNumber')} is still {item.get(status_field(network))} "
                                f"on {network} after {timeout:g} s; run push again to keep waiting (it is not "
                                "activated twice)")
            attempt += 1
            self.sleep(min(self.policy.backoff(attempt), remaining))


def _changed(before: dict[str, Any] | None, item: dict[str, Any], network: str) -> bool:
    if before is None:
        return True
    fields = (status_field(network), f"{network.lower()}Date")
    return any(before.get(f) != item.get(f) for f in fields)


def failure_message(number: Any, network: str, detail: dict[str, Any] | None) -> str:
    """Akamai's word on a failed activation: the Endpoint object's ``<network>Version.lastError``."""
    slot = (detail or {}).get(f"{network.lower()}Version") or {}
    error = slot.get("lastError") or {}
    said = ", ".join(f"{k} {error[k]}" for k in ("status", "versionNumber", "timestamp") if error.get(k) is not None)
    return (f"activation of version {number} on {network} FAILED (Akamai: {said or 'status FAILED'}); "
            "fix the cause and push again")
