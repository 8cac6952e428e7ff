"""OpenAPI emitter on the samples and the corpus: golden files, validity, round trip.

Golden files are regenerated only with UPDATE_GOLDEN=1; a missing golden file fails the test.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from openapi_spec_validator import OpenAPIV30SpecValidator

from migrate.core.errors import ReadError
from migrate.core.model import Api, Parameter
from migrate.emitters.base import EmitOptions, Payload, emit, write_payload
from migrate.emitters.openapi.paths import path_key
from migrate.readers import read_spec
from tests.testsupport import CORPUS, ROOT, SAMPLES, need_shared

GOLDEN = ROOT / "tests" / "golden"
SAMPLE_FILES = ["petstore-swagger2.yaml", "orders-openapi30.yaml", "events-openapi31.yaml", "library-raml08/api.raml"]


def sample_stem(sample: str) -> str:
    return Path(sample).parent.name if sample.endswith("api.raml") else Path(sample).stem


def compare_golden(payload: Payload, target: str, stem: str) -> None:
    """Each payload file against tests/golden/<target>/<stem>.<file name>; the report too."""
    folder = GOLDEN / target
    texts = {f"{stem}.{f.name}": f.text for f in payload.files}
    texts[f"{stem}.report.txt"] = "".join(d.render() + "\n" for d in payload.report)
    for name, text in texts.items():
        path = folder / name
        if os.environ.get("UPDATE_GOLDEN") == "1":
            folder.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        assert path.exists(), f"golden file {path} is missing (run with UPDATE_GOLDEN=1 and review it)"
        assert path.read_text(encoding="utf-8") == text, f"{path} differs from the emitted file"


def validation_errors(document: Any) -> list[str]:
    return [e.message for e in OpenAPIV30SpecValidator(document).iter_errors()]


Shape = dict[tuple[str, str], list[tuple[Any, ...]]]
#: codes saying a parameter or operation was changed or left out on purpose (excluded from the round trip)
CHANGED = {"PARAMETER_DROPPED", "METHOD_UNSUPPORTED", "PARAMETER_LOCATION_UNSUPPORTED", "VALUE_FILLED", "VALUE_ASSUMED",
           "PATH_PARAMETER_ADDED", "DEFAULT_DROPPED", "RESTRICTION_DROPPED", "ENUM_DROPPED", "MULTIPLE_OF_DROPPED",
           "PATTERN_DROPPED", "PARAMETER_TYPE_UNSUPPORTED"}


def param_shape(p: Parameter) -> tuple[Any, ...]:
    return (p.name, p.location, p.required, p.type, p.array, json.dumps(p.restrictions.to_json(), sort_keys=True))


def shape(api: Api, skip: set[str] | None = None) -> Shape:
    """What a round trip must keep: paths, methods and parameters (name, location, required,
    type, array, restrictions); operations with a parameter in ``skip`` are left out."""
    skip = skip or set()
    out: Shape = {}
    for resource, op in api.operations():
        if op.pointer in skip or resource.pointer in skip or any(p.pointer in skip for p in op.parameters):
            continue
        out[(path_key(resource.path), op.method)] = sorted(param_shape(p) for p in op.parameters)
    return out


def round_trip(api: Api, payload: Payload, tmp: Path) -> int:
    """Read the written document again; every operation the emitter did not report as changed
    must come back with the same parameters. Returns how many operations were compared."""
    written = write_payload(payload, tmp)[0]
    again = shape(read_spec(written))
    expected = shape(api, {d.pointer for d in payload.report if d.code.name in CHANGED})
    for key, params in expected.items():
        assert again.get(key) == params, f"{key} changed in the round trip"
    return len(expected)


#: operations compared in the round trip: all of each sample's operations, except the RAML
#: cover GET whose Accept header parameter OpenAPI 3.0 ignores (reported PARAMETER_DROPPED).
COMPARED = {"petstore-swagger2.yaml": 6, "orders-openapi30.yaml": 5, "events-openapi31.yaml": 5,
            "library-raml08/api.raml": 8}


@pytest.mark.parametrize("sample", SAMPLE_FILES)
def test_sample_golden_valid_and_round_trip(sample: str, tmp_path: Path) -> None:
    api = read_spec(SAMPLES / sample)
    payload = emit(api, "openapi", EmitOptions())
    assert validation_errors(payload.main().document) == []
    compare_golden(payload, "openapi", sample_stem(sample))
    assert round_trip(api, payload, tmp_path) == COMPARED[sample]


def corpus_selection() -> list[Path]:
    """Every 30th Swagger 2.0 file of APIs.guru, the OpenAPI 3 examples and the RAML 0.8 APIs."""
    swagger = sorted(p for p in (CORPUS / "swagger20" / "apis-guru-2019").rglob("*")
                     if p.suffix in (".json", ".yaml", ".yml"))[::30]
    openapi3 = sorted(p for p in (CORPUS / "openapi3").rglob("*") if p.suffix in (".json", ".yaml", ".yml"))
    raml = sorted((CORPUS / "raml08" / "raml-apis").rglob("*.raml"))
    return [p for p in (*swagger, *openapi3, *raml) if p.stat().st_size < 1_500_000]  # not the 3 MB OpenAI spec


def readable(path: Path) -> Api | None:
    try:
        return read_spec(path)
    except ReadError:
        return None


@pytest.mark.corpus
def test_corpus_openapi_and_frends_are_valid_and_round_trip(tmp_path: Path) -> None:
    need_shared("corpus")
    converted = compared = 0
    for i, path in enumerate(corpus_selection()):
        api = readable(path)
        if api is None:
            continue
        payload = emit(api, "openapi", EmitOptions())
        assert validation_errors(payload.main().document) == [], path
        compared += round_trip(api, payload, tmp_path / str(i))
        frends = emit(api, "frends", EmitOptions(passthrough_target="https://backend.example.com"))
        assert validation_errors(frends.main().document) == [], path
        converted += 1
    assert converted >= 60 and compared >= 500
