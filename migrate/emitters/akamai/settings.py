"""Akamai API Gateway delivery settings (seed 002, "Get/Update … Settings"; akamai.json
``…/settings/{api-privacy,jwt,cors,cache,gzip}``) from the spec and a settings file.

The payload file ``akamai-settings.json`` holds, per settings family, the members we set, in the
shape of Akamai's object, except that ``resources`` is keyed by the resource path of
``akamai.json`` (Akamai keys it by ``apiResourceId``, which only exists once the version does:
the client maps paths to ids after the endpoint is written).

From the spec: API privacy (public = reachable without an API key: an operation is public unless
every alternative of its effective security requires an API key scheme; ``x-akamai-public`` on an
operation or path overrides) and JWT validation (location and parameter name from an OAuth 2.0,
OpenID Connect or ``bearerFormat: JWT`` scheme). From the settings file (``--akamai-settings``,
format in README "Akamai: what the migration sets up"): the JWT key and claims, privacy overrides,
CORS, cache and GZIP. What the spec says that no setting can hold is reported."""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jsonschema

from migrate.core.diagnostics import Code, Report, literal
from migrate.core.errors import UsageError
from migrate.core.model import Api, Operation, Resource, SecurityScheme

FILE_NAME = "akamai-settings.json"
#: settings families in the order the client applies them
FAMILIES = ("api-privacy", "jwt", "cors", "cache", "gzip")
#: the extension that marks an operation (or a path) public or private
PUBLIC_EXTENSION = "x-akamai-public"
#: seed 002 jwt: "The recommended value is 10" (clockSkew)
CLOCK_SKEW = 10
_KEY = {"type": "object", "additionalProperties": False,
        "properties": {"name": {"type": "string", "minLength": 1}, "content": {"type": "string", "minLength": 1},
                       "file": {"type": "string", "minLength": 1}},
        "oneOf": [{"required": ["content"]}, {"required": ["file"]}]}
#: the settings file's own form; cors, gzip and cache members are Akamai's (checked with akamai.json)
FILE_SCHEMA: dict[str, Any] = {
    "type": "object", "additionalProperties": False,
    "properties": {
        "jwt": {"type": "object", "additionalProperties": False, "properties": {
            "rsaPublicKey": _KEY, "rsaPublicKeyBackup": _KEY,
            "claims": {"type": "array", "items": {"type": "object"}},
            "clockSkew": {"type": "integer", "minimum": 0},
            "location": {"enum": ["HEADER", "COOKIE", "QUERY"]}, "paramName": {"type": "string", "minLength": 1},
            "resources": {"type": "object", "additionalProperties": {"type": "boolean"}}}},
        "privacy": {"type": "object", "additionalProperties": False, "properties": {
            "public": {"type": "boolean"},
            "resources": {"type": "object", "additionalProperties": {"type": "boolean"}}}},
        "cors": {"type": "object"},
        "cache": {"type": "object", "properties": {"resources": {
            "type": "object", "additionalProperties": {"type": "object"}}}},
        "gzip": {"type": "object"},
    },
}
#: where akamai.json has each family's PUT body (members checked against it)
_PUT = "/api-definitions/v2/endpoints/1/versions/1/settings/"


@dataclass
class Built:
    """The settings document (None without a settings file) and the security schemes it holds."""

    document: dict[str, Any] | None = None
    held: set[str] = field(default_factory=set)
    extensions: set[str] = field(default_factory=set)


def load_settings(path: Path) -> dict[str, Any]:
    """The settings file, checked; UsageError naming the file and the member otherwise."""
    from migrate.core.errors import ReadError
    from migrate.source.load import load_data

    try:
        data = load_data(path)
    except ReadError as exc:
        raise UsageError(f"--akamai-settings {path}: {exc.render()}") from None
    if data is None:
        data = {}
    error = jsonschema.exceptions.best_match(jsonschema.Draft202012Validator(FILE_SCHEMA).iter_errors(data))
    if error is not None:
        where = "/" + "/".join(str(p) for p in error.absolute_path)
        raise UsageError(f"--akamai-settings {path}: {where}: {error.message}")
    return _with_key_files(data, path)


def _with_key_files(data: dict[str, Any], path: Path) -> dict[str, Any]:
    """``file:`` of an RSA key read (relative to the settings file) into ``content``."""
    out = copy.deepcopy(data)
    for slot in ("rsaPublicKey", "rsaPublicKeyBackup"):
        key = (out.get("jwt") or {}).get(slot)
        if key and "file" in key:
            target = (path.parent / key.pop("file")).resolve()
            try:
                key["content"] = target.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                raise UsageError(f"--akamai-settings {path}: /jwt/{slot}/file: cannot read {target}: "
                                 f"{exc.strerror if isinstance(exc, OSError) else exc}") from None
            key.setdefault("name", target.name)
        elif key:
            key.setdefault("name", f"{slot}.pub")
    return out


