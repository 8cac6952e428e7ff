"""Jinja2 rendering of vendor payloads: templates only format, decisions live in Python.

Every value goes through ``tojson`` (JSON) or ``xml`` (XML escaping); undefined variables are
errors; a user's template folder shadows the built-in one (``--templates DIR``).
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from migrate.core.errors import TemplateError
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


def to_json(value: Any) -> Markup:
    """Deterministic JSON literal (key order as given, non-ASCII kept): ``json.dumps(value,
    ensure_ascii=False)``, with strings and literals (most values) encoded directly."""
    kind = type(value)
    if kind is str:
        return Markup(_encode_string(value))
    if kind is bool or value is None:
        return Markup(_LITERALS[value])
    return Markup(_ENCODER.encode(value))


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


def dumps_indented(document: Any) -> str:
    """``json.dumps(document, indent=2, ensure_ascii=False)``, about twice as fast on large
    payloads (the standard library's indented path is pure Python and generator based)."""
    out: list[str] = []
    try:
        _dump(document, "\n", out)
    except _NotPlain:
        return json.dumps(document, indent=2, ensure_ascii=False)
    return "".join(out)


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
    env.filters["tojson"] = to_json
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
