"""Frends-to-Frends migration of Processes (seed 001): ``api-migrate frends export`` and ``import``.

Export reads the Process list (paged, with the documented filters processGuid and processName),
takes the latest live version of each Process and writes the file Frends exports for it
(``GET /processes/{id}/export``; with ``one_file``, one ``GET /processes/batch-export?ids=…``)
byte for byte: the format is not documented (contract x-silent), so the files are never opened.
Beside them, ``processes.json`` (ours) names each Process: GUID, name, version, file, the file's
SHA-256 and a fingerprint of the fields we own as the Process list shows them (``OWNED``).

Import compares each Process of the folder with the target's list: **new** (no live Process with
that GUID), **same** (the owned fields are equal: nothing is sent, whatever ``--conflict`` says) or
**differs**. A new or differing Process is imported with ``POST /processes/batch-import`` and the
chosen ``importConflict``; for a differing one, Error would be refused and UseExisting imports
nothing (seed 001), so neither is sent and the plan says why. Live Processes of the target that the
folder does not have are deleted (``DELETE /processes/{processGuid}``) only with ``delete_missing``.
Every write is journaled (``Journal``, key ``process:<GUID>``)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from migrate.core.errors import PushError, UsageError
from migrate.push.frends.listing import Caller, read_all
from migrate.push.frends.processes import import_file, live_latest
from migrate.push.journal import Journal

MANIFEST = "processes.json"
BATCH_FILE = "batch-export"
CONFLICTS = ("Error", "UseExisting", "NewVersion", "NewActiveElement", "NewInactiveElement")
#: what a Process is, as far as a migration is concerned (DtoProcess members, seed 001); identity,
#: audit fields, draft state and Process Variable values (taken from an Agent Group) are not ours
OWNED = ("name", "description", "bpmn", "elementParameters", "triggerData", "manualTrigger", "targetFramework",
         "isSubprocess", "documentationMarkdown")


def owned_digest(process: dict[str, Any]) -> str:
    owned = {k: process.get(k) for k in OWNED}
    owned["processVariables"] = sorted(str(v.get("name")) for v in process.get("processVariables") or []
                                       if isinstance(v, dict))
    return hashlib.sha256(json.dumps(owned, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:16]


def listed(client: Caller, guid: str | None = None, name: str | None = None) -> dict[str, dict[str, Any]]:
    """The latest live version of each Process the list gives with these filters, by GUID."""
    params = {k: v for k, v in (("processGuid", guid), ("processName", name)) if v}
    if not params:
        return live_latest(client)
    latest: dict[str, dict[str, Any]] = {}
    for item in read_all(client, "/processes", "list Processes", params):
        key = str(item.get("uniqueIdentifier"))
        if not item.get("isDeleted") and not item.get("isDraft") and (
                key not in latest or int(item["version"]) > int(latest[key]["version"])):
            latest[key] = item
    return latest


def chosen(client: Caller, guids: list[str], everything: bool, name: str | None) -> list[dict[str, Any]]:
    """The Processes to export, by name then GUID; a GUID Frends does not list is an error."""
    if everything or name:
        found = list(listed(client, name=name).values())
    else:
        found = []
        for guid in guids:
            one = listed(client, guid=guid)
            if guid not in one:
                raise UsageError(f"--process {guid}: Frends lists no live Process with this GUID")
            found.append(one[guid])
    return sorted(found, key=lambda p: (str(p.get("name")).casefold(), str(p.get("uniqueIdentifier"))))


def export(client: Caller, processes: list[dict[str, Any]], folder: Path, one_file: bool = False) -> list[
        dict[str, Any]]:
    """Write the files and the manifest; returns the manifest's entries."""
    folder.mkdir(parents=True, exist_ok=True)
    entries = []
    if one_file and processes:
        ids = [int(p["id"]) for p in processes]
        content = client.call("GET", "/processes/batch-export", "export Processes", params={"ids": ids}).content
        (folder / BATCH_FILE).write_bytes(content)
    for process in processes:
        guid = str(process["uniqueIdentifier"])
        if one_file:
            name, content = BATCH_FILE, (folder / BATCH_FILE).read_bytes()
        else:
            name = guid
            content = client.call("GET", f"/processes/{int(process['id'])}/export", "export Process").content
            (folder / name).write_bytes(content)
        entries.append({"guid": guid, "name": process.get("name"), "version": process.get("version"), "file": name,
                        "sha256": hashlib.sha256(content).hexdigest(), "owned": owned_digest(process)})
    manifest = {"format": "api-migrate frends export 1", "processes": entries}
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return entries


def read_manifest(folder: Path) -> list[dict[str, Any]]:
    path = folder / MANIFEST
    unusable = UsageError(f"{path}: not a folder written by `api-migrate frends export`")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        entries = [dict(e) for e in data["processes"]]
    except (OSError, ValueError, KeyError, TypeError):
        raise unusable from None
    if any(not all(isinstance(e.get(k), str) for k in ("guid", "file", "owned", "sha256")) for e in entries):
        raise unusable
    for entry in entries:
        file = folder / str(entry["file"])
        if not file.is_file() or hashlib.sha256(file.read_bytes()).hexdigest() != entry.get("sha256"):
            raise UsageError(f"{file}: missing or changed since the export (its SHA-256 differs from {MANIFEST})")
    return entries


