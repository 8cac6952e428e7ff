"""The neutral, vendor-free model of an API and its versioned JSON form.

Python attributes are snake_case; the JSON form (``{"irVersion": 1, "api": {...}}``) uses the
camelCase names given in ../shared/design/architecture.md. Unset optional values (``None``) and
empty lists/dicts are left out of the JSON form, so ``Api.from_json(api.to_json()) == api``.

Schemas
    Named schemas (OpenAPI components/definitions, RAML root ``schemas``) live in ``Api.schemas``
    and are referred to from trees by ``Schema(ref=NAME)``: a node with ``ref`` set carries
    nothing else. Recursive schemas therefore never expand without bound, and a large spec costs
    memory in proportion to its size. Targets that need a plain tree inline references with
    ``migrate.transforms.inline_refs`` (which cuts recursion at a depth the target allows).

Pointers
    Every node that a diagnostic can talk about carries ``pointer``: an RFC 6901 JSON pointer
    into the source document (for RAML, into the RAML YAML document, e.g.
    ``/~1users/get/queryParameters/page``). ``migrate.source.load.line_of`` turns it into a line.
"""

from __future__ import annotations

import dataclasses
import functools
import types
import typing
from dataclasses import dataclass, field
from typing import Any, ClassVar, TypeVar, Union, get_args, get_origin

IR_VERSION = 1

LOCATIONS = ("path", "query", "header", "cookie")
PARAMETER_TYPES = ("string", "integer", "number", "boolean", "object", "file")
METHODS = ("GET", "PUT", "POST", "DELETE", "HEAD", "PATCH", "OPTIONS", "TRACE", "CONNECT")

T = TypeVar("T")


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def _is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, (list, dict)) and not value)


class Node:
    """Base of all model dataclasses: generic camelCase JSON form."""

    #: JSON names that differ from the camelCased attribute name.
    _json_names: ClassVar[dict[str, str]] = {}

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for f in dataclasses.fields(self):  # type: ignore[arg-type]
            value = getattr(self, f.name)
            if _is_empty(value) or (f.name == "deprecated" and value is False):  # the default, left out
                continue
            out[self._json_names.get(f.name, _camel(f.name))] = _dump(value)
        return out

    @classmethod
    def from_json(cls: type[T], data: dict[str, Any]) -> T:
        hints = _hints(cls)  # type: ignore[arg-type]
        names: dict[str, str] = cls._json_names  # type: ignore[attr-defined]
        kwargs: dict[str, Any] = {}
        for f in dataclasses.fields(cls):  # type: ignore[arg-type]
            key = names.get(f.name, _camel(f.name))
            if key in data:
                kwargs[f.name] = _load(hints[f.name], data[key])
        return cls(**kwargs)


@functools.cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _dump(value: Any) -> Any:
    if isinstance(value, Node):
        return value.to_json()
    if isinstance(value, list):
        return [_dump(v) for v in value]
    if isinstance(value, dict):
        return {k: _dump(v) for k, v in value.items()}
    return value


def _load(tp: Any, value: Any) -> Any:
    origin = get_origin(tp)
    if origin in (Union, types.UnionType):
        options = [a for a in get_args(tp) if a is not type(None)]
        if value is None:
            return None
        for option in options:
            if isinstance(option, type) and issubclass(option, Node):
                if isinstance(value, dict):
                    return option.from_json(value)
            elif option is bool and isinstance(value, bool):
                return value
        return _load(options[0], value)
    if origin is list:
        (item,) = get_args(tp)
        return [_load(item, v) for v in value]
    if origin is dict:
        _, item = get_args(tp)
        return {k: _load(item, v) for k, v in value.items()}
    if isinstance(tp, type) and issubclass(tp, Node):
        return tp.from_json(value)
    return value


