"""A fast proof of validity for Swagger 2.0 / OpenAPI 3.0 / 3.1 documents.

openapi-spec-validator (``migrate.validation.openapi``) stays the reference: ``proven_valid``
only answers "the library would report nothing here" (True) or "ask the library" (False). It
checks the document against the same official schemas the library ships, compiled by
jsonschema-rs (Rust), then repeats the library's keyword checks (``migrate.validation.fast.walk``),
with each schema's meta-check also compiled. Default values are checked by the library's own
value validator classes. A document with a ``$ref`` to another file, an unknown JSON Schema
dialect or anything else the fast path does not follow exactly goes to the library, so findings,
messages, pointers and the ``$ref`` safety rules are always the library's.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from migrate.validation.fast.walk import Unsure, Walk
from migrate.validation.jsondata import json_view

try:
    import jsonschema_rs
except ImportError:  # pragma: no cover - optional speed-up; the library alone is used then
    jsonschema_rs = None  # type: ignore[assignment]

#: document version key -> the library's schema for it (openapi_spec_validator.schemas)
DOCUMENT_SCHEMAS = {"2.0": "schema_v2", "3.0": "schema_v30", "3.1": "schema_v31"}
OAS31_DIALECT = "https://spec.openapis.org/oas/3.1/dialect/base"
DRAFT4 = "http://json-schema.org/draft-04/schema#"


def version_key(fmt: str, version: str) -> str | None:
    """"2.0", "3.0", "3.1" (as ``validate_openapi.validator_class`` picks them) or None."""
    if fmt == "swagger":
        return "2.0" if version in ("2", "2.0") else None
    key = version[:3] if fmt == "openapi" else ""
    return key if key in ("3.0", "3.1") else None


def available() -> bool:
    return jsonschema_rs is not None


def proven_valid(path: Path, data: Any, fmt: str, version: str, root: Path,
                 view: tuple[str, Any] | None = None) -> bool:
    """True when openapi-spec-validator is certain to find nothing in ``data`` (the parsed
    document at ``path``); False means "not proven": the library must validate it. ``view``:
    ``jsondata.json_view(data)`` when the caller has it (it is only read)."""
    key = version_key(fmt, version)
    if key is None or jsonschema_rs is None:
        return False
    try:
        text, spec = view or json_view(data)
        # an "$id" moves the base of the references below it (the library reads the document
        # as JSON Schema 2020-12); such documents are left to the library
        if '"$id"' in text:
            return False
        if not isinstance(spec, dict) or not document_validator(key).is_valid(spec):
            return False
        checks = Checks(key, spec, path)
        Walk(spec, key, checks.meta_valid, checks.default_valid).check()
    except Exception:  # Invalid, Unsure, or what the proof trips on (an unresolvable $ref): the library decides
        return False
    return True


@cache
def document_validator(key: str) -> Any:
    """The library's schema for version ``key``, compiled. Formats are not asserted (the
    library's document validator has no format checker)."""
    from openapi_spec_validator import schemas

    return jsonschema_rs.validator_for(dict(getattr(schemas, DOCUMENT_SCHEMAS[key])), validate_formats=False)


class Checks:
    """The version-specific schema meta-check and default-value check for one document."""

    def __init__(self, key: str, spec: dict[str, Any], path: Path) -> None:
        self.key, self.spec, self.path = key, spec, path
        self.dialect = spec.get("jsonSchemaDialect", OAS31_DIALECT) if key == "3.1" else DRAFT4
        self._resolver: Any = None

    def meta_valid(self, schema: Any) -> bool:
        dialect = self.dialect
        if self.key == "3.1" and isinstance(schema, dict) and "$schema" in schema:
            dialect = schema["$schema"]
        if dialect not in (OAS31_DIALECT, DRAFT4):
            raise Unsure(f"JSON Schema dialect {dialect!r}")
        return bool(meta_validator(dialect).is_valid(schema))

    def default_valid(self, schema: dict[str, Any], value: Any) -> bool:
        """The library's ValueValidator: the value against ``schema`` with OAS format checks,
        ``$ref`` resolved in the document."""
        from openapi_schema_validator import (
            OAS30Validator,
            OAS31Validator,
            oas30_format_checker,
            oas31_format_checker,
        )

        cls, formats = (OAS31Validator, oas31_format_checker) if self.key == "3.1" \
            else (OAS30Validator, oas30_format_checker)
        validator = cls(schema, _resolver=self.resolver(), format_checker=formats)
        return next(iter(validator.iter_errors(value)), None) is None

    def resolver(self) -> Any:
        """A resolver of the document, as jsonschema_path builds it (2020-12 resource at the
        file's URI)."""
        if self._resolver is None:
            from referencing import Registry
            from referencing.jsonschema import DRAFT202012

            uri = self.path.resolve().as_uri()
            registry: Any = Registry().with_resource(uri, DRAFT202012.create_resource(self.spec))
            self._resolver = registry.resolver(base_uri=uri)
        return self._resolver


@cache
def meta_validator(dialect: str) -> Any:
    """Compiled meta-check of a schema object, as the library runs it (``check_schema`` of
    OAS30Validator / the OAS 3.1 dialect): the dialect's meta-schema, formats asserted by the
    OAS format checker's own functions and every other format left unchecked, like the library."""
    from openapi_schema_validator import oas30_format_checker, oas31_format_checker
    from openapi_schema_validator._specifications import REGISTRY

    checker = oas31_format_checker if dialect == OAS31_DIALECT else oas30_format_checker
    contents = REGISTRY.contents(dialect)
    formats = {name: _always for name in _formats_in(REGISTRY)}
    formats.update({name: _conforms(checker, name) for name in checker.checkers})
    resources = [(uri, REGISTRY.contents(uri)) for uri in _oas_uris(REGISTRY)]
    return jsonschema_rs.validator_for(dict(contents), validate_formats=True, formats=formats,
                                       registry=jsonschema_rs.Registry(resources))


def _always(value: str) -> bool:
    return True


def _conforms(checker: Any, name: str) -> Any:
    def check(value: str) -> bool:
        return bool(checker.conforms(value, name))

    return check


def _oas_uris(registry: Any) -> list[str]:
    return sorted(uri for uri in registry if uri.startswith("https://spec.openapis.org/"))


def _formats_in(registry: Any) -> set[str]:
    """Every format name used by the meta-schemas, so that jsonschema-rs asserts none of them
    unless the OAS checker does."""
    found: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("format"), str):
                found.add(node["format"])
            for child in node.values():
                walk(child)
        elif isinstance(node, list):
            for child in node:
                walk(child)

    for uri in registry:
        walk(registry.contents(uri))
    return found
