"""A key written twice in one mapping: the loaders keep the last value, so the others are lost.
Every reader says so (SOURCE_VALUE_REPAIRED, a warning) with the place and the lines; nothing else
is a duplicate."""

from __future__ import annotations

import json
from pathlib import Path

from migrate.conversion.run import convert
from migrate.core.diagnostics import Code, Diagnostic, Severity
from migrate.readers import ReadOptions, read_spec_with_report
from migrate.source.load import noting_duplicate_keys, parse_text, shared_parse

DUPLICATE_PATH = """\
openapi: 3.0.3
info:
  title: t
  version: "1"
paths:
  /a:
    get:
      responses:
        "200":
          description: one
  /a:
    post:
      responses:
        "200":
          description: two
"""


def _duplicates(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    return [d for d in diagnostics if d.code is Code.SOURCE_VALUE_REPAIRED and "written" in d.message]


def test_a_path_written_twice_in_yaml_is_a_warning_at_its_first_line(tmp_path: Path) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text(DUPLICATE_PATH)
    conversion = convert(spec, "openapi")
    [d] = _duplicates(conversion.diagnostics)
    assert d.severity is Severity.WARNING
    assert (d.pointer, d.file, d.line) == ("/paths/~1a", str(spec), 6)
    assert d.message == ("key '/a' is written twice in one mapping (lines 6, 11); only the last is read, "
                         "the other is lost")
    # what the warning says: the GET of the first /a is gone, the POST of the last is there
    assert [op.method for r in conversion.api.resources for op in r.operations] == ["POST"]


def test_json_written_on_many_lines_gives_every_line(tmp_path: Path) -> None:
    spec = tmp_path / "spec.json"
    body = {"type": "object", "properties": {"id": {"type": "string"}}}
    text = json.dumps({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {},
                       "components": {"schemas": {"A": body}}}, indent=2)
    # the schema's "type" three times: "object", "array", "object"
    text = text.replace('"type": "object",', '"type": "object",\n"type": "array",\n"type": "object",', 1)
    spec.write_text(text)
    _, report = read_spec_with_report(spec)
    [d] = _duplicates(list(report))
    assert d.pointer == "/components/schemas/A/type"
    first = text.splitlines().index('        "type": "object",') + 1
    assert d.message == (f"key 'type' is written 3 times in one mapping (lines {first}, {first + 1}, {first + 2}); "
                         "only the last is read, the others are lost")


def test_json_on_one_line_leaves_the_place_to_the_diagnostics_column(tmp_path: Path) -> None:
    spec = tmp_path / "spec.json"
    spec.write_text('{"openapi":"3.0.3","info":{"title":"t","version":"1"},"paths":{"/a":{"get":{"responses":'
                    '{"200":{"description":"x"}}}},"/a":{"post":{"responses":{"200":{"description":"y"}}}}}}')
    [d] = _duplicates(convert(spec, "openapi").diagnostics)
    assert (d.pointer, d.line, d.column) == ("/paths/~1a", 1, 64)
    assert d.message == "key '/a' is written twice in one mapping; only the last is read, the other is lost"


def test_json_that_yaml_reads_otherwise_still_names_the_key_and_its_place() -> None:
    """The lines come from the YAML node tree; where YAML cannot read the JSON text (here a key
    too long for a YAML simple key), the key, its count and its pointer still are known."""
    long = "k" * 1100
    text = json.dumps({"a": {long: 1}})[:-1] + ', "b": {"x": 1, "x": 2, "x": 3}}'
    with noting_duplicate_keys() as found:
        parse_text(text, "doc.json")
    [d] = found
    assert (d.file, d.pointer, d.key, d.times, d.lines) == ("doc.json", "/b/x", "x", 3, ())


def test_an_included_json_text_with_a_duplicate_is_read() -> None:
    """Review finding (the corpus): a RAML ``!include``'s text is a subclass of str, which the YAML
    C parser refuses; finding the duplicate's lines crashed the read."""
    from migrate.source.raml_yaml import Included

    text = Included('{\n  "a": 1,\n  "a": 2\n}')
    with noting_duplicate_keys() as found:
        assert parse_text(text, "example.json") == {"a": 2}
    assert [(d.pointer, d.lines) for d in found] == [("/a", (2, 3))]


def test_a_duplicate_in_a_referenced_file_names_that_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "schemas.yaml").write_text("Pet:\n  type: object\n  type: string\n")
    spec = tmp_path / "spec.yaml"
    spec.write_text("openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /p:\n    get:\n      responses:\n"
                    "        '200':\n          description: ok\n          content:\n            application/json:\n"
                    "              schema: {$ref: 'schemas.yaml#/Pet'}\n")
    _, report = read_spec_with_report(spec)
    [d] = _duplicates(list(report))
    assert (d.pointer, Path(d.file or "").name, d.line) == ("/Pet/type", "schemas.yaml", 2)


