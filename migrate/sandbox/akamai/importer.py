"""Akamai sandbox: the server-side import of an API definition file (seed 002 "Create an Endpoint
from an API Definition File": Swagger 2.0 or RAML 0.8; akamai.json post-endpoints-file: the JSON
form with ``importFileSource`` BODY_BASE64 and ``importFileContent``), written from those
documents' descriptions of the Endpoint object, independently of api-migrate's readers and
emitters (house rule 12).

Where the documents are silent the sandbox decides, and says so here: the endpoint is named by
the file's title; a Swagger ``host`` (RAML: the ``baseUri``'s host) is its one hostname and
``basePath`` (RAML: the ``baseUri``'s path) its base path; each path is a resource named by the
path; parameters keep name, location, type, ``required`` and length/range/array bounds; a
Swagger body parameter becomes one ``json/xml`` body parameter whose members come from its
schema's properties (``#/definitions`` followed, three levels deep); a RAML body is one
``json/xml`` parameter without members (RAML 0.8 schemas are strings); Swagger form fields are
the members of one ``urlencoded`` body parameter. What cannot be imported
is a 400 importResult whose ``problems[]`` point into the file."""

from __future__ import annotations

import base64
import binascii
from typing import Any
from urllib.parse import urlsplit

import yaml

METHODS = ("get", "put", "post", "delete", "head", "patch", "options")
TYPES = {"string": "string", "integer": "integer", "number": "number", "boolean": "boolean",
         "date": "string", "file": "string"}
PROBLEM_TYPE = "/api-definitions/error-types/IMPORT-INVALID-SCHEMA"
DEPTH = 3


class ImportProblems(Exception):
    """The file cannot be imported: ``problems`` (pointer, detail) and what was read of it."""

    def __init__(self, problems: list[tuple[str, str]], details: dict[str, Any] | None = None) -> None:
        super().__init__(problems[0][1] if problems else "import failed")
        self.problems, self.details = problems, details or {}


def problem_items(problems: list[tuple[str, str]]) -> list[dict[str, Any]]:
    """importResult ``problems[]`` items as the descriptor's example shows them."""
    return [{"detail": detail, "domain": "validation", "keyword": "import", "level": "error", "pointer": pointer,
             "title": "Invalid schema", "type": PROBLEM_TYPE} for pointer, detail in problems]


