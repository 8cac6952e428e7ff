"""migrate/push/contracts: the vendors' contracts, their verbatim examples, and the checker (check.py)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from typing import Any

import pytest
import yaml
from openapi_spec_validator import validate as validate_openapi

from migrate.push.contracts.check import VENDORS, Contract, Operation, akamai_defects
from tests.testsupport import FIXTURES

CONTRACT_FIXTURES = FIXTURES / "contracts"
AKAMAI = "/api-definitions/v2"
FRENDS = "/api/v1"
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


# -- the fixtures' indexes (three slightly different formats) --------------------------------------------


@dataclass(frozen=True)
class Example:
    vendor: str
    file: str
    operation_id: str
    method: str  # upper case
    path: str  # as in the index: relative to the contract's base path
    status: int | None  # None for a request example
    content_type: str
    defects: tuple[str, ...]  # Akamai: the defect ids the example needs fixed
    defect: str | None  # Akana and Frends: where the example disagrees with the contract
    validate_against: str | None  # Frends: the schema a misplaced example is checked against instead

    @property
    def id(self) -> str:
        return f"{self.vendor}/{self.file}"

    @property
    def body(self) -> bytes:
        return (CONTRACT_FIXTURES / self.vendor / self.file).read_bytes()

    def request_path(self, contract: Contract) -> str:
        """The path a server sees: base path plus the template with every parameter set to 7."""
        return contract.base_path + re.sub(r"\{[^{}/]+\}", "7", self.path)

    def check(self, contract: Contract) -> list[str]:
        path = self.request_path(contract)
        if self.status is None:
            return contract.check_request(self.method, path, self.content_type, self.body)
        return contract.check_response(self.method, path, self.status, self.content_type, self.body)


def _index(vendor: str) -> dict[str, Any]:
    loaded = yaml.safe_load((CONTRACT_FIXTURES / vendor / "index.yaml").read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


@cache
def examples(vendor: str) -> tuple[Example, ...]:
    index = _index(vendor)
    rows = index.get("examples") or index.get("fixtures")  # akamai, frends: examples; akana: fixtures
    assert isinstance(rows, list) and rows, f"{vendor}: index.yaml lists no examples"
    found = []
    for row in rows:
        is_request = bool(row.get("request")) or row.get("kind") == "request"
        assert is_request != ("status" in row), f"{vendor}: {row['file']}: either a request or a status"
        found.append(Example(
            vendor=vendor,
            file=row["file"],
            operation_id=row["operationId"],
            method=str(row["method"]).upper(),
            path=row["path"],
            status=None if is_request else int(row["status"]),
            content_type=row.get("content_type") or row.get("media_type") or "application/json",
            defects=tuple(row.get("defects", ())),
            defect=row.get("defect"),
            validate_against=row.get("validate_against"),
        ))
    return tuple(found)


ALL_EXAMPLES = [e for vendor in VENDORS for e in examples(vendor)]
CONFORMING = [e for e in ALL_EXAMPLES if e.defect is None]
AKAMAI_WITH_DEFECTS = [e for e in examples("akamai") if e.defects]


# -- Akamai contracts with chosen fixes ------------------------------------------------------------------


def _defect_ids(kind: str | None = None) -> frozenset[str]:
    return frozenset(d["id"] for d in akamai_defects() if d.get("fix") and (kind is None or d["kind"] == kind))


@cache
def akamai_with(fixes: frozenset[str]) -> Contract:
    return Contract.build("akamai", fixes)


def akamai_raw() -> Contract:
    """The descriptor as Akamai publishes it, only tightened by the admits-invalid fixes (strict validation)."""
    return akamai_with(_defect_ids("admits-invalid"))


# -- the documents ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("vendor", VENDORS)
def test_contract_documents_are_valid_openapi(vendor: str) -> None:
    validate_openapi(Contract.load(vendor).document)
    if vendor == "akamai":  # the descriptor as extracted, without fixes, too
        validate_openapi(Contract.build("akamai", ()).document)


def test_load_is_cached_and_build_is_not() -> None:
    assert Contract.load("frends") is Contract.load("frends")
    assert Contract.build("frends") is not Contract.load("frends")
    with pytest.raises(ValueError, match="unknown vendor"):
        Contract.load("mulesoft")
    with pytest.raises(ValueError, match="unknown Akamai defects"):
        Contract.build("akamai", ["no-such-defect"])


def test_base_paths() -> None:
    assert [Contract.load(v).base_path for v in VENDORS] == [AKAMAI, "", FRENDS]


@pytest.mark.parametrize("vendor", ["akana", "frends"])
def test_every_operation_and_schema_names_its_source(vendor: str) -> None:
    document = Contract.load(vendor).document
    operations = [(m, p, op) for p, item in document["paths"].items() for m, op in item.items() if m in HTTP_METHODS]
    assert operations
    assert [f"{m.upper()} {p}" for m, p, op in operations if not op.get("x-source")] == []
    schemas = document["components"]["schemas"]
    assert schemas
    assert [name for name, schema in schemas.items() if not schema.get("x-source")] == []


def test_akamai_defects_are_well_formed() -> None:
    defects = akamai_defects()
    document = Contract.build("akamai", ()).document
    for defect in defects:
        assert {"id", "kind", "pointer", "problem", "evidence", "workaround"} <= set(defect), defect["id"]
        assert defect["kind"] in ("rejects-valid", "admits-invalid", "behaviour"), defect["id"]
        assert bool(defect.get("fix")) == (defect["kind"] != "behaviour"), defect["id"]
        node: Any = document
        for token in defect["pointer"].split("/")[1:]:  # every pointer resolves in the raw descriptor
            token = token.replace("~1", "/").replace("~0", "~")
            node = node[int(token)] if isinstance(node, list) else node[token]
    listed = {d["id"] for d in defects}
    used = {i for e in examples("akamai") for i in e.defects}
    assert used <= listed, used - listed


# -- the verbatim examples -------------------------------------------------------------------------------


@pytest.mark.parametrize("vendor", VENDORS)
def test_index_lists_every_fixture_file(vendor: str) -> None:
    on_disk = {p.name for p in (CONTRACT_FIXTURES / vendor).iterdir() if p.name != "index.yaml"}
    assert on_disk == {e.file for e in examples(vendor)}


@pytest.mark.parametrize("example", ALL_EXAMPLES, ids=lambda e: e.id)
def test_example_routes_to_its_operation(example: Example) -> None:
    contract = Contract.load(example.vendor)
    operation = contract.operation(example.method, example.request_path(contract))
    assert operation is not None
    assert (operation.operation_id, operation.method, operation.template) == (
        example.operation_id, example.method, contract.base_path + example.path)
    if example.status is not None:
        assert str(example.status) in operation.statuses()


@pytest.mark.parametrize("example", CONFORMING, ids=lambda e: e.id)
def test_example_conforms(example: Example) -> None:
    assert example.check(Contract.load(example.vendor)) == []


@pytest.mark.parametrize("example", [e for e in examples("akamai") if not e.defects], ids=lambda e: e.id)
def test_akamai_example_without_defects_conforms_to_the_raw_descriptor(example: Example) -> None:
    assert example.check(akamai_raw()) == []


@pytest.mark.parametrize("example", AKAMAI_WITH_DEFECTS, ids=lambda e: e.id)
def test_akamai_example_is_rejected_by_the_raw_descriptor(example: Example) -> None:
    assert example.check(akamai_raw()) != []
    assert example.check(akamai_with(_defect_ids("admits-invalid") | set(example.defects))) == []


@pytest.mark.parametrize("example", AKAMAI_WITH_DEFECTS, ids=lambda e: e.id)
def test_akamai_example_needs_each_listed_fix(example: Example) -> None:
    for defect in example.defects:
        assert example.check(akamai_with(_defect_ids() - {defect})) != [], f"{defect} is not needed"


def test_akana_example_with_string_booleans_is_rejected() -> None:
    [example] = [e for e in examples("akana") if e.defect]
    problems = example.check(Contract.load("akana"))
    fields = ("ProductionEndpointAccessAutoApproved", "SandboxEndpointAccessAutoApproved",
              "SandboxAnonymousAccessAllowed", "ProductionAnonymousAccessAllowed", "ResourceLevelPermissionsSupported")
    assert problems == sorted(
        f"akana POST /api/apis request: /APIVersion/{f}: {v!r} is not of type 'boolean'"
        for f, v in zip(fields, ("true", "true", "false", "false", "false"), strict=True))


def test_frends_problem_example_is_problem_details_but_no_204_body() -> None:
    [example] = [e for e in examples("frends") if e.defect]
    contract = Contract.load("frends")
    assert example.validate_against == "#/components/schemas/ProblemDetails"
    assert contract.check_instance(example.validate_against, json.loads(example.body)) == []
    assert example.check(contract) == [
        f"frends DELETE {FRENDS}/api-management/api-specifications/{{apiSpecificationId}}/agent-group/"
        "{agentGroupId} 204: a body (138 bytes) on a response that has none"]


@pytest.mark.parametrize("example", [e for e in ALL_EXAMPLES if e.content_type == "multipart/form-data"],
                         ids=lambda e: e.id)
def test_multipart_examples_match_their_form_schema(example: Example) -> None:
    # the reference renders the form fields as a JSON object: check the fields against the form's schema
    contract = Contract.load(example.vendor)
    operation = contract.operation(example.method, example.request_path(contract))
    assert operation is not None
    pointer = f"{operation.pointer}/requestBody/content/multipart~1form-data/schema"
    assert contract.check_instance(pointer, json.loads(example.body), write=True) == []
    assert contract.check_instance(pointer, {**json.loads(example.body), "extra": "x"}, write=True) != []


# -- problems the checker must find ----------------------------------------------------------------------


@pytest.mark.parametrize("member", ["specification", "published", "agentGroups"])
def test_frends_specification_with_an_invented_member_is_rejected(member: str) -> None:
    body = {"data": {"id": 7, "name": "Pets", "activeVersion": 2, "description": None, member: "x"}}
    problems = Contract.load("frends").check_response(
        "GET", f"{FRENDS}/api-management/api-specifications/7/2", 200, "application/json", json.dumps(body).encode())
    assert problems == [f"frends GET {FRENDS}/api-management/api-specifications/{{id}}/{{apiVersion}} 200: /data: "
                        f"additional property '{member}' is not allowed"]


def test_akamai_409_where_the_operation_documents_none() -> None:
    body = json.dumps({"type": "about:blank", "title": "Conflict", "status": 409}).encode()
    contract = Contract.load("akamai")
    path = f"{AKAMAI}/endpoints/7/versions/1/settings/cache"
    [problem] = contract.check_response("GET", path, 409, "application/problem+json", body)
    assert problem.startswith(f"akamai GET {AKAMAI}/endpoints/{{apiEndPointId}}/versions/{{versionNumber}}/settings/"
                              "cache 409: status 409 is not documented for get-cache-settings")
    # put-endpoint-version documents 409 (stale lockVersion)
    assert contract.check_response("PUT", f"{AKAMAI}/endpoints/7/versions/1", 409, "application/problem+json",
                                   body) == []


def test_text_404_on_an_undocumented_route() -> None:
    for vendor, path in (("akamai", f"{AKAMAI}/nothing/here"), ("akana", "/api/nothing"),
                         ("frends", f"{FRENDS}/nothing"), ("frends", "/elsewhere/api-management/api-specifications")):
        problems = Contract.load(vendor).check_response("GET", path, 404, "text/plain", b"Not Found")
        assert problems == [f"{vendor} GET {path} 404: no documented operation has this path"]


def test_undocumented_method_on_a_documented_path() -> None:
    problems = Contract.load("frends").check_response("PATCH", f"{FRENDS}/processes/7", 200, None, b"")
    assert problems == [f"frends PATCH {FRENDS}/processes/{{id}} 200: method PATCH is not documented for this path "
                        "(documented: DELETE, GET)"]


def test_body_on_a_frends_no_content_response() -> None:
    contract = Contract.load("frends")
    publish = f"{FRENDS}/api-management/api-specifications/7/publish"
    assert contract.check_response("POST", publish, 200, None, b"") == []
    assert contract.check_response("POST", publish, 200, "application/json", b"{}") == [
        f"frends POST {FRENDS}/api-management/api-specifications/{{id}}/publish 200: a body (2 bytes, "
        "application/json) where the documentation has none"]
    assert contract.check_response("DELETE", f"{FRENDS}/processes/9", 204, "application/json", b"{}") != []


def test_akana_rss_item_with_made_up_fields() -> None:
    contract = Contract.load("akana")
    channel: dict[str, Any] = {"title": "Versions", "version": "1.0", "item": []}
    path = "/api/apis/7.acmepaymentscorp/versions"
    assert contract.check_response("GET", path, 200, "application/json", json.dumps(channel).encode()) == []
    channel["item"] = [{"title": "1.0", "guid": "v7.acmepaymentscorp"}]
    assert contract.check_response("GET", path, 200, "application/json", json.dumps(channel).encode()) == [
        f"akana GET /api/apis/{{APIID}}/versions 200: /item/0: additional property '{m}' is not allowed"
        for m in ("guid", "title")]


def test_content_type_must_be_documented_for_the_status() -> None:
    contract = Contract.load("akamai")
    path = f"{AKAMAI}/categories/7"
    category = (CONTRACT_FIXTURES / "akamai" / "get-category.200.json").read_bytes()
    problem = json.dumps({"type": "about:blank", "title": "Not Found", "status": 404}).encode()
    assert contract.check_response("GET", path, 200, "application/json; charset=UTF-8", category) == []
    assert contract.check_response("GET", path, 404, "application/problem+json", problem) == []
    template = f"akamai GET {AKAMAI}/categories/{{apiCategoryId}}"
    assert contract.check_response("GET", path, 404, "application/json", problem) == [
        f"{template} 404: content type application/json is not documented (documented: application/problem+json)"]
    assert contract.check_response("GET", path, 200, "application/problem+json", category) == [
        f"{template} 200: content type application/problem+json is not documented (documented: application/json)"]
    assert contract.check_response("GET", path, 200, None, category) == [
        f"{template} 200: a body without a content type (documented: application/json)"]
    assert contract.check_response("GET", path, 200, "application/json", b"") == [
        f"{template} 200: no body (documented: application/json)"]
    assert contract.check_response("GET", path, 200, "application/json", b"{oops") != []
    assert contract.check_response("GET", path, 200, "application/json", b'{"apiCategoryId": NaN}') == [
        f"{template} 200: the body is not JSON (NaN is not JSON)"]


def test_akamai_nested_problem_errors_need_the_fix() -> None:
    body = json.dumps({"type": "about:blank", "title": "Forbidden", "errors": [{"title": "x"}]}).encode()
    path = f"{AKAMAI}/endpoints/7/versions"
    assert Contract.load("akamai").check_response("GET", path, 403, "application/problem+json", body) == []
    assert akamai_raw().check_response("GET", path, 403, "application/problem+json", body) == [
        f"akamai GET {AKAMAI}/endpoints/{{apiEndPointId}}/versions 403: /errors/0: additional property 'title' is "
        "not allowed"]


def test_akamai_requests_enforce_read_only_unless_the_rule_applies() -> None:
    contract = Contract.load("akamai")
    create = json.loads((CONTRACT_FIXTURES / "akamai" / "post-endpoints.request.json").read_bytes())
    problems = contract.check_request("POST", f"{AKAMAI}/endpoints", "application/json",
                                      json.dumps({**create, "apiEndPointId": 5}).encode())
    assert problems == [f"akamai POST {AKAMAI}/endpoints request: /apiEndPointId: Tried to write read-only property "
                        "with 5"]
    assert contract.check_request("POST", f"{AKAMAI}/endpoints", "application/json", b"") == [
        f"akamai POST {AKAMAI}/endpoints request: no body, but the documentation requires one"]
    # PUT bodies carry what GET returned, read-only members included (put-body-readonly)
    put = (CONTRACT_FIXTURES / "akamai" / "put-category.request.json").read_bytes()
    assert contract.check_request("PUT", f"{AKAMAI}/categories/7", "application/json", put) == []


def test_request_problems() -> None:
    contract = Contract.load("frends")
    specs = f"{FRENDS}/api-management/api-specifications"
    assert contract.check_request("GET", specs, "application/json", b"{}") == [
        f"frends GET {specs} request: a body (2 bytes) where the documentation has none"]
    assert contract.check_request("GET", specs, None, b"") == []
    assert contract.check_request("POST", specs, "text/plain", b"openapi: 3.0.0") == [
        f"frends POST {specs} request: content type text/plain is not documented (documented: application/json)"]
    assert contract.check_request("POST", specs, "application/json", b"{}") == [
        f"frends POST {specs} request: (root): {{}} is not of type 'string'"]
    # multipart bodies: only the content type is checked
    assert contract.check_request("POST", f"{specs}/import", "multipart/form-data; boundary=x", b"--x--") == []


def test_akana_xml_bodies_are_only_checked_to_be_well_formed() -> None:
    contract = Contract.load("akana")
    xml = b"<API><Name>X</Name><APIVersion><Name>1.0</Name></APIVersion></API>"
    assert contract.check_request("POST", "/api/apis", "application/xml", xml) == []
    assert contract.check_request("POST", "/api/apis", "application/vnd.soa.v80+xml", xml) == []
    assert contract.check_request("POST", "/api/apis", "application/xml", b"<API><Name>X</API>") != []
    doctype = b'<!DOCTYPE API [<!ENTITY x "y">]><API><Name>&x;</Name></API>'
    assert contract.check_request("POST", "/api/apis", "application/xml", doctype) == [
        "akana POST /api/apis request: the XML body has a DOCTYPE or ENTITY declaration (refused)"]
    assert contract.check_response("GET", "/api/apis", 200, "text/xml", b"<rss version='1.0'/>") == []


def test_root_element_name_and_status_ranges_from_a_small_contract() -> None:
    document: dict[str, Any] = {
        "openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "servers": [{"url": "http://h/base/"}],
        "paths": {"/things/{id}": {"get": {"operationId": "getThing", "responses": {
            "2XX": {"description": "ok", "content": {"application/xml": {"schema": {"$ref": "#/components/schemas/T"}},
                                                     "application/octet-stream": {}}},
            "default": {"description": "error", "content": {"application/problem+json": {"schema": {
                "type": "object", "properties": {"status": {"type": "integer"}}}}}}}}}},
        "components": {"schemas": {"T": {"type": "object", "xml": {"name": "thing"}}}},
    }
    contract = Contract("test", document)
    path = "/base/things/1"
    assert contract.base_path == "/base"
    assert contract.check_response("GET", path, 201, "application/xml", b"<thing/>") == []
    assert contract.check_response("GET", path, 200, "application/xml", b"<other/>") == [
        "test GET /base/things/{id} 200: (root): root element <other>, documented <thing>"]
    assert contract.check_response("GET", path, 200, "application/octet-stream", b"\x00\xff") == []
    assert contract.check_response("GET", path, 503, "application/problem+json", b'{"status": 503}') == []
    assert contract.check_response("GET", path, 404, "application/problem+json", b'{"status": "x"}') == [
        "test GET /base/things/{id} 404: /status: 'x' is not of type 'integer'"]
    operation = contract.operation("get", path)
    assert operation is not None and operation.statuses() == {"2XX", "default"}


# -- routing ---------------------------------------------------------------------------------------------


def test_literal_segments_win_over_templates() -> None:
    frends = Contract.load("frends")
    specs = f"{FRENDS}/api-management/api-specifications"

    def operation_id(contract: Contract, method: str, path: str) -> str | None:
        operation = contract.operation(method, path)
        return operation.operation_id if operation else None

    assert operation_id(frends, "POST", f"{specs}/import") == "ImportApiSpecification"
    assert operation_id(frends, "GET", f"{specs}/7") == "GetApiSpecification"
    assert operation_id(frends, "POST", f"{specs}/7/publish") == "PublishApiSpecification"
    assert operation_id(frends, "GET", f"{specs}/7/3") == "GetApiSpecificationVersion"
    assert operation_id(frends, "GET", f"{FRENDS}/processes/batch-export") == "BatchExport"
    assert operation_id(frends, "GET", f"{FRENDS}/processes/12") == "GetProcessById"
    # the literal path wins even for a method only the templated path has
    assert operation_id(frends, "DELETE", f"{FRENDS}/processes/batch-export") is None
    akamai = Contract.load("akamai")
    assert operation_id(akamai, "POST", f"{AKAMAI}/endpoints/files") == "post-endpoints-file"
    assert operation_id(akamai, "GET", f"{AKAMAI}/endpoints/12/versions/1?withUsageInfo=true") == "get-endpoint-version"
    operation = akamai.operation("put", f"{AKAMAI}/endpoints/12/versions/1")
    assert operation == Operation("put-endpoint-version", "PUT", f"{AKAMAI}/endpoints/{{apiEndPointId}}/versions/"
                                  "{versionNumber}", source=None)
    # "401" comes from the recorded defect edgegrid-401-undocumented (akamai-defects.yaml)
    assert operation is not None and operation.statuses() == {"200", "400", "401", "403", "404", "409"}
    akana = Contract.load("akana")
    assert operation_id(akana, "GET", "/api/apis/versions/v1.acme") == "getAPIVersion"
    assert operation_id(akana, "GET", "/api/apis/a1.acme/versions") == "getAPIVersions"


def test_unknown_paths_give_none() -> None:
    akamai = Contract.load("akamai")
    for path in ("/endpoints", AKAMAI, f"{AKAMAI}/", f"{AKAMAI}/endpoints/", f"{AKAMAI}/endpoints/12/nothing",
                 f"{AKAMAI}/endpoints//versions", "/api-definitions/v3/endpoints",
                 f"{AKAMAI}/endpoints/1/versions/1/x/y"):
        assert akamai.operation("GET", path) is None, path
    assert Contract.load("akana").operation("GET", "api/apis") is None
    assert Contract.load("frends").operation("GET", f"{FRENDS}/api-management") is None

