"""Akamai endpoints beyond push (seed 002): the account's contracts, groups and hostnames (List
Contracts and Groups, List Hostnames), deactivating the version active on a network (Deactivate a
Version, then the versions list until it is DEACTIVATED) and removing an endpoint (Remove an
Endpoint: refused by Akamai while a version is active or pending, so refused here first, with
what to do)."""

from __future__ import annotations

from typing import Any

from migrate.core.errors import PushError
from migrate.push.akamai.activation import Poller, status_field
from migrate.push.akamai.client import AkamaiClient

V = "akamai"
LIVE = ("ACTIVE", "PENDING")


def contracts(client: AkamaiClient) -> list[dict[str, Any]]:
    """Every contract and group pair the credentials reach, each with its hostnames."""
    pairs = client.call("GET", "/contracts/groups", "list contracts and groups").json()
    out = []
    for pair in sorted(pairs, key=lambda p: (str(p.get("contractId")), int(p.get("groupId") or 0))):
        hosts = client.call("GET", f"/contracts/{pair['contractId']}/groups/{pair['groupId']}/hosts",
                            "list hostnames").json()
        out.append({"contractId": pair.get("contractId"), "groupId": pair.get("groupId"),
                    "displayName": pair.get("displayName"), "hosts": sorted(str(h) for h in hosts)})
    return out


def render_contracts(found: list[dict[str, Any]]) -> str:
    if not found:
        return "no contract and group is available to these credentials\n"
    lines = [f"contract {p['contractId']}  group {p['groupId']}  {p.get('displayName') or ''}".rstrip() +
             f"\n  hosts: {', '.join(p['hosts']) or 'none'}" for p in found]
    return "\n".join(lines) + "\n"


def endpoint_id(client: AkamaiClient, name: str) -> int:
    """The id of the endpoint named ``name`` (exact match, as push finds it)."""
    found = client._search({"apiEndPointName": name, "contractId": client.contract_id, "groupId": client.group_id})
    if found is None:
        raise PushError(V, f"no endpoint named {name!r}")
    return found


def versions(client: AkamaiClient, eid: int) -> list[dict[str, Any]]:
    return sorted(client._versions(eid) or [], key=lambda v: int(v["versionNumber"]))


def deactivate(client: AkamaiClient, name: str, network: str, wait: bool, timeout: float) -> str:
    """Deactivate the version of ``name`` active on ``network``; what was done, as a line."""
    network = network.upper()
    eid = endpoint_id(client, name)
    field = status_field(network)
    active = [v for v in versions(client, eid) if v.get(field) in LIVE]
    if not active:
        return f"akamai: {name}: no version is active on {network}; nothing to do\n"
    number = int(active[-1]["versionNumber"])
    if active[-1].get(field) == "PENDING":
        raise PushError(V, f"version {number} of {name!r} is still being activated on {network}; wait until it is "
                        "ACTIVE, then deactivate it")
    before = active[-1]
    body = {"networks": [network], "notificationRecipients": [], "notes": "api-migrate deactivate"}
    client.call("POST", f"/endpoints/{eid}/versions/{number}/deactivate", "deactivate", json=body)
    if not wait:
        return f"akamai: {name}: deactivation of version {number} on {network} requested\n"
    item = Poller(lambda: client._version_item(eid, number), client.policy).wait(network, timeout, before)
    return f"akamai: {name}: version {number} is {item.get(field)} on {network}\n"


def delete(client: AkamaiClient, name: str) -> int:
    """Remove the endpoint ``name``; refused while a version is active or pending on a network."""
    eid = endpoint_id(client, name)
    busy = [f"version {v['versionNumber']} is {v.get(status_field(n))} on {n}" for v in versions(client, eid)
            for n in ("STAGING", "PRODUCTION") if v.get(status_field(n)) in LIVE]
    if busy:
        networks = sorted({b.rsplit(" on ", 1)[1].lower() for b in busy})
        raise PushError(V, f"not deleted: {'; '.join(busy)} (Akamai removes no endpoint while a version is active "
                        f"or pending); deactivate first: api-migrate akamai deactivate {name!r} --network "
                        f"{networks[0]}")
    client.call("DELETE", f"/endpoints/{eid}", "remove endpoint")
    return eid
