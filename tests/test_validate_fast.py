"""The fast validity proof (migrate.validation.fast.check): each reimplemented keyword check of
openapi-spec-validator on a tiny valid and a tiny invalid spec. Every case is also run through
the library itself, so a fixture cannot claim a verdict the reference does not give."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from migrate.readers import ReadOptions
from migrate.source.detect import detect_data
from migrate.source.refpolicy import RefPolicy
from migrate.validation.fast.check import proven_valid
from migrate.validation.fast.walk import url_parameters
from migrate.validation.run import validate_source


def swagger(paths: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"swagger": "2.0", "info": {"title": "t", "version": "1"}, "paths": paths, **extra}


def oas(version: str, paths: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"openapi": version, "info": {"title": "t", "version": "1"}, "paths": paths, **extra}


OK = {"200": {"description": "ok"}}


def op(**fields: Any) -> dict[str, Any]:
    return {"responses": OK, **fields}


def path_param(name: str = "id") -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "type": "string"}


def body(schema: dict[str, Any]) -> dict[str, Any]:
    return {"200": {"description": "ok", "content": {"application/json": {"schema": schema}}}}


def verdicts(tmp_path: Path, spec: dict[str, Any]) -> tuple[bool, bool]:
    """(fast path proves it valid, openapi-spec-validator finds nothing)."""
    path = tmp_path / "spec.json"
    path.write_text(json.dumps(spec))
    fmt, version = detect_data(spec, str(path))
    proven = proven_valid(path, spec, fmt, version, tmp_path)
    return proven, validate_source(path, ReadOptions(), reference=True) == []


CASES: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {
    "tag names unique": (
        swagger({}, tags=[{"name": "a"}, {"name": "b"}]),
        swagger({}, tags=[{"name": "a"}, {"name": "a"}]),
    ),
    "operation ids unique": (
        swagger({"/a": {"get": op(operationId="x")}, "/b": {"get": op(operationId="y")}}),
        swagger({"/a": {"get": op(operationId="x")}, "/b": {"get": op(operationId="x")}}),
    ),
    "path template parameter declared": (
        swagger({"/a/{id}": {"get": op(parameters=[path_param()])}}),
        swagger({"/a/{id}": {"get": op()}}),
    ),
    "declared path parameter in the template": (
        swagger({"/a/{id}": {"parameters": [path_param()], "get": op()}}),
        swagger({"/a": {"get": op(parameters=[path_param()])}}),
    ),
    "parameters unique by name and location": (
        swagger({"/a": {"get": op(parameters=[{"name": "q", "in": "query", "type": "string"},
                                               {"name": "q", "in": "header", "type": "string"}])}}),
        swagger({"/a": {"get": op(parameters=[{"name": "q", "in": "query", "type": "string"},
                                               {"name": "q", "in": "query", "type": "integer"}])}}),
    ),
    "swagger parameter default matches": (
        swagger({"/a": {"get": op(parameters=[{"name": "q", "in": "query", "type": "integer", "default": 3}])}}),
        swagger({"/a": {"get": op(parameters=[{"name": "q", "in": "query", "type": "integer", "default": "x"}])}}),
    ),
    "schema default matches (through a $ref)": (
        oas("3.0.3", {"/a": {"get": op(responses=body({"$ref": "#/components/schemas/N"}))}},
            components={"schemas": {"N": {"type": "integer", "minimum": 1, "default": 2}}}),
        oas("3.0.3", {"/a": {"get": op(responses=body({"$ref": "#/components/schemas/N"}))}},
            components={"schemas": {"N": {"type": "integer", "minimum": 1, "default": 0}}}),
    ),
    "default format (OAS format checker)": (
        oas("3.0.3", {}, components={"schemas": {"N": {"type": "integer", "format": "int32", "default": 7}}}),
        oas("3.0.3", {}, components={"schemas": {"N": {"type": "integer", "format": "int32", "default": 2**40}}}),
    ),
    "null default allowed when nullable": (
        oas("3.0.3", {}, components={"schemas": {"N": {"type": "string", "nullable": True, "default": None}}}),
        oas("3.0.3", {}, components={"schemas": {"N": {"type": "string", "default": None}}}),
    ),
    "required names defined beside allOf": (
        oas("3.0.3", {}, components={"schemas": {"N": {
            "allOf": [{"properties": {"a": {"type": "string"}}}], "required": ["a"]}}}),
        oas("3.0.3", {}, components={"schemas": {"N": {
            "allOf": [{"properties": {"a": {"type": "string"}}}], "required": ["b"]}}}),
    ),
    "schema meta-check: pattern is a regex": (
        oas("3.0.3", {}, components={"schemas": {"N": {"type": "string", "pattern": "^[a-z]+$"}}}),
        oas("3.0.3", {}, components={"schemas": {"N": {"type": "string", "pattern": "^[a-z+$"}}}),
    ),
    "3.1 schema meta-check (OAS dialect)": (
        oas("3.1.0", {}, components={"schemas": {"N": {"type": ["string", "null"], "minLength": 1}}}),
        oas("3.1.0", {}, components={"schemas": {"N": {"type": "string", "minLength": -1}}}),
    ),
    "3.1 response content schemas": (
        oas("3.1.0", {"/a": {"get": op(responses=body({"type": "integer", "default": 1}))}}),
        oas("3.1.0", {"/a": {"get": op(responses=body({"type": "integer", "default": "one"}))}}),
    ),
    "document schema (compiled)": (
        oas("3.0.3", {"/a": {"get": op()}}),
        oas("3.0.3", {"/a": {"get": {"responses": {"200": {}}}}}),
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_valid_spec_is_proven_and_invalid_one_is_not(tmp_path: Path, name: str) -> None:
    valid, invalid = CASES[name]
    assert verdicts(tmp_path, valid) == (True, True)
    assert verdicts(tmp_path, invalid) == (False, False)


@pytest.mark.parametrize("spec", [
    pytest.param(oas("3.0.3", {"/a": {"get": op(responses=body({"$ref": "other.json#/X"}))}}), id="file $ref"),
    pytest.param(oas("3.1.0", {}, components={"schemas": {"N": {"$schema": "urn:other", "type": "string"}}}),
                 id="unknown dialect"),
    pytest.param(oas("3.0.3", {"/a": {"get": op(responses=body({"$ref": "#/components/schemas/Nope"}))}}),
                 id="missing local $ref"),
])
def test_what_it_does_not_follow_is_left_to_the_library(tmp_path: Path, spec: dict[str, Any]) -> None:
    (tmp_path / "other.json").write_text('{"X": {"type": "string"}}')
    path = tmp_path / "spec.json"
    assert proven_valid(path, spec, "openapi", spec["openapi"], tmp_path) is False


def test_percent_encoded_local_ref_is_followed(tmp_path: Path) -> None:
    spec = oas("3.0.3", {"/a": {"get": op(responses=body({"$ref": "#/components/schemas/A%20B"}))}},
               components={"schemas": {"A B": {"type": "string"}}})
    assert verdicts(tmp_path, spec) == (True, True)


def test_recursive_schemas_are_walked_once(tmp_path: Path) -> None:
    node = {"type": "object", "properties": {"kids": {"type": "array", "items": {"$ref": "#/definitions/N"}}}}
    spec = swagger({"/a": {"get": op(responses={"200": {"description": "ok", "schema": {"$ref": "#/definitions/N"}}})}},
                   definitions={"N": node})
    assert verdicts(tmp_path, spec) == (True, True)


def test_url_parameters_follow_the_library() -> None:
    assert url_parameters("/a/{id}/b/{name}") == ["id", "name"]
    assert url_parameters("/plain") == []


def test_validate_source_skips_the_library_for_a_proven_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import migrate.validation.openapi as reference

    def refuse(*args: Any) -> Any:
        raise AssertionError("the library should not run for a proven file")

    path = tmp_path / "spec.json"
    path.write_text(json.dumps(swagger({"/a": {"get": op()}})))
    monkeypatch.setattr(reference, "validate_openapi", refuse)
    assert validate_source(path, ReadOptions()) == []


def test_validate_source_keeps_the_library_findings_for_an_invalid_file(tmp_path: Path) -> None:
    path = tmp_path / "spec.json"
    path.write_text(json.dumps(swagger({"/a": {"get": op(operationId="x")}, "/b": {"get": op(operationId="x")}})))
    assert [d.pointer for d in validate_source(path, ReadOptions())] == ["/paths/~1b/get"]


@pytest.mark.parametrize("name", sorted(CASES))
def test_accelerated_library_run_gives_the_library_findings(tmp_path: Path, name: str) -> None:
    from migrate.validation.openapi import validate_openapi

    spec = CASES[name][1]
    path = tmp_path / "spec.json"
    path.write_text(json.dumps(spec))
    fmt, version = detect_data(spec, str(path))
    fast = validate_openapi(path, spec, fmt, version, RefPolicy(tmp_path), accelerated=True)
    assert fast == validate_openapi(path, spec, fmt, version, RefPolicy(tmp_path))
    assert fast


@pytest.mark.parametrize("spec", [
    pytest.param(oas("3.1.0", {}, components={"schemas": {
        "A": {"$id": "https://example.com/a", "properties": {"b": {"$ref": "#/components/schemas/B"}}},
        "B": {"type": "string"}}}), id="$id moves the reference base"),
    pytest.param(oas("3.1.0", {"/a": {"get": op(responses=body({"$ref": "#anchor"}))}},
                     components={"schemas": {"B": {"$anchor": "anchor", "type": "string"}}}), id="anchor $ref"),
])
def test_reference_bases_it_does_not_track_are_left_to_the_library(tmp_path: Path, spec: dict[str, Any]) -> None:
    assert proven_valid(tmp_path / "spec.json", spec, "openapi", spec["openapi"], tmp_path) is False


# -- a document failing its schema in a few members (issue 12: the library's walk of the rest skipped)

BAD_SERVER = [{"url": "https://{region}.example.com", "variables": {"region": {"enum": ["eu"]}}}]  # no default

#: invalid documents whose findings must be the library's own, whichever shortcut the accelerated
#: run takes: (document, the keyword walk may be skipped)
MEMBERWISE: dict[str, tuple[dict[str, Any], bool]] = {
    "3.0: only a server variable without default": (
        oas("3.0.3", {"/a/{id}": {"get": op(parameters=[{"name": "id", "in": "path", "required": True,
                                                          "schema": {"type": "string"}}])}},
            servers=BAD_SERVER, components={"schemas": {"N": {"type": "integer", "default": 1}}}), True),
    "3.0: a bad server and a duplicate operationId": (
        oas("3.0.3", {"/a": {"get": op(operationId="x")}, "/b": {"get": op(operationId="x")}}, servers=BAD_SERVER),
        False),
    "3.0: a bad server and a default not matching its schema": (
        oas("3.0.3", {}, servers=BAD_SERVER, components={"schemas": {"N": {"type": "integer", "default": "x"}}}),
        False),
    "3.0: a $ref from paths into the failing member": (
        oas("3.0.3", {"/a": {"get": op(responses={"200": {"$ref": "#/servers/0"}})}}, servers=BAD_SERVER), False),
    "3.0: the walked member paths fails its schema": (
        oas("3.0.3", {"/a": {"get": {"responses": {"200": {}}}}}, servers=BAD_SERVER), False),
    "3.0: an unknown top-level member and a bad info": (
        {"openapi": "3.0.3", "info": {"title": "t"}, "paths": {}, "extra": 1}, True),
    "2.0: a bad host and a bad definitions member reached from paths": (
        swagger({"/a": {"get": op(responses={"200": {"description": "d", "schema": {"$ref": "#/definitions/N"}}})}},
                host="https://not-a-host/", definitions={"N": {"type": "nonsense"}}), False),
    "2.0: only a bad host": (swagger({"/a": {"get": op()}}, host="https://not-a-host/"), True),
    # schemas failing their meta-check (a pattern Python's re refuses): the library reports each
    # once, where its walk first meets it, and goes on; reported here without its walk
    "3.0: a bad server and patterns re refuses, met from paths and from components": (
        oas("3.0.3", {"/a/{id}": {"parameters": [{"name": "id", "in": "path", "required": True,
                                                   "schema": {"$ref": "#/components/schemas/Key"}}],
                                   "get": op(parameters=[{"name": "q", "in": "query",
                                                          "schema": {"type": "string", "pattern": "\\p{L}+"}}],
                                             responses={"200": {"description": "d", "content": {"application/json": {
                                                 "schema": {"$ref": "#/components/schemas/Key"}}}}})}},
            servers=BAD_SERVER, components={"schemas": {
                "Key": {"type": "string", "pattern": "^\\p{N}$"},
                "Other": {"type": "object", "properties": {"v": {"type": "string", "pattern": "\\p{Z}"}}},
                "Third": {"type": "string", "pattern": "[\\p{L}"}}}), True),
    "3.0: a pattern re refuses under keys a path parser would split": (
        oas("3.0.3", {"/#Action=X": {"get": op(parameters=[{"name": "q", "in": "query",
                                                           "schema": {"type": "string", "pattern": "\\p{L}"}}],
                                               responses={"200": {"description": "d", "content": {"text/plain; a=b/c": {
                                                   "schema": {"type": "string", "pattern": "\\p{N}"}}}}})}},
            servers=BAD_SERVER), True),
    "3.0: no other fault than a pattern re refuses": (
        oas("3.0.3", {"/a": {"get": op(parameters=[{"name": "q", "in": "query",
                                                    "schema": {"$ref": "#/components/schemas/Key"}}])}},
            components={"schemas": {"Key": {"type": "string", "pattern": "\\p{L}"}}}), True),
    "3.0: a schema failing its meta-check met again, with a bad default inside": (
        oas("3.0.3", {"/a": {"get": op(parameters=[{"name": "q", "in": "query",
                                                    "schema": {"$ref": "#/components/schemas/Key"}}])}},
            servers=BAD_SERVER, components={"schemas": {"Key": {
                "type": "object", "pattern": "\\p{L}",
                "properties": {"n": {"type": "integer", "default": "not a number"}}}}}), False),
    "2.0: a bad host and a definitions schema re refuses, met from paths": (
        swagger({"/a": {"get": op(responses={"200": {"description": "d", "schema": {"$ref": "#/definitions/N"}}},
                                  parameters=[{"name": "b", "in": "body", "schema": {"$ref": "#/definitions/N"}}])}},
                host="https://not-a-host/", definitions={"N": {"type": "string", "pattern": "\\p{L}"}}), True),
}


@pytest.mark.parametrize("name", sorted(MEMBERWISE))
def test_memberwise_document_check_and_skipped_walk_give_the_library_findings(tmp_path: Path, name: str) -> None:
    """The schema check runs only on the failing members and the keyword walk is skipped where
    the fast walk proves it would find nothing: the findings stay the library's, in its order."""
    from migrate.validation.fast import osv_extra
    from migrate.validation.openapi import validate_openapi

    spec, skippable = MEMBERWISE[name]
    path = tmp_path / "spec.json"
    path.write_text(json.dumps(spec))
    fmt, version = detect_data(spec, str(path))
    proofs: list[bool] = []
    original = osv_extra._Document.keyword_errors

    def spy(self: Any, registry: Any, root: Any) -> Any:
        found = original(self, registry, root)
        proofs.append(found is not None)
        return found

    reference = validate_openapi(path, spec, fmt, version, RefPolicy(tmp_path))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(osv_extra._Document, "keyword_errors", spy)
        fast = validate_openapi(path, spec, fmt, version, RefPolicy(tmp_path), accelerated=True)
    assert reference, "the fixture must be invalid for the library"
    assert fast == reference
    assert proofs == [skippable]


