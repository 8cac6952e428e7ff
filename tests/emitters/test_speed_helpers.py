"""The fast paths added for large specs behave exactly like the slow ones they replace."""

from __future__ import annotations

import copy
import datetime
import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from migrate.core.model import Property, Restrictions, Schema
from migrate.emitters.akamai.schema import validate_endpoint
from migrate.emitters.render import dumps_indented, dumps_records, loads_finite, render, render_parsed, to_json
from migrate.transforms import shallow_copy
from migrate.validation.jsondata import _iso

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


#: what ``json.loads`` can give (the documents the orjson path takes), numbers of every magnitude,
#: strings with every kind of character (lone surrogates included: orjson refuses them)
_JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)


@settings(max_examples=400, deadline=None)
@given(_JSON_VALUES)
def test_dumps_indented_of_a_parsed_document_equals_json_dumps(value: Any) -> None:
    """The orjson path (documents read by ``json.loads``, no NaN/Infinity) writes exactly what
    ``json.dumps`` writes, small and huge numbers, escapes and non-ASCII text included."""
    assert dumps_indented(value, parsed_finite=True) == json.dumps(value, indent=2, ensure_ascii=False)


@pytest.mark.parametrize("value", [1e-05, 1.5e-07, -2.5e-09, 1e-4, 0.00012, 1e16, 1e22, 2**64, 2**63 - 1, -(2**63)])
def test_numbers_orjson_writes_otherwise_fall_back(value: Any) -> None:
    document = {"a": [value, "x"]}
    assert dumps_indented(document, parsed_finite=True) == json.dumps(document, indent=2, ensure_ascii=False)


def test_loads_finite_tells_nan_and_infinity() -> None:
    assert loads_finite('{"a": [1, 2.5e-7]}') == ({"a": [1, 2.5e-7]}, True)
    for text in ('{"a": NaN}', '[Infinity]', '[-Infinity]', '[1e999]', '{"a": [-2.5e400]}'):  # overflow: Infinity
        document, finite = loads_finite(text)
        assert finite is False
        assert dumps_indented(document) == json.dumps(document, indent=2, ensure_ascii=False)


#: ``_JSON_VALUES`` and what a document builder may also hold: NaN and Infinity (orjson writes them
#: as null), tuples, integers beyond 64 bits (orjson refuses them; ``orjson.loads`` reads them as floats)
_BUILT_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-(2**70), max_value=2**70) | st.floats() | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.lists(inner, max_size=3).map(tuple)
    | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)


def _same_json(a: Any, b: Any) -> bool:
    """Equal as JSON texts (NaN equal to NaN, and a float never equal to an integer)."""
    return json.dumps(a, sort_keys=False) == json.dumps(b, sort_keys=False)


@settings(max_examples=500, deadline=None)
@given(st.dictionaries(st.text(), _BUILT_VALUES, max_size=5))
def test_render_parsed_reads_back_what_the_standard_library_path_reads(sections: dict[str, Any]) -> None:
    """``render_parsed`` (orjson writes containers, orjson reads the text back where that is safe)
    gives the document and finite flag of rendering with ``json`` and reading with ``json``."""
    context = {"sections": list(sections.items())}
    expected = loads_finite(render("openapi/document.json.j2", context))
    document, finite = render_parsed("openapi/document.json.j2", context)
    assert finite == expected[1]
    assert _same_json(document, expected[0])


@pytest.mark.parametrize("value", [
    {"a": float("nan")}, [float("inf"), None], {"a": [None, -float("inf")]}, [2**64], {"a": -(2**63) - 1},
    {"a": (1, None)}, [1e-05, 1.5e-07], {"a": 2**63 - 1},
])
def test_render_parsed_keeps_what_orjson_would_write_or_read_otherwise(value: Any) -> None:
    expected = loads_finite(render("openapi/document.json.j2", {"sections": [("x", value)]}))
    document, finite = render_parsed("openapi/document.json.j2", {"sections": [("x", value)]})
    assert finite == expected[1]
    assert _same_json(document, expected[0])
    assert dumps_indented(document, finite) == dumps_indented(expected[0], expected[1])


def test_tojson_outside_render_parsed_is_json_dumps_for_containers() -> None:
    """Templates whose text is kept as written (Akana's) get ``json.dumps``' spacing, always."""
    assert str(to_json({"a": [1, "b"]})) == '{"a": [1, "b"]}'


_RECORD = st.dictionaries(st.text(), st.none() | st.booleans() | st.integers() | st.text(), max_size=6)


