"""orjson (compiled) in place of ``json`` where it gives exactly what ``json`` gives.

One rule for every caller that writes data with orjson for speed and must not change what is read
back: the payloads rendered and parsed again (``migrate.emitters.render``) and the JSON view of a
document the validators read (``migrate.validation.jsondata``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

try:
    import orjson
except ImportError:  # pragma: no cover - a dependency; callers use json alone then
    orjson = None  # type: ignore[assignment]

#: what orjson would write where ``json.dumps`` refuses it or writes it otherwise: left to ``default``
#: (as ``json`` leaves it), or refused when there is none
PASS_THROUGH = 0 if orjson is None else (orjson.OPT_PASSTHROUGH_DATACLASS | orjson.OPT_PASSTHROUGH_DATETIME
                                         | orjson.OPT_PASSTHROUGH_SUBCLASS)


def exact_dumps(value: Any, default: Callable[[Any], Any] | None = None,
                read: bool = False) -> tuple[bytes, Any] | None:
    """orjson's compact text of ``value`` when ``json.loads`` reads it as it reads
    ``json.dumps(value, default=default)``; with it, orjson's reading of the text when one was made
    (always with ``read``; else only to compare, and None when not made). None when orjson may
    give something else: ``json`` writes it.

    orjson refuses what ``json.dumps`` writes otherwise or refuses: integers beyond 64 bits, lone
    surrogates, keys that are not strings, cycles, nesting beyond 255 levels, and (passed to
    ``default``) dataclasses, dates and subclasses of str, int, dict and list. It writes NaN and
    Infinity as null: a text with a null value (the whole text, or after ``:``, ``[`` or ``,``:
    compact text has no space there; not the word in a key such as ``nullable``) is read back and
    compared with ``value``. A NaN is then not equal; nor is a date to its text, which only costs
    the slower path. Numbers read back exactly: both write a float's shortest text. Left apart:
    orjson writes an Enum or UUID by its value, where ``json.dumps`` refuses them without
    ``default`` (and writes an Enum mixed with str or int by its content): no payload or spec data
    holds one."""
    if orjson is None:
        return None
    try:
        text = orjson.dumps(value, default=default, option=PASS_THROUGH)
        compare = _holds_null(text)
        data = orjson.loads(text) if read or compare else None
        if compare and data != value:
            return None
    except (TypeError, ValueError, RecursionError):  # orjson's errors are TypeError and ValueError
        return None
    return text, data


def _holds_null(text: bytes) -> bool:
    """True when orjson's compact ``text`` may hold a null value (a string holding ``:null`` only
    costs the comparison)."""
    return b"null" in text and (text == b"null" or b":null" in text or b"[null" in text or b",null" in text)
