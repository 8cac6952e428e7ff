"""Reports everything the Akana legacy body (seed 003) cannot hold.

The legacy body keeps, per operation, only Name, Method, Path, the names and locations of
path/query/header parameters and one media type for input, output and fault. Everything else in
the model is reported here, at the source element's pointer.
"""

from __future__ import annotations

from migrate.core.diagnostics import Code, Report, literal
from migrate.core.model import Api, Operation, Parameter, RequestBody, Resource, Restrictions
from migrate.core.pointers import pointer_join
from migrate.emitters.akana.body import AKANA_METHODS
from migrate.emitters.common import serialisation, server_pointer

IMPORT_HINT = "--akana-mode import keeps it"
#: extensions readers use to pass their own data along (not source features)
INTERNAL_EXTENSIONS = frozenset({"x-reader-diagnostics"})

#: restriction (JSON name) -> the specific code; the rest are RESTRICTION_DROPPED
_RESTRICTION_CODES = {
    "enum": Code.ENUM_DROPPED,
    "pattern": Code.PATTERN_DROPPED,
    "format": Code.FORMAT_DROPPED,
    "multipleOf": Code.MULTIPLE_OF_DROPPED,
}


def report_losses(api: Api, report: Report) -> None:
    """Report, in model order, every source feature the legacy body leaves out."""
    _api_level(api, report)
    for resource in api.resources:
        _resource(resource, report)
        for op in resource.operations:
            _operation(op, report)
            for parameter in op.parameters:
                _parameter(parameter, report)
    for name, schema in api.schemas.items():
        report.report(Code.SCHEMA_FEATURE_DROPPED, schema.pointer, f"named schema {literal(name)} is not carried: "
                      f"the Akana legacy body has no schemas ({IMPORT_HINT})")


def _extensions(owner_pointer: str | None, extensions: dict[str, object], report: Report) -> None:
    for key in extensions:
        if key.startswith("x-") and key not in INTERNAL_EXTENSIONS:
            report.report(Code.EXTENSION_DROPPED, pointer_join(owner_pointer or "", key),
                          f"extension {literal(key)} is not carried to Akana")


def _api_level(api: Api, report: Report) -> None:
    _extensions("", api.extensions, report)
    for i, server in enumerate(api.servers):
        if server.description:
            report.report(Code.DESCRIPTION_DROPPED, server_pointer(api, i),
                          f"the description of server {literal(server.url)} has no place in an Akana endpoint")


def _resource(resource: Resource, report: Report) -> None:
    _extensions(resource.pointer, resource.extensions, report)
    if not any(op.method in AKANA_METHODS for op in resource.operations):  # the body lists operations only
        report.report(Code.RESOURCE_DROPPED, resource.pointer, f"{resource.path or '/'}: no operation Akana can "
                      "hold; the Akana body lists operations only, so the path is left out")
    if resource.description:
        report.report(Code.DESCRIPTION_DROPPED, resource.pointer,
                      f"the description of {resource.path} has no place in the Akana body")
    if resource.name and resource.name != resource.path:
        report.report(Code.DESCRIPTION_DROPPED, resource.pointer,
                      f"the name {literal(resource.name)} of {resource.path} has no place in the Akana body")


def _operation(op: Operation, report: Report) -> None:
    where = f"{op.method} {op.operation_id or ''}".strip()
    _extensions(op.pointer, op.extensions, report)
    if op.summary or op.description:
        report.report(Code.DESCRIPTION_DROPPED, op.pointer, f"{where}: Akana operations have no summary "
                      "or description")
    if op.deprecated:
        report.report(Code.DEPRECATION_DROPPED, op.pointer, f"{where}: Akana operations cannot be deprecated")
    if op.tags:
        report.report(Code.TAG_DROPPED, op.pointer, f"{where}: Akana operations have no tags; "
                      f"{', '.join(map(literal, op.tags))} are carried as the API version's tags only")
    if op.request_body is not None and _body_lost(op.request_body):
        report.report(Code.BODY_DROPPED, op.request_body.pointer or op.pointer,
                      f"{where}: the request body's schema/description is not carried; only its media "
                      f"type is ({IMPORT_HINT})")
    if op.responses:
        statuses = ", ".join(r.status for r in op.responses)
        report.report(Code.RESPONSES_DROPPED, op.pointer, f"{where}: responses ({statuses}) with their "
                      f"schemas and headers are not carried; only media types are ({IMPORT_HINT})")
    if op.security is not None:
        report.report(Code.SECURITY_SCHEME_UNSUPPORTED, op.pointer,
                      f"{where}: the operation's own security requirement is not carried")


def _body_lost(body: RequestBody) -> bool:
    return bool(body.description or body.required
                or any(c.schema is not None or c.example is not None for c in body.contents))


def _parameter(parameter: Parameter, report: Report) -> None:
    label = f"{parameter.location} parameter {literal(parameter.name)}"
    if parameter.location == "cookie":
        report.report(Code.PARAMETER_LOCATION_UNSUPPORTED, parameter.pointer,
                      f"{label}: Akana Input has no cookie parameters; it is left out")
        return
    _extensions(parameter.pointer, parameter.extensions, report)
    _parameter_shape(parameter, label, report)
    _parameter_docs(parameter, label, report)
    _restrictions(parameter.pointer, parameter.restrictions, label, report)


def _parameter_shape(parameter: Parameter, label: str, report: Report) -> None:
    if parameter.type != "string" or parameter.array:
        shown = f"array of {parameter.type}" if parameter.array else parameter.type
        report.report(Code.PARAMETER_TYPE_UNSUPPORTED, parameter.pointer,
                      f"{label}: Akana Input has no data type; {shown} is lost")
    if parameter.collection_format is not None or parameter.style is not None or parameter.explode is not None:
        report.report(Code.COLLECTION_FORMAT_DROPPED, parameter.pointer,
                      f"{label}: its serialisation ({serialisation(parameter)}) is lost")
    if parameter.schema is not None:
        report.report(Code.SCHEMA_FEATURE_DROPPED, parameter.schema.pointer or parameter.pointer,
                      f"{label}: its schema is not carried")
    if parameter.required and parameter.location != "path":
        report.report(Code.RESTRICTION_DROPPED, parameter.pointer,
                      f"{label}: Akana Input cannot mark a parameter required")


def _parameter_docs(parameter: Parameter, label: str, report: Report) -> None:
    if parameter.description:
        report.report(Code.DESCRIPTION_DROPPED, parameter.pointer, f"{label}: Akana Input has no description")
    if parameter.default is not None:
        report.report(Code.DEFAULT_DROPPED, parameter.pointer,
                      f"{label}: default {literal(parameter.default)} is lost")
    if parameter.example is not None:
        report.report(Code.EXAMPLE_DROPPED, parameter.pointer, f"{label}: its example is lost")
    if parameter.deprecated:
        report.report(Code.DEPRECATION_DROPPED, parameter.pointer, f"{label}: cannot be marked deprecated")


def _restrictions(pointer: str | None, restrictions: Restrictions, label: str, report: Report) -> None:
    """One diagnostic per restriction that is set: Akana Input has none."""
    for key in restrictions.set_keys():
        code = _RESTRICTION_CODES.get(key, Code.RESTRICTION_DROPPED)
        report.report(code, pointer, f"{label}: restriction {key} is lost")