def build(api: Api, path: Path | None, report: Report) -> Built:
    """The settings document for ``api`` (already shaped for Akamai) and a settings file."""
    if path is None:
        return Built()
    given = load_settings(path)
    paths = {r.path or "/" for r in api.resources if r.operations}
    _check_paths(given, paths, path)
    out: dict[str, Any] = {}
    built = Built(out)
    out["api-privacy"] = _privacy(api, given.get("privacy") or {}, report, built)
    jwt = _jwt(api, given.get("jwt"), report, built)
    if jwt is not None:  # claims and keys from the file, checked as Akamai's JwtSettings
        _checked("jwt", {k: v for k, v in jwt.items() if k != "resources"}, path, partial=False)
        out["jwt"] = jwt
    for family in ("cors", "gzip"):
        if family in given:
            out[family] = _checked(family, copy.deepcopy(given[family]), path)
    if "cache" in given:
        out["cache"] = _checked("cache", copy.deepcopy(given["cache"]), path)
    return built


def _check_paths(given: dict[str, Any], paths: set[str], source: Path) -> None:
    for section in ("jwt", "privacy", "cache"):
        for where in (given.get(section) or {}).get("resources") or {}:
            if where not in paths:
                raise UsageError(f"--akamai-settings {source}: /{section}/resources/{where}: no resource with this "
                                 f"path in the endpoint (have: {', '.join(sorted(paths)) or 'none'})")


def _checked(family: str, section: dict[str, Any], source: Path, partial: bool = True) -> dict[str, Any]:
    """A section in Akamai's form, checked against the family's PUT body in akamai.json. With
    ``partial``, missing required members are fine: the section is written into the object Akamai
    returns."""
    from migrate.push.contracts.check import Contract

    body = dict(section)
    if family == "cache":
        body["resources"] = {str(i): v for i, v in enumerate((section.get("resources") or {}).values())}
    problems = Contract.load("akamai").check_request("PUT", _PUT + family, "application/json",
                                                     json.dumps(body).encode())
    problems = [p for p in problems if not partial or "is a required property" not in p]
    if problems:
        detail = problems[0].split(" request: ", 1)[-1]
        raise UsageError(f"--akamai-settings {source}: /{family}: {detail}")
    return section


def holds_operation_security(api: Api, op: Operation, built: Built) -> bool:
    """The operation's own security is held by the settings: no requirement at all (privacy) or
    alternatives of the endpoint's API keys and the JWT scheme the settings validate."""
    if built.document is None or op.security is None:
        return False
    keys = {s.name for s in api.security_schemes if s.type == "apiKey"}
    return all(set(alt) <= keys | built.held for alt in op.security)


# -- API privacy --

def _public(api: Api, resource: Resource, op: Operation, api_keys: set[str], built: Built) -> bool:
    for node in (op, resource):
        if isinstance(node.extensions.get(PUBLIC_EXTENSION), bool):
            built.extensions.add(PUBLIC_EXTENSION)
            return bool(node.extensions[PUBLIC_EXTENSION])
    security = api.security if op.security is None else op.security
    return not security or not all(set(alt) & api_keys for alt in security)


def _privacy(api: Api, given: dict[str, Any], report: Report, built: Built) -> dict[str, Any]:
    keys = {s.name for s in api.security_schemes if s.type == "apiKey"}
    public = given.get("public", not api.security or not all(set(alt) & keys for alt in api.security))
    resources: dict[str, Any] = {}
    for resource in api.resources:
        if not resource.operations:
            continue
        where = resource.path or "/"
        flags = {op.method.upper(): _public(api, resource, op, keys, built) for op in resource.operations}
        value = all(flags.values())
        if len(set(flags.values())) > 1:
            report.report(Code.SECURITY_SCHEME_UNSUPPORTED, resource.pointer,
                          f"resource {literal(where)}: methods {', '.join(m for m, f in sorted(flags.items()) if f)} "
                          "need no API key, the others do; API privacy is set per resource here, so the whole "
                          "resource is private (an API key is required for those methods too)")
        resources[where] = {"public": bool(given.get("resources", {}).get(where, value))}
    return {"public": bool(public), "resources": resources}


# -- JWT --

