"""The one checker of the vendors' documented API contracts (this package's data).

The fake vendor servers (migrate.sandbox) and the test suite ask it whether a request or a response
conforms to what the vendor documents:

    contract = Contract.load("frends")
    problems = contract.check_response("GET", "/api/v1/processes/12", 200, "application/json", body)

``Contract.load`` reads the contract once per process. For Akamai the document is Akamai's own OpenAPI
description (akamai.json) with the fix of every defect listed in akamai-defects.yaml applied, both
kinds: rejects-valid (the descriptor refuses what Akamai sends) and admits-invalid (it accepts what it
should not). ``Contract.build`` builds one with a chosen subset of fixes (the tests prove each defect real).

Validation follows OpenAPI 3.0: responses with OAS30ReadValidator (writeOnly members refused, required
readOnly members still required), requests with OAS30WriteValidator (readOnly members refused and not
required) except the operations of Akamai's requests-ignore-readonly rule (OAS30Validator), format
checking on. XML bodies are only checked to be well-formed, without DOCTYPE or ENTITY declarations, and
for the root element name where the schema documents ``xml.name``; other media types (binary,
multipart, form data) only for their content type. Every problem names the vendor, the method, the path
template, the status (or "request") and the JSON pointer of the failing instance.

This module must not import migrate.emitters, migrate.sandbox or another part of migrate.push.
"""

from __future__ import annotations

import copy
import functools
import importlib.resources
import json
import re
import threading
import xml.etree.ElementTree as ET
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Final

import jsonpatch
import jsonpointer
import yaml
from jsonschema import FormatChecker, ValidationError
from jsonschema.exceptions import best_match
from openapi_schema_validator import OAS30ReadValidator, OAS30Validator, OAS30WriteValidator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

VENDORS: Final = ("akamai", "akana", "frends")
DEFECTS_FILE: Final = "akamai-defects.yaml"

_PACKAGE: Final = "migrate.push.contracts"
_FILES: Final = {"akamai": "akamai.json", "akana": "akana.yaml", "frends": "frends.yaml"}
_HTTP_METHODS: Final = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
#: statuses that never carry a body (RFC 9110 15.3.5, 15.3.6, 15.4.5)
_NO_BODY_STATUSES: Final = frozenset({204, 205, 304})
_MAX_PROBLEMS: Final = 20
_MAX_MESSAGE: Final = 240
#: verdicts on JSON bodies are remembered for the last _MEMO_SIZE bodies of at most _MEMO_MAX_BODY bytes
_MEMO_SIZE: Final = 256
_MEMO_MAX_BODY: Final = 256 * 1024
_RULES: Final = frozenset(
    {
        "nullable-enum-admits-null",
        "date-time-offset-without-colon",
        "requests-ignore-readonly",
        "nested-parameter-is-parameter",
    }
)
_XML_DECLARATIONS = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_OFFSET_WITHOUT_COLON = re.compile(r".*T.*[+-]\d{4}")
_PARAMETER = re.compile(r"\{[^{}/]+\}")


# -- reading the package data --------------------------------------------------------------------------


def _read_text(name: str) -> str:
    return importlib.resources.files(_PACKAGE).joinpath(name).read_text(encoding="utf-8")


def _parse(name: str, text: str) -> Any:
    if name.endswith(".json"):
        return json.loads(text)
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(text, Loader=loader)


@functools.cache
def _document_text(vendor: str) -> str:
    if vendor not in _FILES:
        raise ValueError(f"unknown vendor {vendor!r} (known: {', '.join(VENDORS)})")
    return _read_text(_FILES[vendor])


@functools.cache
def _defects() -> tuple[dict[str, Any], ...]:
    listed = _parse(DEFECTS_FILE, _read_text(DEFECTS_FILE))
    if not isinstance(listed, list) or not all(isinstance(d, dict) and "id" in d for d in listed):
        raise ValueError(f"{DEFECTS_FILE}: expected a list of defects with ids")
    ids = [d["id"] for d in listed]
    if len(set(ids)) != len(ids):
        raise ValueError(f"{DEFECTS_FILE}: duplicate ids")
    return tuple(listed)