def test_failing_members_names_only_the_members_that_fail() -> None:
    from migrate.validation.fast.osv_extra import failing_members

    spec = oas("3.0.3", {"/a": {"get": {"responses": {"200": {}}}}}, servers=BAD_SERVER)
    assert failing_members("3.0", spec) == {"servers", "paths"}
    assert failing_members("3.0", oas("3.0.3", {})) == frozenset()
    assert failing_members("3.1", spec) is None  # the 3.1 schema is checked whole


# -- whole path items proven by the fast walk, the others walked by the library (issue 12)

BAD_PATTERN = {"type": "string", "pattern": "^[a-z+$"}


def _response(schema: dict[str, Any]) -> dict[str, Any]:
    return body(schema)


PATH_ITEMS: dict[str, dict[str, Any]] = {
    "an operationId of a proven item repeated in a walked one": oas("3.0.3", {
        "/a": {"get": op(operationId="x")},
        "/b": {"get": op(operationId="x", responses=_response(BAD_PATTERN))},
    }),
    "an operationId repeated after a walked item": oas("3.0.3", {
        "/a": {"get": op(responses=_response(BAD_PATTERN))},
        "/b": {"get": op(operationId="x")},
        "/c": {"get": op(operationId="x")},
    }),
    "a schema visited in a proven item, then reached from a walked one": oas("3.0.3", {
        "/a": {"get": op(responses=_response({"$ref": "#/components/schemas/S"}))},
        "/b": {"get": op(responses=_response({"$ref": "#/components/schemas/S"})),
               "put": op(responses=_response({"type": "integer", "default": "x"}))},
    }, components={"schemas": {"S": {"type": "object", "properties": {"n": {"type": "integer", "default": 1}}}}}),
    "a shared bad schema reported once": oas("3.0.3", {
        "/a": {"get": op(responses=_response({"$ref": "#/components/schemas/B"}))},
        "/b": {"get": op()},
        "/c": {"get": op(responses=_response({"$ref": "#/components/schemas/B"}))},
    }, components={"schemas": {"B": {"type": "integer", "default": "x"}}}),
    "path parameters not matching, between proven items": oas("3.0.3", {
        "/a": {"get": op()},
        "/b/{id}": {"get": op()},
        "/c": {"get": op()},
    }),
    "2.0: a parameter default not matching, between proven items": swagger({
        "/a": {"get": op(operationId="a")},
        "/b": {"get": op(parameters=[{"name": "q", "in": "query", "type": "integer", "default": "x"}])},
        "/c": {"get": op(operationId="a")},
    }),
}


