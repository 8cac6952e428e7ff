"""The batch journal ``OUTDIR/.batch-journal.jsonl``: one line per finished spec
(``migrate.core.journal``), so that ``--resume`` after a crash or Ctrl-C skips exactly the work
that is done (matched by the job key: content hash + targets + options)."""

from __future__ import annotations

from pathlib import Path

from migrate.batch.worker import SpecResult
from migrate.core.journal import AppendLog

JOURNAL_NAME = ".batch-journal.jsonl"


def load_journal(path: Path) -> dict[str, SpecResult]:
    """Finished results by key. A line cut short by a kill (the last one) is ignored."""
    done: dict[str, SpecResult] = {}
    for entry in AppendLog(path).entries():
        try:
            result = SpecResult.from_json(entry)
        except (KeyError, TypeError):
            continue
        done[result.key] = result
    return done


class Journal:
    """Appends results; ``resume=False`` starts a new journal."""

    def __init__(self, path: Path, resume: bool) -> None:
        self.log = AppendLog(path)
        if not resume:
            self.log.clear()

    def append(self, result: SpecResult) -> None:
        self.log.append(result.to_json())
