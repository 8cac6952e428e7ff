"""Structure-aware mutation of parsed specs for the fuzz test.

A mutant is a real spec (a sample or a corpus file) parsed into plain data, changed at 1-4
places, and written back in its own format (JSON, YAML, or RAML 0.8 with its ``!include`` tags
kept). The places are chosen among the document's keys and list items, with extra weight on
the ones the readers give meaning to (paths, methods, parameters, schemas, references,
servers, security), and the changes are the ones real hostile or broken input makes: a value of
the wrong type, a missing or duplicated member, a hostile string or reference, deep nesting,
an odd key, a reference cycle.
"""

from __future__ import annotations

import contextlib
import copy
import json
import random
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

#: Keys the readers give meaning to: a place under one of these is chosen more often.
STRUCTURAL = frozenset({
    "paths", "components", "definitions", "parameters", "responses", "requestBody", "schema", "schemas",
    "properties", "items", "allOf", "oneOf", "anyOf", "$ref", "type", "enum", "required", "servers",
    "securitySchemes", "securityDefinitions", "security", "get", "put", "post", "delete", "patch",
    "in", "name", "style", "explode", "format", "pattern", "minimum", "maximum", "content", "body",
    "queryParameters", "uriParameters", "headers", "traits", "resourceTypes", "is", "baseUri",
    "mediaType", "securedBy", "example", "examples", "default", "additionalProperties", "discriminator",
})

HOSTILE_STRINGS: tuple[str, ...] = (
    "", "\x00", "a\x00b", "\x07\x1b[31m", "z" * 10_000, "../" * 40 + "etc/passwd", "%ZZ%00%2e%2e/",
    "C:\\Windows\\win.ini", "http://127.0.0.1:9/remote.json", "file:///etc/passwd", "#/", "#/no/such/place",
    "#/paths/~2bad~", "{", "}", "{unclosed", "/a#frag&x", "\u202e\u0000\ud7ff", "💥" * 50, "null", "~1~0",
    "/" + "a/" * 3_000, "${x}", "<![CDATA[]]>", "]]>", "&amp;", "\\", "'\"",
)

HOSTILE_REFS: tuple[str, ...] = (
    "x\x00y.json", "r" * 5_000 + ".json", "../../../../outside.json", "%2e%2e/%2e%2e/x.json", "file:///etc/passwd",
    "http://127.0.0.1:9/x.json", "C:\\defs.json", "#", "#/", "#/definitions", "#/components/schemas/NoSuch",
    "#/paths", "missing.json#/S", "#/" + "a/" * 500, "\u0000#/x", "#/%ZZ", "", ".", "/",
    "http://[::1/x.json", "y" * 2_000 + ".json", "n" * 300 + "/" + "m" * 300 + ".json",
)

Place = tuple[Any, Any]  # (container, key or index)


@dataclass(frozen=True)
class Seed:
    """A real spec to mutate: its path and format (``json``, ``yaml`` or ``raml``)."""

    path: Path
    fmt: str


class Include:
    """A RAML ``!include`` kept as it was written, so a mutant still reaches its included files."""

    def __init__(self, target: str) -> None:
        self.target = target


class _RamlLoader(yaml.SafeLoader):
    pass


class _RamlDumper(yaml.SafeDumper):
    pass


def _include(loader: yaml.SafeLoader, node: yaml.Node) -> Include:
    return Include(str(node.value))


_RamlLoader.add_constructor("!include", _include)
_RamlDumper.add_representer(Include, lambda dumper, inc: dumper.represent_scalar("!include", inc.target))


def parse(seed: Seed) -> Any:
    text = seed.path.read_text(encoding="utf-8", errors="replace")
    if seed.fmt == "json":
        return json.loads(text)
    loader = _RamlLoader if seed.fmt == "raml" else yaml.SafeLoader
    return yaml.load(text, Loader=loader)


def dump(data: Any, fmt: str) -> str:
    """``data`` written in ``fmt``; YAML in flow style when it nests deeply (block style would
    indent quadratically), with room for the dumper's recursion."""
    with deep():
        if fmt == "json":
            return json.dumps(data, ensure_ascii=False, default=str)
        flow = depth(data) > 60
        text = yaml.dump(data, Dumper=_RamlDumper, allow_unicode=True, sort_keys=False, width=1_000_000,
                         default_flow_style=flow)
    return "#%RAML 0.8\n" + text if fmt == "raml" else text


@contextlib.contextmanager
def deep() -> Iterator[None]:
    """Room for copying and dumping the deeply nested values ``nest`` makes."""
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 60_000))
    try:
        yield
    finally:
        sys.setrecursionlimit(limit)


