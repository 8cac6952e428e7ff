"""(c) the largest spec of ../shared/corpus/large read and emitted for all four targets (target:
at most 10 s, peak memory at most 1 GB), and a batch of 600 specs on all cores (target: peak
memory of the whole process tree at most 2 GB).

    python bench/large_and_batch.py [--skip-batch] [--batch-count 600]
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from _common import CORPUS, emit_result, need_corpus, run_measured

LARGE = """
import sys
from pathlib import Path
from migrate.batch_worker import read_with_diagnostics
from migrate.emitters import emit, EmitOptions
api, _ = read_with_diagnostics(Path(sys.argv[1]), __import__("migrate.readers").readers.ReadOptions())
for t in ("akamai", "akana", "frends", "openapi"):
    emit(api, t, EmitOptions())
"""

BATCH = """
import sys, json
from pathlib import Path
from migrate.batch import run_batch
from migrate.emitters import EmitOptions
from migrate.readers import ReadOptions
paths = [Path(p) for p in json.loads(sys.argv[1])]
sys.exit(run_batch(paths, ["akamai", "akana", "frends", "openapi"], Path(sys.argv[2]), EmitOptions(),
                   ReadOptions(), jobs=2, resume=False, fmt="json", progress=False))
"""


def largest() -> Path:
    files = [p for p in (need_corpus() / "large").rglob("*") if p.is_file() and p.suffix in (".yaml", ".json")]
    return max(files, key=lambda p: p.stat().st_size)


def batch_specs(count: int) -> list[Path]:
    specs = sorted((CORPUS / "swagger20").rglob("swagger.yaml"))
    specs += sorted((CORPUS / "openapi3" / "oai-openapi-specification").rglob("*.yaml"))
    return specs[:count]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--skip-batch", action="store_true")
    parser.add_argument("--batch-count", type=int, default=600)
    args = parser.parse_args()
    spec = largest()
    wall, peak, code = run_measured([sys.executable, "-c", LARGE, str(spec)])
    result = {"large": {"spec": str(spec.relative_to(CORPUS)), "megabytes": round(spec.stat().st_size / 2**20, 2),
                        "seconds": round(wall, 2), "peakMiB": peak // 2**20, "exit": code,
                        "pass": wall <= 10 and peak <= 2**30 and code == 0}}
    if not args.skip_batch:
        out = Path(tempfile.mkdtemp(prefix="api-migrate-batch-"))
        specs = batch_specs(args.batch_count)
        wall, peak, code = run_measured([sys.executable, "-c", BATCH, json.dumps([str(s) for s in specs]),
                                         str(out)], stdout=subprocess.DEVNULL)
        report = json.loads((out / "report.json").read_text())
        result["batch"] = {"specs": len(specs), "seconds": round(wall, 1), "peakMiB": peak // 2**20,
                           "byStatus": report["summary"]["byStatus"], "exit": code, "pass": peak <= 2 * 2**30}
        shutil.rmtree(out, ignore_errors=True)
    emit_result("large_and_batch", result)


if __name__ == "__main__":
    main()
