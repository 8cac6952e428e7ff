"""Where a JSON pointer's element is in a JSON file, found with the C JSON scanner instead of
composing the whole file as YAML (ten times the cost of parsing it as JSON).

``core.pointers.position_of`` composes a file with the YAML C loader and walks the node tree; for a
JSON document this module gives the same (line, column) marks: a mapping member's key (its opening
quote), a sequence item's first character, the deepest element found. It answers only for JSON that
the YAML loader is known to compose to the same tree at the same places, and says "don't know"
(``None`` from ``JsonIndex.build``) for anything else, where the caller composes as before:
characters YAML does not accept (controls, U+FFFE/FFFF), characters YAML counts as line breaks but
JSON does not (NEL, U+2028, U+2029), tabs (YAML refuses them in some places JSON allows them),
escaped surrogates (refused by the YAML scanner), a key whose ``:`` is on another line, or anything
after the document. A key whose ``:`` is far from its start (more than 512 characters: YAML reads
such a key only up to 1024) makes a lookup that reads it "don't know" (``position`` gives None);
the members of its mapping written before it are read without it, and found where they are
(where YAML, which cannot compose the file at all when the key is over 1024, would give no line).
"""

from __future__ import annotations

import json
import re
from itertools import accumulate

_WS = re.compile(r"[ \t\n\r]*")
#: what makes the YAML loader read a JSON text differently, or not at all (see the module text):
#: characters, a key's ``:`` on another line, and (``_surrogate_escape``) an escaped surrogate
#: (two searches: one alternation of both is three times slower)
_NOT_LIKE_YAML = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff\x85\u2028\u2029\t]")
#: the ASCII characters that ``_NOT_LIKE_YAML`` lets through (line feed, carriage return, printable)
_LIKE_YAML_ASCII = bytes([0x0A, 0x0D, *range(0x20, 0x7F)])
#: characters ``_unlike_yaml`` looks at to judge whether a text is mostly ASCII
_HEAD = 16384
_KEY_APART = re.compile(r"\"[ ]*[\r\n][ \r\n]*:")
#: ``\uD800``-``\uDFFF`` as written in a JSON string, or the same letters after an escaped backslash
_SURROGATE_LIKE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")
#: a key of more than this many characters up to its ``:`` (the YAML scanner's simple-key limit is 1024)
_LONG_KEY = 512
#: the C scanner, used to find where a value ends: each object it reads is handed to ``len`` (a
#: quarter cheaper than building the dict, which nothing here needs)
_scan_once = json.scanner.make_scanner(json.JSONDecoder(object_pairs_hook=len))  # type: ignore[attr-defined]
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


def _unlike_yaml(text: str) -> bool:
    """``_NOT_LIKE_YAML.search(text)``, a quarter of its time on mostly-ASCII text: the bytes of
    the characters it lets through are deleted from the UTF-8 text in one C pass (UTF-8 never puts
    an ASCII byte inside another character's bytes), and only the characters left are searched. A
    lone surrogate, which UTF-8 cannot encode, is one it refuses. Text mostly in other scripts
    (judged by its first characters, or by how much is left) is searched by the pattern itself,
    which is then quicker."""
    head = text[:_HEAD]
    if not head.isascii() and len(head.encode("utf-8", "surrogatepass")) > len(head) * 9 // 8:
        return _NOT_LIKE_YAML.search(text) is not None
    try:
        left = text.encode("utf-8").translate(None, _LIKE_YAML_ASCII)
    except UnicodeEncodeError:
        return True
    if not left:
        return False
    if len(left) > len(text) // 8:
        return _NOT_LIKE_YAML.search(text) is not None
    return _NOT_LIKE_YAML.search(left.decode("utf-8")) is not None


class _Unlike(Exception):
    """The text is not JSON the way this index reads it: let the YAML loader decide."""


#: characters per block of the line table (``JsonIndex._line`` counts line breaks in one block)
_BLOCK = 1024


class _Members:
    """The members of one container found so far: a mapping's by key (the first of duplicates, as
    the YAML tree is searched), a sequence's items in order; ``at`` is where the next member
    starts (or the closing bracket), ``done`` once the closing bracket is reached."""

    __slots__ = ("at", "done", "items", "keys", "mapping")

    def __init__(self, mapping: bool, at: int) -> None:
        self.mapping = mapping
        self.keys: dict[str, tuple[int, int]] = {}
        self.items: list[int] = []
        self.at = at
        self.done = False


