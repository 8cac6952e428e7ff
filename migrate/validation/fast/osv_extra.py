"""openapi-spec-validator with compiled pre-checks, for documents the fast path did not prove valid.

The library still walks the document and writes every finding. Two of its checks are first
tried compiled (jsonschema-rs, the same schemas as ``migrate.validation.fast.check``): the whole-document
schema check and the meta-check of each schema object. When the compiled check passes, the
library's pure-Python check is skipped (it would report nothing: the fast path rests on the same
equivalence, and tests/test_validate_fast_corpus.py compares both on the corpus); when it fails,
the library's check runs and reports in its own words.

Third, the schema walk is pruned (``_pruning``): before the library descends into a schema from a
non-nested call, the fast path's ``Walk`` (plain data, the library's traversal order and
identity de-duplication, seeded with the schemas the library has already visited) checks every
schema it would reach. When that finds nothing the library would report (meta-check passed,
every ``default`` valid, every subschema an object, ``required`` names defined), the schemas are
marked visited, as the library's own walk would have left them, and the library skips them. Only
schemas with a problem (or that the fast path is unsure about) are walked by the library, which
writes the findings, so messages, pointers and their order stay the library's.

Fourth, for a document that fails its schema (2.0, 3.0), the compiled check of each top-level
member tells which members fail; the library's schema check then runs with the passing members'
schemas left out (``_DocumentCheck``), and when the failing members are ones the library's keyword
walk never visits (``info``, ``servers``, ``host`` ...; no ``$ref`` reaching into them) and the
fast ``Walk`` of the rest passes, the keyword walk is skipped (``_Document.keyword_errors``): a
large spec whose only fault is a server variable without a default is checked in a fraction of
the time, with the same findings. The same holds when that ``Walk`` finds schemas failing their
meta-check and nothing else (2.0, 3.0): the library would report each with one error of its own
and go on; that error is made by the library's own check, at the path its walk reaches the schema
by, in the order its walk meets them. tests/test_validate_fast_corpus.py compares the findings
with the library alone's on every invalid corpus spec, tests/test_validate_fast.py on fixtures.

Fifth, when the library's keyword walk does run, each path item is first walked by the fast
``Walk`` sharing the library's state (visited and meta-checked schemas, operation ids): an item in
which it finds nothing is skipped, the state left as the library's walk would have left it
(``_path_proven``); an item with a problem is walked by the library, which reports it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from contextvars import ContextVar
from functools import cache, lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from jsonschema.exceptions import ValidationError
from openapi_spec_validator.validation.validators import SpecValidator

from migrate.validation.fast.check import (
    DOCUMENT_SCHEMAS,
    DRAFT4,
    OAS31_DIALECT,
    Checks,
    document_validator,
    meta_validator,
)
from migrate.validation.fast.walk import Walk


class _Ids:
    """The library's list of visited schema ids (it only appends and tests membership) as a set,
    shared with the ``Walk`` that prunes; additions since ``mark`` can be undone."""

    def __init__(self) -> None:
        self.ids: set[int] = set()
        self.added: list[int] | None = None

    def __contains__(self, item: object) -> bool:
        return item in self.ids

    def append(self, item: int) -> None:
        if item not in self.ids:
            self.ids.add(item)
            if self.added is not None:
                self.added.append(item)

    add = append

    def mark(self) -> None:
        self.added = []

    def keep(self) -> None:
        self.added = None

    def undo(self) -> None:
        self.ids.difference_update(self.added or ())
        self.added = None


class _Document:
    """The document being validated, for the pruning walk."""

    def __init__(self, text: str, spec: Any, key: str, path: Path) -> None:
        self.spec, self.key, self.path = spec, key, path
        # an "$id" moves the base of the references below it: no pruning then
        self.usable = isinstance(spec, dict) and '"$id"' not in text
        self.checks = Checks(key, spec, path) if self.usable else None
        self.walk: Walk | None = None
        self.text = text
        #: the top-level members failing the document schema (set by ``_DocumentCheck``)
        self.failing: frozenset[str] | None = None
        #: the walk of whole path items (``_path_proven``) and how much of the library's list of
        #: operation ids it has taken in
        self.path_walk: Walk | None = None
        self.ids_synced = 0

    def keyword_errors(self, registry: Any, root: Any) -> list[ValidationError] | None:
        """What the library's keyword walk of the document (``root``, its SchemaPath) would report,
        without that walk; None when this is not known (the library walks). Known when the
        document fails its schema only in members the walk never visits (``WALKED_MEMBERS``) or
        nowhere, no ``$ref`` reaches into those, and the fast path's ``Walk`` of the rest (the
        premise it rests on: those members conform) finds no problem other than schemas failing
        their meta-check (2.0, 3.0). The library reports such a schema with one error and goes on;
        that error is the library's own (``_meta_errors``), in the order its walk meets them."""
        if self.failing is None or self.checks is None or self.failing & WALKED_MEMBERS:
            return None
        for ref in _REF.findall(self.text):
            pointer = unquote(ref)
            if not pointer.startswith("/"):  # the whole document, an anchor, another file
                return None
            first = pointer[1:].split("/", 1)[0].replace("~1", "/").replace("~0", "~")
            if first in self.failing or "\\" in first:
                return None
        walk = Walk(self.spec, self.key, self.checks.meta_valid, self.checks.default_valid)
        if self.key in _COLLECTED:
            walk.failures = []
        try:
            if walk.failures is None:
                walk.component_schemas_meta_valid()  # the same answer; a faulty schema found before the paths' walk
            walk.check()
        except Exception:  # Invalid, Unsure, or what the walk trips on (an unresolvable $ref): the library decides
            return None
        return _meta_errors(registry["schema"], root, walk.failures or [])


