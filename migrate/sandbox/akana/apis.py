"""Akana sandbox: APIs and API versions (``/api/apis``), dropbox files; unique API names."""

from __future__ import annotations

import copy
import re
import uuid
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from migrate.core.errors import ReadError
from migrate.push.akana.xml import parse_api_xml, to_xml
from migrate.sandbox.responses import HTTPProblem, json_response, read_json
from migrate.sandbox.store import Store
from migrate.source.load import parse_text

V = "akana"
MEDIA = re.compile(r"application/(json|xml|vnd\.soa\.v\d+\+(json|xml))$")
METHODS = frozenset({"GET", "PUT", "POST", "DELETE", "HEAD", "PATCH", "OPTIONS"})
#: seed 003: the platform asks the client to renew its token after these calls
RENEW = {"Atmo-Renew-Token": "renew"}


def body_kind(request: Request) -> str:
    media = request.headers.get("content-type", "").split(";")[0].strip()
    if not MEDIA.match(media):
        raise HTTPProblem(400, "Bad Request", f"unsupported Content-Type {media!r}")
    return "xml" if media.endswith("xml") else "json"


async def read_api_body(request: Request) -> tuple[dict[str, Any], str]:
    """(body, "json"|"xml"); 400 for a malformed body."""
    kind = body_kind(request)
    if kind == "xml":
        try:
            return parse_api_xml(await request.body()), kind
        except ValueError as exc:
            raise HTTPProblem(400, "Bad Request", str(exc)) from None
    body = await read_json(request)
    if not isinstance(body, dict):
        raise HTTPProblem(400, "Bad Request", "the body must be an API object")
    return body, kind


def respond(data: dict[str, Any], kind: str, root: str = "API") -> Response:
    if kind == "xml":
        return Response(to_xml(root, data), 200, headers=RENEW, media_type="application/xml")
    return json_response(data, headers=RENEW)


def check_operations(version: dict[str, Any]) -> None:
    operations = version.get("Operations") or {}
    items = operations.get("Operation", []) if isinstance(operations, dict) else None
    if not isinstance(items, list):
        raise HTTPProblem(400, "Bad Request", "APIVersion.Operations.Operation must be a list")
    for index, op in enumerate(items):
        if not isinstance(op, dict) or str(op.get("Method", "")).upper() not in METHODS or not op.get("Path"):
            raise HTTPProblem(400, "Bad Request", f"operation {index} needs a valid Method and a Path")