@dataclass
class Step:
    guid: str
    name: str
    status: str  # new | same | differs | missing
    action: str  # import | delete | none
    why: str = ""
    version: int | None = None  # the target's live version (an import must make a newer one)


@dataclass
class ImportPlan:
    steps: list[Step] = field(default_factory=list)

    @property
    def writes(self) -> list[Step]:
        return [s for s in self.steps if s.action != "none"]

    def render(self) -> str:
        signs = {"import": "+", "delete": "-", "none": " "}
        lines = [f"{signs[s.action]} {s.status:8} {s.guid} {s.name}" + (f"  ({s.why})" if s.why else "")
                 for s in self.steps]
        count = {k: sum(s.status == k for s in self.steps) for k in ("new", "differs", "same", "missing")}
        lines.append(f"Processes: {count['new']} new, {count['differs']} differ, {count['same']} the same, "
                     f"{count['missing']} only in Frends; {len(self.writes)} write(s).")
        return "\n".join(lines) + "\n"

    def to_json(self) -> dict[str, Any]:
        return {"steps": [s.__dict__ for s in self.steps], "writes": len(self.writes)}


def plan_import(client: Caller, entries: list[dict[str, Any]], conflict: str, delete_missing: bool) -> ImportPlan:
    if conflict not in CONFLICTS:
        raise UsageError(f"--conflict must be one of {', '.join(CONFLICTS)}, not {conflict!r}")
    there = live_latest(client)
    result = ImportPlan()
    for entry in entries:
        guid, name = str(entry["guid"]), str(entry.get("name"))
        current = there.get(guid)
        if current is None:
            result.steps.append(Step(guid, name, "new", "import"))
        elif owned_digest(current) == entry["owned"]:
            result.steps.append(Step(guid, name, "same", "none"))
        elif conflict in ("Error", "UseExisting"):
            why = "Frends refuses it with --conflict Error" if conflict == "Error" else "UseExisting imports nothing"
            result.steps.append(Step(guid, name, "differs", "none", f"not imported: {why}; use --conflict NewVersion"))
        else:
            result.steps.append(Step(guid, name, "differs", "import", f"importConflict {conflict}",
                                     int(current["version"])))
    _share_batches(result, entries, conflict)
    mine = {str(e["guid"]) for e in entries}
    for guid, process in sorted(there.items(), key=lambda kv: (str(kv[1].get("name")), kv[0])):
        if guid not in mine:
            action, why = ("delete", "--delete-missing") if delete_missing else ("none", "kept: no --delete-missing")
            result.steps.append(Step(guid, str(process.get("name")), "missing", action, why))
    return result


def _share_batches(plan: ImportPlan, entries: list[dict[str, Any]], conflict: str) -> None:
    """A batch file is imported whole: the other Processes of a file that is sent are imported too
    (a NewVersion makes a new version of them), and the plan says so."""
    file_of = {str(e["guid"]): str(e["file"]) for e in entries}
    sent = {file_of[s.guid] for s in plan.steps if s.action == "import"}
    if conflict == "Error":  # Frends refuses the whole file when one of its Processes exists
        held = {file_of[s.guid] for s in plan.steps if s.status != "new"} & sent
        for step in plan.steps:
            if file_of.get(step.guid) in held and step.action == "import":
                step.action, step.why = "none", ("not imported: its batch file holds a Process Frends has, which "
                                                 "--conflict Error refuses; export per Process or use NewVersion")
        sent -= held
    for step in plan.steps:
        if step.action == "none" and file_of.get(step.guid) in sent and (step.status == "same" or conflict not in (
                "Error", "UseExisting")):
            step.action = "import"
            step.why = f"in the same batch file as a Process to import (importConflict {conflict})"


def carry_out(client: Caller, folder: Path, entries: list[dict[str, Any]], plan: ImportPlan, conflict: str,
              journal: Journal, target: str) -> list[str]:
    """Import and delete as planned, one journal entry per write; returns what was done."""
    files = {str(e["guid"]): e for e in entries}
    done: list[str] = []
    sent: set[str] = set()
    for step in plan.writes:
        if step.action == "delete":
            client.call("DELETE", f"/processes/{step.guid}", "delete Process")
        else:
            entry = files[step.guid]
            if entry["file"] in sent:  # a batch file goes once, with all its Processes
                continue
            sent.add(str(entry["file"]))
            known = step.guid if conflict in ("Error", "UseExisting", "NewVersion") else None
            result = import_file(client, (folder / str(entry["file"])).read_bytes(), conflict, known, step.version,
                                 filename=str(entry["file"]))
            if step.status == "new" and str(result.get("elementIdentifier")) != step.guid and conflict in (
                    "Error", "UseExisting", "NewVersion"):
                raise PushError("frends", f"imported {entry['file']} as Process {result.get('elementIdentifier')}, "
                                f"not {step.guid} as {MANIFEST} says")
        journal.record("frends", target, f"process:{step.guid}", step.action, str(files.get(step.guid, {}).get(
            "sha256", "")), {"guid": step.guid})
        done.append(f"{step.action} {step.guid}")
    return done
