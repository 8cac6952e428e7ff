"""The push journal: one JSON object per line (``.api-migrate/journal.jsonl`` by default), appended
and flushed to disk after every step, so that an interrupted push resumes without duplicates.

Each entry: ``{"time", "vendor", "target", "key", "step", "sourceHash", "ids", "version"}``; the
step ``done`` marks a push whose every step finished. A line cut short by a crash is skipped.
Credentials never go into the journal: only ids, versions and hashes.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from migrate.core.journal import AppendLog

DEFAULT_PATH = Path(".api-migrate") / "journal.jsonl"


class Journal:
    def __init__(self, path: Path | str = DEFAULT_PATH) -> None:
        self.path = Path(path)
        self.log = AppendLog(self.path)

    def record(self, vendor: str, target: str, key: str, step: str, source_hash: str,
               ids: dict[str, Any] | None = None, version: str | None = None) -> None:
        """Append one step and force it to disk before returning."""
        self.log.append({"time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "vendor": vendor,
                         "target": target, "key": key, "step": step, "sourceHash": source_hash,
                         "ids": ids or {}, "version": version})

    def entries(self) -> list[dict[str, Any]]:
        """Every readable entry in order (a torn last line is ignored)."""
        return self.log.entries()

    def state(self, vendor: str, target: str, key: str) -> dict[str, Any]:
        """What the journal knows about one API: merged ``ids``, the latest ``version``, the
        ``sourceHash`` and ``time`` of the last finished push, and ``steps`` recorded since it."""
        known: dict[str, Any] = {"ids": {}, "version": None, "sourceHash": None, "time": None, "steps": []}
        for entry in self.entries():
            if (entry.get("vendor"), entry.get("target"), entry.get("key")) != (vendor, target, key):
                continue
            known["ids"].update(entry.get("ids") or {})
            known["version"] = entry.get("version") or known["version"]
            if entry.get("step") == "done":
                known.update(sourceHash=entry.get("sourceHash"), time=entry.get("time"), steps=[])
            else:
                known["steps"].append(entry.get("step"))
        return known
