"""The sandboxes' state: one JSON-able document per vendor, in memory, optionally kept in a SQLite
file (``--state FILE``) so that a rehearsal survives a restart."""

from __future__ import annotations

import copy
import json
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any

from migrate.core.targets import VENDORS


class Store:
    """Per-vendor documents. Handlers mutate ``doc(vendor)`` in place and call ``commit(vendor)``;
    ``snapshot()`` is a deep copy for ``GET /_sandbox/state``."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path
        self.lock = threading.RLock()
        self._docs: dict[str, dict[str, Any]] = {vendor: {} for vendor in VENDORS}
        if path is not None:
            self._load(path)

    def doc(self, vendor: str) -> dict[str, Any]:
        return self._docs[vendor]

    def next_id(self, vendor: str, kind: str, start: int = 1) -> int:
        """A fresh integer id for ``kind`` (never reused, also across restarts with a state file)."""
        with self.lock:
            counters = self._docs[vendor].setdefault("counters", {})
            value = int(counters.get(kind, start - 1)) + 1
            counters[kind] = value
            return value

    def commit(self, vendor: str) -> None:
        """Persist one vendor's document (no-op without a state file)."""
        if self.path is None:
            return
        with self.lock, _connect(self.path) as db:
            db.execute(
                "INSERT OR REPLACE INTO state (vendor, doc) VALUES (?, ?)",
                (vendor, json.dumps(self._docs[vendor], sort_keys=True)),
            )

    def snapshot(self) -> dict[str, Any]:
        with self.lock:
            return copy.deepcopy(self._docs)

    def _load(self, path: Path) -> None:
        """Raises ValueError (which ``api-migrate sandbox`` reports as a usage error) for a file that
        is not a sandbox state file."""
        try:
            with _connect(path) as db:
                db.execute("CREATE TABLE IF NOT EXISTS state (vendor TEXT PRIMARY KEY, doc TEXT NOT NULL)")
                for vendor, text in db.execute("SELECT vendor, doc FROM state"):
                    if vendor in self._docs:
                        self._docs[vendor] = json.loads(text)
        except (sqlite3.Error, ValueError) as exc:
            raise ValueError(f"{path}: not a sandbox state file ({exc})") from None


@contextmanager
def _connect(path: Path) -> Iterator[sqlite3.Connection]:
    """A connection that commits on success and is always closed."""
    with closing(sqlite3.connect(path)) as db, db:
        yield db