def depth(data: Any) -> int:
    deepest, stack = 0, [(data, 1)]
    while stack:
        node, level = stack.pop()
        deepest = max(deepest, level)
        children = node.values() if isinstance(node, dict) else node if isinstance(node, list) else ()
        stack += [(child, level + 1) for child in children if isinstance(child, (dict, list))]
    return deepest


def places(data: Any, limit: int = 20_000) -> list[tuple[Place, bool]]:
    """Every (container, key) in ``data`` (up to ``limit``), with whether it is structural."""
    out: list[tuple[Place, bool]] = []
    stack: list[tuple[Any, bool]] = [(data, True)]
    seen: set[int] = set()
    while stack and len(out) < limit:
        node, hot = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        items: Iterator[tuple[Any, Any]] = iter(node.items()) if isinstance(node, dict) else (
            enumerate(node) if isinstance(node, list) else iter(()))
        for key, value in items:
            structural = hot or (isinstance(key, str) and (key in STRUCTURAL or key.startswith("/")))
            out.append(((node, key), structural))
            if isinstance(value, (dict, list)):
                stack.append((value, isinstance(key, str) and key in STRUCTURAL))
    return out


def _other_type(rng: random.Random, value: Any) -> Any:
    choices: list[Any] = [5, -1, 2**70, 1.5, True, None, "text", [], {}, ["a", 1], {"k": "v"}]
    return rng.choice([c for c in choices if type(c) is not type(value)])


def retype(rng: random.Random, data: Any, place: Place) -> str:
    node, key = place
    node[key] = _other_type(rng, node[key])
    return f"retype {key!r} to {type(node[key]).__name__}"


def delete(rng: random.Random, data: Any, place: Place) -> str:
    node, key = place
    del node[key]
    return f"delete {key!r}"


def duplicate(rng: random.Random, data: Any, place: Place) -> str:
    """Copy a member next to itself (a list item twice, or under a second key)."""
    node, key = place
    if isinstance(node, list):
        node.insert(key, copy.deepcopy(node[key]))
    else:
        node[f"{key}_copy" if isinstance(key, str) else "copy"] = copy.deepcopy(node[key])
    return f"duplicate {key!r}"


def hostile_string(rng: random.Random, data: Any, place: Place) -> str:
    node, key = place
    node[key] = rng.choice(HOSTILE_STRINGS)
    return f"hostile string at {key!r}"


def hostile_ref(rng: random.Random, data: Any, place: Place) -> str:
    node, key = place
    node[key] = {"$ref": rng.choice(HOSTILE_REFS)}
    return f"hostile $ref at {key!r}"


def hostile_key(rng: random.Random, data: Any, place: Place) -> str:
    node, key = place
    if isinstance(node, dict):
        node[rng.choice(HOSTILE_STRINGS[:20]) or "x"] = node.pop(key)
    return f"hostile key for {key!r}"


def nest(rng: random.Random, data: Any, place: Place) -> str:
    node, key = place
    value: Any = node[key]
    for _ in range(rng.choice((50, 400, 2_000))):
        value = rng.choice(({"items": value}, [value], {"properties": {"p": value}}, {"allOf": [value]}))
    node[key] = value
    return f"nest {key!r} deeply"


def cycle(rng: random.Random, data: Any, place: Place) -> str:
    """A ``$ref`` to the node that holds it (or to the document root)."""
    node, key = place
    node[key] = {"$ref": rng.choice(("#", "#/", f"#/{key}" if isinstance(key, str) else "#"))}
    return f"self-reference at {key!r}"


def empty(rng: random.Random, data: Any, place: Place) -> str:
    node, key = place
    node[key] = rng.choice(({}, [], "", 0))
    return f"empty {key!r}"


MUTATIONS: tuple[Callable[[random.Random, Any, Place], str], ...] = (
    retype, retype, delete, duplicate, hostile_string, hostile_ref, hostile_key, nest, cycle, empty,
)


def mutate(rng: random.Random, data: Any) -> tuple[Any, list[str]]:
    """A copy of ``data`` with 1-4 mutations, and what they were."""
    with deep():
        return _mutate(rng, copy.deepcopy(data))


def _mutate(rng: random.Random, data: Any) -> tuple[Any, list[str]]:
    done: list[str] = []
    for _ in range(rng.randint(1, 4)):
        found = places(data)
        if not found:
            break
        hot = [p for p, structural in found if structural]
        place = rng.choice(hot if hot and rng.random() < 0.8 else [p for p, _ in found])
        done.append(rng.choice(MUTATIONS)(rng, data, place))
    return data, done
