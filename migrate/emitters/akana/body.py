"""Builds the plain context for the Akana legacy body (seed 003, ``POST /api/apis``).

All decisions live here; the templates in ``templates/akana/`` only format. Every string taken
from the source is recorded with its source pointer in ``Body.texts`` so the XML form can report
characters XML 1.0 cannot hold.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from migrate.core.diagnostics import Code, Report, literal
from migrate.core.model import Api, Content, Operation, Parameter, Resource, Response
from migrate.emitters.akana.implementations import sandbox_server
from migrate.emitters.akana.policies import policies
from migrate.emitters.base import EmitOptions
from migrate.emitters.common import api_pointer, server_pointer

#: methods an Akana REST operation can have; others are left out (reported)
AKANA_METHODS = ("GET", "PUT", "POST", "DELETE", "HEAD", "PATCH", "OPTIONS")
#: Input Type values the legacy body knows (seed 003); cookie parameters have no place
INPUT_LOCATIONS = ("path", "query", "header")
ANY_MEDIA_TYPE = "*/*"
DEFAULT_VERSION = "1.0"


@dataclass
class Body:
    """Context for ``akana/api.*.j2``; ``texts`` pairs each source string with its pointer."""

    context: dict[str, Any] = field(default_factory=dict)
    texts: list[tuple[str, str]] = field(default_factory=list)

    def text(self, value: str, pointer: str | None) -> str:
        self.texts.append((value, pointer or ""))
        return value


def build(api: Api, options: EmitOptions, report: Report) -> Body:
    """The legacy body's context: names, endpoints, operations (``api`` has unique op ids)."""
    body = Body()
    operations = [op for res, o in api.operations() if (op := _operation(body, res, o, report))]
    target = _target_endpoint(body, api, options, report)
    proxy = _proxy_endpoint(options, report)
    body.context = {
        "name": body.text(api.title, api_pointer(api, "title")),
        "description": body.text(api.description or "", api_pointer(api, "description")),
        "tags": [body.text(t, api_pointer(api, "tags")) for t in _tags(api)],
        "version_name": _version(body, api, report),
        "endpoints": [proxy] if proxy else [],
        "production_endpoint": proxy["Uri"] if proxy else None,
        "sandbox_endpoint": None,
        "operations": operations,
        "target_endpoints": [target] if target else [],
        # the organisation's policies for the spec's security schemes (the profile's mapping)
        "policies": policies(api, options.akana_policies, report),
        # exposure: the option (or the profile's value, applied by the push client) over defaults.j2
        "visibility": options.akana_visibility,
        "auto_approve": None if options.akana_auto_approve is None else options.akana_auto_approve == "yes",
    }
    _exposure(options, report)
    if not api.title:
        report.report(Code.MISSING_REQUIRED_FIELD, api_pointer(api, "title"), "Akana needs an API Name; "
                      "the spec has no title")
    return body


def _version(body: Body, api: Api, report: Report) -> str:
    if api.version:
        return body.text(api.version, api_pointer(api, "version"))
    report.report(Code.VERSION_DEFAULTED, api_pointer(api, "version"),
                  f"the spec has no version; the Akana API version is named {literal(DEFAULT_VERSION)}")
    return DEFAULT_VERSION


def _tags(api: Api) -> list[str]:
    """API tags, then operation tags not declared at API level, first occurrence first."""
    seen: dict[str, None] = dict.fromkeys(api.tags)
    for _, op in api.operations():
        seen.update(dict.fromkeys(t for t in op.tags if t not in seen))
    return list(seen)


# -- endpoints -----------------------------------------------------------------------------------


def _absolute(url: str) -> bool:
    parts = urlsplit(url)
    return bool(parts.scheme and parts.netloc)


def _exposure(options: EmitOptions, report: Report) -> None:
    """Who may see and use the API is a decision for the organisation: say where it came from."""
    if options.akana_visibility is None or options.akana_auto_approve is None:
        report.report(Code.VALUE_FILLED, "", "Akana visibility and endpoint-access approval not given: "
                      "akana/defaults.j2 decides (built in: registered users only, every access request "
                      "approved by hand); set akana_visibility / akana_auto_approve in the profile, or "
                      "--akana-visibility / --akana-auto-approve")


