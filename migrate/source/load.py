"""Loading untrusted spec files: bytes -> text -> JSON/YAML data, with one-line errors.

Everything that reads a spec file (root documents, ``$ref`` targets, RAML ``!include``) goes
through ``read_text``/``load_data`` so that every bad-input case gives a ``ReadError`` with the
file and line, never a traceback.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NamedTuple

import yaml

from migrate.core.diagnostics import Code, Diagnostic, Report
from migrate.core.errors import ReadError
from migrate.core.gcpause import collector_paused
from migrate.core.jsonpos import JsonIndex
from migrate.core.pointers import line_of, note_json, note_read, pointer_join, pointer_tokens, remember_composed

try:  # the C loader is several times faster; fall back where libyaml is missing
    from yaml import CSafeLoader as SafeLoader
except ImportError:  # pragma: no cover - depends on the PyYAML build
    from yaml import SafeLoader  # type: ignore[assignment]

#: Largest number of nodes a document may expand to through YAML aliases ("billion laughs").
MAX_EXPANDED_NODES = 2_000_000
#: Largest spec file we read (bytes).
MAX_FILE_BYTES = 200 * 1024 * 1024


#: The spec name that means standard input (``api-migrate convert - --to openapi < spec.yaml``).
STDIN = "-"
_stdin: tuple[object, bytes] | None = None


def is_stdin(path: str | Path) -> bool:
    return str(path) == STDIN


def _stdin_bytes() -> bytes:
    """Standard input, read once (a spec's text is read by several stages); read again only when
    ``sys.stdin`` was replaced (a test runner's)."""
    import sys

    global _stdin
    if _stdin is None or _stdin[0] is not sys.stdin:
        _stdin = (sys.stdin, sys.stdin.buffer.read())
    return _stdin[1]


def read_text(path: Path) -> str:
    """Read a spec file as UTF-8 text (BOM allowed). Refuses missing, empty, binary and
    non-UTF-8 files with a one-line ``ReadError``. ``-`` is standard input; its references are
    resolved from the current folder."""
    try:
        raw = _stdin_bytes() if is_stdin(path) else path.read_bytes()
    except FileNotFoundError:
        raise ReadError(str(path), "no such file") from None
    except IsADirectoryError:
        raise ReadError(str(path), "is a directory, not a spec file") from None
    except OSError as exc:
        raise ReadError(str(path), f"cannot read: {exc.strerror}") from None
    if len(raw) > MAX_FILE_BYTES:
        raise ReadError(str(path), f"file is larger than {MAX_FILE_BYTES // 2**20} MiB")
    if not raw.strip():
        raise ReadError(str(path), "standard input is empty" if is_stdin(path) else "file is empty")
    if b"\x00" in raw[:8192]:
        raise ReadError(str(path), "binary file, not a text spec")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ReadError(str(path), f"not UTF-8 text (byte 0x{raw[exc.start]:02x})", line=line) from None
    if not is_stdin(path):
        note_read(str(path), text)
    return text


#: ``shared_parse()``: the last document parsed (name, text, data), for the next stage that parses
#: the same text (the batch worker reads a spec, then checks its source's validity)
_shared: list[tuple[str, str, Any]] | None = None


@contextmanager
def shared_parse() -> Iterator[None]:
    """Within this block, parsing the same text of the same file again returns the data already
    parsed (one document kept). Only for stages that do not change the data they are given (the
    readers and the validator; tests/test_batch_speed.py checks it on every sample and the corpus)."""
    global _shared
    _shared = []
    try:
        yield
    finally:
        _shared = None


def parse_text(text: str, name: str) -> Any:
    """Parse JSON or YAML text. JSON is tried first when the text looks like JSON (it is faster).
    A key written twice in one mapping is read as the loaders read it (the last value), and noted
    for ``noting_duplicate_keys``."""
    if _shared:
        kept_name, kept_text, kept = _shared[0]
        if kept_name == name and kept_text == text:
            _note_duplicates(name, text)
            return kept
    data = _parse_text(text, name)
    if _shared is not None:
        _shared[:] = [(name, text, data)]
    _note_duplicates(name, text)
    return data


class DuplicateKey(NamedTuple):
    """A key written ``times`` times in one mapping of a file: only the last value is read (JSON
    and YAML loaders keep the last). ``pointer``: the member in ``file``; ``lines``: where each
    one is written (1-based), when known."""

    file: str
    pointer: str
    key: str
    times: int
    lines: tuple[int, ...]

    def message(self) -> str:
        # a document written on one line: its diagnostic's line and column name the first one
        where = f" (lines {', '.join(map(str, self.lines))})" if len(set(self.lines)) > 1 else ""
        if self.times == 2:
            return f"key {self.key!r} is written twice in one mapping{where}; only the last is read, the other is lost"
        return (f"key {self.key!r} is written {self.times} times in one mapping{where}; only the last is read, "
                "the others are lost")


def report_duplicate_keys(report: Report, duplicates: list[DuplicateKey], root: Path) -> None:
    """Each duplicate key as a SOURCE_VALUE_REPAIRED warning: in the file ``root`` at its pointer
    (its line is found from it later), in any other file (a ``$ref``'s, an ``!include``'s) with
    that file and the line of its first writing."""
    here = root.resolve()
    for found in duplicates:
        if found.file == str(root) or Path(found.file).resolve() == here:
            report.report(Code.SOURCE_VALUE_REPAIRED, found.pointer, found.message())
        else:
            report.extend([Diagnostic(Code.SOURCE_VALUE_REPAIRED, found.pointer, found.message(), file=found.file,
                                      line=found.lines[0] if found.lines else None)])


#: the duplicate keys of each text parsed that has any, by file name and the text's length and
#: hash (not the text: a batch worker would keep large texts alive); a few kept
_DUPLICATES: dict[tuple[str, int, int], list[DuplicateKey]] = {}
_KEEP_DUPLICATES = 16
#: ``noting_duplicate_keys``: where the duplicate keys of every text parsed go (and those already there)
_noting: tuple[list[DuplicateKey], set[DuplicateKey]] | None = None


@contextmanager
def noting_duplicate_keys() -> Iterator[list[DuplicateKey]]:
    """Within this block, the duplicate keys of every text ``parse_text`` parses (or finds already
    parsed) are added to the list it yields, each once."""
    global _noting
    saved, _noting = _noting, ([], set())
    try:
        yield _noting[0]
    finally:
        _noting = saved


def _text_key(name: str, text: str) -> tuple[str, int, int]:
    return name, len(text), hash(text)


def _note_duplicates(name: str, text: str) -> None:
    if _noting is None or not _DUPLICATES:
        return
    found, seen = _noting
    for duplicate in _DUPLICATES.get(_text_key(name, text), ()):
        if duplicate not in seen:
            seen.add(duplicate)
            found.append(duplicate)


def _keep_duplicates(name: str, text: str, found: list[DuplicateKey]) -> None:
    if len(_DUPLICATES) >= _KEEP_DUPLICATES:
        del _DUPLICATES[next(iter(_DUPLICATES))]
    _DUPLICATES[_text_key(name, text)] = found


def _parse_text(text: str, name: str) -> Any:
    stripped = text.lstrip()
    if stripped[:1] in "{[":
        try:
            with collector_paused():
                if _text_key(name, text) in _DUPLICATES:  # parsed before (the format's detection, a stage)
                    data = json.loads(text)
                else:
                    data, found = loads_noting_duplicates(text, name)
                    if found:
                        _keep_duplicates(name, text, found)
            note_json(name, text)
            return data
        except json.JSONDecodeError:
            pass  # YAML flow style, or broken JSON: let YAML report it with a line
        except RecursionError:
            raise ReadError(name, "document nests too deeply") from None
    try:
        with collector_paused():
            data = _load_yaml(text, name)
    except (yaml.YAMLError, RecursionError) as exc:
        raise yaml_error(exc, name) from None
    check_expansion(data, name)
    return data


def loads_noting_duplicates(text: str, name: str) -> tuple[Any, list[DuplicateKey]]:
    """``json.loads(text)`` (``name``: the file it is from), and the keys written more than once in
    one of its objects. Raises what ``json.loads`` raises."""
    repeated: list[tuple[dict[Any, Any], dict[str, int]]] = []
    data = json.JSONDecoder(object_pairs_hook=_pairs_noting(repeated)).decode(text)
    return data, _json_duplicates(text, name, data, repeated) if repeated else []


def _pairs_noting(repeated: list[tuple[dict[Any, Any], dict[str, int]]]) -> Any:
    """``json``'s object hook: the dict ``json.loads`` makes (the last of duplicate keys wins, at the
    first one's place), noting each object that has a key more than once, with how many times."""
    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        made = dict(items)
        if len(made) != len(items):
            counts: dict[str, int] = {}
            for key, _ in items:
                counts[key] = counts.get(key, 0) + 1
            repeated.append((made, {key: n for key, n in counts.items() if n > 1}))
        return made

    return pairs


def _json_duplicates(text: str, name: str, data: Any,
                     repeated: list[tuple[dict[Any, Any], dict[str, int]]]) -> list[DuplicateKey]:
    """The duplicate keys of a JSON text whose objects ``repeated`` had some, each at the place its
    object has in ``data`` (an object inside a value that was itself lost to a duplicate is not
    read, and not reported). The lines of each writing come from the JSON position index, for
    text on several lines that YAML reads alike, and when no key on the way is itself written twice
    (the index would look in the first writing, which was not read)."""
    wanted = {id(made): counts for made, counts in repeated}
    found: list[DuplicateKey] = []
    for pointer, obj in _containers(data):
        counts = wanted.pop(id(obj), None) if isinstance(obj, dict) else None
        if counts:
            found += [DuplicateKey(name, pointer_join(pointer, key), key, n, ()) for key, n in counts.items()]
        if not wanted:
            break
    index = JsonIndex.build(str(text), parsed=True) if "\n" in text.strip() else None
    if index is None:
        return found
    lost = {d.pointer for d in found}
    out = []
    for duplicate in found:
        tokens = pointer_tokens(duplicate.pointer)[:-1]
        ancestors = {pointer_join("", *tokens[:i]) for i in range(1, len(tokens) + 1)}
        lines = None if ancestors & lost else index.member_lines(tokens, duplicate.key)
        out.append(duplicate._replace(lines=tuple(lines)) if lines and len(lines) == duplicate.times else duplicate)
    return out


def _containers(data: Any) -> Iterator[tuple[str, Any]]:
    """Every dict and list of ``data`` (each once, first place in document order) with its pointer."""
    seen: set[int] = set()
    todo: list[tuple[str, Any]] = [("", data)]
    while todo:
        pointer, node = todo.pop()
        if not isinstance(node, (dict, list)) or id(node) in seen:
            continue
        seen.add(id(node))
        yield pointer, node
        items = list(node.items()) if isinstance(node, dict) else list(enumerate(node))
        todo.extend((pointer_join(pointer, str(k)), v) for k, v in reversed(items))


#: PyYAML's constructors, for the value a scalar key loads as (``node_duplicates``)
_CONSTRUCTOR = yaml.constructor.SafeConstructor()


class _Opaque:
    """A key ``node_duplicates`` does not compare (equal only to itself), shown by its text."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text

    def __str__(self) -> str:
        return self.text


def _loaded_key(node: yaml.Node) -> Any:
    """The value a mapping key loads as, compared as the loader's dict compares it (``1``, ``0x1``
    and ``true`` are one key); a key not compared here (a collection, an unknown tag) is a
    unique object."""
    if isinstance(node, yaml.ScalarNode):
        if node.tag in (_STR, _VALUE):
            return node.value
        make = _CONSTRUCTOR.yaml_constructors.get(node.tag)
        if make is not None:
            try:
                value = make(_CONSTRUCTOR, node)
                hash(value)
            except Exception:  # whatever PyYAML's constructor refuses stays unique
                return _Opaque(str(node.value))
            return value
        return _Opaque(str(node.value))
    return _Opaque("")


def node_duplicates(root: yaml.Node, name: str) -> list[DuplicateKey]:
    """The keys written more than once in one mapping of the composed ``root``, compared by the
    value they load as (merge keys ``<<`` are not keys), with the pointer of each member and the
    line of each writing. Only the last writing's value is read: the values of the others are not
    looked into. A mapping reached through several aliases is looked at once."""
    found: list[DuplicateKey] = []
    seen: set[int] = set()
    todo: list[tuple[str, yaml.Node]] = [("", root)]
    while todo:
        pointer, node = todo.pop()
        if id(node) in seen or isinstance(node, yaml.ScalarNode):
            continue
        seen.add(id(node))
        if isinstance(node, yaml.SequenceNode):
            todo.extend((f"{pointer}/{i}", item) for i, item in reversed(list(enumerate(node.value))))
            continue
        writings: dict[Any, list[yaml.Node]] = {}
        last: dict[Any, yaml.Node] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":  # its mappings' members are this mapping's
                last[_Opaque("")] = value_node
                continue
            key = _loaded_key(key_node)
            writings.setdefault(key, []).append(key_node)
            last.pop(key, None)
            last[key] = value_node  # in the order of the last writings
        for key, nodes in writings.items():
            if len(nodes) > 1 and node.tag != _SET:  # a set's members written twice lose nothing
                found.append(DuplicateKey(name, pointer_join(pointer, str(key)), str(key), len(nodes),
                                          tuple(k.start_mark.line + 1 for k in nodes)))
        todo.extend((pointer_join(pointer, str(key)) if key in writings else pointer, value)
                    for key, value in reversed(list(last.items())))  # a merge key's value: no token
    return found


def yaml_noting_duplicates(text: str, name: str) -> tuple[Any, list[DuplicateKey]]:
    """``yaml.load(text, Loader=SafeLoader)`` (``name``: the file it is from), and the keys written
    more than once in one of its mappings. Raises what the loader raises."""
    loader = SafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, []
        return loader.construct_document(node), node_duplicates(node, name)
    finally:
        loader.dispose()


def _load_yaml(text: str, name: str) -> Any:
    """``yaml.load(text, Loader=SafeLoader)``, step by step: the composed node tree is handed to
    ``core.pointers`` (which would compose the same text again for the file and line of each
    diagnostic). Not for text with merge keys (``<<``): constructing rewrites their nodes, so
    their duplicate keys are found first. The fast construction notes whether a mapping has a
    key twice; only then is the tree searched for them."""
    loader = SafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        if "<<" in text:
            found = node_duplicates(node, name)
            if found:
                _keep_duplicates(name, text, found)
            return loader.construct_document(node)
        remember_composed(name, text, node)
        repeated: list[bool] = []
        try:
            data = _construct(loader, node, repeated)
        except (_Unusual, TypeError, yaml.YAMLError, RecursionError):  # PyYAML's constructor decides, and says why
            loader.constructed_objects, loader.recursive_objects = {}, {}  # as after a document
            data = loader.construct_document(node)
            repeated = [True]
        if repeated:
            found = node_duplicates(node, name)
            if found:
                _keep_duplicates(name, text, found)
        return data
    finally:
        loader.dispose()


_STR, _MAP, _SEQ = "tag:yaml.org,2002:str", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"
_VALUE = "tag:yaml.org,2002:value"
_SET = "tag:yaml.org,2002:set"
#: the scalar tags whose PyYAML constructors build their value at once (a collection tag on a scalar
#: would build an empty collection and leave its error to ``construct_document``)
_SCALAR_TAGS = frozenset(f"tag:yaml.org,2002:{name}" for name in ("null", "bool", "int", "float", "binary",
                                                                    "timestamp"))


class _Unusual(Exception):
    """A collection with another tag than a plain mapping or sequence (a set, an omap, a custom
    tag): left to PyYAML's constructor."""


def _construct(loader: Any, root: yaml.Node, repeated: list[bool]) -> Any:
    """What ``loader.construct_document(root)`` gives for a document of plain mappings and
    sequences (no merge keys), about three times faster: strings are the nodes' values, other
    scalars (numbers, booleans, null, dates, binary) are PyYAML's own constructors' values, and an
    alias gives the same object as its anchor (recursive structures included). Any other tag
    raises ``_Unusual``, an unhashable key ``TypeError``, deep nesting ``RecursionError``: the caller
    then lets PyYAML's constructor decide (and refuse with its own words). A mapping with a key
    written twice appends to ``repeated``."""
    memo: dict[int, Any] = {}
    scalar, mapping, sequence = yaml.ScalarNode, yaml.MappingNode, yaml.SequenceNode

    def build(node: yaml.Node) -> Any:
        kind = type(node)
        if kind is scalar and node.tag == _STR:
            return node.value
        key = id(node)
        if key in memo:
            return memo[key]
        if kind is mapping and node.tag == _MAP:
            out: dict[Any, Any] = {}
            memo[key] = out
            for key_node, value_node in node.value:
                value = build(value_node)
                # "=": a string key (flatten_mapping)
                name = key_node.value if key_node.tag == _VALUE and type(key_node) is scalar else build(key_node)
                if name in out:
                    repeated.append(True)
                out[name] = value
            return out
        if kind is sequence and node.tag == _SEQ:
            items: list[Any] = []
            memo[key] = items
            items.extend([build(item) for item in node.value])
            return items
        if kind is not scalar or node.tag not in _SCALAR_TAGS:  # e.g. "!!set x": PyYAML refuses it
            raise _Unusual(node.tag)
        value = memo[key] = loader.construct_object(node)
        return value

    return build(root)


def yaml_error(exc: yaml.YAMLError | RecursionError, name: str) -> ReadError:
    """The one-line ``ReadError`` for a YAML parse failure (with the line where PyYAML knows it)."""
    if isinstance(exc, RecursionError):
        return ReadError(name, "document nests too deeply")
    if isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        return ReadError(name, f"invalid YAML: {exc.problem or exc.context or 'invalid YAML'}", line=line)
    return ReadError(name, f"invalid YAML: {exc}")


def check_expansion(data: Any, name: str, limit: int = MAX_EXPANDED_NODES) -> None:
    """Refuse documents whose aliases expand to more than ``limit`` nodes (billion laughs), and
    documents where an alias names a mapping or list that contains it (a cycle: the document
    would be infinite, and every reader and check would recurse until Python stops it).

    YAML aliases share objects, so loading is cheap; walking the expanded tree is what explodes.
    The expanded size is counted with memoisation by object identity, in time linear in the
    number of distinct nodes.
    """
    sizes: dict[int, int] = {}
    ancestors: set[int] = set()  # the containers being counted, from the root down
    tokens: list[str] = []

    def size(node: Any) -> int:
        if isinstance(node, dict):
            children: Any = node.items()
        elif isinstance(node, (list, tuple)):  # tuples: the pairs of !!omap and !!pairs
            children = enumerate(node)
        else:
            return 1
        key = id(node)
        if key in ancestors:
            pointer = pointer_join("", *tokens)
            raise ReadError(name, "a YAML alias names a mapping or list that contains it (a cycle: the "
                            "document would be infinite)", line=line_of(name, pointer), pointer=pointer)
        known = sizes.get(key)
        if known is not None:
            return known
        ancestors.add(key)
        total = 1
        for token, child in children:
            tokens.append(str(token))
            total += size(child)
            tokens.pop()
            if total > limit:
                raise ReadError(name, f"YAML aliases expand to more than {limit} nodes (alias bomb?)")
        ancestors.discard(key)
        sizes[key] = total
        return total

    try:
        size(data)
    except RecursionError:
        raise ReadError(name, "document nests too deeply") from None


def file_size(path: str | Path) -> int:
    """Bytes in the file at ``path``; 0 when it cannot be read (whoever reads it says why)."""
    try:
        return Path(path).stat().st_size
    except OSError:
        return 0


def load_data(path: Path) -> Any:
    """Read and parse one file (root spec or referenced file)."""
    return parse_text(read_text(path), str(path))
