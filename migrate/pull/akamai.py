"""Akamai endpoint version -> model: the object ``GET /endpoints/{id}/versions/{n}/resources-detail``
returns (akamai.json, the Endpoint-with-resources schema; seed 002), read back into the model.

What the object holds and the model keeps: name, description, hosts + scheme + base path (servers),
the API key security scheme, resources with their methods, path/query/header/cookie parameters
(type, array, required, notes, length/range/number-range/array restrictions, collection format) and
the body parameter tree (json/xml nodes become object schemas, ``array`` an array of them, the
xmlConversionRule the schema's XML naming). Pointers in the model and in the loss report point
into that vendor object (``/apiResources/0/apiResourceMethods/1/apiParameters/2``).

The loss report says both ways what does not carry: what Akamai holds that the model cannot
(categories, Akamai's own security restrictions, the version's settings that are on: cache, GZIP,
CORS, JWT validation, API privacy; activation state is not an API property and is not reported),
and what the model would need that Akamai never holds (responses, operation ids, summaries,
enum/pattern/format restrictions, the API's own version).
"""

from __future__ import annotations

from typing import Any

from migrate.core.diagnostics import Code, Report, literal
from migrate.core.model import (
    Api,
    Content,
    Operation,
    Parameter,
    Property,
    RequestBody,
    Resource,
    Restrictions,
    Schema,
    SecurityScheme,
    Server,
    Xml,
)
from migrate.core.pointers import pointer_join

#: apiParameterContentType / consumeType -> the media types it stands for (akamai.json enum)
MEDIA_TYPES = {"json": ["application/json"], "xml": ["application/xml"],
               "json/xml": ["application/json", "application/xml"],
               "urlencoded": ["application/x-www-form-urlencoded"], "any": ["*/*"]}
SCALARS = ("string", "integer", "number", "boolean")
BODY_TYPES = ("json/xml", "json", "xml")
API_KEY = "apiKey"
#: what the model would need that an Akamai endpoint never holds (akamai.json Endpoint schema)
NEVER_HELD = (
    "responses (status codes, bodies and headers)",
    "operation ids, summaries or descriptions of methods",
    "enum, pattern, format or multipleOf restrictions, defaults or examples",
    "a version of the API (Akamai's versionNumber counts its edits)",
)


def read_endpoint(endpoint: dict[str, Any], settings: dict[str, Any] | None = None) -> tuple[Api, Report]:
    """The model of one Akamai endpoint version and the loss report of the reading; ``settings``:
    the version's settings objects by kind (GET …/settings/{kind}), none of which the model holds."""
    report = Report()
    _report_settings(settings or {}, report)
    api = Api(title=str(endpoint.get("apiEndPointName") or ""), description=endpoint.get("description") or None)
    api.servers = _servers(endpoint)
    scheme = _security(endpoint.get("securityScheme"), report)
    if scheme is not None:
        api.security_schemes, api.security = [scheme], [{scheme.name: []}]
    for i, resource in enumerate(_objects(endpoint.get("apiResources"))):
        api.resources.append(_resource(resource, f"/apiResources/{i}", report))
    _report_vendor_only(endpoint, report)
    for what in NEVER_HELD:
        report.report(Code.VENDOR_LACKS, "", f"Akamai does not hold {what}: the pulled model has none")
    return api, report


def _objects(value: Any) -> list[dict[str, Any]]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _servers(endpoint: dict[str, Any]) -> list[Server]:
    """One server per host and scheme (``http/https``: both), with the endpoint's base path."""
    base = str(endpoint.get("basePath") or "").rstrip("/")
    schemes = [s for s in ("https", "http") if s in str(endpoint.get("apiEndPointScheme") or "").split("/")]
    out = []
    for host in [str(h) for h in endpoint.get("apiEndPointHosts") or []]:
        for scheme in schemes or ["https"]:
            out.append(Server(url=f"{scheme}://{host}{base}", host=host, base_path=base, scheme=scheme))
    return out


