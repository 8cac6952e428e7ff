"""Akana legacy body from minimal specs: a path with no operation Akana can hold is named."""

from __future__ import annotations

from migrate.conversion.run import convert
from migrate.core.diagnostics import Code
from tests.testsupport import FIXTURES


def test_a_path_without_an_operation_akana_can_hold_is_reported_left_out() -> None:
    conversion = convert(FIXTURES / "fidelity" / "operationless-paths.yaml", "akana")
    operations = conversion.payload.main().document["APIVersion"]["Operations"]["Operation"]
    assert [(op["Method"], op["Path"]) for op in operations] == [("GET", "/things")]
    dropped = {d.pointer: d.message for d in conversion.diagnostics if d.code is Code.RESOURCE_DROPPED}
    assert dropped == {
        "/paths/~1things~1{id}": "/things/{id}: no operation Akana can hold; the Akana body lists operations only, "
                                 "so the path is left out",
        "/paths/~1trace-only": "/trace-only: no operation Akana can hold; the Akana body lists operations only, "
                               "so the path is left out"}
