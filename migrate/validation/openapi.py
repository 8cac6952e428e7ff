"""Swagger 2.0 / OpenAPI 3.0 / 3.1 validation with openapi-spec-validator, under our $ref policy.

openapi-spec-validator is the reference for the verdict. Two things are added around it:

* ``$ref`` targets are fetched only by ``_PolicyHandlers``: files inside the ref root (read through
  ``migrate.source.load``, so the same size/encoding/alias-bomb rules apply) and http(s) only when
  ``allow_remote_refs`` is set. The library's own handlers (urllib for any scheme) are never used.
* Its keyword checks (duplicate operation ids, unresolved path parameters, ...) report errors
  without a location; every keyword validator is wrapped so that its errors carry the JSON path
  of the node it was checking.
"""

from __future__ import annotations

import ast
import contextlib
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from functools import cache, partial
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urldefrag, urljoin, urlsplit

from jsonschema.exceptions import SchemaError, UnknownType, ValidationError
from jsonschema.validators import validator_for
from jsonschema_path.paths import SchemaPath
from openapi_spec_validator import (
    OpenAPIV2SpecValidator,
    OpenAPIV30SpecValidator,
    OpenAPIV31SpecValidator,
)
from openapi_spec_validator.schemas import schema_v2, schema_v30, schema_v31
from openapi_spec_validator.schemas.backend.jsonschema import create_validator
from openapi_spec_validator.validation.exceptions import ExtraParametersError, OpenAPIValidationError
from openapi_spec_validator.validation.keywords import KeywordValidator
from openapi_spec_validator.validation.validators import SpecValidator
from referencing.exceptions import Unresolvable

from migrate.core.diagnostics import Code, Diagnostic, literal
from migrate.core.errors import ReadError, RefError, UnsupportedFormatError
from migrate.core.pointers import escape_token, line_of, pointer_tokens, position_of
from migrate.source.load import load_data
from migrate.source.references import only_local_refs
from migrate.source.refpolicy import RefPolicy, RefRefused, is_remote, shown
from migrate.validation.jsondata import json_normal, json_view

_TAG = "_migrate_located"


class _PolicyHandlers(dict[str, Any]):
    """Resolver handlers for every URI scheme: ``scheme in handlers`` is always true, so the
    library never falls back to fetching a URI itself; ``migrate.source.refpolicy`` decides."""

    def __init__(self, spec: Path, policy: RefPolicy, data: Any = None) -> None:
        super().__init__()
        self.spec, self.policy, self.data = spec, policy, data

    def __contains__(self, scheme: object) -> bool:
        return True

    def __getitem__(self, scheme: str) -> Any:
        return self.fetch

    def fetch(self, uri: str) -> Any:
        try:
            target = self.policy.locate(uri, str(self.spec), "$ref")
            if not is_remote(target):
                return json_normal(load_data(self.policy.local_file(uri, str(self.spec), "$ref")))
        except RefRefused as exc:
            written, pointer = _written(self.data, self.spec, uri)
            line = line_of(str(self.spec), pointer) if pointer else None
            raise RefError(str(self.spec), f"$ref {shown(written)!r}: {exc.reason}", line, pointer) from None
        import requests

        response = requests.get(target, timeout=30)
        response.raise_for_status()
        return json_normal(response.json())


def _refs(data: Any) -> Iterator[tuple[str, str]]:
    """Every ``$ref`` string of a document with its pointer, in document order."""
    stack: list[tuple[Any, str]] = [(data, "")]
    while stack:
        node, pointer = stack.pop()
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str):
                yield ref, f"{pointer}/$ref"
            stack += [(v, f"{pointer}/{escape_token(str(k))}") for k, v in reversed(node.items())]
        elif isinstance(node, list):
            stack += [(v, f"{pointer}/{i}") for i, v in reversed(list(enumerate(node)))]


