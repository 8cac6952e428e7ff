"""openapi-spec-validator's keyword checks, reimplemented over plain JSON data for the fast path.

The library walks a document through ``jsonschema_path`` (every node read resolves ``$ref``) and
runs keyword validators (``openapi_spec_validator/validation/keywords.py``): tag names unique,
path parameters declared and used, parameters unique per (name, in), operation ids unique,
schemas meta-checked against their dialect, ``required`` names defined where ``allOf`` is used,
``default`` values valid against their schema. ``Walk`` repeats the same traversal in the same
order with the same de-duplication (schemas by object identity), and stops at the first problem.

It only has to be right in one direction: ``Walk.check`` returning normally means the library
finds nothing. Anything it does not follow exactly (a ``$ref`` into another file, an unknown
JSON Schema dialect, data of an unexpected shape) raises ``Unsure`` and the library decides.

With ``failures`` set to a list, a schema that fails its meta-check is recorded instead (with the
path the library reaches it by: its keys from the document's root, ``$ref`` not followed) and the
walk goes on as the library's does after reporting it (``SchemaValidator`` yields the one error
and does not descend). Every other problem still stops the walk.
"""

from __future__ import annotations

import string
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import unquote

from migrate.core.pointers import pointer_tokens

OPERATIONS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
#: Longest chain of references to references followed (the library has no such limit; longer
#: chains are left to it).
MAX_REF_CHAIN = 64


class Unsure(Exception):
    """The fast path cannot decide this document; openapi-spec-validator must."""


class Invalid(Exception):
    """The library would report a problem here (its message is left to the library)."""


def resolve(spec: dict[str, Any], node: Any) -> Any:
    """``node`` with ``$ref`` followed (local ``#/...`` references only), as jsonschema_path
    reads a value."""
    for _ in range(MAX_REF_CHAIN):
        if not (isinstance(node, dict) and "$ref" in node):
            return node
        ref = node["$ref"]
        if not isinstance(ref, str) or not ref.startswith("#"):
            raise Unsure(f"$ref {ref!r}")
        pointer = unquote(ref[1:])  # percent-decoded, as referencing does
        if pointer and not pointer.startswith("/"):
            raise Unsure(f"$ref {ref!r} names an anchor")
        node = _lookup(spec, pointer)
    raise Unsure("long $ref chain")


def _lookup(spec: dict[str, Any], pointer: str) -> Any:
    node: Any = spec
    for token in pointer_tokens(pointer):
        if isinstance(node, dict) and token in node:
            node = node[token]
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            raise Unsure(f"unresolvable $ref #{pointer}")
    return node


