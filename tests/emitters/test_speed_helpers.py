"""The fast paths added for large specs behave exactly like the slow ones they replace."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from migrate.core.model import Property, Restrictions, Schema
from migrate.emitters.akamai.schema import validate_endpoint
from migrate.emitters.render import dumps_indented, to_json
from migrate.transforms import shallow_copy

VALUES: list[Any] = [
    {}, [], "x", 0, -3, 1.5, 1e300, None, True, False, float("inf"), "é\n\"\\\x00\ud800",
    {"a": [], "b": {}, "c": [1, 2.5, None, True, "é"], "d": {"e": {"f": [[]]}}},
    (1, "two", [3]), [{"k": ({"deep": [None]},)}], {1: "int key", None: "none key", 2.5: "float key"},
]


@pytest.mark.parametrize("value", VALUES, ids=range(len(VALUES)))
def test_dumps_indented_equals_json_dumps(value: Any) -> None:
    assert dumps_indented(value) == json.dumps(value, indent=2, ensure_ascii=False)


@pytest.mark.parametrize("value", VALUES, ids=range(len(VALUES)))
def test_to_json_equals_json_dumps(value: Any) -> None:
    assert str(to_json(value)) == json.dumps(value, ensure_ascii=False)


def test_dumps_indented_refuses_what_json_refuses() -> None:
    with pytest.raises(TypeError):
        dumps_indented({"a": object()})


def test_shallow_copy_is_a_new_node_sharing_its_parts() -> None:
    schema = Schema(type="object", properties=[Property("p", Schema(type="string"))],
                    restrictions=Restrictions(min_length=1), pointer="/definitions/A")
    copied = shallow_copy(schema)
    assert copied is not schema
    assert copied == schema == copy.copy(schema)
    assert copied.properties is schema.properties
    copied.type = "array"
    assert schema.type == "object"


def _child(name: str, **extra: Any) -> dict[str, Any]:
    return {"apiParameterName": name, "apiParameterLocation": "body", "apiParameterType": "string",
            "apiParameterRequired": False, **extra}


def _body(children: list[Any]) -> dict[str, Any]:
    top = {**_child("body", apiParameterType="json/xml"), "apiChildParameters": children}
    return {"apiEndPointName": "n", "apiEndPointHosts": ["h.example.com"], "contractId": "C-1", "groupId": 1,
            "apiResources": [{"apiResourceName": "r", "resourcePath": "/r",
                              "apiResourceMethods": [{"apiResourceMethod": "POST", "apiParameters": [top]}]}]}


def test_repeated_invalid_children_are_each_reported_at_their_own_pointer() -> None:
    bad = _child("x", bogus=1)
    nested = _child("y", apiParameterType="json/xml", apiChildParameters=[dict(bad), 5])
    errors = validate_endpoint(_body([dict(bad), nested, dict(bad)]))
    where = "/apiResources/0/apiResourceMethods/0/apiParameters/0/apiChildParameters"
    unexpected = "Additional properties are not allowed ('bogus' was unexpected)"
    assert errors == sorted([
        f"{where}/0: {unexpected}",
        f"{where}/1/apiChildParameters/0: {unexpected}",
        # once as the parent's item, once as a child parameter of its own
        f"{where}/1/apiChildParameters/1: 5 is not of type 'object'",
        f"{where}/1/apiChildParameters/1: 5 is not of type 'object'",
        f"{where}/2: {unexpected}",
    ])


def test_children_differing_only_in_their_own_children_are_checked_apart() -> None:
    good = _child("g", apiParameterType="json/xml", apiChildParameters=[_child("leaf")])
    bad = _child("g", apiParameterType="json/xml", apiChildParameters=[_child("leaf", apiParameterType=7)])
    errors = validate_endpoint(_body([good, bad]))
    where = "/apiResources/0/apiResourceMethods/0/apiParameters/0/apiChildParameters/1/apiChildParameters/0"
    assert errors == [f"{where}/apiParameterType: 7 is not of type 'string'",
                      f"{where}/apiParameterType: 7 is not one of ['string', 'integer', 'number', 'boolean', "
                      "'json/xml']"]
