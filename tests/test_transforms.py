from __future__ import annotations

from migrate.core.diagnostics import Code, Report
from migrate.core.model import Api, Operation, Property, Resource, Restrictions, Schema
from migrate.transforms import generated_operation_id, inline_refs, merge_restrictions, unique_operation_ids


def test_generated_ids_are_readable_and_deterministic() -> None:
    assert generated_operation_id("GET", "/pets/{petId}") == "getPetsByPetId"
    assert generated_operation_id("POST", "/") == "postRoot"
    assert generated_operation_id("DELETE", "/user-groups/{id}/members") == "deleteUserGroupsByIdMembers"


def test_unique_operation_ids_fill_and_rename_without_mutating_input() -> None:
    api = Api(title="t", resources=[
        Resource("/a", operations=[Operation("GET", operation_id="list"), Operation("POST")]),
        Resource("/b", operations=[Operation("GET", operation_id="list"), Operation("GET", operation_id="postA")]),
    ])
    report = Report()
    out = unique_operation_ids(api, report)
    ids = [op.operation_id for _, op in out.operations()]
    assert ids == ["list", "postA_2", "list_2", "postA"]
    assert [op.operation_id for _, op in api.operations()] == ["list", None, "list", "postA"]
    assert [d.code for d in report] == [Code.OPERATION_ID_GENERATED, Code.OPERATION_ID_RENAMED]


def test_inline_refs_cuts_recursion_and_reports_it() -> None:
    api = Api(title="t", schemas={
        "Node": Schema(type="object", properties=[Property("child", Schema(ref="Node", pointer="/p"))]),
    })
    report = Report()
    tree = inline_refs(api, Schema(ref="Node"), max_depth=5, report=report)
    child = tree.properties[0].schema
    assert child.ref is None and child.extensions == {"x-cut-ref": "Node"}
    assert [d.code for d in report] == [Code.RECURSION_CUT]
    assert report.items[0].pointer == "/p"


def test_inline_refs_respects_depth() -> None:
    api = Api(title="t", schemas={
        "A": Schema(type="object", properties=[Property("b", Schema(ref="B"))]),
        "B": Schema(type="object", properties=[Property("c", Schema(ref="C"))]),
        "C": Schema(type="string"),
    })
    deep = inline_refs(api, Schema(ref="A"), max_depth=3)
    assert deep.properties[0].schema.properties[0].schema.type == "string"
    report = Report()
    cut = inline_refs(api, Schema(ref="A"), max_depth=2, report=report)
    assert cut.properties[0].schema.properties[0].schema.extensions == {"x-cut-ref": "C"}
    assert len(report) == 1


def test_merge_restrictions_takes_tighter_bounds_and_intersects_enums() -> None:
    a = Restrictions(min_length=1, maximum=10, enum=["a", "b", "c"])
    b = Restrictions(min_length=3, maximum=20, minimum=2, enum=["b", "c", "d"], pattern="^x")
    m = merge_restrictions(a, b)
    assert (m.min_length, m.maximum, m.minimum, m.enum, m.pattern) == (3, 10, 2, ["b", "c"], "^x")
