"""The one append-only journal: one JSON object per line, each forced to disk before ``append``
returns, so that a crash loses at most the line being written. A line cut short by a crash is
skipped when reading, and the next append starts on a line of its own. The batch journal and the
push journal are both this file format."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any


class AppendLog:
    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)

    def append(self, entry: dict[str, Any]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("a+b") as out:
            out.seek(0, os.SEEK_END)
            torn = out.tell() > 0 and not _ends_with_newline(out)
            line = json.dumps(entry, sort_keys=True, ensure_ascii=False) + "\n"
            out.write((("\n" if torn else "") + line).encode("utf-8"))
            out.flush()
            os.fsync(out.fileno())

    def entries(self) -> list[dict[str, Any]]:
        """Every readable entry in order (a torn or unreadable line is skipped)."""
        try:
            lines = self.path.read_bytes().decode("utf-8", errors="replace").splitlines()
        except FileNotFoundError:
            return []
        found = []
        for line in lines:
            try:
                entry = json.loads(line)
            except ValueError:
                continue
            if isinstance(entry, dict):
                found.append(entry)
        return found

    def clear(self) -> None:
        """Start a new journal."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.path.write_bytes(b"")


def _ends_with_newline(out: Any) -> bool:
    out.seek(-1, os.SEEK_END)
    last = out.read(1)
    out.seek(0, os.SEEK_END)
    return bool(last == b"\n")