def _proxy_endpoint(options: EmitOptions, report: Report) -> dict[str, str] | None:
    """``APIVersion.Endpoints``: the proxy the platform serves (seed 003: ``Uri`` on the platform's
    host, ``CName``, ``DeploymentZoneRule``), from the options only: a spec's server is the
    backend (``TargetAPI``), never the proxy. None (reported) when no proxy URL is given."""
    uri = options.akana_endpoint
    if not uri or not _absolute(uri):
        given = [f for f, v in (("--akana-cname", options.akana_cname), ("--akana-zone-rule",
                                options.akana_zone_rule)) if v]
        unused = f"; {' and '.join(given)} need it and are not used" if given else ""
        bad = f"--akana-endpoint {literal(uri)} is not an absolute URL" if uri else "no proxy endpoint was given"
        report.report(Code.PROXY_ENDPOINT_MISSING, "", f"{bad} (--akana-endpoint, or akana_endpoint in the profile): "
                      "APIVersion.Endpoints and ProductionEndpoint are left out; the spec's servers are the "
                      f"backend (TargetAPI), never the proxy{unused}")
        return None
    endpoint = {"Uri": uri, "Category": "Production", "CName": options.akana_cname or urlsplit(uri).hostname or ""}
    if options.akana_zone_rule:
        endpoint["DeploymentZoneRule"] = options.akana_zone_rule
    return endpoint


def _target_endpoint(body: Body, api: Api, options: EmitOptions, report: Report) -> dict[str, str] | None:
    """The backend (TargetAPI, the Live implementation): ``options.target_url``, else the first
    absolute server not described as a sandbox; the other servers are reported (the TargetAPI
    carries one backend here)."""
    chosen: dict[str, str] | None = None
    if options.target_url:
        chosen = {"Uri": options.target_url, "Category": "Production"}
    sandbox = sandbox_server(api)
    for i, server in enumerate(api.servers):
        where = server_pointer(api, i)
        if i == sandbox:  # the Sandbox implementation's backend (implementations.py), not the Live one
            if options.akana_sandbox_url:
                report.report(Code.SERVER_DROPPED, where, f"server {literal(server.url)} is described as a sandbox, "
                              "but --akana-sandbox-url names the Sandbox implementation's backend; it is left out")
            continue
        if not _absolute(server.url):
            report.report(Code.SERVER_DROPPED, where, f"server {literal(server.url)} is not an absolute URL; "
                          "an Akana endpoint needs scheme and host")
        elif chosen is None:
            chosen = {"Uri": body.text(server.url, where), "Category": "Production"}
        elif not options.target_url:
            report.report(Code.SERVER_DROPPED, where, f"the Akana TargetAPI takes one backend (the first "
                          f"server); server {literal(server.url)} is left out")
    if chosen is None:
        report.report(Code.MISSING_REQUIRED_FIELD, server_pointer(api, 0),
                      "no absolute server URL for the Akana TargetAPI (backend); pass --target-url")
    return chosen


# -- operations ----------------------------------------------------------------------------------


def _operation(body: Body, resource: Resource, op: Operation, report: Report) -> dict[str, Any] | None:
    if op.method not in AKANA_METHODS:
        report.report(Code.METHOD_UNSUPPORTED, op.pointer,
                      f"Akana operations have no method {op.method}; {op.method} {resource.path} is left out")
        return None
    return {
        "Name": body.text(op.operation_id or "", op.pointer),
        "Method": op.method,
        "Path": body.text(resource.path or "/", resource.pointer),
        "Input": [_input(body, p) for p in op.parameters if p.location in INPUT_LOCATIONS],
        "InputContentType": _media_type(body, op, _requests(op), "input", report),
        "OutputContentType": _media_type(body, op, _success(op.responses), "output", report),
        "FaultContentType": _media_type(body, op, _faults(op.responses), "fault", report),
    }


def _input(body: Body, parameter: Parameter) -> dict[str, str]:
    return {"Name": body.text(parameter.name, parameter.pointer), "Type": parameter.location}


def _success(responses: list[Response]) -> list[Content]:
    return [c for r in responses if r.status[:1] in "123" for c in r.contents]


def _faults(responses: list[Response]) -> list[Content]:
    return [c for r in responses if r.status[:1] not in "123" for c in r.contents]


def _requests(op: Operation) -> list[Content]:
    return op.request_body.contents if op.request_body else []


def _media_type(body: Body, op: Operation, contents: list[Content], kind: str, report: Report) -> str:
    """One media type as is; none gives ``*/*``; several are widened to ``*/*`` (reported)."""
    types = list(dict.fromkeys(c.media_type for c in contents))
    if not types:
        return ANY_MEDIA_TYPE
    if len(types) == 1:
        return body.text(types[0], contents[0].pointer or op.pointer)
    report.report(Code.MEDIA_TYPE_MAPPED, contents[0].pointer or op.pointer,
                  f"Akana has one {kind} content type per operation; {', '.join(types)} became */*")
    return ANY_MEDIA_TYPE
