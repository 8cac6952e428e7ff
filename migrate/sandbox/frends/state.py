"""Frends sandbox state: API specifications with versions, agent groups and passthrough configs."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlparse

from migrate.core.errors import ReadError
from migrate.sandbox.responses import HTTPProblem
from migrate.sandbox.store import Store
from migrate.source.detect import detect_data
from migrate.source.load import parse_text

V = "frends"
AGENT_GROUPS = {1: "Default", 2: "Test", 3: "Production"}
DEFAULT_GROUP = 1


def specs(store: Store) -> dict[str, Any]:
    return store.doc(V).setdefault("specs", {})


def get_spec(store: Store, spec_id: int) -> dict[str, Any]:
    found = specs(store).get(str(spec_id))
    if found is None:
        raise HTTPProblem(404, "Not Found", f"API specification {spec_id} does not exist")
    return found


def get_version(spec: dict[str, Any], number: int) -> dict[str, Any]:
    found = spec["versions"].get(str(number))
    if found is None:
        raise HTTPProblem(404, "Not Found", f"API specification {spec['id']} has no version {number}")
    return found


def summary(spec: dict[str, Any]) -> dict[str, Any]:
    return {key: spec[key] for key in ("id", "name", "activeVersion", "description")}


def read_spec(text: str, name: str) -> dict[str, Any]:
    """{name, description, basePath} of an OpenAPI 2/3 document, or a 400 problem."""
    try:
        data = parse_text(text, name)
        kind, _ = detect_data(data, name)
    except ReadError as exc:
        raise HTTPProblem(400, "Bad Request", f"not a usable API specification: {exc}") from None
    info = data.get("info") if isinstance(data.get("info"), dict) else {}
    title = info.get("title")
    if not isinstance(title, str) or not title.strip():
        raise HTTPProblem(400, "Bad Request", "the specification has no info.title")
    return {"name": title, "description": str(info.get("description") or ""), "basePath": base_path(data, kind)}


def base_path(data: dict[str, Any], kind: str) -> str:
    """Seed 000: basePath (OpenAPI 2) / server URL (OpenAPI 3); compared by its path part."""
    if kind == "swagger":
        raw = str(data.get("basePath") or "/")
    else:
        servers = data.get("servers") or [{}]
        raw = urlparse(str(servers[0].get("url") or "/") if isinstance(servers[0], dict) else "/").path
    return "/" + raw.strip("/")


def check_base_path(store: Store, path: str, own_id: int | None) -> None:
    for key, spec in specs(store).items():
        if int(key) != own_id and spec["basePath"] == path:
            raise HTTPProblem(409, "Conflict", f"base path {path} is already used by API specification {key}")


def new_spec(store: Store, meta: dict[str, Any], text: str) -> dict[str, Any]:
    """Version 1 in the default Agent Group."""
    spec_id = store.next_id(V, "spec")
    spec = {**meta, "id": spec_id, "activeVersion": 1, "agentGroups": [DEFAULT_GROUP],
            "versions": {"1": new_version(1, text)}}
    specs(store)[str(spec_id)] = spec
    return spec


def new_version(number: int, text: str) -> dict[str, Any]:
    return {"version": number, "specification": text, "published": False, "changeDescription": None,
            "deployedTo": [], "passthrough": {}}
