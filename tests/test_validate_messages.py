"""validate's findings speak of the user's file: values as JSON, pointers at the element as
written (not a path traced through $ref), and a column where the line alone says nothing."""

from __future__ import annotations

from migrate.core.diagnostics import Diagnostic
from migrate.readers import ReadOptions
from migrate.validation.run import validate_file
from tests.testsupport import FIXTURES

SPEC = FIXTURES / "fidelity" / "minified-invalid.json"


def _findings() -> list[Diagnostic]:
    return validate_file(str(SPEC), ReadOptions()).diagnostics


def test_a_finding_in_a_referenced_schema_points_at_the_components_entry() -> None:
    [d] = _findings()
    assert d.pointer == "/components/schemas/Item/properties/state/enum"


def test_values_are_json_not_python() -> None:
    [d] = _findings()
    assert d.message == '["review", "review"] has non-unique elements'


def test_a_one_line_document_gives_the_column() -> None:
    [d] = _findings()
    text = SPEC.read_text()
    assert (d.line, d.column) == (1, text.index('"enum"') + 1)
    assert d.render().startswith(f"error   SPEC_INVALID {SPEC}:1:{d.column} ")
