"""A spec larger than a worker's share of the batch is split over the workers by target
(``migrate.batch.run.split``), and its parts' results are merged into the one result a single
worker would have given (``merged``): same payloads, same report but for the timings."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path
from typing import Any

import pytest

from migrate.batch import run
from migrate.batch.jobs import Job
from migrate.batch.run import SPLIT_MIN_BYTES, merged, run_batch, split
from migrate.batch.worker import SpecResult, TargetResult
from migrate.core.status import SpecStatus
from migrate.emitters.base import EmitOptions
from migrate.readers import ReadOptions
from tests.testsupport import FIXTURES

sys.path.insert(0, str(FIXTURES / "batch"))  # spawned workers inherit sys.path
from fakes import CHECKED

ALL = ("akamai", "akana", "frends", "openapi")
BIG = 4 * SPLIT_MIN_BYTES


def job(targets: tuple[str, ...] = ALL) -> Job:
    return Job(Path("spec.json"), targets, EmitOptions(), ReadOptions(), Path("out"), "spec", "key")


def test_a_spec_smaller_than_a_worker_s_share_or_than_the_minimum_is_not_split() -> None:
    assert split(job(), 2, BIG, share=BIG) == [job()]  # not larger than the share
    assert split(job(), 2, SPLIT_MIN_BYTES - 1, share=1) == [job()]  # small
    assert split(job(), 1, BIG, share=1) == [job()]  # one worker
    assert split(job(("openapi",)), 2, BIG, share=1) == [job(("openapi",))]  # one target


def test_a_large_spec_is_split_into_parts_that_share_its_targets_and_check_the_source_once() -> None:
    parts = split(job(), 2, BIG, share=BIG / 3)
    assert [(p.targets, p.check_source) for p in parts] == [(("akamai", "akana"), True),
                                                            (("frends", "openapi"), False)]
    assert all(p.name == "spec" and p.key == "key" for p in parts)
    # more workers: the source check is the dearest single part, so the other targets stay two
    # parts rather than leaving a part with no target at all
    parts = split(job(), 4, BIG, share=BIG / 8)
    assert sorted(t for p in parts for t in p.targets) == sorted(ALL)
    assert all(p.targets for p in parts) and [p.check_source for p in parts].count(True) == 1


def test_targets_that_would_leave_a_part_without_a_target_are_not_split() -> None:
    assert split(job(("akana", "openapi")), 2, BIG, share=1) == [job(("akana", "openapi"))]


def _target(name: str, status: str = "ok", error: str | None = None) -> TargetResult:
    return TargetResult(name, status, {"error": 0, "warning": 0, "info": 0}, {}, [f"spec/{name}/x.json"], 0.5, error)


def test_merged_parts_read_as_one_worker_s_result() -> None:
    source = {"valid": True, "errors": 0, "warnings": 0, "first": None}
    first = SpecResult("spec", "spec.json", "key", SpecStatus.WARNINGS,
                       [_target("akamai", "warnings"), _target("akana", "warnings")], None, seconds=1.0, source=source)
    second = SpecResult("spec", "spec.json", "key", SpecStatus.FAILED,
                        [_target("frends", "failed", "cannot build"), _target("openapi", "errors")],
                        "frends: cannot build", seconds=0.25)
    # the parts come back in either order
    for parts in ([first, second], [second, first]):
        result = merged(job(), parts)
        assert [t.target for t in result.targets] == list(ALL)
        assert result.status == SpecStatus.FAILED  # the worst of the parts
        assert result.failure == "frends: cannot build"
        assert result.source == first.source
        assert result.seconds == 1.25


def test_a_read_failure_or_crash_of_a_part_is_the_spec_s() -> None:
    message = "RuntimeError: boom"
    crashed = SpecResult("spec", "spec.json", "key", SpecStatus.CRASH,
                         [_target("frends", "failed", message), _target("openapi", "failed", message)], message)
    fine = SpecResult("spec", "spec.json", "key", SpecStatus.OK, [_target("akamai"), _target("akana")], None)
    result = merged(job(), [fine, crashed])
    assert result.status == SpecStatus.CRASH and result.failure == message
    # every target failed with the message, as when one worker cannot read the spec
    assert [(t.target, t.status, t.error) for t in result.targets] == [(name, "failed", message) for name in ALL]


def test_a_part_whose_worker_died_makes_the_spec_a_crash_as_one_worker_s_death_does() -> None:
    from migrate.batch.run import died

    ok = SpecResult("spec", "spec.json", "key", SpecStatus.OK, [_target("akamai"), _target("akana")], None,
                    source={"valid": True, "errors": 0, "warnings": 0, "first": None})
    lost = died(split(job(), 2, BIG, share=1)[1])
    assert merged(job(), [ok, lost]) == merged(job(), [lost, ok]) == died(job())


def _report(out: Path) -> dict[str, Any]:
    def strip(value: Any) -> Any:  # the timings differ from run to run
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items() if k not in ("seconds", "elapsed")}
        if isinstance(value, list):
            return [strip(v) for v in value]
        return value

    report: dict[str, Any] = strip(json.loads((out / "report.json").read_text()))
    return report


def _batch(src: Path, out: Path, jobs: int, pipeline: Any = CHECKED) -> int:
    return run_batch([src], list(ALL), out, EmitOptions(), ReadOptions(), jobs, False, "json", False,
                     pipeline=pipeline, out=io.StringIO())


def test_a_batch_whose_specs_are_all_split_reports_what_one_worker_reports(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    src = tmp_path / "specs"
    src.mkdir()
    for name, flags in {"good": "", "lossy": "LOSSY", "broken": "BAD", "crashing": "CRASH", "half": "EMITFAIL",
                        "rejected": "REJECT UNSOUND", "repaired": "REPAIR"}.items():
        (src / f"{name}.yaml").write_text(f"openapi: 3.0.0\ntitle: {name}\n# {flags}\n", encoding="utf-8")
    one = _batch(src, tmp_path / "one", 1)
    parts: list[Job] = []
    original = run.split

    def every_spec(job: Job, jobs: int, size: int, share: float) -> list[Job]:
        found = original(job, jobs, SPLIT_MIN_BYTES, share=1)
        parts.extend(found)
        return found

    monkeypatch.setattr(run, "split", every_spec)
    two = _batch(src, tmp_path / "two", 2)
    assert len(parts) == 14  # every spec in two parts
    assert one == two == 1
    assert _report(tmp_path / "two") == _report(tmp_path / "one")
    specs = {s["name"]: s for s in _report(tmp_path / "two")["specs"]}
    assert specs["crashing"]["status"] == "crash" and specs["broken"]["status"] == "failed"
    assert specs["rejected"]["status"] == "errors" and specs["rejected"]["source"]["valid"] is False
    journal = (tmp_path / "two" / ".batch-journal.jsonl").read_text().splitlines()
    assert len(journal) == 7  # one line per spec, after all its parts


def test_a_worker_that_dies_in_one_part_gives_the_report_of_a_worker_that_dies_in_the_whole(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The part emitting frends dies (twice: the retry dies too); the other part finishes. The spec
    is a crash with every target failed, as without the split, and the other specs keep their
    own results."""
    src = tmp_path / "specs"
    src.mkdir()
    for name, flags in {"dying": "QUITFRENDS", "fine": "", "lossy": "LOSSY"}.items():
        (src / f"{name}.yaml").write_text(f"openapi: 3.0.0\ntitle: {name}\n# {flags}\n", encoding="utf-8")
    monkeypatch.setattr(run, "split", lambda job, jobs, size, share: [job])
    _batch(src, tmp_path / "whole", 2)
    original = split
    monkeypatch.setattr(run, "split", lambda job, jobs, size, share: original(job, jobs, SPLIT_MIN_BYTES, share=1))
    _batch(src, tmp_path / "parts", 2)
    whole, parts = _report(tmp_path / "whole"), _report(tmp_path / "parts")
    assert parts == whole
    dying = next(s for s in parts["specs"] if s["name"] == "dying")
    assert dying["status"] == "crash" and {t["status"] for t in dying["targets"].values()} == {"failed"}