class Walk:
    """One document's keyword checks. ``meta_valid(schema)`` is the schema meta-check and
    ``default_valid(schema, value)`` the default-value check (both version specific)."""

    def __init__(self, spec: dict[str, Any], version: str, meta_valid: Callable[[Any], bool],
                 default_valid: Callable[[Any, Any], bool]) -> None:
        self.spec, self.v2 = spec, version == "2.0"
        self.meta_valid, self.default_valid = meta_valid, default_valid
        self.operation_ids: set[Any] = set()
        self.meta_checked: set[int] = set()
        self.visited: set[int] = set()
        #: when a list: each schema failing its meta-check, with the library's path to it, in the
        #: order the library meets them (else such a schema raises ``Invalid``)
        self.failures: list[tuple[tuple[Any, ...], dict[str, Any]]] | None = None
        #: what each ``$ref`` written in the document resolves to (the document does not change
        #: during a walk, and the same few references are followed thousands of times)
        self.targets: dict[str, Any] = {}

    def get(self, node: Any) -> Any:
        if not isinstance(node, dict) or "$ref" not in node:
            return node
        ref = node["$ref"]
        if type(ref) is str and ref in self.targets:
            return self.targets[ref]
        found = resolve(self.spec, node)
        if type(ref) is str:
            self.targets[ref] = found
        return found

    def mapping(self, node: Any) -> dict[str, Any]:
        value = self.get(node)
        if not isinstance(value, dict):
            raise Unsure("expected a mapping")
        return value

    def sequence(self, node: Any) -> list[Any]:
        value = self.get(node)
        if not isinstance(value, list):
            raise Unsure("expected a list")
        return value

    def check(self) -> None:
        """Raise ``Invalid`` or ``Unsure``, or return when the library would find nothing."""
        spec = self.spec
        if "tags" in spec:
            self.tags(self.sequence(spec["tags"]))
        if "paths" in spec:
            for url, item in self.mapping(spec["paths"]).items():
                self.path(url, self.mapping(item), ("paths", url))
        if "components" in spec:
            components = self.mapping(spec["components"])
            if "schemas" in components:
                for name, schema in self.mapping(components["schemas"]).items():
                    self.schema(schema, at=("components", "schemas", name))

    def component_schemas_meta_valid(self) -> None:
        """Raise ``Invalid`` when a component schema fails its meta-schema: ``check`` meets them
        only after every path, so a caller that asks whether ``check`` passes learns it sooner by
        asking this first. The schemas checked are recorded, and ``check`` does not check them again."""
        if "components" not in self.spec:
            return
        components = self.mapping(self.spec["components"])
        for node in self.mapping(components.get("schemas", {})).values():
            value = self.get(node)
            if isinstance(value, dict) and id(value) not in self.meta_checked:
                self.meta_checked.add(id(value))
                if not self.meta_valid(value):
                    raise Invalid("schema fails its meta-schema")

    def tags(self, tags: list[Any]) -> None:
        seen: set[str] = set()
        for tag in tags:
            name = self.text(self.mapping(tag), "name")
            if name in seen:
                raise Invalid(f"duplicate tag name {name!r}")
            seen.add(name)

    def text(self, node: dict[str, Any], key: str) -> str:
        value = self.get(node.get(key))
        if not isinstance(value, str):
            raise Unsure(f"{key} is not a string")
        return value

    # -- paths, operations, parameters ---------------------------------------------------------
    # ``at``: the path the library reaches the node by (``failures`` only)
    def path(self, url: str, item: dict[str, Any], at: tuple[Any, ...] = ()) -> None:
        shared = None
        if "parameters" in item:
            shared = self.sequence(item["parameters"])
            self.parameters(shared, (*at, "parameters"))
        for name, operation in item.items():
            if name in OPERATIONS:
                self.operation(url, self.mapping(operation), shared, (*at, name))

    def operation(self, url: str, operation: dict[str, Any], shared: list[Any] | None,
                  at: tuple[Any, ...] = ()) -> None:
        if "operationId" in operation:
            op_id = self.get(operation["operationId"])
            if op_id is not None and op_id in self.operation_ids:
                raise Invalid(f"duplicate operationId {op_id!r}")
            self.operation_ids.add(op_id)
        if "responses" in operation:
            for code, response in self.mapping(operation["responses"]).items():
                self.response(self.mapping(response), (*at, "responses", code))
        names: set[str] = set()
        if "parameters" in operation:
            own = self.sequence(operation["parameters"])
            self.parameters(own, (*at, "parameters"))
            names.update(self.path_names(own))
        if shared is not None:
            names.update(self.path_names(shared))
        if names != set(url_parameters(url)):
            raise Invalid(f"path parameters of {url!r} do not match its template")

    def path_names(self, parameters: list[Any]) -> Iterator[str]:
        for parameter in parameters:
            param = self.mapping(parameter)
            if self.text(param, "in") == "path":
                yield self.text(param, "name")

    def parameters(self, parameters: list[Any], at: tuple[Any, ...] = ()) -> None:
        seen: set[tuple[Any, Any]] = set()
        for index, parameter in enumerate(parameters):
            param = self.mapping(parameter)
            if "schema" in param:
                self.schema(param["schema"], at=(*at, index, "schema"))
            if self.v2 and "default" in param and not self.default_valid(param, self.get(param["default"])):
                raise Invalid("parameter default does not match")
            if "name" not in param or "in" not in param:
                raise Unsure("parameter without name or in")
            key = (_hashable(self.get(param["name"])), _hashable(self.get(param["in"])))
            if key in seen:
                raise Invalid(f"duplicate parameter {key}")
            seen.add(key)

    def response(self, response: dict[str, Any], at: tuple[Any, ...] = ()) -> None:
        if self.v2:
            if "schema" in response:
                self.schema(response["schema"], at=(*at, "schema"))
        elif "content" in response:
            for name, media in self.mapping(response["content"]).items():
                media_type = self.mapping(media)
                if "schema" in media_type:
                    self.schema(media_type["schema"], at=(*at, "content", name, "schema"))

    # -- schemas ---------------------------------------------------------------------------------
    def schema(self, node: Any, top: bool = True, at: tuple[Any, ...] = ()) -> None:
        """openapi-spec-validator's SchemaValidator: ``top`` is its ``require_properties`` and
        ``not meta_checked`` (both are true exactly for the first, non-nested call, the only one
        that meta-checks: ``at`` is needed there alone)."""
        value = self.get(node)
        if not isinstance(value, dict):
            # a boolean schema (3.1) takes paths through the library not followed here
            raise Invalid("schema is not an object") if not isinstance(value, bool) else Unsure("boolean schema")
        if top and id(value) not in self.meta_checked:
            self.meta_checked.add(id(value))
            if not self.meta_valid(value):
                if self.failures is None:
                    raise Invalid("schema fails its meta-schema")
                self.failures.append((at, value))
                return
        if id(value) in self.visited:
            return
        self.visited.add(id(value))
        nested = self.subschemas(value)
        if "allOf" in value:
            self.required_defined(value, nested, top)
        if "default" in value:
            self.default(value)

    def subschemas(self, value: dict[str, Any]) -> set[str]:
        """Walk allOf/anyOf/oneOf/not/items/properties; the property names found under allOf."""
        nested: set[str] = set()
        for keyword in ("allOf", "anyOf", "oneOf"):
            if keyword in value:
                for inner in self.sequence(value[keyword]):
                    self.schema(inner, top=False)
                    if keyword == "allOf":
                        nested |= self.properties_of(inner, 0)
        for keyword in ("not", "items"):
            if keyword in value:
                self.schema(value[keyword], top=False)
        if "properties" in value:
            for prop in self.mapping(value["properties"]).values():
                self.schema(prop, top=False)
        return nested

    def properties_of(self, node: Any, depth: int) -> set[str]:
        """SchemaValidator._collect_properties (which has no recursion guard: a deep or cyclic
        structure is left to the library)."""
        if depth > 50:
            raise Unsure("deep allOf property collection")
        value = self.mapping(node)
        props: set[str] = set()
        if "properties" in value:
            props.update(self.mapping(value["properties"]))
        for keyword in ("allOf", "anyOf", "oneOf"):
            if keyword in value:
                for inner in self.sequence(value[keyword]):
                    props |= self.properties_of(inner, depth + 1)
        for keyword in ("items", "not"):
            if keyword in value:
                props |= self.properties_of(value[keyword], depth + 1)
        return props

    def required_defined(self, value: dict[str, Any], nested: set[str], top: bool) -> None:
        required = self.get(value["required"]) if "required" in value else []
        required = required or []
        properties = self.mapping(value["properties"]) if "properties" in value else {}
        if not isinstance(required, list) or not all(isinstance(r, str) for r in required):
            raise Unsure("required is not a list of names")
        if top and set(required) - set(properties) - nested:
            raise Invalid("required names a property that is not defined")

    def default(self, value: dict[str, Any]) -> None:
        default = self.get(value["default"])
        nullable = self.get(value["nullable"]) if "nullable" in value else False
        if (default is not None or nullable is not True) and not self.default_valid(value, default):
            raise Invalid("default does not match its schema")


def url_parameters(url: str) -> list[str]:
    """Template names in a path, exactly as the library finds them (``string.Formatter``)."""
    try:
        return [name for _, name, _, _ in string.Formatter().parse(url) if name]
    except ValueError:
        raise Unsure(f"path {url!r} is not a valid template") from None


def _hashable(value: Any) -> Any:
    try:
        hash(value)
    except TypeError:
        raise Unsure("unhashable parameter name") from None
    return value
