"""RAML 0.8 expansion: resource types and traits applied, nested resources flattened.

Rules (RAML 0.8 specification, checked against the reference parser raml-js-parser 0.8.18):
- a resource type applies to its resource only, a trait to the methods it is applied to; nested
  resources inherit neither (only URI parameters are inherited);
- ``<<name>>`` parameters, the reserved ``<<resourcePath>>``, ``<<resourcePathName>>`` (rightmost
  path segment that is not a URI parameter) and ``<<methodName>>``, and the ``!singularize`` /
  ``!pluralize`` functions are substituted in keys and values;
- the resource's / method's own values win over the type's / trait's; mappings are merged;
  a key ending in ``?`` applies only when the target has that key (optional methods).

Named parameters that come from a trait or resource type carry their origin in the key
``PTR`` (a JSON pointer to the definition, e.g. ``/traits/0/paged/queryParameters/page``); a
parameter the method itself declares keeps the method's pointer.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from typing import Any

from migrate.core.diagnostics import Code, Report, literal
from migrate.core.pointers import pointer_join
from migrate.readers.raml.words import pluralize, singularize

METHODS = ("get", "post", "put", "delete", "head", "patch", "options", "trace", "connect")
PARAM_KEYS = ("queryParameters", "headers", "uriParameters", "baseUriParameters", "formParameters")
PTR = "\x00pointer"
_PARAM = re.compile(r"<<\s*([^<>|]+?)\s*(?:\|\s*!\s*(\w+)\s*)?>>")


@dataclass
class FlatResource:
    """One resource after expansion, with its full relative path and inherited URI parameters."""

    path: str
    pointer: str
    data: dict[str, Any]
    uri_params: dict[str, tuple[Any, str]] = field(default_factory=dict)


@dataclass
class Library:
    """Root ``traits`` and ``resourceTypes`` by name, each with the pointer of its definition."""

    traits: dict[str, tuple[Any, str]]
    types: dict[str, tuple[Any, str]]
    report: Report


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def as_dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def library(data: dict[str, Any], key: str) -> dict[str, tuple[Any, str]]:
    """Named definitions from a RAML 0.8 list of single-key maps (a plain map is accepted too)."""
    raw = data.get(key)
    out: dict[str, tuple[Any, str]] = {}
    entries = list(enumerate(raw)) if isinstance(raw, list) else [(None, raw)] if isinstance(raw, dict) else []
    for index, entry in entries:
        if not isinstance(entry, dict):
            continue
        for name, value in entry.items():
            base = f"/{key}" if index is None else f"/{key}/{index}"
            out[str(name)] = (value if isinstance(value, dict) else {}, pointer_join(base, str(name)))
    return out


# -- parameters ----------------------------------------------------------------------------------


def substitute(value: Any, params: dict[str, str]) -> Any:
    """Deep copy of ``value`` with ``<<name>>`` replaced in strings and mapping keys."""
    if isinstance(value, str):
        return _PARAM.sub(lambda m: _param(m, params), value) if "<<" in value else value
    if isinstance(value, dict):
        return {substitute(k, params) if isinstance(k, str) else k: substitute(v, params) for k, v in value.items()}
    if isinstance(value, list):
        return [substitute(v, params) for v in value]
    return value


def _param(match: re.Match[str], params: dict[str, str]) -> str:
    name, func = match.group(1), match.group(2)
    if name not in params:
        return match.group(0)
    value = params[name]
    if func == "singularize":
        return singularize(value)
    if func == "pluralize":
        return pluralize(value)
    return value


def reference(ref: Any) -> tuple[str | None, dict[str, str]]:
    """``name`` or ``{name: {param: value}}`` -> (name, params as strings)."""
    if isinstance(ref, str):
        return ref, {}
    if isinstance(ref, dict) and len(ref) == 1:
        name, params = next(iter(ref.items()))
        given = params if isinstance(params, dict) else {}
        return str(name), {str(k): _text(v) for k, v in given.items()}
    return None, {}


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def mark_origin(definition: dict[str, Any], pointer: str) -> None:
    """Record the definition pointer on every named parameter of a trait/type body (in place)."""
    for key in PARAM_KEYS:
        params = definition.get(key) or definition.get(key + "?")
        if isinstance(params, dict):
            for name, spec in params.items():
                if isinstance(spec, dict):
                    spec[PTR] = pointer_join(pointer, key, str(name))
    body = definition.get("body")
    if isinstance(body, dict):
        for media, content in body.items():
            if isinstance(content, dict):
                mark_origin(content, pointer_join(pointer, "body", str(media)))


# -- merging -------------------------------------------------------------------------------------


def merge(target: dict[str, Any], source: dict[str, Any]) -> None:
    """Apply ``source`` (a trait or type body) to ``target`` in place; the target's values win."""
    for key, value in source.items():
        optional = isinstance(key, str) and key.endswith("?")
        name = key[:-1] if optional else key
        if name == PTR or (optional and name not in target):
            continue  # an origin marker never overrides the target's own pointer
        mine = target.get(name)
        if mine is None and isinstance(value, dict):
            # merged, not copied, so that optional keys below do not leak in; the origin stays
            target[name] = mine = {PTR: value[PTR]} if PTR in value else {}
        if mine is None:
            target[name] = copy.deepcopy(value)
        elif isinstance(mine, dict) and isinstance(value, dict):
            merge(mine, value)
        elif name == "is" and isinstance(mine, list) and isinstance(value, list):
            target[name] = value + [v for v in mine if v not in value]


