"""Across a batch: Akamai endpoints whose host + basePath + resourcePath (or name) another spec
of the batch also takes are an error, said on every spec involved (real readers and emitters)."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

from migrate.batch.run import run_batch
from migrate.emitters.base import EmitOptions
from migrate.readers import ReadOptions

SPEC = """openapi: 3.0.3
info: {{title: {title}, version: "1"}}
servers: [{{url: https://api.example.com/v1}}]
paths:
  {path}:
    get: {{responses: {{"200": {{description: ok}}}}}}
"""


def _run(tmp_path: Path, specs: dict[str, tuple[str, str]], resume: bool = False) -> dict[str, dict[str, Any]]:
    src = tmp_path / "src"
    src.mkdir(exist_ok=True)
    for name, (title, path) in specs.items():
        (src / name).write_text(SPEC.format(title=title, path=path))
    out = tmp_path / "out"
    run_batch([src], ["akamai"], out, EmitOptions(host="gw.example.com", contract_id="C-1", group_id="1"),
              ReadOptions(), jobs=1, resume=resume, fmt="json", progress=False, out=io.StringIO())
    report = json.loads((out / "report.json").read_text())
    return {s["name"]: s["targets"]["akamai"] for s in report["specs"]}


def test_a_shared_resource_url_is_an_error_on_both_specs(tmp_path: Path) -> None:
    found = _run(tmp_path, {"a.yaml": ("A", "/items"), "b.yaml": ("B", "/items"), "c.yaml": ("C", "/other")})
    assert {n: t["status"] for n, t in found.items()} == {"a": "errors", "b": "errors", "c": "warnings"}
    diagnostics = json.loads((tmp_path / "out" / "a" / "akamai" / "diagnostics.json").read_text())
    [message] = [d["message"] for d in diagnostics if d["code"] == "VALUE_INVALID_FOR_TARGET"]
    assert message == ("host 'gw.example.com' with basePath '/v1' and resourcePath '/items' is also served by 'b' "
                       "in this batch; Akamai requires host + basePath + resourcePath to be unique in the account")
    written = json.loads((tmp_path / "out" / "b" / "akamai" / "diagnostics.json").read_text())
    assert [d["severity"] for d in written if d["code"] == "VALUE_INVALID_FOR_TARGET"] == ["error"]


def test_a_shared_endpoint_name_is_an_error(tmp_path: Path) -> None:
    found = _run(tmp_path, {"a.yaml": ("Same", "/a"), "b.yaml": ("Same", "/b")})
    assert all(t["byCode"].get("VALUE_INVALID_FOR_TARGET") == 1 for t in found.values())


def test_a_resumed_batch_says_it_once(tmp_path: Path) -> None:
    specs = {"a.yaml": ("A", "/items"), "b.yaml": ("B", "/items")}
    _run(tmp_path, specs)
    found = _run(tmp_path, specs, resume=True)
    assert found["a"]["byCode"]["VALUE_INVALID_FOR_TARGET"] == 1
    written = json.loads((tmp_path / "out" / "a" / "akamai" / "diagnostics.json").read_text())
    assert [d["code"] for d in written].count("VALUE_INVALID_FOR_TARGET") == 1
