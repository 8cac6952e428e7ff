"""``--akamai-mode import``: the spec itself, as the body of Akamai's server-side import (seed 002
"Create an Endpoint from an API Definition File"; akamai.json post-endpoints-file, JSON form with
``importFileSource`` BODY_BASE64), written as the payload file ``akamai-import.json`` (without
contractId and groupId, which the client adds from the payload's akamai.json).

Akamai imports RAML 0.8 and "Swagger 2.0 or 3.0 files" (akamai.json ``importFileFormat`` of
post-endpoints-file and post-endpoint-version-file; format ``swagger`` for both), one file (the
JSON form carries one file's content). Swagger 2.0, OpenAPI 3.0 and RAML 0.8 are uploaded as they
are; an OpenAPI 3.1 spec is first converted by our OpenAPI emitter to 3.0.3, and what that
conversion loses is reported (each diagnostic prefixed "sent to Akamai's import as OpenAPI 3.0.3")."""

from __future__ import annotations

import base64
from dataclasses import replace
from pathlib import Path
from typing import Any

from migrate.core.diagnostics import Diagnostic, Report
from migrate.core.errors import UsageError
from migrate.core.model import Api
from migrate.emitters.base import EmitOptions

FILE_NAME = "akamai-import.json"
FORMATS = {"swagger": "swagger", "raml": "raml", "openapi": "swagger"}  # our format name -> importFileFormat
#: the prefix of what converting an OpenAPI 3.1 spec to 3.0.3 for the import lost
CONVERTED = "sent to Akamai's import as OpenAPI 3.0.3"


def import_format(spec: Path, text: str) -> str:
    """importFileFormat for ``spec``; UsageError (exit 2) for what Akamai cannot import. An
    OpenAPI 3.1 spec is importable once converted (``needs_conversion``)."""
    from migrate.core.errors import ReadError
    from migrate.source.references import referenced_files
    from migrate.source.refpolicy import RefPolicy

    try:
        kind, _ = _kind(spec, text)
    except ReadError as exc:
        raise UsageError(exc.render()) from None
    if kind not in FORMATS:  # pragma: no cover - detect() refuses anything else
        raise UsageError(f"{spec}: Akamai imports Swagger 2.0, OpenAPI 3.0 and RAML 0.8 files only")
    files = referenced_files(spec, RefPolicy(spec.resolve().parent), text=text)
    if files is None or len(files) > 1:
        raise UsageError(f"{spec}: the spec is made of several files; Akamai's import takes one file's content")
    return FORMATS[kind]


def needs_conversion(spec: Path, text: str) -> bool:
    """True for OpenAPI 3.1, which Akamai's import does not take as is (3.0 only)."""
    kind, version = _kind(spec, text)
    return kind == "openapi" and not version.startswith("3.0")


def _kind(spec: Path, text: str) -> tuple[str, str]:
    from migrate.source.detect import detect, detect_data
    from migrate.source.load import parse_text

    kind, version = detect(text, str(spec))
    if not kind:  # the version key is not at the start of a line (JSON on one line, ...)
        kind, version = detect_data(parse_text(text, str(spec)), str(spec))
    return kind, version


def converted(text: str, diagnostics: list[Diagnostic], report: Report) -> str:
    """Our OpenAPI 3.0.3 conversion's text, its diagnostics reported as losses of the upload."""
    for found in diagnostics:
        report.extend([replace(found, message=f"{CONVERTED}: {found.message}")])
    return text


def refuse_ignored(options: EmitOptions) -> None:
    """UsageError for the options Akamai's import would not honour: it names the endpoint from the
    spec's title, takes its hostname from the spec and sets no category (seed 002 "Create an
    Endpoint from an API Definition File": the body carries the file, contract and group only)."""
    given = [flag for flag, value in (("--name", options.name), ("--host", options.host),
                                      ("--category", options.categories)) if value]
    if given:
        raise UsageError(f"{', '.join(given)} cannot be used with --akamai-mode import: Akamai's import names the "
                         "endpoint from the spec's title, serves the spec's own host and sets no category (change "
                         "the spec, or push without --akamai-mode import)")


def import_body(api: Api, report: Report) -> dict[str, Any]:
    """The import request body for the spec ``api`` was read from (OpenAPI 3.1: our 3.0.3
    conversion of ``api``, its losses in ``report``)."""
    path = Path(api.source.path) if api.source is not None and api.source.path else None
    if path is None:
        raise UsageError("--akamai-mode import: the spec was not read from a file, so there is nothing to upload")
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"--akamai-mode import: cannot read {path}: {exc}") from None
    fmt = import_format(path, text)
    if needs_conversion(path, text):
        from migrate.emitters.openapi.emit import emit as openapi

        made = openapi(api, EmitOptions())
        text = converted(made.main().text, list(made.report), report)
    return {"importFileFormat": fmt, "importFileSource": "BODY_BASE64",
            "importFileContent": base64.b64encode(text.encode("utf-8")).decode("ascii")}
