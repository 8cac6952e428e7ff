"""Batch end to end with the real readers and emitters: the samples, a broken spec and a
duplicate; and (marked corpus) a slice of the real-world corpus."""

from __future__ import annotations

import importlib.util
import io
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from migrate.batch.run import run_batch
from migrate.core.targets import TARGETS, EmitOptions
from migrate.readers import ReadOptions
from tests.testsupport import SAMPLES, need_shared

MODULES = ["migrate.readers.openapi.read", "migrate.readers.raml.read",
           *(f"migrate.emitters.{t}.emit" for t in TARGETS)]
pytestmark = pytest.mark.skipif(
    any(importlib.util.find_spec(m) is None for m in MODULES), reason="readers/emitters not in place yet"
)
OPTIONS = EmitOptions(host="api.example.com", contract_id="C-1ABCDE", group_id="12345")


def run(paths: list[Path], out: Path, jobs: int = 2) -> tuple[int, dict[str, Any]]:
    code = run_batch(paths, list(TARGETS), out, OPTIONS, ReadOptions(), jobs=jobs, resume=False,
                     fmt="json", progress=False, out=io.StringIO())
    return code, json.loads((out / "report.json").read_text())


def test_samples_with_a_broken_and_a_duplicate_spec(tmp_path: Path) -> None:
    src = tmp_path / "specs"
    shutil.copytree(SAMPLES, src)
    shutil.copy(SAMPLES / "petstore-swagger2.yaml", src / "petstore-twin.yaml")
    (src / "broken.yaml").write_text("openapi: 3.0.3\ninfo: {title: x\npaths: {}\n")
    code, report = run([src], tmp_path / "out")
    specs = {s["name"]: s for s in report["specs"]}
    assert code == 1
    assert specs["petstore-twin"] == {"name": "petstore-twin", "spec": str(src / "petstore-twin.yaml"),
                                      "status": "duplicate", "duplicateOf": "petstore-swagger2"}
    assert specs["broken"]["status"] == "failed"
    assert "broken.yaml" in specs["broken"]["failure"] and "YAML" in specs["broken"]["failure"]
    converted = [s for s in specs.values() if s["status"] not in ("duplicate", "failed")]
    assert {s["name"] for s in converted} >= {"petstore-swagger2", "orders-openapi30", "events-openapi31"}
    for s in converted:
        assert set(s["targets"]) == set(TARGETS)
        for cell in s["targets"].values():
            assert cell["status"] in ("ok", "warnings", "errors"), cell
            assert all((tmp_path / "out" / f).is_file() for f in cell["files"])
            assert sum(cell["counts"].values()) == sum(cell["byCode"].values())
    located = json.loads((tmp_path / "out" / "petstore-swagger2" / "akamai" / "diagnostics.json").read_text())
    assert located and all(d["file"] == str(src / "petstore-swagger2.yaml") for d in located)
    assert any(isinstance(d.get("line"), int) and d["line"] > 1 for d in located)


@pytest.mark.corpus
def test_a_corpus_slice_converts_without_crashes(tmp_path: Path) -> None:
    folder = need_shared("corpus", "openapi3", "oai-openapi-specification")
    code, report = run([folder], tmp_path / "out")
    statuses = [s["status"] for s in report["specs"]]
    assert len(statuses) > 20
    assert "crash" not in statuses, [s["failure"] for s in report["specs"] if s["status"] == "crash"]
    assert code in (0, 1)
