"""Schema keywords the model keeps as they were (not, minProperties, ...): carried where the target
has them, reported where it does not."""

from __future__ import annotations

from pathlib import Path

from migrate.conversion.run import convert
from migrate.core.diagnostics import Code
from migrate.emitters.base import EmitOptions

SPEC = """openapi: 3.0.3
info: {title: T, version: "1"}
servers: [{url: "https://api.example.com/v1"}]
components:
  schemas:
    Name: {type: string}
paths:
  /x:
    post:
      requestBody:
        content:
          application/json:
            schema:
              type: object
              minProperties: 1
              maxProperties: 5
              properties:
                n: {not: {type: string}}
                m: {not: {$ref: "#/components/schemas/Name"}}
      responses: {"200": {description: ok}}
"""
BODY = "/paths/~1x/post/requestBody/content/application~1json/schema"


def _spec(tmp_path: Path) -> Path:
    path = tmp_path / "s.yaml"
    path.write_text(SPEC)
    return path


def test_openapi_output_keeps_keywords_it_has_and_reports_a_not_with_a_reference(tmp_path: Path) -> None:
    result = convert(_spec(tmp_path), "openapi")
    schema = result.payload.main().document["paths"]["/x"]["post"]["requestBody"]["content"]["application/json"][
        "schema"]
    assert (schema["minProperties"], schema["maxProperties"]) == (1, 5)
    assert schema["properties"]["n"] == {"not": {"type": "string"}}
    assert "not" not in schema["properties"]["m"]
    dropped = {(d.pointer, d.code) for d in result.diagnostics}
    assert (BODY + "/properties/m", Code.SCHEMA_FEATURE_DROPPED) in dropped
    assert not any("minProperties" in d.message for d in result.diagnostics)


def test_akamai_reports_every_keyword_it_cannot_check(tmp_path: Path) -> None:
    result = convert(_spec(tmp_path), "akamai", EmitOptions(contract_id="C-1", group_id="1"))
    found = {(d.pointer, d.message.rsplit(": ", 1)[-1]) for d in result.diagnostics
             if d.code is Code.SCHEMA_FEATURE_DROPPED}
    assert (BODY, "keyword 'minProperties' is not checked by Akamai") in found
    assert (BODY, "keyword 'maxProperties' is not checked by Akamai") in found
    assert (BODY + "/properties/n", "keyword 'not' is not checked by Akamai") in found