def _written(data: Any, spec: Path, uri: str) -> tuple[str, str | None]:
    """The ``$ref`` as the spec writes it, and its pointer, for the absolute ``uri`` the library
    asks for (the first ``$ref`` of the root document that resolves to it); else the file
    ``uri`` names (a reference written in another document)."""
    base = spec.resolve().as_uri()
    for ref, pointer in _refs(data):
        with contextlib.suppress(ValueError):
            if urldefrag(urljoin(base, ref))[0] == urldefrag(uri)[0]:
                return ref, pointer
    parts = urlsplit(uri)
    return (unquote(parts.path) if parts.scheme == "file" else uri), None


def check_root_refs(path: Path, data: Any, policy: RefPolicy) -> None:
    """The root document's references through the one policy, before the library sees them (it
    would stop on some, such as an unclosed IPv6 literal, with its own error and no place)."""
    for ref, pointer in _refs(data):
        address = ref.partition("#")[0]
        if not address:
            continue
        try:
            policy.locate(address, str(path), "$ref")
        except RefRefused as exc:
            raise RefError(str(path), f"$ref {shown(ref)!r}: {exc.reason}", line_of(str(path), pointer),
                           pointer) from None


def _locating(cls: type[KeywordValidator]) -> type[KeywordValidator]:
    """Subclass of a keyword validator whose errors carry the path of the checked node. Each
    error is taken in hand once, by the innermost call (nested calls yield through the outer
    ones), which also lists undefined ``required`` names in written order
    (``_required_in_written_order``)."""

    def __call__(self: Any, *args: Any, **kwargs: Any) -> Iterator[ValidationError]:
        where = next((a for a in args if isinstance(a, SchemaPath)), None)
        for error in cls.__call__(self, *args, **kwargs):
            if where is not None and not getattr(error, _TAG, False):
                error.path = error.relative_path = deque([*where.parts, *error.absolute_path])
                setattr(error, _TAG, True)
                if isinstance(error, ExtraParametersError):
                    error.message = _required_in_written_order(str(error.message), where)
            yield error

    return type(cls.__name__, (cls,), {"__call__": __call__})


def mark_located(error: ValidationError) -> None:
    """Say that ``error``'s path is final (``_locating`` leaves it as it is)."""
    setattr(error, _TAG, True)


def _meta_in_document_order(cls: type[KeywordValidator]) -> type[KeywordValidator]:
    """The schema keyword validator with a deterministic meta-check message. The library reports
    the first error of the meta-schema's ``iter_errors``, and jsonschema visits the members that
    ``additionalProperties`` governs (every property of a schema) in the order of a ``set``, which
    changes with PYTHONHASHSEED: a schema with two faulty properties was reported by either, one
    run to the next. Here the same error list is read whole and the first error in the schema's
    own order is reported (ties keep the library's order); the verdict is the library's."""

    def _validate_schema_meta(self: Any, schema: Any, schema_value: Any) -> Any:
        try:
            checker = self._get_schema_checker(schema, schema_value)
        except ValueError:
            return cls._validate_schema_meta(self, schema, schema_value)  # type: ignore[attr-defined]
        validator = _meta_validator(checker)
        if validator is None:  # a checker of another shape: the library's own call
            return cls._validate_schema_meta(self, schema, schema_value)  # type: ignore[attr-defined]
        first = min(validator.iter_errors(schema_value), default=None, key=written_order(schema_value))
        return None if first is None else OpenAPIValidationError.create_from(SchemaError.create_from(first))

    return type(cls.__name__, (cls,), {"_validate_schema_meta": _validate_schema_meta})


_UNDEFINED_REQUIRED = "Required list has not defined properties: "


def _required_in_written_order(message: str, schema: Any) -> str:
    """The library's "Required list has not defined properties: [...]" with the names in the order
    of the schema's ``required`` (the library lists them in a set's order, which changes with
    PYTHONHASHSEED); any other message, or one that cannot be matched to ``required``, as it is."""
    if not message.startswith(_UNDEFINED_REQUIRED):
        return message
    try:
        names = ast.literal_eval(message[len(_UNDEFINED_REQUIRED):])
        required = (schema / "required").read_value()
        ordered = list(dict.fromkeys(name for name in required if name in set(names)))
    except Exception:  # a message or a schema of another shape: the library's words stand
        return message
    return _UNDEFINED_REQUIRED + str(ordered) if sorted(ordered) == sorted(names) else message


