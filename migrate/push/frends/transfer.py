"""Frends-to-Frends migration of Processes (seed 001): ``api-migrate frends export`` and ``import``.

Export reads the Process list (paged, with the documented filters processGuid and processName),
takes the latest live version of each Process and writes the file Frends exports for it
(``GET /processes/{id}/export``; with ``one_file``, one ``GET /processes/batch-export?ids=…``)
byte for byte: the format is not documented (contract x-silent), so the files are never opened.
Beside them, ``processes.json`` (ours) names each Process: GUID, name, version, file, the file's
SHA-256 and a fingerprint of the fields we own as the Process list shows them (``OWNED``), and the
export's scope (``--all``, ``--process-name`` or the ``--process`` GUIDs).

Import compares each Process of the folder with the target's list: **new** (no live Process with
that GUID), **same** (the owned fields are equal: nothing is sent, whatever ``--conflict`` says) or
**differs**. A new or differing Process is imported with ``POST /processes/batch-import`` and the
chosen ``importConflict``; for a differing one, Error would be refused and UseExisting imports
nothing (seed 001), so neither is sent and the plan says why. NewActiveElement and
NewInactiveElement 'create a new Process' (a new GUID): the journal keeps, per source GUID, the GUID
each import created and the owned fingerprint it carried, and a Process whose copy is still live
with that content is **copied** (nothing is sent), so a re-run imports no second copy.

What an import created is read from the Process list after it (a new GUID, or a newer version of
the file's GUID): after an unknown outcome that look-up decides before anything is resent, and
after a refusal it journals what Frends stored anyway (the documents do not say whether a file of
several Processes is imported whole; contract x-silent).

Live Processes of the target that the folder does not have are deleted (``DELETE
/processes/{processGuid}``) only with ``delete_missing`` and only within the export's scope: every
Process for ``--all``, those of the name for ``--process-name``, none for ``--process`` (a folder
whose manifest records no scope deletes nothing); copies the journal holds are never "missing".
Every write is journaled (``Journal``, key ``process:<GUID>``)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from migrate.core.errors import PushError, UsageError
from migrate.push.frends.listing import Caller, read_all
from migrate.push.frends.processes import OWNED, import_file, live_latest, owned_digest
from migrate.push.journal import Journal
from migrate.push.protocol import log

__all__ = ["CONFLICTS", "MANIFEST", "OWNED", "ImportPlan", "Step", "carry_out", "chosen", "copies", "export",
           "listed", "owned_digest", "plan_import", "read_manifest", "read_scope"]

MANIFEST = "processes.json"
BATCH_FILE = "batch-export"
CONFLICTS = ("Error", "UseExisting", "NewVersion", "NewActiveElement", "NewInactiveElement")
#: the settings under which Frends makes a new Process (a new GUID) for one whose GUID it holds
NEW_ELEMENT = ("NewActiveElement", "NewInactiveElement")


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


def scope_of(guids: list[str], everything: bool, name: str | None) -> dict[str, Any]:
    """The export's filter, as the manifest records it (what ``--delete-missing`` may delete)."""
    if everything:
        return {"all": True}
    if name:
        return {"processName": name}
    return {"processGuids": sorted(guids)}


