"""RAML 0.8 reader: table-driven small specs -> expected model facts."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from migrate.core.diagnostics import Report
from migrate.core.errors import ReadError, RefError
from migrate.core.model import Api, Operation, Schema
from migrate.readers import ReadOptions, read_spec
from migrate.readers.raml.read import read_with_report
from tests.testsupport import SAMPLES

HEAD = "#%RAML 0.8\ntitle: T\n"


def load(tmp_path: Path, body: str, files: dict[str, str] | None = None) -> tuple[Api, Report]:
    for name, text in (files or {}).items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    spec = tmp_path / "api.raml"
    spec.write_text(HEAD + body)
    return read_with_report(spec, spec.read_text(), ReadOptions())


def op(api: Api, path: str, method: str) -> Operation:
    for resource, operation in api.operations():
        if resource.path == path and operation.method == method:
            return operation
    raise AssertionError(f"no {method} {path} in {[r.path for r in api.resources]}")


def params(operation: Operation) -> list[tuple[str, str]]:
    return [(p.name, p.location) for p in operation.parameters]


# -- resources, nesting, URI parameters ----------------------------------------------------------

NESTING = [
    ("/a:\n  get:\n  /b:\n    post:\n", [("/a", "GET"), ("/a/b", "POST")]),
    ("/a/{x}:\n  /b/{y}:\n    get:\n", [("/a/{x}/b/{y}", "GET")]),
    ("/a:\n  /b:\n    /c:\n      delete:\n      patch:\n", [("/a/b/c", "DELETE"), ("/a/b/c", "PATCH")]),
]


@pytest.mark.parametrize(("body", "expected"), NESTING)
def test_nested_resources_flattened(tmp_path: Path, body: str, expected: list[tuple[str, str]]) -> None:
    api, _ = load(tmp_path, body)
    assert [(r.path, o.method) for r, o in api.operations()] == expected


def test_uri_parameters_inherited_and_implicit(tmp_path: Path) -> None:
    api, _ = load(tmp_path, "/u/{id}:\n  uriParameters:\n    id:\n      type: integer\n"
                            "  /v/{w}:\n    get:\n")
    (pid, pw) = op(api, "/u/{id}/v/{w}", "GET").parameters
    assert (pid.name, pid.type, pid.required, pid.pointer) == ("id", "integer", True, "/~1u~1{id}/uriParameters/id")
    assert (pw.name, pw.type, pw.required, pw.location) == ("w", "string", True, "path")


# -- named parameters ------------------------------------------------------------------------------

PARAMS: list[tuple[str, dict[str, Any]]] = [
    ("type: integer\nminimum: 1\nmaximum: 9\ndefault: 3",
     {"type": "integer", "minimum": 1, "maximum": 9, "default": 3}),
    ("type: string\nminLength: 2\nmaxLength: 5\npattern: ^a", {"minLength": 2, "maxLength": 5, "pattern": "^a"}),
    ("enum: [x, y]", {"enum": ["x", "y"], "type": "string"}),
    ("type: number\nrepeat: true", {"type": "number", "array": True}),
    ("type: boolean\nrequired: true", {"type": "boolean", "required": True}),
    ("type: date", {"type": "string", "format": "date-time"}),
    ("type: file", {"type": "file"}),
    ("description: hi", {"description": "hi", "required": False, "array": False}),
]


@pytest.mark.parametrize(("spec", "expected"), PARAMS)
def test_query_parameter_types_and_restrictions(tmp_path: Path, spec: str, expected: dict[str, Any]) -> None:
    indented = "\n".join("          " + line for line in spec.splitlines())
    api, _ = load(tmp_path, f"/r:\n  get:\n    queryParameters:\n      p:\n{indented}\n")
    (param,) = op(api, "/r", "GET").parameters
    flat = {**param.to_json(), **param.restrictions.to_json()}
    assert {k: flat.get(k, False) for k in expected} == expected
    assert param.pointer == "/~1r/get/queryParameters/p"


def test_headers_and_form_parameters(tmp_path: Path) -> None:
    api, _ = load(tmp_path, "/r:\n  post:\n    headers:\n      X-A:\n        type: integer\n"
                            "    body:\n      multipart/form-data:\n        formParameters:\n"
                            "          f:\n            type: file\n            required: true\n          n:\n")
    operation = op(api, "/r", "POST")
    assert params(operation) == [("X-A", "header")]
    assert operation.request_body is not None
    (content,) = operation.request_body.contents
    assert content.media_type == "multipart/form-data" and content.schema is not None
    assert [(p.name, p.schema.type, p.required) for p in content.schema.properties] == [
        ("f", "file", True), ("n", "string", False)]


# -- traits and resource types ---------------------------------------------------------------------

TRAITS = """traits:
  - paged:
      queryParameters:
        page:
          maximum: <<max>>
          description: <<resourcePathName>> <<methodName>> <<thing | !singularize>> <<thing | !pluralize>>