@pytest.mark.parametrize("name", sorted(PATH_ITEMS))
def test_path_items_proven_and_walked_give_the_library_findings(tmp_path: Path, name: str) -> None:
    from migrate.validation.fast import osv_extra
    from migrate.validation.openapi import validate_openapi

    spec = PATH_ITEMS[name]
    path = tmp_path / "spec.json"
    path.write_text(json.dumps(spec))
    fmt, version = detect_data(spec, str(path))
    proofs: list[bool] = []
    original = osv_extra._path_proven

    def spy(*args: Any) -> bool:
        proofs.append(original(*args))
        return proofs[-1]

    reference = validate_openapi(path, spec, fmt, version, RefPolicy(tmp_path))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(osv_extra, "_path_proven", spy)
        fast = validate_openapi(path, spec, fmt, version, RefPolicy(tmp_path), accelerated=True)
    assert reference, "the fixture must be invalid for the library"
    assert fast == reference
    assert True in proofs and False in proofs  # some items proven, some left to the library


@pytest.mark.parametrize("spec", [
    pytest.param(swagger({"/a": {"get": op(parameters=[
        {"name": "q", "in": "query", "type": "array", "items": {"$ref": "other.json#/defs/I"}, "default": [1]}])}}),
        id="a path item whose parameter default's schema is in another file"),
    pytest.param(swagger({"/a": {"get": op(parameters=[{"$ref": "#/x-params/P"}])}}, host="https://bad/", **{
        "x-params": {"P": {"name": "q", "in": "query", "type": "array", "items": {"$ref": "other.json#/defs/I"},
                           "default": ["x"]}}}),
        id="a bad host and such a parameter"),
])
def test_a_reference_the_fast_walk_cannot_resolve_is_left_to_the_library(tmp_path: Path, spec: dict[str, Any]) -> None:
    """Review finding: the fast walk's default check raised the resolver's error for a schema in
    another file, and validate stopped with a RefError the library does not give."""
    from migrate.validation.openapi import validate_openapi

    (tmp_path / "other.json").write_text(json.dumps({"defs": {"I": {"type": "integer"}}}))
    path = tmp_path / "spec.json"
    path.write_text(json.dumps(spec))
    fmt, version = detect_data(spec, str(path))
    reference = validate_openapi(path, spec, fmt, version, RefPolicy(tmp_path))
    assert validate_openapi(path, spec, fmt, version, RefPolicy(tmp_path), accelerated=True) == reference
    assert validate_source(path, ReadOptions()) == reference


