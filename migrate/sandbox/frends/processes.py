"""Frends sandbox: the Process list (seed 001:439-672) and Process deployments (Platform API
reference, ProcessDeployments: ``GET``/``POST /process-deployments``).

Processes are made by batch import (``process_files.py``) or, in tests, ``state.add_process``. A
deployment keeps one deployed version per Process and Agent Group."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

import migrate.sandbox.frends.state as st
from migrate.sandbox.frends.paging import by_name, paged
from migrate.sandbox.responses import HTTPProblem, int_param, json_response, read_json
from migrate.sandbox.store import Store

#: reference: 'Deploy up to 20 Processes'
MAX_PROCESSES = 20
Handler = Callable[[Request], Awaitable[Response]]


def process_routes(store: Store) -> list[tuple[str, Handler, str]]:
    """(path below /api/v1, handler, method)."""
    h = Processes(store)
    return [("/processes", h.list_processes, "GET"), ("/process-deployments", h.list_deployments, "GET"),
            ("/process-deployments", h.deploy, "POST")]


def bad_request(detail: str) -> HTTPProblem:
    return HTTPProblem(400, "Bad Request", detail)



def links(request: Request, process: dict[str, Any]) -> dict[str, Any]:
    """ProcessLinks (seed 001:211-220)."""
    root = str(request.base_url).rstrip("/") + "/api/v1"
    return {"deployments": {"uri": f"{root}/process-deployments?processGuid={process['uniqueIdentifier']}",
                            "method": "GET"},
            "delete": {"uri": f"{root}/processes/{process['uniqueIdentifier']}", "method": "DELETE"}}


def _requested(item: Any) -> tuple[str, int]:
    """(processGuid, version) of one ProcessDeploymentProcessInput."""
    if not isinstance(item, dict) or set(item) - {"processGuid", "version", "processVariables"}:
        raise bad_request("each process must be an object with processGuid, version and processVariables")
    guid, version = item.get("processGuid"), item.get("version")
    if not isinstance(guid, str) or not isinstance(version, int) or isinstance(version, bool):
        raise bad_request("each process needs a processGuid (string) and a version (integer)")
    return guid, version


def _deployment(deployment_id: int, process: dict[str, Any], group: dict[str, Any], body: dict[str, Any]) -> (
        dict[str, Any]):
    """DtoProcessDeploymentGet. processVersion as major.minor.version, processBuildVersion the
    Process version (x-sandbox-decisions)."""
    return {"deploymentId": deployment_id, "processId": process["id"], "processName": process["name"],
            "processGuid": process["uniqueIdentifier"],
            "processVersion": f"{process['majorVersion']}.{process['minorVersion']}.{process['version']}",
            "processBuildVersion": process["version"], "deployedAtUtc": st.now(), "deployedBy": st.MODIFIER,
            "description": body.get("deploymentDescription"), "triggersActive": body.get("activateTriggers", True),
            "agentGroup": group}


class Processes:
    def __init__(self, store: Store) -> None:
        self.store = store

    async def list_processes(self, request: Request) -> Response:
        guid, name = request.query_params.get("processGuid"), request.query_params.get("processName")
        found = [p for p in st.processes(self.store).values()
                 if (guid is None or p["uniqueIdentifier"] == guid) and (name is None or p["name"] == name)]
        items = [{**p, "links": links(request, p)} for p in by_name(found, lambda p: str(p["name"]))]
        return json_response(paged(request, items))

    async def list_deployments(self, request: Request) -> Response:
        query = request.query_params
        group = int_param(request, "agentGroupId", 0) if "agentGroupId" in query else None
        if group is not None:
            st.agent_group(group)  # reference: 'Agent group doesnt exist'
        subprocesses = self._subprocess_ids() if query.get("excludeSubprocesses", "").lower() == "true" else set()
        found = [d for d in st.deployments(self.store).values()
                 if (group is None or d["agentGroup"]["id"] == group)
                 and query.get("processGuid") in (None, d["processGuid"])
                 and query.get("processName") in (None, d["processName"])
                 and d["processId"] not in subprocesses]
        if query.getlist("tags"):  # Processes carry no tags in the sandbox: a tag filter matches nothing
            found = []
        items = sorted(found, key=lambda d: (str(d["processName"]).casefold(), d["deploymentId"]))
        return json_response(paged(request, items))

    def _subprocess_ids(self) -> set[int]:
        return {int(p["id"]) for p in st.processes(self.store).values() if p.get("isSubprocess")}

    async def deploy(self, request: Request) -> Response:
        body = await read_json(request)
        allowed = {"agentGroupId", "processes", "activateTriggers", "deploymentDescription"}
        if not isinstance(body, dict) or set(body) - allowed:
            raise bad_request(f"the body must be an object with members {', '.join(sorted(allowed))}")
        if not isinstance(body.get("activateTriggers", True), bool) or not isinstance(
                body.get("deploymentDescription", ""), str):
            raise bad_request("activateTriggers must be a boolean and deploymentDescription a string")
        group_id, requested = body.get("agentGroupId", st.DEFAULT_GROUP), body.get("processes")
        if not isinstance(group_id, int) or isinstance(group_id, bool):
            raise bad_request("agentGroupId must be an integer")
        if not isinstance(requested, list) or not 1 <= len(requested) <= MAX_PROCESSES:
            raise bad_request(f"processes must list 1 to {MAX_PROCESSES} Processes")
        wanted = [_requested(item) for item in requested]
        group = st.agent_group(group_id)  # reference: 'Agent group not found'
        chosen = [self._process(guid, version) for guid, version in wanted]
        for process in chosen:
            self._replace(process, group, body)
        return Response(status_code=201)  # terraform provider: 201; the reference shows no body

    def _process(self, guid: str, version: int) -> dict[str, Any]:
        for process in st.processes(self.store).values():
            if process["uniqueIdentifier"] == guid and process["version"] == version and not process["isDeleted"]:
                return process
        raise HTTPProblem(404, "Not Found", f"Process {guid} version {version} not found")

    def _replace(self, process: dict[str, Any], group: dict[str, Any], body: dict[str, Any]) -> None:
        deployed = st.deployments(self.store)
        for key, old in list(deployed.items()):
            if old["processGuid"] == process["uniqueIdentifier"] and old["agentGroup"]["id"] == group["id"]:
                del deployed[key]
        deployment_id = self.store.next_id(st.V, "deployment")
        deployed[str(deployment_id)] = _deployment(deployment_id, process, group, body)
