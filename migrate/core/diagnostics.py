"""Diagnostics: a closed set of codes, each with a fixed severity, and the Report that collects them.

Severities (the one policy; README's "Diagnostic codes" lists every code under it):

- ``error`` — the payload is wrong for the target: the vendor would reject it, or it cannot work
  as the source meant (a resource path that can never match, a host + path already taken, an
  output document that fails the target's validator);
- ``warning`` — something from the source is lost or changed, including anything that changes
  what a request or a response may be, and any reading of a malformed source that is a guess;
- ``info`` — only for conversions that are provably equivalent: the same requests and responses
  are described (an exclusive integer bound made inclusive, a generated or renamed operation id,
  a rewritten component key, a declared-string path parameter for an undeclared template...).

Add a code here (with its severity and a one-line meaning) before using it; codes are never
reused for something else.
"""

from __future__ import annotations

import enum
import json
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any


class Severity(enum.StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


E, W, I = Severity.ERROR, Severity.WARNING, Severity.INFO  # noqa: E741


class Code(enum.Enum):
    """Each member: (severity, meaning), kept as plain attributes of the member (read for every
    diagnostic: an Enum's ``value`` is a slower descriptor)."""

    severity: Severity
    meaning: str

    def __init__(self, severity: Severity, meaning: str) -> None:
        self.severity = severity
        self.meaning = meaning

    # -- source / reader ---------------------------------------------------------------------
    SPEC_INVALID = (E, "the source document violates its format's specification")
    SOURCE_FEATURE_IGNORED = (W, "a source feature the model cannot hold was not read")
    SOURCE_VALUE_REPAIRED = (W, "a malformed source value was read leniently; the reading is a guess")
    # -- common to targets ---------------------------------------------------------------------
    MISSING_REQUIRED_FIELD = (E, "the target requires a value that neither the spec nor the options give")
    VALUE_INVALID_FOR_TARGET = (E, "a value breaks the target's rules (length, characters, uniqueness)")
    METHOD_UNSUPPORTED = (W, "the target has no such HTTP method; the operation is left out")
    RESOURCE_PATH_FRAGMENT = (W, "a path's '#' fragment was removed (no request has one); what it told apart is lost")
    RESOURCE_DROPPED = (W, "a path with no operation the target can hold is left out (its parameters too)")
    OPERATION_DROPPED = (W, "an operation is left out: another one already has its path and method in the target")
    PARAMETER_TYPE_UNSUPPORTED = (W, "the target cannot hold this parameter type here")
    PARAMETER_LOCATION_UNSUPPORTED = (W, "the target has no parameters in this location")
    PARAMETER_DROPPED = (W, "a parameter is left out of the payload")
    ENUM_DROPPED = (W, "the target cannot express an enum restriction")
    PATTERN_DROPPED = (W, "the target cannot express a pattern restriction")
    FORMAT_DROPPED = (W, "the target cannot express a format restriction")
    MULTIPLE_OF_DROPPED = (W, "the target cannot express multipleOf")
    RESTRICTION_DROPPED = (W, "the target cannot express this restriction")
    DEFAULT_DROPPED = (W, "the target cannot hold a default value")
    BOUND_ADJUSTED = (I, "an exclusive bound was made inclusive for an integer (same set of values)")
    SCHEMA_FEATURE_DROPPED = (W, "a schema feature (alternatives, additionalProperties, ...) is lost")
    RECURSION_CUT = (W, "a recursive schema was cut at the depth the target allows")
    BODY_DROPPED = (W, "the target cannot describe this request body")
    RESPONSES_DROPPED = (W, "the target does not describe responses")
    MEDIA_TYPE_UNSUPPORTED = (W, "the target cannot express this media type")
    MEDIA_TYPE_MAPPED = (W, "a media type was mapped to a broader one of the target (other types are accepted too)")
    SECURITY_SCHEME_UNSUPPORTED = (W, "the target cannot express this security scheme")
    SERVER_DROPPED = (W, "a server (or a server variable's other values) is left out: the target carries fewer")
    PROXY_ENDPOINT_MISSING = (W, "the platform's own (proxy) endpoint was not given; the payload has none")
    EXTENSION_DROPPED = (W, "an x- extension is not carried over")
    OPERATION_ID_GENERATED = (I, "an operation had no id; a deterministic one was generated")
    OPERATION_ID_RENAMED = (I, "an operation id was renamed (to be unique or allowed); no traffic changes")
    RESPONSE_CODE_NORMALIZED = (W, "a response range/default became one concrete code; the others it covered are lost")
    ALLOF_FLATTENED = (I, "a top-level allOf without conflicts was flattened into the same literal properties")
    BASE_PATH_FIXED = (W, "the base path / server URL cannot be changed after import")
    DESCRIPTION_DROPPED = (W, "the target has no place for this description or summary")
    DEPRECATION_DROPPED = (W, "the target cannot mark this as deprecated")
    XML_RULE_DROPPED = (W, "XML naming rules are lost")
    # -- openapi / frends emitters -------------------------------------------------------------
    VALUE_FILLED = (I, "the target requires a value the source lacks; a neutral one that describes nothing was written")
    VALUE_ASSUMED = (W, "the target requires a value the source lacks or contradicts; the one written is a guess")
    OUTPUT_INVALID = (E, "the emitted document fails the target's own validator (schema)")
    ENUM_DEDUPLICATED = (I, "a repeated enum value was written once (the same set of values)")
    NAME_SANITIZED = (I, "a name the target does not allow (component key) was rewritten")
    COLLECTION_FORMAT_DROPPED = (W, "the target cannot express this array serialisation (collectionFormat)")
    # -- akamai ---------------------------------------------------------------------------------
    PATH_PARAMETER_RESOLVED = (I, "a path parameter that can take one value only was written as it (same paths)")
    PATH_PARAMETER_ADDED = (I, "a path template had no declared parameter; a required string one (the same) was added")
    RESOURCE_RENAMED = (I, "a resource name was made unique (the target requires unique names)")
    # -- akana ---------------------------------------------------------------------------------
    VERSION_DEFAULTED = (W, "the spec gives no version; the target's version name was defaulted")
    EXAMPLE_DROPPED = (W, "the target has no place for an example value")
    SECURITY_POLICY_MAPPED = (W, "a security scheme became the organisation policy the profile maps it to; the "
                                 "policy's configuration, not the scheme, decides what is checked")
    # -- loss audit (tests/emitters/test_loss_audit.py) ---------------------------------------
    VERSION_DROPPED = (W, "the target has no place for the API's version")
    TAG_DROPPED = (W, "the target has no place for this tag (or not on the operation)")
    OPERATION_ID_DROPPED = (W, "the target has no operation names; the operationId is lost")
    # -- pull / verify (reading what a vendor holds) -------------------------------------------
    VENDOR_FEATURE_NOT_READ = (W, "the vendor's object holds something the model cannot; it was not read")
    VENDOR_LACKS = (W, "the model would need something the vendor's object does not hold; the pulled model lacks it")
    VERIFY_MISMATCH = (E, "after a push, the vendor holds a field we own otherwise than it was pushed")
    NOT_VERIFIED = (W, "the vendor's documented API cannot return (all of) what it holds: the push (or that part of "
                       "it) was not verified")


def literal(value: Any) -> str:
    """A value in a message as the spec writes it: a string in single quotes (``'limit'``), any
    other value as a JSON literal (``false``, ``null``, ``["review"]``, ``1.5``) — never a Python
    repr. Every message shows source values through this one function."""
    if isinstance(value, str):
        return repr(value)
    try:
        return json.dumps(value, ensure_ascii=False, sort_keys=False, default=str)
    except ValueError:  # a self-referencing structure (YAML aliases): still no Python repr
        return json.dumps(str(value), ensure_ascii=False)


_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _escaped(match: re.Match[str]) -> str:
    return match.group().encode("unicode_escape").decode("ascii")


def one_line(text: str) -> str:
    """``text`` safe on one line of a report: line breaks and tabs become spaces, other control
    characters are escaped (``\\x1b``)."""
    return _CONTROL.sub(_escaped, " ".join(text.split("\n")).replace("\r", " ").replace("\t", " "))


@dataclass(frozen=True)
class Diagnostic:
    code: Code
    pointer: str
    message: str
    file: str | None = None
    line: int | None = None
    column: int | None = None  # only where the line alone says nothing (a one-line document)

    def __post_init__(self) -> None:
        # one line, always: a key or value from an untrusted spec cannot forge another line of a
        # report (a newline) or move the terminal's cursor (an escape sequence)
        if _CONTROL.search(self.message):
            object.__setattr__(self, "message", one_line(self.message))

    @property
    def severity(self) -> Severity:
        return self.code.severity

    def located(self, file: str, line: int | None, column: int | None) -> Diagnostic:
        """This diagnostic with its place in ``file``: ``dataclasses.replace`` without running
        ``__init__`` again (the message is already one line; tens of thousands on a large spec)."""
        copy = object.__new__(Diagnostic)
        copy.__dict__.update(self.__dict__, file=file, line=line, column=column)
        return copy

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "code": self.code.name,
            "severity": self.severity.value,
            "pointer": self.pointer,
            "message": self.message,
        }
        if self.file is not None:
            out["file"] = self.file
        if self.line is not None:
            out["line"] = self.line
        if self.column is not None:
            out["column"] = self.column
        return out

    def render(self) -> str:
        where = self.file or ""
        if self.line is not None:
            where += f":{self.line}" + (f":{self.column}" if self.column is not None else "")
        where = one_line(f"{where} " if where else "")
        return f"{self.severity.value:7} {self.code.name} {where}{one_line(self.pointer or '/')}: {self.message}"


class Report:
    """Collects diagnostics in the order they are reported (which is deterministic)."""

    def __init__(self) -> None:
        self.items: list[Diagnostic] = []
        self._seen: set[tuple[Code, str, str]] = set()

    def report(self, code: Code, pointer: str | None, message: str) -> None:
        key = (code, pointer or "", message)
        if key in self._seen:  # the same loss reached twice (e.g. a shared schema) is said once
            return
        self._seen.add(key)
        self.items.append(Diagnostic(code, pointer or "", message))

    def extend(self, diagnostics: list[Diagnostic]) -> None:
        for d in diagnostics:
            key = (d.code, d.pointer, d.message)
            if key not in self._seen:
                self._seen.add(key)
                self.items.append(d)

    def __iter__(self) -> Iterator[Diagnostic]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def counts(self) -> dict[str, int]:
        c = Counter(d.severity.value for d in self.items)
        return {s.value: c.get(s.value, 0) for s in Severity}

    def by_code(self) -> dict[str, int]:
        return dict(sorted(Counter(d.code.name for d in self.items).items()))

    def failed(self, strict: bool = False) -> bool:
        """Whether these diagnostics fail a run (``migrate.core.status.fails``)."""
        from migrate.core.status import fails

        return fails(self.items, strict)