@dataclass
class Restrictions(Node):
    """Validation restrictions. ``exclusive_minimum``/``exclusive_maximum`` are flags that make
    ``minimum``/``maximum`` exclusive (OpenAPI 3.1 numeric forms are normalised to this)."""

    min_length: int | None = None
    max_length: int | None = None
    minimum: int | float | None = None
    maximum: int | float | None = None
    exclusive_minimum: bool | None = None
    exclusive_maximum: bool | None = None
    multiple_of: int | float | None = None
    pattern: str | None = None
    enum: list[Any] | None = None
    min_items: int | None = None
    max_items: int | None = None
    unique_items: bool | None = None
    format: str | None = None

    def is_empty(self) -> bool:
        return all(getattr(self, f.name) is None for f in dataclasses.fields(self))

    def set_keys(self) -> list[str]:
        """JSON names of the restrictions that are set, in a fixed order."""
        return [_camel(f.name) for f in dataclasses.fields(self) if getattr(self, f.name) is not None]


@dataclass
class Xml(Node):
    name: str | None = None
    namespace: str | None = None
    prefix: str | None = None
    attribute: bool = False
    wrapped: bool = False


@dataclass
class Property(Node):
    name: str
    schema: Schema
    required: bool = False


@dataclass
class Schema(Node):
    """A schema tree node. ``type`` is one of string, integer, number, boolean, object, array,
    file, null, or None for "any". ``alternatives`` holds oneOf/anyOf branches (``combinator``
    says which); allOf is merged by the readers."""

    type: str | None = None
    ref: str | None = None
    title: str | None = None
    description: str | None = None
    properties: list[Property] = field(default_factory=list)
    additional_properties: Schema | bool | None = None
    items: Schema | None = None
    restrictions: Restrictions = field(default_factory=Restrictions)
    nullable: bool = False
    read_only: bool = False
    write_only: bool = False
    default: Any = None
    example: Any = None
    xml: Xml | None = None
    combinator: str | None = None
    alternatives: list[Schema] = field(default_factory=list)
    pointer: str | None = None
    extensions: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        out = super().to_json()
        if self.restrictions.is_empty():
            out.pop("restrictions", None)
        for flag in ("nullable", "readOnly", "writeOnly"):
            if out.get(flag) is False:
                del out[flag]
        return out


@dataclass
class Parameter(Node):
    """A path, query, header or cookie parameter. For ``array`` parameters ``type`` and the
    length/range/enum/pattern restrictions describe the items; minItems/maxItems/uniqueItems the
    array. ``schema`` keeps an object- or alternative-typed parameter's full schema.
    ``collection_format`` is an array's serialisation in Swagger 2.0 terms (csv, ssv, pipes,
    multi...); ``style``/``explode`` are the serialisation as an OpenAPI 3 source writes it
    (form, simple, label, matrix, spaceDelimited, pipeDelimited, deepObject), set only when the
    source states them, for any parameter type."""

    name: str
    location: str
    required: bool = False
    type: str = "string"
    array: bool = False
    description: str | None = None
    default: Any = None
    example: Any = None
    restrictions: Restrictions = field(default_factory=Restrictions)
    collection_format: str | None = None
    style: str | None = None
    explode: bool | None = None
    deprecated: bool = False
    schema: Schema | None = None
    pointer: str | None = None
    extensions: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        out = super().to_json()
        if self.restrictions.is_empty():
            out.pop("restrictions", None)
        return out


@dataclass
class Content(Node):
    media_type: str
    schema: Schema | None = None
    example: Any = None
    pointer: str | None = None


@dataclass
class RequestBody(Node):
    required: bool = False
    description: str | None = None
    contents: list[Content] = field(default_factory=list)
    pointer: str | None = None


@dataclass
class Response(Node):
    """``status`` is a code ("200"), a range ("4XX") or "default"."""

    status: str
    description: str | None = None
    contents: list[Content] = field(default_factory=list)
    headers: list[Parameter] = field(default_factory=list)
    pointer: str | None = None


@dataclass
class Operation(Node):
    """``security`` is None when the API's default applies; ``[]`` means explicitly none.
    Each requirement maps a security scheme name to its scopes."""

    method: str
    operation_id: str | None = None
    summary: str | None = None
    description: str | None = None
    tags: list[str] = field(default_factory=list)
    parameters: list[Parameter] = field(default_factory=list)
    request_body: RequestBody | None = None
    responses: list[Response] = field(default_factory=list)
    security: list[dict[str, list[str]]] | None = None
    deprecated: bool = False
    pointer: str | None = None
    extensions: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        out = super().to_json()
        if self.security == []:
            out["security"] = []
        return out


