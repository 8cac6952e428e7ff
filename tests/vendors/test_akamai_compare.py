"""``api-migrate compare SPEC --to akamai`` and ``push --akamai-mode import`` against the sandbox's
server-side importer (written from seed 002's description, not from our emitter): field-by-field
differences, Akamai's problems[] with pointers into the spec, the imported endpoint removed again,
exit 1 on any difference, exit 2 for what Akamai cannot import (OpenAPI 3: no OpenAPI 2 emitter to
convert it first); a push that creates and changes by Akamai's import, and re-runs writing nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from migrate.cli import main
from migrate.core.errors import UsageError
from migrate.emitters.base import EmitOptions
from migrate.push.commands import push_spec
from migrate.sandbox import SandboxHandle
from tests.vendors.vendor_helpers import ConnMaker

SAMPLES = Path(__file__).parent.parent.parent / "samples"
SWAGGER = """swagger: "2.0"
info: {title: Compare Me, version: "1"}
host: api.sandbox.example.com
basePath: /cmp
schemes: [https]
paths:
  /items/{id}:
    get:
      parameters:
        - {name: id, in: path, required: true, type: string, maxLength: 10}
        - {name: q, in: query, type: integer, minimum: 1, maximum: 5}
      responses: {"200": {description: ok}}
"""


def run(config: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["compare", *args, "--to", "akamai", "--config", str(config),
                                     "--profile", "sandbox-akamai"])


def test_agreeing_import_exits_0_and_leaves_nothing_behind(sandbox: SandboxHandle, config: Path,
                                                           tmp_path: Path) -> None:
    spec = tmp_path / "same.yaml"
    spec.write_text(SWAGGER, encoding="utf-8")
    result = run(config, str(spec))
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1] == "no differences"
    assert sandbox.state()["akamai"].get("endpoints", {}) == {}


def test_differences_are_shown_field_by_field(sandbox: SandboxHandle, config: Path, tmp_path: Path) -> None:
    body = {"name": "item", "in": "body", "required": True,
            "schema": {"type": "object", "properties": {"name": {"type": "string"}}}}
    spec = tmp_path / "body.json"
    import yaml
    document = yaml.safe_load(SWAGGER)
    document["paths"]["/items"] = {"post": {"parameters": [body], "consumes": ["application/json"],
                                            "responses": {"201": {"description": "made"}}}}
    spec.write_text(json.dumps(document), encoding="utf-8")
    result = run(config, str(spec))
    assert result.exit_code == 1, result.output
    assert ('  ~ /apiResources[/items]/apiResourceMethods[POST]/apiParameters[body body]/apiParameterName: '
            'ours "body", Akamai\'s import "item"') in result.output.splitlines()
    assert sandbox.state()["akamai"].get("endpoints", {}) == {}


def test_refused_import_shows_akamais_problems_with_pointers(sandbox: SandboxHandle, config: Path) -> None:
    result = run(config, str(SAMPLES / "petstore-swagger2.yaml"), "--format", "json")
    assert result.exit_code == 1, result.output
    found = json.loads(result.output)
    assert found["imported"] is False
    assert found["problems"] == [{"pointer": "/apiEndPointHosts/0", "detail": "hostname 'petstore.example.com' is "
                                  "not available to contract C-SANDBOX and group 12345"}]
    kinds = {(d["kind"], d["pointer"]) for d in found["differences"]}
    assert ("differs", "/apiResources[/pets]/apiResourceMethods[GET]/apiParameters[query limit]/"
            "apiParameterRestriction/rangeRestriction/rangeMax") in kinds  # exclusiveMaximum: ours 99, theirs 100
    hosts = [d for d in found["differences"] if d["pointer"] == "/apiEndPointHosts/0"]
    assert hosts == [{"kind": "differs", "pointer": "/apiEndPointHosts/0", "ours": "api.sandbox.example.com",
                      "akamai": "petstore.example.com"}]


@pytest.mark.parametrize("name", ["orders-openapi30.yaml", "events-openapi31.yaml"])
def test_openapi_3_is_refused_with_the_reason(sandbox: SandboxHandle, config: Path, name: str) -> None:
    result = run(config, str(SAMPLES / name))
    assert result.exit_code == 2
    assert "needs an OpenAPI 2 emitter, which api-migrate does not have" in result.output
    assert sandbox.requests.count("akamai") == 0


# -- push --akamai-mode import --------------------------------------------------------------------


def _writes(handle: SandboxHandle, since: int) -> list[str]:
    return [f"{e['method']} {e['path'].split('/v2', 1)[1]}" for e in handle.requests.of("akamai")[since:]
            if e["method"] != "GET"]


def test_push_in_import_mode_creates_by_import_and_reruns_write_nothing(sandbox: SandboxHandle, conn: ConnMaker,
                                                                        tmp_path: Path) -> None:
    spec = tmp_path / "imp.yaml"
    spec.write_text(SWAGGER, encoding="utf-8")
    options = EmitOptions(akamai_mode="import")
    first = push_spec(spec, conn("akamai"), options=options, activate="staging")
    assert first.done == ["create", "activate"]
    assert _writes(sandbox, 0)[0] == "POST /endpoints/files"
    (entry,) = sandbox.state()["akamai"]["endpoints"].values()
    assert entry["versions"]["1"]["endpoint"]["apiEndPointName"] == "Compare Me"
    before = len(sandbox.requests.of("akamai"))
    again = push_spec(spec, conn("akamai"), options=options, activate="staging")
    # the plan asks Akamai's import what it makes of the spec (POST …/file stores nothing)
    assert again.plan.action == "nothing" and not again.changed
    assert {w.rsplit("/", 1)[-1] for w in _writes(sandbox, before)} <= {"file"}
    spec.write_text(SWAGGER.replace("maxLength: 10", "maxLength: 12"), encoding="utf-8")
    changed = push_spec(spec, conn("akamai"), options=options)
    assert changed.done == ["new-version"]
    (entry,) = sandbox.state()["akamai"]["endpoints"].values()
    param = entry["versions"]["2"]["endpoint"]["apiResources"][0]["apiResourceMethods"][0]["apiParameters"][0]
    assert param["apiParameterRestriction"]["lengthRestriction"]["lengthMax"] == 12
    assert push_spec(spec, conn("akamai"), options=options).plan.action == "nothing"


def test_import_mode_refuses_openapi_3(sandbox: SandboxHandle, conn: ConnMaker) -> None:
    with pytest.raises(UsageError, match="needs an OpenAPI 2 emitter"):
        push_spec(SAMPLES / "orders-openapi30.yaml", conn("akamai"), options=EmitOptions(akamai_mode="import"))
    assert sandbox.requests.count("akamai") == 0
