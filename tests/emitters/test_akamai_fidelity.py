"""Akamai endpoints from minimal specs: '#' fragments in paths, the scheme with --host, which
server gives the host, and scheme-relative server URLs."""

from __future__ import annotations

from pathlib import Path

import pytest

from migrate.conversion.run import Conversion, convert
from migrate.core.diagnostics import Code, Severity
from migrate.emitters.base import EmitOptions
from tests.testsupport import FIXTURES


def _akamai(name: str, host: str | None = None) -> Conversion:
    return convert(FIXTURES / "fidelity" / name, "akamai", EmitOptions(host=host, contract_id="C-1", group_id="1"))


def _codes(conversion: Conversion, code: Code) -> dict[str, str]:
    return {d.pointer: d.message for d in conversion.diagnostics if d.code is code}


def test_fragments_are_removed_from_resource_paths_and_said_at_the_path() -> None:
    conversion = _akamai("path-fragments.yaml")
    doc = conversion.payload.main().document
    paths = {r["resourcePath"]: [m["apiResourceMethod"] for m in r["apiResourceMethods"]]
             for r in doc["apiResources"]}
    assert paths == {"/{Bucket}": ["GET", "POST"], "/{Bucket}/{Key}": ["PUT"]}
    removed = _codes(conversion, Code.RESOURCE_PATH_FRAGMENT)
    assert sorted(removed) == ["/paths/~1{Bucket}#uploads", "/paths/~1{Bucket}~1{Key}#uploadId"]
    assert "'#uploads' is removed" in removed["/paths/~1{Bucket}#uploads"]
    dropped = _codes(conversion, Code.OPERATION_DROPPED)
    assert list(dropped) == ["/paths/~1{Bucket}#uploads/get"]
    assert all(d.severity is Severity.WARNING for d in conversion.diagnostics
               if d.code in (Code.RESOURCE_PATH_FRAGMENT, Code.OPERATION_DROPPED))


@pytest.mark.parametrize("target", ["akana", "frends"])
def test_other_vendor_targets_remove_fragments_too(target: str) -> None:
    conversion = convert(FIXTURES / "fidelity" / "path-fragments.yaml", target)
    assert sorted(_codes(conversion, Code.RESOURCE_PATH_FRAGMENT)) == [
        "/paths/~1{Bucket}#uploads", "/paths/~1{Bucket}~1{Key}#uploadId"]
    assert "#" not in conversion.payload.main().text.replace('"#/components', "")


def test_a_path_without_operations_is_said_to_be_left_out(tmp_path: Path) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text("swagger: '2.0'\ninfo: {title: T, version: '1'}\nhost: h.example.com\npaths:\n"
                    "  /a/{id}:\n    parameters: [{name: id, in: path, required: true, type: string}]\n")
    conversion = convert(spec, "akamai", EmitOptions(contract_id="C-1", group_id="1"))
    assert _codes(conversion, Code.RESOURCE_DROPPED) == {
        "/paths/~1a~1{id}": "resource /a/{id}: no operation Akamai can hold; the path is left out"}


def test_host_option_keeps_the_schemes_of_the_spec() -> None:
    without = _akamai("path-fragments.yaml").payload.main().document
    with_host = _akamai("path-fragments.yaml", host="api.example.com").payload.main().document
    assert without["apiEndPointScheme"] == with_host["apiEndPointScheme"] == "http/https"
    assert with_host["apiEndPointHosts"] == ["api.example.com"]


def test_a_relative_first_server_does_not_hide_the_host_of_a_later_one() -> None:
    conversion = _akamai("servers-relative-first.yaml")
    doc = conversion.payload.main().document
    assert (doc["apiEndPointHosts"], doc["basePath"], doc["apiEndPointScheme"]) == (
        ["api.docker.example"], "/v1.33", "https")
    assert not [d for d in conversion.diagnostics if "names no host" in d.message]


def test_a_scheme_relative_server_gets_both_schemes_and_says_so() -> None:
    conversion = _akamai("servers-scheme-relative.yaml")
    doc = conversion.payload.main().document
    assert (doc["apiEndPointHosts"], doc["apiEndPointScheme"]) == (["cluster.example.local"], "http/https")
    assert "scheme-relative" in _codes(conversion, Code.VALUE_ASSUMED)["/servers/0"]


def test_no_host_message_is_true_when_the_servers_name_hosts() -> None:
    conversion = _akamai("servers-local.yaml")
    [message] = [d.message for d in conversion.diagnostics if d.code is Code.MISSING_REQUIRED_FIELD]
    assert "localhost:8080" in message and "names no host" not in message


def test_an_endpoint_that_fails_akamais_schema_is_an_output_error(tmp_path: Path) -> None:
    (tmp_path / "akamai").mkdir()
    (tmp_path / "akamai" / "endpoint.json.j2").write_text(  # a user's template writing a wrong type
        '{ {% for key, value in endpoint.items() %}{{ key | tojson }}: {{ value | tojson }}, {% endfor %}'
        '"apiResources": "none" }')
    conversion = convert(FIXTURES / "fidelity" / "servers-local.yaml", "akamai",
                         EmitOptions(host="api.example.com", contract_id="C-1", group_id="1", templates_dir=tmp_path))
    [d] = [d for d in conversion.diagnostics if d.code is Code.OUTPUT_INVALID]
    assert d.severity is Severity.ERROR and d.message.startswith("akamai.json fails Akamai's Endpoint schema: ")


def test_a_style_akamai_has_no_collection_format_for_is_a_lost_serialisation() -> None:
    """deepObject (an OpenAPI 3 style) is not a restriction Akamai drops but a serialisation."""
    dropped = _codes(_akamai("serialisation.yaml"), Code.COLLECTION_FORMAT_DROPPED)
    message = dropped["/paths/~1charges~1{id}/get/parameters/2"]
    assert message.startswith("query parameter 'expand': serialisation 'deepObject' is none of Akamai's "
                              "collectionFormat values (csv, ssv, tsv, pipes, multi)")
