"""``api-migrate assess``: what carries over, what is lost, what needs a decision, the effort rule,
deterministic JSON, bad input, and a source that is not a file."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from migrate.assess import effort
from migrate.assess.report import build, render_html
from migrate.assess.run import assess
from migrate.cli import main
from migrate.core.diagnostics import Diagnostic
from migrate.core.errors import UsageError
from migrate.core.model import Api, Operation, Parameter, Resource
from migrate.core.targets import VENDORS, EmitOptions
from tests.testsupport import FIXTURES, SAMPLES

SPECS = FIXTURES / "assess"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def estate(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    out = tmp_path_factory.mktemp("assess")
    code, _, _ = run("assess", str(SPECS), "-o", str(out), "--jobs", "1")
    assert code == 1  # unreadable.yaml could not be read
    doc: dict[str, Any] = json.loads((out / "assessment.json").read_text())
    return doc


def cell(doc: dict[str, Any], api: str, target: str) -> dict[str, Any]:
    found: dict[str, Any] = next(a for a in doc["apis"] if a["name"] == api)["targets"][target]
    return found


def test_every_vendor_is_assessed_by_default(estate: dict[str, Any]) -> None:
    assert estate["targets"] == list(VENDORS)
    assert [a["name"] for a in estate["apis"]] == ["broken", "shop", "unreadable"]
    assert estate["from"] == "files"


def test_carried_counts_follow_what_each_vendor_can_hold(estate: dict[str, Any]) -> None:
    """shop.yaml: 2 paths; GET+TRACE /items (query limit, cookie session), GET /items/{id} (path id).
    Akamai and Akana methods have no TRACE; Akana's Input has no cookie location (seed 003);
    OpenAPI 3.0 (Frends) holds all of it."""
    def counts(target: str) -> dict[str, tuple[int, int]]:
        kept = cell(estate, "shop", target)["carried"]
        return {k: (v["carried"], v["total"]) for k, v in kept.items()}

    assert counts("akamai") == {"resources": (2, 2), "methods": (2, 3), "parameters": (3, 3)}
    assert counts("akana") == {"resources": (2, 2), "methods": (2, 3), "parameters": (2, 3)}
    assert counts("frends") == {"resources": (2, 2), "methods": (3, 3), "parameters": (3, 3)}
    assert cell(estate, "shop", "akana")["lost"]["byCode"]["METHOD_UNSUPPORTED"] == 1
    assert cell(estate, "shop", "akana")["lost"]["byCode"]["PARAMETER_LOCATION_UNSUPPORTED"] == 1
    totals = estate["summary"]["byTarget"]["akana"]["carried"]
    assert totals["methods"] == {"carried": 3, "total": 4}  # shop 2/3 + broken 1/1


def test_decisions_name_the_options_the_vendor_needs(estate: dict[str, Any]) -> None:
    options = {t: {d["option"] for d in cell(estate, "shop", t)["decisions"]} for t in VENDORS}
    assert {"--contract-id", "--group-id"} <= options["akamai"]
    assert "--akana-endpoint" in options["akana"]
    assert options["frends"] == {"--base-path"}  # BASE_PATH_FIXED: fixed at import
    estate_wide = {d["option"]: d for d in estate["decisions"]}
    assert estate_wide["--contract-id"]["targets"] == ["akamai"]
    assert estate_wide["--contract-id"]["apis"] == 2  # shop and broken; unreadable never got that far


def test_a_given_option_is_no_longer_a_decision(tmp_path: Path) -> None:
    code, _, _ = run("assess", str(SPECS / "shop.yaml"), "--to", "akamai", "-o", str(tmp_path), "--jobs", "1",
                     "--contract-id", "C-1", "--group-id", "12")
    assert code == 0
    doc = json.loads((tmp_path / "assessment.json").read_text())
    options = {d["option"] for d in cell(doc, "shop", "akamai")["decisions"]}
    assert not {"--contract-id", "--group-id"} & options
    code, _, _ = run("assess", str(SPECS / "shop.yaml"), "--to", "frends", "-o", str(tmp_path), "--jobs", "1",
                     "--base-path", "/shop")
    frends = cell(json.loads((tmp_path / "assessment.json").read_text()), "shop", "frends")
    assert code == 0 and frends["decisions"] == []  # the base path Frends fixes at import is chosen


def test_unreadable_and_invalid_specs_are_blocked_with_the_reason(estate: dict[str, Any]) -> None:
    for target in VENDORS:
        unreadable = cell(estate, "unreadable", target)
        assert unreadable["effort"] == "blocked" and "invalid YAML" in unreadable["failure"]
        broken = cell(estate, "broken", target)
        assert broken["effort"] == "blocked" and broken["failure"] is None
        assert broken["blockers"][0]["code"] == "SPEC_INVALID"
        assert broken["blockers"][0]["pointer"] == "/paths/~1zz-broken"
    assert estate["summary"]["notRead"] == 1
    assert estate["summary"]["byTarget"]["frends"]["effort"]["blocked"] == 2


def test_the_effort_follows_the_stated_rule(estate: dict[str, Any]) -> None:
    shop = cell(estate, "shop", "akamai")
    assert shop["counted"]["methods"] == 1  # TRACE
    assert shop["points"] == sum(effort.WEIGHTS[k] * n for k, n in shop["counted"].items())
    assert estate["effortRule"]["text"] == effort.rule()["text"]
    assert "5 x methods" in estate["effortRule"]["text"] and "medium 6-25" in estate["effortRule"]["text"]


@pytest.mark.parametrize(("counts", "blocked", "expected"), [
    ({}, False, "trivial"),
    ({"decisions": 2, "changes": 3}, False, "low"),
    ({"methods": 1, "decisions": 1}, False, "medium"),
    ({"policies": 25}, False, "medium"),
    ({"methods": 5, "parameters": 1}, False, "high"),
    ({}, True, "blocked"),
])
def test_effort_levels(counts: dict[str, int], blocked: bool, expected: str) -> None:
    assert effort.level(counts, blocked) == expected


def test_most_frequent_losses_are_counted_per_target(estate: dict[str, Any]) -> None:
    losses = {row["code"]: row for row in estate["losses"]}
    assert losses["METHOD_UNSUPPORTED"]["byTarget"] == {"akamai": 1, "akana": 1, "frends": 0}
    assert losses["METHOD_UNSUPPORTED"]["examples"] == ["shop"]
    counts = [row["count"] for row in estate["losses"]]
    assert counts == sorted(counts, reverse=True)
    assert all(row["code"] not in ("MISSING_REQUIRED_FIELD", "BOUND_ADJUSTED") for row in estate["losses"])


def test_json_is_the_same_in_parallel_and_inline(tmp_path: Path) -> None:
    inline, parallel = tmp_path / "inline", tmp_path / "parallel"
    assert run("assess", str(SAMPLES), "-o", str(inline), "--jobs", "1")[0] == 0
    assert run("assess", str(SAMPLES), "-o", str(parallel), "--jobs", "2")[0] == 0
    assert (inline / "assessment.json").read_bytes() == (parallel / "assessment.json").read_bytes()
    assert (inline / "assessment.html").read_bytes() == (parallel / "assessment.html").read_bytes()


def test_the_text_summary(tmp_path: Path) -> None:
    code, out, err = run("assess", str(SAMPLES / "petstore-swagger2.yaml"), "--to", "frends,akana", "-o",
                         str(tmp_path), "--jobs", "1")
    assert code == 0
    assert out.splitlines()[0].startswith("1 API assessed for frends, akana")
    assert re.search(r"^  frends  1 low; methods carried 6/6$", out, re.M)
    assert out.rstrip().endswith(f"report: {tmp_path / 'assessment.html'}")
    assert re.fullmatch(r"assessed in \d+\.\d s\n", err)


@pytest.mark.parametrize(("args", "message"), [
    (["--to", "openapi"], "api-migrate: --to openapi: choose from akamai, akana, frends"),
    (["--to", ","], "api-migrate: --to: give at least one vendor"),
    (["--contract-id", "C-1", "--host", "https://x"], "api-migrate: --host 'https://x': give a hostname alone"),
])
def test_bad_options_are_one_line_usage_errors(tmp_path: Path, args: list[str], message: str) -> None:
    code, _, err = run("assess", str(SAMPLES), "-o", str(tmp_path / "o"), *args)
    assert code == 2 and err.startswith(message) and err.count("\n") == 1
    assert not (tmp_path / "o").exists()


def test_bad_paths_are_one_line_usage_errors(tmp_path: Path) -> None:
    code, _, err = run("assess", str(tmp_path / "missing"), "-o", str(tmp_path / "o"))
    assert code == 2 and err == f"api-migrate: {tmp_path / 'missing'}: no such file or folder\n"
    (tmp_path / "empty").mkdir()
    code, _, err = run("assess", str(tmp_path / "empty"), "-o", str(tmp_path / "o"))
    assert code == 2 and err == f"api-migrate: no specs found in {tmp_path / 'empty'}\n"
    code, _, err = run("assess", str(SPECS / "unreadable.yaml"), "-o", str(tmp_path / "o"))
    unreadable = SPECS / "unreadable.yaml"
    assert code == 2 and err.startswith(f"api-migrate: no API could be read: {unreadable}:3: invalid YAML")
    assert err.count("\n") == 1 and not (tmp_path / "o").exists()


def test_html_escapes_what_the_spec_says(tmp_path: Path) -> None:
    spec = tmp_path / "evil.yaml"
    spec.write_text('openapi: 3.0.3\ninfo: {title: "<script>alert(1)</script>", version: "1"}\npaths: {}\n')
    assert run("assess", str(spec), "-o", str(tmp_path / "o"))[0] == 0
    html = (tmp_path / "o" / "assessment.html").read_text()
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


@dataclass(frozen=True)
class ModelSource:
    """A source that is not a file: what a vendor pull will hand to the assessment."""

    name: str
    api: Api

    @property
    def origin(self) -> str:
        return f"memory:{self.name}"

    def load(self) -> tuple[Api, list[Diagnostic]]:
        return self.api, []


def test_any_source_with_a_model_can_be_assessed() -> None:
    api = Api(title="Pulled", version="3", resources=[
        Resource("/a", operations=[Operation("GET", parameters=[Parameter("q", "query")], pointer="/paths/~1a/get")],
                 pointer="/paths/~1a"),
    ])
    apis = assess([ModelSource("pulled", api)], ["frends"], EmitOptions(base_path="/a"))
    doc = build(apis, ("frends",), "memory")
    row = doc["apis"][0]
    assert row["source"] == "memory:pulled" and row["title"] == "Pulled"
    assert row["targets"]["frends"]["carried"]["parameters"] == {"carried": 1, "total": 1}
    assert "pulled" in render_html(doc)
    with pytest.raises(UsageError, match="two APIs to assess are named 'pulled' \\(memory:pulled\\)"):
        assess([ModelSource("pulled", api), ModelSource("pulled", api)], ["frends"], EmitOptions())


def test_specs_are_found_and_named_as_batch_finds_them(tmp_path: Path) -> None:
    from migrate.assess.sources import file_sources
    from migrate.batch.jobs import discover
    from migrate.readers import ReadOptions

    manifest = tmp_path / "estate.yaml"
    manifest.write_text(f"- spec: {SAMPLES / 'library-raml08'}\n- spec: {SPECS / 'shop.yaml'}\n  targets: akana\n")
    paths = [SAMPLES, SPECS / "shop.yaml", manifest]
    ours = file_sources(paths, ReadOptions(), tmp_path / "out")
    batch = discover(paths, ("akamai",), EmitOptions(), ReadOptions(), tmp_path / "out")
    assert [(s.name, s.path) for s in ours.sources] == [(j.name, j.path) for j in batch.jobs]
    assert ours.skipped_files == batch.skipped_files
    manifest.write_text("- spec: nowhere.yaml\n")
    code, _, err = run("assess", str(manifest), "-o", str(tmp_path / "o"))
    missing = tmp_path / "nowhere.yaml"
    assert code == 2 and err == f"api-migrate: {manifest} entry 1: {missing}: no such file or folder\n"


def test_the_readme_example_is_what_assess_prints(tmp_path: Path) -> None:
    from tests.testsupport import ROOT

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Assessing an estate"):]
    section = section[:section.index("\n## ")]
    command = section[section.index("```sh\n") + 6:].split("\n```", 1)[0].split()
    assert command == ["api-migrate", "assess", "samples", "-o", "out/assessment"]
    shown = section[section.index("```text\n") + 8:].split("\n```", 1)[0]
    code, out, _ = run("assess", str(SAMPLES), "-o", str(tmp_path / "assessment"))
    assert code == 0
    assert out == shown.replace("out/assessment", str(tmp_path / "assessment")) + "\n"
    levels = re.search(r"0 trivial, 1-5 low, 6-25 medium, 26\+ high", " ".join(section.split()))
    assert levels and "rated trivial 0, low 1-5, medium 6-25, high 26+" in effort.rule()["text"]
    doc = json.loads((tmp_path / "assessment" / "assessment.json").read_text())
    carried = json.dumps(cell(doc, "petstore-swagger2", "akana")["carried"])
    assert carried in " ".join(section.replace("`", "").split())


@dataclass(frozen=True)
class DyingSource:
    """Kills the worker process that loads it (as the out-of-memory killer would)."""

    name: str = "dies"

    @property
    def origin(self) -> str:
        return "memory:dies"

    def load(self) -> tuple[Api, list[Diagnostic]]:
        import os

        os._exit(9)


def test_a_worker_that_dies_costs_only_its_own_api() -> None:
    api = Api(title="Fine", resources=[Resource("/a", operations=[Operation("GET", pointer="/paths/~1a/get")],
                                                pointer="/paths/~1a")])
    apis = assess([ModelSource("fine", api), DyingSource()], ["akana"], EmitOptions(), jobs=2)
    assert [a["name"] for a in apis] == ["fine", "dies"]
    assert apis[0]["failure"] is None and apis[0]["targets"]["akana"]["carried"]["methods"]["carried"] == 1
    assert apis[1]["failure"] == "worker process died (killed or out of memory)"
    assert apis[1]["targets"]["akana"]["effort"] == "blocked"
