"""Validation speed (issue 5): prance + openapi-spec-validator per file vs ``api-migrate
validate`` (``migrate.validation.run.validate_file``), on the same real specs, in the same run.

Run from the project root (needs ../shared/corpus):
    python bench/bench_validate_fast.py [--sample 100] [--seed 1] [--folders swagger20,openapi3]

The sample is drawn from the Swagger/OpenAPI files listed in
tests/fixtures/validate/osv-verdicts.json under the given corpus folders. There is no verdict
cache, so every timing of ours is cold. The baseline runs openapi-spec-validator with its
pure-Python jsonschema backend (what the project used before; the library would otherwise pick
jsonschema-rs by itself now that it is installed). Prints per-file means, the ratio of totals,
the median per-file ratio, and checks our verdict against openapi-spec-validator's (the golden
file, written by the library alone); prance's own disagreements (it fails on some recursive
specs, accepts OpenAPI 3.2) are counted for information.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("OPENAPI_SPEC_VALIDATOR_SCHEMA_VALIDATOR_BACKEND", "jsonschema")

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"
GOLDEN = ROOT / "tests" / "fixtures" / "validate" / "osv-verdicts.json"


def osv_verdicts() -> dict[str, str]:
    return dict(json.loads(GOLDEN.read_text())["verdicts"])


def sample(folders: list[str], size: int, seed: int) -> list[Path]:
    names = sorted(n for n in osv_verdicts() if n.split("/")[0] in folders)
    chosen = random.Random(seed).sample(names, min(size, len(names)))
    return [CORPUS / name for name in sorted(chosen)]


def prance_osv(path: Path) -> bool:
    """The baseline: prance's resolving parser validating with openapi-spec-validator."""
    import prance

    try:
        prance.ResolvingParser(str(path), backend="openapi-spec-validator", strict=False)
    except Exception:
        return False
    return True


def ours(path: Path) -> bool:
    from migrate.readers import ReadOptions
    from migrate.validation.run import exit_code, validate_file

    return exit_code([validate_file(str(path), ReadOptions())]) == 0


def timed(func: object, path: Path) -> tuple[float, bool]:
    start = time.perf_counter()
    verdict = func(path)  # type: ignore[operator]
    return time.perf_counter() - start, verdict


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sample", type=int, default=100)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--folders", default="swagger20,openapi3")
    args = parser.parse_args()
    files = sample(args.folders.split(","), args.sample, args.seed)
    golden = osv_verdicts()
    base, fast, differ, prance_differs = [], [], [], 0
    for path in files:
        t_base, v_base = timed(prance_osv, path)
        t_fast, v_fast = timed(ours, path)
        base.append(t_base)
        fast.append(t_fast)
        v_osv = golden[path.relative_to(CORPUS).as_posix()] == "valid"
        prance_differs += v_base != v_osv
        if v_fast != v_osv:
            differ.append(f"{path.relative_to(CORPUS)}: openapi-spec-validator {v_osv}, ours {v_fast}")
    ratios = [b / f for b, f in zip(base, fast, strict=True) if f > 0]
    print(f"{len(files)} files from {args.folders} (seed {args.seed})")
    print(f"prance+openapi-spec-validator: {sum(base):.2f} s total, {1000 * statistics.mean(base):.1f} ms/file")
    print(f"api-migrate validate (cold):   {sum(fast):.2f} s total, {1000 * statistics.mean(fast):.1f} ms/file")
    print(f"ratio of totals: {sum(base) / sum(fast):.1f}x; median per-file ratio: {statistics.median(ratios):.1f}x")
    slowest = sorted(zip(fast, base, files, strict=True), reverse=True)[:3]
    for t_fast, t_base, path in slowest:
        print(f"  slowest of ours: {t_fast:.2f} s (prance+osv {t_base:.2f} s) {path.relative_to(CORPUS)}")
    print(f"prance+osv verdict differs from openapi-spec-validator alone on {prance_differs} file(s)")
    print(f"our verdict differs from openapi-spec-validator on {len(differ)} file(s)"
          + "".join(f"\n  {line}" for line in differ))
    return 0


if __name__ == "__main__":
    sys.exit(main())
