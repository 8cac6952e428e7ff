"""(c) the largest spec of ../shared/corpus/large, and a 5 MB+ spec built at run time by merging
the largest ones (nothing in the corpus reaches 5 MB), each read and emitted for all four targets
in a fresh process (target: at most 10 s, peak memory at most 1 GB); and a batch of 600 specs on
all cores (target: peak memory of the whole process tree at most 2 GB).

    python bench/large_and_batch.py [--skip-batch] [--batch-count 600] [--merge-count 2]

The merged spec is written into a temporary folder and removed afterwards (never committed).
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from _common import CORPUS, emit_result, need_corpus, run_measured

LARGE = """
import sys
from pathlib import Path
from migrate.batch.worker import read_with_diagnostics
from migrate.emitters.base import emit, EmitOptions
api, _ = read_with_diagnostics(Path(sys.argv[1]), __import__("migrate.readers").readers.ReadOptions())
for t in ("akamai", "akana", "frends", "openapi"):
    emit(api, t, EmitOptions())
"""

BATCH = """
import sys, json
from pathlib import Path
from migrate.batch.run import run_batch
from migrate.emitters.base import EmitOptions
from migrate.readers import ReadOptions
paths = [Path(p) for p in json.loads(sys.argv[1])]
sys.exit(run_batch(paths, ["akamai", "akana", "frends", "openapi"], Path(sys.argv[2]), EmitOptions(),
                   ReadOptions(), jobs=2, resume=False, fmt="json", progress=False))
"""


def largest(count: int = 1) -> list[Path]:
    """The ``count`` largest specs of corpus/large, largest first."""
    files = [p for p in (need_corpus() / "large").rglob("*") if p.is_file() and p.suffix in (".yaml", ".json")]
    return sorted(files, key=lambda p: p.stat().st_size, reverse=True)[:count]


#: top-level maps whose entries are renamed with the source's prefix (and every $ref to them)
_RENAMED = ("definitions", "parameters", "responses", "securityDefinitions")


def _rewrite_refs(node: Any, prefix: str) -> Any:
    """A copy of ``node`` with every local ``$ref`` pointing at the prefixed name."""
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str) and value.startswith("#/"):
                section, _, name = value[2:].partition("/")
                value = f"#/{section}/{prefix}_{name}" if section in _RENAMED else value
            out[key] = _rewrite_refs(value, prefix)
        return out
    if isinstance(node, list):
        return [_rewrite_refs(item, prefix) for item in node]
    return node


def _add_spec(merged: dict[str, Any], spec: dict[str, Any], prefix: str) -> None:
    """Put ``spec``'s paths under ``/prefix`` + its basePath, its named objects under ``prefix_``;
    its document-wide consumes/produces/security move down into its operations."""
    spec = _rewrite_refs(spec, prefix)
    base = "/" + prefix + (spec.get("basePath") or "").rstrip("/")
    for path, item in spec["paths"].items():
        for method, op in item.items():
            if method in ("parameters", "$ref") or not isinstance(op, dict):
                continue
            for key in ("consumes", "produces", "security"):
                if key in spec and key not in op:
                    op[key] = spec[key]
            if "security" in op:
                op["security"] = [{f"{prefix}_{k}": v for k, v in req.items()} for req in op["security"]]
        merged["paths"][base + path] = item
    for section in _RENAMED:
        for name, value in spec.get(section, {}).items():
            merged.setdefault(section, {})[f"{prefix}_{name}"] = value
    known = {tag["name"] for tag in merged["tags"]}
    merged["tags"].extend(tag for tag in spec.get("tags", []) if tag["name"] not in known)


def merged_spec(sources: list[Path], folder: Path) -> Path:
    """One Swagger 2.0 document (YAML) made of ``sources`` (Swagger 2.0), written into ``folder``."""
    import yaml

    merged: dict[str, Any] = {"swagger": "2.0", "info": {"title": "merged large specs", "version": "1"},
                              "host": "merged.example.com", "schemes": ["https"], "tags": [], "paths": {}}
    for source in sources:
        spec = yaml.load(source.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
        _add_spec(merged, spec, source.parent.parent.name.split(".")[0])
    target = folder / "merged.yaml"
    target.write_text(yaml.dump(merged, Dumper=yaml.CSafeDumper, sort_keys=False, allow_unicode=True),
                      encoding="utf-8")
    return target


def measure_large(spec: Path, name: str) -> dict[str, Any]:
    """Read + all four emitters of ``spec`` in a fresh process: wall time and peak RSS."""
    wall, peak, code = run_measured([sys.executable, "-c", LARGE, str(spec)])
    return {"spec": name, "megabytes": round(spec.stat().st_size / 2**20, 2), "seconds": round(wall, 2),
            "peakMiB": peak // 2**20, "exit": code, "pass": wall <= 10 and peak <= 2**30 and code == 0}


def batch_specs(count: int) -> list[Path]:
    specs = sorted((CORPUS / "swagger20").rglob("swagger.yaml"))
    specs += sorted((CORPUS / "openapi3" / "oai-openapi-specification").rglob("*.yaml"))
    return specs[:count]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--skip-batch", action="store_true")
    parser.add_argument("--batch-count", type=int, default=600)
    parser.add_argument("--merge-count", type=int, default=2, help="how many of the largest specs to merge (>= 5 MB)")
    args = parser.parse_args()
    spec = largest()[0]
    result: dict[str, Any] = {"large": measure_large(spec, str(spec.relative_to(CORPUS)))}
    sources = largest(args.merge_count)
    with tempfile.TemporaryDirectory(prefix="api-migrate-merged-") as folder:
        merged = merged_spec(sources, Path(folder))
        names = " + ".join(str(s.relative_to(CORPUS)) for s in sources)
        result["merged"] = measure_large(merged, f"merged: {names}")
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
