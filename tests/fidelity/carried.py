"""Whether an OpenAPI 3.0.3 output document (``--to openapi``, Frends' import document) says what a
source fact says, read as OpenAPI 3.0.3 defines it (plain JSON, not the project's reader)."""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import urlsplit

from tests.fidelity.facts import DEFAULT_STYLE, Fact

Doc = dict[str, Any]


def _deref(doc: Doc, node: Any) -> Any:
    seen = 0
    while isinstance(node, dict) and isinstance(node.get("$ref"), str) and node["$ref"].startswith("#/") \
            and seen < 20:
        target: Any = doc
        for token in node["$ref"][2:].split("/"):
            token = token.replace("~1", "/").replace("~0", "~")
            target = target.get(token) if isinstance(target, dict) else None
        node, seen = target, seen + 1
    return node


def _item(doc: Doc, path: str) -> Any:
    """The output path item of a source path; a path key the output had to change (a removed
    '#' fragment, a template's regular expression) must be reported on the path fact itself."""
    paths = doc.get("paths") or {}
    return paths.get(path) or paths.get(renamed(path, list(paths)))


def renamed(path: str, keys: list[str]) -> str:
    """The output key a target had to write for ``path`` (a removed '#' fragment, a template's
    regular expression, RAML's {mediaTypeExtension} written as its one value), or ``path``."""
    plain = re.sub(r"\{([^{}:]+):[^{}]*\}", r"{\1}", path.split("#", 1)[0])
    if "{mediaTypeExtension}" in plain and plain not in keys:
        pattern = re.escape(plain).replace(re.escape("{mediaTypeExtension}"), r"\.[A-Za-z0-9]+")
        found = [k for k in keys if re.fullmatch(pattern, k)]
        return found[0] if len(found) == 1 else plain
    return plain


def _operation(doc: Doc, path: str, method: str) -> Any:
    item = _item(doc, path)
    return item.get(method.lower()) if isinstance(item, dict) else None


def _parameter(doc: Doc, key: tuple[Any, ...]) -> Any:
    path, method, name, where = key[:4]
    item, op = _item(doc, path), _operation(doc, path, method)
    for owner in (op, item):
        for raw in (owner or {}).get("parameters") or []:
            p = _deref(doc, raw)
            if isinstance(p, dict) and p.get("name") == name and p.get("in") == where:
                return p
    return None


def _schema(doc: Doc, param: Any) -> dict[str, Any]:
    schema = _deref(doc, (param or {}).get("schema"))
    if schema is None and isinstance((param or {}).get("content"), dict):
        media: Any = next(iter(param["content"].values()), {})
        schema = _deref(doc, media.get("schema") if isinstance(media, dict) else None)
    return schema if isinstance(schema, dict) else {}


def _values(doc: Doc, param: Any, name: str) -> list[Any]:
    """Every value the parameter's schema (or its items, or an allOf/anyOf part) gives ``name``."""
    schema = _schema(doc, param)
    holders = [schema, _deref(doc, schema.get("items")) or {}]
    for word in ("allOf", "anyOf", "oneOf"):
        holders.extend(_deref(doc, s) or {} for s in schema.get(word) or [])
    return [h[name] for h in holders if isinstance(h, dict) and name in h]


def _bounds(doc: Doc, param: Any, key: str) -> list[tuple[float, bool]]:
    schema = _schema(doc, param)
    flag = "exclusiveMinimum" if key == "minimum" else "exclusiveMaximum"
    out = []
    for holder in (schema, _deref(doc, schema.get("items")) or {}):
        if isinstance(holder, dict) and isinstance(holder.get(key), (int, float)):
            out.append((float(holder[key]), holder.get(flag) is True))
    return out


def _same_values(a: list[Any], b: list[Any]) -> bool:
    return {json.dumps(v, sort_keys=True) for v in a} == {json.dumps(v, sort_keys=True) for v in b}


def carried(doc: Doc, fact: Fact) -> bool:
    check = _CHECKS[fact.kind]
    return bool(check(doc, fact))


def _param_check(doc: Doc, fact: Fact) -> bool:
    p = _parameter(doc, fact.key)
    if p is None:
        return False
    where = fact.key[3]
    if fact.kind == "parameter":
        return True
    if fact.kind == "required":
        return (p.get("required") is True) == bool(fact.value)
    style = p.get("style", DEFAULT_STYLE[where])
    if fact.kind == "style":
        return bool(style == fact.value)
    if fact.kind == "explode":
        return bool(p.get("explode", style == "form") == fact.value)
    if fact.kind == "enum":
        return any(_same_values(v, fact.value) for v in _values(doc, p, "enum") if isinstance(v, list))
    name = fact.key[4]
    if name in ("minimum", "maximum"):
        return tuple(fact.value) in _bounds(doc, p, name)
    return fact.value in _values(doc, p, name)


def _server(doc: Doc, fact: Fact) -> bool:
    urls = {str(s.get("url", "")).rstrip("/") or "/": s for s in doc.get("servers") or [] if isinstance(s, dict)}
    if fact.kind == "server":
        return fact.key[0] in urls
    server = urls.get(fact.key[0])
    var = ((server or {}).get("variables") or {}).get(fact.key[1])
    return isinstance(var, dict) and (str(var.get("default")), sorted(map(str, var.get("enum") or []))) == \
        tuple(fact.value)


def _security(doc: Doc, fact: Fact) -> bool:
    owner = doc if fact.key == ("api",) else _operation(doc, *fact.key)
    if not isinstance(owner, dict) or "security" not in owner:
        return fact.key != ("api",) and False
    names = sorted({str(n) for r in owner["security"] for n in r})
    return names == fact.value


