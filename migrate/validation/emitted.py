"""Every emitted OpenAPI document is checked before it is written: the same verdict as
``api-migrate validate`` (openapi-spec-validator, with the compiled proof of validity first, so
a valid document costs one compiled check), and each finding is an error-level
``OUTPUT_INVALID`` diagnostic naming the file and the place in it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from migrate.core.diagnostics import Code, Report
from migrate.source.refpolicy import RefPolicy

#: the output's own name stands for its path; its references are internal (``#/components/...``),
#: and a reference to anything else is refused by this policy rather than fetched
_NOWHERE = Path("/nonexistent-emitted-document-root")


def check_openapi_output(name: str, document: Any, report: Report, text: str | None = None) -> None:
    """Report every openapi-spec-validator finding in the emitted OpenAPI ``document``. ``text``:
    the JSON text ``document`` was read from with ``json.loads`` (the written file), which then
    serves as the checks' JSON view (``jsondata.json_view``) instead of a second encoding."""
    from migrate.core.errors import ReadError
    from migrate.validation.fast.check import proven_valid
    from migrate.validation.openapi import validate_openapi

    path = _NOWHERE / name
    version = str(document.get("openapi", "")) if isinstance(document, dict) else ""
    view = (text, document) if text is not None else None
    if proven_valid(path, document, "openapi", version, _NOWHERE, view):
        return
    try:
        findings = validate_openapi(path, document, "openapi", version, RefPolicy(_NOWHERE), accelerated=True,
                                    view=view)
    except ReadError as exc:
        report.report(Code.OUTPUT_INVALID, "", f"{name} cannot be validated: {exc.render()}")
        return
    for d in findings:
        report.report(Code.OUTPUT_INVALID, "", f"{name} is not valid OpenAPI {version} at "
                      f"{d.pointer or '/'}: {d.message}")
