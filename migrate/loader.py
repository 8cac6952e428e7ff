"""Loading untrusted spec files: bytes -> text -> JSON/YAML data, with one-line errors.

Everything that reads a spec file (root documents, ``$ref`` targets, RAML ``!include``) goes
through ``read_text``/``load_data`` so that every bad-input case gives a ``ReadError`` with the
file and line, never a traceback.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from migrate.errors import ReadError, UnsupportedFormatError
from migrate.gcpause import collector_paused

try:  # the C loader is several times faster; fall back where libyaml is missing
    from yaml import CSafeLoader as SafeLoader
except ImportError:  # pragma: no cover - depends on the PyYAML build
    from yaml import SafeLoader  # type: ignore[assignment]

#: Largest number of nodes a document may expand to through YAML aliases ("billion laughs").
MAX_EXPANDED_NODES = 2_000_000
#: Largest spec file we read (bytes).
MAX_FILE_BYTES = 200 * 1024 * 1024


def read_text(path: Path) -> str:
    """Read a spec file as UTF-8 text (BOM allowed). Refuses missing, empty, binary and
    non-UTF-8 files with a one-line ``ReadError``."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ReadError(str(path), "no such file") from None
    except IsADirectoryError:
        raise ReadError(str(path), "is a directory, not a spec file") from None
    except OSError as exc:
        raise ReadError(str(path), f"cannot read: {exc.strerror}") from None
    if len(raw) > MAX_FILE_BYTES:
        raise ReadError(str(path), f"file is larger than {MAX_FILE_BYTES // 2**20} MiB")
    if not raw.strip():
        raise ReadError(str(path), "file is empty")
    if b"\x00" in raw[:8192]:
        raise ReadError(str(path), "binary file, not a text spec")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ReadError(str(path), f"not UTF-8 text (byte 0x{raw[exc.start]:02x})", line=line) from None


def parse_text(text: str, name: str) -> Any:
    """Parse JSON or YAML text. JSON is tried first when the text looks like JSON (it is faster)."""
    stripped = text.lstrip()
    if stripped[:1] in "{[":
        try:
            with collector_paused():
                return json.loads(text)
        except json.JSONDecodeError:
            pass  # YAML flow style, or broken JSON: let YAML report it with a line
        except RecursionError:
            raise ReadError(name, "document nests too deeply") from None
    try:
        with collector_paused():
            data = yaml.load(text, Loader=SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        problem = exc.problem or exc.context or "invalid YAML"
        raise ReadError(name, f"invalid YAML: {problem}", line=line) from None
    except yaml.YAMLError as exc:
        raise ReadError(name, f"invalid YAML: {exc}") from None
    except RecursionError:
        raise ReadError(name, "document nests too deeply") from None
    check_expansion(data, name)
    return data


def check_expansion(data: Any, name: str, limit: int = MAX_EXPANDED_NODES) -> None:
    """Refuse documents whose aliases expand to more than ``limit`` nodes (billion laughs).

    YAML aliases share objects, so loading is cheap; walking the expanded tree is what explodes.
    The expanded size is counted with memoisation by object identity, in time linear in the
    number of distinct nodes.
    """
    sizes: dict[int, int] = {}

    def size(node: Any) -> int:
        if isinstance(node, dict):
            children: Any = node.values()
        elif isinstance(node, list):
            children = node
        else:
            return 1
        key = id(node)
        known = sizes.get(key)
        if known is not None:
            return known
        sizes[key] = 1  # guards against self-referencing aliases
        total = 1
        for child in children:
            total += size(child)
            if total > limit:
                raise ReadError(name, f"YAML aliases expand to more than {limit} nodes (alias bomb?)")
        sizes[key] = total
        return total

    try:
        size(data)
    except RecursionError:
        raise ReadError(name, "document nests too deeply") from None


def load_data(path: Path) -> Any:
    """Read and parse one file (root spec or referenced file)."""
    return parse_text(read_text(path), str(path))


# -- format detection ----------------------------------------------------------------------

_RAML_HEADER = re.compile(r"#%RAML[ \t]+(\S+)")


def detect(text: str, name: str) -> tuple[str, str]:
    """Return (format, version) from content: ("swagger", "2.0"), ("openapi", "3.x.y"), ("raml", "0.8").

    Raises ``UnsupportedFormatError`` for RAML 1.0 and unknown documents.
    """
    first = text.lstrip("\ufeff").split("\n", 1)[0].strip()
    match = _RAML_HEADER.match(first)
    if match:
        if match.group(1) == "0.8":
            return "raml", "0.8"
        raise UnsupportedFormatError(name, f"RAML {match.group(1)} is not supported (only RAML 0.8)", line=1)
    head = text[:4096]
    m = re.search(r"""^\s*["']?swagger["']?\s*:\s*["']?([0-9.]+)""", head, re.M)
    if m:
        return "swagger", m.group(1)
    m = re.search(r"""^\s*["']?openapi["']?\s*:\s*["']?([0-9][0-9.]*)""", head, re.M)
    if m:
        return "openapi", m.group(1)
    return "", ""


def detect_data(data: Any, name: str) -> tuple[str, str]:
    """Detection on parsed data, for documents whose version key is not near the top."""
    if not isinstance(data, dict):
        kind = "empty" if data is None else type(data).__name__
        raise ReadError(name, f"top level is {kind}, not a mapping")
    if "swagger" in data:
        version = str(data["swagger"])
        if version != "2.0":
            raise UnsupportedFormatError(
                name, f"Swagger {version} is not supported (only 2.0)", pointer="/swagger"
            )
        return "swagger", version
    if "openapi" in data:
        version = str(data["openapi"])
        if not re.match(r"3\.[01](\.\d+)?$", version):
            raise UnsupportedFormatError(
                name, f"OpenAPI {version} is not supported (2.0, 3.0 and 3.1 are)", pointer="/openapi"
            )
        return "openapi", version
    raise UnsupportedFormatError(
        name, "unknown format: not Swagger 2.0 (swagger: \"2.0\"), OpenAPI 3.x (openapi: 3.x) or #%RAML 0.8"
    )


# -- pointers and lines ----------------------------------------------------------------------


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
