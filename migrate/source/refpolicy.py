"""The one rule for what a ``$ref`` (OpenAPI) or ``!include`` (RAML) may point at.

Specs are untrusted. Every place that follows a reference (the readers, the validators, the
validation verdict cache, the batch content hasher) asks this module where a reference points,
so that they all accept and refuse the same references for the same reasons:

* a local file must resolve inside the root folder (``--ref-root``, default the spec's folder);
* ``http``/``https`` only with ``--allow-remote-refs``, and never for a RAML ``!include`` (the
  reader does not fetch includes);
* ``file:`` URLs are local files; any other scheme is refused;
* an absolute ``!include /x`` is read relative to the root folder (RAML 1.0's rule; the RAML 0.8
  reference parser looks in the file system root and fails), an absolute ``$ref`` path is taken
  as it is (and so is refused unless it lies inside the root);
* a reference holding a control character (NUL included) or longer than ``MAX_REFERENCE`` is
  refused before it reaches the file system.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal
from urllib.parse import unquote, urljoin, urlsplit

Kind = Literal["$ref", "!include"]

#: Longest reference followed; longer ones are refused (and shown cut short).
MAX_REFERENCE = 2048
#: Characters of a reference shown in a message.
SHOWN = 120

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class RefRefused(Exception):
    """The reference may not be followed; ``reason`` is one line for the user."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def shown(reference: str) -> str:
    """The reference as a message shows it: control characters escaped, cut to ``SHOWN``."""
    text = reference.encode("unicode_escape").decode("ascii") if _CONTROL.search(reference) else reference
    return text if len(text) <= SHOWN else text[: SHOWN - 1] + "…"


def is_remote(address: str) -> bool:
    return address.startswith(("http://", "https://"))


@dataclass(frozen=True)
class ReadOptions:
    """``ref_root``: folder that ``$ref``/``!include`` targets must stay inside (default: the
    spec's own folder). ``allow_remote_refs``: permit http(s) references."""

    ref_root: Path | None = None
    allow_remote_refs: bool = False

    def root_for(self, spec: Path) -> Path:
        return (self.ref_root or spec.parent).resolve()

    def policy(self, spec: Path) -> RefPolicy:
        return RefPolicy(self.root_for(spec), self.allow_remote_refs)


@dataclass(frozen=True)
class RefPolicy:
    """``root``: the folder local targets must stay in; ``allow_remote``: http(s) ``$ref``."""

    root: Path
    allow_remote: bool = False

    def locate(self, reference: str, base: str, kind: Kind = "$ref") -> str:
        """Where ``reference`` (its address part, without ``#fragment``), written in the document
        ``base`` (a file path or an http(s) URL), points: an absolute file path or a URL.
        Raises ``RefRefused``."""
        if len(reference) > MAX_REFERENCE:
            raise RefRefused(f"the reference is longer than {MAX_REFERENCE} characters")
        if _CONTROL.search(reference):
            raise RefRefused("the reference holds a control character")
        try:
            parts = urlsplit(reference)
        except ValueError:  # e.g. "http://[::1/x.json": an unclosed IPv6 literal
            raise RefRefused("the reference is not a valid URL") from None
        scheme = parts.scheme.lower()
        if scheme in ("http", "https") or (is_remote(base) and not scheme):
            try:
                return self._remote(urljoin(base, reference) if is_remote(base) else reference, kind)
            except ValueError:
                raise RefRefused("the reference is not a valid URL") from None
        if scheme == "file":
            path = Path(unquote(parts.path))
        elif len(scheme) > 1:
            raise RefRefused(f"unsupported reference scheme {scheme!r}")
        elif kind == "!include":  # a file name as written (RAML includes are not URL-encoded)
            path = self.root / reference.lstrip("/") if reference.startswith("/") else Path(base).parent / reference
        else:
            path = Path(base).parent / unquote(reference)
        return str(self._inside(path))

    def local_file(self, reference: str, base: str, kind: Kind = "$ref") -> Path:
        """``locate`` for a reference that must be an existing local file."""
        target = self.locate(reference, base, kind)
        if is_remote(target):
            raise RefRefused("a remote document cannot be read here")
        return self.existing(Path(target))

    def existing(self, path: Path) -> Path:
        """``path`` (as ``locate`` gave it) when it is a file; RefRefused when it is missing or the
        file system will not look it up (a name component too long, ...)."""
        try:
            found = path.is_file()
        except OSError as exc:
            raise RefRefused(f"the file cannot be opened ({exc.strerror or type(exc).__name__})") from None
        if not found:
            raise RefRefused(f"missing file {shown(self.display(path))}")
        return path

    def display(self, path: Path) -> str:
        """``path`` relative to the root folder where it lies inside it."""
        try:
            return str(path.relative_to(self.root))
        except ValueError:
            return str(path)

    def _remote(self, url: str, kind: Kind) -> str:
        if kind == "!include":
            raise RefRefused("remote !include is not supported (RAML includes must be local files)")
        if not self.allow_remote:
            raise RefRefused("remote references are refused (allow them with --allow-remote-refs)")
        return url

    def _inside(self, path: Path) -> Path:
        try:
            resolved = path.resolve()
        except (OSError, RuntimeError, ValueError) as exc:  # symlink loops, over-long names
            raise RefRefused(f"the path cannot be resolved ({type(exc).__name__})") from None
        if not resolved.is_relative_to(self.root):
            raise RefRefused(f"{shown(str(resolved))} is outside the root folder {self.root} (see --ref-root)")
        return resolved
