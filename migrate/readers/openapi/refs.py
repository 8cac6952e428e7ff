"""Safe ``$ref`` resolution for OpenAPI/Swagger documents.

Nothing is inlined here: a reference is turned into a ``Cursor`` (document + pointer) and the
referenced node, on use. Documents are loaded once per read through ``migrate.source.load`` and cached.

Safety rules (``ReadOptions``): a file reference must stay inside ``ReadOptions.root_for(spec)``;
an http(s) reference is refused unless ``allow_remote_refs``; a missing file or pointer and a
cycle through ``$ref`` alone raise ``RefError`` naming the reference, the file and the pointer
where it stands (and its line).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from migrate.core.diagnostics import literal
from migrate.core.errors import ReadError, RefError
from migrate.core.pointers import escape_token, line_of, pointer_tokens
from migrate.source.load import MAX_FILE_BYTES, load_data, parse_text
from migrate.source.refpolicy import ReadOptions, RefRefused, is_remote, shown

#: Seconds to wait for a remote reference (only fetched when allowed).
REMOTE_TIMEOUT = 10.0
#: Longest chain of references to references followed before giving up.
MAX_REF_CHAIN = 64


class Cursor:
    """Where a node stands: ``doc`` (document key: a file path or URL), ``ptr`` (JSON pointer in
    that document) and ``shown`` (the pointer given to the model: the same for the root document;
    for nodes reached in another document, the root-document place that referred to it, extended
    by the path inside the referenced node)."""

    __slots__ = ("doc", "ptr", "shown")

    def __init__(self, doc: str, ptr: str, shown: str) -> None:
        self.doc, self.ptr, self.shown = doc, ptr, shown

    def child(self, *tokens: str | int) -> Cursor:
        if len(tokens) == 1:  # the common case, kept cheap: pointers are built for every node
            token = str(tokens[0])
            tail = "/" + (escape_token(token) if "~" in token or "/" in token else token)
        else:
            tail = "".join("/" + escape_token(str(t)) for t in tokens)
        return Cursor(self.doc, self.ptr + tail, self.shown + tail)

    def __repr__(self) -> str:
        return f"Cursor({literal(self.doc)}, {literal(self.ptr)}, {literal(self.shown)})"


class Resolver:
    """Follows ``$ref`` values from a root document, loading referenced files on demand."""

    def __init__(self, path: Path, data: Any, options: ReadOptions,
                 on_repair: Callable[[Cursor, str], None] | None = None) -> None:
        self.on_repair = on_repair
        self.root = str(path.resolve())
        self.policy = options.policy(path)
        self.docs: dict[str, Any] = {self.root: data}
        #: the node at each (document, pointer) looked up so far (documents do not change once read)
        self.found: dict[tuple[str, str], Any] = {}

    def start(self) -> Cursor:
        return Cursor(self.root, "", "")

    # -- errors ------------------------------------------------------------------------------
    def error(self, at: Cursor, ref: str, why: str) -> RefError:
        where = at.ptr + "/$ref"
        line = None if is_remote(at.doc) else line_of(at.doc, where)
        return RefError(at.doc, f"$ref {literal(shown(ref))}: {why}", line=line, pointer=where)

    # -- following references ------------------------------------------------------------------
    def target(self, ref: str, at: Cursor) -> tuple[Any, Cursor]:
        """The node ``ref`` (written at ``at``) points to, and its cursor."""
        address, _, fragment = ref.partition("#")
        doc = self._document(address, at, ref) if address else at.doc
        ptr = unquote(fragment)
        if ptr and not ptr.startswith("/"):
            if self.on_repair is None:
                raise self.error(at, ref, "the fragment is not a JSON pointer")
            self.on_repair(at, f"$ref {literal(ref)}: the fragment is not a JSON pointer; read as '/{ptr}'")
            ptr = "/" + ptr
        node = self.lookup(doc, ptr, at, ref)
        shown = ptr if doc == self.root else at.shown
        return node, Cursor(doc, ptr, shown)

    def follow(self, node: Any, at: Cursor) -> tuple[Any, Cursor]:
        """Follow ``node`` while it is a ``{$ref: ...}``; a cycle through references alone raises."""
        seen: set[tuple[str, str]] = set()
        while isinstance(node, dict) and isinstance(node.get("$ref"), str):
            key = (at.doc, at.ptr)
            if key in seen or len(seen) >= MAX_REF_CHAIN:
                raise self.error(at, node["$ref"], "the reference cycles through references alone")
            seen.add(key)
            node, at = self.target(node["$ref"], at)
        return node, at

    def lookup(self, doc: str, ptr: str, at: Cursor, ref: str) -> Any:
        key = (doc, ptr)
        if key in self.found:
            return self.found[key]
        node = self.docs[doc]
        for token in pointer_tokens(ptr):
            node = _step(node, token)
            if node is _MISSING:
                raise self.error(at, ref, f"{literal(token)} not found in {self.display(doc)}")
        self.found[key] = node
        return node

    def display(self, doc: str) -> str:
        if is_remote(doc):
            return doc
        try:
            return str(Path(doc).relative_to(Path(self.root).parent))
        except ValueError:
            return doc

    # -- loading documents -----------------------------------------------------------------------
    def _document(self, address: str, at: Cursor, ref: str) -> str:
        doc = self._locate(address, at, ref)
        if doc not in self.docs:
            self.docs[doc] = self._fetch(doc, at, ref) if is_remote(doc) else self._load(Path(doc), at, ref)
        return doc

    def _locate(self, address: str, at: Cursor, ref: str) -> str:
        try:
            return self.policy.locate(address, at.doc, "$ref")
        except RefRefused as exc:
            raise self.error(at, ref, exc.reason) from None

    def _load(self, path: Path, at: Cursor, ref: str) -> Any:
        try:
            self.policy.existing(path)
        except RefRefused as exc:
            raise self.error(at, ref, exc.reason) from None
        try:
            return load_data(path)
        except ReadError as exc:
            raise self.error(at, ref, f"cannot read {self.display(str(path))}: {exc.reason}") from None

    def _fetch(self, url: str, at: Cursor, ref: str) -> Any:
        import requests

        try:
            response = requests.get(url, timeout=REMOTE_TIMEOUT)
        except requests.RequestException as exc:
            raise self.error(at, ref, f"cannot fetch: {type(exc).__name__}") from None
        if response.status_code != 200:
            raise self.error(at, ref, f"cannot fetch: HTTP {response.status_code}")
        if len(response.content) > MAX_FILE_BYTES:
            raise self.error(at, ref, "remote document is too large")
        try:
            return parse_text(response.content.decode("utf-8-sig"), url)
        except (ReadError, UnicodeDecodeError) as exc:
            raise self.error(at, ref, f"cannot read {url}: {getattr(exc, 'reason', 'not UTF-8')}") from None


_MISSING = object()


def _step(node: Any, token: str) -> Any:
    if isinstance(node, dict):
        if token in node:
            return node[token]
        if token.lstrip("-").isdigit() and int(token) in node:  # YAML keys such as 200
            return node[int(token)]
        return _MISSING
    if isinstance(node, list) and token.isdigit() and int(token) < len(node):
        return node[int(token)]
    return _MISSING
