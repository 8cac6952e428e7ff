"""``api-migrate compare SPEC --to akamai`` and ``push --akamai-mode import`` against the sandbox's
server-side importer (written from seed 002's description, not from our emitter): field-by-field
differences, Akamai's problems[] with pointers into the spec, the imported endpoint removed again,
exit 1 on any difference; OpenAPI 3.0 imported as it is, 3.1 as our 3.0.3 conversion (its losses
reported); a push that creates and changes by Akamai's import, and re-runs writing nothing."""

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


OPENAPI30 = """openapi: 3.0.3
info: {title: Compare Open, version: "1"}
servers: [{url: "https://api.sandbox.example.com/cmp"}]
paths:
  /items/{id}:
    get:
      parameters:
        - {name: id, in: path, required: true, schema: {type: string, maxLength: 10}}
        - {name: q, in: query, schema: {type: integer, minimum: 1, maximum: 5}}
      responses: {"200": {description: ok}}
"""


def _uploaded(handle: SandboxHandle) -> list[dict[str, object]]:
    return [e for e in handle.requests.of("akamai") if e["method"] == "POST" and e["path"].endswith("/files")]


def test_openapi_3_0_is_compared_as_it_is(sandbox: SandboxHandle, config: Path, tmp_path: Path) -> None:
    """akamai.json importFileFormat: Akamai imports "Swagger 2.0 or 3.0 files" (format swagger)."""
    spec = tmp_path / "open.yaml"
    spec.write_text(OPENAPI30, encoding="utf-8")
    result = run(config, str(spec))
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1] == "no differences"
    assert len(_uploaded(sandbox)) == 1 and sandbox.state()["akamai"].get("endpoints", {}) == {}


def test_openapi_3_1_is_uploaded_as_our_3_0_3_conversion(sandbox: SandboxHandle, config: Path,
                                                         tmp_path: Path) -> None:
    spec = tmp_path / "open31.yaml"
    spec.write_text(OPENAPI30.replace("openapi: 3.0.3", "openapi: 3.1.0").replace(
        "minimum: 1, maximum: 5", "minimum: 1, maximum: 5, examples: [2, 3]"), encoding="utf-8")
    result = run(config, str(spec))
    assert result.exit_code == 0, result.output
    # what the 3.0.3 conversion lost, reported; the upload is that conversion (the import takes 3.0
    # only: a 3.1 file would be refused with a problem, and exit 1)
    assert "sent to Akamai's import as OpenAPI 3.0.3: examples has 2 values" in result.output
    assert len(_uploaded(sandbox)) == 1


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


def test_import_mode_pushes_openapi_3_0_as_it_is(sandbox: SandboxHandle, conn: ConnMaker, tmp_path: Path) -> None:
    spec = tmp_path / "open.yaml"
    spec.write_text(OPENAPI30, encoding="utf-8")
    options = EmitOptions(akamai_mode="import")
    assert push_spec(spec, conn("akamai"), options=options).done == ["create"]
    (entry,) = sandbox.state()["akamai"]["endpoints"].values()
    assert entry["versions"]["1"]["endpoint"]["apiEndPointName"] == "Compare Open"
    assert push_spec(spec, conn("akamai"), options=options).plan.action == "nothing"


@pytest.mark.parametrize(("given", "named"), [
    ({"name": "Other Name"}, "--name"), ({"host": "api.sandbox.example.com"}, "--host"),
    ({"categories": ("Shop",)}, "--category"),
])
def test_import_mode_refuses_what_the_import_would_ignore(sandbox: SandboxHandle, conn: ConnMaker, tmp_path: Path,
                                                         given: dict[str, object], named: str) -> None:
    """Akamai's import names the endpoint (info.title), takes its hostname from the spec and sets no
    category: options that would be silently dropped (and --name, which breaks re-runs) are refused."""
    spec = tmp_path / "imp.yaml"
    spec.write_text(SWAGGER, encoding="utf-8")
    with pytest.raises(UsageError, match=f"{named}.* cannot be used with --akamai-mode import"):
        push_spec(spec, conn("akamai"), options=EmitOptions(akamai_mode="import", **given))  # type: ignore[arg-type]
    assert sandbox.requests.count("akamai") == 0