def _response(doc: Doc, fact: Fact) -> bool:
    op = _operation(doc, *fact.key[:2])
    codes = {str(c).upper() if str(c) != "default" else "default" for c in (op or {}).get("responses") or {}}
    return fact.key[2] in codes


_CHECKS = {
    "path": lambda doc, f: f.key[0] in (doc.get("paths") or {}),
    "operation": lambda doc, f: _operation(doc, *f.key) is not None,
    "parameter": _param_check, "required": _param_check, "style": _param_check, "explode": _param_check,
    "enum": _param_check, "restriction": _param_check,
    "server": _server, "server-variable": _server,
    "response": _response, "response-default": _response, "response-range": _response,
    "security": _security,
}


# -- Akamai Endpoint objects (API Endpoint Definition API v2) ---------------------------------


def _akamai_resource(doc: Doc, path: str) -> Any:
    resources = {r.get("resourcePath"): r for r in doc.get("apiResources") or []}
    return resources.get(path) or resources.get(renamed(path, [str(k) for k in resources]))


def _akamai_method(doc: Doc, path: str, method: str) -> Any:
    resource = _akamai_resource(doc, path) or {}
    return next((m for m in resource.get("apiResourceMethods") or [] if m.get("apiResourceMethod") == method), None)


def _akamai_parameter(doc: Doc, key: tuple[Any, ...]) -> Any:
    method = _akamai_method(doc, key[0], key[1]) or {}
    return next((p for p in method.get("apiParameters") or [] if p.get("apiParameterName") == key[2]
                 and p.get("apiParameterLocation") == key[3]), None)


def _akamai_server(doc: Doc, fact: Fact) -> bool:
    parts = urlsplit(str(fact.value))
    schemes = str(doc.get("apiEndPointScheme") or "").split("/")
    # a relative server URL states its path only (its host is wherever the document is served)
    return (parts.hostname is None or parts.hostname in (doc.get("apiEndPointHosts") or [])) \
        and (doc.get("basePath") or "") == parts.path.rstrip("/") and (not parts.scheme or parts.scheme in schemes)


def akamai_carried(doc: Doc, fact: Fact) -> bool:
    if fact.kind == "path":
        return any(r.get("resourcePath") == fact.key[0] for r in doc.get("apiResources") or [])
    if fact.kind == "operation":
        return _akamai_method(doc, *fact.key) is not None
    if fact.kind == "server":
        return _akamai_server(doc, fact)
    if fact.kind == "security":
        return _akamai_security(doc, fact)
    param = _akamai_parameter(doc, fact.key)
    if param is None:
        return False
    if fact.kind == "parameter":
        return True
    if fact.kind == "required":
        return param.get("apiParameterRequired") is bool(fact.value)
    if fact.kind in ("style", "explode"):
        return _akamai_serialisation(param, fact)
    if fact.kind == "restriction":
        return _akamai_restriction(param.get("apiParameterRestriction") or {}, fact.key[4], fact.value)
    return False  # enum: Akamai has none


def _akamai_security(doc: Doc, fact: Fact) -> bool:
    """Akamai's securityScheme is one API key (apiKeyLocation, apiKeyName) for the whole endpoint,
    or none: it carries a requirement of that one key, or of no scheme (``[]`` or ``{}``)."""
    alternatives = fact.detail or []
    if not alternatives or any(len(a) == 0 for a in alternatives):  # anonymous access allowed
        return "securityScheme" not in doc
    detail = (doc.get("securityScheme") or {}).get("securitySchemeDetail") or {}
    key = ("apiKey", detail.get("apiKeyLocation"), detail.get("apiKeyName"))
    return all(list(a) == [key] for a in alternatives)


#: Akamai arrayRestriction.collectionFormat (default csv) -> the OpenAPI (style, explode) it means
#: for a query/cookie parameter and for a path/header one (tsv has no OpenAPI style)
_AKAMAI_FORMATS = {"csv": (("form", False), ("simple", False)), "ssv": (("spaceDelimited", False),) * 2,
                   "pipes": (("pipeDelimited", False),) * 2, "multi": (("form", True), ("form", True))}


def _akamai_serialisation(param: dict[str, Any], fact: Fact) -> bool:
    if param.get("array") is not True:
        return False
    array = (param.get("apiParameterRestriction") or {}).get("arrayRestriction") or {}
    meant = _AKAMAI_FORMATS.get(array.get("collectionFormat", "csv"))
    if meant is None:
        return False
    style, explode = meant[0 if fact.key[3] in ("query", "cookie") else 1]
    return (style if fact.kind == "style" else explode) == fact.value


#: restriction keyword -> (apiParameterRestriction member, its key); bounds are inclusive
_AKAMAI_RESTRICTIONS = {"minLength": [("lengthRestriction", "lengthMin")],
                        "maxLength": [("lengthRestriction", "lengthMax")],
                        "minimum": [("rangeRestriction", "rangeMin"), ("numberRangeRestriction", "numberRangeMin")],
                        "maximum": [("rangeRestriction", "rangeMax"), ("numberRangeRestriction", "numberRangeMax")],
                        "minItems": [("arrayRestriction", "minItems")], "maxItems": [("arrayRestriction", "maxItems")],
                        "uniqueItems": [("arrayRestriction", "uniqueItems")]}


def _akamai_restriction(restriction: dict[str, Any], name: str, value: Any) -> bool:
    held = [(restriction.get(member) or {}).get(key) for member, key in _AKAMAI_RESTRICTIONS.get(name, [])]
    if name in ("minimum", "maximum"):
        return any(h is not None and not value[1] and float(h) == value[0] for h in held)
    return any(h is not None and h == value for h in held)
