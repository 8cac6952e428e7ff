"""``--frends-mode processes``: one Frends Process per operation of the API, made from the process
template Frends gives for that endpoint (seed 000: ``POST …/{id}/{apiVersion}/processTemplate
{path, operation}``) and imported with ``POST /processes/batch-import`` (seed 001).

What is ours, and so decides "unchanged": the operation as the pushed document writes it (its path,
method, operation object and the path's parameters), fingerprinted per operation. The local state
(journal, ``Remote.ids["processes"]``) keeps, per operation ``METHOD path``, the Process GUID,
version, version id and that fingerprint. Per operation:

- not in the state, or its Process gone at Frends: **create**: the template's Process is imported
  with ``importConflict=Error`` (first push: an existing GUID must not be overwritten). Without a
  state (a lost journal), the one live Process of the API (``apiSpecId``) with the template's name
  that no other operation holds is taken over instead of making a second one (contract x-silent:
  a template may name a new GUID on every call). Its fingerprint is the operation's only when its
  owned content equals the template's; otherwise ``unknown``, so the next push updates it. When
  several such Processes have the name, none is taken and none is imported: the push warns and
  names them (which one is the operation's is for the user to settle), and the state records them
  as **unsettled**, so a re-run writes nothing until fewer than two of them are left with that name;
- in the state with another fingerprint: **update**: the template of the current version is
  imported under the Process's GUID with ``importConflict=NewVersion`` ('will update the existing
  Process to the imported one'); when Frends holds a newer version than the one pushed (the
  Process was edited in Frends), it is **kept** and reported, never overwritten;
- same fingerprint and the pushed version is live: **unchanged** (nothing is sent;
  ``UseExisting`` would import nothing either, so it is not needed).

One Process per import request, so the one ProcessImportResult names it (contract x-silent: the
answer to a file of several Processes is one object). The file is the template's DtoProcess as JSON
(contract x-silent: the file format is not documented; an assumption)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from migrate.push.frends.listing import Caller, read_all
from migrate.push.http import create_once, repeat_safely
from migrate.push.protocol import log

SPECS = "/api-management/api-specifications"
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
#: seed 001: 'This can be a very slow action'
IMPORT_TIMEOUT = 300.0
STATE_KEY = "processes"
#: the fingerprint of a Process taken over without a state: its operation is not known to be current
UNKNOWN = "unknown"
#: what a Process is, as far as a migration is concerned (DtoProcess members, seed 001); identity,
#: audit fields, draft state and Process Variable values (taken from an Agent Group) are not ours
OWNED = ("name", "description", "bpmn", "elementParameters", "triggerData", "manualTrigger", "targetFramework",
         "isSubprocess", "documentationMarkdown")
#: what a template Process cannot carry (the README says it too; the plan says it per push)
NO_LOGIC = ("each is the process template Frends gives for the endpoint: the old backend's logic is NOT carried "
            "into it; build it in Frends")


def owned_digest(process: dict[str, Any]) -> str:
    """A fingerprint of the members of a Process that are ours (``OWNED``, variable names)."""
    owned = {k: process.get(k) for k in OWNED}
    owned["processVariables"] = sorted(str(v.get("name")) for v in process.get("processVariables") or []
                                       if isinstance(v, dict))
    return hashlib.sha256(json.dumps(owned, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Endpoint:
    """One operation of the pushed document: ``key`` is ``METHOD path``."""

    path: str
    method: str
    fingerprint: str

    @property
    def key(self) -> str:
        return f"{self.method} {self.path}"


@dataclass
class ProcessPlan:
    create: list[Endpoint] = field(default_factory=list)
    update: list[Endpoint] = field(default_factory=list)
    unchanged: list[Endpoint] = field(default_factory=list)
    kept: list[Endpoint] = field(default_factory=list)  # changed here, but edited in Frends: not overwritten
    stale: list[str] = field(default_factory=list)  # in the state, no longer in the document: kept
    unsettled: list[Endpoint] = field(default_factory=list)  # several Processes of the template's name: none made
    stateless: bool = False  # no journal entry for any Process: a create may turn out to be a take-over

    @property
    def pending(self) -> bool:
        return bool(self.create or self.update)

    def describe(self) -> str:
        """``processes: 1 to create (GET /a), 1 to update (PUT /b), 2 unchanged`` and what is kept."""
        parts = [_named(len(self.create), "to create", self.create), _named(len(self.update), "to update", self.update),
                 f"{len(self.unchanged)} unchanged"]
        if self.create and self.stateless:
            parts.append("without a journal entry, a Process Frends already holds under the template's name is "
                         "taken over instead of created (known only at push: the template is asked for then)")
        if self.create:
            parts.append(f"the {len(self.create)} new Process(es): {NO_LOGIC}")
        if self.kept:
            parts.append(_named(len(self.kept), "edited in Frends since the push, NOT replaced", self.kept))
        if self.stale:
            parts.append(f"{len(self.stale)} no longer in the spec, kept ({', '.join(self.stale)})")
        if self.unsettled:
            parts.append(_named(len(self.unsettled), "with several Processes of its name in Frends, none imported "
                                "(keep one of that name)", self.unsettled))
        return "processes: " + ", ".join(parts)


def _named(count: int, what: str, endpoints: list[Endpoint]) -> str:
    names = f" ({', '.join(e.key for e in endpoints)})" if endpoints else ""
    return f"{count} {what}{names}"


def endpoints(document: dict[str, Any]) -> list[Endpoint]:
    """Every operation of the document, by path then method, with the fingerprint of what we own."""
    found = []
    for path, item in sorted((document.get("paths") or {}).items()):
        if not isinstance(item, dict):
            continue
        for method in METHODS:
            if isinstance(item.get(method), dict):
                owned = {"path": path, "method": method, "operation": item[method],
                         "parameters": item.get("parameters") or []}
                text = json.dumps(owned, sort_keys=True, ensure_ascii=False, default=str)
                found.append(Endpoint(path, method.upper(), hashlib.sha256(text.encode()).hexdigest()[:16]))
    return found


def known(ids: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The state's Processes by operation key."""
    value = ids.get(STATE_KEY)
    return {str(k): dict(v) for k, v in value.items() if isinstance(v, dict)} if isinstance(value, dict) else {}


