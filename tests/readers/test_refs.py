"""$ref resolution: the safety rules, failures that name the reference, and a multi-file spec."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from migrate.core.errors import RefError
from migrate.readers import ReadOptions, read_spec
from tests.readers.test_openapi_helpers import oas, op_of, read_doc, write
from tests.testsupport import FIXTURES

MULTI = FIXTURES / "openapi" / "multifile" / "api.yaml"


def schema_ref(ref: str) -> dict[str, Any]:
    return oas(components={"schemas": {"S": {"type": "object", "properties": {"p": {"$ref": ref}}}}})


def refused(tmp_path: Path, doc: dict[str, Any], options: ReadOptions | None = None) -> RefError:
    with pytest.raises(RefError) as info:
        read_doc(tmp_path / "spec", doc, options)
    return info.value


def test_ref_outside_root_folder_is_refused_with_file_pointer_and_line(tmp_path: Path) -> None:
    write(tmp_path, {"type": "string"}, "outside.json")
    err = refused(tmp_path, schema_ref("../outside.json"))
    assert err.path == str((tmp_path / "spec" / "spec.json").resolve())
    assert err.pointer == "/components/schemas/S/properties/p/$ref"
    assert err.line == 1  # JSON on one line
    assert "'../outside.json'" in err.reason and "outside the root folder" in err.reason
    assert "../outside.json" in str(err)


def test_ref_root_permits_a_wider_folder(tmp_path: Path) -> None:
    write(tmp_path, {"type": "string", "maxLength": 3}, "outside.json")
    api, _ = read_doc(tmp_path / "spec", schema_ref("../outside.json"), ReadOptions(ref_root=tmp_path))
    assert api.schemas["outside"].restrictions.max_length == 3


def test_absolute_file_path_outside_root_is_refused(tmp_path: Path) -> None:
    target = write(tmp_path, {"type": "string"}, "abs.json")
    assert "outside the root folder" in refused(tmp_path, schema_ref(str(target))).reason
    assert "outside the root folder" in refused(tmp_path, schema_ref(target.as_uri())).reason


@pytest.mark.parametrize("ref", ["http://example.com/s.json#/S", "https://example.com/s.yaml"])
def test_remote_ref_is_refused_by_default(tmp_path: Path, ref: str) -> None:
    err = refused(tmp_path, schema_ref(ref))
    assert ref in err.reason and "remote references are refused" in err.reason


@pytest.fixture
def http_folder(tmp_path: Path) -> Iterator[str]:
    served = tmp_path / "served"
    write(served, {"Remote": {"type": "integer", "minimum": 7}}, "defs.json")

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, directory=str(served), **kwargs)

        def log_message(self, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Quiet)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_remote_ref_is_fetched_when_allowed(tmp_path: Path, http_folder: str) -> None:
    doc = schema_ref(f"{http_folder}/defs.json#/Remote")
    api, _ = read_doc(tmp_path, doc, ReadOptions(allow_remote_refs=True))
    assert api.schemas["S"].properties[0].schema.ref == "defs_Remote"
    assert api.schemas["defs_Remote"].restrictions.minimum == 7
    err = refused(tmp_path, schema_ref(f"{http_folder}/missing.json"), ReadOptions(allow_remote_refs=True))
    assert "HTTP 404" in err.reason


def test_unresolvable_local_ref_names_it(tmp_path: Path) -> None:
    err = refused(tmp_path, schema_ref("#/components/schemas/Nope"))
    assert "'#/components/schemas/Nope'" in err.reason and "'Nope' not found" in err.reason
    assert err.pointer == "/components/schemas/S/properties/p/$ref"


def test_missing_sibling_file_names_the_file(tmp_path: Path) -> None:
    err = refused(tmp_path, schema_ref("defs/missing.yaml#/X"))
    assert "missing file defs/missing.yaml" in err.reason


def test_broken_sibling_file_is_a_ref_error(tmp_path: Path) -> None:
    write(tmp_path / "spec", "a: [unclosed", "bad.yaml")
    err = refused(tmp_path, schema_ref("bad.yaml#/a"))
    assert "cannot read bad.yaml" in err.reason and "invalid YAML" in err.reason


@pytest.mark.parametrize("schemas", [
    {"A": {"$ref": "#/components/schemas/B"}, "B": {"$ref": "#/components/schemas/A"}},
    {"A": {"$ref": "#/components/schemas/A"}},
])
def test_cycle_through_refs_alone_is_refused(tmp_path: Path, schemas: dict[str, Any]) -> None:
    err = refused(tmp_path, oas(components={"schemas": schemas}))
    assert "cycles through references alone" in err.reason


def test_parameter_ref_cycle_is_refused(tmp_path: Path) -> None:
    doc = oas({"/x": {"get": {"parameters": [{"$ref": "#/components/parameters/A"}], "responses": {}}}},
              components={"parameters": {"A": {"$ref": "#/components/parameters/B"},
                                         "B": {"$ref": "#/components/parameters/A"}}})
    assert "cycles" in refused(tmp_path, doc).reason


def test_alias_chain_reads(tmp_path: Path) -> None:
    api, _ = read_doc(tmp_path, oas(components={"schemas": {
        "A": {"$ref": "#/components/schemas/B"}, "B": {"type": "string"}}}))
    assert api.schemas["A"].ref == "B" and api.resolve(api.schemas["A"]).type == "string"


def test_fragment_without_slash_is_repaired(tmp_path: Path) -> None:
    api, report = read_doc(tmp_path, schema_ref("#components/schemas/S"))
    assert api.schemas["S"].properties[0].schema.ref == "S"
    assert [d.code.name for d in report] == ["SOURCE_VALUE_REPAIRED"]


def test_percent_encoded_pointer(tmp_path: Path) -> None:
    doc = oas(components={"schemas": {"A B": {"type": "string"},
                                      "S": {"properties": {"p": {"$ref": "#/components/schemas/A%20B"}}}}})
    api, _ = read_doc(tmp_path, doc)
    assert api.schemas["S"].properties[0].schema.ref == "A B"


# -- the multi-file fixture ---------------------------------------------------------------------
def test_multi_file_spec_reads() -> None:
    api = read_spec(MULTI)
    assert list(api.schemas) == ["Item", "schemas_Limit", "schemas_Error", "tree"]
    listing = op_of(api, "/items")
    assert listing.operation_id == "listItems"
    (limit,) = listing.parameters
    assert (limit.name, limit.type, limit.restrictions.maximum) == ("limit", "integer", 100)
    assert listing.responses[0].contents[0].schema.items.ref == "Item"
    one = op_of(api, "/items/{id}")
    assert [(p.name, p.location, p.restrictions.minimum) for p in one.parameters] == [("id", "path", 1)]
    assert one.responses[1].contents[0].schema.ref == "schemas_Error"


def test_multi_file_recursive_schemas_refer_back_to_themselves() -> None:
    api = read_spec(MULTI)
    error = api.schemas["schemas_Error"]
    assert [(p.name, p.schema.ref) for p in error.properties] == [("message", None), ("cause", "schemas_Error")]
    tree = api.schemas["tree"]
    items = tree.properties[1].schema.items
    assert items is not None and items.ref == "tree"


def test_multi_file_pointers_stay_in_the_root_document() -> None:
    api = read_spec(MULTI)
    (limit,) = op_of(api, "/items").parameters
    assert limit.pointer == "/paths/~1items/get/parameters/0"
    assert api.schemas["Item"].properties[1].schema.pointer == "/components/schemas/Item/properties/tree"
