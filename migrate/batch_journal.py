"""The batch journal ``OUTDIR/.batch-journal.jsonl``: one JSON line per finished spec, appended
and fsynced as each spec finishes, so that ``--resume`` after a crash or Ctrl-C skips exactly
the work that is done (matched by the job key: content hash + targets + options)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import IO

from migrate.batch_worker import SpecResult

JOURNAL_NAME = ".batch-journal.jsonl"


def load_journal(path: Path) -> dict[str, SpecResult]:
    """Finished results by key. A line cut short by a kill (the last one) is ignored."""
    done: dict[str, SpecResult] = {}
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return done
    for line in lines:
        try:
            result = SpecResult.from_json(json.loads(line))
        except (ValueError, KeyError, TypeError):
            continue
        done[result.key] = result
    return done


class Journal:
    """Appends results; ``resume=False`` starts a new journal."""

    def __init__(self, path: Path, resume: bool) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        if resume and path.exists() and not path.read_bytes().endswith(b"\n") and path.stat().st_size:
            with path.open("ab") as fh:  # end a line a kill cut short, so the next one stands alone
                fh.write(b"\n")
        self._fh: IO[str] = path.open("a" if resume else "w", encoding="utf-8")

    def append(self, result: SpecResult) -> None:
        self._fh.write(json.dumps(result.to_json(), ensure_ascii=False) + "\n")
        self._fh.flush()
        os.fsync(self._fh.fileno())

    def close(self) -> None:
        self._fh.close()
