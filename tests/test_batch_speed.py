"""Issue 12 (batch speed): the shortcuts taken for speed give what the long way gives."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from migrate.core.errors import ReadError
from migrate.readers import ReadOptions
from migrate.source.load import parse_text, read_text
from migrate.source.references import _ref_files, only_local_refs, referenced_files
from migrate.source.refpolicy import RefRefused
from tests.testsupport import need_shared


@pytest.mark.parametrize(("text", "local"), [
    ('{"$ref": "#/definitions/A"}', True),
    ("schema:\n  $ref: '#/definitions/A'\n", True),
    ('schema: {"$ref" :  "#/a", $ref: "#/b"}\n', True),
    ("schema:\n  $ref: ./other.yaml#/A\n", False),
    ('{"$ref": "other.json"}', False),
    ("a: &x ./other.yaml\nb:\n  $ref: *x\n", False),  # an alias: only parsing says where it goes
    ("b:\n  $ref: !!str ./other.yaml\n", False),
    ("$refs: '#/a'\n", False),
    ("description: write $ref to refer\n$ref: '#/a'\n", False),
])
def test_only_local_refs(text: str, local: bool) -> None:
    assert only_local_refs(text) is local


def test_a_spec_with_only_local_refs_is_its_own_file(tmp_path: Path) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text("swagger: '2.0'\npaths: {}\ndefinitions:\n  A: {$ref: '#/definitions/B'}\n  B: {}\n")
    assert referenced_files(spec, ReadOptions().policy(spec)) == [spec.resolve()]


def test_a_spec_reaching_a_file_still_lists_it(tmp_path: Path) -> None:
    spec = tmp_path / "spec.yaml"
    (tmp_path / "a.yaml").write_text("type: string\n")
    spec.write_text("swagger: '2.0'\npaths: {}\ndefinitions:\n  A: {$ref: './a.yaml'}\n  B: {$ref: '#/x'}\n")
    assert referenced_files(spec, ReadOptions().policy(spec)) == [spec.resolve(), (tmp_path / "a.yaml").resolve()]


def _parsed_files(spec: Path) -> list[Path] | None:
    """The long way: parse the document and follow its references."""
    spec = spec.resolve()
    try:
        return _ref_files(spec, parse_text(read_text(spec), str(spec)), ReadOptions().policy(spec))
    except (ReadError, RefRefused):
        return None


@pytest.mark.corpus
@pytest.mark.slow
def test_the_shortcut_agrees_with_parsing_on_the_corpus() -> None:
    corpus = need_shared("corpus")
    checked = 0
    for spec in sorted(corpus.rglob("*")):
        if spec.suffix not in (".yaml", ".yml", ".json") or not spec.is_file() or "raml08" in spec.parts:
            continue
        try:
            text = read_text(spec)
        except ReadError:
            continue
        if "$ref" not in text or "!include" in text or not only_local_refs(text):
            continue
        checked += 1
        assert _parsed_files(spec) in ([spec.resolve()], None), spec
    assert checked > 500


def test_a_worker_pauses_the_collector_per_spec_and_restores_it(tmp_path: Path) -> None:
    from migrate.batch.jobs import Job
    from migrate.batch.worker import convert_one
    from migrate.emitters.base import EmitOptions
    from tests.testsupport import SAMPLES

    seen: list[bool] = []

    def read(path: Path, options: ReadOptions) -> object:
        seen.append(gc.isenabled())
        raise ReadError(str(path), "stop here")

    from migrate.batch.worker import Pipeline

    job = Job(SAMPLES / "petstore-swagger2.yaml", ("openapi",), EmitOptions(), ReadOptions(), tmp_path, "p", "k")
    assert gc.isenabled()
    result = convert_one(job, Pipeline(read=read))  # type: ignore[arg-type]
    assert seen == [False] and gc.isenabled() and result.status == "failed"


@pytest.mark.corpus
@pytest.mark.slow
def test_validating_in_parallel_gives_each_file_its_own_result() -> None:
    from migrate.validation.run import validate_file, validate_files

    corpus = need_shared("corpus")
    files = [str(p) for p in sorted((corpus / "invalid" / "openapi-spec-validator").rglob("*.yaml"))[:6]]
    files += [str(p) for p in sorted((corpus / "swagger20").rglob("swagger.yaml"))[:6]]
    files.append(str(corpus / "no-such-file.yaml"))
    parallel = validate_files(files, ReadOptions(), jobs=2)
    alone = [validate_file(f, ReadOptions()) for f in files]
    assert [r.path for r in parallel] == files
    assert parallel == alone
    assert any(r.diagnostics for r in alone) and any(r.error for r in alone)


def test_the_endpoint_in_hand_is_what_the_written_file_says(tmp_path: Path) -> None:
    import json

    from migrate.batch.jobs import Job
    from migrate.batch.worker import ENDPOINT_KEYS, convert_one
    from migrate.emitters.base import EmitOptions
    from tests.testsupport import SAMPLES

    job = Job(SAMPLES / "petstore-swagger2.yaml", ("akamai",), EmitOptions(), ReadOptions(), tmp_path, "p", "k")
    target = convert_one(job).targets[0]
    written = json.loads((tmp_path / "p" / "akamai" / "akamai.json").read_text(encoding="utf-8"))
    assert target.endpoint is not None and target.endpoint["apiResources"]
    assert {k: v for k, v in target.endpoint.items() if k != "apiResources"} == \
        {k: written[k] for k in ENDPOINT_KEYS if k in written and k != "apiResources"}
    assert [r["resourcePath"] for r in target.endpoint["apiResources"]] == \
        [r["resourcePath"] for r in written["apiResources"]]
    assert "endpoint" not in target.to_json()  # never journaled
