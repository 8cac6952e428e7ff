"""Helpers shared by the benchmark scripts: the spec set, timing, process-tree memory."""

from __future__ import annotations

import contextlib
import json
import os
import platform
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
#: ``API_MIGRATE_BENCH_CORPUS`` points elsewhere (a bench run from a copy of the tree outside the project)
CORPUS = Path(os.environ.get("API_MIGRATE_BENCH_CORPUS") or ROOT.parent / "shared" / "corpus")
TARGETS = ("akamai", "akana", "frends", "openapi")


def need_corpus() -> Path:
    if not CORPUS.is_dir():
        sys.exit(f"needs ../shared/corpus beside the project ({CORPUS} is missing)")
    return CORPUS


def swagger_set(count: int) -> list[Path]:
    """The first ``count`` Swagger 2.0 specs of the APIs.guru corpus (sorted, so repeatable)."""
    return sorted((need_corpus() / "swagger20" / "apis-guru-2019").rglob("swagger.yaml"))[:count]


def openapi3_set() -> list[Path]:
    """OpenAPI 3.0 documents of the OAI examples (single-file ones)."""
    folder = need_corpus() / "openapi3" / "oai-openapi-specification"
    found = []
    for path in sorted(folder.rglob("*")):
        if path.suffix in (".yaml", ".yml", ".json") and path.is_file():
            head = path.read_text(encoding="utf-8", errors="replace")[:2000]
            if ("openapi: 3.0" in head or '"openapi": "3.0' in head) and "$ref: '" not in head:
                found.append(path)
    return found


def timed(func: Callable[[], Any], repeat: int = 1) -> float:
    """Best wall time of ``repeat`` runs, seconds."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        best = min(best, time.perf_counter() - start)
    return best


def machine() -> dict[str, Any]:
    return {"python": platform.python_version(), "cpus": len(os.sched_getaffinity(0)),
            "processor": platform.processor() or platform.machine(), "system": platform.platform()}


def run_measured(cmd: list[str], interval: float = 0.2, cwd: Path = ROOT, **kw: Any) -> tuple[float, int, int]:
    """Run ``cmd``; return (wall seconds, peak RSS of the whole process tree in bytes, exit code)."""
    import psutil

    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, **kw)
    peak = [0]

    def sample() -> None:
        try:
            parent = psutil.Process(proc.pid)
            while proc.poll() is None:
                total = 0
                for p in [parent, *parent.children(recursive=True)]:
                    with contextlib.suppress(psutil.Error):
                        total += p.memory_info().rss
                peak[0] = max(peak[0], total)
                time.sleep(interval)
        except psutil.Error:
            pass

    watcher = threading.Thread(target=sample, daemon=True)
    watcher.start()
    code = proc.wait()
    seconds = time.perf_counter() - start  # before the join: the sampler may be asleep for up to ``interval``
    watcher.join()
    return seconds, peak[0], code


def emit_result(name: str, result: dict[str, Any]) -> None:
    print(json.dumps({"bench": name, "machine": machine(), **result}, indent=2))
