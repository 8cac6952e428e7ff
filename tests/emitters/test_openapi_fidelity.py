"""OpenAPI 3 -> OpenAPI 3.0.3 / Frends keeps what 3.0.3 can say: parameter style/explode as
written (deepObject included) and server URL templates with their variables."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from migrate.conversion.run import convert
from migrate.core.diagnostics import Code, Severity
from migrate.emitters.base import EmitOptions
from tests.testsupport import FIXTURES

SPEC = FIXTURES / "fidelity" / "serialisation.yaml"


def _params(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {p["name"]: p for p in document["paths"]["/charges/{id}"]["get"]["parameters"]}


@pytest.mark.parametrize("target", ["openapi", "frends"])
def test_style_and_explode_are_carried_as_written(target: str) -> None:
    conversion = convert(SPEC, target)
    params = _params(conversion.payload.main().document)
    assert [(n, p.get("style"), p.get("explode")) for n, p in params.items()] == [
        ("id", "label", None), ("created", "deepObject", True), ("expand", "deepObject", True),
        ("ids", "pipeDelimited", False)]
    assert not [d for d in conversion.diagnostics if d.code is Code.COLLECTION_FORMAT_DROPPED]


def test_server_variables_are_carried_as_server_variables() -> None:
    conversion = convert(SPEC, "openapi")
    assert conversion.payload.main().document["servers"] == [{
        "url": "https://{region}.api.example.com/{basePath}",
        "variables": {"region": {"enum": ["eu", "us"], "default": "eu", "description": "where the data lives"},
                      "basePath": {"default": "v1"}}}]
    assert not [d for d in conversion.diagnostics if d.code is Code.SERVER_DROPPED]


@pytest.mark.parametrize("target", ["frends", "akamai", "akana"])
def test_targets_without_server_variables_report_each_lost_value(target: str) -> None:
    conversion = convert(SPEC, target)
    lost = {d.pointer: d.message for d in conversion.diagnostics if d.code is Code.SERVER_DROPPED}
    assert 'the other values ["us"] are not carried' in lost["/servers/0/variables/region"]
    assert "any other value is not carried" in lost["/servers/0/variables/basePath"]


@pytest.mark.parametrize("target", ["akamai", "akana"])
def test_targets_without_styles_say_the_serialisation_is_lost(target: str) -> None:
    conversion = convert(SPEC, target)
    lost = [d for d in conversion.diagnostics if d.code is Code.COLLECTION_FORMAT_DROPPED
            and d.pointer == "/paths/~1charges~1{id}/get/parameters/1"]
    assert lost and "deepObject" in lost[0].message


@pytest.mark.parametrize(("target", "template", "name"), [
    ("openapi", "document.json.j2", "openapi.json"), ("frends", "openapi.json.j2", "frends-openapi.json")])
def test_an_emitted_document_that_is_not_valid_openapi_is_an_error(tmp_path: Path, target: str, template: str,
                                                                  name: str) -> None:
    # a user's shadowing template that leaves "info" out (templates decide the content)
    folder = tmp_path / target
    folder.mkdir()
    (folder / template).write_text('{ {% for key, value in sections if key != "info" %}{{ key | tojson }}: '
                                   '{{ value | tojson }}{% if not loop.last %},{% endif %}{% endfor %} }')
    conversion = convert(SPEC, target, EmitOptions(templates_dir=tmp_path))
    invalid = [d for d in conversion.diagnostics if d.code is Code.OUTPUT_INVALID]
    assert invalid and invalid[0].severity is Severity.ERROR
    assert invalid[0].message.startswith(f"{name} is not valid OpenAPI 3.0.3 at /: ") and "'info'" in invalid[0].message
    assert conversion.payload.report.failed()


def test_two_source_paths_written_as_one_key_lose_an_operation_with_a_warning() -> None:
    """Nested /a: /b: and a flat /a/b: both GET; OpenAPI has one /a/b (the payload is valid, a GET is lost)."""
    conversion = convert(FIXTURES / "fidelity" / "raml" / "same-path-twice.raml", "openapi")
    assert list(conversion.payload.main().document["paths"]["/a/b"]) == ["get", "post"]
    [dropped] = [d for d in conversion.diagnostics if d.code is Code.OPERATION_DROPPED]
    assert (dropped.pointer, dropped.severity.value) == ("/~1a~1b/get", "warning")
    assert dropped.message == "GET /a/b: another path is written as /a/b too and already has GET; this one is left out"
    assert not [d for d in conversion.diagnostics if d.severity.value == "error"]
