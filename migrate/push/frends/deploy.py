"""Publishing and deploying a Frends API (seed 000:473-544) and deploying its Processes through
the process-deployments API, as seed 000 requires for an API deployment to finish.

Which Processes belong to the API: in processes mode, the GUIDs the journal holds (the Processes
api-migrate imported for it, ``Remote.ids["processes"]``), the latest live version of each from the
Process list. Without such a state (passthrough mode, or Processes made in Frends), the list's
``apiSpecId`` (seed 001); that an imported template Process keeps the API's ``apiSpecId`` is not
documented (contract x-silent), so it is only the fallback. In passthrough mode api-migrate makes
none (``--frends-mode processes`` makes one per operation, ``processes.py``): when Frends holds none,
nothing can be deployed, and the plan and the push say so instead of reporting a finished
deployment."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from migrate.core.errors import PushError
from migrate.push.frends import state
from migrate.push.frends.listing import Caller, read_all
from migrate.push.http import MaybeCommitted, create_once
from migrate.push.protocol import Delivery, Remote, log

V = "frends"
SPECS = "/api-management/api-specifications"
#: the reference: 'Deploy up to 20 Processes'
BATCH = 20
NEW_API = ("Processes are made from an API's process templates, which api-migrate does only with "
           "--frends-mode processes")
WHY_NONE = f"Frends holds no Process of this API yet ({NEW_API})"


@dataclass(frozen=True)
class Process:
    guid: str
    version: int
    process_id: int
    name: str


def api_processes(client: Caller, sid: int, guids: list[str] | None = None) -> list[Process]:
    """The latest live version of every Process of the API, by name: those with these GUIDs (the
    journal's) when given, else those whose apiSpecId is ``sid``. A journal GUID Frends does not
    list (live) is reported."""
    latest: dict[str, Process] = {}
    wanted = set(guids or ())
    for item in read_all(client, "/processes", "list Processes"):
        mine = str(item.get("uniqueIdentifier")) in wanted if wanted else item.get("apiSpecId") == sid
        if not mine or item.get("isDeleted") or item.get("isDraft"):
            continue
        found = Process(str(item["uniqueIdentifier"]), int(item["version"]), int(item["id"]), str(item.get("name")))
        if found.guid not in latest or found.version > latest[found.guid].version:
            latest[found.guid] = found
    gone = sorted(wanted - set(latest))
    if gone:
        log.warning("frends: API specification %s: Frends lists no live Process %s that the journal holds for it: "
                    "not deployed (push again to import it)", sid, ", ".join(gone))
    return sorted(latest.values(), key=lambda p: (p.name, p.guid))


def journal_guids(ids: dict[str, Any]) -> list[str]:
    """The GUIDs of the Processes the state holds (processes mode), sorted."""
    value = ids.get("processes")
    if not isinstance(value, dict):
        return []
    return sorted({str(v["guid"]) for v in value.values() if isinstance(v, dict) and v.get("guid")})


def undeployed(client: Caller, group: int, processes: list[Process]) -> list[Process]:
    """The Processes whose version is not deployed to ``group`` (matched on the version's id)."""
    missing = []
    for process in processes:
        listed = read_all(client, "/process-deployments", "list Process deployments",
                          {"agentGroupId": group, "processGuid": process.guid})
        if not any(d.get("processId") == process.process_id for d in listed):
            missing.append(process)
    return missing


def deploy_processes(client: Caller, group: int, processes: list[Process]) -> None:
    """POST /process-deployments in batches of 20; the body of its answer is not read (x-silent).
    After an unknown outcome the deployments list tells what went through."""
    for start in range(0, len(processes), BATCH):
        chunk = processes[start:start + BATCH]
        body = {"agentGroupId": group, "activateTriggers": True,
                "processes": [{"processGuid": p.guid, "version": p.version} for p in chunk]}

        def post(body: dict[str, Any] = body) -> bool:
            client.call("POST", "/process-deployments", "deploy Processes", json=body)
            return True

        def lookup(chunk: list[Process] = chunk) -> bool | None:
            return True if not undeployed(client, group, chunk) else None

        create_once(post, lookup, client.policy)


def publish(client: Caller, remote: Remote, delivery: Delivery) -> None:
    """Publish the active version once: after an unknown outcome, a moved activeVersion means it
    went through (publishing twice would lock two versions)."""
    sid = int(remote.ids["specId"])
    before = current_version(client, sid)

    def post() -> bool:
        client.call("POST", f"{SPECS}/{sid}/publish", "publish", json={"changeDescription": "api-migrate push"})
        return True

    def lookup() -> bool | None:
        return True if current_version(client, sid) > before else None

    create_once(post, lookup, client.policy)
    state.mark_published(remote, delivery, before)


def current_version(client: Caller, sid: int) -> int:
    return int(client.call("GET", f"{SPECS}/{sid}", "read API specification").json()["data"]["activeVersion"])


def deploy(client: Caller, remote: Remote, delivery: Delivery, group: int) -> int:
    """Deploy the published version to ``group``, then the API's Processes (seed 000:511-544).
    Returns how many Processes the API has (0: none could be deployed)."""
    sid = int(remote.ids["specId"])
    number = state.published_version(remote, delivery)
    if number is None:
        raise PushError(V, f"API specification {sid}: the active version {remote.version} holds changes that are "
                        "not published, and only a published version can be deployed: add --publish")
    _deploy_version(client, sid, number, group)
    remote.ids[state.deploy_key(group)] = number
    return deploy_api_processes(client, sid, group, journal_guids(remote.ids))


def _deploy_version(client: Caller, sid: int, number: int, group: int) -> None:
    for attempt in range(1, client.policy.attempts + 1):
        try:  # a repeat of the same deployment is harmless in the sandbox; Frends documents no repeat
            client.call("POST", f"{SPECS}/{sid}/{number}/deploy/{group}", "deploy")
            return
        except MaybeCommitted:
            time.sleep(client.policy.backoff(attempt))  # a Retry-After it was given is kept by send
    raise PushError(V, f"deploying version {number} to Agent Group {group} did not go through")


def deploy_api_processes(client: Caller, sid: int, group: int, guids: list[str] | None = None) -> int:
    """Deploy what of the API's Processes (``api_processes``) is not yet deployed to ``group``;
    returns how many Processes the API has."""
    processes = api_processes(client, sid, guids)
    deploy_processes(client, group, undeployed(client, group, processes))
    return len(processes)


def warn_undeployed(sid: int, group: int) -> None:
    log.warning("frends: API specification %s: its Processes are not deployed to Agent Group %s, so the API "
                "deployment is incomplete: %s", sid, group, WHY_NONE)
