"""Verdict cache for OpenAPI/Swagger validation: skip the work for unchanged files.

An entry holds the findings of one validation (an empty list for a valid file) under a key made
of: the tool and validator versions, the spec's absolute path and ref root, the remote-ref
permission, and the SHA-256 of the spec and of every local file it references (transitively).
A spec with a remote reference, or a reference that is missing or outside the ref root, is not
cached (it is validated every time, so the ``$ref`` rules keep raising their errors). Unusable
input is never cached. A missing, unreadable or corrupt entry is a miss; writes are atomic.

The folder is ``$API_MIGRATE_CACHE_DIR`` or ``$XDG_CACHE_HOME/api-migrate/validate`` (default
``~/.cache/api-migrate/validate``).
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from migrate.core.diagnostics import Code, Diagnostic
from migrate.source.references import referenced_files
from migrate.source.refpolicy import RefPolicy

#: Bump when the entry format or the meaning of a verdict changes.
#: 2: messages with JSON literals, pointers into the file, columns; 3: the meta-check's message
#: chosen in written order (``validation.openapi._meta_in_document_order``); 4: document-schema and
#: default-value findings in written order, a default's findings under its ``/default`` pointer
FORMAT = 4
#: Most referenced files followed for a key; a spec with more is not cached.
MAX_FILES = 500
_PACKAGES = ("api-migrate", "openapi-spec-validator", "openapi-schema-validator", "jsonschema", "jsonschema-rs")


def cache_dir() -> Path:
    explicit = os.environ.get("API_MIGRATE_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "api-migrate" / "validate"


@cache
def _versions() -> tuple[str, ...]:
    """The versions of the packages a verdict depends on (read once per process: a package
    metadata lookup per spec cost about a millisecond each)."""
    found = []
    for name in _PACKAGES:
        try:
            found.append(f"{name}={version(name)}")
        except PackageNotFoundError:
            found.append(f"{name}=-")
    return tuple(found)


def cache_key(path: Path, data: Any, policy: RefPolicy, text: str | None = None) -> str | None:
    """The entry key for the spec at ``path`` (parsed as ``data``, read as ``text`` when given: a
    spec whose references are all ``#...`` is then known to be one file without a walk of its data),
    or None when it must not be cached."""
    spec = path.resolve()
    files = referenced_files(spec, policy, data=data, text=text)
    if files is None:
        return None
    digest = [[str(f), hashlib.sha256(f.read_bytes()).hexdigest()] for f in sorted(files)]
    material = [FORMAT, list(_versions()), str(spec), str(policy.root), policy.allow_remote, digest]
    return hashlib.sha256(json.dumps(material).encode()).hexdigest()


def load(key: str, path: Path) -> list[Diagnostic] | None:
    """The cached findings (attributed to ``path``), or None on a miss or a corrupt entry."""
    try:
        entry = json.loads((cache_dir() / f"{key}.json").read_text(encoding="utf-8"))
        return [Diagnostic(Code[d["code"]], str(d["pointer"]), str(d["message"]), file=str(path),
                           line=d["line"] if isinstance(d["line"], int) else None,
                           column=d.get("column") if isinstance(d.get("column"), int) else None)
                for d in entry["findings"]]
    except (OSError, ValueError, KeyError, TypeError):
        return None


def store(key: str, findings: list[Diagnostic]) -> None:
    """Write an entry atomically; a cache that cannot be written is silently not used."""
    entry = {"findings": [{"code": d.code.name, "pointer": d.pointer, "message": d.message, "line": d.line,
                              "column": d.column}
                          for d in findings]}
    folder = cache_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("w", dir=folder, suffix=".tmp", delete=False, encoding="utf-8") as tmp:
            json.dump(entry, tmp)
        os.replace(tmp.name, folder / f"{key}.json")
    except OSError:
        return
