"""Akana sandbox: APIs and API versions (``/api/apis``...), as akana.yaml documents them.

Stored state (``Store.doc("akana")``): ``apis`` maps each APIID to ``{"api": {...}, "versions":
{APIVersionID: {...}}}`` in creation order (the last version is the latest); ``dropbox`` holds
uploaded documents; ``documents`` the document each imported version was made from. Errors are
plain status codes without a body (seed 003:439-453; akana.yaml components/responses/PlainError).
"""

from __future__ import annotations

import copy
import uuid
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from migrate.sandbox.akana import shapes
from migrate.sandbox.akana.importer import api_from_document, parse_document
from migrate.sandbox.akana.xmlform import read_xml, write_xml
from migrate.sandbox.responses import HTTPProblem, json_response, read_json
from migrate.sandbox.store import Store

V = "akana"
#: seed 003:13,265: POST /api/apis asks the client to renew its token
RENEW = {"Atmo-Renew-Token": "renew"}
JSON_LEGACY = frozenset({"application/json", "application/vnd.soa.v71+json", "application/vnd.soa.v72+json",
                         "application/vnd.soa.v80+json", "application/vnd.soa.v83+json"})
XML_LEGACY = frozenset({"application/xml", "application/vnd.soa.v71+xml", "application/vnd.soa.v72+xml",
                        "application/vnd.soa.v80+xml", "application/vnd.soa.v83+xml"})
V81_JSON = "application/vnd.soa.v81+json"
#: PUT .../info request media types (m_apis_updateAPIVersionInfo.htm)
INFO_TYPES = frozenset({"application/json", "application/xml", V81_JSON, "application/vnd.soa.v81+xml"})


def media_type(request: Request) -> str:
    return request.headers.get("content-type", "").split(";")[0].strip().lower()


def not_found() -> HTTPProblem:
    return HTTPProblem(404, "Not Found")


def bad_request(detail: str) -> HTTPProblem:
    return HTTPProblem(400, "Bad Request", detail)


async def read_object(request: Request) -> dict[str, Any]:
    """A JSON or XML request body as an object (400 otherwise)."""
    if media_type(request).endswith("xml"):
        try:
            return read_xml(await request.body())[1]
        except ValueError as exc:
            raise bad_request(str(exc)) from None
    body = await read_json(request)
    if not isinstance(body, dict):
        raise bad_request("the body must be an object")
    return body


def done() -> Response:
    """200 without a body (the documented answer of the update and delete operations)."""
    return Response(status_code=200)


#: the sandbox's ``echo`` settings (app.py): ``all`` keeps every tag and policy sent; ``sample`` keeps
#: what seed 003's sample response #1 shows of them: no tag (3 sent) and only the last policy (3
#: sent, 10001-DetailedAuditing returned; seed 003:143-157 vs 318-325)
ECHO = ("all", "sample")