def export(client: Caller, processes: list[dict[str, Any]], folder: Path, one_file: bool = False,
           scope: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """Write the files and the manifest (with the export's ``scope``); returns the manifest's entries."""
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
    manifest = {"format": "api-migrate frends export 1", "processes": entries,
                "scope": scope if scope is not None else {"processGuids": sorted(str(e["guid"]) for e in entries)}}
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


def read_scope(folder: Path) -> dict[str, Any]:
    """The export's scope from the manifest (``read_manifest`` checked it is readable); an older
    manifest without one gives ``{}``: nothing is in scope for deletion."""
    scope = json.loads((folder / MANIFEST).read_text(encoding="utf-8")).get("scope")
    return dict(scope) if isinstance(scope, dict) else {}


def in_scope(scope: dict[str, Any], guid: str, process: dict[str, Any]) -> bool:
    if scope.get("all") is True:
        return True
    if isinstance(scope.get("processName"), str):
        return process.get("name") == scope["processName"]
    return guid in (scope.get("processGuids") or [])


def scope_text(scope: dict[str, Any]) -> str:
    if scope.get("all") is True:
        return "every Process of the target (the export was --all)"
    if isinstance(scope.get("processName"), str):
        return f"the target's Processes named {scope['processName']!r} (the export was --process-name)"
    if "processGuids" in scope:
        return "the folder's own Processes only (the export named them with --process): nothing to delete"
    return f"the folder's own Processes only ({MANIFEST} records no export scope): nothing to delete"


def copies(journal: Journal | None, target: str) -> dict[str, dict[str, Any]]:
    """Per source GUID, what its last journaled import created at ``target``: ``{"guid", "owned"}``
    (only where the created GUID is another one: a NewActiveElement / NewInactiveElement copy)."""
    found: dict[str, dict[str, Any]] = {}
    for entry in journal.entries() if journal is not None else []:
        ids = entry.get("ids") or {}
        key = str(entry.get("key"))
        if (entry.get("vendor"), entry.get("target"), entry.get("step")) != ("frends", target, "import") or \
                not key.startswith("process:"):
            continue
        source, created = key.removeprefix("process:"), ids.get("created")
        if isinstance(created, str) and created != source:
            found[source] = {"guid": created, "owned": ids.get("owned")}
        else:
            found.pop(source, None)
    return found


@dataclass
class Step:
    guid: str
    name: str
    status: str  # new | same | differs | copied | missing
    action: str  # import | delete | none
    why: str = ""
    version: int | None = None  # the target's live version (an import must make a newer one)


@dataclass
class ImportPlan:
    steps: list[Step] = field(default_factory=list)
    scope: dict[str, Any] = field(default_factory=dict)

    @property
    def writes(self) -> list[Step]:
        return [s for s in self.steps if s.action != "none"]

    def render(self) -> str:
        signs = {"import": "+", "delete": "-", "none": " "}
        lines = [f"{signs[s.action]} {s.status:8} {s.guid} {s.name}" + (f"  ({s.why})" if s.why else "")
                 for s in self.steps]
        count = {k: sum(s.status == k for s in self.steps) for k in ("new", "differs", "same", "copied", "missing")}
        copied = f"{count['copied']} imported before as a new Process, " if count["copied"] else ""
        lines.append(f"Processes: {count['new']} new, {count['differs']} differ, {count['same']} the same, {copied}"
                     f"{count['missing']} only in Frends; {len(self.writes)} write(s).")
        lines.append(f"Scope of --delete-missing: {scope_text(self.scope)}.")
        return "\n".join(lines) + "\n"

    def to_json(self) -> dict[str, Any]:
        return {"steps": [s.__dict__ for s in self.steps], "writes": len(self.writes), "scope": self.scope}


def plan_import(client: Caller, entries: list[dict[str, Any]], conflict: str, delete_missing: bool,
                scope: dict[str, Any] | None = None, made: dict[str, dict[str, Any]] | None = None) -> ImportPlan:
    """What ``carry_out`` would do. ``scope``: the export's (``read_scope``), what may be deleted;
    ``made``: the copies earlier imports created (``copies``)."""
    if conflict not in CONFLICTS:
        raise UsageError(f"--conflict must be one of {', '.join(CONFLICTS)}, not {conflict!r}")
    there, made = live_latest(client), made or {}
    result = ImportPlan(scope=dict(scope or {}))
    for entry in entries:
        guid, name = str(entry["guid"]), str(entry.get("name"))
        current = there.get(guid)
        copy = made.get(guid)
        if current is not None and owned_digest(current) == entry["owned"]:
            result.steps.append(Step(guid, name, "same", "none"))
        elif conflict in NEW_ELEMENT and copy is not None and copy["guid"] in there and copy["owned"] == entry["owned"]:
            result.steps.append(Step(guid, name, "copied", "none", f"imported before as Process {copy['guid']} "
                                     "(journal): not imported again"))
        elif current is None:
            result.steps.append(Step(guid, name, "new", "import"))
        elif conflict in ("Error", "UseExisting"):
            why = "Frends refuses it with --conflict Error" if conflict == "Error" else "UseExisting imports nothing"
            result.steps.append(Step(guid, name, "differs", "none", f"not imported: {why}; use --conflict NewVersion"))
        else:
            why = f"importConflict {conflict}" + (": Frends makes a new Process (a new GUID) of it"
                                                  if conflict in NEW_ELEMENT else "")
            result.steps.append(Step(guid, name, "differs", "import", why, int(current["version"])))
    _share_batches(result, entries, conflict)
    mine = {str(e["guid"]) for e in entries} | {str(c["guid"]) for c in made.values()}
    for guid, process in sorted(there.items(), key=lambda kv: (str(kv[1].get("name")), kv[0])):
        if guid not in mine and in_scope(result.scope, guid, process):
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
    """Import and delete as planned, one journal entry per Process written (with the GUID the
    import created); returns what was done."""
    files = {str(e["guid"]): e for e in entries}
    done: list[str] = []
    before = live_latest(client)
    batches: dict[str, list[Step]] = {}
    for step in plan.writes:
        if step.action == "import":
            batches.setdefault(str(files[step.guid]["file"]), []).append(step)
    sent: set[str] = set()
    for step in plan.writes:
        if step.action == "delete":
            client.call("DELETE", f"/processes/{step.guid}", "delete Process")
            journal.record("frends", target, f"process:{step.guid}", "delete", "", {"guid": step.guid})
            done.append(f"delete {step.guid}")
            continue
        file = str(files[step.guid]["file"])
        if file in sent:  # a batch file goes once, with all its Processes
            continue
        sent.add(file)
        steps = batches[file]

        def lookup(steps: list[Step] = steps, before: dict[str, dict[str, Any]] = before) -> dict[str, str] | None:
            return _arrived(client, before, steps, files) or None

        try:
            import_file(client, (folder / file).read_bytes(), conflict, None, None, filename=file, lookup=lookup)
        except PushError as exc:
            try:
                partial = _arrived(client, before, steps, files)
            except PushError:
                raise exc from None
            _journal(journal, target, steps, files, partial, done)
            if partial:
                log.warning("frends: %s: the import failed, but Frends stored %s of its Processes (journaled: %s)",
                            file, len(partial), ", ".join(sorted(partial)))
            raise
        arrived = _arrived(client, before, steps, files)
        for one in steps:
            if one.status == "new" and arrived.get(one.guid) not in (None, one.guid) and conflict not in NEW_ELEMENT:
                raise PushError("frends", f"imported {file} as Process {arrived[one.guid]}, not {one.guid} as "
                                f"{MANIFEST} says")
        _journal(journal, target, steps, files, arrived, done)
        before = live_latest(client)
    return done


def _arrived(client: Caller, before: dict[str, dict[str, Any]], steps: list[Step],
             files: dict[str, dict[str, Any]]) -> dict[str, str]:
    """Which of ``steps`` an import stored, by the Process list now: source GUID -> the GUID it
    made (the same GUID, new or with a newer version, or a new GUID of the same name)."""
    after = live_latest(client)
    fresh = sorted(g for g in after if g not in before)
    found: dict[str, str] = {}
    for step in steps:
        old, now = before.get(step.guid), after.get(step.guid)
        if now is not None and (old is None or int(now["version"]) > int(old["version"])):
            found[step.guid] = step.guid
            continue
        name = files[step.guid].get("name")
        named = [g for g in fresh if after[g].get("name") == name and g not in found.values() and g not in files]
        if named:
            found[step.guid] = named[0]
    return found


def _journal(journal: Journal, target: str, steps: list[Step], files: dict[str, dict[str, Any]],
             arrived: dict[str, str], done: list[str]) -> None:
    for step in steps:
        if step.guid not in arrived:
            continue
        entry = files[step.guid]
        journal.record("frends", target, f"process:{step.guid}", "import", str(entry.get("sha256", "")),
                       {"guid": step.guid, "created": arrived[step.guid], "owned": entry.get("owned")})
        done.append(f"import {step.guid}" + (f" as {arrived[step.guid]}" if arrived[step.guid] != step.guid else ""))