def _values_in_document_order(cls: type[KeywordValidator]) -> type[KeywordValidator]:
    """The ``default`` keyword validator with its errors in the order of the value checked (stable):
    jsonschema meets the members ``additionalProperties`` governs in a set's order, so the errors of
    one default value came in an order that changed with PYTHONHASHSEED. Each error's path starts
    at the ``default`` member (the library is given the schema or parameter that holds it, and its
    errors pointed at ``.../T/alpha`` for ``.../T/default/alpha``)."""

    def __call__(self: Any, schema: Any, value: Any, *args: Any, **kwargs: Any) -> Iterator[ValidationError]:
        errors = sorted(cls.__call__(self, schema, value, *args, **kwargs), key=written_order(value))
        for error in errors:
            error.path.appendleft("default")
        return iter(errors)

    return type(cls.__name__, (cls,), {"__call__": __call__})


def _meta_validator(checker: Any) -> Any:
    """The meta-schema validator behind a library schema checker, built as the checker builds it:
    openapi-schema-validator's ``check_openapi_schema`` (the ``check_schema`` of OAS30Validator and
    OAS31Validator, with its registry of the OpenAPI dialects), or jsonschema's own ``check_schema``
    (a 3.1 schema whose ``$schema`` or the document's ``jsonSchemaDialect`` names another JSON Schema
    dialect), bound to its validator class, optionally a ``partial`` with a ``format_checker``. None
    for anything else (the library's own call is used then). tests/test_validate_deterministic.py
    checks that each gives the library's verdict and errors, so an upgrade that changes them fails."""
    from openapi_schema_validator.validators import OPENAPI_SPECIFICATIONS, check_openapi_schema

    keywords: dict[str, Any] = {}
    if isinstance(checker, partial):
        checker, keywords = checker.func, dict(checker.keywords)
    owner, func = getattr(checker, "__self__", None), getattr(checker, "__func__", None)
    if not isinstance(owner, type) or not hasattr(owner, "META_SCHEMA") or set(keywords) - {"format_checker"}:
        return None
    meta = validator_for(owner.META_SCHEMA, default=owner)
    if func is check_openapi_schema:  # its default format checker is the owner's
        format_checker = keywords.get("format_checker", getattr(owner, "FORMAT_CHECKER", None))
        return meta(owner.META_SCHEMA, format_checker=format_checker, registry=OPENAPI_SPECIFICATIONS)
    if getattr(func, "__module__", None) == "jsonschema.validators" and getattr(func, "__name__", "") == "check_schema":
        return meta(schema=owner.META_SCHEMA, format_checker=keywords.get("format_checker", meta.FORMAT_CHECKER))
    return None


def written_order(value: Any) -> Callable[[ValidationError], tuple[int, ...]]:
    """A sort key for errors found in ``value``: where each error's path leads, as written
    (``_document_order``), with the members' positions of each mapping computed once for all."""
    keys: dict[int, dict[Any, int]] = {}
    return lambda error: _document_order(value, error.absolute_path, keys)


def _document_order(value: Any, path: Iterable[Any], known: dict[int, dict[Any, int]]) -> tuple[int, ...]:
    """Where ``path`` leads in ``value``, as the position of each member among its siblings (a
    mapping's members in the order written, a list's items by index). ``known``: the members'
    positions of each mapping met so far, by ``id``."""
    order: list[int] = []
    for token in path:
        if isinstance(value, dict) and token in value:
            positions = known.get(id(value))
            if positions is None:
                positions = known[id(value)] = {key: n for n, key in enumerate(value)}
            order.append(positions[token])
            value = value[token]
        elif isinstance(value, list) and isinstance(token, int) and 0 <= token < len(value):
            order.append(token)
            value = value[token]
        else:
            break
    return tuple(order)