def test_import_mode_checks_the_hosts_the_import_uses(sandbox: SandboxHandle, conn: ConnMaker,
                                                      tmp_path: Path) -> None:
    """The profile's endpoint_host is not what the import serves: the spec's host is, and it is checked
    against the contract's host list before anything is written."""
    spec = tmp_path / "imp.yaml"
    spec.write_text(SWAGGER.replace("api.sandbox.example.com", "petstore.example.com"), encoding="utf-8")
    from migrate.core.errors import PushError

    with pytest.raises(PushError, match=r"petstore\.example\.com not available"):
        push_spec(spec, conn("akamai"), options=EmitOptions(akamai_mode="import"))
    assert _writes(sandbox, 0) == []


def test_import_mode_cli_usage_error_is_one_line(config: Path, tmp_path: Path) -> None:
    spec = tmp_path / "imp.yaml"
    spec.write_text(SWAGGER, encoding="utf-8")
    result = CliRunner().invoke(main, ["push", str(spec), "--to", "akamai", "--akamai-mode", "import", "--name", "X",
                                       "--config", str(config), "--profile", "sandbox-akamai", "--yes"])
    assert result.exit_code == 2, result.output
    assert len(result.output.strip().splitlines()) == 1 and "--name" in result.output


def test_import_mode_pushes_openapi_3_1_as_our_3_0_3_conversion(sandbox: SandboxHandle, conn: ConnMaker,
                                                                 tmp_path: Path) -> None:
    """The sandbox's import takes 3.0 only (akamai.json): the 3.1 file itself would be refused."""
    spec = tmp_path / "open31.yaml"
    spec.write_text(OPENAPI30.replace("openapi: 3.0.3", "openapi: 3.1.0"), encoding="utf-8")
    options = EmitOptions(akamai_mode="import")
    assert push_spec(spec, conn("akamai"), options=options).done == ["create"]
    assert push_spec(spec, conn("akamai"), options=options).plan.action == "nothing"


# -- the imported endpoint: its id from Location, journaled until removed ---------------------------


def test_import_id_comes_from_location_when_the_body_has_none() -> None:
    """akamai.json makes apiEndPointId nullable; seed 002 (326): Location: …/endpoints/123/versions/1."""
    from migrate.push.akamai.importing import endpoint_in_location, upload

    class Answer:
        headers = {"Location": "/api-definitions/v2/endpoints/123/versions/1"}

        @staticmethod
        def json() -> dict[str, object]:
            return {"apiEndPointId": None, "apiEndPointName": "X"}

    assert upload(lambda *a, **k: Answer(), "swagger: '2.0'", "swagger", "C", 1).endpoint_id == 123
    assert endpoint_in_location("/api-definitions/v2/endpoints/123/versions/1") == 123
    assert endpoint_in_location("https://h/api-definitions/v2/endpoints/77") == 77
    assert endpoint_in_location(None) is None
    from migrate.push.akamai.client import _id_in_location

    assert _id_in_location("/api-definitions/v2/endpoints/123/versions/1") == 123  # was 1, the version


def test_an_import_left_behind_by_a_crash_is_removed_by_the_next_compare(
        sandbox: SandboxHandle, config: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from migrate.core.errors import PushError
    from migrate.push.akamai.client import AkamaiClient

    spec = tmp_path / "same.yaml"
    spec.write_text(SWAGGER, encoding="utf-8")
    journal = tmp_path / "journal.jsonl"
    real = AkamaiClient.call

    def failing(self: AkamaiClient, method: str, path: str, action: str, **kw: object) -> object:
        if method == "DELETE":
            raise PushError("akamai", "connection lost")
        return real(self, method, path, action, **kw)

    monkeypatch.setattr(AkamaiClient, "call", failing)
    crashed = run(config, str(spec), "--journal", str(journal))
    assert crashed.exit_code != 0
    assert len(sandbox.state()["akamai"]["endpoints"]) == 1  # left behind, but journaled
    monkeypatch.setattr(AkamaiClient, "call", real)
    again = run(config, str(spec), "--journal", str(journal))
    assert again.exit_code == 0, again.output
    assert sandbox.state()["akamai"].get("endpoints", {}) == {}
    assert run(config, str(spec), "--journal", str(journal)).exit_code == 0  # nothing left to clean up
