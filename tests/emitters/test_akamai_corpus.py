"""Corpus: convert a bounded, deterministic selection of ../shared/corpus specs for Akamai and
check that nothing crashes and every payload validates against Akamai's Endpoint schema."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from migrate.core.errors import ReadError
from migrate.emitters.akamai.emit import emit
from migrate.emitters.akamai.schema import validate_endpoint
from migrate.emitters.base import EmitOptions
from tests.testsupport import need_shared

OPTIONS = EmitOptions(contract_id="C-0N7RAC71", group_id="44681", host="api.example.com")
SPEC_SUFFIXES = (".yaml", ".yml", ".json", ".raml")


def _specs(folder: Path, step: int = 1) -> list[Path]:
    files = sorted(p for p in folder.rglob("*") if p.suffix in SPEC_SUFFIXES and p.is_file())
    return files[::step]


def selection() -> list[Path]:
    corpus = need_shared("corpus")
    return (_specs(corpus / "swagger20" / "apis-guru-2019", 10) + _specs(corpus / "openapi3")
            + [p for p in _specs(corpus / "raml08" / "raml-apis") if p.suffix == ".raml"])


@pytest.mark.corpus
def test_corpus_payloads_validate() -> None:
    from migrate.readers import read_spec

    converted, invalid = 0, []
    for spec in selection():
        if spec.stat().st_size > 1_000_000:
            continue  # the multi-MB files belong to the benchmarks, not to this bounded test
        try:
            api = read_spec(spec)
        except ReadError:
            continue
        payload = emit(api, OPTIONS)
        document = payload.main().document
        assert json.loads(payload.main().text) == document
        errors = validate_endpoint(document)
        if errors or payload.report.failed():
            invalid.append((str(spec), errors[:3], [d.render() for d in payload.report if d.severity == "error"][:3]))
        converted += 1
    assert converted >= 50
    assert invalid == []