@dataclass
class Resource(Node):
    """One path, relative to the base path, keeping ``{param}`` templates."""

    path: str
    name: str | None = None
    description: str | None = None
    operations: list[Operation] = field(default_factory=list)
    pointer: str | None = None
    extensions: dict[str, Any] = field(default_factory=dict)


@dataclass
class ServerVariable(Node):
    """A variable of a server URL template: its default, the values it may take (``enum``; empty:
    any value) and a description."""

    default: str
    enum: list[str] = field(default_factory=list)
    description: str | None = None


@dataclass
class Server(Node):
    """``url`` with variables substituted by their defaults; ``host``, ``base_path`` (no trailing
    slash, "" for root) and ``scheme`` split out of it where known. ``template`` is the URL as
    written with its ``{variables}`` (set only when it has some) and ``variables`` describes them."""

    url: str
    host: str | None = None
    base_path: str = ""
    scheme: str | None = None
    description: str | None = None
    template: str | None = None
    variables: dict[str, ServerVariable] = field(default_factory=dict)


@dataclass
class SecurityScheme(Node):
    """``type``: apiKey, http, oauth2, oauth1, openIdConnect, mutualTLS or other.
    apiKey: ``location`` (header, query, cookie) and ``param_name``; http: ``scheme`` (basic,
    bearer, digest, ...); oauth2: ``flows`` as in OpenAPI 3; oauth1: ``urls`` by role,
    ``requestToken``, ``authorization`` and ``tokenCredentials`` (RFC 5849 section 2)."""

    name: str
    type: str
    description: str | None = None
    location: str | None = None
    param_name: str | None = None
    scheme: str | None = None
    bearer_format: str | None = None
    flows: dict[str, Any] = field(default_factory=dict)
    urls: dict[str, str] = field(default_factory=dict)
    open_id_connect_url: str | None = None
    pointer: str | None = None
    extensions: dict[str, Any] = field(default_factory=dict)


@dataclass
class Source(Node):
    """``format``: openapi, swagger or raml; ``format_version``: "3.0.3", "2.0", "0.8"."""

    format: str
    format_version: str
    path: str | None = None


@dataclass
class Api(Node):
    title: str
    version: str | None = None
    description: str | None = None
    servers: list[Server] = field(default_factory=list)
    security_schemes: list[SecurityScheme] = field(default_factory=list)
    security: list[dict[str, list[str]]] = field(default_factory=list)
    resources: list[Resource] = field(default_factory=list)
    schemas: dict[str, Schema] = field(default_factory=dict)
    tags: list[str] = field(default_factory=list)
    source: Source | None = None
    extensions: dict[str, Any] = field(default_factory=dict)

    # -- JSON form -------------------------------------------------------------------------
    def document(self) -> dict[str, Any]:
        """The versioned JSON form: ``{"irVersion": 1, "api": {...}}``."""
        return {"irVersion": IR_VERSION, "api": self.to_json()}

    @classmethod
    def from_document(cls, doc: dict[str, Any]) -> Api:
        if doc.get("irVersion") != IR_VERSION:
            raise ValueError(f"unsupported irVersion {doc.get('irVersion')!r}; expected {IR_VERSION}")
        return cls.from_json(doc["api"])

    # -- helpers ---------------------------------------------------------------------------
    def resolve(self, schema: Schema) -> Schema:
        """Follow ``ref`` to the named schema (one or more hops); unknown names stay as they are."""
        seen: set[str] = set()
        while schema.ref is not None and schema.ref in self.schemas and schema.ref not in seen:
            seen.add(schema.ref)
            schema = self.schemas[schema.ref]
        return schema

    def operations(self) -> typing.Iterator[tuple[Resource, Operation]]:
        for resource in self.resources:
            for operation in resource.operations:
                yield resource, operation

    @property
    def base_path(self) -> str:
        return self.servers[0].base_path if self.servers else ""