def _security(found: Any, report: Report) -> SecurityScheme | None:
    if not isinstance(found, dict):
        return None
    detail = found.get("securitySchemeDetail") or {}
    if str(found.get("securitySchemeType", "")).lower() != "apikey" or not isinstance(detail, dict):
        report.report(Code.VENDOR_FEATURE_NOT_READ, "/securityScheme",
                      f"security scheme type {literal(found.get('securitySchemeType'))} is not an API key")
        return None
    return SecurityScheme(name=API_KEY, type="apiKey", location=detail.get("apiKeyLocation"),
                          param_name=detail.get("apiKeyName"), pointer="/securityScheme")


def _report_vendor_only(endpoint: dict[str, Any], report: Report) -> None:
    if endpoint.get("apiCategoryIds"):
        report.report(Code.VENDOR_FEATURE_NOT_READ, "/apiCategoryIds",
                      f"categories {literal(endpoint['apiCategoryIds'])} are Akamai's own grouping; not read")
    if endpoint.get("akamaiSecurityRestrictions"):
        report.report(Code.VENDOR_FEATURE_NOT_READ, "/akamaiSecurityRestrictions",
                      "Akamai's security restrictions (body size, nesting limits) are not part of the model")


#: the settings of a version (akamai.json …/settings/{kind}) and what each one does at Akamai's edge
SETTINGS = {
    "cache": "caching of responses at the edge",
    "gzip": "GZIP compression of responses",
    "cors": "cross-origin resource sharing (CORS)",
    "jwt": "JWT validation of requests (token location and claims)",
    "api-privacy": "API privacy (which resources and methods are public)",
}


#: akamai.json gzipDto: ``compressResponse`` default
GZIP_DEFAULT = "ALWAYS"


def _report_settings(settings: dict[str, Any], report: Report) -> None:
    """Each setting that is on: the model has no place for it (JWT is not made a security scheme:
    its claims validation would be lost while the scheme looked complete)."""
    for kind, what in SETTINGS.items():
        held = settings.get(kind)
        if not isinstance(held, dict) or held.get("enabled") is False:
            continue
        if kind == "gzip" and held.get("compressResponse") == GZIP_DEFAULT:
            continue  # what every endpoint does unless someone chose otherwise
        if kind == "api-privacy" and held.get("public") is True and not _private_resources(held):
            continue  # everything public: the API as any spec describes it
        report.report(Code.VENDOR_FEATURE_NOT_READ, f"/settings/{kind}",
                      f"{what}: {literal(_summary(kind, held))} is Akamai's own setting; the model has no place for it")


def _private_resources(held: dict[str, Any]) -> list[str]:
    resources = held.get("resources") if isinstance(held.get("resources"), dict) else {}
    return sorted(str(r.get("path")) for r in (resources or {}).values() if isinstance(r, dict)
                  and r.get("public") is False)


def _summary(kind: str, held: dict[str, Any]) -> Any:
    if kind == "gzip":
        return held.get("compressResponse")
    if kind == "cors":
        return held.get("allowedOrigins")
    if kind == "jwt":
        inner = held.get("settings") if isinstance(held.get("settings"), dict) else {}
        return f"{(inner or {}).get('location')} {(inner or {}).get('paramName')}"
    if kind == "api-privacy":
        return {"public": held.get("public"), "private resources": _private_resources(held)}
    return held.get("option")


def _resource(resource: dict[str, Any], pointer: str, report: Report) -> Resource:
    out = Resource(path=str(resource.get("resourcePath") or "/"), name=resource.get("apiResourceName") or None,
                   description=resource.get("description") or None, pointer=pointer)
    for j, method in enumerate(_objects(resource.get("apiResourceMethods"))):
        where = f"{pointer}/apiResourceMethods/{j}"
        op = Operation(method=str(method.get("apiResourceMethod") or "GET").upper(), pointer=where)
        for k, param in enumerate(_objects(method.get("apiParameters"))):
            at = f"{where}/apiParameters/{k}"
            if param.get("apiParameterLocation") == "body":
                op.request_body = _body(param, at, report)
            else:
                op.parameters.append(_parameter(param, at, report))
        out.operations.append(op)
    return out


