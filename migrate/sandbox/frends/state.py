"""Frends sandbox state: API specifications with their versions (text, lock, Agent Groups,
passthrough configurations), Processes and Process deployments.

The state keeps what Frends keeps internally (a version's text, whether it is published, where it
is deployed, the base path); the app serves only the members the contract documents
(``migrate/push/contracts/frends.yaml``), so none of these internals ever reaches a client.
"""

from __future__ import annotations

import time
from typing import Any
from urllib.parse import urlparse

from migrate.core.errors import ReadError
from migrate.sandbox.responses import HTTPProblem
from migrate.sandbox.store import Store
from migrate.source.detect import detect_data
from migrate.source.load import parse_text

V = "frends"
#: Agent Groups of the sandbox tenant (id -> displayName); 1 is the default group (seed 000)
AGENT_GROUPS = {1: "Default", 2: "Test", 3: "Production"}
DEFAULT_GROUP = 1
#: the user name written into modifier / deployedBy (x-sandbox-decisions)
MODIFIER = "sandbox"


def now() -> str:
    """An ISO 8601 UTC time with milliseconds, as the seeds' examples show (2025-09-07T10:06:05.654Z)."""
    seconds = time.time()
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(seconds)) + f".{int(seconds * 1000) % 1000:03d}Z"


def specs(store: Store) -> dict[str, Any]:
    return store.doc(V).setdefault("specs", {})


def get_spec(store: Store, spec_id: int) -> dict[str, Any]:
    found = specs(store).get(str(spec_id))
    if found is None:
        raise HTTPProblem(404, "Not Found", f"API specification not found: {spec_id}")
    return found


def get_version(spec: dict[str, Any], number: int) -> dict[str, Any]:
    found = spec["versions"].get(str(number))
    if found is None:
        raise HTTPProblem(404, "Not Found", f"API specification {spec['id']} has no version {number}")
    return found


def summary(spec: dict[str, Any], version: dict[str, Any] | None = None) -> dict[str, Any]:
    """DtoApiSpecification: exactly id, name, activeVersion, description (seed 000)."""
    named = version or spec["versions"][str(spec["activeVersion"])]
    return {"id": spec["id"], "name": named["name"], "activeVersion": spec["activeVersion"],
            "description": named["description"]}


def read_spec(text: str, name: str) -> dict[str, Any]:
    """{name, description, basePath} of an OpenAPI 2/3 document, or a 400 problem. name is
    info.title, description info.description or null (x-sandbox-decisions)."""
    try:
        data = parse_text(text, name)
        kind, _ = detect_data(data, name)
    except ReadError as exc:
        raise HTTPProblem(400, "Bad Request", f"not a usable API specification: {exc}") from None
    info = data.get("info") if isinstance(data.get("info"), dict) else {}
    title = info.get("title")
    if not isinstance(title, str) or not title.strip():
        raise HTTPProblem(400, "Bad Request", "the specification has no info.title")
    description = info.get("description")
    return {"name": title, "description": description if isinstance(description, str) else None,
            "basePath": base_path(data, kind)}


def base_path(data: dict[str, Any], kind: str) -> str:
    """Seed 000: basePath (OpenAPI 2) / server URL (OpenAPI 3); compared by its path part."""
    if kind == "swagger":
        raw = str(data.get("basePath") or "/")
    else:
        servers = data.get("servers") or [{}]
        raw = urlparse(str(servers[0].get("url") or "/") if isinstance(servers[0], dict) else "/").path
    return "/" + raw.strip("/")


def check_base_path(store: Store, path: str) -> None:
    """The newer reference's 'A path is already used in an existing API'."""
    for key, spec in specs(store).items():
        if spec["basePath"] == path:
            raise HTTPProblem(409, "Conflict", f"A path is already used in an existing API ({path}: API "
                              f"specification {key})")


def new_spec(store: Store, meta: dict[str, Any], text: str) -> dict[str, Any]:
    """Seed 000: an import creates version 1 in the default Agent Group."""
    spec_id = store.next_id(V, "spec")
    spec = {"id": spec_id, "name": meta["name"], "description": meta["description"], "basePath": meta["basePath"],
            "activeVersion": 1, "agentGroups": [DEFAULT_GROUP], "versions": {"1": new_version(store, 1, meta, text)}}
    specs(store)[str(spec_id)] = spec
    return spec


def new_version(store: Store, number: int, meta: dict[str, Any], text: str) -> dict[str, Any]:
    """``versionId`` is an internal id (a passthrough's apiVersionId), not the version number."""
    return {"version": number, "versionId": store.next_id(V, "version", start=1001), "specification": text,
            "name": meta["name"], "description": meta["description"], "published": False,
            "changeDescription": None, "deployedTo": [], "passthrough": {}}


def agent_group(group: int) -> dict[str, Any]:
    """DtoAgentGroupBase, or the documented 'Agent group not found' (a 404 here)."""
    if group not in AGENT_GROUPS:
        raise HTTPProblem(404, "Not Found", f"Agent group not found: {group}")
    return {"id": group, "displayName": AGENT_GROUPS[group]}


def processes(store: Store) -> dict[str, Any]:
    """Process versions by id (DtoProcess objects, without links)."""
    return store.doc(V).setdefault("processes", {})


def add_process(store: Store, process: dict[str, Any]) -> None:
    """Put one Process version (a complete DtoProcess, seed 001) into the sandbox without the HTTP
    way (POST /processes/batch-import): for tests that need a Process made elsewhere."""
    processes(store)[str(int(process["id"]))] = dict(process)
    store.commit(V)


def deployments(store: Store) -> dict[str, Any]:
    """DtoProcessDeploymentGet objects by deploymentId."""
    return store.doc(V).setdefault("deployments", {})
