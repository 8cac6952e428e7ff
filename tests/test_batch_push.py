"""batch --push against the local sandboxes: clean payloads are pushed once, the rest held back."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

from testsupport import SAMPLES

from migrate.batch import run_batch
from migrate.emitters import EmitOptions
from migrate.readers import ReadOptions
from migrate.sandbox import start_sandbox, write_config
from migrate.vendors.commands import Connection


def _run(src: Path, out: Path, config: Path) -> tuple[int, dict[str, dict[str, str]]]:
    code = run_batch([src], ["frends", "openapi"], out, EmitOptions(), ReadOptions(), 1, False, "text", False,
                     push="frends", push_connection=Connection("frends", config, "sandbox-frends"), out=io.StringIO())
    entries = json.loads((out / "push-report.json").read_text())["pushes"]
    return code, {e["name"]: e for e in entries}


def test_batch_pushes_clean_specs_once_and_skips_broken_ones(tmp_path: Path) -> None:
    src = tmp_path / "src"
    shutil.copytree(SAMPLES, src)
    broken = "openapi: 3.0.3\ninfo: {title: Broken, version: '1'}\npaths:\n  /x: {$ref: 'nowhere.yaml'}\n"
    (src / "broken.yaml").write_text(broken)
    out, config = tmp_path / "out", tmp_path / "sandbox.toml"
    with start_sandbox("frends") as handle:
        write_config(handle, config)
        code, first = _run(src, out, config)
        assert code == 1  # the broken spec failed to convert
        assert first["broken"]["status"] == "skipped" and first["broken"]["reason"] == "conversion failed"
        pushed = {name for name, e in first.items() if e["status"] == "pushed"}
        assert len(pushed) == 4, first
        assert len(handle.state()["frends"]["specs"]) == 4
        _, second = _run(src, out, config)
        assert {name for name, e in second.items() if e["status"] == "unchanged"} == pushed
        assert len(handle.state()["frends"]["specs"]) == 4