def _parameter(param: dict[str, Any], pointer: str, report: Report) -> Parameter:
    ptype = str(param.get("apiParameterType") or "string").lower()
    if ptype not in SCALARS:
        report.report(Code.VENDOR_FEATURE_NOT_READ, pointer_join(pointer, "apiParameterType"),
                      f"type {literal(param.get('apiParameterType'))} of a non-body parameter is read as a string")
        ptype = "string"
    rule = param.get("apiParameterRestriction")
    restrictions, collection = _restrictions(rule if isinstance(rule, dict) else {})
    return Parameter(name=str(param.get("apiParameterName") or ""), location=str(param.get("apiParameterLocation")),
                     required=bool(param.get("apiParameterRequired")), type=ptype, array=bool(param.get("array")),
                     description=param.get("apiParameterNotes") or None, restrictions=restrictions,
                     collection_format=collection, pointer=pointer)


def _restrictions(rule: dict[str, Any]) -> tuple[Restrictions, str | None]:
    """Model restrictions (and the collection format) of an apiParameterRestriction object."""
    out = Restrictions()
    length = rule.get("lengthRestriction") or {}
    out.min_length, out.max_length = length.get("lengthMin"), length.get("lengthMax")
    ranged = rule.get("rangeRestriction") or rule.get("numberRangeRestriction") or {}
    out.minimum = ranged.get("rangeMin", ranged.get("numberRangeMin"))
    out.maximum = ranged.get("rangeMax", ranged.get("numberRangeMax"))
    items = rule.get("arrayRestriction") or {}
    out.min_items, out.max_items, out.unique_items = items.get("minItems"), items.get("maxItems"), \
        items.get("uniqueItems")
    return out, items.get("collectionFormat")


def _body(param: dict[str, Any], pointer: str, report: Report) -> RequestBody:
    """The body parameter: one content per media type its content type stands for, one schema."""
    kind = str(param.get("apiParameterContentType") or param.get("apiParameterType") or "any")
    schema = _node(param, pointer, report)
    contents = [Content(media_type=m, schema=schema, pointer=pointer) for m in MEDIA_TYPES.get(kind, ["*/*"])]
    return RequestBody(required=bool(param.get("apiParameterRequired")), description=None, contents=contents,
                       pointer=pointer)


def _node(param: dict[str, Any], pointer: str, report: Report) -> Schema:
    """A body tree node as a schema: json/xml nodes are objects of their children."""
    ptype = str(param.get("apiParameterType") or "string").lower()
    rule = param.get("apiParameterRestriction")
    restrictions, _ = _restrictions(rule if isinstance(rule, dict) else {})
    xml = _xml(rule.get("xmlConversionRule") if isinstance(rule, dict) else None)
    node = Schema(type=ptype if ptype in SCALARS else "object", description=param.get("apiParameterNotes") or None,
                  pointer=pointer)
    if ptype in BODY_TYPES:
        for i, child in enumerate(_objects(param.get("apiChildParameters"))):
            at = f"{pointer}/apiChildParameters/{i}"
            node.properties.append(Property(name=str(child.get("apiParameterName") or ""),
                                            schema=_node(child, at, report),
                                            required=bool(child.get("apiParameterRequired"))))
    if not param.get("array"):
        node.restrictions, node.xml = _scalar_part(restrictions), xml
        return node
    node.restrictions = _scalar_part(restrictions)
    return Schema(type="array", items=node, xml=xml, pointer=pointer,
                  restrictions=Restrictions(min_items=restrictions.min_items, max_items=restrictions.max_items,
                                            unique_items=restrictions.unique_items))


def _scalar_part(r: Restrictions) -> Restrictions:
    return Restrictions(min_length=r.min_length, max_length=r.max_length, minimum=r.minimum, maximum=r.maximum)


def _xml(rule: Any) -> Xml | None:
    if not isinstance(rule, dict) or not any(rule.get(k) for k in ("name", "namespace", "prefix", "attribute",
                                                                     "wrapped")):
        return None
    return Xml(name=rule.get("name"), namespace=rule.get("namespace"), prefix=rule.get("prefix"),
               attribute=bool(rule.get("attribute")), wrapped=bool(rule.get("wrapped")))
