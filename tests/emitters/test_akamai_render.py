"""Akamai emitter: template override, rendering errors, and hostile strings (property test)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from migrate.core.diagnostics import literal, one_line
from migrate.core.errors import EmitError
from migrate.core.model import (
    Api,
    Content,
    Operation,
    Parameter,
    Property,
    RequestBody,
    Resource,
    Restrictions,
    Schema,
    Server,
)
from migrate.emitters.akamai.emit import emit
from migrate.emitters.akamai.schema import validate_endpoint
from migrate.emitters.base import EmitOptions
from migrate.emitters.render import BUILTIN_TEMPLATES

OPTS = EmitOptions(contract_id="C-1", group_id="1")


def small_api(title: str = "T", description: str | None = None, name: str = "q",
              enum: list[str] | None = None) -> Api:
    body = RequestBody(contents=[Content("application/json", Schema(type="object", properties=[
        Property(name, Schema(type="string", description=description))]))])
    op = Operation("POST", parameters=[Parameter(name, "query", description=description,
                                                 restrictions=Restrictions(enum=enum))], request_body=body)
    return Api(title=title, description=description, servers=[Server("https://h.example", host="h.example")],
               resources=[Resource("/r", operations=[op])])


def test_user_template_shadows_builtin(tmp_path: Path) -> None:
    (tmp_path / "akamai").mkdir()
    builtin = (BUILTIN_TEMPLATES / "akamai" / "resource.json.j2").read_text(encoding="utf-8")
    custom = builtin.replace('"apiResourceMethods": [', '"private": true,\n      "apiResourceMethods": [')
    assert custom != builtin
    (tmp_path / "akamai" / "resource.json.j2").write_text(custom, encoding="utf-8")
    payload = emit(small_api(), EmitOptions(contract_id="C-1", group_id="1", templates_dir=tmp_path))
    assert payload.main().document["apiResources"][0]["private"] is True
    assert "private" not in emit(small_api(), OPTS).main().document["apiResources"][0]


def test_broken_user_template_is_an_emit_error(tmp_path: Path) -> None:
    (tmp_path / "akamai").mkdir()
    (tmp_path / "akamai" / "endpoint.json.j2").write_text("{ {{ endpoint | tojson }} ", encoding="utf-8")
    with pytest.raises(EmitError, match="not JSON"):
        emit(small_api(), EmitOptions(templates_dir=tmp_path))


def test_output_text_is_two_space_json_with_newline() -> None:
    text = emit(small_api(), OPTS).main().text
    assert text.endswith("}\n")
    assert text == json.dumps(json.loads(text), indent=2, ensure_ascii=False) + "\n"


FRAGMENTS = ['"', "\\", "{{", "}}", "{%", "</x>", "\u2028", "\x00", "\x1f", "\ud7ff", "é", "\U0001f600", "\n", "'"]
hostile = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.characters(codec="utf-8")),
                   min_size=1, max_size=12).map("".join)


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(title=hostile, description=hostile, name=hostile, enum=st.lists(hostile, min_size=1, max_size=3))
def test_hostile_strings_survive_exactly(title: str, description: str, name: str, enum: list[str]) -> None:
    payload = emit(small_api(title, description, name, enum), OPTS)
    doc = json.loads(payload.main().text)
    assert doc == payload.main().document
    assert doc["apiEndPointName"] == title
    assert doc["description"] == description
    query, body = doc["apiResources"][0]["apiResourceMethods"][0]["apiParameters"]
    assert (query["apiParameterName"], query["apiParameterNotes"]) == (name, description)
    child = body["apiChildParameters"][0]
    assert (child["apiParameterName"], child["apiParameterNotes"]) == (name, description)
    assert any(one_line(literal(enum)) in d.message for d in payload.report)  # control characters escaped
    assert validate_endpoint(doc) == []
