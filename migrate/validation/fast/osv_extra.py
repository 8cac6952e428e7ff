"""openapi-spec-validator with compiled pre-checks, for documents the fast path did not prove valid.

The library still walks the document and writes every finding. Two of its checks are first
tried compiled (jsonschema-rs, the same schemas as ``migrate.validation.fast.check``): the whole-document
schema check and the meta-check of each schema object. When the compiled check passes, the
library's pure-Python check is skipped (it would report nothing: the fast path rests on the same
equivalence, and tests/test_validate_fast_corpus.py compares both on the corpus); when it fails,
the library's check runs and reports in its own words.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from jsonschema.exceptions import ValidationError
from openapi_spec_validator.validation.validators import SpecValidator

from migrate.validation.fast.check import DRAFT4, OAS31_DIALECT, document_validator, meta_validator


class _DocumentCheck:
    """The library's document validator behind a compiled pre-check."""

    def __init__(self, key: str, slow: Any) -> None:
        self.key, self.slow = key, slow

    def iter_errors(self, instance: Any) -> Iterator[ValidationError]:
        if document_validator(self.key).is_valid(instance):
            return iter(())
        return iter(self.slow.iter_errors(instance))


def accelerated(cls: type[SpecValidator], key: str) -> type[SpecValidator]:
    """``cls`` (a validator class of ``migrate.validation.openapi``) with compiled pre-checks."""
    slow_schema: Any = cls.keyword_validators["schema"]

    def _validate_schema_meta(self: Any, schema: Any, schema_value: Any) -> Any:
        if _meta_proven(self, key, schema, schema_value):
            return None
        return slow_schema._validate_schema_meta(self, schema, schema_value)

    fast_schema = type(slow_schema.__name__, (slow_schema,), {"_validate_schema_meta": _validate_schema_meta})
    keywords = {**cls.keyword_validators, "schema": fast_schema}
    return type(cls.__name__, (cls,), {"keyword_validators": keywords,
                                       "schema_validator": _DocumentCheck(key, cls.schema_validator)})


def _meta_proven(validator: Any, key: str, schema: Any, value: Any) -> bool:
    dialect = DRAFT4
    if key == "3.1":
        try:
            dialect = validator._get_schema_dialect_id(schema, value)
        except ValueError:
            return False
    if dialect not in (DRAFT4, OAS31_DIALECT):
        return False
    return bool(meta_validator(dialect).is_valid(value))