def akamai_defects() -> list[dict[str, Any]]:
    """The defects of akamai-defects.yaml, in file order (copies: callers may change them)."""
    return copy.deepcopy(list(_defects()))


# -- JSON pointers ---------------------------------------------------------------------------------------


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def _pointer(parts: Iterable[object]) -> str:
    return "".join("/" + _escape(str(p)) for p in parts)


def _walk(node: Any, pointer: str = "") -> Iterator[tuple[str, Any]]:
    yield pointer, node
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _walk(value, f"{pointer}/{_escape(str(key))}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _walk(value, f"{pointer}/{index}")


def _copies_of(document: Any, file_path: str) -> list[str]:
    """Pointers of every schema whose x-akamai.file-path is file_path (the descriptor is fully inlined)."""
    found = [
        pointer
        for pointer, node in _walk(document)
        if isinstance(node, dict)
        and isinstance(node.get("x-akamai"), dict)
        and node["x-akamai"].get("file-path") == file_path
    ]
    if not found:
        raise ValueError(f"{DEFECTS_FILE}: no schema of akamai.json has x-akamai.file-path {file_path!r}")
    return found


# -- applying Akamai's defect fixes ----------------------------------------------------------------------


@dataclass
class _Options:
    lenient_date_time: bool = False
    ignore_readonly: set[str] = field(default_factory=set)


def _apply_fix(document: dict[str, Any], defect: dict[str, Any], options: _Options) -> None:
    fix = defect.get("fix")
    if not fix:
        return
    if "patch" in fix:
        pointers = fix.get("at") or _copies_of(document, fix["copies_of"])
        # resolve every target before patching any: a patch may move a member holding another target
        for target in [jsonpointer.resolve_pointer(document, p) for p in pointers]:
            # a deep copy per target: several targets must not share the values a patch adds
            jsonpatch.apply_patch(target, copy.deepcopy(fix["patch"]), in_place=True)
    rule = fix.get("rule")
    if rule is None:
        return
    if rule not in _RULES:
        raise ValueError(f"{DEFECTS_FILE}: defect {defect['id']}: unknown rule {rule!r}")
    if rule == "nullable-enum-admits-null":
        for _, node in _walk(document):
            enum = node.get("enum") if isinstance(node, dict) else None
            if isinstance(enum, list) and node.get("nullable") is True and None not in enum:
                enum.append(None)
    elif rule == "date-time-offset-without-colon":
        options.lenient_date_time = True
    elif rule == "requests-ignore-readonly":
        options.ignore_readonly |= set(fix["operations"])
    else:  # nested-parameter-is-parameter
        for pointer in _copies_of(document, "schemas/apiParameterDto.yaml"):
            node = jsonpointer.resolve_pointer(document, pointer)
            items = node["properties"]["apiChildParameters"]["items"]
            if items.get("x-akamai", {}).get("file-path") != "schemas/apiParameterDto-nested.yaml":
                raise ValueError(f"{DEFECTS_FILE}: {pointer}: apiChildParameters items are not the nested copy")
            node["properties"]["apiChildParameters"]["items"] = {"$ref": "#" + pointer}


# -- formats ---------------------------------------------------------------------------------------------


@functools.cache
def _format_checker(lenient_date_time: bool) -> FormatChecker:
    checker: FormatChecker = copy.deepcopy(OAS30Validator.FORMAT_CHECKER)
    if lenient_date_time:
        strict, _raises = checker.checkers["date-time"]

        def date_time(value: object) -> bool:
            if isinstance(value, str) and _OFFSET_WITHOUT_COLON.fullmatch(value):
                value = value[:-2] + ":" + value[-2:]
            return bool(strict(value))

        checker.checks("date-time", raises=_raises)(date_time)
    return checker


# -- media types -----------------------------------------------------------------------------------------


def _media_type(value: str) -> str:
    """The media type without parameters, lower case."""
    return value.split(";", 1)[0].strip().lower()


def _is_json(media: str) -> bool:
    subtype = media.partition("/")[2]
    return subtype == "json" or subtype.endswith("+json")


def _is_xml(media: str) -> bool:
    subtype = media.partition("/")[2]
    return subtype == "xml" or subtype.endswith("+xml")


def _match_media(actual: str, documented: Iterable[str]) -> str | None:
    """The documented media type (key of a content map) that actual matches: exactly, else by a range."""
    keys = {_media_type(k): k for k in documented}
    if actual in keys:
        return keys[actual]
    kind = actual.partition("/")[0]
    for key in (f"{kind}/*", "*/*"):
        if key in keys:
            return keys[key]
    return None


# -- operations ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Operation:
    """One documented operation. template includes the contract's base path."""

    operation_id: str
    method: str
    template: str
    source: Any = field(compare=False)
    #: the JSON pointer of the operation object in Contract.document
    pointer: str = field(default="", compare=False)
    spec: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def statuses(self) -> set[str]:
        """The documented response keys ("200", "4XX", "default")."""
        return {str(key) for key in self.spec.get("responses", {})}


@dataclass(frozen=True)
class _Route:
    template: str
    #: per segment: the literal text, or None for a templated segment (then pattern matches it)
    literals: tuple[str | None, ...]
    patterns: tuple[re.Pattern[str] | None, ...]
    specificity: tuple[int, ...]
    operations: dict[str, Operation]


def _route(template: str, path: str, operations: dict[str, Operation]) -> _Route:
    """The route of a documented path (relative to the base path); template is the path with the base path."""
    segments = path.split("/")[1:]
    literals: list[str | None] = []
    patterns: list[re.Pattern[str] | None] = []
    for segment in segments:
        if _PARAMETER.search(segment):
            parts = _PARAMETER.split(segment)
            literals.append(None)
            patterns.append(re.compile("[^/]+".join(re.escape(p) for p in parts)))
        else:
            literals.append(segment)
            patterns.append(None)
    specificity = tuple(0 if literal is not None else 1 for literal in literals)
    return _Route(template, tuple(literals), tuple(patterns), specificity, operations)


def _source_of(operation: dict[str, Any]) -> Any:
    if "x-source" in operation:
        return operation["x-source"]
    docs = operation.get("externalDocs")
    return docs.get("url") if isinstance(docs, dict) else None


def _base_path(document: dict[str, Any]) -> str:
    servers = document.get("servers") or [{"url": "/"}]
    url = str(servers[0].get("url", "/"))
    if "://" in url:
        url = url.split("://", 1)[1]
        url = url[url.find("/") :] if "/" in url else ""
    return url.rstrip("/")


def _status_key(status: int, documented: Iterable[str]) -> str | None:
    keys = {str(k).upper(): str(k) for k in documented}
    for key in (str(status), f"{status // 100}XX", "DEFAULT"):
        if key in keys:
            return keys[key]
    return None


# -- the contract ----------------------------------------------------------------------------------------


class Contract:
    """A vendor's contract, ready to check requests and responses against it."""

    vendor: str
    document: dict[str, Any]
    base_path: str

    def __init__(self, vendor: str, document: dict[str, Any], *, options: _Options | None = None) -> None:
        self.vendor = vendor
        self.document = document
        self.base_path = _base_path(document)
        self._options = options or _Options()
        self._urn = f"urn:api-migrate:contract:{vendor}"
        resource = Resource.from_contents(document, default_specification=DRAFT4)
        self._registry: Registry[Any] = Registry().with_resource(self._urn, resource).crawl()
        self._format_checker = _format_checker(self._options.lenient_date_time)
        self._validators: dict[tuple[str, str], Any] = {}
        self._memo: OrderedDict[tuple[str, str, str, bytes], tuple[str, ...]] = OrderedDict()
        self._memo_lock = threading.Lock()
        routes: list[_Route] = []
        for path, item in document.get("paths", {}).items():
            template = self.base_path + path
            operations: dict[str, Operation] = {}
            for method, spec in item.items():
                if method not in _HTTP_METHODS or not isinstance(spec, dict):
                    continue
                operations[method.upper()] = Operation(
                    operation_id=str(spec.get("operationId", f"{method.upper()} {path}")),
                    method=method.upper(),
                    template=template,
                    source=_source_of(spec),
                    pointer=_pointer(("paths", path, method)),
                    spec=spec,
                )
            routes.append(_route(template, path, operations))
        # literal segments win over templated ones, from the left
        routes.sort(key=lambda r: r.specificity)
        self._routes: dict[int, list[_Route]] = {}
        for route in routes:
            self._routes.setdefault(len(route.literals), []).append(route)

    def __repr__(self) -> str:
        return f"Contract({self.vendor!r}, base_path={self.base_path!r})"

    # -- construction --

    @classmethod
    def load(cls, vendor: str) -> Contract:
        """The vendor's contract, with every Akamai defect fix applied; one per process."""
        return _load(vendor)

    @classmethod
    def build(cls, vendor: str, fixes: Iterable[str] | None = None) -> Contract:
        """A fresh contract. For Akamai, apply the fixes of the defects named in fixes (all when None)."""
        text = _document_text(vendor)  # raises ValueError for an unknown vendor
        document = _parse(_FILES[vendor], text)
        options = _Options()
        if vendor == "akamai":
            defects = _defects()
            known = {d["id"] for d in defects}
            chosen = known if fixes is None else set(fixes)
            if unknown := chosen - known:
                raise ValueError(f"unknown Akamai defects: {', '.join(sorted(unknown))}")
            for defect in defects:
                if defect["id"] in chosen:
                    _apply_fix(document, defect, options)
        elif fixes:
            raise ValueError(f"{vendor}: only the Akamai contract has fixes")
        return cls(vendor, document, options=options)

    # -- routing --

    def operation(self, method: str, path: str) -> Operation | None:
        """The operation serving method and path (the request path as the server sees it, with base_path).

        Path templates match segment by segment, literal segments winning over templated ones; a query
        string is ignored.
        """
        route = self._route(path)
        return route.operations.get(method.upper()) if route else None

    def _route(self, path: str) -> _Route | None:
        path = path.split("?", 1)[0].split("#", 1)[0]
        if self.base_path:
            if not path.startswith(self.base_path + "/"):
                return None
            path = path[len(self.base_path) :]
        elif not path.startswith("/"):
            return None
        segments = path.split("/")[1:]
        for route in self._routes.get(len(segments), ()):
            for segment, literal, pattern in zip(segments, route.literals, route.patterns, strict=True):
                if literal is not None:
                    if segment != literal:
                        break
                elif not segment or pattern is None or not pattern.fullmatch(segment):
                    break
            else:
                return route
        return None

    # -- checks --

    def check_request(self, method: str, path: str, content_type: str | None, body: bytes) -> list[str]:
        """What is wrong with this request (an empty list when it conforms)."""
        method = method.upper()
        operation, problem = self._operation_or_problem(method, path, "request")
        if operation is None:
            return [problem]
        prefix = f"{self.vendor} {method} {operation.template} request"
        spec = operation.spec.get("requestBody")
        if spec is None:
            return [f"{prefix}: a body ({len(body)} bytes) where the documentation has none"] if body else []
        where, request_body = self._resolve(f"{operation.pointer}/requestBody", spec)
        if not body:
            return [f"{prefix}: no body, but the documentation requires one"] if request_body.get("required") else []
        direction = "plain" if operation.operation_id in self._options.ignore_readonly else "write"
        return self._check_body(prefix, f"{where}/content", request_body.get("content") or {}, content_type, body,
                                direction)

    def check_response(self, method: str, path: str, status: int, content_type: str | None, body: bytes) -> list[str]:
        """What is wrong with this response (an empty list when it conforms)."""
        method = method.upper()
        operation, problem = self._operation_or_problem(method, path, str(status))
        if operation is None:
            return [problem]
        prefix = f"{self.vendor} {method} {operation.template} {status}"
        responses = operation.spec.get("responses") or {}
        key = _status_key(status, responses)
        if key is None:
            documented = ", ".join(sorted(str(k) for k in responses)) or "none"
            return [f"{prefix}: status {status} is not documented for {operation.operation_id} (documented: "
                    f"{documented})"]
        where, response = self._resolve(f"{operation.pointer}/responses/{_escape(key)}", responses[key])
        content = response.get("content") or {}
        if status in _NO_BODY_STATUSES or method == "HEAD":
            return [f"{prefix}: a body ({len(body)} bytes) on a response that has none"] if body else []
        if not content:
            if body:
                return [f"{prefix}: a body ({len(body)} bytes, {content_type or 'no content type'}) where the "
                        "documentation has none"]
            return []
        if not body:
            return [f"{prefix}: no body (documented: {', '.join(content)})"]
        return self._check_body(prefix, f"{where}/content", content, content_type, body, "read")

    def check_instance(self, pointer: str, instance: Any, *, write: bool = False) -> list[str]:
        """Problems of an already parsed value against the schema at pointer ("#/components/..." or "/...")."""
        pointer = pointer.removeprefix("#")
        jsonpointer.resolve_pointer(self.document, pointer)  # raises JsonPointerException when absent
        return self._validate(f"{self.vendor} {pointer}", pointer, instance, "write" if write else "read")

    # -- internals --

    def _operation_or_problem(self, method: str, path: str, what: str) -> tuple[Operation | None, str]:
        route = self._route(path)
        if route is None:
            return None, f"{self.vendor} {method} {path} {what}: no documented operation has this path"
        operation = route.operations.get(method)
        if operation is None:
            documented = ", ".join(sorted(route.operations)) or "none"
            return None, (f"{self.vendor} {method} {route.template} {what}: method {method} is not documented for "
                          f"this path (documented: {documented})")
        return operation, ""

    def _resolve(self, where: str, node: Any) -> tuple[str, dict[str, Any]]:
        """Follow local $refs of a response or request body object: (its pointer, the object)."""
        seen: set[str] = set()
        while isinstance(node, dict) and isinstance(node.get("$ref"), str):
            ref = node["$ref"]
            if not ref.startswith("#") or ref in seen:
                raise ValueError(f"{self.vendor}: {where}: cannot resolve {ref!r}")
            seen.add(ref)
            where = ref[1:]
            node = jsonpointer.resolve_pointer(self.document, where)
        if not isinstance(node, dict):
            raise ValueError(f"{self.vendor}: {where}: not an object")
        return where, node

    def _schema(self, pointer: str) -> dict[str, Any] | None:
        """The schema at pointer with its $ref chain followed (None when absent)."""
        try:
            return self._resolve(pointer, jsonpointer.resolve_pointer(self.document, pointer))[1]
        except (jsonpointer.JsonPointerException, ValueError):
            return None

    def _check_body(self, prefix: str, where: str, content: dict[str, Any], content_type: str | None, body: bytes,
                    direction: str) -> list[str]:
        documented = ", ".join(content) or "none"
        if not content_type:
            return [f"{prefix}: a body without a content type (documented: {documented})"]
        actual = _media_type(content_type)
        key = _match_media(actual, content)
        if key is None:
            return [f"{prefix}: content type {actual} is not documented (documented: {documented})"]
        media = content[key] or {}
        schema_pointer = f"{where}/{_escape(key)}/schema"
        if _is_json(actual):
            try:
                instance = json.loads(body, parse_constant=_refuse_constant)
            except (UnicodeDecodeError, ValueError) as error:
                return [f"{prefix}: the body is not JSON ({error})"]
            if "schema" not in media or _is_binary(self._schema(schema_pointer)):
                return []
            return self._validate_body(prefix, schema_pointer, instance, direction, body)
        if _is_xml(actual):
            return [f"{prefix}: {problem}" for problem in self._check_xml(body, self._schema(schema_pointer))]
        return []

    def _check_xml(self, body: bytes, schema: dict[str, Any] | None) -> list[str]:
        if _XML_DECLARATIONS.search(body):
            return ["the XML body has a DOCTYPE or ENTITY declaration (refused)"]
        try:
            root = ET.fromstring(body)
        except ET.ParseError as error:
            return [f"the body is not well-formed XML ({error})"]
        expected = (schema or {}).get("xml", {}).get("name")
        name = root.tag.rpartition("}")[2]
        if expected and name != expected:
            return [f"(root): root element <{name}>, documented <{expected}>"]
        return []

    def _validator(self, pointer: str, direction: str) -> Any:
        key = (pointer, direction)
        validator = self._validators.get(key)
        if validator is None:
            cls = {"read": OAS30ReadValidator, "write": OAS30WriteValidator, "plain": OAS30Validator}[direction]
            validator = cls({"$ref": f"{self._urn}#{pointer}"}, registry=self._registry,
                            format_checker=self._format_checker)
            self._validators[key] = validator
        return validator

    def _validate_body(self, prefix: str, pointer: str, instance: Any, direction: str, body: bytes) -> list[str]:
        """_validate, remembering the verdicts on recent bodies (sandboxes send the same body again and again)."""
        if len(body) > _MEMO_MAX_BODY:
            return self._validate(prefix, pointer, instance, direction)
        key = (prefix, pointer, direction, body)
        with self._memo_lock:
            known = self._memo.get(key)
            if known is not None:
                self._memo.move_to_end(key)
                return list(known)
        problems = self._validate(prefix, pointer, instance, direction)
        with self._memo_lock:
            self._memo[key] = tuple(problems)
            if len(self._memo) > _MEMO_SIZE:
                self._memo.popitem(last=False)
        return problems

    def _validate(self, prefix: str, pointer: str, instance: Any, direction: str) -> list[str]:
        validator = self._validator(pointer, direction)
        problems = sorted({f"{prefix}: {line}" for error in validator.iter_errors(instance)
                           for line in _describe(error)})
        if len(problems) > _MAX_PROBLEMS:
            problems[_MAX_PROBLEMS:] = [f"{prefix}: ... and {len(problems) - _MAX_PROBLEMS} more problems"]
        return problems


@functools.cache
def _load(vendor: str) -> Contract:
    if vendor not in VENDORS:
        raise ValueError(f"unknown vendor {vendor!r} (known: {', '.join(VENDORS)})")
    return Contract.build(vendor)


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _is_binary(schema: dict[str, Any] | None) -> bool:
    """A binary string: the body is opaque bytes, not a JSON document."""
    return schema is not None and schema.get("type") == "string" and schema.get("format") == "binary"


def _shorten(text: str) -> str:
    return text if len(text) <= _MAX_MESSAGE else text[: _MAX_MESSAGE - 3] + "..."


def _describe(error: ValidationError) -> list[str]:
    """One line per problem of error: '<JSON pointer of the instance>: <message>'."""
    where = _pointer(error.absolute_path) or "(root)"
    if error.validator == "additionalProperties" and error.validator_value is False \
            and isinstance(error.instance, dict) and isinstance(error.schema, dict):
        declared = error.schema.get("properties") or {}
        extras = sorted(str(k) for k in error.instance if k not in declared)
        if extras:
            return [f"{where}: additional property {name!r} is not allowed" for name in extras]
    message = _shorten(error.message)
    if error.context:
        closest = best_match(error.context)
        message += f" (closest: {_pointer(closest.absolute_path) or '(root)'}: {_shorten(closest.message)})"
    return [f"{where}: {message}"]
