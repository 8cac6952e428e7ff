"""(d) start-up: ``api-migrate --help`` and ``api-migrate inspect`` of a small spec (target: at most
0.5 s each, best of 5).

    python bench/startup.py
"""

from __future__ import annotations

import functools
import subprocess
import sys
from typing import Any

from _common import ROOT, emit_result, timed

COMMANDS = {
    "help": [sys.executable, "-m", "migrate", "--help"],
    "inspect": [sys.executable, "-m", "migrate", "inspect", str(ROOT / "samples" / "petstore-swagger2.yaml")],
}


def main() -> None:
    result: dict[str, Any] = {}
    for name, cmd in COMMANDS.items():
        seconds = timed(functools.partial(subprocess.run, cmd, cwd=ROOT, capture_output=True, check=True), repeat=5)
        result[name] = {"seconds": round(seconds, 3), "pass": seconds <= 0.5}
    result["pass"] = all(r["pass"] for r in result.values())
    emit_result("startup", result)


if __name__ == "__main__":
    main()
