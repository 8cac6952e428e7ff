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
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
        return yaml.compose(text, Loader=SafeLoader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None


def line_of(path: str | None, pointer: str | None) -> int | None:
    """1-based line of the element at ``pointer`` in the YAML/JSON file ``path`` (deepest known
    ancestor when the exact element is not in that file), or None."""
    if not path or pointer is None:
        return None
    node = _compose(path)
    if node is None:
        return None
    line = node.start_mark.line + 1
    for token in pointer_tokens(pointer):
        found = _child(node, token)
        if found is None:
            break
        node, line = found
    return line


def _child(node: yaml.Node, token: str) -> tuple[yaml.Node, int] | None:
    """The child at ``token`` and the line that names it (a mapping member's key line)."""
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode) and key.value == token:
                return value, key.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode) and token.isdigit():
        index = int(token)
        if index < len(node.value):
            item = node.value[index]
            return item, item.start_mark.line + 1
    return None
