"""RFC 6901 JSON pointers, and the line of the node a pointer names in a YAML/JSON file."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

import yaml

from migrate.core.jsonpos import JsonIndex

try:  # the C loader is several times faster; fall back where libyaml is missing
    from yaml import CSafeLoader as SafeLoader
except ImportError:  # pragma: no cover - depends on the PyYAML build
    from yaml import SafeLoader  # type: ignore[assignment]


def escape_token(token: str) -> str:
    return str(token).replace("~", "~0").replace("/", "~1")


def pointer_join(base: str, *tokens: str | int) -> str:
    return base + "".join("/" + escape_token(str(t)) for t in tokens)


def pointer_tokens(pointer: str) -> list[str]:
    if not pointer or pointer == "/":
        return []
    return [t.replace("~1", "/").replace("~0", "~") for t in pointer.lstrip("/").split("/")]


#: node trees the spec loader composed while reading (``source.load``), by file name, with their text
_COMPOSED: dict[str, tuple[str, yaml.Node]] = {}
_KEEP_COMPOSED = 4


def remember_composed(name: str, text: str, node: yaml.Node) -> None:
    """Keep the tree the loader composed from ``text`` (the file ``name``) for ``position_of``."""
    key = os.path.abspath(name)
    _COMPOSED.pop(key, None)
    _COMPOSED[key] = (text, node)
    while len(_COMPOSED) > _KEEP_COMPOSED:
        del _COMPOSED[next(iter(_COMPOSED))]


@lru_cache(maxsize=16)
def _compose(path: str) -> yaml.Node | None:
    from migrate.core.errors import ReadError
    from migrate.source.load import read_text

    try:
        text = read_text(Path(path))
        kept = _COMPOSED.get(os.path.abspath(path))
        if kept is not None and kept[0] == text:  # the same text composes to the same tree
            return kept[1]
        return yaml.compose(text, Loader=SafeLoader)
    except (ReadError, yaml.YAMLError):
        return None


@lru_cache(maxsize=16)
def _json_index(path: str) -> JsonIndex | None:
    """The JSON position index of a file that is JSON the YAML loader reads alike, else None."""
    if not path.endswith(".json"):
        try:
            with open(path, "rb") as fh:
                head = fh.read(64).lstrip(b"\xef\xbb\xbf \t\r\n")
        except OSError:
            return None
        if not head.startswith((b"{", b"[")):
            return None
    parsed = _JSON_TEXTS.get(os.path.abspath(path))
    if parsed is not None:  # the text the spec loader read whole as JSON (no need to decode it again)
        return JsonIndex.build(parsed, parsed=True)
    try:
        return JsonIndex.build(Path(path).read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError):
        return None


def forget_positions() -> None:
    """Drop the documents kept for ``position_of`` (a batch worker, after each spec)."""
    _compose.cache_clear()
    _json_index.cache_clear()
    _COMPOSED.clear()
    _POSITIONS.clear()
    _READ.clear()
    _JSON_TEXTS.clear()


#: the hash of the text last read from each file (``source.load.read_text``), by absolute path
_READ: dict[str, int] = {}


def note_read(name: str, text: str) -> None:
    """The spec loader read ``text`` from the file ``name``. When that file was read before with
    other text (rewritten within one process: a long-lived caller, a migration that writes then
    converts again), every kept index, tree and position is dropped: they would give its old
    lines."""
    key, digest = os.path.abspath(name), hash(text)
    if _READ.get(key, digest) != digest:
        forget_positions()
    _READ[key] = digest


#: the last texts ``json.loads`` read whole (``source.load``), by the absolute path of their file
_JSON_TEXTS: dict[str, str] = {}
_KEEP_JSON_TEXTS = 16


def note_json(name: str, text: str) -> None:
    """The spec loader read ``text``, the text of the file ``name`` (``note_read``), as one JSON
    document: its position index need not read and decode the file again."""
    key = os.path.abspath(name)
    if _READ.get(key) != hash(text):  # not the file's text as read (standard input, a text made in memory)
        return
    _JSON_TEXTS.pop(key, None)
    if len(_JSON_TEXTS) >= _KEEP_JSON_TEXTS:
        del _JSON_TEXTS[next(iter(_JSON_TEXTS))]
    _JSON_TEXTS[key] = text


def line_of(path: str | None, pointer: str | None) -> int | None:
    """1-based line of the element at ``pointer`` in the YAML/JSON file ``path`` (deepest known
    ancestor when the exact element is not in that file), or None."""
    position = position_of(path, pointer)
    return position[0] if position else None


#: positions found, by (file, pointer), for as long as the file's index or tree is kept (the same
#: pointer is asked for by every target's diagnostics of one spec)
_POSITIONS: dict[tuple[str, str], tuple[int, int | None] | None] = {}
_KEEP_POSITIONS = 200_000


def position_of(path: str | None, pointer: str | None) -> tuple[int, int | None] | None:
    """1-based (line, column) of the element at ``pointer`` in ``path`` (deepest known ancestor).
    The column is given only when the whole document is one line (minified JSON), where the
    line alone says nothing; elsewhere it is None, so line-oriented reports stay as they are."""
    if not path or pointer is None:
        return None
    key = (path, pointer)
    if key in _POSITIONS:
        return _POSITIONS[key]
    if len(_POSITIONS) >= _KEEP_POSITIONS:
        _POSITIONS.clear()
    found = _POSITIONS[key] = _position_of(path, pointer)
    return found


def _position_of(path: str, pointer: str) -> tuple[int, int | None] | None:
    index = _json_index(path)
    if index is not None:
        located = index.position(pointer_tokens(pointer))
        if located is not None:
            return located
    root = _compose(path)
    if root is None:
        return None
    node, mark = root, root.start_mark
    for token in pointer_tokens(pointer):
        found = _child(node, token)
        if found is None:
            break
        node, mark = found
    one_line = root.start_mark.line == root.end_mark.line
    return mark.line + 1, (mark.column + 1 if one_line else None)


def _child(node: yaml.Node, token: str) -> tuple[yaml.Node, yaml.Mark] | None:
    """The child at ``token`` and the mark that names it (a mapping member's key)."""
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode) and key.value == token:
                return value, key.start_mark
    elif isinstance(node, yaml.SequenceNode) and token.isdigit():
        index = int(token)
        if index < len(node.value):
            item = node.value[index]
            return item, item.start_mark
    return None