class InDocumentOrder:
    """A document-schema validator whose errors come in the order of the document (stable: errors
    at one place keep the library's order). jsonschema meets the members that
    ``additionalProperties``, ``patternProperties`` and ``unevaluatedProperties`` govern in the
    order of a ``set``, which changes with PYTHONHASHSEED: a 3.1 document with three faulty
    schemas was reported in a different order, and the batch named a different first error, from
    one run to the next."""

    def __init__(self, validator: Any) -> None:
        self.validator = validator

    def iter_errors(self, instance: Any) -> Iterator[ValidationError]:
        return iter(sorted(self.validator.iter_errors(instance), key=written_order(instance)))


def _located(base: type[SpecValidator], schema: Any) -> type[SpecValidator]:
    """``base`` with located keyword errors (the schema meta-check's message chosen
    deterministically, ``_meta_in_document_order``) and the pure-Python jsonschema backend: the
    library switches to jsonschema-rs by itself when that is installed (the fast path uses it), but
    the reference keeps the backend its verdicts were recorded with."""
    ordered = {"schema": _meta_in_document_order, "default": _values_in_document_order}
    keywords = {name: _locating(ordered[name](kw) if name in ordered else kw)
                for name, kw in base.keyword_validators.items()}
    return type(base.__name__, (base,), {"keyword_validators": keywords,
                                         "schema_validator": InDocumentOrder(create_validator(dict(schema)))})


VALIDATORS: dict[str, type[SpecValidator]] = {
    "2.0": _located(OpenAPIV2SpecValidator, schema_v2),
    "3.0": _located(OpenAPIV30SpecValidator, schema_v30),
    "3.1": _located(OpenAPIV31SpecValidator, schema_v31),
}


def validator_class(fmt: str, version: str, name: str, accelerated: bool = False) -> type[SpecValidator]:
    """The library's validator for the version; ``accelerated``: with compiled pre-checks
    (``migrate.validation.fast.osv_extra``) when jsonschema-rs is installed."""
    key = "2.0" if fmt == "swagger" and version in ("2", "2.0") else version[:3] if fmt == "openapi" else ""
    if key not in VALIDATORS:
        label = "Swagger" if fmt == "swagger" else "OpenAPI"
        raise UnsupportedFormatError(name, f"{label} {version} is not supported (2.0, 3.0 and 3.1 are)")
    if accelerated:
        from migrate.validation.fast.check import available

        if available():
            return _accelerated(key)
    return VALIDATORS[key]


@cache
def _accelerated(key: str) -> type[SpecValidator]:
    from migrate.validation.fast.osv_extra import accelerated

    return accelerated(VALIDATORS[key], key)


def pointer_of(error: ValidationError) -> str:
    return "".join("/" + escape_token(str(token)) for token in error.absolute_path)


def validate_openapi(path: Path, data: Any, fmt: str, version: str, policy: RefPolicy,
                     accelerated: bool = False, view: tuple[str, Any] | None = None) -> list[Diagnostic]:
    """All findings of openapi-spec-validator for the parsed document ``data`` of ``path``.
    Raises ``RefError`` for a ``$ref`` that cannot or may not be followed. ``accelerated``: skip
    the library's pure-Python schema checks where the compiled ones pass, and its walk of
    schemas the fast path finds nothing in. ``view``: ``jsondata.json_view(data)`` when the
    caller has it (it is only read)."""
    cls = validator_class(fmt, version, str(path), accelerated)
    try:
        text, spec = view or json_view(data)
    except (TypeError, ValueError, RecursionError):
        check_root_refs(path, data, policy)  # a refused reference is said first, as it always was
        raise
    if not only_local_refs(text):  # else no reference names another file (the walk would find none)
        check_root_refs(path, data, policy)
    handlers = _PolicyHandlers(path, policy, data)
    schema_path = SchemaPath.from_dict(spec, base_uri=path.resolve().as_uri(), handlers=handlers)
    found: list[Diagnostic] = []
    token = _pruning(cls, text, spec, path)
    try:
        for error in cls(schema_path).iter_errors():
            found.append(_diagnostic(path, error, spec))
    except Unresolvable as exc:
        raise _ref_error(path, exc) from None
    except RecursionError:
        raise ReadError(str(path), "document nests too deeply") from None
    except (TypeError, ValueError, KeyError, AttributeError, AssertionError, UnknownType, OverflowError) as exc:
        # the library can trip over a malformed document (an assert on a path item's type, an
        # unknown "type" value, a pattern whose repetition Python's re cannot count) after
        # reporting why it is malformed
        why = f"{type(exc).__name__}: {str(exc).splitlines()[0][:200]}" if str(exc) else type(exc).__name__
        if not found:
            raise ReadError(str(path), f"cannot validate: openapi-spec-validator stopped ({why})") from None
        found.append(Diagnostic(Code.SPEC_INVALID, "", f"validation stopped early: openapi-spec-validator "
                                f"stopped on the malformed document ({why})", file=str(path)))
    finally:
        _clear_library_cache()
        if token is not None:
            from migrate.validation.fast.osv_extra import DOCUMENT

            DOCUMENT.reset(token)
    return found


