"""Akamai API Gateway emitter: the API Endpoint Definition API v2 create-endpoint body.

One payload file, ``akamai.json`` (``POST /api-definitions/v2/endpoints``), rendered through
``templates/akamai/endpoint.json.j2`` (+ resource/parameter templates), parsed back and checked
against Akamai's Endpoint schema (``migrate.emitters.akamai.schema.validate_endpoint``).

A field that neither the spec nor the options give (contract, group, host) is left out of the
payload and reported as MISSING_REQUIRED_FIELD (error): no placeholder is ever invented, so a
payload either validates or its report says why not.
"""

from __future__ import annotations

import json
from typing import Any

from migrate.core.diagnostics import Code, Report, literal
from migrate.core.errors import EmitError
from migrate.core.gcpause import collector_paused
from migrate.core.model import Api, Operation, RequestBody, Resource, Schema
from migrate.emitters.akamai.endpoint import (
    CATEGORIES_FILE,
    category_names,
    combine,
    identity,
    media_category,
    report_operation_security,
    security,
)
from migrate.emitters.akamai.losses import report_api, report_operation, report_resource
from migrate.emitters.akamai.params import BodyMemo, View, body_node, parameter
from migrate.emitters.akamai.schema import validate_endpoint
from migrate.emitters.akamai.settings import FILE_NAME as SETTINGS_FILE
from migrate.emitters.akamai.settings import PUBLIC_EXTENSION, Built, holds_operation_security
from migrate.emitters.akamai.settings import build as build_settings
from migrate.emitters.akamai.steps import akamai_steps
from migrate.emitters.base import EmitOptions, Payload, PayloadFile
from migrate.emitters.render import dumps_indented, render_parsed
from migrate.transforms import apply

TARGET = "akamai"
FILE_NAME = "akamai.json"
TEMPLATE = "akamai/endpoint.json.j2"
BODY_NAME = "body"
#: member order of the seed's create example
ENDPOINT_ORDER = ("apiEndPointName", "description", "basePath", "apiEndPointScheme", "consumeType",
                  "apiEndPointHosts", "contractId", "groupId", "apiCategoryIds", "securityScheme")
#: apiParameterContentType has no json/urlencoded etc.: those mixes become "any"
_BODY_CONTENT_TYPES = ("json", "xml", "json/xml", "urlencoded", "any")


def _body_categories(body: RequestBody, report: Report) -> dict[str, str]:
    """media type -> category for the body's media types Akamai can check (others reported)."""
    found: dict[str, str] = {}
    for content in body.contents:
        category = media_category(content.media_type)
        if category is None:
            report.report(Code.MEDIA_TYPE_UNSUPPORTED, content.pointer or body.pointer,
                          f"{literal(content.media_type)}: Akamai checks JSON, XML and urlencoded bodies only")
            continue
        exact = ("application/json", "application/xml", "application/x-www-form-urlencoded")
        if content.media_type.split(";")[0].strip().lower() not in exact:
            report.report(Code.MEDIA_TYPE_MAPPED, content.pointer or body.pointer,
                          f"{literal(content.media_type)} is treated as {category}")
        found[content.media_type] = category
    return found


def _body(op: Operation, report: Report, consumed: set[str], memo: BodyMemo) -> View | None:
    body = op.request_body
    if body is None:
        return None
    if body.description:
        report.report(Code.DESCRIPTION_DROPPED, body.pointer,
                      f"{op.method}: the request body's description has no place in Akamai")
    for content in body.contents:
        if content.example is not None:
            report.report(Code.EXAMPLE_DROPPED, content.pointer or body.pointer,
                          f"{literal(content.media_type)}: the example has no place in Akamai")
    categories = _body_categories(body, report)
    if not categories:
        if body.contents:
            report.report(Code.BODY_DROPPED, body.pointer, f"{op.method}: no media type Akamai can check")
        return None
    consumed.update(categories.values())
    described = [c for c in body.contents if c.media_type in categories]
    for other in described[1:]:
        if other.schema is not None and described[0].schema is not None \
                and other.schema.to_json() != described[0].schema.to_json():
            report.report(Code.BODY_DROPPED, other.pointer or body.pointer,
                          f"{literal(other.media_type)}: its schema differs; only "
                          f"{literal(described[0].media_type)}'s is described")
    content_type = combine(set(categories.values()))
    if content_type not in _BODY_CONTENT_TYPES:
        content_type = "any"
    schema = described[0].schema or Schema(type="object")
    return body_node(BODY_NAME, schema, body.required, 0, report, body.pointer, content_type=content_type,
                     memo=memo)


