"""``--akamai-mode import``: the spec itself, as the body of Akamai's server-side import (seed 002
"Create an Endpoint from an API Definition File"; akamai.json post-endpoints-file, JSON form with
``importFileSource`` BODY_BASE64), written as the payload file ``akamai-import.json`` (without
contractId and groupId, which the client adds from the payload's akamai.json).

Akamai imports Swagger 2.0 and RAML 0.8 (the seed), one file (the JSON form carries one file's
content). An OpenAPI 3 spec would first have to be converted to Swagger 2.0, and api-migrate has no
OpenAPI 2 emitter: such a spec is refused with that reason rather than converted by a stand-in."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

from migrate.core.errors import UsageError
from migrate.core.model import Api

FILE_NAME = "akamai-import.json"
FORMATS = {"swagger": "swagger", "raml": "raml"}  # our format name -> importFileFormat


def import_format(spec: Path, text: str) -> str:
    """importFileFormat for ``spec``; UsageError (exit 2) for what Akamai cannot import as is."""
    from migrate.core.errors import ReadError
    from migrate.source.detect import detect, detect_data
    from migrate.source.load import parse_text
    from migrate.source.references import referenced_files
    from migrate.source.refpolicy import RefPolicy

    try:
        kind, version = detect(text, str(spec))
        if not kind:  # the version key is not at the start of a line (JSON on one line, ...)
            kind, version = detect_data(parse_text(text, str(spec)), str(spec))
    except ReadError as exc:
        raise UsageError(exc.render()) from None
    if kind not in FORMATS:
        raise UsageError(f"{spec}: OpenAPI {version} cannot be imported by Akamai as is (Swagger 2.0 or RAML 0.8, "
                         "seed 002), and converting it to Swagger 2.0 needs an OpenAPI 2 emitter, which api-migrate "
                         "does not have")
    files = referenced_files(spec, RefPolicy(spec.resolve().parent), text=text)
    if files is None or len(files) > 1:
        raise UsageError(f"{spec}: the spec is made of several files; Akamai's import takes one file's content")
    return FORMATS[kind]


def import_body(api: Api) -> dict[str, Any]:
    """The import request body for the spec ``api`` was read from."""
    path = Path(api.source.path) if api.source is not None and api.source.path else None
    if path is None:
        raise UsageError("--akamai-mode import: the spec was not read from a file, so there is nothing to upload")
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"--akamai-mode import: cannot read {path}: {exc}") from None
    return {"importFileFormat": import_format(path, text), "importFileSource": "BODY_BASE64",
            "importFileContent": base64.b64encode(text.encode("utf-8")).decode("ascii")}
