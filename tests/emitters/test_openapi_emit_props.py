"""Hostile strings survive the OpenAPI and Frends emitters exactly (property test)."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from migrate.core.model import Api, Content, Operation, Parameter, Property, Resource, Response, Restrictions, Schema
from migrate.emitters.base import EmitOptions, emit

HOSTILE = st.one_of(
    st.sampled_from(['"', "\\", "{{ x }}", "{% if %}", "</x>", "\x00\x1f\x7f", "\u2028", "é漢😀", "${x}", "'"]),
    st.text(min_size=1, max_size=20),
)


def hostile_api(title: str, description: str, name: str, value: str) -> Api:
    schema = Schema(type="object", description=description, properties=[
        Property(name, Schema(type="string", restrictions=Restrictions(enum=[value])))])
    param = Parameter(name, "query", description=description, restrictions=Restrictions(enum=[value]))
    op = Operation("POST", summary=title, description=description, parameters=[param],
                   responses=[Response("200", description=description, contents=[Content("application/json",
                                                                                          Schema(ref=name))])])
    return Api(title=title, version=value, description=description,
               resources=[Resource("/items", operations=[op])], schemas={name: schema})


@settings(max_examples=50, deadline=None)
@given(HOSTILE, HOSTILE, HOSTILE, HOSTILE)
def test_hostile_values_are_kept_exactly(title: str, description: str, name: str, value: str) -> None:
    api = hostile_api(title, description, name, value)
    for target in ("openapi", "frends"):
        payload = emit(api, target, EmitOptions(passthrough_target="https://b.example"))
        for file in payload.files:
            assert json.loads(file.text) == file.document
        doc = payload.main().document
        assert doc["info"]["title"] == title and doc["info"]["description"] == description
        assert doc["info"]["version"] == value
        op = doc["paths"]["/items"]["post"]
        assert (op["summary"], op["description"]) == (title, description)
        assert op["parameters"][0]["name"] == name
        assert op["parameters"][0]["schema"]["enum"] == [value]
        (schema,) = doc["components"]["schemas"].values()
        assert schema["description"] == description
        assert schema["properties"][name]["enum"] == [value]
