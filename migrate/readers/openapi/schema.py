"""OpenAPI/Swagger schema objects -> model ``Schema`` trees with named references.

Every ``$ref`` in a schema becomes ``Schema(ref=NAME)``; the referenced schema is read once into
``Api.schemas`` under NAME (the component key for the root document's definitions /
components.schemas, a stable unique name for anything else). ``allOf`` is merged (a referenced
part contributes the referenced schema's properties and restrictions); ``oneOf``/``anyOf`` are
kept as alternatives.
"""

from __future__ import annotations

from typing import Any

from migrate.core.diagnostics import literal
from migrate.core.model import Schema, Xml
from migrate.core.pointers import pointer_tokens
from migrate.readers.openapi.context import Ctx, json_kind, plain
from migrate.readers.openapi.merge import merge_schema
from migrate.readers.openapi.refs import Cursor
from migrate.readers.openapi.restrictions import read_restrictions

TYPES = ("string", "integer", "number", "boolean", "object", "array", "file", "null")
#: Schema keywords the model holds (everything else is carried in ``extensions``).
_KNOWN = frozenset({
    "$ref", "type", "title", "description", "properties", "required", "additionalProperties", "items",
    "nullable", "readOnly", "writeOnly", "default", "example", "xml", "allOf", "oneOf", "anyOf",
    "minLength", "maxLength", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf",
    "pattern", "enum", "const", "minItems", "maxItems", "uniqueItems", "format", "examples",
})