class JsonIndex:
    """The members of each container of one JSON text, found lazily and kept.

    A container's members are read only as far as a lookup needs: finding a member decodes the
    members written before it (to find where each ends), never the member itself nor those after
    it, so a lookup deep in the document does not decode every container on its way whole. The
    text is known to be JSON throughout: ``build`` decodes it once (or is told that the loader
    did), so a member read later cannot turn out malformed."""

    def __init__(self, text: str, root: int) -> None:
        self.text = text
        self.root = root
        #: ``text`` with each line break written as one \n (same offsets), and the breaks before
        #: the end of each block of ``_BLOCK`` characters
        self.counted = text
        self.breaks: list[int] = []
        self.one_line = False
        self._members: dict[int, _Members] = {}

    @classmethod
    def build(cls, text: str, parsed: bool = False) -> JsonIndex | None:
        """The index of ``text``, or None when it is not a JSON object/array this index answers
        for. ``parsed``: ``text`` is known to be one JSON document (``json.loads`` read it whole);
        else it is decoded here once to know that."""
        start = _WS.match(text, 0).end()  # type: ignore[union-attr]
        if start >= len(text) or text[start] not in "{[" or _unlike_yaml(text) \
                or _KEY_APART.search(text) or _surrogate_escape(text):
            return None
        if parsed:
            end = len(text.rstrip(" \t\n\r"))
        else:
            try:
                _, end = _scan_once(text, start)
            except (StopIteration, ValueError, RecursionError):
                return None
            if _WS.match(text, end).end() != len(text):  # type: ignore[union-attr]
                return None
        index = cls(text, start)
        # the text holds no line break but \r\n, \r and \n (``_NOT_LIKE_YAML``), the only ones
        # ``str.splitlines`` and YAML agree on: counted as \n (each \r\n as one), at the same offsets
        counted = text.replace("\r\n", " \n").replace("\r", "\n") if "\r" in text else text
        index.counted = counted
        index.breaks = list(accumulate(counted.count("\n", at, at + _BLOCK) for at in range(0, len(text), _BLOCK)))
        index.one_line = index._line(start) == index._line(end - 1)
        return index

    def _line(self, index: int) -> int:
        """The 0-based line of the character at ``index``: the line breaks before it."""
        block = index // _BLOCK
        before = self.breaks[block - 1] if block else 0
        return before + self.counted.count("\n", block * _BLOCK, index)

    def _line_start(self, index: int) -> int:
        return self.counted.rfind("\n", 0, index) + 1

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
        except (_Unlike, RecursionError):  # a member to skip nests deeper than the C scanner may go here
            return None
        line = self._line(mark)
        return line + 1, (mark - self._line_start(mark) + 1 if self.one_line else None)

    def member_lines(self, tokens: list[str], key: str) -> list[int] | None:
        """1-based line of each member named ``key`` of the object at ``tokens`` (every writing of
        a key written more than once, where ``position`` finds the first), or None when that
        object is not found or is unlike YAML."""
        node = self.root
        try:
            for token in tokens:
                found = self._child(node, token)
                if found is None:
                    return None
                node = found[0]
            if self.text[node] != "{":
                return None
            members = _Members(True, _WS.match(self.text, node + 1).end())  # type: ignore[union-attr]
            lines = []
            while not members.done:
                at = members.at
                if self._next(members) == key:
                    lines.append(self._line(at) + 1)
        except (_Unlike, RecursionError):
            return None
        return lines

    def _child(self, node: int, token: str) -> tuple[int, int] | None:
        text = self.text
        if text[node] not in "{[":
            return None
        members = self._members.get(node)
        if members is None:
            members = self._members[node] = _Members(text[node] == "{", _WS.match(text, node + 1).end())  # type: ignore[union-attr]
        if members.mapping:
            found = members.keys.get(token)
            while found is None and not members.done:
                key = self._next(members)
                if key == token:
                    found = members.keys[token]
            return found
        if not token.isdigit():
            return None
        wanted = int(token)
        while len(members.items) <= wanted and not members.done:
            self._next(members)
        if wanted < len(members.items):
            item = members.items[wanted]
            return item, item
        return None

    def _next(self, members: _Members) -> str | None:
        """Read the next member of the container (the key of a mapping's; None for an item)."""
        text, i = self.text, members.at
        if text[i] in "}]":
            members.done = True
            return None
        key = None
        if members.mapping:
            if text[i] != '"':
                raise _Unlike
            key, j = _scanstring(text, i + 1)
            j = _WS.match(text, j).end()  # type: ignore[union-attr]
            if text[j] != ":" or j - i > _LONG_KEY:
                raise _Unlike
            value = _WS.match(text, j + 1).end()  # type: ignore[union-attr]
            members.keys.setdefault(key, (value, i))
        else:
            value = i
            members.items.append(i)
        _, end = _scan_once(text, value)
        i = _WS.match(text, end).end()  # type: ignore[union-attr]
        if text[i] == ",":
            i = _WS.match(text, i + 1).end()  # type: ignore[union-attr]
        elif text[i] not in "}]":
            raise _Unlike
        members.at = i
        return key
