"""Where a JSON pointer's element is in a JSON file, found with the C JSON scanner instead of
composing the whole file as YAML (ten times the cost of parsing it as JSON).

``core.pointers.position_of`` composes a file with the YAML C loader and walks the node tree; for a
JSON document this module gives the same (line, column) marks: a mapping member's key (its opening
quote), a sequence item's first character, the deepest element found. It answers only for JSON that
the YAML loader is known to compose to the same tree at the same places, and says "don't know"
(``None`` from ``JsonIndex.build``) for anything else, where the caller composes as before:
characters YAML does not accept (controls, U+FFFE/FFFF), characters YAML counts as line breaks but
JSON does not (NEL, U+2028, U+2029), tabs (YAML refuses them in some places JSON allows them),
escaped surrogates (refused by the YAML scanner), a key whose ``:`` is on another line or far from
its start (YAML then reads another structure, or none), or anything after the document.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from itertools import accumulate
from typing import Any

_WS = re.compile(r"[ \t\n\r]*")
#: what makes the YAML loader read a JSON text differently, or not at all (see the module text):
#: characters, a key's ``:`` on another line, and (``_surrogate_escape``) an escaped surrogate
#: (two searches: one alternation of both is three times slower)
_NOT_LIKE_YAML = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff\x85\u2028\u2029\t]")
_KEY_APART = re.compile(r"\"[ ]*[\r\n][ \r\n]*:")
#: ``\uD800``-``\uDFFF`` as written in a JSON string, or the same letters after an escaped backslash
_SURROGATE_LIKE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")
#: a key of more than this many characters up to its ``:`` (the YAML scanner's simple-key limit is 1024)
_LONG_KEY = 512
_scan_once = json.scanner.make_scanner(json.JSONDecoder())  # type: ignore[attr-defined]
_scanstring = json.decoder.scanstring  # type: ignore[attr-defined]


def _surrogate_escape(text: str) -> bool:
    """True when ``text`` escapes a surrogate (``\\uD83D``): a backslash that is itself escaped
    (``\\\\uD83D``, the letters \\uD83D in a regular expression) does not count."""
    for found in _SURROGATE_LIKE.finditer(text):
        before = found.start()
        while before > 0 and text[before - 1] == "\\":
            before -= 1
        if (found.start() - before) % 2 == 0:  # an even run of backslashes before it: a real escape
            return True
    return False


class _Unlike(Exception):
    """The text is not JSON the way this index reads it: let the YAML loader decide."""


class JsonIndex:
    """The members of each container of one JSON text, found lazily and kept."""

    def __init__(self, text: str, root: int) -> None:
        self.text = text
        self.root = root
        self.lines: list[int] = []
        self.one_line = False
        #: a mapping's members by key (the first of duplicates, as the YAML tree is searched), a
        #: sequence's items in order
        self._members: dict[int, dict[str, tuple[int, int]] | list[int]] = {}

    @classmethod
    def build(cls, text: str) -> JsonIndex | None:
        """The index of ``text``, or None when it is not a JSON object/array this index answers for.
        The root's members are found at once (which reads the whole text as JSON, once)."""
        start = _WS.match(text, 0).end()  # type: ignore[union-attr]
        if start >= len(text) or text[start] not in "{[" or _NOT_LIKE_YAML.search(text) \
                or _KEY_APART.search(text) or _surrogate_escape(text):
            return None
        index = cls(text, start)
        members: list[Any] | None = None
        try:
            members, end = index._scan(start)
        except _Unlike:  # the root itself reads otherwise as YAML: its own place is still known
            try:
                _, end = _scan_once(text, start)
            except (StopIteration, ValueError, RecursionError):
                return None
        except (StopIteration, ValueError, IndexError, RecursionError):
            return None
        if _WS.match(text, end).end() != len(text):  # type: ignore[union-attr]
            return None
        if members is not None:
            index._members[start] = index._kept(start, members)
        # where each line starts: the text holds no line break but \r\n, \r and \n (``_NOT_LIKE_YAML``),
        # the only ones ``str.splitlines`` and YAML agree on
        index.lines = [0, *accumulate(map(len, text.splitlines(True)))]
        if index.lines[-1] == len(text) and not text.endswith(("\n", "\r")):
            index.lines.pop()  # the end of a last line without a break starts no line
        index.one_line = index._line(start) == index._line(end - 1)
        return index

    def _line(self, index: int) -> int:
        return bisect_right(self.lines, index) - 1

    def position(self, tokens: list[str]) -> tuple[int, int | None] | None:
        """1-based (line, column) as ``core.pointers.position_of`` gives it, or None when a container
        on the way turns out unlike YAML (the caller composes instead)."""
        node = mark = self.root
        try:
            for token in tokens:
                found = self._child(node, token)
                if found is None:
                    break
                node, mark = found
        except _Unlike:
            return None
        line = self._line(mark)
        return line + 1, (mark - self.lines[line] + 1 if self.one_line else None)

    def _child(self, node: int, token: str) -> tuple[int, int] | None:
        if self.text[node] not in "{[":
            return None
        members = self._members.get(node)
        if members is None:
            members = self._members[node] = self._kept(node, self._scan(node)[0])
        if isinstance(members, dict):
            return members.get(token)
        if token.isdigit() and int(token) < len(members):
            item = members[int(token)]
            return item, item
        return None

    def _kept(self, node: int, members: list[Any]) -> dict[str, tuple[int, int]] | list[int]:
        if self.text[node] != "{":
            return members
        found: dict[str, tuple[int, int]] = {}
        for key, key_at, value_at in members:
            found.setdefault(key, (value_at, key_at))
        return found

    def _scan(self, node: int) -> tuple[list[Any], int]:
        """The members of the container at ``node`` and the index after its closing bracket."""
        text = self.text
        out: list[Any] = []
        mapping = text[node] == "{"
        closer = "}" if mapping else "]"
        i = _WS.match(text, node + 1).end()  # type: ignore[union-attr]
        if text[i] == closer:
            return out, i + 1
        while True:
            if mapping:
                if text[i] != '"':
                    raise _Unlike
                key, j = _scanstring(text, i + 1)
                j = _WS.match(text, j).end()  # type: ignore[union-attr]
                if text[j] != ":" or j - i > _LONG_KEY:
                    raise _Unlike
                value = _WS.match(text, j + 1).end()  # type: ignore[union-attr]
                _, end = _scan_once(text, value)
                out.append((key, i, value))
            else:
                _, end = _scan_once(text, i)
                out.append(i)
            i = _WS.match(text, end).end()  # type: ignore[union-attr]
            if text[i] == ",":
                i = _WS.match(text, i + 1).end()  # type: ignore[union-attr]
            elif text[i] == closer:
                return out, i + 1
            else:
                raise _Unlike