#: the versions whose schemas failing the meta-check are reported here (``_Document.keyword_errors``):
#: their meta-check does not depend on where the schema is (3.1's reads the document's dialect)
_COLLECTED = ("2.0", "3.0")


def _meta_errors(schemas: Any, root: Any, failures: list[tuple[tuple[Any, ...], Any]]) -> list[ValidationError] | None:
    """The library's error for each schema failing its meta-check: its schema keyword validator's
    own ``_validate_schema_meta`` at the SchemaPath the library reaches the schema by, the path set
    as ``migrate.validation.openapi``'s locating wrapper sets it. None when the library's check
    passes one of them after all (the library then walks)."""
    from collections import deque

    from migrate.validation.openapi import mark_located

    # the library makes the path of a member it iterates (a path, a response code) from its parts,
    # not by ``/``, which would parse a key such as "/#Action=X" as a path of its own
    clone = getattr(root, "_clone_with_parts", None)
    if clone is None:
        return None
    errors = []
    for at, value in failures:
        where = clone((*root.parts, *at))
        error = schemas._validate_schema_meta(where, value)
        if error is None:
            return None
        error.path = error.relative_path = deque([*where.parts, *error.absolute_path])
        mark_located(error)
        errors.append(error)
    return errors


#: what follows ``#`` in every ``$ref`` of a document's JSON text (``json_view``); a reference to
#: another file (no ``#`` first) is not matched: the fast ``Walk`` is unsure of those itself
_REF = re.compile(r'"\$ref": *"#([^"]*)"')


#: the document ``migrate.validation.openapi.validate_openapi`` is validating (accelerated only)
DOCUMENT: ContextVar[_Document | None] = ContextVar("osv_extra_document", default=None)


def pruning(text: str, spec: Any, key: str, path: Path) -> Any:
    """Set the document (``spec`` read from the JSON ``text``) for the pruning walk; returns the
    token for ``DOCUMENT.reset``."""
    return DOCUMENT.set(_Document(text, spec, key, path))


def _always(schema: Any) -> bool:
    return True


