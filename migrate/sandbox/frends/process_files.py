"""Frends sandbox: single Processes (seed 001: get by id or GUID and version, delete by GUID), their
files (export, batch export, batch import) and the process template of an API endpoint (seed 000).

A Process "file" is not documented beyond 'binary' served as application/json (contract x-silent).
The sandbox's file (x-sandbox-decisions) is the DtoProcess as JSON: one object for one Process, an
array for a batch. An import takes either form; each object must be a complete DtoProcess (checked
against the contract's schema), and the server assigns id, version, modified and modifier, so an
export gives back what an import took, with the server's identity and audit fields. A file of
several Processes is imported one after the other, not atomically: those before a refused one stay
stored (x-sandbox-decisions; the documents are silent, and the client depends on neither)."""

from __future__ import annotations

import json
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import Response

import migrate.sandbox.frends.state as st
from migrate.push.contracts.check import Contract
from migrate.sandbox.frends.processes import bad_request, links
from migrate.sandbox.responses import HTTPProblem, json_response, path_int
from migrate.sandbox.store import Store

Handler = Callable[[Request], Awaitable[Response]]
CONFLICTS = ("Error", "UseExisting", "NewVersion", "NewActiveElement", "NewInactiveElement")
#: members the server assigns on import, whatever the file says (x-sandbox-decisions)
SERVER_MEMBERS = ("id", "version", "modified", "modifier", "isDeleted", "isNotLatestVersion", "isDraft", "draftId",
                  "idOfBaseProcessForDraft")
DTO_PROCESS = "#/components/schemas/DtoProcess"


def file_routes(store: Store) -> list[tuple[str, Handler, str]]:
    """(path below /api/v1, handler, method); batch-export before ``{id}`` routes."""
    h = ProcessFiles(store)
    return [("/processes/batch-export", h.batch_export, "GET"), ("/processes/batch-import", h.batch_import, "POST"),
            ("/processes/{pid:int}", h.get_by_id, "GET"), ("/processes/{pid:int}/export", h.export_by_id, "GET"),
            ("/processes/{guid}/versions/{ver:int}", h.get_version, "GET"),
            ("/processes/{guid}/versions/{ver:int}/export", h.export_version, "GET"),
            ("/processes/{guid}", h.delete, "DELETE")]


def file_bytes(data: Any) -> Response:
    """A Process file: application/json (seed 001:719-726), deterministic."""
    return Response(json.dumps(data, sort_keys=True, indent=2).encode("utf-8"), media_type="application/json")


def versions_of(store: Store, guid: str) -> list[dict[str, Any]]:
    """Every stored version of the Process ``guid``, oldest first."""
    found = [p for p in st.processes(store).values() if p["uniqueIdentifier"] == guid]
    return sorted(found, key=lambda p: int(p["version"]))


def latest(store: Store, guid: str) -> dict[str, Any] | None:
    live = [p for p in versions_of(store, guid) if not p["isDeleted"]]
    return live[-1] if live else None