def digest(ids: dict[str, Any]) -> str:
    """A fingerprint of the Process versions the state holds (to tell whether a publish locked them)."""
    pairs = sorted((k, v.get("guid"), v.get("version")) for k, v in known(ids).items() if v.get("guid"))
    return hashlib.sha256(json.dumps(pairs).encode()).hexdigest()[:16]


def live_latest(client: Caller, sid: int | None = None) -> dict[str, dict[str, Any]]:
    """The latest live version of every listed Process (of API ``sid`` when given), by GUID."""
    latest: dict[str, dict[str, Any]] = {}
    for item in read_all(client, "/processes", "list Processes"):
        if item.get("isDeleted") or item.get("isDraft") or (sid is not None and item.get("apiSpecId") != sid):
            continue
        guid = str(item.get("uniqueIdentifier"))
        if guid not in latest or int(item["version"]) > int(latest[guid]["version"]):
            latest[guid] = item
    return latest


def plan(client: Caller, document: dict[str, Any], ids: dict[str, Any]) -> ProcessPlan:
    """What ``sync`` would do (one listing of the Processes; nothing is written)."""
    state = known(ids)
    result = ProcessPlan(stateless=not state)
    live = live_latest(client) if state else {}
    wanted = endpoints(document)
    for endpoint in wanted:
        record = state.get(endpoint.key)
        if record is not None and isinstance(record.get("ambiguous"), list):
            alive = [g for g in record["ambiguous"] if g in live and live[g].get("name") == record.get("name")]
            if len(alive) > 1:  # still several: a re-run writes nothing (sync warned and named them)
                result.unsettled.append(endpoint)
                continue
            record = None
        current = live.get(str(record.get("guid"))) if record else None
        if record is None or current is None:
            result.create.append(endpoint)
        elif record.get("fingerprint") == endpoint.fingerprint:
            result.unchanged.append(endpoint)
        elif int(current["version"]) != record.get("version"):
            result.kept.append(endpoint)
        else:
            result.update.append(endpoint)
    keys = {e.key for e in wanted}
    result.stale = sorted(k for k in state if k not in keys)
    return result


def sync(client: Caller, sid: int, version: int, document: dict[str, Any], ids: dict[str, Any]) -> dict[str, Any]:
    """Create and update the Processes ``plan`` names; returns the new state of the Processes."""
    todo = plan(client, document, ids)
    state = known(ids)
    for endpoint in todo.kept:
        log.warning("frends: the Process of %s was edited in Frends since it was pushed: the change of the "
                    "operation is NOT written into it (import it yourself, or delete it to have it made again)",
                    endpoint.key)
    if todo.create:
        of_api = list(live_latest(client, sid).values())
        for endpoint in todo.create:
            taken = {str(r.get("guid")) for r in state.values() if r.get("guid")}  # one Process per operation
            free = [p for p in of_api if str(p.get("uniqueIdentifier")) not in taken]
            state[endpoint.key] = _create(client, sid, version, endpoint, free)
        imported = sum(1 for e in todo.create if state[e.key].pop("imported", False))
        if imported:
            log.warning("frends: %d Process(es) imported from process templates: %s", imported, NO_LOGIC)
    for endpoint in todo.update:
        state[endpoint.key] = _update(client, sid, version, endpoint, state[endpoint.key])
    return state