# -- application ---------------------------------------------------------------------------------


def path_name(path: str) -> str:
    """``<<resourcePathName>>``: the rightmost segment that is not a URI parameter."""
    for segment in reversed(path.split("/")):
        if segment and not (segment.startswith("{") and segment.endswith("}")):
            return segment
    return ""


def apply_type(resource: dict[str, Any], path: str, pointer: str, lib: Library) -> None:
    """Merge the resource's type, then that type's own type and so on, into ``resource``
    (nearer definitions win because each merge keeps what is already there)."""
    ref, at = resource.get("type"), pointer_join(pointer, "type")
    seen: set[str] = set()
    while ref is not None:
        name, params = reference(ref)
        if name is None:
            return
        if name not in lib.types or name in seen:
            what = "unknown" if name not in lib.types else "cyclic"
            lib.report.report(Code.SPEC_INVALID, at, f"{what} resource type {literal(name)}")
            return
        seen.add(name)
        definition, origin = lib.types[name]
        body = substitute(definition, {**params, "resourcePath": path, "resourcePathName": path_name(path)})
        mark_origin(body, origin)
        for method in METHODS:
            for key in (method, method + "?"):
                if isinstance(body.get(key), dict):
                    mark_origin(body[key], pointer_join(origin, key))
        ref, at = body.pop("type", None), pointer_join(origin, "type")
        _push_traits_to_methods(body)
        _copy_methods_first(resource, body)
        merge(resource, body)


def _push_traits_to_methods(body: dict[str, Any]) -> None:
    """A resource type's own ``is`` applies to the methods the type declares, not to the others
    of the resource (as the reference parser raml-js-parser 0.8 does)."""
    traits = as_list(body.pop("is", None))
    if not traits:
        return
    for method in METHODS:
        for key in (method, method + "?"):
            if key in body:
                spec = body[key] if isinstance(body[key], dict) else {}
                own = as_list(spec.get("is"))
                spec["is"] = own + [t for t in traits if t not in own]
                body[key] = spec


def _copy_methods_first(resource: dict[str, Any], body: dict[str, Any]) -> None:
    """A method the type defines without ``?`` exists on the resource even if not written there."""
    for method in METHODS:
        if method in body and method not in resource:
            resource[method] = None


def apply_traits(method: dict[str, Any], refs: list[Any], params: dict[str, str], pointer: str, lib: Library) -> None:
    """Merge the traits named in ``refs`` (in order; earlier ones win) into ``method``."""
    for ref in refs:
        name, given = reference(ref)
        if name is None:
            continue
        if name not in lib.traits:
            lib.report.report(Code.SPEC_INVALID, pointer_join(pointer, "is"), f"unknown trait {literal(name)}")
            continue
        definition, origin = lib.traits[name]
        body = substitute(definition, {**given, **params})
        mark_origin(body, origin)
        body.pop("is", None)
        merge(method, body)


def expand_methods(resource: dict[str, Any], path: str, pointer: str, lib: Library) -> None:
    """Apply the resource-level and method-level traits to each method of ``resource``."""
    resource_is = as_list(resource.get("is"))
    for method in METHODS:
        if method not in resource:
            continue
        if resource[method] is not None and not isinstance(resource[method], dict):
            lib.report.report(Code.SPEC_INVALID, pointer_join(pointer, method),
                              f"method {method} is not a mapping; read as empty")
        body = resource[method] if isinstance(resource[method], dict) else {}
        own = as_list(body.get("is"))
        params = {"resourcePath": path, "resourcePathName": path_name(path), "methodName": method}
        refs = [*own, *[r for r in resource_is if r not in own]]
        apply_traits(body, refs, params, pointer_join(pointer, method), lib)
        resource[method] = body


def flatten(data: dict[str, Any], lib: Library) -> list[FlatResource]:
    """Every resource of the document, expanded, in document order (parents before children)."""
    out: list[FlatResource] = []
    _walk(data, "", "", {}, lib, out)
    return out


def _walk(
    node: dict[str, Any], path: str, pointer: str, inherited: dict[str, tuple[Any, str]],
    lib: Library, out: list[FlatResource],
) -> None:
    for key, value in node.items():
        if not (isinstance(key, str) and key.startswith("/")):
            continue
        child_path, child_pointer = path + key, pointer_join(pointer, key)
        if value is not None and not isinstance(value, dict):
            lib.report.report(Code.SPEC_INVALID, child_pointer, f"resource {key} is not a mapping; read as empty")
        resource = copy.deepcopy(value) if isinstance(value, dict) else {}
        apply_type(resource, child_path, child_pointer, lib)
        expand_methods(resource, child_path, child_pointer, lib)
        uri = dict(inherited)
        declared = resource.get("uriParameters")
        if isinstance(declared, dict):
            for name, spec in declared.items():
                uri[str(name)] = (spec, pointer_join(child_pointer, "uriParameters", str(name)))
        out.append(FlatResource(child_path, child_pointer, resource, uri))
        _walk(value if isinstance(value, dict) else {}, child_path, child_pointer, uri, lib, out)
