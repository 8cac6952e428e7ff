"""Vendor payload schemas: validate what we emit against the vendor's own published schema.

Akamai: the Endpoint object of the API Endpoint Definition API v2, taken unchanged from Akamai's
openapi.json (akamai/akamai-apis, Apache-2.0; see migrate/emitters/akamai/NOTICE) into the committed file
``migrate/emitters/akamai/endpoint-schema.json`` (regenerate with ``tools/extract_akamai_schema.py``),
so the product never needs ../shared at run time.
"""

from __future__ import annotations

import copy
import json
from functools import cache
from pathlib import Path
from typing import Any

from openapi_schema_validator import OAS30Validator

DATA = Path(__file__).resolve().parent
AKAMAI_ENDPOINT_SCHEMA = DATA / "endpoint-schema.json"

#: where the create-endpoint body schema sits in Akamai's openapi.json
AKAMAI_SOURCE_PATH = ("paths", "/endpoints", "post", "requestBody", "content", "application/json", "schema")
_PARAMETER_PATH = ("apiResources", "apiResourceMethods", "apiParameters")


def extract_akamai_endpoint_schema(openapi: dict[str, Any]) -> dict[str, Any]:
    """The committed extract's content, built from Akamai's openapi.json (parsed)."""
    node: Any = openapi
    for key in AKAMAI_SOURCE_PATH:
        node = node[key]
    return {
        "$comment": "Extracted unchanged from akamai/akamai-apis api-definitions/v2 openapi.json "
                    "(Apache-2.0, see NOTICE): " + "/".join(AKAMAI_SOURCE_PATH),
        "endpoint": node,
    }


def dump_extract(extract: dict[str, Any]) -> str:
    """Deterministic text of the extract file."""
    return json.dumps(extract, indent=2, ensure_ascii=False) + "\n"


@cache
def _endpoint_schema() -> dict[str, Any]:
    schema = copy.deepcopy(json.loads(AKAMAI_ENDPOINT_SCHEMA.read_text(encoding="utf-8"))["endpoint"])
    # vendors.md: the schema is shared by requests and responses; a create body has no lockVersion.
    schema["required"] = [name for name in schema.get("required", []) if name != "lockVersion"]
    return schema


def _parameter_schema() -> dict[str, Any]:
    node = _endpoint_schema()
    for key in _PARAMETER_PATH:
        node = node["properties"][key]["items"]
    return node


@cache
def _validators() -> tuple[OAS30Validator, OAS30Validator]:
    return OAS30Validator(_endpoint_schema()), OAS30Validator(_parameter_schema())


