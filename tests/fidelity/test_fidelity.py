"""The independent fidelity check: every fact of a source spec (tests/fidelity/facts.py, read
from the OpenAPI Specification's definitions) is carried by the output with the same meaning
(tests/fidelity/carried.py for OpenAPI 3.0.3, Frends and Akamai, tests/fidelity/akana.py for
Akana's body), or the loss report names it at its pointer with a code that is a true reason for
that kind of loss. What a target can hold, and which codes name which loss, are data
(targets.yaml): a fact of a kind the target cannot hold must be named.

Every output must also pass its target's validator (openapi-spec-validator, Akamai's schema).
Runs on every sample (default run: OpenAPI/Swagger facts from the document, RAML 0.8 facts from
the reference parser's summary in tests/fixtures/raml/oracle-samples.json, plus the RAML root's
servers, baseUriParameters and securedBy read from the document), on the regression specs of
tests/fixtures/fidelity, and on every spec of the corpus (``-m corpus``; skipped with the reason
when ../shared/corpus is absent).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from migrate.conversion.run import convert
from migrate.core.diagnostics import Code, Diagnostic
from migrate.core.errors import MigrateError
from migrate.emitters.base import EmitOptions
from tests.fidelity.akana import akana_carried, akana_xml_body
from tests.fidelity.carried import akamai_carried, carried
from tests.fidelity.facts import Fact, Facts, load, source_facts
from tests.fidelity.raml_facts import SAMPLES_SUMMARY, raml_facts, root_facts, summaries
from tests.testsupport import CORPUS, FIXTURES, ROOT, SAMPLES

TARGETS: dict[str, Any] = yaml.safe_load((Path(__file__).parent / "targets.yaml").read_text())
CHECKED = ("openapi", "frends", "akamai", "akana")
#: the samples and fixtures are also checked in Akana's XML form (the same body as XML)
ALL_FORMS = (*CHECKED, "akana-xml")
#: Akamai needs these from the command line; the spec's own servers give the host
OPTIONS = {"akamai": EmitOptions(contract_id="C-1", group_id="1"), "akana-xml": EmitOptions(akana_format="xml")}
CARRIED = {"akamai": akamai_carried, "akana": akana_carried, "akana-xml": akana_carried}
#: how an output document is read before CARRIED looks at it (default: as parsed JSON)
READ = {"akana-xml": akana_xml_body}


def _is_openapi(path: Path) -> bool:
    try:
        doc = load(path)
    except (yaml.YAMLError, UnicodeDecodeError, RecursionError):
        return False
    return isinstance(doc, dict) and ("openapi" in doc or "swagger" in doc) and isinstance(doc.get("paths"), dict)


def _samples() -> list[Path]:
    return sorted(p for p in SAMPLES.rglob("*") if p.suffix in (".yaml", ".yml", ".json") and _is_openapi(p))


def lost(spec: Path, target: str, facts: Facts | None = None) -> list[str]:
    """Facts of ``spec`` neither carried by the ``target`` output nor named in its report, and
    any finding of the target's own validator in the output (it must be valid)."""
    facts = facts or source_facts(load(spec))
    try:
        conversion = convert(spec, TARGETS[target].get("target", target), OPTIONS.get(target))
    except MigrateError:
        return []  # unusable input is an error of its own (tests/test_cli_errors.py)
    doc = READ.get(target, lambda d: d)(conversion.payload.main().document)
    table = TARGETS[target]
    out = [f"invalid output: {d.message}" for d in conversion.diagnostics if d.code is Code.OUTPUT_INVALID]
    for fact in facts.items:
        held = fact.kind in table["holds"] and (fact.kind != "operation" or fact.key[1] in table["methods"])
        if held and CARRIED.get(target, carried)(doc, fact):
            continue
        if not _reported(fact, conversion.diagnostics):
            near = sorted({d.code.name for d in conversion.diagnostics if d.pointer in fact.pointers})
            out.append(f"{fact.kind} {fact.key} = {fact.value!r} at {fact.pointers[0]}"
                       + ("" if held else " (the target cannot hold it)") + (f"; named only by {near}" if near else ""))
    return out


def reasons(fact: Fact) -> set[str]:
    """The codes that give a true reason for losing ``fact`` (targets.yaml ``reasons``)."""
    table = TARGETS["reasons"]

    def expand(entries: list[str]) -> set[str]:
        return set().union(*(expand(_entries(e[1:])) if e.startswith("@") else {e} for e in entries))

    def _entries(kind: str) -> list[str]:
        entry = table[kind]
        if isinstance(entry, dict):  # per keyword (restriction)
            return [*entry.get(fact.key[-1], []), *entry["any"]]
        return list(entry)

    return expand([*_entries(fact.kind), *table["all"]])


def _reported(fact: Fact, diagnostics: list[Diagnostic]) -> bool:
    """A diagnostic at one of the fact's pointers whose code is a true reason for the loss."""
    suffixes = tuple(p[1:] for p in fact.pointers if p.startswith("*/"))  # "*/x/y": any pointer ending so
    why = reasons(fact)
    return any((d.pointer in fact.pointers or (suffixes and d.pointer.endswith(suffixes))) and d.code.name in why
               for d in diagnostics)


