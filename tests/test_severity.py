"""Severity means something: info only where the conversion is provably equivalent, a change of
what a request or response may be is at least a warning, and the stated reason is true."""

from __future__ import annotations

import re

from migrate.conversion.run import convert
from migrate.core.diagnostics import Code, Report, Severity, literal
from migrate.core.model import Api, Content, Operation, Property, Resource, Response, Schema
from migrate.emitters.frends.steps import literal_properties
from tests.testsupport import FIXTURES, ROOT

#: The codes that may be info, each with why it is equivalent (README lists the same reasons).
EQUIVALENT = {
    Code.BOUND_ADJUSTED: "an exclusive bound on an integer made inclusive: the same integers",
    Code.OPERATION_ID_GENERATED: "operation names are not part of any request or response",
    Code.OPERATION_ID_RENAMED: "operation names are not part of any request or response",
    Code.ALLOF_FLATTENED: "allOf of branches that agree = the object with all their properties",
    Code.VALUE_FILLED: "a required field that describes nothing (placeholder version, empty default response)",
    Code.ENUM_DEDUPLICATED: "a value listed twice allows nothing more than listed once",
    Code.NAME_SANITIZED: "component keys are not part of any request or response",
    Code.PATH_PARAMETER_RESOLVED: "a parameter with one possible value matches exactly its literal",
    Code.PATH_PARAMETER_ADDED: "an undeclared template already matches any string segment",
    Code.RESOURCE_RENAMED: "resource names are not part of any request or response",
}


def test_info_is_kept_for_the_listed_equivalent_conversions_only() -> None:
    assert {c for c in Code if c.severity is Severity.INFO} == set(EQUIVALENT)


def test_changes_of_what_a_request_or_response_may_be_are_at_least_warnings() -> None:
    for code in (Code.RESPONSE_CODE_NORMALIZED, Code.MEDIA_TYPE_MAPPED, Code.SOURCE_VALUE_REPAIRED,
                 Code.VALUE_ASSUMED, Code.RESOURCE_PATH_FRAGMENT, Code.OPERATION_DROPPED):
        assert code.severity is Severity.WARNING, code
    for code in (Code.OUTPUT_INVALID, Code.VALUE_INVALID_FOR_TARGET):
        assert code.severity is Severity.ERROR, code


def test_default_response_made_concrete_is_a_warning_that_says_what_is_lost() -> None:
    conversion = convert(FIXTURES / "fidelity" / "default-response.yaml", "frends")
    [d] = [d for d in conversion.diagnostics if d.code is Code.RESPONSE_CODE_NORMALIZED]
    assert d.severity is Severity.WARNING
    assert d.pointer == "/paths/~1items/get/responses/default"
    assert "written as 500 only" in d.message and "no longer described" in d.message
    assert "equivalent" not in d.message


def _all_of(*branches: Schema) -> Api:
    body = Schema(combinator="allOf", pointer="/body", alternatives=list(branches))
    op = Operation("GET", responses=[Response("200", contents=[Content("application/json", body)])])
    return Api(title="T", version="1", resources=[Resource("/a", operations=[op])])


def test_all_of_whose_branches_disagree_is_not_reported_as_equivalent() -> None:
    report = Report()
    literal_properties(_all_of(Schema(type="object", properties=[Property("x", Schema(type="string"))]),
                               Schema(type="object", properties=[Property("x", Schema(type="integer"))])), report)
    [d] = report.items
    assert (d.code, d.severity) == (Code.SCHEMA_FEATURE_DROPPED, Severity.WARNING)
    assert "'x' differ between branches" in d.message


def test_values_in_messages_are_written_as_the_spec_writes_them() -> None:
    assert [literal(v) for v in (False, None, ["review"], {"a": 1.5}, "limit", 3)] == [
        "false", "null", '["review"]', '{"a": 1.5}', "'limit'", "3"]


def test_messages_show_source_values_as_json_literals() -> None:
    conversion = convert(ROOT / "samples" / "petstore-swagger2.yaml", "akamai")
    messages = [d.message for d in conversion.diagnostics]
    assert any("default false has no place in Akamai" in m for m in messages)
    assert any('enum ["available", "pending", "sold"]' in m for m in messages)
    assert not [m for m in messages if re.search(r"\b(True|False|None)\b|\['", m)]
