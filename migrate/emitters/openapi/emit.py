"""``--to openapi``: an OpenAPI 3.0.3 JSON document from the model (payload file ``openapi.json``).

This is the general conversion RAML 0.8 / Swagger 2.0 / OpenAPI 3.1 -> OpenAPI 3.0.3: named
schemas become ``components/schemas`` with ``$ref`` (recursion stays a reference), parameters get
a schema with their restrictions and a style/explode from ``collectionFormat``, request bodies
and responses are keyed by media type, servers, security schemes, security, tags and ``x-``
extensions are carried back. Whatever 3.0.3 cannot express is reported.

Formatting choice (templates rule): ``templates/openapi/document.json.j2`` writes the top-level
sections Python prepared, every value through ``tojson``; the rendered text is parsed back and
the file is that parsed document in canonical form (2-space indent, trailing newline). So the
template (or a user's shadowing template) decides the content, Python the byte layout, and the
output is deterministic whatever whitespace a template uses. See ``oas_out_document``.
"""

from __future__ import annotations

import copy

from migrate.core.diagnostics import Code, Report, literal
from migrate.core.model import Api
from migrate.emitters.base import EmitOptions, Payload
from migrate.emitters.openapi.document import build_document, render_json
from migrate.transforms import apply
from migrate.validation.emitted import check_openapi_output

TARGET = "openapi"
TEMPLATE = "openapi/document.json.j2"
FILE_NAME = "openapi.json"


def dedupe_operation_ids(api: Api, report: Report) -> Api:
    """OpenAPI requires unique operationIds: a repeated one gets ``_2``, ``_3`` ... (missing ids
    stay missing: OpenAPI does not require them)."""
    ids = [op.operation_id for _, op in api.operations() if op.operation_id]
    if len(ids) == len(set(ids)):
        return api
    api = copy.deepcopy(api)
    taken = set(ids)
    seen: set[str] = set()
    for _, op in api.operations():
        original = op.operation_id
        if not original:
            continue
        if original not in seen:
            seen.add(original)
            continue
        n = 2
        while f"{original}_{n}" in taken:
            n += 1
        op.operation_id = f"{original}_{n}"
        taken.add(op.operation_id)
        report.report(Code.OPERATION_ID_RENAMED, op.pointer, f"operationId {literal(original)} is used twice; this one "
                      f"became {literal(op.operation_id)}")
    return api


STEPS = (dedupe_operation_ids,)


def emit(api: Api, options: EmitOptions) -> Payload:
    """Render ``api`` as one OpenAPI 3.0.3 document."""
    payload = Payload(TARGET)
    api = apply(api, STEPS, payload.report)
    document = build_document(api, payload.report)
    payload.files.append(render_json(TEMPLATE, document, TARGET, FILE_NAME, options.templates_dir))
    check_openapi_output(FILE_NAME, payload.main().document, payload.report, payload.main().text)
    return payload