def _large_spec(path: Path, operations: int) -> Path:
    paths = {f"/items{i}/{{id}}": {"get": {
        "operationId": f"get{i}", "summary": f"item {i}",
        "parameters": [{"name": "id", "in": "path", "required": True,
                        "schema": {"type": "string", "pattern": "^[a-z]+$"}}],
        "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {
            "type": "object", "properties": {"id": {"type": "string"}, "count": {"type": "integer", "minimum": 0}}}}}}},
    }} for i in range(operations)}
    doc = {"openapi": "3.0.3", "info": {"title": "Large", "version": "1"}, "servers": [{"url": "https://api.example.com/v1"}],
           "paths": paths}
    path.write_text(json.dumps(doc, indent=2), encoding="utf-8")
    return path


def test_one_large_real_spec_is_converted_on_two_workers_with_the_same_payloads(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No stand-ins: a spec over ``SPLIT_MIN_BYTES``, alone in its batch, goes to both workers, and
    every file written is the one a single worker writes."""
    joined: list[int] = []

    def spy(job: Job, parts: list[SpecResult]) -> SpecResult:
        joined.append(len(parts))
        return merged(job, parts)

    monkeypatch.setattr(run, "merged", spy)
    src = tmp_path / "specs"
    src.mkdir()
    spec = _large_spec(src / "large.json", 1200)
    assert spec.stat().st_size > SPLIT_MIN_BYTES
    assert len(split(job(), 2, spec.stat().st_size, spec.stat().st_size / 2)) == 2
    for jobs, out in ((1, "one"), (2, "two")):
        run_batch([src], list(ALL), tmp_path / out, EmitOptions(), ReadOptions(), jobs, False, "json", False,
                  out=io.StringIO())
    one = {p.relative_to(tmp_path / "one"): p.read_bytes() for p in (tmp_path / "one").rglob("*")
           if p.is_file() and p.name not in ("report.json", "report.html", ".batch-journal.jsonl")}
    two = {p.relative_to(tmp_path / "two"): p.read_bytes() for p in (tmp_path / "two").rglob("*")
           if p.is_file() and p.name not in ("report.json", "report.html", ".batch-journal.jsonl")}
    assert joined == [2]  # the run on two workers split the spec in two, and merged it once
    assert one.keys() == two.keys() and len(one) >= 8
    assert one == two
    assert _report(tmp_path / "two") == _report(tmp_path / "one")
    assert _report(tmp_path / "two")["specs"][0]["source"]["valid"] is True


def test_a_part_that_does_not_check_the_source_leaves_it_unchecked(tmp_path: Path) -> None:
    from migrate.batch.worker import convert_one

    spec = tmp_path / "spec.yaml"
    spec.write_text("openapi: 3.0.0\ntitle: T\n# UNSOUND\n", encoding="utf-8")
    whole = Job(spec, ("akamai", "frends"), EmitOptions(), ReadOptions(), tmp_path / "out", "spec", "key")
    assert convert_one(whole, CHECKED).source == {"valid": False, "errors": 1, "warnings": 0,
                                                  "first": "spec.yaml:1 /: bad"}
    part = Job(spec, ("frends",), EmitOptions(), ReadOptions(), tmp_path / "out", "spec", "key", check_source=False)
    result = convert_one(part, CHECKED)
    assert result.source is None and [t.target for t in result.targets] == ["frends"]