def decode(body: dict[str, Any]) -> Any:
    """The uploaded file, parsed (JSON is YAML); a problem at the root otherwise."""
    if body.get("importFileSource") != "BODY_BASE64" or not body.get("importFileContent"):
        raise ImportProblems([("", "only importFileSource BODY_BASE64 with importFileContent is served here "
                                   "(the sandbox fetches no URL)")])
    try:
        text = base64.b64decode(body["importFileContent"], validate=True).decode("utf-8")
        return yaml.safe_load(text), text
    except (binascii.Error, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise ImportProblems([("", f"the file cannot be read: {str(exc).splitlines()[0]}")]) from None


def import_file(body: dict[str, Any]) -> dict[str, Any]:
    """The create-endpoint body the file describes (without contract and group)."""
    document, text = decode(body)
    if body["importFileFormat"] == "swagger":
        if not isinstance(document, dict) or str(document.get("swagger")) != "2.0":
            raise ImportProblems([("/swagger", "not a Swagger 2.0 file (swagger: \"2.0\")")])
        return _swagger(document)
    if not text.startswith("#%RAML 0.8") or not isinstance(document, dict):
        raise ImportProblems([("", "not a RAML 0.8 file (#%RAML 0.8)")])
    return _raml(document)


# -- Swagger 2.0 --

def _swagger(doc: dict[str, Any]) -> dict[str, Any]:
    info: dict[str, Any] = doc["info"] if isinstance(doc.get("info"), dict) else {}
    out: dict[str, Any] = {"apiEndPointName": info.get("title"), "description": info.get("description"),
                           "basePath": doc.get("basePath"),
                           "apiEndPointHosts": [doc["host"]] if doc.get("host") else []}
    schemes = sorted(s for s in doc.get("schemes") or [] if s in ("http", "https"))
    if schemes:
        out["apiEndPointScheme"] = "/".join(schemes)
    keys = [(n, d) for n, d in (doc.get("securityDefinitions") or {}).items() if d.get("type") == "apiKey"]
    if keys:
        out["securityScheme"] = {"securitySchemeType": "apikey", "securitySchemeDetail": {
            "apiKeyLocation": keys[0][1].get("in"), "apiKeyName": keys[0][1].get("name")}}
    problems: list[tuple[str, str]] = []
    if not out["apiEndPointName"]:
        problems.append(("/info/title", "the endpoint name comes from info.title, which is missing"))
    if not out["apiEndPointHosts"]:
        problems.append(("/host", "the endpoint's hostname comes from host, which is missing"))
    out["apiResources"] = [_swagger_resource(doc, path, item, problems)
                           for path, item in (doc.get("paths") or {}).items() if isinstance(item, dict)]
    if problems:
        raise ImportProblems(problems, out)
    return out


def _pointer(*parts: Any) -> str:
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


def _resolve(doc: dict[str, Any], ref: str) -> Any:
    target: Any = doc
    for part in ref[2:].split("/"):
        part = part.replace("~1", "/").replace("~0", "~")
        target = target.get(part) if isinstance(target, dict) else None
    return target


def _follow(doc: dict[str, Any], node: Any) -> Any:
    seen = 0
    while isinstance(node, dict) and isinstance(node.get("$ref"), str) and node["$ref"].startswith("#/") and seen < 20:
        node = _resolve(doc, node["$ref"])
        seen += 1
    return node


def _swagger_resource(doc: dict[str, Any], path: str, item: dict[str, Any],
                      problems: list[tuple[str, str]]) -> dict[str, Any]:
    shared = item.get("parameters") or []
    methods = []
    for method in METHODS:
        op = item.get(method)
        if not isinstance(op, dict):
            continue
        params = []
        own = [_follow(doc, p) for p in op.get("parameters") or []]
        names = {(p.get("in"), p.get("name")) for p in own if isinstance(p, dict)}
        merged = [p for p in (_follow(doc, s) for s in shared) if isinstance(p, dict)
                  and (p.get("in"), p.get("name")) not in names] + [p for p in own if isinstance(p, dict)]
        form = [p for p in merged if p.get("in") == "formData"]
        for i, param in enumerate(merged):
            if param.get("in") == "formData":
                continue
            made = _swagger_param(doc, param, _pointer("paths", path, method, "parameters", i), problems)
            if made is not None:
                params.append(made)
        if form:  # form fields: members of one urlencoded body parameter (files as strings)
            params.append({"apiParameterName": "body", "apiParameterLocation": "body", "apiParameterRequired":
                           any(bool(p.get("required")) for p in form), "apiParameterType": "json/xml",
                           "array": False, "apiParameterContentType": "urlencoded",
                           "apiChildParameters": [_scalar(str(p.get("name")), None, p, bool(p.get("required")))
                                                  for p in form]})
        methods.append({"apiResourceMethod": method.upper(), "apiParameters": params})
    return {"apiResourceName": path, "resourcePath": path, "apiResourceMethods": methods}


def _swagger_param(doc: dict[str, Any], param: dict[str, Any], where: str,
                   problems: list[tuple[str, str]]) -> dict[str, Any] | None:
    location = param.get("in")
    if location == "body":
        schema = _follow(doc, param.get("schema")) or {}
        return {**_body(doc, str(param.get("name") or "body"), schema, bool(param.get("required")), 0),
                "apiParameterLocation": "body"}
    if location not in ("query", "header", "path"):
        problems.append((where, f"parameters in {location!r} cannot be imported"))
        return None
    return _scalar(str(param.get("name")), location, param, bool(param.get("required")) or location == "path")


def _scalar(name: str, location: str | None, spec: dict[str, Any], required: bool) -> dict[str, Any]:
    array = spec.get("type") == "array"
    kind = (spec.get("items") or {}).get("type") if array else spec.get("type")
    out: dict[str, Any] = {"apiParameterName": name, "apiParameterRequired": required,
                           "apiParameterType": TYPES.get(str(kind), "string"), "array": array}
    out["apiParameterLocation"] = location  # null for the members of a body (seed 2240)
    restriction = _restriction(spec, out["apiParameterType"], array)
    if restriction:
        out["apiParameterRestriction"] = restriction
    return out


def _restriction(spec: dict[str, Any], kind: str, array: bool) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if "minLength" in spec or "maxLength" in spec:
        out["lengthRestriction"] = {"lengthMin": spec.get("minLength"), "lengthMax": spec.get("maxLength")}
    if "minimum" in spec or "maximum" in spec:
        key = "rangeRestriction" if kind == "integer" else "numberRangeRestriction"
        prefix = "range" if kind == "integer" else "numberRange"
        out[key] = {f"{prefix}Min": spec.get("minimum"), f"{prefix}Max": spec.get("maximum")}
    if array and ("minItems" in spec or "maxItems" in spec):
        out["arrayRestriction"] = {k: spec[k] for k in ("minItems", "maxItems") if k in spec}  # not nullable
    return out


def _body(doc: dict[str, Any], name: str, schema: dict[str, Any], required: bool, depth: int) -> dict[str, Any]:
    schema = _follow(doc, schema) or {}
    array = schema.get("type") == "array"
    inner = _follow(doc, schema.get("items")) or {} if array else schema
    children = []
    if depth < DEPTH and isinstance(inner.get("properties"), dict):
        needed = set(inner.get("required") or [])
        for key, prop in inner["properties"].items():
            prop = _follow(doc, prop) or {}
            items = _follow(doc, prop.get("items")) or {}
            nested = prop.get("type") == "object" or "properties" in prop or \
                (prop.get("type") == "array" and (items.get("type") == "object" or "properties" in items))
            children.append(_body(doc, key, prop, key in needed, depth + 1) if nested
                            else _scalar(key, None, prop, key in needed))
    return {"apiParameterName": name, "apiParameterRequired": required, "apiParameterType": "json/xml",
            "array": array, "apiParameterLocation": None, "apiChildParameters": children}


# -- RAML 0.8 --

def _raml(doc: dict[str, Any]) -> dict[str, Any]:
    base = urlsplit(str(doc.get("baseUri") or ""))
    out: dict[str, Any] = {"apiEndPointName": doc.get("title"), "basePath": base.path.rstrip("/") or None,
                           "apiEndPointHosts": [base.hostname] if base.hostname else []}
    if base.scheme in ("http", "https"):
        out["apiEndPointScheme"] = base.scheme
    problems: list[tuple[str, str]] = []
    if not out["apiEndPointName"]:
        problems.append(("/title", "the endpoint name comes from title, which is missing"))
    if not out["apiEndPointHosts"]:
        problems.append(("/baseUri", "the endpoint's hostname comes from baseUri, which has no host"))
    resources: list[dict[str, Any]] = []
    _raml_resources(doc, "", {}, resources)
    out["apiResources"] = resources
    if problems:
        raise ImportProblems(problems, out)
    return out


def _raml_resources(node: dict[str, Any], prefix: str, uri_params: dict[str, Any],
                    out: list[dict[str, Any]]) -> None:
    for key, child in node.items():
        if not (isinstance(key, str) and key.startswith("/")):
            continue
        child = child if isinstance(child, dict) else {}
        path = prefix + key
        params = {**uri_params, **(child.get("uriParameters") or {})}
        methods = [_raml_method(m, child[m], path, params) for m in METHODS if m in child]
        if methods:
            out.append({"apiResourceName": path, "resourcePath": path, "apiResourceMethods": methods})
        _raml_resources(child, path, params, out)


def _raml_method(method: str, spec: Any, path: str, uri_params: dict[str, Any]) -> dict[str, Any]:
    spec = spec if isinstance(spec, dict) else {}
    params = []
    for name in [n for n in uri_params if "{" + str(n) + "}" in path]:
        params.append(_scalar(str(name), "path", uri_params[name] or {}, True))
    for section, location in (("queryParameters", "query"), ("headers", "header")):
        for name, value in (spec.get(section) or {}).items():
            value = value if isinstance(value, dict) else {}
            params.append(_scalar(str(name), location, value, bool(value.get("required"))))
    if isinstance(spec.get("body"), dict) and spec["body"]:
        params.append({"apiParameterName": "body", "apiParameterLocation": "body", "apiParameterRequired": True,
                       "apiParameterType": "json/xml", "array": False, "apiChildParameters": []})
    return {"apiResourceMethod": method.upper(), "apiParameters": params}
