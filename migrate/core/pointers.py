"""RFC 6901 JSON pointers, and the line of the node a pointer names in a YAML/JSON file."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

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


@lru_cache(maxsize=16)
def _compose(path: str) -> yaml.Node | None:
    from migrate.core.errors import ReadError
    from migrate.source.load import read_text

    try:
        return yaml.compose(read_text(Path(path)), Loader=SafeLoader)
    except (ReadError, yaml.YAMLError):
        return None


def line_of(path: str | None, pointer: str | None) -> int | None:
    """1-based line of the element at ``pointer`` in the YAML/JSON file ``path`` (deepest known
    ancestor when the exact element is not in that file), or None."""
    position = position_of(path, pointer)
    return position[0] if position else None


def position_of(path: str | None, pointer: str | None) -> tuple[int, int | None] | None:
    """1-based (line, column) of the element at ``pointer`` in ``path`` (deepest known ancestor).
    The column is given only when the whole document is one line (minified JSON), where the
    line alone says nothing; elsewhere it is None, so line-oriented reports stay as they are."""
    if not path or pointer is None:
        return None
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