@settings(max_examples=300, deadline=None)
@given(st.lists(_RECORD | _JSON_VALUES.filter(lambda v: isinstance(v, dict)), max_size=5))
def test_dumps_records_equals_json_dumps_indent_1(records: list[dict[str, Any]]) -> None:
    """Flat records (diagnostics) through orjson with the indentation halved, and anything nested
    through ``json``: always what ``json.dumps(..., indent=1)`` writes."""
    assert dumps_records(records) == json.dumps(records, indent=1, ensure_ascii=False)


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


def test_a_templates_tojson_of_a_literal_is_not_fixed_when_it_is_compiled() -> None:
    """Review finding: Jinja computed ``{{ {...} | tojson }}`` once, when it compiled the template,
    so a template first compiled inside ``render_parsed`` (compact orjson text) kept that text when
    Akana's payload (written as rendered) used it afterwards."""
    from migrate.emitters.render import _reparsed, environment

    with _reparsed([]):
        template = environment().from_string('{{ {"team": "payments", "tier": 1} | tojson }}')
        assert template.render() == '{"team":"payments","tier":1}'
    assert template.render() == '{"team": "payments", "tier": 1}'


def test_a_users_templates_get_the_text_of_json_dumps(tmp_path: Any) -> None:
    """Review finding: a user's template may use ``tojson``'s text itself (here inside a string):
    rendered with user templates, a payload reads back as with json alone."""
    folder = tmp_path / "templates" / "openapi"
    folder.mkdir(parents=True)
    (folder / "document.json.j2").write_text('{"info": {{ sections[0][1] | tojson }}, '
                                             '"asText": {{ (sections[0][1] | tojson) | tojson }}}')
    context = {"sections": [("info", {"title": "t", "version": "1"})]}
    document, finite = render_parsed("openapi/document.json.j2", context, tmp_path / "templates")
    assert finite is True
    assert document["asText"] == '{"title": "t", "version": "1"}'


def _nested(depth: int) -> Any:
    value: Any = None
    for _ in range(depth):
        value = [value]
    return value


EXACT_CASES: list[Any] = [
    *VALUES, float("nan"), [float("-inf")], [1, float("nan")], {"nullable": float("inf")},
    2**64, {"big": -(2**63) - 1}, "\ud800", {"nullable": True, "n": None},
    {"t": (None,)}, [datetime.date(2026, 11, 30)], {"at": datetime.datetime(2026, 11, 30, 8, 0), "x": None},
    {"deep": _nested(40)}, _nested(300),
]


@pytest.mark.parametrize("value", EXACT_CASES, ids=range(len(EXACT_CASES)))
@pytest.mark.parametrize("default", [None, _iso])
def test_exact_dumps_is_what_json_reads_or_nothing(value: Any, default: Any) -> None:
    """The shared rule of the payload writer and the validators' JSON view: orjson's text when
    ``json.loads`` reads it as it reads ``json.dumps`` (the same ``default``), else None."""
    from migrate.core.exactjson import exact_dumps

    found = exact_dumps(value, default, read=True)
    try:
        expected = json.loads(json.dumps(value, default=default))
    except (TypeError, ValueError):  # json refuses it: so must orjson's path
        assert found is None
        return
    if found is not None:
        text, data = found
        assert json.loads(text) == expected and data == expected
        assert exact_dumps(value, default) is not None  # without read: the same verdict


def test_exact_dumps_reads_only_to_compare_unless_asked() -> None:
    from migrate.core.exactjson import exact_dumps

    assert exact_dumps({"a": 1}) == (b'{"a":1}', None)
    assert exact_dumps({"a": 1}, read=True) == (b'{"a":1}', {"a": 1})
    assert exact_dumps({"a": None}) == (b'{"a":null}', {"a": None})
    assert exact_dumps([1, None]) == (b'[1,null]', [1, None])
    assert exact_dumps(None) == (b"null", None)  # read back and compared (None, as it happens)
    assert exact_dumps({"nullable": True, "x": "null"}) == (b'{"nullable":true,"x":"null"}', None)  # no null value
    assert exact_dumps({"x": "a:null"}) == (b'{"x":"a:null"}', {"x": "a:null"})  # looks like one: compared
    assert exact_dumps([float("nan")]) is None  # orjson writes null: read back, not equal
    assert exact_dumps([datetime.date(2026, 1, 2)], _iso) == (b'["2026-01-02"]', None)