class SchemaReader:
    """Reads schemas of one document; owns the named-schema registry."""

    def __init__(self, ctx: Ctx) -> None:
        self.ctx = ctx
        self.names: dict[tuple[str, str], str] = {}
        self.pending: dict[str, tuple[Any, Cursor]] = {}
        self.done: dict[str, Schema] = {}
        self.busy: set[str] = set()
        self.order: list[str] = []

    # -- the registry ------------------------------------------------------------------------
    def register_components(self, node: Any, at: Cursor) -> None:
        """Register the root document's definitions / components.schemas under their keys."""
        what = "definitions" if self.ctx.swagger else "components.schemas"
        for key, value in self.ctx.mapping(node, at, what).items():
            self._register(str(key), value, at.child(str(key)))

    def _register(self, name: str, node: Any, at: Cursor) -> str:
        base, n = name, 1
        while name in self.pending:
            n += 1
            name = f"{base}_{n}"
        self.names[(at.doc, at.ptr)] = name
        self.pending[name] = (node, at)
        self.order.append(name)
        return name

    def name_for(self, ref: str, at: Cursor) -> str:
        node, target = self.ctx.resolver.target(ref, at)
        known = self.names.get((target.doc, target.ptr))
        return known if known is not None else self._register(self._new_name(target), node, target)

    def _new_name(self, at: Cursor) -> str:
        tokens = pointer_tokens(at.ptr)
        for prefix in (["definitions"], ["components", "schemas"]):
            if tokens[: len(prefix)] == prefix and len(tokens) > len(prefix):
                tokens = tokens[len(prefix):]
                break
        tail = "_".join(tokens)
        if at.doc == self.ctx.resolver.root:
            return tail or "root"
        stem = at.doc.rstrip("/").rsplit("/", 1)[-1].split(".", 1)[0] or "schema"
        return f"{stem}_{tail}" if tail else stem

    def named(self, name: str) -> Schema | None:
        """The named schema, read now if needed; None while it is being read (allOf cycle)."""
        if name in self.done:
            return self.done[name]
        if name in self.busy or name not in self.pending:
            return None
        self.busy.add(name)
        node, at = self.pending[name]
        if isinstance(node, dict) and isinstance(node.get("$ref"), str):
            self.ctx.resolver.follow(node, at)  # a cycle through references alone raises
        schema = self.read(node, at)
        if schema.ref is None:
            schema.pointer = at.shown
        self.done[name] = schema
        self.busy.discard(name)
        return schema

    def finish(self) -> dict[str, Schema]:
        """Read every registered schema (new ones may be registered meanwhile)."""
        i = 0
        while i < len(self.order):
            self.named(self.order[i])
            i += 1
        return {name: self.done[name] for name in self.order if name in self.done}

    def resolve(self, schema: Schema) -> Schema:
        """Follow ``ref`` hops to the named schema (the node itself when unknown)."""
        seen: set[str] = set()
        while schema.ref is not None and schema.ref not in seen:
            seen.add(schema.ref)
            target = self.named(schema.ref)
            if target is None:
                break
            schema = target
        return schema

    # -- schema objects ----------------------------------------------------------------------
    def read(self, node: Any, at: Cursor) -> Schema:
        if not isinstance(node, dict):
            return self._not_a_mapping(node, at)
        ref = node.get("$ref")
        if isinstance(ref, str) and self.ctx.v31 and _siblings(node):
            # 3.1 (JSON Schema 2020-12): keywords beside $ref apply too, as in an allOf
            node = {**{k: v for k, v in node.items() if k != "$ref"},
                    "allOf": [{"$ref": ref}, *self.ctx.listing(node.get("allOf"), at.child("allOf"), "allOf")]}
        elif isinstance(ref, str):  # 3.0 / 2.0: keywords beside $ref are ignored (the spec says so)
            return Schema(ref=self.name_for(ref, at), pointer=at.shown)
        schema = Schema(pointer=at.shown)
        self._scalars(schema, node, at)
        self._type(schema, node.get("type"), at)
        schema.restrictions = read_restrictions(self.ctx, node, at)
        self._structure(schema, node, at)
        if "allOf" in node:
            self._all_of(schema, node["allOf"], at.child("allOf"))
        self._infer_type(schema)
        return schema

    def _not_a_mapping(self, node: Any, at: Cursor) -> Schema:
        if node is True or node is None:
            return Schema(pointer=at.shown)
        if node is False:
            return Schema(pointer=at.shown, extensions={"not": {}})
        self.ctx.invalid(at, f"schema is {json_kind(node)}, not a mapping; it is read as 'any'")
        return Schema(pointer=at.shown)

    def _scalars(self, schema: Schema, node: dict[str, Any], at: Cursor) -> None:
        schema.title = self.ctx.text(node.get("title"))
        schema.description = self.ctx.text(node.get("description"))
        schema.nullable = node.get("nullable") is True or node.get("x-nullable") is True
        schema.read_only = node.get("readOnly") is True
        schema.write_only = node.get("writeOnly") is True
        if "default" in node:
            schema.default = plain(node["default"], at)
        if "example" in node:
            schema.example = plain(node["example"], at)
        elif isinstance(node.get("examples"), list) and node["examples"]:
            schema.example = plain(node["examples"][0], at)
            if len(node["examples"]) > 1:
                self.ctx.ignored(at.child("examples"), f"examples has {len(node['examples'])} values; only the "
                                 "first is read (one example per schema is carried)")
        if "xml" in node:
            schema.xml = read_xml(self.ctx, node["xml"], at.child("xml"))
        for key in node:  # x- extensions and keywords the model has no field for, in source order
            if key not in _KNOWN:
                schema.extensions[str(key)] = plain(node[key], at)

    def _type(self, schema: Schema, value: Any, at: Cursor) -> None:
        if value is None:
            return
        if isinstance(value, list):
            names = [str(v).lower() for v in value]
            if "null" in names:
                schema.nullable = True
            rest = [t for t in names if t != "null"]
            if len(rest) == 1:
                value = rest[0]
            elif not rest:
                value = "null"
            else:
                schema.combinator = "anyOf"
                schema.alternatives = [Schema(type=t, pointer=at.shown + "/type") for t in rest if t in TYPES]
                return
        name = str(value).lower()
        if name in TYPES:
            schema.type = name
        else:
            self.ctx.repaired(at.child("type"), f"unknown type {literal(value)}; read as 'any'")
            schema.extensions["type"] = plain(value, at)

    def _structure(self, schema: Schema, node: dict[str, Any], at: Cursor) -> None:
        from migrate.core.model import Property

        if "properties" in node:
            props_at = at.child("properties")
            props = self.ctx.mapping(node["properties"], props_at, "properties")
            required = node.get("required")
            required = set(map(str, required)) if isinstance(required, list) else set()
            schema.properties = [Property(str(k), self.read(v, props_at.child(k)), str(k) in required)
                                 for k, v in props.items()]
        extra = node.get("additionalProperties")
        if isinstance(extra, bool):
            schema.additional_properties = extra
        elif extra is not None:
            schema.additional_properties = self.read(extra, at.child("additionalProperties"))
        if "items" in node:
            schema.items = self._items(node["items"], at.child("items"))
        for word in ("oneOf", "anyOf"):
            if word in node:
                self._alternatives(schema, word, node[word], at.child(word))

    def _items(self, node: Any, at: Cursor) -> Schema:
        if isinstance(node, list):  # tuple-typed items (JSON Schema draft 4)
            self.ctx.ignored(at, "tuple-typed items (a list of schemas): only the first is read")
            return self.read(node[0], at.child(0)) if node else Schema(pointer=at.shown)
        return self.read(node, at)

    def _alternatives(self, schema: Schema, word: str, node: Any, at: Cursor) -> None:
        if schema.combinator is not None:
            self.ctx.ignored(at, f"{word} beside {schema.combinator}: only {schema.combinator} is read")
            schema.extensions[word] = plain(node, at)
            return
        schema.combinator = word
        schema.alternatives = [self.read(v, at.child(i)) for i, v in enumerate(self.ctx.listing(node, at, word))]

    def _all_of(self, schema: Schema, node: Any, at: Cursor) -> None:
        for i, part in enumerate(self.ctx.listing(node, at, "allOf")):
            piece = self.read(part, at.child(i))
            target = self.resolve(piece)
            if target.ref is not None:
                self.ctx.ignored(at.child(i), f"allOf part {literal(target.ref)} refers back to itself; not merged")
                continue
            merge_schema(schema, target)

    @staticmethod
    def _infer_type(schema: Schema) -> None:
        if schema.type is None and schema.combinator is None:
            if schema.properties or isinstance(schema.additional_properties, Schema):
                schema.type = "object"
            elif schema.items is not None:
                schema.type = "array"


def _siblings(node: dict[str, Any]) -> bool:
    return any(k not in ("$ref", "$comment") for k in node)


def read_xml(ctx: Ctx, node: Any, at: Cursor) -> Xml | None:
    node = ctx.mapping(node, at, "xml")
    if not node:
        return None
    return Xml(name=ctx.text(node.get("name")), namespace=ctx.text(node.get("namespace")),
               prefix=ctx.text(node.get("prefix")), attribute=node.get("attribute") is True,
               wrapped=node.get("wrapped") is True)
