"""RAML 0.8 ``securitySchemes`` -> model SecurityScheme.

OAuth 2.0 -> oauth2 (flows from ``authorizationGrants``), OAuth 1.0 -> oauth1, Basic / Digest
Authentication -> http (basic / digest), ``x-...`` -> other. ``describedBy`` headers and query
parameters are kept in ``extensions["x-described-by"]`` as model Parameter JSON forms, and its
responses as their status codes.
"""

from __future__ import annotations

from typing import Any

from migrate.core.diagnostics import Code, Report, literal
from migrate.core.model import SecurityScheme
from migrate.core.pointers import pointer_join
from migrate.readers.raml.expand import as_dict, as_list
from migrate.readers.raml.params import parameters

_HTTP = {"Basic Authentication": "basic", "Digest Authentication": "digest"}
#: RAML 0.8 authorizationGrants -> OpenAPI 3 flow name
_GRANTS = {"code": "authorizationCode", "token": "implicit", "owner": "password", "credentials": "clientCredentials"}


def security_schemes(value: Any, report: Report) -> list[SecurityScheme]:
    entries = list(enumerate(value)) if isinstance(value, list) else [(None, value)] if isinstance(value, dict) else []
    out = []
    for index, entry in entries:
        for name, spec in (entry.items() if isinstance(entry, dict) else []):
            base = "/securitySchemes" if index is None else f"/securitySchemes/{index}"
            out.append(scheme(str(name), spec if isinstance(spec, dict) else {}, pointer_join(base, str(name)), report))
    return out


def scheme(name: str, spec: dict[str, Any], pointer: str, report: Report) -> SecurityScheme:
    kind = str(spec.get("type", ""))
    out = SecurityScheme(name=name, type="other", description=_opt(spec.get("description")), pointer=pointer)
    settings = as_dict(spec.get("settings"))
    if kind == "OAuth 2.0":
        out.type = "oauth2"
        out.flows = _flows(settings)
        for key in ("authorizationUri", "accessTokenUri"):  # both required by RAML 0.8
            if not settings.get(key):
                report.report(Code.SPEC_INVALID, pointer_join(pointer, "settings"), f"OAuth 2.0 settings lack {key}")
    elif kind == "OAuth 1.0":
        out.type = "oauth1"
        out.urls = _oauth1_urls(settings, pointer_join(pointer, "settings"), report)
    elif kind in _HTTP:
        out.type, out.scheme = "http", _HTTP[kind]
    else:
        if not kind.startswith("x-"):
            report.report(Code.SPEC_INVALID, pointer_join(pointer, "type"),
                          f"unknown security scheme type {literal(kind)}")
        out.extensions["x-raml-type"] = kind
        if settings:
            out.extensions["x-settings"] = dict(settings)
    described = _described_by(spec.get("describedBy"), pointer_join(pointer, "describedBy"), report)
    if described:
        out.extensions["x-described-by"] = described
    return out


#: RAML 0.8 OAuth 1.0 settings -> model ``SecurityScheme.urls`` roles
_OAUTH1 = {"requestTokenUri": "requestToken", "authorizationUri": "authorization",
           "tokenCredentialsUri": "tokenCredentials"}


def _oauth1_urls(settings: dict[str, Any], pointer: str, report: Report) -> dict[str, str]:
    for key in settings:
        if key not in _OAUTH1:
            report.report(Code.SOURCE_FEATURE_IGNORED, pointer_join(pointer, str(key)),
                          f"OAuth 1.0 setting {literal(key)} is not a RAML 0.8 setting; not read")
    for key in _OAUTH1:  # all three are required by RAML 0.8
        if not settings.get(key):
            report.report(Code.SPEC_INVALID, pointer, f"OAuth 1.0 settings lack {key}")
    return {role: str(settings[key]) for key, role in _OAUTH1.items() if settings.get(key)}


def _opt(value: Any) -> str | None:
    return None if value is None else str(value)


def _flows(settings: dict[str, Any]) -> dict[str, Any]:
    grants = settings.get("authorizationGrants")
    grants = grants if isinstance(grants, list) else ["code"]
    scopes = as_list(settings.get("scopes"))
    flows: dict[str, Any] = {}
    for grant in grants:
        flow_name = _GRANTS.get(str(grant), str(grant))
        flow: dict[str, Any] = {"scopes": {str(s): "" for s in scopes}}
        if flow_name in ("authorizationCode", "implicit") and settings.get("authorizationUri"):
            flow["authorizationUrl"] = str(settings["authorizationUri"])
        if flow_name != "implicit" and settings.get("accessTokenUri"):
            flow["tokenUrl"] = str(settings["accessTokenUri"])
        flows[flow_name] = flow
    return flows


def _described_by(value: Any, pointer: str, report: Report) -> dict[str, Any]:
    if not isinstance(value, dict):
        return {}
    out: dict[str, Any] = {}
    for key, location in (("headers", "header"), ("queryParameters", "query")):
        params = parameters(value.get(key), location, pointer_join(pointer, key), report)
        if params:
            out[key] = [p.to_json() for p in params]
    if isinstance(value.get("responses"), dict):
        out["responses"] = [str(code) for code in value["responses"]]
    return out
