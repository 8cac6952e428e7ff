"""Jinja2 rendering of vendor payloads: templates only format, decisions live in Python.

Every value goes through ``tojson`` (JSON) or ``xml`` (XML escaping); undefined variables are
errors; a user's template folder shadows the built-in one (``--templates DIR``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

try:
    import orjson
except ImportError:  # pragma: no cover - a dependency; the pure-Python writer is used then
    orjson = None  # type: ignore[assignment]

from migrate.core.errors import TemplateError
from migrate.core.exactjson import exact_dumps
from migrate.emitters.common import XML_INVALID


def _builtin_templates() -> Path:
    """The top-level ``templates/`` folder, shipped as the package ``migrate.templates``
    (``package-dir`` in pyproject.toml), found through ``importlib.resources``."""
    try:
        return Path(str(resources.files("migrate.templates")))
    except ModuleNotFoundError:  # a source checkout on sys.path ahead of the install: the folder itself
        return Path(__file__).resolve().parents[2] / "templates"


BUILTIN_TEMPLATES = _builtin_templates()

#: one encoder for every ``tojson`` (``json.dumps`` would build a new one per call)
_ENCODER = json.JSONEncoder(ensure_ascii=False)
_encode_string = json.encoder.encode_basestring
_LITERALS: dict[Any, str] = {True: "true", False: "false", None: "null"}


#: set while a payload is rendered that is parsed back and written again (``render_parsed``): its
#: text is never kept, so ``tojson`` may write it otherwise, as long as it reads back the same. Holds
#: a mark for each value written that ``orjson.loads`` may read otherwise than ``json.loads``.
_REPARSED: ContextVar[list[bool] | None] = ContextVar("render_reparsed", default=None)
#: the integers ``orjson.loads`` reads as integers (beyond them it gives a float)
_ORJSON_INTS = range(-(2**63), 2**63)


def to_json(value: Any) -> Markup:
    """Deterministic JSON literal (key order as given, non-ASCII kept): ``json.dumps(value,
    ensure_ascii=False)``, with strings and literals (most values) encoded directly. Within
    ``render_parsed``, a dict or list is written compactly by orjson when it reads back equal."""
    kind = type(value)
    if kind is str:
        return Markup(_encode_string(value))
    if kind is bool or value is None:
        return Markup(_LITERALS[value])
    marks = _REPARSED.get()
    if marks is not None:
        if kind is dict or kind is list:
            compact = _compact(value)
            if compact is not None:
                return Markup(compact)
            marks.append(True)
        elif kind is not float and not (kind is int and value in _ORJSON_INTS):
            marks.append(True)
    return Markup(_ENCODER.encode(value))


@jinja2.pass_context
def _tojson_filter(context: Any, value: Any) -> Markup:
    """The ``tojson`` filter: ``to_json`` at render time. Taking the context keeps Jinja from
    computing it when it compiles a template (of a literal value), which would keep the text of
    whichever mode (``render_parsed`` or not) the template was first compiled in."""
    return to_json(value)


def _compact(value: dict[str, Any] | list[Any]) -> str | None:
    """orjson's text of ``value`` when ``json.loads`` reads it back as it reads ``json.dumps(value)``;
    else None (``json`` writes it). The rule is ``core.exactjson``'s."""
    found = exact_dumps(value)
    return None if found is None else found[0].decode("utf-8")


def xml_escape(value: Any) -> Markup:
    """Escape text for XML element content and attribute values. Characters XML 1.0 cannot hold
    at all (not even as character references) are replaced by U+FFFD; emitters report them
    (``migrate.emitters.common.XML_INVALID``) before rendering."""
    if value is None:
        return Markup("")
    text = ("true" if value else "false") if isinstance(value, bool) else str(value)
    text = XML_INVALID.sub("\ufffd", text)
    text = (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        .replace('"', "&quot;").replace("'", "&apos;").replace("\r", "&#13;")
    )
    return Markup(text)


class _NotPlain(Exception):
    """A member name that is not a string: left to ``json.dumps`` (which converts it)."""


#: the non-finite numbers ``json`` reads and writes (NaN, Infinity), by their JSON names
_CONSTANTS = {"NaN": float("nan"), "Infinity": float("inf"), "-Infinity": float("-inf")}
_INFINITIES = (float("inf"), float("-inf"))
#: orjson's exponent of a number below 1e-4 when it has one digit (``json`` writes two: 1.5e-07)
_SHORT_EXPONENT = re.compile(r"e-\d(?!\d)")


def _written_otherwise(text: str) -> bool:
    """True when orjson's ``text`` may hold a number ``json.dumps`` writes otherwise: below 1e-4,
    where ``json`` writes 1e-05 and 1.5e-07 and orjson 0.00001 and 1.5e-7. A string that looks alike
    only costs the slower path. (Plain searches: a pattern starting with a digit class is ten
    times slower on large payloads than the payload's encoding.)"""
    return "0.0000" in text or any(found.start() > 0 and text[found.start() - 1].isdigit()
                                   for found in _SHORT_EXPONENT.finditer(text))


def loads_finite(text: str) -> tuple[Any, bool]:
    """``json.loads(text)``, and whether the document holds no NaN or Infinity (``dumps_indented``
    may then take its fast path)."""
    found: list[str] = []

    def constant(name: str) -> float:
        found.append(name)
        return _CONSTANTS[name]

    def number(literal: str) -> float:  # only for literals with a fraction or an exponent
        value = float(literal)
        if value in _INFINITIES:  # 1e999 reads as Infinity without a word
            found.append(literal)
        return value

    return json.loads(text, parse_constant=constant, parse_float=number), not found