def test_a_faulty_component_schema_is_found_before_the_paths_are_walked() -> None:
    """``component_schemas_meta_valid`` gives ``check``'s answer on the component schemas without
    walking the paths first (the library must then report; that walk would be thrown away), and
    ``check`` does not meta-check again what it has checked."""
    from migrate.validation.fast.walk import Invalid, Walk

    checked: list[str] = []

    def meta_valid(schema: Any) -> bool:
        checked.append(schema["title"])
        return schema["title"] != "bad"

    spec: dict[str, Any] = {"openapi": "3.0.3", "paths": {"/a": {"get": {"responses": {}}}}, "components": {
        "schemas": {"A": {"title": "good"}, "R": {"$ref": "#/components/schemas/B"}, "B": {"title": "bad"}}}}
    walk = Walk(spec, "3.0", meta_valid, lambda schema, value: True)
    with pytest.raises(Invalid):
        walk.component_schemas_meta_valid()
    assert checked == ["good", "bad"]  # R is B: checked once
    spec["components"]["schemas"]["B"]["title"] = "fine"
    checked.clear()
    walk = Walk(spec, "3.0", meta_valid, lambda schema, value: True)
    walk.component_schemas_meta_valid()
    walk.check()  # passes, without checking any schema twice
    assert checked == ["good", "fine"]


