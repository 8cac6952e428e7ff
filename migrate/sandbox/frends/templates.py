"""Frends sandbox: the process template of one endpoint of an API specification version
(seed 000:250-471, ``POST …/{id}/{apiVersion}/processTemplate {path, operation}``).

The answer is a DtoProcess (without links). What Frends puts in it is not documented beyond its
shape; the sandbox's choices (x-sandbox-decisions): the call is a pure read (nothing is stored); the
path must be one of the version's paths as the specification writes it and the operation one of its
methods (400 otherwise); each call names a NEW Process identity (a fresh uniqueIdentifier), so a
client cannot rely on getting the same GUID twice; id 0 and version 1 (no Process is stored yet);
name ``<API name> <METHOD> <path>``; description the operation's summary; documentationMarkdown
its description; the trigger (triggerData) and the Start element name the API, version, method
and path."""

from __future__ import annotations

import uuid
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

import migrate.sandbox.frends.state as st
from migrate.core.errors import ReadError
from migrate.sandbox.responses import HTTPProblem, json_response, path_int, read_json
from migrate.sandbox.store import Store
from migrate.source.load import parse_text

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
#: the sandbox's one API process template (a ProcessTemplate, seed 000:380-424)
TEMPLATE_GUID = "5d1c0a52-7f6e-4c1b-9a8e-000000000001"


def _bad(detail: str) -> HTTPProblem:
    return HTTPProblem(400, "Bad Request", detail)


def template_meta() -> dict[str, Any]:
    """The ProcessTemplate the sandbox's API processes are made from."""
    return {"id": 1, "name": "HTTP API endpoint", "modifier": st.MODIFIER, "modified": "2025-01-01T00:00:00.000Z",
            "majorVersion": 1, "minorVersion": 0, "targetFramework": "net8.0", "frendsVersion": "6.0",
            "isSubprocess": False, "staticRequiredEnvironmentVariablesJson": "[]", "isForMonitoringRule": False,
            "cancellationDisabled": False, "description": "A Process answering one API operation",
            "changeDescription": "", "bpmn": "", "elementParameters": "[]", "promotedResultVariablesJson": "[]",
            "usedSubprocessesJson": "[]", "usedTasksJson": "[]", "triggersJson": "[]", "manualTriggerJson": "{}",
            "uniqueIdentifier": TEMPLATE_GUID, "isListed": True, "version": 1, "isDeleted": False,
            "processVariablesJson": "[]", "processTags": "", "templateTags": ["api"],
            "getVersion": {"major": 1, "minor": 0, "build": 1, "revision": 0, "majorRevision": 0,
                           "minorRevision": 0}}


def _operation(text: str, path: str, method: str) -> dict[str, Any]:
    try:
        document = parse_text(text, "specification")
    except ReadError as exc:  # the sandbox stored it, so this is not expected
        raise _bad(f"the version's specification cannot be read: {exc}") from None
    item = (document.get("paths") or {}).get(path)
    if not isinstance(item, dict):
        raise _bad(f"the specification has no path {path!r}")
    operation = item.get(method.lower()) if method.lower() in METHODS else None
    if not isinstance(operation, dict):
        raise _bad(f"the specification has no operation {method.upper()} {path}")
    return operation


def process_for(spec: dict[str, Any], number: int, path: str, method: str, operation: dict[str, Any]) -> (
        dict[str, Any]):
    """A complete DtoProcess for one endpoint (see the module docstring)."""
    verb, when = method.upper(), st.now()
    parameters = sorted(str(p.get("name")) for p in operation.get("parameters") or [] if isinstance(p, dict))
    start = {"id": "StartEvent_1", "type": "Start", "parameters": {"parameters": parameters},
             "selectedTypeId": "HttpApiTrigger", "promoteResultAs": "", "name": f"{verb} {path}",
             "description": "", "isDefault": True, "shouldRetry": False, "maxRetryCount": 0,
             "shouldNotLogResult": False, "shouldDispose": False}
    trigger = [{"type": "ApiTrigger", "apiSpecId": spec["id"], "apiVersion": number, "method": verb, "path": path}]
    bpmn = (f'<bpmn:definitions><bpmn:process id="api"><bpmn:startEvent id="StartEvent_1" name="{verb} {path}"/>'
            "</bpmn:process></bpmn:definitions>")
    meta = template_meta()
    return {"isDeleted": False, "version": 1, "uniqueIdentifier": str(uuid.uuid4()), "id": 0,
            "name": f"{spec['name']} {verb} {path}", "modified": when, "modifier": st.MODIFIER,
            "description": str(operation.get("summary") or ""), "isNotLatestVersion": False,
            "changeDescription": "", "bpmn": bpmn, "elementParameters": [start], "manualTrigger": [],
            "obsoleteTasks": [], "draftId": 0, "idOfBaseProcessForDraft": 0, "isDraft": False, "isSubprocess": False,
            "graphData": {}, "triggerData": trigger, "majorVersion": 1, "minorVersion": 0, "isMigration": False,
            "activateIfNew": True, "frendsVersion": meta["frendsVersion"], "ignoreDependencyConflicts": False,
            "documentationMarkdown": str(operation.get("description") or ""),
            "targetFramework": meta["targetFramework"], "apiSpecId": spec["id"], "isForMonitoringRule": False,
            "validationOnly": False, "cancellationDisabled": False, "processVariables": [],
            "processTemplate": meta, "processTemplateDeviated": meta["modified"], "nextProcessTemplate": meta}


class Templates:
    def __init__(self, store: Store) -> None:
        self.store = store

    async def process_template(self, request: Request) -> Response:
        spec = st.get_spec(self.store, path_int(request, "sid"))
        number = path_int(request, "ver")
        version = st.get_version(spec, number)
        body = await read_json(request)
        if not isinstance(body, dict) or set(body) - {"path", "operation"}:
            raise _bad("the body must be an object with path and operation")
        path, method = body.get("path"), body.get("operation")
        if not isinstance(path, str) or not isinstance(method, str):
            raise _bad("path and operation must be strings")
        operation = _operation(str(version["specification"]), path, method)
        return json_response({"data": process_for(spec, number, path, method, operation)})
