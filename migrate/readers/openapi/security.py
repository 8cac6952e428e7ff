"""Security schemes, security requirements and servers (Swagger 2.0 and OpenAPI 3)."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from migrate.core.diagnostics import literal
from migrate.core.model import SecurityScheme, Server, ServerVariable
from migrate.readers.openapi.context import Ctx, extensions, plain
from migrate.readers.openapi.refs import Cursor

#: Swagger 2.0 oauth2 ``flow`` -> OpenAPI 3 flow name
_FLOWS = {"implicit": "implicit", "password": "password", "application": "clientCredentials",
          "accessCode": "authorizationCode"}
_TYPES = {"apikey": "apiKey", "http": "http", "oauth2": "oauth2", "openidconnect": "openIdConnect",
          "mutualtls": "mutualTLS", "basic": "http"}


def read_security_schemes(ctx: Ctx, node: Any, at: Cursor) -> list[SecurityScheme]:
    out = []
    for name, value in ctx.mapping(node, at, "security schemes").items():
        value, value_at = ctx.deref(value, at.child(str(name)))
        if not isinstance(value, dict):
            ctx.invalid(value_at, f"security scheme {literal(name)} is not a mapping; it is not read")
            continue
        out.append(_scheme(ctx, str(name), value, value_at))
    return out


def _scheme(ctx: Ctx, name: str, node: dict[str, Any], at: Cursor) -> SecurityScheme:
    raw = str(node.get("type", ""))
    scheme = SecurityScheme(name, _TYPES.get(raw.lower(), "other"), ctx.text(node.get("description")),
                            pointer=at.shown, extensions=extensions(node, at))
    if scheme.type == "other":
        ctx.repaired(at.child("type"), f"unknown security scheme type {literal(raw)}; read as 'other'")
        scheme.extensions["type"] = raw
    if scheme.type == "apiKey":
        scheme.location, scheme.param_name = ctx.text(node.get("in")), ctx.text(node.get("name"))
    elif raw == "basic":  # Swagger 2.0
        scheme.scheme = "basic"
    elif scheme.type == "http":
        scheme.scheme = (ctx.text(node.get("scheme")) or "").lower() or None
        scheme.bearer_format = ctx.text(node.get("bearerFormat"))
    elif scheme.type == "oauth2":
        scheme.flows = _swagger_flows(ctx, node, at) if ctx.swagger else plain(ctx.mapping(
            node.get("flows"), at.child("flows"), "flows"), at)
    elif scheme.type == "openIdConnect":
        scheme.open_id_connect_url = ctx.text(node.get("openIdConnectUrl"))
    return scheme


def _swagger_flows(ctx: Ctx, node: dict[str, Any], at: Cursor) -> dict[str, Any]:
    flow = str(node.get("flow", ""))
    name = _FLOWS.get(flow)
    if name is None:
        ctx.repaired(at.child("flow"), f"unknown oauth2 flow {literal(flow)}; no flow read")
        return {}
    out: dict[str, Any] = {}
    for key in ("authorizationUrl", "tokenUrl"):
        if key in node:
            out[key] = ctx.text(node[key])
    out["scopes"] = {str(k): ctx.text(v) or "" for k, v in ctx.mapping(node.get("scopes"), at, "scopes").items()}
    return {name: out}


def read_requirements(ctx: Ctx, node: Any, at: Cursor) -> list[dict[str, list[str]]]:
    out = []
    for i, item in enumerate(ctx.listing(node, at, "security")):
        item = ctx.mapping(item, at.child(i), "security requirement")
        out.append({str(k): ctx.strings(v, at.child(i, str(k)), "scopes") for k, v in item.items()})
    return out


# -- servers -----------------------------------------------------------------------------------
def swagger_servers(ctx: Ctx, doc: dict[str, Any], at: Cursor) -> list[Server]:
    host = ctx.text(doc.get("host"))
    base = (ctx.text(doc.get("basePath")) or "").rstrip("/")
    if base and not base.startswith("/"):
        ctx.repaired(at.child("basePath"), f"basePath {literal(base)} does not start with '/'; read with one")
        base = "/" + base
    schemes = ctx.strings(doc.get("schemes"), at.child("schemes"), "schemes")
    if not host and "basePath" not in doc and not schemes:
        return []
    out = []
    for scheme in schemes or [""]:
        prefix = f"{scheme}://{host}" if scheme and host else f"//{host}" if host else ""
        out.append(Server(url=prefix + (base or "/"), host=host, base_path=base, scheme=scheme or None))
    return out


def openapi_servers(ctx: Ctx, node: Any, at: Cursor) -> list[Server]:
    out = []
    for i, item in enumerate(ctx.listing(node, at, "servers")):
        item = ctx.mapping(item, at.child(i), "server")
        if "url" not in item:
            ctx.ignored(at.child(i), "server without url; not read")
            continue
        template = str(item["url"])
        variables = _variables(ctx, template, item.get("variables"), at.child(i, "variables"))
        url = _with_defaults(template, variables)
        parts = urlsplit(url)
        out.append(Server(url=url, host=parts.netloc or None, base_path=parts.path.rstrip("/"),
                          scheme=parts.scheme or None, description=ctx.text(item.get("description")),
                          template=template if variables else None, variables=variables))
    return out


_TEMPLATE = re.compile(r"\{([^{}]+)\}")


def _with_defaults(template: str, variables: dict[str, ServerVariable]) -> str:
    return _TEMPLATE.sub(lambda m: variables[m.group(1)].default if m.group(1) in variables else m.group(0),
                         template)


def _variables(ctx: Ctx, url: str, node: Any, at: Cursor) -> dict[str, ServerVariable]:
    """The variables the URL template uses, each with its default, values and description."""
    node = ctx.mapping(node, at, "server variables")
    out: dict[str, ServerVariable] = {}
    for name in dict.fromkeys(_TEMPLATE.findall(url)):
        var = node.get(name)
        if not isinstance(var, dict) or "default" not in var:
            ctx.repaired(at, f"server variable {literal(name)} has no default; left as written")
            continue
        enum = var["enum"] if isinstance(var.get("enum"), list) else []
        out[name] = ServerVariable(default=str(var["default"]), enum=[str(v) for v in enum],
                                   description=ctx.text(var.get("description")))
    return out
