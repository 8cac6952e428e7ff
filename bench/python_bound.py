"""How far the in-process stages are from the least work pure Python can do for them (issue 12).

    python bench/python_bound.py [--count 100] [--json]

On the derived set of ``batch_speed.py`` (100 OpenAPI 3 JSON specs made by api-spec-converter; needs
node once, then cached under build/bench-cache), all measured in one run against the same JSON parse
floor (``batch_speed.floor``), the collector paused as in a batch worker, best of 5:

- **bare model**: one object per JSON object of each source (members kept as a dict, its JSON
  pointer built): what any reader building a model of objects with pointers must at least do;
- **bare output, per target**: a plain copy of every output document the batch wrote for it
  (dicts and lists rebuilt): what any emitter building its payload must at least do;
- **ours**: the same stages as a batch worker runs them (``batch_speed.stages``).

The bare sum is a lower bound of "read + 4 emitters" for this design (a model of Python objects and
four emitters), with no logic at all: no ``$ref`` resolution, no diagnostics, no templates, no checks
of the output. Each stage's ratio to its bare cost says where the excess is.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from _common import ROOT, TARGETS, machine
from batch_speed import best, derived_files, floor, stages

#: the payload file of each target that holds its document
DOCUMENTS = {"akamai": "akamai.json", "akana": "akana.json", "frends": "frends-openapi.json",
             "openapi": "openapi.json"}


class Bare:
    """One model object: the members of a JSON object and its pointer."""

    __slots__ = ("members", "pointer")

    def __init__(self, members: dict[str, Any], pointer: str) -> None:
        self.members, self.pointer = members, pointer


def bare_model(node: Any, pointer: str = "") -> Any:
    if isinstance(node, dict):
        return Bare({k: bare_model(v, pointer + "/" + _escaped(k)) if isinstance(v, (dict, list)) else v
                     for k, v in node.items()}, pointer)
    return [bare_model(v, f"{pointer}/{i}") if isinstance(v, (dict, list)) else v for i, v in enumerate(node)]


def _escaped(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1") if "~" in token or "/" in token else token


def bare_copy(node: Any) -> Any:
    if isinstance(node, dict):
        return {k: bare_copy(v) for k, v in node.items()}
    if isinstance(node, list):
        return [bare_copy(v) for v in node]
    return node


def outputs(files: list[Path], folder: Path) -> dict[str, list[Any]]:
    """Every target's output documents, from one batch over ``files`` into ``folder``."""
    env = {**os.environ, "API_MIGRATE_CACHE_DIR": str(folder / "cache")}
    subprocess.run([sys.executable, "-m", "migrate", "batch", *map(str, files), "-o", str(folder / "out"),
                    "--jobs", "2", "--no-progress", *[a for t in TARGETS for a in ("--to", t)]],
                   cwd=ROOT, env=env, stdout=subprocess.DEVNULL, check=False)  # exit 1: findings
    found = {target: [json.loads(p.read_text(encoding="utf-8"))
                      for p in sorted((folder / "out").glob(f"*/{target}/{DOCUMENTS[target]}"))]
             for target in TARGETS}
    short = {target: len(docs) for target, docs in found.items() if len(docs) != len(files)}
    if short:
        sys.exit(f"the batch wrote fewer documents than specs ({len(files)}): {short}")
    return found


def measure(files: list[Path]) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        docs = outputs(files, Path(tmp))
    sources = [json.loads(f.read_text(encoding="utf-8")) for f in files]
    parse = floor(files)
    ours = stages(files)
    gc.disable()
    try:
        bare = {"read": best(lambda: [bare_model(s) for s in sources], 5)}
        for target in TARGETS:
            bare[target] = best(lambda t=target: [bare_copy(d) for d in docs[t]], 5)
    finally:
        gc.enable()
    rows = {stage: {"bare": bare[stage], "ours": ours[stage], "bareFloor": bare[stage] / parse,
                    "oursFloor": ours[stage] / parse, "excess": ours[stage] / bare[stage]}
            for stage in ("read", *TARGETS)}
    total_bare, total_ours = sum(bare.values()), sum(ours[s] for s in rows)
    return {"machine": machine(), "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "files": len(files),
            "outputs": {t: len(d) for t, d in docs.items()}, "floor": parse, "stages": rows,
            "readPlus4": {"bare": total_bare, "ours": total_ours, "bareFloor": total_bare / parse,
                          "oursFloor": total_ours / parse, "target": 8.0}}


def table(result: dict[str, Any]) -> str:
    lines = [f"JSON parse floor {result['floor']:.3f} s ({result['files']} specs)",
             f"{'stage':10} {'bare s':>8} {'x floor':>8} {'ours s':>8} {'x floor':>8} {'ours/bare':>9}"]
    for stage, row in [*result["stages"].items(), ("all", result["readPlus4"])]:
        excess = row.get("excess", row["ours"] / row["bare"])
        lines.append(f"{stage:10} {row['bare']:8.3f} {row['bareFloor']:7.1f}x {row['ours']:8.3f} "
                     f"{row['oursFloor']:7.1f}x {excess:8.1f}x")
    lines.append(f"target for read + 4 emitters: <= {result['readPlus4']['target']:.0f}x the floor")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=100)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    files = derived_files(args.count)
    result = measure(files)
    print(json.dumps(result, indent=2) if args.json else table(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
