"""Frends API management: an OpenAPI 3.0.3 document ready for ``api-specifications/import``
(``frends-openapi.json``) and, with ``EmitOptions.passthrough_target``, the API passthrough
configuration bodies (``frends-passthrough.json``).

The document is the general OpenAPI 3.0.3 conversion (``migrate.emitters.openapi.emit``) after the
Frends steps: unique operationIds, concrete response codes, literal properties for top-level
compositions, and one server whose URL is the base path (``frends_steps``).

Passthrough: one body per operation (``isDefault: false``) rather than one default body. The
seed's ``path``/``method`` name a source operation, and ``targetUrl.operationPath`` its path on
the backend, so per-operation bodies say exactly where every operation is forwarded and can be
reviewed or edited one by one. ``targetUrl.server`` is the target URL's scheme and host,
``basePath`` its path, ``query`` its query string. CORS is left off (the spec says nothing of it).
"""

from __future__ import annotations

import dataclasses
from typing import Any
from urllib.parse import urlsplit

from migrate.core.diagnostics import Code, Report, literal
from migrate.core.errors import EmitError
from migrate.core.model import Api, Server
from migrate.emitters.base import EmitOptions, Payload
from migrate.emitters.frends.steps import STEPS as FRENDS_STEPS
from migrate.emitters.frends.steps import server_pointer
from migrate.emitters.openapi.document import build_document, render_json
from migrate.emitters.openapi.emit import dedupe_operation_ids
from migrate.emitters.openapi.paths import OAS30_METHODS, path_key
from migrate.transforms import apply, unique_operation_ids
from migrate.validation.emitted import check_openapi_output

TARGET = "frends"
DOCUMENT_TEMPLATE = "frends/openapi.json.j2"
PASSTHROUGH_TEMPLATE = "frends/passthrough.json.j2"
STEPS = (unique_operation_ids, dedupe_operation_ids, *FRENDS_STEPS)


def emit(api: Api, options: EmitOptions) -> Payload:
    """The Frends import document, plus passthrough bodies when a target URL is given."""
    payload = Payload(TARGET)
    if options.base_path:
        api = with_base_path(api, options.base_path, payload.report)
    api = apply(api, STEPS, payload.report)
    document = build_document(api, payload.report)
    payload.files.append(render_json(DOCUMENT_TEMPLATE, document, TARGET, "frends-openapi.json",
                                     options.templates_dir))
    check_openapi_output("frends-openapi.json", payload.main().document, payload.report, payload.main().text)
    if options.passthrough_target:
        bodies = passthrough_bodies(api, options.passthrough_target)
        payload.files.append(render_json(PASSTHROUGH_TEMPLATE, bodies, TARGET, "frends-passthrough.json",
                                         options.templates_dir))
    return payload


def with_base_path(api: Api, base: str, report: Report) -> Api:
    """``--base-path``: the API's identity in Frends (one API per base path), in place of the
    path of the spec's first server; the servers it replaces are reported."""
    base = "/" + base.strip("/") if base.strip("/") else "/"
    where = server_pointer(api)
    for i, server in enumerate(api.servers):
        if server.url != base:
            report.report(Code.SERVER_DROPPED, f"{where}/{i}" if where == "/servers" else where,
                          f"server {literal(server.url)} is replaced by --base-path {base}")
    return dataclasses.replace(api, servers=[Server(url=base, base_path=base)])


def passthrough_bodies(api: Api, target_url: str) -> list[dict[str, Any]]:
    """One passthrough configuration body per operation that the document carries."""
    target = _target(target_url)
    bodies = []
    for resource, op in api.operations():
        if op.method.upper() not in OAS30_METHODS:
            continue
        path = path_key(resource.path)
        bodies.append({
            "path": path,
            "method": op.method.upper(),
            "isDefault": False,
            "corsEnabled": False,
            "allowedOrigins": [],
            "targetUrl": {"server": target["server"], "basePath": target["basePath"], "operationPath": path,
                          "query": target["query"]},
            "headers": [],
        })
    return bodies


def _target(url: str) -> dict[str, str]:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise EmitError(TARGET, f"passthrough target {literal(url)} is not an absolute http(s) URL")
    return {"server": f"{parts.scheme}://{parts.netloc}", "basePath": parts.path.rstrip("/"), "query": parts.query}
