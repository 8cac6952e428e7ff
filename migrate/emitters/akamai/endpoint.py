"""Endpoint-level fields of the Akamai create-endpoint body: name, hosts, base path, scheme,
contract, group, categories, consumeType and the API key security scheme."""

from __future__ import annotations

import re
from typing import Any

from migrate.core.diagnostics import Code, Report, literal
from migrate.core.model import Api, Operation, SecurityScheme, Server
from migrate.core.pointers import pointer_join
from migrate.emitters.akamai.losses import server_at
from migrate.emitters.base import EmitOptions
from migrate.emitters.common import scheme_holds

CATEGORY_ORDER = ("json", "xml", "urlencoded")
_GROUP = re.compile(r"(?:grp_)?([0-9]+)")


def media_category(media_type: str) -> str | None:
    """json, xml, urlencoded, any, or None for a media type Akamai cannot check."""
    mt = media_type.split(";", 1)[0].strip().lower()
    if mt in ("application/json", "text/json") or mt.endswith("+json"):
        return "json"
    if mt in ("application/xml", "text/xml") or mt.endswith("+xml"):
        return "xml"
    if mt == "application/x-www-form-urlencoded":
        return "urlencoded"
    if mt in ("*/*", "application/*"):
        return "any"
    return None


def combine(categories: set[str]) -> str | None:
    """Akamai's consumeType for a set of categories (None for the empty set)."""
    if not categories:
        return None
    if "any" in categories:
        return "any"
    return "/".join(c for c in CATEGORY_ORDER if c in categories)


def primary_server(api: Api) -> Server | None:
    """The server whose base path the endpoint takes: the first one that names a host (a
    relative server URL names none), else the first."""
    return next((s for s in api.servers if s.host), api.servers[0] if api.servers else None)


def _hosts(api: Api, options: EmitOptions, report: Report) -> tuple[list[str], list[Server]]:
    """The endpoint's hosts and the servers it is taken from (which also give the scheme)."""
    first = primary_server(api)
    given = [h.strip() for h in (options.host or "").split(",") if h.strip()]
    if first is None:
        return given, []
    same = [s for s in api.servers if s.base_path == first.base_path]
    for other in api.servers:
        if other.base_path != first.base_path:
            report.report(Code.SERVER_DROPPED, server_at(api, other), f"server {literal(other.url)}: Akamai endpoints "
                          f"have one base path ({literal(first.base_path or '/')} is used)")
    if given:
        for other in same:  # the primary server's host is the one --host replaces, as asked
            if other.host and other.host not in given and other.host != first.host:
                report.report(Code.SERVER_DROPPED, server_at(api, other), f"server {literal(other.url)}: the endpoint "
                              f"serves the --host names, not {literal(other.host)}")
        return given, same
    kept = [s for s in same if s.host and _public_host(s.host)]
    for other in same:
        if other.host and other not in kept:
            report.report(Code.SERVER_DROPPED, server_at(api, other), f"server {literal(other.url)}: "
                          f"{literal(other.host)} is not a public host name an Akamai endpoint can serve (port or "
                          "localhost)")
    hosts = list(dict.fromkeys(s.host for s in kept if s.host))
    if hosts:  # never silently: a spec's server is often the API owner's host, not one of yours
        report.report(Code.VALUE_ASSUMED, server_at(api, kept[0]), f"the endpoint's host(s) {', '.join(hosts)} "
                      "come from the spec's servers; Akamai serves only hostnames of your contract and group: "
                      "use --host (or endpoint_host in the profile); push checks them against the contract's "
                      "host list")
    return hosts, kept or same[:1]


def _public_host(host: str) -> bool:
    name = host.lower()
    return ":" not in name and name != "localhost" and not name.startswith("127.")


def _scheme(api: Api, servers: list[Server], report: Report) -> str | None:
    schemes = {(s.scheme or "").lower() for s in servers} & {"http", "https"}
    relative = next((s for s in servers if s.host and not s.scheme), None)
    if not schemes and relative is not None:
        # a scheme-relative URL (//host) takes the scheme the spec is fetched with: either
        report.report(Code.VALUE_ASSUMED, server_at(api, relative), f"server {literal(relative.url)} names no scheme "
                      "(scheme-relative); the endpoint accepts both, http/https")
        return "http/https"
    if schemes == {"http", "https"}:
        return "http/https"
    return next(iter(schemes), None)


def _integer(value: str, label: str, report: Report) -> int | None:
    match = _GROUP.fullmatch(value.strip()) if label == "groupId" else re.fullmatch(r"[0-9]+", value.strip())
    if match is None:
        report.report(Code.VALUE_INVALID_FOR_TARGET, "",
                      f"{label} {literal(value)} is not a number (Akamai wants an integer)")
        return None
    return int(match.group(1) if match.groups() else match.group(0))


