"""What every emitter shares: source pointers of API-level fields, the XML character rule and
the parse-back of rendered output."""

from __future__ import annotations

import dataclasses
import json
import re
import xml.etree.ElementTree as ET
from typing import Any

from migrate.core.diagnostics import Code, Report, literal
from migrate.core.errors import EmitError
from migrate.core.model import Api, Parameter, Resource, SecurityScheme, Server

#: Characters outside XML 1.0's ``Char`` production (lone surrogates included): no XML document
#: can hold them, not even as character references. The ``xml`` template filter writes U+FFFD in
#: their place and emitters report each string that held one; both use this one pattern.
XML_INVALID = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_invalid_chars(value: str) -> list[str]:
    """The characters of ``value`` XML 1.0 cannot hold, as sorted ``U+XXXX`` names."""
    return sorted({f"U+{ord(ch):04X}" for ch in XML_INVALID.findall(value)})


def api_pointer(api: Api, field_name: str) -> str:
    """Pointer of an API-level field (the model's Api node carries no pointer of its own)."""
    raml = api.source is not None and api.source.format == "raml"
    if field_name == "tags":
        return "" if raml else "/tags"
    return f"/{field_name}" if raml else f"/info/{field_name}"


def server_pointer(api: Api, index: int) -> str:
    fmt = api.source.format if api.source else "openapi"
    if fmt == "raml":
        return "/baseUri"
    if fmt == "swagger":
        return "/host"
    return f"/servers/{index}"


def server_variable_pointer(api: Api, index: int, name: str) -> str:
    """Pointer of a server variable: RAML 0.8 declares it in ``baseUriParameters``."""
    token = name.replace("~", "~0").replace("/", "~1")
    if api.source is not None and api.source.format == "raml":
        return f"/baseUriParameters/{token}"
    return f"{server_pointer(api, index)}/variables/{token}"


def serialisation(p: Parameter) -> str:
    """A parameter's serialisation as the source wrote it, for messages."""
    stated = p.style is not None or p.explode is not None
    parts = [f"collectionFormat {literal(p.collection_format)}"] if p.collection_format and not stated else []
    if p.style is not None:
        parts.append(f"style {literal(p.style)}")
    if p.explode is not None:
        parts.append(f"explode {literal(p.explode)}")
    return ", ".join(parts)


def scheme_holds(s: SecurityScheme) -> str:
    """What a security scheme says beyond its name and type, for the message of a target that
    cannot hold it (so the report says precisely what is lost)."""
    parts = [f"{role} URL {url}" for role, url in s.urls.items()]
    parts += [f"flow {name}" for name in s.flows]
    if s.location and s.param_name:
        parts.append(f"{s.location} parameter {literal(s.param_name)}")
    if s.scheme:
        parts.append(f"scheme {literal(s.scheme)}")
    if s.open_id_connect_url:
        parts.append(f"discovery URL {s.open_id_connect_url}")
    return "; ".join(parts)


def fixed_server_variables(api: Api, report: Report) -> Api:
    """Step for targets without server variables: each server is its URL with the defaults, and
    each variable whose other values are thereby lost is reported at its pointer."""
    if not any(s.variables for s in api.servers):
        return api
    servers = []
    for i, server in enumerate(api.servers):
        for name, var in server.variables.items():
            others = [v for v in var.enum if v != var.default]
            if var.enum and not others:
                continue  # the default is the only value: nothing is lost
            lost = f"the other values {literal(others)} are" if others else "any other value is"
            report.report(Code.SERVER_DROPPED, server_variable_pointer(api, i, name),
                          f"server variable {{{name}}} of {literal(server.template)} is fixed to its default "
                          f"{literal(var.default)}; {lost} not carried (the target has no server variables)")
        servers.append(Server(server.url, server.host, server.base_path, server.scheme, server.description))
    return dataclasses.replace(api, servers=servers)


def without_path_fragments(api: Api, report: Report) -> Api:
    """Step for targets that match request paths: a '#' fragment in a path (some specs use it to
    tell operations on one path apart) is removed, since no request path carries one; resources
    that then share a path are merged, and an operation whose method is taken is left out."""
    if not any("#" in r.path for r in api.resources):
        return api
    merged: dict[str, Resource] = {}
    for resource in api.resources:
        path, _, fragment = resource.path.partition("#")
        if fragment:
            report.report(Code.RESOURCE_PATH_FRAGMENT, resource.pointer, f"path {literal(resource.path)}: the fragment "
                          f"'#{fragment}' is removed (a request path never has one, so the path could never "
                          f"match); its operations are served on {literal(path)}, and what the fragment told apart "
                          "is not described")
        into = merged.setdefault(path, dataclasses.replace(resource, path=path, operations=[]))
        for op in resource.operations:
            if any(o.method == op.method for o in into.operations):
                report.report(Code.OPERATION_DROPPED, op.pointer, f"{op.method} {resource.path}: {op.method} "
                              f"{path} is already taken by another operation once '#' fragments are removed; "
                              "left out")
            else:
                into.operations.append(op)
    return dataclasses.replace(api, resources=list(merged.values()))


def parse_back(text: str, fmt: str, target: str) -> Any:
    """Parse rendered output back, so a template bug surfaces as an EmitError, not a broken file."""
    try:
        if fmt == "xml":
            return ET.fromstring(text.encode("utf-8"))
        return json.loads(text)
    except (ValueError, ET.ParseError) as exc:
        raise EmitError(target, f"the rendered {fmt.upper()} does not parse: {exc}") from None