def render_parsed(template: str, context: dict[str, Any], user_dir: Path | None = None,
                  target: str = "") -> tuple[Any, bool]:
    """``render`` a JSON payload and read it back: the document and whether it holds no NaN or
    Infinity (``loads_finite``). The text is not returned: a caller writes the document
    (``dumps_indented``). Raises ``json.JSONDecodeError`` when the text is not JSON."""
    if user_dir is not None:  # a user's template may use tojson's text itself (in a string, compared)
        return loads_finite(render(template, context, user_dir, target))
    marks: list[bool] = []
    with _reparsed(marks):
        text = render(template, context, user_dir, target)
    if orjson is not None and not marks:
        # every value was written by orjson, or is a string, literal, float or 64-bit integer: orjson
        # reads it as json does (a NaN or Infinity it refuses)
        try:
            return orjson.loads(text), True
        except orjson.JSONDecodeError:
            pass
    return loads_finite(text)


@contextmanager
def _reparsed(marks: list[bool]) -> Iterator[None]:
    token = _REPARSED.set(marks)
    try:
        yield
    finally:
        _REPARSED.reset(token)


def dumps_indented(document: Any, parsed_finite: bool = False) -> str:
    """``json.dumps(document, indent=2, ensure_ascii=False)``, byte for byte.

    ``parsed_finite``: ``document`` was read by ``json.loads`` (only dicts, lists, strings, numbers,
    booleans and None) and holds no NaN or Infinity (``loads_finite``); it is then written by
    orjson (compiled, about twenty times faster on large payloads), unless it holds what orjson
    writes otherwise or refuses (numbers below 1e-4, integers beyond 64 bits, lone surrogates),
    which fall back. Otherwise the indented JSON is written here, about twice as fast as the
    standard library's pure-Python indented path."""
    text = _orjson_indented(document) if parsed_finite else None
    if text is not None:
        return text
    out: list[str] = []
    try:
        _dump(document, "\n", out)
    except _NotPlain:
        return json.dumps(document, indent=2, ensure_ascii=False)
    return "".join(out)


def dumps_records(records: list[dict[str, Any]]) -> str:
    """``json.dumps(records, indent=1, ensure_ascii=False)``, byte for byte, for a list of flat
    objects whose values are strings, integers, booleans or None (diagnostics): orjson's two-space
    indentation of that shape (objects at two spaces, members at four) halved; anything else (a
    nested value, what orjson refuses) is written by ``json``."""
    text = _orjson_indented(records)
    if text is not None and "\n      " not in text:
        return text.replace("\n    ", "\n\0").replace("\n  ", "\n ").replace("\n\0", "\n  ")
    return json.dumps(records, indent=1, ensure_ascii=False)


def _orjson_indented(value: Any) -> str | None:
    """orjson's two-space indented text of ``value``; None where orjson refuses it (big integers,
    lone surrogates) or may write a number otherwise than ``json`` (``_written_otherwise``)."""
    if orjson is None:
        return None
    try:
        text: str = orjson.dumps(value, option=orjson.OPT_INDENT_2).decode("utf-8")
    except TypeError:  # orjson.JSONEncodeError is one
        return None
    return None if _written_otherwise(text) else text


def _dump(value: Any, newline: str, out: list[str]) -> None:
    if isinstance(value, str):
        out.append(_encode_string(value))
    elif isinstance(value, dict):
        if not value:
            out.append("{}")
            return
        inner, opener = newline + "  ", "{"
        for key, item in value.items():
            if not isinstance(key, str):
                raise _NotPlain
            out.append(f"{opener}{inner}{_encode_string(key)}: ")
            opener = ","
            _dump(item, inner, out)
        out.append(newline + "}")
    elif isinstance(value, (list, tuple)):
        if not value:
            out.append("[]")
            return
        inner, opener = newline + "  ", "["
        for item in value:
            out.append(opener + inner)
            opener = ","
            _dump(item, inner, out)
        out.append(newline + "]")
    else:
        out.append(str(to_json(value)))


@lru_cache(maxsize=8)
def environment(user_dir: str | None = None) -> jinja2.Environment:
    loaders: list[jinja2.BaseLoader] = []
    if user_dir:
        loaders.append(jinja2.FileSystemLoader(user_dir))
    loaders.append(jinja2.FileSystemLoader(str(BUILTIN_TEMPLATES)))
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        # templates do not change during a run: no file stat per {% include %} (millions on big specs)
        auto_reload=False,
    )
    env.filters["tojson"] = _tojson_filter
    env.filters["xml"] = xml_escape
    return env


def render(template: str, context: dict[str, Any], user_dir: Path | None = None, target: str = "") -> str:
    """Render ``template`` (e.g. ``akamai/endpoint.json.j2``) with ``context``."""
    env = environment(str(user_dir) if user_dir else None)
    try:
        return env.get_template(template).render(**context)
    except jinja2.TemplateNotFound:
        raise TemplateError(target, "template not found", template=template) from None
    except jinja2.UndefinedError as exc:
        raise TemplateError(target, f"undefined value: {exc.message}", template=template) from None
    except jinja2.TemplateSyntaxError as exc:
        name = exc.name or template
        raise TemplateError(target, f"line {exc.lineno}: {exc.message}", template=name) from None