def _required(api: Api, fields: dict[str, Any], report: Report) -> None:
    named = [s.host for s in api.servers if s.host]
    hosts = f"the spec's hosts ({', '.join(named)}) are not public host names (a port or localhost)" if named \
        else "the spec names no host"
    hints = {"apiEndPointName": "give the spec a title or use --name",
             "apiEndPointHosts": f"{hosts}; use --host",
             "contractId": "use --contract-id (api-migrate akamai contracts lists them)",
             "groupId": "use --group-id (api-migrate akamai contracts lists them)"}
    for key, hint in hints.items():
        if fields.get(key) in (None, "", []):
            fields.pop(key, None)
            report.report(Code.MISSING_REQUIRED_FIELD, "", f"Akamai requires {key}; {hint}")


def identity(api: Api, options: EmitOptions, report: Report) -> dict[str, Any]:
    """apiEndPointName ... apiCategoryIds, in Akamai's documented order (missing ones left out)."""
    hosts, servers = _hosts(api, options, report)
    fields: dict[str, Any] = {"apiEndPointName": options.name or api.title}
    if api.description:
        fields["description"] = api.description
    fields["basePath"] = (servers[0].base_path if servers else api.base_path).rstrip("/")
    scheme = _scheme(api, servers, report)
    if scheme:
        fields["apiEndPointScheme"] = scheme
    fields["apiEndPointHosts"] = hosts
    fields["contractId"] = options.contract_id
    fields["groupId"] = _integer(options.group_id, "groupId", report) if options.group_id else None
    if options.categories:  # names (not numbers) are resolved by the client: category_names()
        fields["apiCategoryIds"] = [int(c.strip()) for c in options.categories if c.strip().isdigit()]
    _required(api, fields, report)
    return fields


#: the payload file that lists the categories given by name
CATEGORIES_FILE = "akamai-categories.json"


def category_names(options: EmitOptions) -> list[str]:
    """The ``--category`` values that are names (the client finds or creates them at push)."""
    return [c.strip() for c in options.categories if not c.strip().isdigit() and c.strip()]


def _requirements(api: Api) -> list[str]:
    names: list[str] = []
    for requirement in api.security + [r for _, op in api.operations() for r in op.security or []]:
        names.extend(n for n in requirement if n not in names)
    return names


def _api_key(scheme: SecurityScheme) -> bool:
    return scheme.type == "apiKey" and scheme.location in ("header", "query", "cookie") and bool(scheme.param_name)


def security(api: Api, report: Report, in_settings: frozenset[str] = frozenset()) -> dict[str, Any] | None:
    """Akamai's securityScheme: one API key in a header, query parameter or cookie; schemes in
    ``in_settings`` are held by the delivery settings (JWT validation) and not reported here."""
    used = _requirements(api)
    chosen: SecurityScheme | None = None
    for scheme in sorted(api.security_schemes, key=lambda s: (s.name not in used, used.index(s.name)
                                                                if s.name in used else 0)):
        if scheme.name in in_settings:
            continue
        if scheme.name in used and _api_key(scheme) and chosen is None:
            chosen = scheme
            continue
        held = scheme_holds(scheme)
        why = "not required by any operation" if scheme.name not in used else \
            "only one API key is held" if _api_key(scheme) else \
            f"type {literal(scheme.type)}" + (f"; {held}" if held else "")
        report.report(Code.SECURITY_SCHEME_UNSUPPORTED, scheme.pointer,
                      f"security scheme {literal(scheme.name)} ({why}): Akamai endpoints hold one API key only")
    if chosen is None:
        return None
    _report_kept_scheme(chosen, report)
    return {"securitySchemeType": "apikey",
            "securitySchemeDetail": {"apiKeyLocation": chosen.location, "apiKeyName": chosen.param_name}}


def _report_kept_scheme(scheme: SecurityScheme, report: Report) -> None:
    if scheme.description:
        report.report(Code.DESCRIPTION_DROPPED, scheme.pointer,
                      f"security scheme {literal(scheme.name)}: Akamai's securityScheme has no description")
    for key in sorted(scheme.extensions):
        if key.startswith("x-"):
            report.report(Code.EXTENSION_DROPPED, pointer_join(scheme.pointer or "", key),
                          f"extension {key} of security scheme {literal(scheme.name)} is not carried over")


def report_operation_security(api: Api, op: Operation, report: Report) -> None:
    if op.security is not None and op.security != api.security:
        report.report(Code.SECURITY_SCHEME_UNSUPPORTED, op.pointer,
                      f"{op.method}: per-operation security is not expressible; the endpoint-wide setting applies")
