"""validate_source / run_validate on tiny hand-written specs (tests/fixtures/validate)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from migrate.core.diagnostics import Code
from migrate.core.errors import ReadError, RefError, UnsupportedFormatError, UsageError
from migrate.readers import ReadOptions
from migrate.validation.output import FileResult
from migrate.validation.run import exit_code, run_validate, validate_source
from tests.testsupport import FIXTURES

V = FIXTURES / "validate"
OPTS = ReadOptions()


def _findings(name: str, options: ReadOptions = OPTS) -> list[tuple[str, int | None]]:
    return [(d.pointer, d.line) for d in validate_source(V / name, options)]


@pytest.mark.parametrize("name", ["swagger-ok.yaml", "oas31-ok.yaml", "raml-ok.raml", "multi/api.yaml"])
def test_valid_specs_have_no_findings(name: str) -> None:
    assert validate_source(V / name, OPTS) == []


def test_openapi_reports_all_errors_with_pointer_and_line() -> None:
    found = validate_source(V / "oas30-bad.yaml", OPTS)
    assert all(d.code is Code.SPEC_INVALID and d.file == str(V / "oas30-bad.yaml") for d in found)
    assert sorted((d.pointer, d.line) for d in found) == [
        ("/paths/~1other/get", 16),  # duplicate operationId (a keyword check: located by us)
        ("/paths/~1other/post/parameters/0", 23),  # "in: nowhere"
        ("/paths/~1users~1{id}/get", 7),  # path parameter {id} not declared
        ("/paths/~1users~1{id}/get/responses/200", 10),  # no description
    ]
    assert any("'dup'" in d.message for d in found)


def test_openapi_31_uses_the_31_validator() -> None:
    assert _findings("oas31-bad.yaml") == [("/info", 2)]


def test_unsupported_openapi_version_is_unusable(tmp_path: Path) -> None:
    spec = tmp_path / "v32.yaml"
    spec.write_text('openapi: 3.2.0\ninfo: {title: t, version: "1"}\npaths: {}\n')
    with pytest.raises(UnsupportedFormatError, match=r"3\.2\.0"):
        validate_source(spec, OPTS)


def test_missing_ref_is_unusable() -> None:
    with pytest.raises(RefError, match=r"nowhere\.yaml"):
        validate_source(V / "missing-ref.yaml", OPTS)


def test_ref_outside_root_is_refused_unless_root_widened() -> None:
    spec = V / "outside" / "spec" / "api.yaml"
    with pytest.raises(RefError, match="outside the root folder"):
        validate_source(spec, OPTS)
    assert validate_source(spec, ReadOptions(ref_root=V / "outside")) == []


def test_remote_ref_is_never_fetched_without_permission() -> None:
    with pytest.raises(RefError, match="remote references are refused"):
        validate_source(V / "remote.yaml", OPTS)


def test_raml_structural_findings_have_lines() -> None:
    found = {d.pointer: (d.line, d.message) for d in validate_source(V / "raml-bad.raml", OPTS)}
    # line_of gives the line where a member's value starts (the next line for a nested mapping)
    expected_lines = {
        "": 2, "/baseUri": 2, "/flavour": 3, "/~1books/type": 5, "/~1books/fetch": 6,
        "/~1books/get/summary": 10, "/~1books/get/queryParameters/page/type": 13,
        "/~1books/get/queryParameters/page/minimum": 14, "/~1books/get/queryParameters/page/maxLength": 15,
        "/~1books/get/queryParameters/sort": 16, "/~1books/get/responses/2xx": 18, "/books": 20,
    }
    assert {p: line for p, (line, _) in found.items()} == expected_lines
    assert "title" in found[""][1]
    assert "'int'" in found["/~1books/get/queryParameters/page/type"][1]


def test_raml_fragment_is_one_finding(tmp_path: Path) -> None:
    spec = tmp_path / "trait.raml"
    spec.write_text("#%RAML 0.8\nqueryParameters:\n  page: {type: integer}\n")
    found = validate_source(spec, OPTS)
    assert len(found) == 1 and "fragment" in found[0].message


@pytest.mark.parametrize(("name", "reason"), [
    ("raml-include-missing.raml", "missing file"), ("raml-include-outside.raml", "outside the root folder"),
])
def test_raml_bad_includes_are_unusable(name: str, reason: str) -> None:
    with pytest.raises(RefError, match=reason) as info:
        validate_source(V / name, OPTS)
    assert info.value.line is not None


def test_raml_10_is_unusable() -> None:
    with pytest.raises(UnsupportedFormatError, match=r"RAML 1\.0 is not supported"):
        validate_source(FIXTURES / "bad" / "raml10.raml", OPTS)


def test_run_validate_exit_codes_and_keeps_going() -> None:
    ok, bad, unusable = str(V / "swagger-ok.yaml"), str(V / "oas30-bad.yaml"), str(V / "missing.yaml")
    assert run_validate([ok], OPTS, "text", None)[1] == 0
    assert run_validate([ok, bad], OPTS, "text", None)[1] == 1
    output, code = run_validate([unusable, bad], OPTS, "json", None)
    assert code == 2
    files = json.loads(output)["files"]
    assert [f["path"] for f in files] == [unusable, bad]
    assert "no such file" in files[0]["error"] and len(files[1]["diagnostics"]) == 4


def test_exit_code_strict_counts_warnings() -> None:
    from migrate.core.diagnostics import Diagnostic

    warned = [FileResult("a", [Diagnostic(Code.ENUM_DROPPED, "/x", "lost")])]
    assert (exit_code(warned), exit_code(warned, strict=True)) == (0, 1)


def test_run_validate_rejects_unknown_format_and_target() -> None:
    with pytest.raises(UsageError):
        run_validate([str(V / "swagger-ok.yaml")], OPTS, "xml", None)
    with pytest.raises(UsageError, match="unknown target"):
        run_validate([str(V / "swagger-ok.yaml")], OPTS, "text", "nowhere")


def test_run_validate_with_target_adds_emitter_findings() -> None:
    spec = str(V / "oas30-bad.yaml")
    output, _ = run_validate([spec], OPTS, "json", "akamai")
    codes = [d["code"] for d in json.loads(output)["files"][0]["diagnostics"]]
    assert codes[:4] == ["SPEC_INVALID"] * 4


def test_read_error_is_not_a_finding() -> None:
    with pytest.raises(ReadError):
        validate_source(V / "does-not-exist.yaml", OPTS)
