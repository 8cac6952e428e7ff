"""Malformed input reads leniently with a diagnostic or fails with a ReadError: never a traceback."""

from __future__ import annotations

import contextlib
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from migrate.core.errors import MigrateError, ReadError
from migrate.readers import ReadOptions
from migrate.readers.openapi.read import read_with_report
from tests.readers.test_openapi_helpers import oas, op_of, read_doc, swagger

BROKEN, IGNORED, REPAIRED = "SPEC_INVALID", "SOURCE_FEATURE_IGNORED", "SOURCE_VALUE_REPAIRED"


@pytest.mark.parametrize(("doc", "pointer", "code"), [
    # broken structure (a container of the wrong type) is an error: convert fails, push refuses
    (swagger({"/x": ["not", "a", "mapping"]}), "/paths/~1x", BROKEN),
    (swagger({"/x": {"get": {"parameters": ["text"], "responses": {}}}}), "/paths/~1x/get/parameters/0", BROKEN),
    (swagger({"/x": {"get": {"parameters": {"a": 1}, "responses": {}}}}), "/paths/~1x/get/parameters", BROKEN),
    (oas({"/x": {"get": {"responses": {"200": "fine"}}}}), "/paths/~1x/get/responses/200", BROKEN),
    (oas({"/x": {"get": {"responses": []}}}), "/paths/~1x/get/responses", BROKEN),
    (oas({"/x": {"get": 7}}), "/paths/~1x/get", BROKEN),
    (oas(servers="https://h"), "/servers", BROKEN),
    ({"openapi": "3.0.0", "info": {"title": "t", "version": "1"}, "paths": 5}, "/paths", BROKEN),
    ({"openapi": "3.0.0", "info": {"title": "t", "version": "1"}, "paths": {}, "components": []}, "/components",
     BROKEN),
    ({"swagger": "2.0", "info": {"title": "t", "version": "1"}, "paths": {}, "definitions": 3}, "/definitions",
     BROKEN),
    # a value that is wrong but has a lenient reading, or a feature the model does not hold
    (swagger({"/x": {"get": {"parameters": [{"name": "a", "in": "nowhere"}], "responses": {}}}}),
     "/paths/~1x/get/parameters/0/in", IGNORED),
    (oas(components={"schemas": {"S": {"type": "int"}}}), "/components/schemas/S/type", REPAIRED),
    (oas(components={"schemas": {"S": {"maxLength": "ten"}}}), "/components/schemas/S/maxLength", REPAIRED),
    (oas(components={"schemas": {"S": 42}}), "/components/schemas/S", BROKEN),
    (oas(components={"securitySchemes": {"s": {"type": "magic"}}}), "/components/securitySchemes/s/type",
     REPAIRED),
    ({"openapi": "3.0.0", "paths": {}}, "/info/title", REPAIRED),
    (swagger({"/x": {"get": {"parameters": [{"name": "p", "in": "path", "type": "string"}], "responses": {}}}}),
     "/paths/~1x/get/parameters/0", REPAIRED),
])
def test_malformed_parts_read_with_a_diagnostic(tmp_path: Path, doc: dict[str, Any], pointer: str,
                                                code: str) -> None:
    api, report = read_doc(tmp_path, doc)
    assert api.title
    found = {d.pointer: d.code.name for d in report}
    assert found.get(pointer) == code, [d.render() for d in report]


def test_broken_paths_fail_convert_with_the_pointer(tmp_path: Path) -> None:
    """A spec whose paths is a number is not an empty API: convert exits 1 with the error at /paths."""
    from click.testing import CliRunner

    from migrate.cli import main
    spec = tmp_path / "spec.json"
    spec.write_text('{"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": 5}')
    result = CliRunner().invoke(main, ["convert", str(spec), "--to", "openapi", "-o", str(tmp_path / "out")])
    assert result.exit_code == 1, result.output
    assert "SPEC_INVALID" in result.output and "/paths: paths is a number, not a mapping" in result.output


def test_lenient_read_keeps_the_rest(tmp_path: Path) -> None:
    doc = swagger({"/x": {"get": {"parameters": ["bad", {"name": "ok", "in": "query", "type": "string"}],
                                  "responses": {"200": {"description": "d"}}}}})
    (param,) = op_of(read_doc(tmp_path, doc)[0]).parameters
    assert param.name == "ok" and param.pointer == "/paths/~1x/get/parameters/1"


@pytest.mark.parametrize(("text", "fragment"), [
    ("openapi: 3.0.0\ninfo: [", "invalid YAML"),
    ("- just\n- a list\n", "top level is list"),
    ("openapi: 4.0.0\ninfo: {}\n", "OpenAPI 4.0.0 is not supported"),
    ("swagger: '1.2'\n", "Swagger 1.2 is not supported"),
])
def test_unusable_documents_raise_read_error(tmp_path: Path, text: str, fragment: str) -> None:
    with pytest.raises(ReadError) as info:
        read_doc(tmp_path, text, name="spec.yaml")
    assert fragment in str(info.value) and "spec.yaml" in str(info.value)


def test_self_referencing_yaml_alias_is_a_read_error(tmp_path: Path) -> None:
    text = "openapi: 3.0.0\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n" \
           "    S: &s\n      type: object\n      properties:\n        me: *s\n"
    with pytest.raises(ReadError) as info:
        read_doc(tmp_path, text, name="spec.yaml")
    # the true reason, where: the alias closes a cycle (it used to say "nests too deeply")
    assert "a YAML alias names a mapping or list that contains it" in str(info.value)
    assert info.value.pointer == "/components/schemas/S/properties/me" and info.value.line == 9


_scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=5))
_values = st.recursive(_scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=3),
    st.dictionaries(st.sampled_from(["type", "in", "name", "schema", "items", "$ref", "properties", "allOf",
                                     "oneOf", "required", "get", "parameters", "responses", "content", "x-a",
                                     "enum", "headers", "200", "/p", "servers", "url", "flows", "security"]),
                    inner, max_size=4)), max_leaves=12)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.sampled_from(["2.0", "3.0.3", "3.1.0"]), st.dictionaries(
    st.sampled_from(["paths", "components", "definitions", "parameters", "info", "security", "servers",
                     "securityDefinitions", "host", "basePath", "tags", "consumes"]), _values, max_size=5))
def test_random_documents_never_traceback(tmp_path: Path, version: str, body: dict[str, Any]) -> None:
    doc = {"swagger" if version == "2.0" else "openapi": version, **body}
    path = tmp_path / "fuzz.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    with contextlib.suppress(MigrateError):  # a ReadError is fine; any other exception fails the test
        read_with_report(path, path.read_text(encoding="utf-8"), ReadOptions())


def test_non_finite_numbers_in_restrictions(tmp_path: Path) -> None:
    text = "openapi: 3.0.0\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n" \
           "    S: {type: string, maxLength: .inf, minLength: .nan, maximum: .inf}\n"
    api, report = read_doc(tmp_path, text, name="spec.yaml")
    r = api.schemas["S"].restrictions
    assert (r.max_length, r.min_length, r.maximum) == (None, None, float("inf"))
    assert {d.pointer for d in report} == {"/components/schemas/S/maxLength", "/components/schemas/S/minLength"}