class _DocumentCheck:
    """The library's document validator behind a compiled pre-check. When the document fails,
    the compiled check of each top-level member against its own schema tells which members fail;
    the library's check then runs with the others' member schemas left out (``_reduced``), since
    they would add nothing: the same findings, in the same order, without the pure-Python walk of
    the members that pass (on a large spec with one bad server variable, nearly all of it)."""

    def __init__(self, key: str, slow: Any) -> None:
        self.key, self.slow = key, slow

    def iter_errors(self, instance: Any) -> Iterator[ValidationError]:
        document = DOCUMENT.get()
        ours = document if document is not None and document.spec is instance else None
        if document_validator(self.key).is_valid(instance):
            if ours is not None:
                ours.failing = frozenset()
            return iter(())
        failing = failing_members(self.key, instance)
        if ours is not None:
            ours.failing = failing
        if failing is None:
            return iter(self.slow.iter_errors(instance))
        passing = frozenset(name for name in instance if name in _member_names(self.key) and name not in failing)
        return iter(_reduced(self.key, passing).iter_errors(instance))


#: versions whose document schema is draft 4 (one ``properties`` keyword decides each member; the
#: 3.1 schema evaluates members through ``unevaluatedProperties``, which is left whole)
_MEMBERWISE = ("2.0", "3.0")
#: the top-level members the library's keyword walk visits (``RootValidator``)
WALKED_MEMBERS = frozenset({"tags", "paths", "components"})


def _document_schema(key: str) -> dict[str, Any]:
    from openapi_spec_validator import schemas

    return dict(getattr(schemas, DOCUMENT_SCHEMAS[key]))


@cache
def _member_names(key: str) -> frozenset[str]:
    return frozenset(_document_schema(key)["properties"])


@cache
def _member_validator(key: str, name: str) -> Any:
    """Compiled: the document schema's ``properties`` keyword for member ``name`` alone (with the
    schema's definitions), for ``{name: value}``."""
    import jsonschema_rs

    root = _document_schema(key)
    schema: dict[str, Any] = {k: root[k] for k in ("$schema", "id", "definitions") if k in root}
    schema["properties"] = {name: root["properties"][name]}
    return jsonschema_rs.validator_for(schema, validate_formats=False)


def failing_members(key: str, instance: Any) -> frozenset[str] | None:
    """The top-level members of ``instance`` that fail their member schema (compiled), or None
    when this cannot be told member by member (3.1, not a mapping)."""
    if key not in _MEMBERWISE or not isinstance(instance, Mapping):
        return None
    names = _member_names(key)
    return frozenset(name for name, value in instance.items()
                     if name in names and not _member_validator(key, name).is_valid({name: value}))


@lru_cache(maxsize=64)
def _reduced(key: str, passing: frozenset[str]) -> Any:
    """The library's (pure-Python) document validator with the member schemas of ``passing``
    replaced by ``{}``: every other keyword (required, additionalProperties, patternProperties, the
    failing members' schemas) is as the library has it, so are their errors and their order."""
    from openapi_spec_validator.schemas.backend.jsonschema import create_validator

    from migrate.validation.openapi import InDocumentOrder

    root = _document_schema(key)
    root["properties"] = {name: ({} if name in passing else schema) for name, schema in root["properties"].items()}
    return InDocumentOrder(create_validator(root))