def test_merge_keys_are_not_duplicates_but_a_key_written_twice_beside_them_is(tmp_path: Path) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text("openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n"
                    "    Base: &base {type: object, description: base}\n"
                    "    A:\n      <<: *base\n      <<: *base\n      description: own\n"
                    "    B:\n      <<: *base\n      title: one\n      title: two\n")
    _, report = read_spec_with_report(spec)
    assert [(d.pointer, d.message) for d in _duplicates(list(report))] == [
        ("/components/schemas/B/title",
         "key 'title' is written twice in one mapping (lines 13, 14); only the last is read, the other is lost")]


def test_the_same_key_in_different_mappings_or_of_another_type_is_no_duplicate(tmp_path: Path) -> None:
    """Nor is a member written twice in a YAML set (review finding): a set loses nothing."""
    spec = tmp_path / "spec.yaml"
    spec.write_text("openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n"
                    "    A: {type: object, x-codes: {1: one, '1': text one}}\n    B: {type: string}\n"
                    "x-set: !!set {p, p}\n")
    _, report = read_spec_with_report(spec)
    assert _duplicates(list(report)) == []


def test_the_batch_reads_a_spec_already_parsed_for_its_validity_and_still_says_so(tmp_path: Path) -> None:
    """The batch worker parses a spec once for the validity check and the read (``shared_parse``):
    the read, which finds the data already parsed, still reports the duplicate."""
    spec = tmp_path / "spec.yaml"
    spec.write_text(DUPLICATE_PATH)
    with shared_parse():
        parse_text(spec.read_text(), str(spec))
        _, report = read_spec_with_report(spec, ReadOptions())
    assert [d.pointer for d in _duplicates(list(report))] == ["/paths/~1a"]


def test_raml_resources_and_schema_texts_written_twice(tmp_path: Path) -> None:
    (tmp_path / "book.json").write_text('{\n  "type": "object",\n  "type": "array"\n}\n')
    (tmp_path / "part.raml").write_text("displayName: one\ndisplayName: two\n")
    spec = tmp_path / "api.raml"
    spec.write_text("#%RAML 0.8\ntitle: t\nschemas:\n  - book: !include book.json\n/a:\n  get:\n"
                    "    responses:\n      200:\n        body:\n          application/json:\n            schema: book\n"
                    "/a:\n  post:\n    description: two\n/b: !include part.raml\n")
    conversion = convert(spec, "openapi")
    found = sorted((d.file or "", d.pointer, d.line, d.message) for d in _duplicates(conversion.diagnostics))
    assert found == [
        (str(spec), "/schemas/0/book", 4,
         "in this text at /type: key 'type' is written twice in one mapping; only the last is read, the other is lost"),
        (str(spec), "/~1a", 5,
         "key '/a' is written twice in one mapping (lines 5, 12); only the last is read, the other is lost"),
        (str(tmp_path / "part.raml"), "/displayName", 1,
         "key 'displayName' is written twice in one mapping (lines 1, 2); only the last is read, the other is lost"),
    ]


