"""api-migrate: move API definitions between formats and API platforms.

The public Python API is ``read``, ``convert`` and ``validate`` plus the model types; everything
else is internal and may change. Paths in the examples are relative to a clone's root folder.

>>> import migrate
>>> api = migrate.read("samples/petstore-swagger2.yaml")
>>> api.title, [r.path for r in api.resources][:2]
('Petstore', ['/pets', '/pets/{petId}'])
>>> options = migrate.EmitOptions(contract_id="C-1", group_id="7")
>>> result = migrate.convert("samples/petstore-swagger2.yaml", "akamai", options)
>>> result.payload.main().name, result.payload.report.counts()
('akamai.json', {'error': 0, 'warning': 42, 'info': 1})
>>> [(d.pointer, d.line) for d in result.diagnostics if d.code is migrate.Code.ENUM_DROPPED]
[('/paths/~1pets/get/parameters/1', 54)]
>>> migrate.validate("samples/orders-openapi30.yaml")
[]
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from migrate.core.diagnostics import Code, Diagnostic, Report, Severity
from migrate.core.errors import EmitError, MigrateError, PushError, ReadError, RefError
from migrate.core.model import (
    Api,
    Content,
    Operation,
    Parameter,
    Property,
    RequestBody,
    Resource,
    Response,
    Restrictions,
    Schema,
    SecurityScheme,
    Server,
)
from migrate.core.targets import TARGETS, VENDORS, EmitOptions

if TYPE_CHECKING:
    from migrate.conversion.run import Conversion
    from migrate.source.refpolicy import ReadOptions

__version__ = "0.1.0"

__all__ = [
    "TARGETS", "VENDORS", "Api", "Code", "Content", "Conversion", "Diagnostic", "EmitError", "EmitOptions",
    "MigrateError", "Operation", "Parameter", "Property", "PushError", "ReadError", "RefError", "Report",
    "RequestBody", "Resource", "Response", "Restrictions", "Schema", "SecurityScheme", "Server", "Severity",
    "convert", "read", "validate",
]


def __getattr__(name: str) -> Any:
    if name == "Conversion":  # imported on use: it brings in the readers and emitters
        from migrate.conversion.run import Conversion

        return Conversion
    raise AttributeError(f"module 'migrate' has no attribute {name!r}")


def _read_options(ref_root: str | Path | None, allow_remote_refs: bool) -> ReadOptions:
    from migrate.source.refpolicy import ReadOptions

    return ReadOptions(Path(ref_root) if ref_root else None, allow_remote_refs)


def read(path: str | Path, *, ref_root: str | Path | None = None, allow_remote_refs: bool = False) -> Api:
    """Read an OpenAPI 2.0/3.0/3.1 or RAML 0.8 file into the model. ``ref_root``: the folder
    ``$ref``/``!include`` targets must stay in (default: the spec's folder). Raises ``ReadError``
    (``RefError`` for a reference that may not or cannot be followed)."""
    from migrate.readers import read_spec

    return read_spec(path, _read_options(ref_root, allow_remote_refs))


def convert(spec: str | Path | Api, target: str, options: EmitOptions | None = None, *,
            ref_root: str | Path | None = None, allow_remote_refs: bool = False) -> Conversion:
    """Convert a spec file (or a model already read) for ``target`` (one of ``TARGETS``). The
    result holds the payload files and the loss report (``result.diagnostics``)."""
    from migrate.conversion.run import convert as run

    if isinstance(spec, Api):
        return run(spec.source.path if spec.source and spec.source.path else "<model>", target, options, api=spec)
    return run(spec, target, options, _read_options(ref_root, allow_remote_refs))


def validate(path: str | Path, *, target: str | None = None, ref_root: str | Path | None = None,
             allow_remote_refs: bool = False) -> list[Diagnostic]:
    """Findings of a spec against its format's specification and, with ``target``, what that
    target would reject or lose. Raises ``ReadError`` for unusable input."""
    from migrate.validation.run import target_findings, validate_source

    options = _read_options(ref_root, allow_remote_refs)
    found = validate_source(Path(path), options)
    if target is not None:
        found.extend(target_findings(Path(path), options, target))
    return found

