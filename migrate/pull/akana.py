"""Akana API version -> model: the API object (``GET /api/apis/{APIID}``) and one of its versions
with its operations (``GET /api/apis/versions/{APIVersionID}?includeOperations=true&
includeTargetAPI=true``; akana.yaml, m_apis_getAPIVersion.htm), or, when asked for, the version's
description document (``GET /api/apis/versions/{APIVersionID}/definition/{Specification}``,
m_apis_getAPIDocument.htm) read with api-migrate's own readers.

The operations of the legacy API object carry a method, a path, a name and inputs named with
their location only (seed 003:67-71): no parameter types, restrictions, bodies' schemas or
responses. What Akana holds and the model cannot (policies, the platform's own proxy endpoints,
visibility and access settings) and what the model would need and Akana's object lacks are both
in the loss report. Pointers point into the version object (``/Operations/Operation/2/Input/0``).
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from migrate.core.diagnostics import Code, Report, literal
from migrate.core.model import LOCATIONS, Api, Content, Operation, Parameter, RequestBody, Resource, Server
from migrate.push.akana.owned import as_list, listed

#: a path template with a pattern: ``{name:regex}``
TEMPLATE_PATTERN = re.compile(r"\{([^{}:]+):[^{}]*\}")
#: Akana's "any content" value for an operation's content types (seed 003: "*/*")
ANY = "*/*"
NEVER_HELD = (
    "parameter types, restrictions, defaults or descriptions (inputs have a name and a location only)",
    "request body schemas (only the operation's input content type)",
    "responses (status codes, schemas or headers; only output and fault content types)",
    "security schemes (Akana applies policies instead)",
)


def read_version(api: dict[str, Any], version: dict[str, Any]) -> tuple[Api, Report]:
    """The model of one Akana API version (with its operations) and the loss report of the reading."""
    report = Report()
    model = Api(title=str(api.get("Name") or ""), version=version.get("Name") or None,
                description=version.get("Description") or api.get("Description") or None,
                tags=sorted({str(t) for t in as_list(version.get("Tag")) if t not in (None, "")}))
    model.servers = _servers(version)
    by_path: dict[str, Resource] = {}
    for i, op in enumerate(listed(version.get("Operations"), "Operation")):
        path = _path(str(op.get("Path") or "/"), f"/Operations/Operation/{i}/Path", report)
        resource = by_path.setdefault(path, Resource(path=path, pointer=f"/Operations/Operation/{i}"))
        resource.operations.append(_operation(op, f"/Operations/Operation/{i}", report))
    model.resources = list(by_path.values())
    _report_vendor_only(version, report)
    for what in NEVER_HELD:
        report.report(Code.VENDOR_LACKS, "", f"Akana's API version does not hold {what}: the pulled model has none")
    return model, report


def _path(path: str, pointer: str, report: Report) -> str:
    """Akana path templates may carry a pattern (seed 003:291: ``/pet/{path:.+|}``): kept as ``{path}``."""
    plain = TEMPLATE_PATTERN.sub(r"{\1}", path)
    if plain != path:
        report.report(Code.VENDOR_FEATURE_NOT_READ, pointer,
                      f"path {literal(path)}: the patterns of its templates are not read; read as {literal(plain)}")
    return plain


def _servers(version: dict[str, Any]) -> list[Server]:
    """The backend (TargetAPI) endpoints: where the API itself is served (what a spec's servers say)."""
    target = version.get("TargetAPI") if isinstance(version.get("TargetAPI"), dict) else {}
    out = []
    for endpoint in listed((target or {}).get("Endpoints"), "Endpoint"):
        uri = str(endpoint.get("Uri") or "")
        parsed = urlparse(uri)
        if parsed.scheme and parsed.netloc:
            out.append(Server(url=uri, host=parsed.netloc, base_path=parsed.path.rstrip("/"), scheme=parsed.scheme))
    return out


def _operation(op: dict[str, Any], pointer: str, report: Report) -> Operation:
    out = Operation(method=str(op.get("Method") or "GET").upper(), operation_id=op.get("Name") or None,
                    pointer=pointer)
    for j, item in enumerate(as_list(op.get("Input"))):
        if not isinstance(item, dict):
            continue
        where = f"{pointer}/Input/{j}"
        location = str(item.get("Type") or "")
        if location not in LOCATIONS:
            report.report(Code.VENDOR_FEATURE_NOT_READ, where,
                          f"input {literal(item.get('Name'))} of type {literal(location)} is not a parameter location")
            continue
        out.parameters.append(Parameter(name=str(item.get("Name") or ""), location=location,
                                        required=location == "path", pointer=where))
    media = str(op.get("InputContentType") or ANY)
    if media != ANY:  # "*/*" is also what an operation without a body carries: no body is read from it
        out.request_body = RequestBody(contents=[Content(media_type=media)], pointer=f"{pointer}/InputContentType")
    return out


def _report_vendor_only(version: dict[str, Any], report: Report) -> None:
    for i, policy in enumerate(listed(version.get("Policies"), "Policy")):
        report.report(Code.VENDOR_FEATURE_NOT_READ, f"/Policies/Policy/{i}",
                      f"policy {literal(policy.get('Name') or policy.get('PolicyKey') or i)} is Akana's own; not read")
    for i, endpoint in enumerate(listed(version.get("Endpoints"), "Endpoint")):
        report.report(Code.VENDOR_FEATURE_NOT_READ, f"/Endpoints/Endpoint/{i}",
                      f"the platform's proxy endpoint {literal(endpoint.get('Uri'))} is Akana's own; not read")


def read_definition(text: str, version_id: str, specification: str) -> tuple[Api, Report]:
    """The version's description document, read by the reader its content calls for."""
    from migrate.readers import READERS, reader_for
    from migrate.source.detect import detect, detect_data
    from migrate.source.load import parse_text
    from migrate.source.refpolicy import ReadOptions

    name = f"akana-{version_id}-{specification}"
    fmt, _ = detect(text, name)
    if not fmt:
        fmt, _ = detect_data(parse_text(text, name), name)
    if fmt not in READERS:
        from migrate.core.errors import UnsupportedFormatError

        raise UnsupportedFormatError(name, f"the {specification} document is not a format api-migrate reads")
    with tempfile.TemporaryDirectory() as folder:  # an empty folder: a reference to a file reaches nothing
        return reader_for(fmt)(Path(folder) / name, text, ReadOptions(ref_root=Path(folder)))
