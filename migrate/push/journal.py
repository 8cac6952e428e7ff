"""The push journal: one JSON object per line (``.api-migrate/journal.jsonl`` by default), appended
and flushed to disk after every step, so that an interrupted push resumes without duplicates.

Each entry: ``{"time", "vendor", "target", "key", "step", "sourceHash", "ids", "version"}`` and, on
the steps that wrote the definition, ``"local"``: the fields the vendor need not return, as sent
(``Definition.local``); the step ``done`` marks a push whose every step finished. A line cut short
by a crash is skipped. Credentials never go into the journal: only ids, versions, hashes and the
``local`` fields (Akana: tag names and policy keys).
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
               ids: dict[str, Any] | None = None, version: str | None = None,
               local: dict[str, Any] | None = None) -> None:
        """Append one step and force it to disk before returning."""
        entry = {"time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "vendor": vendor,
                 "target": target, "key": key, "step": step, "sourceHash": source_hash,
                 "ids": ids or {}, "version": version}
        if local is not None:
            entry["local"] = local
        self.log.append(entry)

    def entries(self) -> list[dict[str, Any]]:
        """Every readable entry in order (a torn last line is ignored)."""
        return self.log.entries()

    def state(self, vendor: str, target: str, key: str) -> dict[str, Any]:
        """What the journal knows about one API: merged ``ids``, the latest ``version``, the
        ``sourceHash`` and ``time`` of the last finished push, ``steps`` recorded since it, and the
        latest ``local`` (what a push sent of the fields the vendor need not return) with the
        ``localIds`` it was written under (the ids of the definition it describes), and ``doneIds``:
        the ids the last finished push recorded."""
        known: dict[str, Any] = {"ids": {}, "version": None, "sourceHash": None, "time": None, "steps": [],
                                 "local": None, "localIds": {}, "doneIds": {}}
        for entry in self.entries():
            if (entry.get("vendor"), entry.get("target"), entry.get("key")) != (vendor, target, key):
                continue
            known["ids"].update(entry.get("ids") or {})
            known["version"] = entry.get("version") or known["version"]
            if isinstance(entry.get("local"), dict):
                known.update(local=entry["local"], localIds=dict(entry.get("ids") or {}))
            if entry.get("step") == "done":
                known.update(sourceHash=entry.get("sourceHash"), time=entry.get("time"), steps=[],
                             doneIds=dict(entry.get("ids") or {}))
            else:
                known["steps"].append(entry.get("step"))
        return known
