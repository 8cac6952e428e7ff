"""The fast path against openapi-spec-validator's verdicts on the corpus.

tests/fixtures/validate/osv-verdicts.json holds the library's verdict on every Swagger 2.0 /
OpenAPI 3.x file of ../shared/corpus (swagger20, openapi3, invalid), written by
tests/fixtures/validate/make_osv_verdicts.py from the library alone. The regular run only runs
the fast path: a file it proves valid must be valid for the library (otherwise validate's
verdict would change), and every file the library finds valid must be proven, except the few
listed in ``LEFT_TO_THE_LIBRARY`` (there the library runs; the verdict is still its own).
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

import pytest

from migrate.core.errors import ReadError
from migrate.readers import ReadOptions
from migrate.source.detect import detect_data
from migrate.source.load import load_data
from migrate.source.refpolicy import RefPolicy
from migrate.validation.fast.check import proven_valid
from tests.testsupport import FIXTURES, need_shared

pytestmark = pytest.mark.corpus

sys.path.insert(0, str(FIXTURES / "validate"))
from make_osv_verdicts import corpus_specs, reference_verdict  # noqa: E402

GOLDEN = json.loads((FIXTURES / "validate" / "osv-verdicts.json").read_text())["verdicts"]

_OSV = "invalid/openapi-spec-validator/tests/integration/data/"
_PRANCE = "invalid/prance/tests/specs/"
#: valid for the library, not proven by the fast path, and why
LEFT_TO_THE_LIBRARY = {
    # $ref into another file
    **dict.fromkeys([
        _OSV + "v3.0/parent-reference/openapi.yaml", _PRANCE + "issue_1.json", _PRANCE + "issue_38_a.yaml",
        _PRANCE + "issue_51/openapi-main.yaml", _PRANCE + "issue_83/bad_spec.yml",
        *(_PRANCE + "translating_parser/" + name + ".spec.yaml" for name in (
            "different_file_reference_from_file", "file_reference_from_root", "local_reference_from_file",
            "nested_recursive_reference_in_file", "recursive_reference_in_file", "root_file_reference_from_file",
            "root_file_reference_from_root", "same_file_reference_from_file")),
        "invalid/swagger-parser-apidevtools/test/specs/deep-circular/deep-circular.yaml",
    ], "file $ref"),
    # a property named "$ref" (the library's path reader decides whether it is a reference)
    _OSV + "v3.0/petstore.yaml": "property named $ref",
    _OSV + "v3.1/petstore.yaml": "property named $ref",
    "openapi3/oai-openapi-specification/v3.1-dev-schema-tests/tests/schema/pass/valid_schema_types.yaml":
        "boolean schema",
}


def fast_verdict(path: Path) -> bool | None:
    """True when proven valid, False when not, None when unusable before validation."""
    try:
        data = load_data(path)
        fmt, version = detect_data(data, str(path))
    except ReadError:
        return None
    return proven_valid(path, data, fmt, version, ReadOptions().root_for(path))


def test_golden_covers_every_corpus_spec() -> None:
    corpus = need_shared("corpus")
    assert sorted(GOLDEN) == sorted(corpus_specs(corpus))


@pytest.fixture(scope="module")
def proven() -> dict[str, bool | None]:
    """The fast path's verdict on every golden file (computed once: parsing the corpus takes
    most of the time)."""
    corpus = need_shared("corpus")
    return {name: fast_verdict(corpus / name) for name in GOLDEN}


def test_fast_path_agrees_with_the_library_on_every_corpus_spec(proven: dict[str, bool | None]) -> None:
    wrongly_proven = sorted(n for n, ok in proven.items() if ok and GOLDEN[n] != "valid")
    unproven = {n for n, ok in proven.items() if not ok and GOLDEN[n] == "valid"}
    assert wrongly_proven == []
    assert unproven == set(LEFT_TO_THE_LIBRARY)
    assert sum(v == "valid" for v in GOLDEN.values()) >= 690


def test_unusable_before_validation_means_unusable_for_the_library(proven: dict[str, bool | None]) -> None:
    early = [name for name, ok in proven.items() if ok is None]
    assert early
    assert {GOLDEN[name] for name in early} == {"unusable"}


@pytest.mark.slow
def test_golden_is_current_for_a_sample() -> None:
    """Re-derive 30 verdicts with the library (the golden must be regenerated after an
    openapi-spec-validator upgrade that changes them)."""
    corpus = need_shared("corpus")
    sample = random.Random(20240601).sample(sorted(GOLDEN), 30)
    assert {name: reference_verdict(corpus / name) for name in sample} == {name: GOLDEN[name] for name in sample}


@pytest.mark.slow
def test_accelerated_library_run_gives_the_same_findings_on_invalid_corpus_specs() -> None:
    """Files the fast path leaves to the library run it with compiled pre-checks: the findings
    (messages, pointers, lines) must be exactly those of the library alone."""
    from migrate.validation.openapi import validate_openapi

    corpus = need_shared("corpus")
    names = [n for n, v in GOLDEN.items() if v == "invalid" and (corpus / n).stat().st_size < 1_000_000]
    assert len(names) >= 50
    for name in names:
        path = corpus / name
        data = load_data(path)
        fmt, version = detect_data(data, str(path))
        root = ReadOptions().root_for(path)
        found = validate_openapi(path, data, fmt, version, RefPolicy(root), accelerated=True)
        assert found == validate_openapi(path, data, fmt, version, RefPolicy(root)), name


def _findings(path: Path, reference: bool) -> list[tuple[str, str, int | None]] | str:
    from migrate.validation.run import validate_source

    try:
        return [(d.pointer, d.message, d.line) for d in validate_source(path, ReadOptions(), reference=reference)]
    except ReadError as exc:
        return exc.render()


@pytest.mark.slow
def test_validate_gives_the_library_findings_on_every_spec_the_fast_path_leaves_to_it() -> None:
    """Every corpus spec the library does not find valid, and those it does that the fast path
    leaves to it, of any size (the openai spec, 3 MB, included): ``validate`` (fast path, compiled
    pre-checks, pruned schema walk) gives exactly the findings of the library alone, in the same
    order, and the library's verdict."""
    corpus = need_shared("corpus")
    names = sorted(n for n, v in GOLDEN.items() if v != "valid") + sorted(LEFT_TO_THE_LIBRARY)
    assert "openapi3/openai-openapi/openapi.yaml" in names and len(names) >= 100
    for name in names:
        ours = _findings(corpus / name, reference=False)
        assert ours == _findings(corpus / name, reference=True), name
        assert (ours == []) == (GOLDEN[name] == "valid"), name