class AkanaApis:
    def __init__(self, store: Store, fed: str, echo: str = "all") -> None:
        if echo not in ECHO:
            raise ValueError(f"akana sandbox: echo must be one of {', '.join(ECHO)}, not {echo!r}")
        self.store = store
        self.fed = fed
        self.echo = echo

    def kept(self, version: dict[str, Any]) -> dict[str, Any]:
        """What the platform keeps of a version's tags and policies (``echo``)."""
        if self.echo == "sample":
            version.pop("Tag", None)
            if "Policies" in version:
                version["Policies"] = {"Policy": shapes.items(version["Policies"], "Policy")[-1:]}
        return version

    # -- state --

    @property
    def doc(self) -> dict[str, Any]:
        return self.store.doc(V)

    @property
    def apis(self) -> dict[str, Any]:
        """APIID -> entry (reading does not add the key to the stored state)."""
        found: dict[str, Any] = self.doc.get("apis", {})
        return found

    def new_id(self) -> str:
        """Seed 003:270: ``{uuid}.{fedmemberid}``."""
        return f"{uuid.uuid4()}.{self.fed}"

    def entry(self, request: Request) -> dict[str, Any]:
        found: dict[str, Any] | None = self.apis.get(request.path_params["api_id"])
        if found is None:
            raise not_found()
        return found

    def version_entry(self, request: Request) -> tuple[dict[str, Any], dict[str, Any]]:
        """(the API entry, the version) of ``{APIVersionID}``."""
        wanted = request.path_params["version_id"]
        for entry in self.apis.values():
            if wanted in entry["versions"]:
                return entry, entry["versions"][wanted]
        raise not_found()

    def add_version(self, entry: dict[str, Any], body: dict[str, Any]) -> dict[str, Any]:
        version = self.kept({**shapes.stored_version(body), "APIID": entry["api"]["APIID"],
                             "APIVersionID": self.new_id()})
        if not isinstance(version.get("Name"), str) or not version["Name"].strip():
            raise bad_request("an API version needs a Name")
        entry["versions"][version["APIVersionID"]] = version
        # the platform makes the Live implementation with the version (apiadmin_implementations.htm)
        self.doc.setdefault("implementations", {})[version["APIVersionID"]] = {"Live": shapes.live_for(version)}
        return version

    # -- POST /api/apis --

    async def create_api(self, request: Request) -> Response:
        kind = media_type(request)
        version: Any
        document: dict[str, Any] | None = None
        if kind == V81_JSON:
            api, version, document = self.from_descriptor(await read_json(request))
        elif kind in JSON_LEGACY or kind in XML_LEGACY:
            body = await read_object(request)
            api, version = shapes.pick(body, shapes.API_FIELDS), body.get("APIVersion")
        else:
            raise not_found()  # design/vendors.md: 404 also for a wrong media type
        if not isinstance(api.get("Name"), str) or not api["Name"].strip() or not isinstance(version, dict):
            raise bad_request("an API needs a Name and an APIVersion")
        api_id = self.new_id()
        entry: dict[str, Any] = {"api": {**api, "APIID": api_id}, "versions": {}}
        stored = self.add_version(entry, version)
        self.doc.setdefault("apis", {})[api_id] = entry
        if document is not None:
            self.doc.setdefault("documents", {})[stored["APIVersionID"]] = document
        data = shapes.api_view(entry, self.fed, full=True)
        if kind in XML_LEGACY:
            return Response(write_xml("API", data), 200, headers=RENEW, media_type="application/xml")
        return json_response(data, headers=RENEW)

    def from_descriptor(self, body: Any) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
        """Akana 8.1+: ``{"DLDescriptor": {"ServiceDescriptorReference": {..., DropboxFileId}}}``."""
        descriptor = body.get("DLDescriptor") if isinstance(body, dict) else None
        ref = descriptor.get("ServiceDescriptorReference") if isinstance(descriptor, dict) else None
        if not isinstance(ref, dict):
            raise bad_request("expected a DLDescriptor with a ServiceDescriptorReference")
        stored = self.doc.get("dropbox", {}).get(str(ref.get("DropboxFileId")))
        if stored is None:
            raise bad_request("the DLDescriptor refers to no uploaded DropboxFileId")
        try:
            api, version = api_from_document(parse_document(stored["Content"]), ref.get("ServiceName"))
        except ValueError as exc:
            raise bad_request(f"the uploaded document cannot be used: {exc}") from None
        return api, version, {"FileName": stored["FileName"], "Content": stored["Content"]}

    def store_file(self, name: str, raw: bytes) -> dict[str, Any]:
        """POST /api/dropbox/readfiledetails: keep an upload; DropboxFileId and FileName."""
        file_id = self.store.next_id(V, "dropbox", 5000)
        self.doc.setdefault("dropbox", {})[str(file_id)] = {"FileName": name,
                                                           "Content": raw.decode("utf-8", "replace")}
        return {"DropboxFileId": file_id, "FileName": name}

    # -- /api/apis/{APIID} --

    async def get_api(self, request: Request) -> Response:
        return json_response(shapes.api_view(self.entry(request), self.fed))

    async def update_api(self, request: Request) -> Response:
        """Deprecated PUT /api/apis/{APIID}: the API's fields, and the version it carries if any."""
        entry = self.entry(request)
        if media_type(request) != "application/json":
            raise not_found()
        body = await read_object(request)
        entry["api"].update(shapes.pick(body, shapes.API_FIELDS[1:]))
        version = body.get("APIVersion")
        if isinstance(version, dict) and version.get("APIVersionID") in entry["versions"]:
            self.replace_design(entry["versions"][version["APIVersionID"]], version)
        return done()

    async def delete_api(self, request: Request) -> Response:
        entry = self.entry(request)
        for version_id in entry["versions"]:
            self.doc.get("implementations", {}).pop(version_id, None)
        del self.apis[request.path_params["api_id"]]
        return done()

    # -- /api/apis/{APIID}/versions --

    async def list_versions(self, request: Request) -> Response:
        return json_response(shapes.rss("API Versions", len(self.entry(request)["versions"])))

    async def create_version(self, request: Request) -> Response:
        entry, kind = self.entry(request), media_type(request)
        if kind == V81_JSON:
            version = self.version_from_info(entry, await read_json(request))
        elif kind == "application/json":
            version = self.add_version(entry, await read_object(request))
        else:
            raise not_found()
        return json_response(shapes.version_view(version, self.fed), media_type=kind)

    def version_from_info(self, entry: dict[str, Any], body: Any) -> dict[str, Any]:
        """8.1+: a new version from scratch (APIVersionInfo) or a clone of an existing one."""
        info = body.get("APIVersionInfo") if isinstance(body, dict) else None
        if not isinstance(info, dict):
            raise bad_request("expected an APIVersionInfo")
        design: dict[str, Any] = {}
        clone = body.get("CloneAPIVersionRequest")
        if isinstance(clone, dict):
            source: dict[str, Any] | None = entry["versions"].get(clone.get("SourceAPIVersionID"))
            if source is None:
                raise bad_request("SourceAPIVersionID is not a version of this API")
            design = copy.deepcopy(source) if clone.get("CloneDesign") else {}
        return self.add_version(entry, {**design, **shapes.pick(info, ("Name", "Visibility"))})

    # -- /api/apis/versions/{APIVersionID} --

    async def get_version(self, request: Request) -> Response:
        _, version = self.version_entry(request)
        flags = {k: request.query_params.get(k, "").lower() == "true" for k in ("includeOperations",
                                                                                  "includeTargetAPI")}
        return json_response(shapes.version_view(version, self.fed, flags["includeOperations"],
                                                 flags["includeTargetAPI"]))

    async def update_version(self, request: Request) -> Response:
        """Deprecated PUT /api/apis/versions/{APIVersionID}: the version's design, ids kept."""
        _, version = self.version_entry(request)
        if media_type(request) != "application/json":
            raise not_found()
        self.replace_design(version, await read_object(request))
        return done()

    def replace_design(self, version: dict[str, Any], body: dict[str, Any]) -> None:
        ids = {"APIID": version["APIID"], "APIVersionID": version["APIVersionID"]}
        kept = self.kept({**shapes.stored_version(body), **ids})
        if not kept.get("Name"):
            kept["Name"] = version.get("Name")
        version.clear()
        version.update(kept)

    async def delete_version(self, request: Request) -> Response:
        """The only version's deletion deletes the API too (m_apis_deleteAPIVersion.htm)."""
        entry, version = self.version_entry(request)
        del entry["versions"][version["APIVersionID"]]
        self.doc.get("implementations", {}).pop(version["APIVersionID"], None)
        if not entry["versions"]:
            del self.apis[entry["api"]["APIID"]]
        return done()

    async def update_info(self, request: Request) -> Response:
        """PUT /api/apis/versions/{APIVersionID}/info (EditApiInfoRequest)."""
        entry, version = self.version_entry(request)
        if media_type(request) not in INFO_TYPES:
            raise not_found()
        body = await read_object(request)
        renames = {"ApiName": "Name", "ApiSummary": "Summary", "ApiDescription": "Description",
                   "PictureID": "PictureID", "Visibility": "Visibility"}
        entry["api"].update({field: body[key] for key, field in renames.items() if isinstance(body.get(key), str)})
        for key, field in (("VersionName", "Name"), ("Visibility", "Visibility")):
            if isinstance(body.get(key), str):
                version[field] = body[key]
        if isinstance(body.get("Tags"), list) and self.echo == "all":
            version["Tag"] = [str(t) for t in body["Tags"]]
        return done()

    async def get_document(self, request: Request) -> Response:
        """The version's description document: the uploaded one for an imported version, else one
        generated from the operations (OpenAPI 3.0)."""
        entry, version = self.version_entry(request)
        uploaded = self.doc.get("documents", {}).get(version["APIVersionID"])
        if uploaded is not None:
            return Response(uploaded["Content"].encode("utf-8"), 200, media_type="application/json")
        return json_response(generated_document(entry["api"], version))


def generated_document(api: dict[str, Any], version: dict[str, Any]) -> dict[str, Any]:
    paths: dict[str, Any] = {}
    for op in shapes.items(version.get("Operations"), "Operation"):
        params = [{"name": i.get("Name"), "in": i.get("Type"), **({"required": True} if i.get("Type") == "path"
                                                                    else {})}
                  for i in op.get("Input") or [] if isinstance(i, dict)]
        paths.setdefault(str(op.get("Path", "/")), {})[str(op.get("Method", "GET")).lower()] = {
            "operationId": op.get("Name"), "parameters": params, "responses": {"default": {"description": ""}}}
    return {"openapi": "3.0.1", "info": {"title": api.get("Name", ""), "version": version.get("Name", ""),
                                         "description": api.get("Description", "")}, "paths": paths}