class ProcessFiles:
    def __init__(self, store: Store) -> None:
        self.store = store
        self.contract = Contract.load("frends")

    def _by_id(self, pid: int) -> dict[str, Any]:
        found = st.processes(self.store).get(str(pid))
        if found is None:
            raise HTTPProblem(404, "Not Found", f"Process not found: {pid}")
        return dict(found)

    def _by_version(self, request: Request) -> dict[str, Any]:
        guid, version = str(request.path_params["guid"]), path_int(request, "ver")
        for process in versions_of(self.store, guid):
            if int(process["version"]) == version:
                return dict(process)
        raise HTTPProblem(404, "Not Found", f"Process {guid} has no version {version}")

    async def get_by_id(self, request: Request) -> Response:
        process = self._by_id(path_int(request, "pid"))
        return json_response({"data": process, "links": links(request, process)})

    async def get_version(self, request: Request) -> Response:
        process = self._by_version(request)
        return json_response({"data": process, "links": links(request, process)})

    async def export_by_id(self, request: Request) -> Response:
        return file_bytes(self._by_id(path_int(request, "pid")))

    async def export_version(self, request: Request) -> Response:
        return file_bytes(self._by_version(request))

    async def batch_export(self, request: Request) -> Response:
        """``ids`` repeated (contract x-silent: the OpenAPI default form); none gives an empty file."""
        try:
            ids = [int(v) for v in request.query_params.getlist("ids")]
        except ValueError:
            raise bad_request("ids must be integers") from None
        return file_bytes([self._by_id(pid) for pid in ids])

    async def delete(self, request: Request) -> Response:
        """Seed 001: delete the Process (every version) and undeploy it from all Agent Groups. Its
        versions stay readable by id with isDeleted true (the member the documents give)."""
        guid = str(request.path_params["guid"])
        if latest(self.store, guid) is None:
            raise HTTPProblem(404, "Not Found", f"Process not found: {guid}")
        for process in versions_of(self.store, guid):
            process.update(isDeleted=True, modified=st.now(), modifier=st.MODIFIER)
        deployed = st.deployments(self.store)
        for key in [k for k, d in deployed.items() if d["processGuid"] == guid]:
            del deployed[key]
        return Response(status_code=204)

    async def batch_import(self, request: Request) -> Response:
        async with request.form() as form:
            upload, conflict = form.get("file"), form.get("importConflict")
            if not isinstance(upload, UploadFile):
                raise bad_request("multipart field 'file' is required")
            raw = await upload.read()
        if conflict not in CONFLICTS:  # seed 001:791-800: Required, one of the five
            raise bad_request(f"importConflict must be one of {', '.join(CONFLICTS)}")
        results = [self._import_one(item, str(conflict), request) for item in self._read_file(raw)]
        return json_response({"data": results[0]})  # x-silent: one object answers for the first

    def _read_file(self, raw: bytes) -> list[dict[str, Any]]:
        try:
            data = json.loads(raw)
        except (ValueError, RecursionError):
            raise bad_request("the file is not a Process file (JSON)") from None
        items = data if isinstance(data, list) else [data]
        if not items:
            raise bad_request("the file holds no Process")
        for number, item in enumerate(items):
            problems = self.contract.check_instance(DTO_PROCESS, item)
            if problems:
                raise bad_request(f"Process {number + 1} of the file is not a Process: {problems[0]}")
        return [dict(item) for item in items]

    def _import_one(self, item: dict[str, Any], conflict: str, request: Request) -> dict[str, Any]:
        existing = latest(self.store, str(item["uniqueIdentifier"]))
        if existing is None:
            return self._store(item, str(item["uniqueIdentifier"]), 1, request)
        if conflict == "Error":
            raise HTTPProblem(409, "Conflict", f"Process {existing['uniqueIdentifier']} already exists")
        if conflict == "UseExisting":
            return _result(existing, request)
        if conflict == "NewVersion":
            for old in versions_of(self.store, existing["uniqueIdentifier"]):
                old["isNotLatestVersion"] = True
            return self._store(item, existing["uniqueIdentifier"], int(existing["version"]) + 1, request)
        item["activateIfNew"] = conflict == "NewActiveElement"
        return self._store(item, str(uuid.uuid4()), 1, request)

    def _store(self, item: dict[str, Any], guid: str, version: int, request: Request) -> dict[str, Any]:
        pid = self.store.next_id(st.V, "process", start=101)
        process = {**item, "id": pid, "uniqueIdentifier": guid, "version": version, "modified": st.now(),
                   "modifier": st.MODIFIER, "isDeleted": False, "isNotLatestVersion": False, "isDraft": False,
                   "draftId": 0, "idOfBaseProcessForDraft": 0}
        st.processes(self.store)[str(pid)] = process
        return _result(process, request)


def _result(process: dict[str, Any], request: Request) -> dict[str, Any]:
    """ProcessImportResult (seed 001:820-826)."""
    location = str(request.base_url).rstrip("/") + f"/api/v1/processes/{process['id']}"
    return {"name": process["name"], "elementIdentifier": process["uniqueIdentifier"], "id": process["id"],
            "resourceLocation": location, "version": process["version"]}
