"""The local files a spec is made of: the spec and every file its ``$ref``/``!include`` reach,
found through the one reference policy (``migrate.source.refpolicy``). The validation verdict
cache and the batch content hash cover exactly these files."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from migrate.core.diagnostics import Report
from migrate.core.errors import ReadError
from migrate.source.detect import detect
from migrate.source.load import load_data, parse_text, read_text
from migrate.source.raml_yaml import IncludeContext, load_yaml
from migrate.source.refpolicy import RefPolicy, RefRefused

#: Most files one spec may be made of before it is treated as not knowable.
MAX_FILES = 200


def referenced_files(spec: Path, policy: RefPolicy, data: Any = None, text: str | None = None) -> list[Path] | None:
    """The spec (resolved, first) and every local file it reaches, in the order first met; None
    when a reference is remote, refused or missing, a file cannot be read, or there are more than
    ``MAX_FILES``. ``data``/``text``: the spec already parsed or read, to save reading it again."""
    spec = spec.resolve()
    try:
        if text is None and data is None:
            text = read_text(spec)
        if text is not None:
            plain = not hides_references(text)  # "\u0024ref" is "$ref" once parsed: the text alone decides nothing
            if plain and "$ref" not in text and "!include" not in text:
                return [spec]  # the common case, decided without parsing
            if detect(text, str(spec))[0] == "raml":
                return _raml_files(spec, text, policy)
            if plain and "!include" not in text and only_local_refs(text):
                return [spec]  # every $ref is "#..." (what parsing would find), decided without parsing
        if data is None:
            data = parse_text(text or "", str(spec))
        return _ref_files(spec, data, policy)
    except (ReadError, RefRefused):
        return None


#: what lets a text hold a ``$ref`` key or an ``!include`` tag it does not spell out: an escape that
#: writes a letter of ``$ref`` (JSON ``\u0024``, YAML ``\x24``, ``\U00000024`` ...), an escaped line break
#: (YAML joins the lines), a tag with a %-escape (``!inc%6Cude``). Two patterns, each starting with
#: its one literal character, which ``re`` then finds by a fast scan (one alternation of both was a
#: third of the batch parent's discovery time).
_HIDDEN_ESCAPE = re.compile(r"\\(?:u00(?:24|72|65|66)|x(?:24|72|65|66)|U000000(?:24|72|65|66)|\r?\n)", re.I)
_HIDDEN_TAG = re.compile(r"![\w!-]*%[0-9a-f]{2}", re.I)


def hides_references(text: str) -> bool:
    """True when ``text`` may hold a ``$ref`` key or an ``!include`` tag it does not spell out."""
    return bool(_HIDDEN_ESCAPE.search(text) or _HIDDEN_TAG.search(text))


#: a ``$ref`` key (JSON or YAML, quoted or not) whose value starts with ``#``: a reference inside the file
_LOCAL_REF = re.compile(r"""\$ref["']?\s*:\s*["']?#""")


def only_local_refs(text: str) -> bool:
    """True when every ``$ref`` written in ``text`` is a key whose value starts with ``#`` (so the
    document reaches no other file). Any other use of the word (a reference to a file, an alias, a
    tag, ``$refs``, prose) says False, and the caller parses the document to know."""
    return len(_LOCAL_REF.findall(text)) == text.count("$ref")


def _raml_files(spec: Path, text: str, policy: RefPolicy) -> list[Path] | None:
    ctx = IncludeContext(spec, policy, Report())
    load_yaml(text, spec, ctx)
    files = [spec, *ctx.files]
    return files if len(files) <= MAX_FILES else None


def _ref_files(spec: Path, data: Any, policy: RefPolicy) -> list[Path] | None:
    seen: dict[Path, None] = {spec: None}
    todo = [(spec, data)]
    while todo:
        doc, node = todo.pop()
        for ref in _refs(node):
            address = ref.partition("#")[0]
            if not address:
                continue
            target = policy.local_file(address, str(doc), "$ref")
            if target in seen:
                continue
            if len(seen) >= MAX_FILES:
                return None
            seen[target] = None
            todo.append((target, load_data(target)))
    return list(seen)


def _refs(node: Any) -> Iterator[str]:
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            ref = item.get("$ref")
            if isinstance(ref, str):
                yield ref
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
