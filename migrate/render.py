"""Jinja2 rendering of vendor payloads: templates only format, decisions live in Python.

Every value goes through ``tojson`` (JSON) or ``xml`` (XML escaping); undefined variables are
errors; a user's template folder shadows the built-in one (``--templates DIR``).
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from migrate.errors import TemplateError

BUILTIN_TEMPLATES = Path(__file__).resolve().parent.parent / "templates"

_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_unrepresentable(value: str) -> bool:
    """True when ``value`` holds characters that XML 1.0 cannot carry."""
    return bool(_XML_INVALID.search(value))


def to_json(value: Any) -> Markup:
    """Deterministic JSON literal (key order as given, non-ASCII kept)."""
    return Markup(json.dumps(value, ensure_ascii=False))


def xml_escape(value: Any) -> Markup:
    """Escape text for XML element content and attribute values. Characters XML 1.0 cannot hold
    at all (not even as character references) are replaced by U+FFFD; emitters report them
    (``xml_unrepresentable``) before rendering."""
    if value is None:
        return Markup("")
    text = ("true" if value else "false") if isinstance(value, bool) else str(value)
    text = _XML_INVALID.sub("\ufffd", text)
    text = (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        .replace('"', "&quot;").replace("'", "&apos;").replace("\r", "&#13;")
    )
    return Markup(text)


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