"""


def test_trait_parameters_and_functions(tmp_path: Path) -> None:
    api, _ = load(tmp_path, TRAITS + "/boxes:\n  get:\n    is: [paged: {max: 7, thing: categories}]\n")
    (page,) = op(api, "/boxes", "GET").parameters
    assert page.restrictions.maximum == 7
    assert page.description == "boxes get category categories"
    assert page.pointer == "/traits/0/paged/queryParameters/page"


def test_method_own_parameter_wins_over_trait(tmp_path: Path) -> None:
    api, _ = load(tmp_path, TRAITS + "/b:\n  get:\n    is: [paged: {max: 7, thing: x}]\n"
                                     "    queryParameters:\n      page:\n        maximum: 3\n")
    (page,) = op(api, "/b", "GET").parameters
    assert (page.restrictions.maximum, page.pointer) == (3, "/~1b/get/queryParameters/page")


def test_resource_level_trait_applies_to_all_methods_not_children(tmp_path: Path) -> None:
    api, _ = load(tmp_path, TRAITS + "/b:\n  is: [paged: {max: 1, thing: x}]\n  get:\n  put:\n  /c:\n    get:\n")
    assert params(op(api, "/b", "GET")) == [("page", "query")]
    assert params(op(api, "/b", "PUT")) == [("page", "query")]
    assert params(op(api, "/b/c", "GET")) == []


TYPES = """resourceTypes:
  - coll:
      description: All <<resourcePathName>> at <<resourcePath>>
      is: [tr]
      get:
        queryParameters:
          fromType:
      post?:
        headers:
          X-Opt:
traits:
  - tr:
      headers:
        X-Tr:
"""

TYPE_CASES = [
    ("/items:\n  type: coll\n", [("GET", ["fromType", "X-Tr"])]),
    ("/items:\n  type: coll\n  post:\n", [("GET", ["fromType", "X-Tr"]), ("POST", ["X-Opt", "X-Tr"])]),
    ("/items:\n  type: coll\n  /{id}:\n    put:\n", [("GET", ["fromType", "X-Tr"])]),
]


@pytest.mark.parametrize(("body", "expected"), TYPE_CASES)
def test_resource_types_optional_methods_no_inheritance(tmp_path: Path, body: str,
                                                         expected: list[tuple[str, list[str]]]) -> None:
    api, _ = load(tmp_path, TYPES + body)
    items = api.resources[0]
    assert items.description == "All items at /items"
    got = [(o.method, sorted(p.name for p in o.parameters)) for o in items.operations]
    assert sorted(got) == sorted((m, sorted(n)) for m, n in expected)
    for resource in api.resources[1:]:  # the nested resource gets neither type nor traits
        assert all(p.location == "path" for o in resource.operations for p in o.parameters)


# -- bodies, schemas, responses --------------------------------------------------------------------

DRAFT3 = '{"type": "object", "properties": {"a": {"type": "string", "required": true}, "b": {"type": "integer"}}}'
DRAFT4 = ('{"type": "object", "required": ["b"], "properties": {"a": {"type": "array", "items": {"type": "string"}},'
          ' "b": {"type": "object", "properties": {"c": {"type": "number", "minimum": 0}}}}}')


@pytest.mark.parametrize(("schema", "expected"), [
    (DRAFT3, [("a", "string", True), ("b", "integer", False)]),
    (DRAFT4, [("a", "array", False), ("b", "object", True)]),
])
def test_json_schema_drafts(tmp_path: Path, schema: str, expected: list[tuple[str, str, bool]]) -> None:
    api, _ = load(tmp_path, "/r:\n  post:\n    body:\n      application/json:\n        schema: !include s.json\n",
                  {"s.json": schema})
    body = op(api, "/r", "POST").request_body
    assert body is not None and body.contents[0].schema is not None
    assert [(p.name, p.schema.type, p.required) for p in body.contents[0].schema.properties] == expected


def test_named_root_schema_becomes_ref(tmp_path: Path) -> None:
    api, _ = load(tmp_path, f"schemas:\n  - Thing: '{DRAFT3}'\n/r:\n  get:\n    responses:\n      200:\n"
                            "        body:\n          application/json:\n            schema: Thing\n")
    (response,) = op(api, "/r", "GET").responses
    assert response.contents[0].schema == Schema(ref="Thing")
    assert api.schemas["Thing"].type == "object"


def test_default_media_type_and_responses(tmp_path: Path) -> None:
    api, _ = load(tmp_path, "mediaType: application/xml\n/r:\n  get:\n    responses:\n      420:\n"
                            "        description: calm\n        headers:\n          X-H:\n"
                            "        body:\n          example: <a/>\n")
    (response,) = op(api, "/r", "GET").responses
    assert (response.status, response.description) == ("420", "calm")
    assert [h.name for h in response.headers] == ["X-H"]
    assert [(c.media_type, c.example) for c in response.contents] == [("application/xml", "<a/>")]


LENIENT = [
    ('{"type": "object", "properties": {"a": {"type": "string"},},}', "SOURCE_VALUE_REPAIRED", "object"),
    ('<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"/>', "SOURCE_FEATURE_IGNORED", None),
]


@pytest.mark.parametrize(("text", "code", "kind"), LENIENT)
def test_schema_text_read_leniently(tmp_path: Path, text: str, code: str, kind: str | None) -> None:
    api, report = load(tmp_path, "/r:\n  post:\n    body:\n      application/json:\n        schema: !include s.txt\n",
                       {"s.txt": text})
    body = op(api, "/r", "POST").request_body
    assert body is not None and body.contents[0].schema is not None
    assert body.contents[0].schema.type == kind
    assert code in report.by_code()


def test_yaml_timestamps_stay_text(tmp_path: Path) -> None:
    api, _ = load(tmp_path, "/r:\n  get:\n    queryParameters:\n      since:\n        example: 2014-01-01\n"
                            "        default: 2014-01-01T10:00:00Z\n")
    (since,) = op(api, "/r", "GET").parameters
    assert (since.example, since.default) == ("2014-01-01", "2014-01-01T10:00:00Z")
    json.dumps(api.document())


# -- servers and security --------------------------------------------------------------------------

SERVERS = [
    ("baseUri: http://h.example/{version}/x\nversion: v3\n", "http://h.example/v3/x", "/v3/x"),
    ("baseUri: https://{host}/api/\nbaseUriParameters:\n  host:\n    default: a.example\n",
     "https://a.example/api/", "/api"),
    ("baseUri: https://{zone}.example\nbaseUriParameters:\n  zone:\n    enum: [eu, us]\n", "https://eu.example", ""),
]


@pytest.mark.parametrize(("body", "url", "base"), SERVERS)
def test_base_uri_to_servers(tmp_path: Path, body: str, url: str, base: str) -> None:
    api, _ = load(tmp_path, body)
    assert (api.servers[0].url, api.servers[0].base_path) == (url, base)


def test_no_base_uri_is_fine(tmp_path: Path) -> None:
    api, _ = load(tmp_path, "/r:\n  get:\n")
    assert api.servers == [] and api.resources[0].path == "/r"


SCHEMES = [
    ("OAuth 2.0", "oauth2", None), ("OAuth 1.0", "oauth1", None), ("Basic Authentication", "http", "basic"),
    ("Digest Authentication", "http", "digest"), ("x-api-key", "other", None),
]


@pytest.mark.parametrize(("raml_type", "kind", "scheme"), SCHEMES)
def test_security_schemes(tmp_path: Path, raml_type: str, kind: str, scheme: str | None) -> None:
    api, _ = load(tmp_path, f"securitySchemes:\n  - s:\n      type: {raml_type}\n      describedBy:\n"
                            "        queryParameters:\n          key:\n"
                            "/r:\n  get:\n    securedBy: [null, s: {scopes: [a]}]\n")
    (sec,) = api.security_schemes
    assert (sec.type, sec.scheme) == (kind, scheme)
    assert [p["name"] for p in sec.extensions["x-described-by"]["queryParameters"]] == ["key"]
    assert op(api, "/r", "GET").security == [{}, {"s": ["a"]}]


# -- bad input -----------------------------------------------------------------------------------

BAD = [
    ("#%RAML 0.8\nqueryParameters: {}\n", ReadError, "RAML fragment, not an API"),
    ("#%RAML 0.8\ntitle: T\n/r: !include ../outside.raml\n", RefError, "outside the root folder"),
    ("#%RAML 0.8\ntitle: T\n/r: !include missing.raml\n", RefError, "missing file missing.raml"),
    ("#%RAML 0.8\ntitle: T\n/r: [\n", ReadError, "invalid YAML"),
    ("#%RAML 0.8\ntitle: T\n/r: !include self.raml\n", RefError, "cycle"),
]


@pytest.mark.parametrize(("text", "error", "message"), BAD)
def test_bad_input_is_a_read_error(tmp_path: Path, text: str, error: type[Exception], message: str) -> None:
    root = tmp_path / "spec"
    root.mkdir()
    (tmp_path / "outside.raml").write_text("get:\n")
    (root / "self.raml").write_text("get: !include self.raml\n")
    (root / "api.raml").write_text(text)
    with pytest.raises(error, match=message):
        read_spec(root / "api.raml")


def test_latin1_include_is_repaired(tmp_path: Path) -> None:
    (tmp_path / "d.md").write_bytes("caf\xe9".encode("latin-1"))
    api, report = load(tmp_path, "/r:\n  description: !include d.md\n  get:\n")
    assert api.resources[0].description == "café"
    assert "SOURCE_VALUE_REPAIRED" in report.by_code()


# -- the sample ----------------------------------------------------------------------------------


def test_sample_reads() -> None:
    api = read_spec(SAMPLES / "library-raml08" / "api.raml")
    assert api.source is not None and (api.source.format, api.source.format_version) == ("raml", "0.8")
    assert api.servers[0].url == "https://api.library.example.com/v2/eu"
    assert [r.path for r in api.resources] == [
        "/books", "/books/{isbn}", "/books/{isbn}/cover",
        "/members/{memberId}/loans", "/members/{memberId}/loans/{loanId}"]
    get = op(api, "/books/{isbn}", "GET")
    assert get.responses[0].contents[0].schema == Schema(ref="Book")
    assert {"Book", "Error", "Loan"} <= set(api.schemas)
    publisher = next(p for p in api.schemas["Book"].properties if p.name == "publisher")
    assert [(p.name, p.required) for p in publisher.schema.properties] == [("name", True), ("city", False)]


# -- divergences from the reference parser that were fixed (see test_raml_oracle.py) ------------

DIVERGENCES = [
    # a type's type: optional methods of the inner type apply when the resource has the method
    ("resourceTypes:\n  - base:\n      get?:\n        headers:\n          X-Base:\n"
     "  - coll:\n      type: base\n      get?:\n/r:\n  type: coll\n  get:\n", {"GET": ["X-Base"]}),
    # a type's own `is` applies only to the methods the type declares
    ("traits:\n  - t:\n      headers:\n        X-T:\nresourceTypes:\n  - k:\n      is: [t]\n      get?:\n"
     "/r:\n  type: k\n  get:\n  post:\n", {"GET": ["X-T"], "POST": []}),
    # optional keys below a method the resource leaves empty do not leak in as 'X?'
    ("resourceTypes:\n  - k:\n      post?:\n        headers:\n          X-Opt?:\n"
     "/r:\n  type: k\n  post:\n", {"POST": []}),
]


@pytest.mark.parametrize(("body", "expected"), DIVERGENCES)
def test_reference_parser_divergences(tmp_path: Path, body: str, expected: dict[str, list[str]]) -> None:
    api, _ = load(tmp_path, body)
    got = {o.method: [p.name for p in o.parameters] for o in api.resources[0].operations}
    assert got == expected


def test_absolute_include_is_relative_to_the_root(tmp_path: Path) -> None:
    api, report = load(tmp_path, "/r:\n  description: !include /docs/d.md\n  get:\n", {"docs/d.md": "hello"})
    assert api.resources[0].description == "hello"
    assert "SOURCE_VALUE_REPAIRED" in report.by_code()


def test_prance_and_ramlfications_stay_out_of_the_runtime() -> None:
    """The README explains why (measured); a runtime dependency on either would make it false."""
    from importlib.metadata import requires

    runtime = [r for r in requires("api-migrate") or [] if "extra ==" not in r]
    assert runtime and not [r for r in runtime if re.match(r"(prance|ramlfications)\b", r, re.I)]


def test_method_protocols_and_base_uri_parameters_are_reported(tmp_path: Path) -> None:
    body = ("baseUri: https://{env}.example.com\nprotocols: [HTTP, HTTPS]\n/r:\n  get:\n    protocols: [HTTPS]\n"
            "    baseUriParameters:\n      env:\n        enum: [eu]\n  post:\n")
    api, report = load(tmp_path, body)
    ignored = {d.pointer: d.message for d in report if d.code.name == "SOURCE_FEATURE_IGNORED"}
    assert set(ignored) == {"/~1r/get/protocols", "/~1r/get/baseUriParameters"}
    assert "['HTTPS']" in ignored["/~1r/get/protocols"]
    assert [o.method for o in api.resources[0].operations] == ["GET", "POST"]


def test_a_resource_or_method_that_is_not_a_mapping_is_reported(tmp_path: Path) -> None:
    api, report = load(tmp_path, "/a: 5\n/b:\n  get: 7\n  post:\n")
    invalid = {d.pointer for d in report if d.code.name == "SPEC_INVALID"}
    assert invalid == {"/~1a", "/~1b/get"}
    assert [(r.path, [o.method for o in r.operations]) for r in api.resources] == [("/a", []), ("/b", ["GET", "POST"])]


@pytest.mark.parametrize(("text", "pointer"), [
    ("traits: 5\n/a:\n  get:\n", "/traits"),
    ("schemas: 7\n/a:\n  get:\n", "/schemas"),
    ("resourceTypes: x\n/a:\n  get:\n", "/resourceTypes"),
    ("/a:\n  get:\n    queryParameters: 5\n", "/~1a/get/queryParameters"),
    ("/a:\n  get:\n    responses: 3\n", "/~1a/get/responses"),
    ("/a:\n  get:\n    body: 4\n", "/~1a/get/body"),
    ("/a:\n  get:\n    responses:\n      200: fine\n", "/~1a/get/responses/200"),
    ("/a: 5\n", "/~1a"),
    ("/a:\n  get: 3\n", "/~1a/get"),
    ("traits:\n  - paged: 5\n/a:\n  get:\n    is: [paged]\n", "/traits/0/paged"),
    ("resourceTypes:\n  - coll:\n      get: 5\n/a:\n  type: coll\n", "/resourceTypes/0/coll/get"),
])
def test_a_part_of_the_wrong_type_is_an_error_said_once(tmp_path: Path, text: str, pointer: str) -> None:
    """Broken structure is SPEC_INVALID (convert fails, push refuses), once per place (a broken
    resource type is also reported where it is applied), with the same rule validate applies."""
    from migrate.readers.raml.structure import validate_raml
    from migrate.source.refpolicy import RefPolicy

    path = tmp_path / "api.raml"
    path.write_text("#%RAML 0.8\ntitle: T\n" + text)
    _, report = read_with_report(path, path.read_text(), ReadOptions())
    errors = [d.pointer for d in report if d.code.name == "SPEC_INVALID"]
    assert pointer in errors and len(errors) == len(set(errors)), [d.render() for d in report]
    assert pointer in [d.pointer for d in validate_raml(path, path.read_text(), RefPolicy(tmp_path))]