def _operation(resource: Resource, op: Operation, api: Api, report: Report, consumed: set[str],
               memo: BodyMemo, held: Built) -> dict[str, Any]:
    if op.summary or op.description:
        report.report(Code.DESCRIPTION_DROPPED, op.pointer,
                      f"{op.method} {resource.path}: Akamai methods have no summary or description")
    if op.deprecated:
        report.report(Code.DEPRECATION_DROPPED, op.pointer, f"{op.method} {resource.path}: not marked deprecated")
    for key in sorted(op.extensions):
        if key.startswith("x-") and not (key == PUBLIC_EXTENSION and held.document is not None):
            report.report(Code.EXTENSION_DROPPED, op.pointer, f"extension {key} is not carried over")
    if not holds_operation_security(api, op, held):  # else held by API privacy and JWT settings
        report_operation_security(api, op, report)
    report_operation(resource, op, report)
    views = [v for v in (parameter(p, report) for p in op.parameters) if v is not None]
    body = _body(op, report, consumed, memo)
    if body is not None:
        views.append(body)
    return {"method": op.method.upper(), "parameters": views}


def _resources(api: Api, report: Report, consumed: set[str], held: Built) -> list[dict[str, Any]]:
    out = []
    memo = BodyMemo()
    for resource in api.resources:
        if resource.description:
            report.report(Code.DESCRIPTION_DROPPED, resource.pointer,
                          f"resource {resource.path}: Akamai's Endpoint schema has no resource description")
        report_resource(resource, report)
        if not resource.operations:  # Akamai resources are their methods
            report.report(Code.RESOURCE_DROPPED, resource.pointer, f"resource {resource.path}: no operation "
                          "Akamai can hold; the path is left out")
            continue
        methods = [_operation(resource, op, api, report, consumed, memo, held) for op in resource.operations]
        out.append({"fields": {"apiResourceName": resource.name or resource.path,
                               "resourcePath": resource.path or "/"},
                    "methods": methods})
    return out


def _report_api(api: Api, report: Report) -> None:
    report_api(api, report)
    for key in sorted(api.extensions):
        if key.startswith("x-") and not key.startswith("x-reader-"):  # x-reader-*: the reader's own notes
            report.report(Code.EXTENSION_DROPPED, "/" + key.replace("~", "~0").replace("/", "~1"),
                          f"extension {key} is not carried over")


def context(api: Api, options: EmitOptions, report: Report, held: Built | None = None) -> dict[str, Any]:
    """The template context: ``endpoint`` (ordered fields) and ``resources`` (views); ``held``: what
    the delivery settings hold (their security schemes are not reported as lost)."""
    held = held or Built()
    endpoint = identity(api, options, report)
    consumed: set[str] = set()
    resources = _resources(api, report, consumed, held)
    consume_type = combine(consumed)
    if consume_type is not None:
        endpoint["consumeType"] = consume_type
    scheme = security(api, report, frozenset(held.held))
    if scheme is not None:
        endpoint["securityScheme"] = scheme
    _report_api(api, report)
    ordered = {key: endpoint[key] for key in ENDPOINT_ORDER if key in endpoint}
    return {"endpoint": ordered, "resources": resources}


def _rendered(ctx: dict[str, Any], options: EmitOptions) -> tuple[Any, bool]:
    """The rendered payload, and whether it holds no NaN or Infinity (``render.render_parsed``)."""
    try:
        return render_parsed(TEMPLATE, ctx, options.templates_dir, TARGET)
    except json.JSONDecodeError as exc:
        where = f" (templates from {options.templates_dir})" if options.templates_dir else ""
        raise EmitError(TARGET, f"the rendered payload is not JSON{where}: {exc}") from None


def _check(document: Any, report: Report) -> None:
    for error in validate_endpoint(document):
        if error.startswith("/: ") and error.endswith("is a required property") \
                and any(d.code is Code.MISSING_REQUIRED_FIELD for d in report):
            continue  # already reported as MISSING_REQUIRED_FIELD
        report.report(Code.OUTPUT_INVALID, "", f"akamai.json fails Akamai's Endpoint schema: {error}")


def emit(api: Api, options: EmitOptions) -> Payload:
    """The Akamai create-endpoint payload for ``api`` plus everything it could not hold."""
    payload = Payload(TARGET)
    report = payload.report
    with collector_paused():
        shaped = apply(api, akamai_steps(), report)
        settings = build_settings(shaped, options.akamai_settings, report)
        ctx = context(shaped, options, report, settings)
        document, finite = _rendered(ctx, options)
        _check(document, report)
        text = dumps_indented(document, finite) + "\n"
    payload.files.append(PayloadFile(FILE_NAME, text, "application/json", document))
    names = category_names(options)
    if names:  # categories given by name: found (or created) by the client, which knows Akamai's ids
        listed = {"apiCategoryNames": names}
        payload.files.append(PayloadFile(CATEGORIES_FILE, dumps_indented(listed) + "\n", "application/json", listed))
    if options.akamai_mode == "import":  # the spec itself, for Akamai's server-side import
        from migrate.emitters.akamai.importfile import FILE_NAME as IMPORT_FILE
        from migrate.emitters.akamai.importfile import refuse_ignored

        refuse_ignored(options)
        from migrate.emitters.akamai.importfile import import_body

        body = import_body(api, report)
        payload.files.append(PayloadFile(IMPORT_FILE, dumps_indented(body) + "\n", "application/json", body))
    if settings.document is not None:  # delivery settings, applied by the client once the version exists
        payload.files.append(PayloadFile(SETTINGS_FILE, dumps_indented(settings.document) + "\n",
                                         "application/json", settings.document))
    return payload
