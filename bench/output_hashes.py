"""The byte-for-byte guard of the speed work: convert the whole corpus (``../shared/corpus``) to all
four targets with ``api-migrate batch`` and hash every output file, so that two versions of the code
can be compared. Timing fields of ``report.json`` (``seconds``, ``elapsed``) are dropped before
hashing; ``report.html`` (which shows timings) and the journal are left out.

    python bench/output_hashes.py build/hashes-before.txt          # write the list
    python bench/output_hashes.py build/hashes-after.txt --compare build/hashes-before.txt

Lists go under build/ (never committed). Exit 1 when ``--compare`` finds a difference.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from _common import ROOT, TARGETS, need_corpus

SKIPPED = {"report.html", ".batch-journal.jsonl"}
TIMING_KEYS = {"seconds", "elapsed", "elapsedSeconds"}


def _untimed(node: Any) -> Any:
    if isinstance(node, dict):
        return {k: _untimed(v) for k, v in node.items() if k not in TIMING_KEYS}
    if isinstance(node, list):
        return [_untimed(v) for v in node]
    return node


def hashes(outdir: Path) -> dict[str, str]:
    found: dict[str, str] = {}
    for path in sorted(outdir.rglob("*")):
        rel = path.relative_to(outdir).as_posix()
        if not path.is_file() or path.name in SKIPPED:
            continue
        data = path.read_bytes()
        if rel == "report.json":
            data = json.dumps(_untimed(json.loads(data)), sort_keys=True).encode()
        found[rel] = hashlib.sha256(data).hexdigest()
    return found


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("listing", type=Path)
    parser.add_argument("--compare", type=Path)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    corpus = need_corpus()
    out = Path(tempfile.mkdtemp(prefix="api-migrate-hashes-"))
    cmd = [sys.executable, "-m", "migrate", "batch", str(corpus), "-o", str(out), "--jobs", str(args.jobs),
           "--no-progress", "--format", "json", *[a for t in TARGETS for a in ("--to", t)]]
    start = time.perf_counter()
    subprocess.run(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, check=False)
    seconds = time.perf_counter() - start
    found = hashes(out)
    shutil.rmtree(out, ignore_errors=True)
    args.listing.parent.mkdir(parents=True, exist_ok=True)
    args.listing.write_text("".join(f"{h}  {name}\n" for name, h in found.items()))
    print(f"{len(found)} files hashed in {seconds:.1f} s -> {args.listing}")
    if args.compare is None:
        return 0
    before = dict(reversed(line.split("  ", 1)) for line in args.compare.read_text().splitlines())
    differ = sorted(n for n in set(before) | set(found) if before.get(n) != found.get(n))
    for name in differ[:40]:
        print(f"  differs: {name}")
    print(f"{len(differ)} file(s) differ from {args.compare}")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
