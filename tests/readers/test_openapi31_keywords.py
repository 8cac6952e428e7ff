"""OpenAPI 3.1 keywords reach an OpenAPI 3.0.3 output with the same meaning, or are reported."""

from __future__ import annotations

from typing import Any

from openapi_spec_validator import OpenAPIV30SpecValidator

from migrate.conversion.run import Conversion, convert
from migrate.core.diagnostics import Code
from tests.testsupport import FIXTURES

SPEC = FIXTURES / "fidelity" / "openapi31-keywords.yaml"


def _run() -> tuple[Conversion, dict[str, Any]]:
    conversion = convert(SPEC, "openapi")
    return conversion, conversion.payload.main().document


def test_the_output_is_valid_openapi_30_and_no_error_is_reported() -> None:
    conversion, doc = _run()
    assert list(OpenAPIV30SpecValidator(doc).iter_errors()) == []
    assert not conversion.payload.report.failed()


def test_keywords_are_rewritten_to_their_30_forms() -> None:
    _, doc = _run()
    params = {p["name"]: p["schema"] for p in doc["paths"]["/things"]["get"]["parameters"]}
    assert params["size"] == {"type": "integer", "minimum": 0, "exclusiveMinimum": True, "maximum": 10,
                              "exclusiveMaximum": True}
    assert params["mode"]["enum"] == ["fast"]
    thing = doc["components"]["schemas"]["Thing"]["properties"]
    assert thing["name"] == {"type": "string", "nullable": True, "example": "x"}
    assert thing["count"] == {"anyOf": [{"type": "integer"}, {"type": "string"}]}
    assert thing["score"] == {"type": "number", "maximum": 5.5, "exclusiveMaximum": True}
    assert thing["flag"] == {"enum": [True]}


def test_duplicate_enum_values_are_written_once_and_said() -> None:
    conversion, doc = _run()
    assert doc["components"]["schemas"]["Thing"]["properties"]["status"]["enum"] == ["review", "done"]
    found = {d.pointer: d.message for d in conversion.diagnostics if d.code is Code.ENUM_DEDUPLICATED}
    assert found == {
        "/paths/~1things/get/parameters/0": "enum value 'a' is listed more than once; written once "
                                            "(OpenAPI 3.0 requires unique values)",
        "/components/schemas/Thing/properties/status": "enum value 'review' is listed more than once; written "
                                                       "once (OpenAPI 3.0 requires unique values)"}


def test_keywords_beside_a_ref_apply_in_31() -> None:
    _, doc = _run()
    owner = doc["components"]["schemas"]["Thing"]["properties"]["owner"]
    assert owner["description"] == "who owns it" and owner["properties"] == {"id": {"type": "string"}}


def test_examples_beyond_the_first_are_reported() -> None:
    conversion, _ = _run()
    [d] = [d for d in conversion.diagnostics if d.pointer == "/components/schemas/Thing/properties/name/examples"]
    assert d.code is Code.SOURCE_FEATURE_IGNORED and "only the first is read" in d.message