class AkanaApis:
    def __init__(self, store: Store, fed: str) -> None:
        self.store = store
        self.fed = fed

    @property
    def apis(self) -> dict[str, Any]:
        return self.store.doc(V).setdefault("apis", {})

    def new_id(self) -> str:
        return f"{uuid.uuid4()}.{self.fed}"

    def store_file(self, name: str, raw: bytes) -> dict[str, Any]:
        file_id = self.store.next_id(V, "dropbox", 5000)
        record = {"DropboxFileId": file_id, "FileName": name, "Size": len(raw)}
        content = raw.decode("utf-8", "replace")
        self.store.doc(V).setdefault("dropbox", {})[str(file_id)] = {**record, "Content": content}
        return record

    def entry(self, request: Request) -> dict[str, Any]:
        found = self.apis.get(request.path_params["api_id"])
        if found is None:
            raise HTTPProblem(404, "Not Found", "no such API")
        return found

    def check_unique(self, name: str) -> None:
        if any(e["api"]["Name"].casefold() == name.casefold() for e in self.apis.values()):
            raise HTTPProblem(409, "Conflict", f"an API named {name!r} already exists")

    def from_descriptor(self, body: dict[str, Any]) -> dict[str, Any]:
        """Akana 8.1+: ``{"DLDescriptor": {"ServiceDescriptorReference": {...DropboxFileId}}}``."""
        ref = (body.get("DLDescriptor") or {}).get("ServiceDescriptorReference") or {}
        stored = self.store.doc(V).get("dropbox", {}).get(str(ref.get("DropboxFileId")))
        if stored is None:
            raise HTTPProblem(400, "Bad Request", "DLDescriptor refers to no uploaded DropboxFileId")
        try:
            spec = parse_text(stored["Content"], stored["FileName"])
        except ReadError as exc:
            raise HTTPProblem(400, "Bad Request", f"the uploaded file cannot be read: {exc}") from None
        info = spec.get("info", {}) if isinstance(spec, dict) else {}
        name = ref.get("ServiceName") or info.get("title")
        if not name:
            raise HTTPProblem(400, "Bad Request", "no ServiceName and no title in the uploaded file")
        version = {"Name": str(info.get("version", "1.0")), "Description": info.get("description", ""),
                   "Type": "shttp", "SourceFile": stored["FileName"]}
        return {"Name": name, "Description": info.get("description", ""), "APIVersion": version}

    async def create_api(self, request: Request) -> Response:
        body, kind = await read_api_body(request)
        if "DLDescriptor" in body:
            body = self.from_descriptor(body)
        name, version = body.get("Name"), body.get("APIVersion")
        if not isinstance(name, str) or not name.strip() or not isinstance(version, dict):
            raise HTTPProblem(400, "Bad Request", "an API needs a Name and an APIVersion")
        check_operations(version)
        self.check_unique(name)
        api_id = self.new_id()
        api = {k: copy.deepcopy(v) for k, v in body.items() if k != "APIVersion"}
        api["APIID"] = api_id
        stored = self._version(api_id, version)
        self.apis[api_id] = {"api": api, "versions": {stored["APIVersionID"]: stored}}
        return respond({**api, "APIVersion": stored}, kind)

    def _version(self, api_id: str, version: dict[str, Any]) -> dict[str, Any]:
        return {**copy.deepcopy(version), "APIID": api_id, "APIVersionID": self.new_id()}

    async def list_apis(self, request: Request) -> Response:
        """Sandbox convenience (Akana's own search is ``/api/search``): every API's id and name."""
        items = [{"APIID": k, "Name": e["api"]["Name"]} for k, e in sorted(self.apis.items())]
        return json_response({"API": items})

    async def get_api(self, request: Request) -> Response:
        entry = self.entry(request)
        versions = list(entry["versions"].values())
        return json_response({**entry["api"], "APIVersion": versions[-1] if versions else None})

    async def delete_api(self, request: Request) -> Response:
        self.entry(request)
        del self.apis[request.path_params["api_id"]]
        return Response(status_code=200)

    async def list_versions(self, request: Request) -> Response:
        entry = self.entry(request)
        items = [{"APIVersionID": k, "Name": v.get("Name")} for k, v in entry["versions"].items()]
        return json_response({"APIVersion": items})

    async def create_version(self, request: Request) -> Response:
        entry = self.entry(request)
        body, kind = await read_api_body(request)
        version = body.get("APIVersion", body)
        if not isinstance(version, dict) or not version.get("Name"):
            raise HTTPProblem(400, "Bad Request", "a version needs a Name")
        check_operations(version)
        if any(v.get("Name") == version["Name"] for v in entry["versions"].values()):
            raise HTTPProblem(409, "Conflict", f"version {version['Name']!r} already exists")
        stored = self._version(entry["api"]["APIID"], version)
        entry["versions"][stored["APIVersionID"]] = stored
        return respond(stored, kind, root="APIVersion")

    def version(self, request: Request) -> tuple[dict[str, Any], str]:
        entry, key = self.entry(request), request.path_params["version_id"]
        if key not in entry["versions"]:
            raise HTTPProblem(404, "Not Found", "no such API version")
        return entry, key

    async def get_version(self, request: Request) -> Response:
        entry, key = self.version(request)
        return json_response(entry["versions"][key])

    async def delete_version(self, request: Request) -> Response:
        entry, key = self.version(request)
        del entry["versions"][key]
        return Response(status_code=200)