def accelerated(cls: type[SpecValidator], key: str) -> type[SpecValidator]:
    """``cls`` (a validator class of ``migrate.validation.openapi``) with compiled pre-checks."""
    slow_schema: Any = cls.keyword_validators["schema"]

    def _validate_schema_meta(self: Any, schema: Any, schema_value: Any) -> Any:
        if _meta_proven(self, key, schema, schema_value):
            return None
        return slow_schema._validate_schema_meta(self, schema, schema_value)

    def __init__(self: Any, registry: Any) -> None:
        slow_schema.__init__(self, registry)
        self.visited_schema_ids = _Ids()
        self.meta_checked_schema_ids = _Ids()

    def __call__(self: Any, schema: Any, require_properties: bool = True,
                 meta_checked: bool = False) -> Iterator[ValidationError]:
        _prune(self, key, schema, require_properties, meta_checked)
        return slow_schema.__call__(self, schema, require_properties, meta_checked)

    fast_schema = type(slow_schema.__name__, (slow_schema,), {"_validate_schema_meta": _validate_schema_meta,
                                                               "__init__": __init__, "__call__": __call__})
    slow_root: Any = cls.keyword_validators["__root__"]

    def _root(self: Any, spec: Any) -> Iterator[ValidationError]:
        document = DOCUMENT.get()
        errors = None if document is None else document.keyword_errors(self.registry, spec)
        if errors is not None:
            return iter(errors)
        return slow_root.__call__(self, spec)

    fast_root = type(slow_root.__name__, (slow_root,), {"__call__": _root})
    slow_path: Any = cls.keyword_validators["path"]

    def _path(self: Any, url: str, path_item: Any) -> Iterator[ValidationError]:
        if _path_proven(self, key, url, path_item):
            return iter(())
        return slow_path.__call__(self, url, path_item)

    fast_path = type(slow_path.__name__, (slow_path,), {"__call__": _path})
    keywords = {**cls.keyword_validators, "schema": fast_schema, "__root__": fast_root, "path": fast_path}
    return type(cls.__name__, (cls,), {"keyword_validators": keywords, "accelerated_key": key,
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


def _prune(validator: Any, key: str, schema: Any, require_properties: bool, meta_checked: bool) -> None:
    """Mark the schemas reached from ``schema`` visited when the library's walk of them (meta
    check included) would report nothing; else leave everything to the library."""
    document = DOCUMENT.get()
    if document is None or not document.usable:
        return
    value = schema.read_value()
    visited: _Ids = validator.visited_schema_ids
    if not isinstance(value, Mapping) or id(value) in visited:
        return
    if not meta_checked and id(value) not in validator.meta_checked_schema_ids \
            and not _meta_proven(validator, key, schema, value):
        return
    if document.walk is None:
        checks = document.checks
        assert checks is not None
        document.walk = Walk(document.spec, key, _always, checks.default_valid)
        document.walk.visited = visited  # type: ignore[assignment]
    visited.mark()
    try:
        document.walk.schema(value, top=require_properties)
    except Exception:  # Invalid, Unsure, or what the walk trips on (an unresolvable $ref): the library decides
        visited.undo()
        return
    visited.keep()


def _path_proven(validator: Any, key: str, url: str, path_item: Any) -> bool:
    """True when the library's walk of one path item (its parameters, operations, responses and
    the schemas they reach) would report nothing; the library's state is then left as its own walk
    would have left it (operation ids registered, schemas visited and meta-checked), so the items
    after it are checked exactly as before. Anything else is left to the library."""
    document = DOCUMENT.get()
    if document is None or not document.usable or document.checks is None:
        return False
    registry = validator.registry
    schemas, operations = registry["schema"], registry["operation"]
    visited, meta = schemas.visited_schema_ids, schemas.meta_checked_schema_ids
    ids: list[Any] | None = operations.operation_ids_registry
    if not isinstance(visited, _Ids) or not isinstance(meta, _Ids) or ids is None:
        return False
    walk = document.path_walk
    if walk is None:
        walk = document.path_walk = Walk(document.spec, key, document.checks.meta_valid, document.checks.default_valid)
        walk.visited, walk.meta_checked = visited, meta  # type: ignore[assignment]
        walk.operation_ids = _Ids()  # type: ignore[assignment]
    seen: _Ids = walk.operation_ids  # type: ignore[assignment]
    marks = (visited, meta, seen)
    try:
        seen.ids.update(ids[document.ids_synced:])  # what the library registered since (unhashable: TypeError)
        document.ids_synced = len(ids)
        for ids_set in marks:
            ids_set.mark()
        walk.path(url, walk.mapping(path_item.read_value()))
    except Exception:  # Invalid, Unsure, or what the walk trips on (an unresolvable $ref): the library decides
        for ids_set in marks:
            ids_set.undo()
        return False
    ids.extend(seen.added or ())  # only membership is asked of the library's list
    document.ids_synced = len(ids)
    for ids_set in marks:
        ids_set.keep()
    return True