@pytest.mark.parametrize("target", ALL_FORMS)
@pytest.mark.parametrize("spec", _samples(), ids=lambda p: p.name)
def test_every_fact_of_a_sample_is_carried_or_reported(spec: Path, target: str) -> None:
    assert lost(spec, target) == []


@pytest.mark.parametrize("target", ALL_FORMS)
@pytest.mark.parametrize("doc", sorted(summaries(SAMPLES_SUMMARY)))
def test_every_fact_of_a_raml_sample_is_carried_or_reported(doc: str, target: str) -> None:
    entry = summaries(SAMPLES_SUMMARY)[doc]
    assert lost(ROOT / doc, target, raml_facts(ROOT / doc, entry["resources"])) == []


def test_the_check_sees_a_lost_fact(tmp_path: Path) -> None:
    """A fact the output does not carry and the report does not name is found (the check can fail)."""
    spec = tmp_path / "spec.yaml"
    spec.write_text("openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths:\n  /a:\n    get:\n"
                    "      parameters: [{name: q, in: query, schema: {type: string, enum: [x, y]}}]\n"
                    "      responses: {'200': {description: ok}}\n")
    facts = source_facts(load(spec))
    doc = convert(spec, "openapi").payload.main().document
    doc["paths"]["/a"]["get"]["parameters"][0]["schema"].pop("enum")
    missing = [f for f in facts.items if not carried(doc, f)]
    assert [(f.kind, f.value) for f in missing] == [("enum", ["x", "y"])]


@cache
def _corpus_specs() -> list[Path]:
    if not CORPUS.is_dir():
        return []
    roots = [CORPUS / "openapi3", CORPUS / "swagger20", CORPUS / "large"]
    return sorted(p for root in roots for p in root.rglob("*") if p.suffix in (".yaml", ".yml", ".json")
                  and p.stat().st_size < 5_000_000 and _is_openapi(p))


@pytest.mark.corpus
@pytest.mark.parametrize("target", CHECKED)
def test_every_fact_of_the_corpus_is_carried_or_reported(target: str) -> None:
    specs = _corpus_specs()
    if not specs:
        pytest.skip(f"the corpus is not at {CORPUS} (the reference material in ../shared)")
    found = {str(spec.relative_to(CORPUS)): lost(spec, target) for spec in specs}
    found = {name: facts for name, facts in found.items() if facts}
    assert found == {}, f"{sum(map(len, found.values()))} facts lost silently in {len(found)} specs"


@pytest.mark.corpus
@pytest.mark.parametrize("target", CHECKED)
def test_every_fact_of_the_raml_corpus_is_carried_or_reported(target: str) -> None:
    """RAML 0.8 APIs, with the facts the reference parser gives (tests/fidelity/raml_facts.py)."""
    folder = CORPUS / "raml08" / "raml-apis"
    if not folder.is_dir():
        pytest.skip(f"the corpus is not at {CORPUS} (the reference material in ../shared)")
    found = {doc: lost(folder / doc, target, raml_facts(folder / doc, entry["resources"]))
             for doc, entry in summaries().items()}
    found = {doc: facts for doc, facts in found.items() if facts}
    assert found == {}, f"{sum(map(len, found.values()))} facts lost silently in {len(found)} RAML APIs"


def test_every_reason_is_a_registered_code() -> None:
    names = {c.name for c in Code}
    table = TARGETS["reasons"]
    listed = {e for v in table.values() for e in (v if isinstance(v, list) else [x for xs in v.values() for x in xs])}
    assert {e for e in listed if not e.startswith("@")} <= names
    assert {e[1:] for e in listed if e.startswith("@")} <= set(table)


def test_a_loss_named_with_a_false_reason_is_not_reported() -> None:
    """An enum named only by a description's loss at its parameter is still lost."""
    fact = Fact("enum", ("/a", "GET", "q", "query"), ["x"], ("/paths/~1a/get/parameters/0", "/paths/~1a/get"))
    at = fact.pointers[0]
    assert not _reported(fact, [Diagnostic(Code.DESCRIPTION_DROPPED, at, "m")])
    assert _reported(fact, [Diagnostic(Code.ENUM_DROPPED, at, "m")])
    assert _reported(fact, [Diagnostic(Code.METHOD_UNSUPPORTED, fact.pointers[1], "m")])  # its operation is left out


def _fixtures() -> list[Path]:
    folder = FIXTURES / "fidelity"
    return sorted(p for p in folder.rglob("*")
                  if p.suffix == ".raml" or (p.suffix in (".yaml", ".json") and _is_openapi(p)))


@pytest.mark.parametrize("target", ALL_FORMS)
@pytest.mark.parametrize("spec", _fixtures(), ids=lambda p: p.name)
def test_every_fact_of_a_regression_fixture_is_carried_or_reported(spec: Path, target: str) -> None:
    """The minimal specs of tests/fixtures/fidelity (RAML: the root's servers and security)."""
    if spec.suffix == ".raml":
        facts = Facts()
        root_facts(load(spec), facts)
        assert facts.items, spec
    else:
        facts = source_facts(load(spec))
    assert lost(spec, target, facts) == []
