"""(b) validation of the spec set (``migrate.validation.run.validate_source``) vs. prance's
ResolvingParser with the openapi-spec-validator backend, per file (target: at least 10x faster,
same verdicts).

    python bench/validate_speed.py [--count 60]
"""

from __future__ import annotations

import argparse
from pathlib import Path

from _common import emit_result, openapi3_set, swagger_set, timed

from migrate.core.diagnostics import Severity
from migrate.readers import ReadOptions
from migrate.validation.run import validate_source


def ours(path: Path) -> bool:
    try:
        return not any(d.severity is Severity.ERROR for d in validate_source(path, ReadOptions()))
    except Exception:
        return False


def reference(path: Path) -> bool:
    from prance import ResolvingParser

    try:
        ResolvingParser(str(path), backend="openapi-spec-validator", strict=False)
        return True
    except Exception:
        return False


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=60)
    args = parser.parse_args()
    files = swagger_set(args.count) + openapi3_set()
    ours(files[0]), reference(files[0])  # imports
    verdicts: dict[str, list[bool]] = {"ours": [], "ref": []}
    mine = timed(lambda: verdicts.__setitem__("ours", [ours(f) for f in files]))
    theirs = timed(lambda: verdicts.__setitem__("ref", [reference(f) for f in files]))
    differ = [str(f) for f, a, b in zip(files, verdicts["ours"], verdicts["ref"], strict=True) if a != b]
    emit_result("validate_speed", {
        "files": len(files), "oursSeconds": round(mine, 3), "pranceSeconds": round(theirs, 3),
        "speedup": round(theirs / mine, 1), "targetSpeedup": 10, "valid": sum(verdicts["ours"]),
        "verdictsDiffer": len(differ), "differExamples": differ[:10], "pass": theirs / mine >= 10 and not differ,
    })


if __name__ == "__main__":
    main()