_VIEW_VALUES: list[Any] = [
    {"openapi": "3.0.3", "paths": {"/é": {"x": [1, 2.5, 1e-05, -0.0, None, True, "\u2028\"\\"]}}},
    {"a": float("nan")}, {"a": [None, float("inf")]}, {"a": 2**64}, {"a": "\ud800"}, {200: "an integer key"},
    {"a": __import__("datetime").date(2020, 1, 2), "b": None}, {"a": __import__("datetime").date(2020, 1, 2)},
    {"a": [("omap", 1)]}, {"$id": "x", "b": {"$ref": "#/c"}},
]


@pytest.mark.parametrize("data", _VIEW_VALUES, ids=range(len(_VIEW_VALUES)))
def test_json_view_reads_as_json_normal_and_its_text_as_json_text(data: Any) -> None:
    """The orjson view (or the json one it falls back to) is the document ``json_normal`` gives, and
    its text reads back to it; ``"$id"`` and ``"$ref"`` members are found in it as in ``json_text``."""
    from migrate.validation.fast.osv_extra import _REF
    from migrate.validation.jsondata import json_normal, json_text, json_view

    text, spec = json_view(data)
    assert json.dumps(spec) == json.dumps(json_normal(data))  # NaN equal to NaN, 1 never 1.0
    assert json.dumps(json.loads(text)) == json.dumps(spec)
    assert ('"$id"' in text) == ('"$id"' in json_text(data))
    assert _REF.findall(text) == _REF.findall(json_text(data))
