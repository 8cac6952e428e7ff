"""(a) read + model + all four emitters (no validation) vs. parsing the same files with the C
JSON/YAML loader (target: at most 6x), and vs. the node tool api-spec-converter converting the
OpenAPI 3 files to Swagger 2 (installed with npm into a temporary folder at run time).

    python bench/convert_speed.py [--count 60] [--no-node]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from _common import TARGETS, emit_result, openapi3_set, swagger_set, timed

from migrate.batch.worker import read_with_diagnostics
from migrate.emitters.base import EmitOptions, emit
from migrate.readers import ReadOptions
from migrate.source.load import load_data

NODE_SCRIPT = """
const converter = require('api-spec-converter');
const files = JSON.parse(process.argv[2]);
(async () => {
  const start = process.hrtime.bigint();
  let ok = 0;
  for (const f of files) {
    try { const r = await converter.convert({from: 'openapi_3', to: 'swagger_2', source: f}); r.stringify(); ok++; }
    catch (e) { }
  }
  console.log(JSON.stringify({seconds: Number(process.hrtime.bigint() - start) / 1e9, ok}));
})();
"""


def convert_all(files: list[Path]) -> None:
    for path in files:
        try:
            api, _ = read_with_diagnostics(path, ReadOptions())
        except Exception:  # a spec the reader refuses costs what it cost
            continue
        for target in TARGETS:
            with contextlib.suppress(Exception):
                emit(api, target, EmitOptions())


def parse_all(files: list[Path]) -> None:
    for path in files:
        with contextlib.suppress(Exception):
            load_data(path)


def node_time(files: list[Path]) -> dict[str, float] | None:
    if not shutil.which("npm"):
        return None
    folder = Path(tempfile.mkdtemp(prefix="api-migrate-bench-"))
    subprocess.run(["npm", "install", "--silent", "--prefix", str(folder), "api-spec-converter"], check=True,
                   capture_output=True)
    script = folder / "convert.js"
    script.write_text(NODE_SCRIPT)
    done = subprocess.run(["node", str(script), json.dumps([str(f) for f in files])], cwd=folder,
                          capture_output=True, text=True, check=True)
    shutil.rmtree(folder, ignore_errors=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=60)
    parser.add_argument("--no-node", action="store_true")
    args = parser.parse_args()
    oas3 = openapi3_set()
    files = swagger_set(args.count) + oas3
    convert_all(files[:3])  # imports and caches warm
    ours = timed(lambda: convert_all(files))
    parse = timed(lambda: parse_all(files))
    result: dict[str, Any] = {"files": len(files), "convertSeconds": round(ours, 3), "parseSeconds": round(parse, 3),
              "ratioVsParse": round(ours / parse, 2), "targetRatio": 6, "pass": ours / parse <= 6}
    if not args.no_node:
        ours3 = timed(lambda: convert_all(oas3))
        node = node_time(oas3)
        if node:
            result["apiSpecConverter"] = {"files": len(oas3), "nodeSeconds": round(node["seconds"], 3),
                                          "nodeConverted": node["ok"], "oursSeconds": round(ours3, 3),
                                          "ratioOursVsNode": round(ours3 / node["seconds"], 2)}
    emit_result("convert_speed", result)


if __name__ == "__main__":
    main()
