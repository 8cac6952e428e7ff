"""Every Swagger 2.0 / OpenAPI 3.x spec of ../shared/corpus reads or fails with a MigrateError;
every spec openapi-spec-validator accepts reads. Validator verdicts are cached in the temp folder
(keyed by file content and validator version), since validating 591 APIs takes minutes."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterator
from importlib.metadata import version
from pathlib import Path

import pytest
from openapi_spec_validator.validation.exceptions import OpenAPIValidationError, ValidatorDetectError
from referencing.exceptions import Unresolvable

from migrate.core.errors import MigrateError, RefError, UnsupportedFormatError
from migrate.core.model import Api, Schema
from migrate.readers import ReadOptions, read_spec
from migrate.source.detect import detect
from migrate.source.load import load_data, read_text
from tests.testsupport import ROOT, need_shared

pytestmark = pytest.mark.corpus

FOLDERS = ("swagger20", "openapi3", "large", "invalid")
#: per checkout (.pytest_cache is ignored by git), so two checkouts never share verdicts
CACHE = ROOT / ".pytest_cache" / "api-migrate-oas-verdicts"


def openapi_files(corpus: Path) -> Iterator[Path]:
    for folder in FOLDERS:
        for path in sorted((corpus / folder).rglob("*")):
            if path.suffix not in (".yaml", ".yml", ".json") or not path.is_file():
                continue
            try:
                fmt, _ = detect(read_text(path), str(path))
            except MigrateError:
                continue
            if fmt in ("swagger", "openapi"):
                yield path


def valid(path: Path) -> bool | None:
    """openapi-spec-validator's verdict (cached); None when the validator itself crashes on the
    file (its own bug: such a file is counted and shown, never taken as invalid)."""
    key = hashlib.sha256(path.read_bytes() + str(path).encode() + version("openapi-spec-validator").encode())
    cached = CACHE / f"{key.hexdigest()}.json"
    if cached.exists():
        known = json.loads(cached.read_text())
        return None if known is None else bool(known)
    from openapi_spec_validator import validate

    try:
        validate(load_data(path), base_uri=path.as_uri())
        verdict = True
    except (OpenAPIValidationError, ValidatorDetectError, Unresolvable, MigrateError):  # its "not valid" verdicts
        verdict = False
    except (TypeError, ValueError, KeyError, AttributeError, RecursionError):  # the validator's own crash
        verdict = None
    CACHE.mkdir(parents=True, exist_ok=True)
    cached.write_text(json.dumps(verdict))
    return verdict


def refers_to_itself(api: Api, name: str) -> bool:
    stack: list[Schema] = [api.schemas[name]]
    while stack:
        node = stack.pop()
        if node.ref == name:
            return True
        if node.ref is None:
            stack += [p.schema for p in node.properties] + node.alternatives
            stack += [s for s in (node.items, node.additional_properties) if isinstance(s, Schema)]
    return False


def unread_valid(path: Path, corpus: Path, exc: MigrateError, counts: Counter[str]) -> str | None:
    """Why a spec that failed to read is a finding: None when the validator rejects it too, when
    its version is outside the project's scope (OpenAPI 3.2), or when only the $ref safety policy
    refused it (a file outside the spec's folder must then read with ``ref_root``; remote
    references cannot be fetched in tests)."""
    verdict = valid(path)
    if verdict is None:
        counts["reference validator crashed (no verdict)"] += 1
        return None
    if not verdict:
        return None
    if isinstance(exc, UnsupportedFormatError) and "OpenAPI 3.2" in exc.reason:
        counts["valid, OpenAPI 3.2 (out of scope)"] += 1
        return None
    if isinstance(exc, RefError) and "remote references are refused" in exc.reason:
        counts["valid, remote $ref refused by default"] += 1
        return None
    if isinstance(exc, RefError) and "outside the root folder" in exc.reason:
        read_spec(path, ReadOptions(ref_root=corpus))  # the validator followed it: so must we
        counts["valid, $ref outside the folder: read with ref_root"] += 1
        return None
    return f"{path}: {exc}"


def test_corpus_reads_or_fails_cleanly_and_valid_specs_read() -> None:
    corpus = need_shared("corpus")
    counts: Counter[str] = Counter()
    findings: list[str] = []
    recursive: list[str] = []
    for path in openapi_files(corpus):
        counts["specs"] += 1
        try:
            api = read_spec(path)
        except MigrateError as exc:  # anything else fails the test with its traceback
            counts[type(exc).__name__] += 1
            finding = unread_valid(path, corpus, exc, counts)
            findings += [finding] if finding else []
            continue
        counts["read"] += 1
        if len(recursive) < 5 and any(refers_to_itself(api, n) for n in api.schemas):
            recursive.append(path.name)
    print(f"\nOpenAPI corpus: {dict(sorted(counts.items()))}")
    assert counts["read"] > 700
    assert counts["reference validator crashed (no verdict)"] <= 5  # shown above; not a silent drop
    assert findings == []
    assert recursive, "no corpus spec read with a schema that refers back to itself"


def test_every_valid_swagger_and_openapi3_spec_reads() -> None:
    corpus = need_shared("corpus")
    counts: Counter[str] = Counter()
    findings = []
    for path in openapi_files(corpus):
        if path.relative_to(corpus).parts[0] not in ("swagger20", "openapi3") or not valid(path):
            continue
        counts["valid"] += 1
        try:
            read_spec(path)
            counts["read"] += 1
        except MigrateError as exc:
            finding = unread_valid(path, corpus, exc, counts)
            findings += [finding] if finding else []
    print(f"\nvalid specs in swagger20/ + openapi3/: {dict(sorted(counts.items()))}")
    assert counts["valid"] > 500
    assert findings == []


def test_recursive_corpus_spec_keeps_the_reference() -> None:
    spec = need_shared("corpus", "swagger20", "apis-guru-2019", "APIs", "amazonaws.com", "ce", "2017-10-25",
                       "swagger.yaml")
    api = read_spec(spec)
    expression = api.schemas["Expression"]
    assert refers_to_itself(api, "Expression")
    assert {p.name: p.schema.ref for p in expression.properties}["Not"] == "Expression"
    items = api.schemas["Expressions"].items
    assert items is not None and items.ref == "Expression"  # mutual recursion through a list