def _compiled_schema(schema: Any) -> Any:
    """``schema`` (OpenAPI 3.0) as plain draft 4 for jsonschema-rs, with the OAS30Validator's
    meaning: ``nullable: true`` beside a ``type`` admits null, a readOnly/writeOnly property is
    not required, formats are not checked (OAS30Validator is used without a format checker)."""
    if isinstance(schema, list):
        return [_compiled_schema(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    out = {key: _compiled_schema(value) for key, value in schema.items() if key != "nullable"}
    if schema.get("nullable") is True and isinstance(schema.get("type"), str):
        out["type"] = [schema["type"], "null"]
    properties = schema.get("properties")
    if isinstance(schema.get("required"), list) and isinstance(properties, dict):
        out["required"] = [name for name in schema["required"]
                           if not (isinstance(properties.get(name), dict)
                                   and (properties[name].get("readOnly") or properties[name].get("writeOnly")))]
        if not out["required"]:
            del out["required"]  # draft 4 wants at least one name
    return out


@cache
def _compiled() -> dict[int, Any]:
    """jsonschema-rs validators of the two schemas, by ``id`` of the OAS30Validator they stand in
    for; a body they find valid has no errors (tests/test_batch_speed.py holds both to the same
    verdicts), any other goes through OAS30Validator for its messages."""
    try:
        import jsonschema_rs
    except ImportError:  # pragma: no cover - a product dependency
        return {}
    endpoint, parameter = _validators()
    return {id(v): jsonschema_rs.Draft4Validator(_compiled_schema(v.schema), validate_formats=False)
            for v in (endpoint, parameter)}


def _pointer(parts: Any) -> str:
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


def _located(validator: OAS30Validator, instance: Any) -> list[tuple[str, str]]:
    """(pointer relative to ``instance``, message) of every error."""
    fast = _compiled().get(id(validator))
    if fast is not None and fast.is_valid(instance):
        return []
    return [(_pointer(e.absolute_path), e.message) for e in validator.iter_errors(instance)]


def _errors(validator: OAS30Validator, instance: Any, prefix: str) -> list[str]:
    return [f"{prefix}{where or ('' if prefix else '/')}: {message}"
            for where, message in _located(validator, instance)]


#: keywords of a schema that only annotate (never make an instance invalid)
_ANNOTATIONS = frozenset({"description", "title", "x-akamai", "example", "default"})


@cache
def _children_only_typed() -> bool:
    """True when the parameter schema holds apiChildParameters items to ``type: object`` and no
    more, so that any object item can stand in for any other when validating their parent."""
    items = _parameter_schema().get("properties", {}).get("apiChildParameters", {}).get("items", {})
    return items.get("type") == "object" and set(items) - _ANNOTATIONS == {"type"}


def _child_key(child: Any) -> str:
    """Text that identifies ``child`` up to its own children (objects each checked on their own):
    equal keys give the same errors, in the same order (member order is kept in the key)."""
    if isinstance(child, dict) and _children_only_typed():
        nested = child.get("apiChildParameters")
        if isinstance(nested, list):
            child = {**child, "apiChildParameters": [{} if isinstance(c, dict) else c for c in nested]}
    return json.dumps(child, ensure_ascii=False)


def _child_errors(parameter: OAS30Validator, children: list[tuple[str, Any]]) -> list[str]:
    """Errors of every child parameter; a child equal (up to its children) to one already checked
    reuses that one's errors, which keeps payloads with many repeated inlined trees fast."""
    seen: dict[str, list[tuple[str, str]]] = {}
    errors: list[str] = []
    for where, child in children:
        key = _child_key(child)
        relative = seen.get(key)
        if relative is None:
            relative = seen[key] = _located(parameter, child)
        errors.extend(f"{where}{pointer}: {message}" for pointer, message in relative)
    return errors


def _child_parameters(body: Any) -> list[tuple[str, Any]]:
    """(pointer, child) for every apiChildParameters entry, at any depth. Akamai's schema types
    them only as ``object``; we hold them to the parameter schema, as the seed's examples do."""
    found: list[tuple[str, Any]] = []
    stack: list[tuple[str, Any]] = [("", body)]
    while stack:
        where, node = stack.pop()
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "apiChildParameters" and isinstance(value, list):
                    found.extend((f"{where}/{key}/{i}", child) for i, child in enumerate(value))
                if isinstance(value, (dict, list)):  # leaves hold no children
                    stack.append((f"{where}/{_pointer([key])[1:]}", value))
        elif isinstance(node, list):
            stack.extend((f"{where}/{i}", item) for i, item in enumerate(node) if isinstance(item, (dict, list)))
    return sorted(found, key=lambda pair: pair[0])


def validate_endpoint(body: dict[str, Any]) -> list[str]:
    """Errors (``/json/pointer: message``, sorted) of an Akamai create-endpoint body against
    Akamai's Endpoint schema: ``lockVersion`` not required, readOnly not enforced except that the
    create-required ``contractId``/``groupId`` must be present, child parameters held to the
    parameter schema. An empty list means valid."""
    endpoint, parameter = _validators()
    errors = _errors(endpoint, body, "")
    # OAS30Validator skips required readOnly members (contractId, groupId), yet a create body needs
    # them (vendors.md, the seed's create example): check the required list ourselves as well.
    if isinstance(body, dict):
        for name in _endpoint_schema()["required"]:
            message = f"/: {name!r} is a required property"
            if name not in body and message not in errors:
                errors.append(message)
    errors.extend(_child_errors(parameter, _child_parameters(body)))
    return sorted(errors)
