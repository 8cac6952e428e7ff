"""Structural checks of a RAML 0.8 document, the one set of RAML structure rules: ``validate``
runs them on the root document (its includes kept as markers), and the reader runs them on the
document it read, so that a container of the wrong type (``responses: 3``, ``traits: 5``) is an
error in ``convert``, ``batch`` and ``push`` too, not an empty part read silently.

Checked: a title; baseUri a string; keys known at root, resource, method, body, response and
named-parameter level; resources start with "/"; named parameters are mappings (or lists of
mappings) with a RAML 0.8 type and restriction values of the right type; response codes;
``type``/``is`` naming declared resourceTypes/traits; ``!include`` targets that exist inside the
ref root (a missing or forbidden one is unusable input: ``RefError``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from migrate.core.diagnostics import Code, Diagnostic, Report, literal
from migrate.core.errors import ReadError
from migrate.core.pointers import line_of, pointer_join
from migrate.source.raml_yaml import IncludeContext, IncludeMarker, load_yaml
from migrate.source.refpolicy import RefPolicy

ROOT_KEYS = {"title", "version", "baseUri", "baseUriParameters", "protocols", "mediaType", "schemas",
             "uriParameters", "documentation", "securitySchemes", "securedBy", "traits", "resourceTypes"}
RESOURCE_KEYS = {"displayName", "description", "uriParameters", "baseUriParameters", "type", "is", "securedBy"}
METHODS = {"get", "post", "put", "delete", "head", "patch", "options", "trace", "connect"}
METHOD_KEYS = {"description", "headers", "protocols", "queryParameters", "body", "responses", "securedBy",
               "is", "baseUriParameters", "displayName"}
BODY_KEYS = {"schema", "example", "formParameters"}
RESPONSE_KEYS = {"description", "headers", "body"}
PARAM_KEYS = {"displayName", "description", "type", "enum", "pattern", "minLength", "maxLength", "minimum",
              "maximum", "example", "repeat", "required", "default"}
PARAM_TYPES = {"string", "number", "integer", "date", "boolean", "file"}
PROTOCOLS = {"HTTP", "HTTPS"}
_RESTRICTION_TYPES: dict[str, tuple[type, ...]] = {
    "minLength": (int,), "maxLength": (int,), "minimum": (int, float), "maximum": (int, float),
    "pattern": (str,), "enum": (list,), "repeat": (bool,), "required": (bool,),
}


def load_raml(path: Path, text: str, policy: RefPolicy) -> Any:
    """The root document with each ``!include`` checked against the reference policy (the same
    loader and rule as the reader) and kept as an ``IncludeMarker``."""
    data = load_yaml(text, path, IncludeContext(path, policy, Report(), follow=False))
    if not isinstance(data, dict):
        kind = "empty" if data is None else type(data).__name__
        raise ReadError(str(path), f"top level is {kind}, not a mapping")
    return data


@dataclass
class RamlChecker:
    path: Path
    found: list[Diagnostic] = field(default_factory=list)
    traits: set[str] | None = None
    resource_types: set[str] | None = None

    structural: list[Diagnostic] = field(default_factory=list)
    #: find each finding's line (``validate``); the reader leaves that to whoever reports them
    locate: bool = True

    def bad(self, pointer: str, message: str) -> None:
        line = line_of(str(self.path), pointer) if self.locate else None
        self.found.append(Diagnostic(Code.SPEC_INVALID, pointer, message, file=str(self.path), line=line))

    def broken(self, pointer: str, message: str) -> None:
        """A part of the wrong type: what a reader cannot read at all."""
        self.bad(pointer, message)
        self.structural.append(self.found[-1])

    # -- root ------------------------------------------------------------------------------
    def check(self, data: dict[str, Any]) -> list[Diagnostic]:
        if "title" not in data and not any(str(k).startswith("/") for k in data):
            self.bad("", "no title and no resources: a RAML fragment (trait, resourceType, ...), not an API")
            return self.found
        if not isinstance(data.get("title"), str) or not data["title"].strip():
            self.bad("/title" if "title" in data else "", "title is required and must be a non-empty string")
        if "baseUri" in data and not isinstance(data["baseUri"], str):
            self.broken("/baseUri", "baseUri must be a string")
        self.check_protocols(data, "")
        self.traits = _declared(data.get("traits"))
        self.resource_types = _declared(data.get("resourceTypes"))
        for key in ("baseUriParameters", "uriParameters"):
            self.check_params(data.get(key), pointer_join("", key))
        for key, value in data.items():
            self.check_root_key(str(key), value)
        return self.found

    def check_root_key(self, key: str, value: Any) -> None:
        pointer = pointer_join("", key)
        if key.startswith("/"):
            self.check_resource(value, pointer)
        elif key not in ROOT_KEYS:
            self.bad(pointer, f"unknown key {literal(key)} at the root (resources start with '/')")
        elif key in ("traits", "resourceTypes", "securitySchemes", "schemas") and not _list_or_map(value):
            self.broken(pointer, f"{key} must be a list of mappings or a mapping")
        elif key in ("traits", "resourceTypes"):
            for name, body, at in _declarations(value, pointer):
                self.check_declaration(key, name, body, at)

    def check_declaration(self, key: str, name: str, body: Any, pointer: str) -> None:
        """A trait is a partial method, a resource type a partial resource: mappings both, and the
        methods of a resource type (``get``, ``get?``) mappings too."""
        if body is None or isinstance(body, IncludeMarker):
            return
        kind = "trait" if key == "traits" else "resource type"
        if not isinstance(body, dict):
            self.broken(pointer, f"{kind} {literal(name)} must be a mapping")
            return
        for method, value in body.items() if key == "resourceTypes" else ():
            if str(method).rstrip("?") in METHODS and not (value is None or isinstance(value, (dict, IncludeMarker))):
                self.broken(pointer_join(pointer, str(method)), "a method must be a mapping")

    def check_protocols(self, node: dict[str, Any], pointer: str) -> None:
        protocols = node.get("protocols")
        if protocols is not None and (not isinstance(protocols, list) or not set(protocols) <= PROTOCOLS):
            self.bad(pointer_join(pointer, "protocols"), "protocols must be a list of HTTP and/or HTTPS")

    # -- resources and methods ---------------------------------------------------------------
    def check_resource(self, node: Any, pointer: str) -> None:
        if node is None or isinstance(node, IncludeMarker):
            return
        if not isinstance(node, dict):
            self.broken(pointer, "a resource must be a mapping")
            return
        for key in ("uriParameters", "baseUriParameters"):
            self.check_params(node.get(key), pointer_join(pointer, key))
        self.check_refs(node, pointer)
        for key, value in node.items():
            key = str(key)
            child = pointer_join(pointer, key)
            if key.startswith("/"):
                self.check_resource(value, child)
            elif key.rstrip("?") in METHODS:
                self.check_method(value, child)
            elif key not in RESOURCE_KEYS:
                self.bad(child, f"unknown key {literal(key)} in a resource (not a RAML 0.8 method or property)")

    def check_method(self, node: Any, pointer: str) -> None:
        if node is None or isinstance(node, IncludeMarker):
            return
        if not isinstance(node, dict):
            self.broken(pointer, "a method must be a mapping")
            return
        self.check_protocols(node, pointer)
        self.check_refs(node, pointer)
        for key, value in node.items():
            child = pointer_join(pointer, str(key))
            if str(key) not in METHOD_KEYS:
                self.bad(child, f"unknown key {literal(key)} in a method")
            elif key in ("headers", "queryParameters", "baseUriParameters"):
                self.check_params(value, child)
            elif key == "body":
                self.check_body(value, child)
            elif key == "responses":
                self.check_responses(value, child)

    def check_refs(self, node: dict[str, Any], pointer: str) -> None:
        used = node.get("type")
        if used is not None and self.resource_types is not None:
            for name in _names(used):
                if name not in self.resource_types:
                    self.bad(pointer_join(pointer, "type"), f"resource type {literal(name)} is not declared")
        for name in _names(node.get("is") or []):
            if self.traits is not None and name not in self.traits:
                self.bad(pointer_join(pointer, "is"), f"trait {literal(name)} is not declared")

    # -- bodies and responses ----------------------------------------------------------------
    def check_body(self, node: Any, pointer: str) -> None:
        if node is None or isinstance(node, IncludeMarker):
            return
        if not isinstance(node, dict):
            self.broken(pointer, "body must be a mapping of media types")
            return
        if not any("/" in str(k) for k in node):  # a body without media type uses the default one
            self.check_body_entry(node, pointer)
            return
        for media_type, entry in node.items():
            child = pointer_join(pointer, str(media_type))
            if "/" not in str(media_type):
                self.bad(child, f"{literal(media_type)} is not a media type")
            else:
                self.check_body_entry(entry, child)

    def check_body_entry(self, node: Any, pointer: str) -> None:
        if node is None or isinstance(node, IncludeMarker):
            return
        if not isinstance(node, dict):
            self.broken(pointer, "a body entry must be a mapping (schema, example, formParameters)")
            return
        for key in node:
            if key not in BODY_KEYS:
                self.bad(pointer_join(pointer, str(key)), f"unknown key {literal(key)} in a body")
        self.check_params(node.get("formParameters"), pointer_join(pointer, "formParameters"))

    def check_responses(self, node: Any, pointer: str) -> None:
        if node is None or isinstance(node, IncludeMarker):
            return
        if not isinstance(node, dict):
            self.broken(pointer, "responses must be a mapping of status codes")
            return
        for code, response in node.items():
            child = pointer_join(pointer, str(code))
            if not (isinstance(code, int) or str(code).isdigit()) or not 100 <= int(code) <= 599:
                self.bad(child, f"response code {literal(code)} is not an HTTP status code (100-599)")
            self.check_response(response, child)

    def check_response(self, node: Any, pointer: str) -> None:
        if node is None or isinstance(node, IncludeMarker):
            return
        if not isinstance(node, dict):
            self.broken(pointer, "a response must be a mapping (description, headers, body)")
            return
        for key, value in node.items():
            child = pointer_join(pointer, str(key))
            if key not in RESPONSE_KEYS:
                self.bad(child, f"unknown key {literal(key)} in a response")
            elif key == "headers":
                self.check_params(value, child)
            elif key == "body":
                self.check_body(value, child)

    # -- named parameters --------------------------------------------------------------------
    def check_params(self, node: Any, pointer: str) -> None:
        if node is None or isinstance(node, IncludeMarker):
            return
        if not isinstance(node, dict):
            self.broken(pointer, "named parameters must be a mapping of names to parameters")
            return
        for name, param in node.items():
            child = pointer_join(pointer, str(name))
            variants = param if isinstance(param, list) else [param]  # RAML 0.8 multi-type parameter
            for i, variant in enumerate(variants):
                self.check_param(variant, pointer_join(child, i) if isinstance(param, list) else child)

    def check_param(self, node: Any, pointer: str) -> None:
        if node is None or isinstance(node, IncludeMarker):
            return
        if not isinstance(node, dict):
            self.broken(pointer, "a named parameter must be a mapping")
            return
        for key, value in node.items():
            self.check_param_key(str(key), value, pointer_join(pointer, str(key)))

    def check_param_key(self, key: str, value: Any, pointer: str) -> None:
        expected = _RESTRICTION_TYPES.get(key)
        if key not in PARAM_KEYS:
            self.bad(pointer, f"unknown key {literal(key)} in a named parameter")
        elif key == "type" and (not isinstance(value, str) or value not in PARAM_TYPES):
            self.bad(pointer, f"type {literal(value)} is not a RAML 0.8 type ({', '.join(sorted(PARAM_TYPES))})")
        elif expected and (not isinstance(value, expected) or (bool not in expected and isinstance(value, bool))):
            names = " or ".join("number" if t is float else t.__name__ for t in expected)
            self.bad(pointer, f"{key} must be {names.replace('int', 'an integer')}, not {literal(value)}")
        elif key in ("minLength", "maxLength") and value < 0:
            self.bad(pointer, f"{key} must not be negative")


def _declared(node: Any) -> set[str] | None:
    """Names declared by a traits/resourceTypes value (a list of mappings or a mapping); None when
    they cannot be known here (absent is "none declared"; an include is unknown)."""
    if node is None:
        return set()
    if isinstance(node, dict):
        return {str(k) for k in node}
    if isinstance(node, list) and all(isinstance(item, dict) for item in node):
        return {str(k) for item in node for k in item}
    return None


def _names(used: Any) -> list[str]:
    """Names used by ``type:``/``is:`` (a name, a {name: params} mapping, or a list of those)."""
    items = used if isinstance(used, list) else [used]
    out = []
    for item in items:
        if isinstance(item, str):
            out.append(item)
        elif isinstance(item, dict):
            out.extend(str(k) for k in item)
    return out


def _declarations(value: Any, pointer: str) -> list[tuple[str, Any, str]]:
    """(name, body, pointer) of each trait or resource type declared as a mapping or a list of them."""
    if isinstance(value, dict):
        return [(str(k), v, pointer_join(pointer, str(k))) for k, v in value.items()]
    if isinstance(value, list):
        return [(str(k), v, pointer_join(pointer_join(pointer, i), str(k)))
                for i, item in enumerate(value) if isinstance(item, dict) for k, v in item.items()]
    return []


def _list_or_map(value: Any) -> bool:
    return isinstance(value, (dict, IncludeMarker)) or (
        isinstance(value, list) and all(isinstance(v, (dict, IncludeMarker)) for v in value))


def validate_raml(path: Path, text: str, policy: RefPolicy) -> list[Diagnostic]:
    """All structural findings for the RAML 0.8 document ``text`` read from ``path``; an include
    the policy refuses, or a missing one, is unusable input (``RefError``)."""
    return RamlChecker(path).check(load_raml(path, text, policy))
