"""RAML 0.8 reader: ``read(path, text, options) -> Api``.

The expansion (includes, resource types, traits, parameters) is done here on the YAML rather
than with ramlfications 0.3.0, which rejects documents without ``baseUri``, leaks a parent's
traits into nested resources, fails on non-JSON schemas, YAML timestamps and codes like 420,
and takes seconds to import. Behaviour is checked against the reference parser (raml-js-parser
0.8.18, ../shared/tools/raml08-oracle) by tests/readers/test_raml_oracle.py.

Pointers are JSON pointers into the RAML YAML document (``/~1users/~1{id}/get/queryParameters/page``).
A parameter that comes from a trait or resource type points at its definition
(``/traits/0/paged/queryParameters/page``); one the method declares itself points at the method.
Diagnostics of the read (what was repaired or not read) come from ``read_with_report``.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from typing import Any

from migrate.core.diagnostics import Code, Report, literal
from migrate.core.errors import ReadError
from migrate.core.model import Api, Resource, Schema, Server, ServerVariable, Source
from migrate.core.pointers import pointer_join
from migrate.readers import ReadOptions
from migrate.readers.raml.expand import METHODS, PTR, FlatResource, Library, as_dict, as_list, flatten, library
from migrate.readers.raml.ops import OpContext, operation, security
from migrate.readers.raml.schema import SchemaContext, convert, text_schema
from migrate.readers.raml.security import security_schemes
from migrate.readers.raml.structure import RamlChecker
from migrate.source.raml_yaml import IncludeContext, Included, load_yaml

_ROOT_KEYS = {
    "title", "version", "baseUri", "baseUriParameters", "protocols", "mediaType", "schemas", "documentation",
    "securitySchemes", "securedBy", "traits", "resourceTypes", "uriParameters",
}
_RESOURCE_KEYS = {"displayName", "description", "type", "is", "uriParameters", "securedBy", "baseUriParameters"}


def read(path: Path, text: str, options: ReadOptions) -> Api:
    """Read a RAML 0.8 document (``text`` is the content of ``path``)."""
    return read_with_report(path, text, options)[0]


def read_with_report(path: Path, text: str, options: ReadOptions) -> tuple[Api, Report]:
    """Like ``read``, also returning what was repaired or not read (SOURCE_*/SPEC_INVALID diagnostics)."""
    report = Report()
    ctx = IncludeContext(path, options.policy(path), report)
    data = load_yaml(text, path, ctx)
    _check_root(data, path)
    try:
        api = _build(data, path, report)
        _broken_parts(data, path, report)
    except RecursionError:
        raise ReadError(str(path), "document nests too deeply") from None
    return api, report


def _broken_parts(data: dict[str, Any], path: Path, report: Report) -> None:
    """Parts of the wrong type (the structure rules ``validate`` applies) as SPEC_INVALID errors,
    where the reader has not already said so."""
    checker = RamlChecker(path, locate=False)
    checker.check(data)
    said = {d.pointer for d in report if d.code is Code.SPEC_INVALID}
    for found in checker.structural:
        if found.pointer not in said:
            report.report(Code.SPEC_INVALID, found.pointer, f"{found.message}; it is not read")


def _check_root(data: Any, path: Path) -> None:
    if not isinstance(data, dict):
        raise ReadError(str(path), "RAML document is not a mapping")
    if "title" not in data:
        if any(isinstance(k, str) and k.startswith("/") for k in data):
            raise ReadError(str(path), "RAML 0.8 API has no title", line=1)
        raise ReadError(str(path), "RAML fragment, not an API (no title)", line=1)


def _build(data: dict[str, Any], path: Path, report: Report) -> Api:
    api = Api(title=str(data["title"]), version=_opt(data.get("version")), source=Source("raml", "0.8", str(path)))
    api.description = _documentation(data.get("documentation"))
    api.servers = _servers(data, report)
    api.security_schemes = security_schemes(data.get("securitySchemes"), report)
    if data.get("securedBy") is not None:
        api.security = security(data["securedBy"])
    schemas = _root_schemas(data.get("schemas"), report)
    ops = OpContext(schemas, _opt(data.get("mediaType")))
    lib = Library(library(data, "traits"), library(data, "resourceTypes"), report)
    for res in flatten(data, lib):
        res = media_type_extension(res, report)
        resource = Resource(path=res.path, name=_opt(res.data.get("displayName")),
                            description=_opt(res.data.get("description")), pointer=res.pointer)
        for method in METHODS:
            if method in res.data:
                body = res.data[method] if isinstance(res.data[method], dict) else {}
                resource.operations.append(operation(method, body, res, ops))
        _resource_extras(res.data, res.pointer, report)
        api.resources.append(resource)
    api.schemas = schemas.schemas
    for key in data:
        if key not in _ROOT_KEYS and not (isinstance(key, str) and key.startswith("/")):
            report.report(Code.SOURCE_FEATURE_IGNORED, pointer_join("", str(key)),
                          f"root property {literal(key)} not read")
    return api


def media_type_extension(res: FlatResource, report: Report) -> FlatResource:
    """RAML 0.8's reserved URI parameter ``{mediaTypeExtension}``: declared with a single enum
    value, the path is that literal (``/tweets{mediaTypeExtension}`` with ``[.json]`` is
    ``/tweets.json``: the same requests match). Several values stay a path parameter with its enum."""
    spec, pointer = res.uri_params.get(MEDIA_TYPE_EXTENSION, (None, res.pointer))
    enum = spec.get("enum") if isinstance(spec, dict) else None
    if "{" + MEDIA_TYPE_EXTENSION + "}" not in res.path or not isinstance(enum, list) or len(enum) != 1:
        return res
    pointer = str(spec.get(PTR, pointer)) if isinstance(spec, dict) else pointer  # where it is declared
    value = str(enum[0])
    path = res.path.replace("{" + MEDIA_TYPE_EXTENSION + "}", value)
    report.report(Code.PATH_PARAMETER_RESOLVED, res.pointer, f"{{{MEDIA_TYPE_EXTENSION}}} can only be "
                  f"{literal(enum[0])} (declared at {pointer}): {res.path} is written as {path}")
    params = {k: v for k, v in res.uri_params.items() if k != MEDIA_TYPE_EXTENSION}
    return dataclasses.replace(res, path=path, uri_params=params)


MEDIA_TYPE_EXTENSION = "mediaTypeExtension"


def _opt(value: Any) -> str | None:
    return None if value is None else str(value)


def _documentation(docs: Any) -> str | None:
    if not isinstance(docs, list):
        return None
    parts = [f"## {d.get('title', '')}\n\n{d.get('content', '')}" for d in docs if isinstance(d, dict)]
    return "\n\n".join(parts) or None


def _resource_extras(data: dict[str, Any], pointer: str, report: Report) -> None:
    if data.get("baseUriParameters"):
        report.report(Code.SOURCE_FEATURE_IGNORED, pointer_join(pointer, "baseUriParameters"),
                      "resource-level baseUriParameters not read")
    for key in data:
        if isinstance(key, str) and not key.startswith("/") and key not in _RESOURCE_KEYS and key not in METHODS \
                and not key.endswith("?") and not key.startswith("\x00"):
            report.report(Code.SOURCE_FEATURE_IGNORED, pointer_join(pointer, key),
                          f"resource property {literal(key)} not read")


# -- servers -------------------------------------------------------------------------------------


def _servers(data: dict[str, Any], report: Report) -> list[Server]:
    base = data.get("baseUri")
    if base is None:
        return []
    url = template = str(base)
    params = as_dict(data.get("baseUriParameters"))
    variables: dict[str, ServerVariable] = {}
    for name in re.findall(r"\{([^{}]+)\}", url):
        value = _variable(name, data, params)
        if value is None:
            report.report(Code.SOURCE_VALUE_REPAIRED, "/baseUri", f"baseUri parameter {{{name}}} has no default; kept")
            continue
        url = url.replace("{" + name + "}", value)
        if name == "version" and name not in params:  # RAML 0.8: {version} is the API's version, one value
            template = template.replace("{version}", value)
        else:
            variables[name] = _server_variable(value, params.get(name))
    protocols = [str(p).lower() for p in as_list(data.get("protocols"))]
    templates = _with_protocols(template, protocols) if variables else [None] * len(_with_protocols(url, protocols))
    return [dataclasses.replace(_server(u), template=t, variables=dict(variables) if t else {})
            for u, t in zip(_with_protocols(url, protocols), templates, strict=True)]


def _server_variable(default: str, spec: Any) -> ServerVariable:
    """A baseUri parameter as a server variable: the values its enum allows (none: any value)."""
    spec = spec if isinstance(spec, dict) else {}
    enum = [str(v) for v in spec["enum"]] if isinstance(spec.get("enum"), list) else []
    description = spec.get("description") if isinstance(spec.get("description"), str) else None
    return ServerVariable(default=default, enum=enum, description=description)


def _variable(name: str, data: dict[str, Any], params: dict[str, Any]) -> str | None:
    spec = params.get(name)
    if isinstance(spec, dict):
        if spec.get("default") is not None:
            return str(spec["default"])
        if isinstance(spec.get("enum"), list) and spec["enum"]:
            return str(spec["enum"][0])
    if name == "version" and data.get("version") is not None:
        return str(data["version"])
    return None


def _with_protocols(url: str, protocols: list[str]) -> list[str]:
    match = re.match(r"([a-zA-Z][a-zA-Z0-9+.-]*)://(.*)", url)
    if not match or not protocols:
        return [url]
    rest = match.group(2)
    ordered = [match.group(1).lower()] if match.group(1).lower() in protocols else []
    ordered += [p for p in protocols if p not in ordered]
    return [f"{p}://{rest}" for p in ordered]


def _server(url: str) -> Server:
    match = re.match(r"([a-zA-Z][a-zA-Z0-9+.-]*)://([^/]*)(.*)", url)
    if not match:
        return Server(url=url, base_path=url.rstrip("/"))
    return Server(url=url, scheme=match.group(1).lower(), host=match.group(2), base_path=match.group(3).rstrip("/"))


# -- root schemas --------------------------------------------------------------------------------


def _root_schemas(value: Any, report: Report) -> SchemaContext:
    ctx = SchemaContext(report)
    entries = list(enumerate(value)) if isinstance(value, list) else [(None, value)] if isinstance(value, dict) else []
    found: list[tuple[str, Any, str]] = []
    for index, entry in entries:
        for name, text in (entry.items() if isinstance(entry, dict) else []):
            base = "/schemas" if index is None else f"/schemas/{index}"
            found.append((str(name), text, pointer_join(base, str(name))))
            if isinstance(text, Included):
                ctx.files.setdefault(text.name, str(name))
    for name, _, _ in found:
        ctx.schemas[name] = Schema()  # names first, so that schemas may refer to each other
    for name, text, pointer in found:
        if isinstance(text, dict):
            ctx.schemas[name] = convert(text, pointer, ctx, name)
        else:
            ctx.schemas[name] = text_schema(str(text), pointer, ctx, name)
    return ctx
