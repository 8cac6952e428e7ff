"""The shared-subtree memos of the Akamai path (``InlineMemo``, ``BodyMemo``) change nothing:
trees, payload views and reports equal those built without them, including recursion cuts,
depth cuts and the MAX_NESTING cut reaching into a shared subtree."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from migrate.core.diagnostics import Code, Report
from migrate.core.model import Api, Property, Schema
from migrate.emitters.akamai.params import MAX_NESTING, BodyMemo, body_node
from migrate.transforms import InlineMemo, inline_refs

NAMES = ["A", "B", "C", "D", "E"]

#: a named schema: an object whose members refer to other names (maybe itself), or scalars
member = st.one_of(st.sampled_from(NAMES).map(lambda n: ("ref", n)), st.just(("scalar", "string")),
                   st.sampled_from(NAMES).map(lambda n: ("array", n)))
graphs = st.dictionaries(st.sampled_from(NAMES), st.lists(member, max_size=3), min_size=1)


def _schema(name: str, members: list[tuple[str, str]]) -> Schema:
    props = []
    for i, (kind, value) in enumerate(members):
        where = f"/definitions/{name}/properties/m{i}"
        node = Schema(type="string", pointer=where) if kind == "scalar" else Schema(ref=value, pointer=where)
        if kind == "array":
            node = Schema(type="array", items=node, pointer=where)
        props.append(Property(f"m{i}", node))
    return Schema(type="object", properties=props, pointer=f"/definitions/{name}")


def _api(graph: dict[str, list[tuple[str, str]]]) -> Api:
    return Api(title="t", schemas={name: _schema(name, members) for name, members in graph.items()})


def _diagnostics(report: Report) -> list[tuple[Code, str, str]]:
    return [(d.code, d.pointer, d.message) for d in report]


@settings(max_examples=150, deadline=None)
@given(graph=graphs, roots=st.lists(st.sampled_from(NAMES), min_size=1, max_size=4),
       depth=st.integers(min_value=1, max_value=5))
def test_inline_refs_with_memo_equals_without(graph: dict[str, list[tuple[str, str]]], roots: list[str],
                                              depth: int) -> None:
    api = _api(graph)
    plain, shared = Report(), Report()
    memo = InlineMemo(api)
    for root in roots:
        expected = inline_refs(api, Schema(ref=root, pointer="/body"), depth, plain)
        got = inline_refs(api, Schema(ref=root, pointer="/body"), depth, shared, memo=memo)
        assert got.to_json() == expected.to_json()
    assert _diagnostics(shared) == _diagnostics(plain)


def test_memo_shares_a_repeated_expansion() -> None:
    api = _api({"A": [("ref", "B"), ("ref", "B")], "B": [("scalar", "string")]})
    tree = inline_refs(api, Schema(ref="A"), 4, Report(), memo=InlineMemo(api))
    assert tree.properties[0].schema is tree.properties[1].schema
    assert inline_refs(api, Schema(ref="A"), 4).properties[0].schema is not \
        inline_refs(api, Schema(ref="A"), 4).properties[1].schema


def test_memo_keeps_recursion_cuts_apart_from_plain_expansions() -> None:
    # B under A is cut where A is on the stack (B -> A recursion), not when B is expanded first
    api = _api({"A": [("ref", "B")], "B": [("ref", "A"), ("scalar", "string")]})
    memo, report = InlineMemo(api), Report()
    first = inline_refs(api, Schema(ref="B"), 6, report, memo=memo)
    second = inline_refs(api, Schema(ref="A"), 6, report, memo=memo)
    assert first.to_json() == inline_refs(api, Schema(ref="B"), 6).to_json()
    assert second.to_json() == inline_refs(api, Schema(ref="A"), 6).to_json()
    assert first.properties[0].schema.properties[0].schema.extensions == {"x-cut-ref": "B"}
    assert second.properties[0].schema.properties[0].schema.extensions == {"x-cut-ref": "A"}


def _chain(levels: int, leaf: Schema) -> Schema:
    node = leaf
    for i in range(levels):
        node = Schema(type="object", properties=[Property(f"l{i}", node)], pointer=f"/c{i}")
    return node


def _views(schema: Schema, memo: BodyMemo | None) -> tuple[dict[str, Any], list[tuple[Code, str, str]]]:
    report = Report()
    view = body_node("body", schema, True, 0, report, "/body", memo=memo)
    return view, _diagnostics(report)


def test_body_memo_respects_the_nesting_cut_inside_a_shared_subtree() -> None:
    shared = _chain(4, Schema(type="object", properties=[Property("x", Schema(type="string"))], pointer="/leaf"))
    deep = _chain(MAX_NESTING - 2, shared)
    root = Schema(type="object", properties=[Property("near", shared), Property("far", deep)], pointer="/root")
    got, expected = _views(root, BodyMemo()), _views(root, None)
    assert got == expected
    cuts = [d for d in got[1] if d[0] is Code.SCHEMA_FEATURE_DROPPED and "nested deeper" in d[2]]
    assert cuts, "the far copy is cut at MAX_NESTING"
    near = got[0]["children"][0]
    assert near["apiChildParameters"][0]["apiChildParameters"][0]["apiChildParameters"] != []


@settings(max_examples=100, deadline=None)
@given(graph=graphs, root=st.sampled_from(NAMES), depth=st.integers(min_value=1, max_value=6))
def test_body_views_with_memos_equal_views_without(graph: dict[str, list[tuple[str, str]]], root: str,
                                                   depth: int) -> None:
    api = _api(graph)
    tree = inline_refs(api, Schema(ref=root, pointer="/body"), depth, Report(), memo=InlineMemo(api))
    assert _views(tree, BodyMemo()) == _views(inline_refs(api, Schema(ref=root, pointer="/body"), depth), None)
