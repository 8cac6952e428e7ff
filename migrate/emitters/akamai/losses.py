"""Reports the API-, server-, resource- and operation-level source features that the Akamai
create-endpoint body (Endpoint schema) has no member for: version, tags, server descriptions,
operationIds, responses and extensions of resources."""

from __future__ import annotations

from migrate.core.diagnostics import Code, Report, literal
from migrate.core.model import Api, Operation, Resource, Server
from migrate.core.pointers import pointer_join
from migrate.emitters.common import api_pointer, server_pointer


def report_api(api: Api, report: Report) -> None:
    """Version, API tags and server descriptions."""
    if api.version:
        # apiEndPointVersion / versionNumber are assigned by Akamai, not taken from the body
        report.report(Code.VERSION_DROPPED, api_pointer(api, "version"),
                      f"version {literal(api.version)}: Akamai numbers endpoint versions itself")
    if api.tags:
        report.report(Code.TAG_DROPPED, api_pointer(api, "tags"),
                      f"tags {', '.join(map(literal, api.tags))}: Akamai endpoints have no tags")
    for i, server in enumerate(api.servers):
        if server.description:
            report.report(Code.DESCRIPTION_DROPPED, server_pointer(api, i),
                          f"the description of server {literal(server.url)} has no place in an Akamai endpoint")


def server_at(api: Api, server: Server) -> str:
    """The source pointer of ``server`` (one of ``api.servers``)."""
    return server_pointer(api, api.servers.index(server))


def report_resource(resource: Resource, report: Report) -> None:
    for key in sorted(resource.extensions):
        if key.startswith("x-"):
            report.report(Code.EXTENSION_DROPPED, pointer_join(resource.pointer or "", key),
                          f"extension {key} of resource {resource.path} is not carried over")


def report_operation(resource: Resource, op: Operation, report: Report) -> None:
    """The operation's name, tags and responses."""
    where = f"{op.method} {resource.path}"
    if op.operation_id:
        report.report(Code.OPERATION_ID_DROPPED, op.pointer,
                      f"{where}: Akamai methods have no name; operationId {literal(op.operation_id)} is lost")
    if op.tags:
        report.report(Code.TAG_DROPPED, op.pointer,
                      f"{where}: tags {', '.join(map(literal, op.tags))} have no place in Akamai")
    if op.responses:
        report.report(Code.RESPONSES_DROPPED, op.pointer, f"{where}: responses "
                      f"{', '.join(r.status for r in op.responses)} are left out (Akamai endpoints do not "
                      "describe responses)")
