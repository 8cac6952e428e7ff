"""Accepted losses (``--accept FILE``): a reviewed list of diagnostics a migration accepts, each
with a reason, so that ``--strict`` can pass on a real spec whose known losses were looked at.
Accepted diagnostics are reported apart and never fail a run; an error is never accepted (the
vendor would reject the payload, or the source is broken).

The file (YAML; ``api-migrate accept --write FILE`` writes one from a run)::

    accept:
      - code: DESCRIPTION_DROPPED          # required: a diagnostic code
        reason: Akamai keeps no descriptions; the portal has them   # required
        spec: "specs/*.yaml"               # optional: a glob on the spec's path, taken from the
                                           # file's folder (or on its name alone)
        target: akamai                     # optional
        pointers: [/paths/~1pets/get]      # optional: these places and what lies below them
"""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from migrate.core.diagnostics import Code, Diagnostic, Severity
from migrate.core.errors import UsageError


@dataclass(frozen=True)
class Rule:
    code: str
    reason: str
    spec: str | None = None
    target: str | None = None
    pointers: tuple[str, ...] = ()

    def matches(self, d: Diagnostic, spec: str, target: str, base: Path) -> bool:
        if d.code.name != self.code or (self.target and self.target != target):
            return False
        if self.spec and not _spec_matches(spec, self.spec, base):
            return False
        return not self.pointers or any(_covers(p, d.pointer) for p in self.pointers)


@dataclass
class Acceptance:
    """The rules of one ``--accept`` file (``source``); an empty one accepts nothing."""

    rules: list[Rule] = field(default_factory=list)
    source: str = ""
    base: Path = field(default_factory=Path)

    @classmethod
    def load(cls, path: Path | str | None) -> Acceptance:
        if path is None:
            return cls()
        try:
            data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as exc:
            raise UsageError(f"--accept {path}: cannot read it ({type(exc).__name__})") from None
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f":{mark.line + 1}" if mark is not None else ""
            raise UsageError(f"--accept {path}{where}: not valid YAML") from None
        entries = data.get("accept") if isinstance(data, dict) else None
        if not isinstance(entries, list):
            raise UsageError(f"--accept {path}: expected a mapping with an 'accept' list")
        rules = [_rule(entry, f"{path} (accept/{i})") for i, entry in enumerate(entries)]
        return cls(rules, str(path), Path(path).resolve().parent)

    def split(self, diagnostics: Iterable[Diagnostic], spec: str,
              target: str) -> tuple[list[Diagnostic], list[Diagnostic]]:
        """(kept, accepted): errors are always kept."""
        kept: list[Diagnostic] = []
        accepted: list[Diagnostic] = []
        for d in diagnostics:
            ok = d.severity is not Severity.ERROR and any(r.matches(d, spec, target, self.base) for r in self.rules)
            (accepted if ok else kept).append(d)
        return kept, accepted


def _covers(pointer: str, found: str) -> bool:
    """``pointer`` names ``found`` or a place that holds it; the document root ("" or "/") names
    the diagnostics about the whole document only, never everything in it."""
    if pointer in ("", "/"):
        return found in ("", "/")
    return found == pointer or found.startswith(pointer.rstrip("/") + "/")


def _spec_matches(spec: str, pattern: str, base: Path) -> bool:
    """``pattern`` (relative to the accept file's folder, or absolute) against the spec's resolved
    path; a pattern without a folder also matches the spec's name."""
    full = str(Path(spec).resolve())
    if fnmatch.fnmatch(full, os.path.normpath(base / pattern)) or fnmatch.fnmatch(full, pattern):
        return True
    return "/" not in pattern and fnmatch.fnmatch(Path(spec).name, pattern)


def _rule(entry: Any, where: str) -> Rule:
    if not isinstance(entry, dict):
        raise UsageError(f"--accept {where}: each entry is a mapping with code and reason")
    code, reason = str(entry.get("code")), entry.get("reason")
    if code not in Code.__members__:
        raise UsageError(f"--accept {where}: unknown code {code!r} (see README: the loss report)")
    if Code[code].severity is Severity.ERROR:
        raise UsageError(f"--accept {where}: {code} is an error; errors cannot be accepted")
    if not isinstance(reason, str) or not reason.strip():
        raise UsageError(f"--accept {where}: {code} needs a reason")
    pointers = entry.get("pointers") or ()
    if isinstance(pointers, str):
        pointers = (pointers,)
    unknown = sorted(set(entry) - {"code", "reason", "spec", "target", "pointers"})
    if unknown:
        raise UsageError(f"--accept {where}: unknown key(s) {', '.join(unknown)}")
    return Rule(code, reason.strip(), _opt(entry.get("spec")), _opt(entry.get("target")),
                tuple(str(p) for p in pointers))


def _opt(value: Any) -> str | None:
    return None if value is None else str(value)


def baseline(runs: Iterable[tuple[str, str, list[Diagnostic]]], reason: str, folder: Path) -> str:
    """An ``--accept`` file (to be written in ``folder``) accepting every warning and info of
    ``runs`` ((spec, target, diagnostics)): one entry per spec (its path from ``folder``), target
    and code, listing its pointers."""
    entries: dict[tuple[str, str, str], list[str]] = {}
    for path, target, diagnostics in runs:
        spec = os.path.relpath(Path(path).resolve(), folder.resolve()).replace(os.sep, "/")
        for d in diagnostics:
            if d.severity is not Severity.ERROR:
                entries.setdefault((spec, target, d.code.name), []).append(d.pointer or "")
    out = [{"code": code, "spec": spec, "target": target, "pointers": sorted(set(pointers)), "reason": reason}
           for (spec, target, code), pointers in sorted(entries.items())]
    header = "# Accepted losses: review each entry and say why it is acceptable (api-migrate accept --write)\n"
    return header + yaml.safe_dump({"accept": out}, sort_keys=False, allow_unicode=True, width=120)