def template(client: Caller, sid: int, version: int, endpoint: Endpoint) -> dict[str, Any]:
    """The Process Frends makes for one endpoint (seed 000:250-471)."""
    def ask() -> dict[str, Any]:
        body = {"path": endpoint.path, "operation": endpoint.method}
        answer = client.call("POST", f"{SPECS}/{sid}/{version}/processTemplate", "get process template", json=body)
        return dict(answer.json()["data"])

    return repeat_safely(ask, client.policy)


def _record(result: dict[str, Any], endpoint: Endpoint, fingerprint: str | None = None) -> dict[str, Any]:
    return {"guid": str(result["elementIdentifier"] if "elementIdentifier" in result else result["uniqueIdentifier"]),
            "version": int(result["version"]), "id": int(result["id"]),
            "fingerprint": fingerprint or endpoint.fingerprint}


def _create(client: Caller, sid: int, version: int, endpoint: Endpoint, of_api: list[dict[str, Any]]) -> (
        dict[str, Any]):
    """Import the endpoint's template; after a lost state, take over the one Process of its name
    instead; when several have the name, nothing is done and the record names them (unsettled)."""
    process = template(client, sid, version, endpoint)
    same = sorted((p for p in of_api if p.get("name") == process.get("name")),
                  key=lambda p: str(p.get("uniqueIdentifier")))
    if len(same) > 1:  # which one is this operation's is not ours to guess; importing would add one more
        log.warning("frends: %s: %d Processes of API specification %s are named %r (%s): none is taken over and no "
                    "Process is imported for the operation. Settle it in Frends: keep one of that name (delete or "
                    "rename the others), then push again", endpoint.key, len(same), sid, process.get("name"),
                    ", ".join(str(p.get("uniqueIdentifier")) for p in same))
        return {"ambiguous": [str(p.get("uniqueIdentifier")) for p in same], "name": process.get("name"),
                "fingerprint": UNKNOWN}
    if len(same) == 1:  # made by a push whose state was lost: taken over, not made twice
        found = same[0]
        current = owned_digest(found) == owned_digest(process)
        log.warning("frends: %s: taking over Process %s (%s), found by its name without a journal entry; %s",
                    endpoint.key, found["uniqueIdentifier"], found["name"],
                    "its content is the operation's template" if current else
                    "its content differs from the operation's current template (made for an earlier version of "
                    "the API, or edited in Frends: without a journal entry the two cannot be told apart), so the "
                    "next push imports the template as a new version of it (this version stays in the Process's "
                    "history)")
        return _record(found, endpoint, None if current else UNKNOWN)
    guid = str(process["uniqueIdentifier"])
    return {**_record(import_file(client, _file(process), "Error", guid, None), endpoint), "imported": True}


def _update(client: Caller, sid: int, version: int, endpoint: Endpoint, record: dict[str, Any]) -> dict[str, Any]:
    process = {**template(client, sid, version, endpoint), "uniqueIdentifier": record["guid"]}
    return _record(import_file(client, _file(process), "NewVersion", str(record["guid"]), int(record["version"])),
                   endpoint)


def _file(process: dict[str, Any]) -> bytes:
    return json.dumps(process, sort_keys=True, indent=2, ensure_ascii=False).encode("utf-8")


def import_file(client: Caller, content: bytes, conflict: str, guid: str | None, before: int | None,
                filename: str = "process.json", lookup: Callable[[], Any] | None = None) -> dict[str, Any]:
    """POST /processes/batch-import (multipart ``file`` + ``importConflict``); its ProcessImportResult.
    After an unknown outcome, a version of ``guid`` newer than ``before`` is the one imported (or
    what ``lookup`` finds, when given: anything but None means the import went through)."""
    def post() -> dict[str, Any]:
        answer = client.call("POST", "/processes/batch-import", "import Processes", timeout=IMPORT_TIMEOUT,
                             files={"file": (filename, content, "application/json")},
                             data={"importConflict": conflict})
        return dict(answer.json()["data"])

    def by_guid() -> dict[str, Any] | None:
        if guid is None:
            return None
        listed = read_all(client, "/processes", "list Processes", {"processGuid": guid})
        newer = [p for p in listed if not p.get("isDeleted") and (before is None or int(p["version"]) > before)]
        return max(newer, key=lambda p: int(p["version"])) if newer else None

    return create_once(post, lookup or by_guid, client.policy)