def _pruning(cls: type[SpecValidator], text: str, spec: Any, path: Path) -> Any:
    """For an accelerated validator class: the pruned schema walk
    (``migrate.validation.fast.osv_extra``) set up for ``spec``; its context token."""
    key = getattr(cls, "accelerated_key", None)
    if key is None:
        return None
    from migrate.validation.fast.osv_extra import pruning

    return pruning(text, spec, key, path)


def _diagnostic(path: Path, error: ValidationError, spec: Any) -> Diagnostic:
    pointer = in_file(spec, [str(t) for t in error.absolute_path])
    line, column = position_of(str(path), pointer) or (None, None)
    return Diagnostic(Code.SPEC_INVALID, pointer, message_of(error), file=str(path), line=line, column=column)


def in_file(spec: Any, tokens: list[str]) -> str:
    """The pointer of the element the validator reached by ``tokens`` as it is written in the
    document: the library walks through ``$ref``s (``.../schema/properties/x``); each internal
    reference it passed is replaced by its target (``/components/schemas/T/properties/x``)."""
    node, pointer = spec, ""
    for token in tokens:
        node, pointer = _through_ref(spec, node, pointer, token)
        if isinstance(node, dict) and token in node:
            node = node[token]
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            node = None
        pointer += "/" + escape_token(token)
    return pointer


def _through_ref(spec: Any, node: Any, pointer: str, token: str) -> tuple[Any, str]:
    seen = 0
    while isinstance(node, dict) and isinstance(node.get("$ref"), str) and token not in node and seen < 50:
        ref = node["$ref"]
        if not ref.startswith("#/"):
            break
        target: Any = spec
        for part in pointer_tokens(ref[1:]):
            target = target.get(part) if isinstance(target, dict) else None
        if target is None:
            break
        node, pointer, seen = target, ref[1:], seen + 1
    return node, pointer


def message_of(error: ValidationError) -> str:
    """The library's message with values written as JSON (``["a", "a"]``, ``false``, ``null``),
    as in the user's file, rather than as Python reprs (strings keep their quotes)."""
    message = str(error.message)
    for value in (error.instance, error.validator_value):
        if not isinstance(value, str):
            python = repr(value)
            if python in message:
                message = message.replace(python, literal(value))
    return message


def _ref_error(path: Path, exc: BaseException) -> ReadError:
    cause: BaseException | None = exc
    while cause is not None:
        if isinstance(cause, ReadError):
            return cause
        cause = cause.__cause__ or cause.__context__
    ref = getattr(exc, "ref", None) or str(exc)
    return RefError(str(path), f"unresolvable $ref: {ref}")


def _clear_library_cache() -> None:
    """``SpecValidator.iter_errors`` is memoised per validator forever (functools.lru_cache);
    clear it so that validating many files does not keep every spec in memory."""
    cached = getattr(SpecValidator.iter_errors, "__wrapped__", None)
    if cached is not None and hasattr(cached, "cache_clear"):
        cached.cache_clear()