def _jwt_scheme(scheme: SecurityScheme) -> tuple[str, str] | None:
    """(location, parameter name) of a scheme whose token Akamai can validate as a JWT."""
    if scheme.type in ("oauth2", "openIdConnect"):
        return "HEADER", "Authorization"
    if scheme.type == "http" and (scheme.scheme or "").lower() == "bearer" and \
            (scheme.bearer_format or "").upper() == "JWT":
        return "HEADER", "Authorization"
    return None


def _requirers(api: Api, name: str) -> dict[str, list[Operation]]:
    """resource path -> its operations whose effective security can be met by scheme ``name``."""
    out: dict[str, list[Operation]] = {}
    for resource in api.resources:
        for op in resource.operations:
            security = api.security if op.security is None else op.security
            if any(name in alt for alt in security):
                out.setdefault(resource.path or "/", []).append(op)
    return out


def _jwt(api: Api, given: dict[str, Any] | None, report: Report, built: Built) -> dict[str, Any] | None:
    used = [s for s in api.security_schemes if _jwt_scheme(s) and _requirers(api, s.name)]
    if not used:
        if given and given.get("rsaPublicKey"):
            report.report(Code.SECURITY_SCHEME_UNSUPPORTED, "", "the settings file configures JWT validation, but no "
                          "operation requires an OAuth 2.0, OpenID Connect or bearer JWT scheme: JWT is not set")
        return None
    scheme, others = used[0], used[1:]
    for other in others:
        report.report(Code.SECURITY_SCHEME_UNSUPPORTED, other.pointer, f"security scheme {literal(other.name)}: an "
                      f"Akamai endpoint validates one kind of JWT; only {literal(scheme.name)}'s settings are set")
    if not given or not given.get("rsaPublicKey"):
        report.report(Code.SECURITY_SCHEME_UNSUPPORTED, scheme.pointer, f"security scheme {literal(scheme.name)}: "
                      "Akamai validates JWTs with an RSA public key, and the settings file gives none (jwt: "
                      "rsaPublicKey): JWT validation is not set")
        return None
    built.held.add(scheme.name)
    _report_jwt_losses(api, scheme, report)
    location, name = _jwt_scheme(scheme) or ("HEADER", "Authorization")
    validation: dict[str, Any] = {"claims": copy.deepcopy(given.get("claims") or []),
                                  "rsaPublicKeyA": dict(given["rsaPublicKey"])}
    if given.get("rsaPublicKeyBackup"):
        validation["rsaPublicKeyB"] = dict(given["rsaPublicKeyBackup"])
    settings = {"location": given.get("location", location), "paramName": given.get("paramName", name),
                "clockSkew": given.get("clockSkew", CLOCK_SKEW), "validation": validation}
    needing = _requirers(api, scheme.name)
    resources = {r.path or "/": {"enabled": (r.path or "/") in needing} for r in api.resources if r.operations}
    for where, flag in (given.get("resources") or {}).items():
        resources[where] = {"enabled": flag}
    _report_partial(api, scheme.name, needing, report)
    return {"enabled": True, "settings": settings, "resources": resources}


def _report_jwt_losses(api: Api, scheme: SecurityScheme, report: Report) -> None:
    """What a JWT validation setting does not hold of an OAuth 2.0 / OpenID Connect scheme."""
    lost = [f"flow {name}" for name in sorted(scheme.flows)]
    if scheme.open_id_connect_url:
        lost.append(f"discovery URL {scheme.open_id_connect_url}")
    scopes = sorted({s for r in api.resources for op in r.operations
                     for alt in (api.security if op.security is None else op.security)
                     for s in alt.get(scheme.name, [])})
    if scopes:
        lost.append(f"required scopes {', '.join(scopes)} (add a claim check in the settings file to keep them)")
    if lost:
        report.report(Code.SECURITY_SCHEME_UNSUPPORTED, scheme.pointer, f"security scheme {literal(scheme.name)} "
                      f"becomes Akamai JWT validation (signature and claims); not held: {'; '.join(lost)}")


def _report_partial(api: Api, name: str, needing: dict[str, list[Operation]], report: Report) -> None:
    for resource in api.resources:
        mine = needing.get(resource.path or "/", [])
        if mine and len(mine) < len(resource.operations):
            report.report(Code.SECURITY_SCHEME_UNSUPPORTED, resource.pointer,
                          f"resource {literal(resource.path)}: only {', '.join(o.method.upper() for o in mine)} "
                          f"require {literal(name)}; Akamai's JWT setting is per resource, so every method of it "
                          "is validated")