def test_yaml_keys_written_otherwise_that_load_as_one_key_are_duplicates(tmp_path: Path) -> None:
    """Review finding: keys were compared as written; the loader compares what they load as
    (``0x1F4`` and ``500`` are one response code, ``no`` and ``off`` one property: False)."""
    spec = tmp_path / "codes.yaml"
    spec.write_text("openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n"
                    "  /a: {get: {responses: {0x1F4: {description: hex}, 500: {description: dec}}}}\n"
                    "components: {schemas: {S: {type: object,\n"
                    "  properties: {no: {type: string}, off: {type: integer}}}}}\n")
    _, report = read_spec_with_report(spec)
    assert sorted((d.pointer, d.message) for d in _duplicates(list(report))) == [
        ("/components/schemas/S/properties/False",
         "key 'False' is written twice in one mapping; only the last is read, the other is lost"),
        ("/paths/~1a/get/responses/500",
         "key '500' is written twice in one mapping; only the last is read, the other is lost"),
    ]


def test_what_lies_inside_a_lost_value_is_not_reported_as_read_elsewhere(tmp_path: Path) -> None:
    """Review finding: the first writing's value is lost whole, so keys written twice inside it
    were given a false reason and a pointer that names the kept value."""
    yaml_spec = tmp_path / "spec.yaml"
    yaml_spec.write_text("openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n"
                         "x-a: {b: 1, b: 2}\nx-a: {c: 1}\n")
    json_spec = tmp_path / "spec.json"
    json_spec.write_text('{\n"openapi": "3.0.3",\n"info": {"title": "t", "version": "1"},\n"paths": {},\n'
                         '"x-a": {"b": 1,\n"b": 2},\n"x-a": {"c": 1}\n}\n')
    for spec, lines in ((yaml_spec, "4, 5"), (json_spec, "5, 7")):
        _, report = read_spec_with_report(spec)
        assert [(d.pointer, d.message) for d in _duplicates(list(report))] == [
            ("/x-a", f"key 'x-a' is written twice in one mapping (lines {lines}); only the last is read, "
                     "the other is lost")], spec.name


def test_a_mapping_kept_through_an_alias_is_reported_where_it_is_read(tmp_path: Path) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text("openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n"
                    "x-a: &x {b: 1, b: 2}\nx-a: 3\nx-c: *x\n")
    _, report = read_spec_with_report(spec)
    assert sorted(d.pointer for d in _duplicates(list(report))) == ["/x-a", "/x-c/b"]


def test_a_raml_example_read_leniently_still_names_its_duplicate_keys(tmp_path: Path) -> None:
    """Review finding: the lenient reading (trailing comma, comments) lost a duplicate silently."""
    spec = tmp_path / "api.raml"
    spec.write_text("#%RAML 0.8\ntitle: t\n/a:\n  get:\n    responses:\n      200:\n        body:\n"
                    "          application/json:\n            example: '{\"x\": 1, \"x\": 2,}'\n")
    conversion = convert(spec, "openapi")
    messages = [d.message for d in conversion.diagnostics if d.code is Code.SOURCE_VALUE_REPAIRED]
    assert "not strict JSON; read leniently" in messages
    assert ("in this text at /x: key 'x' is written twice in one mapping; only the last is read, the other is lost"
            in messages)


def test_many_duplicates_are_each_noted_once(tmp_path: Path) -> None:
    """Review finding: noting a duplicate looked through the list of those already noted (quadratic
    time: 16,000 duplicates took seconds). Each is noted once, however often the text is parsed."""
    schemas = ",\n".join(f'"S{i}": {{"type": "string",\n"type": "string"}}' for i in range(3000))
    text = '{\n"openapi": "3.0.3",\n"components": {"schemas": {\n' + schemas + "}}}\n"
    with noting_duplicate_keys() as found:
        for _ in range(3):
            parse_text(text, "many.json")
    assert len(found) == 3000
    assert found[0].pointer == "/components/schemas/S0/type"
    assert found[0].lines == (4, 5)
