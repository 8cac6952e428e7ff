"""Batch orchestration with a stand-in pipeline (tests/fixtures/batch/fakes.py): the matrix, exit
codes, duplicates, the journal and --resume, interruption, parallel workers."""

from __future__ import annotations

import io
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from migrate.batch.journal import JOURNAL_NAME
from migrate.batch.run import run_batch
from migrate.core.errors import UsageError
from migrate.emitters.base import EmitOptions
from migrate.readers import ReadOptions
from tests.testsupport import FIXTURES, ROOT, SAMPLES

sys.path.insert(0, str(FIXTURES / "batch"))  # spawned workers inherit sys.path
from fakes import FAKE

TARGETS = ["akamai", "akana"]


def spec(folder: Path, rel: str, title: str, *flags: str) -> Path:
    path = folder / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"openapi: 3.0.0\ntitle: {title}\n# {' '.join(flags)}\n", encoding="utf-8")
    return path


def mixed_folder(root: Path) -> Path:
    src = root / "specs"
    spec(src, "good.yaml", "Good")
    spec(src, "lossy.yaml", "Lossy", "LOSSY")
    spec(src, "broken.yaml", "Broken", "BAD")
    spec(src, "crashing.yaml", "Crashing", "CRASH")
    spec(src, "half.yaml", "Half", "EMITFAIL")
    spec(src, "rejected.yaml", "Rejected", "REJECT")
    spec(src, "copy/good.yaml", "Good")  # same content as good.yaml
    (src / "README.md").write_text("# not a spec\n")
    return src


def batch(paths: list[Path], out: Path, **kw: Any) -> tuple[int, str]:
    stream = io.StringIO()
    args: dict[str, Any] = dict(targets=TARGETS, options=EmitOptions(), read_options=ReadOptions(), jobs=1,
                                resume=False, fmt="json", progress=False, pipeline=FAKE, out=stream)
    args.update(kw)
    code = run_batch(paths, outdir=out, **args)
    return code, stream.getvalue()


def matrix(report: dict[str, Any]) -> dict[str, Any]:
    def row(s: dict[str, Any]) -> Any:
        if s["status"] == "duplicate":
            return f"duplicate of {s['duplicateOf']}"
        if s["status"] == "not-run":
            return "not-run"
        return {t: c["status"] for t, c in s["targets"].items()}

    return {s["name"]: row(s) for s in report["specs"]}


def journal_keys(out: Path) -> list[str]:
    lines = (out / JOURNAL_NAME).read_text().splitlines()
    return [json.loads(line)["key"] for line in lines if line.strip()]


def test_folder_with_good_bad_and_duplicate_specs_gives_the_matrix(tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, printed = batch([mixed_folder(tmp_path)], out)
    report = json.loads((out / "report.json").read_text())
    assert json.loads(printed) == report
    assert code == 1 and report["exitCode"] == 1
    assert matrix(report) == {
        "broken": {"akamai": "failed", "akana": "failed"},
        "copy-good": "duplicate of specs-good",
        "crashing": {"akamai": "failed", "akana": "failed"},
        "half": {"akamai": "ok", "akana": "failed"},
        "lossy": {"akamai": "warnings", "akana": "warnings"},
        "rejected": {"akamai": "errors", "akana": "ok"},
        "specs-good": {"akamai": "ok", "akana": "ok"},
    }
    statuses = {s["name"]: s["status"] for s in report["specs"]}
    assert statuses["crashing"] == "crash" and statuses["broken"] == "failed"
    by_name = {s["name"]: s for s in report["specs"]}
    assert "RuntimeError: boom in the reader" in by_name["crashing"]["failure"]
    assert "broken.yaml:3: invalid YAML" in by_name["broken"]["failure"]
    assert by_name["half"]["targets"]["akana"]["error"] == "akana: cannot build the API object"
    assert report["summary"]["skippedFiles"] == 1
    assert sorted(journal_keys(out)) == sorted({s["key"] for s in _journal(out)})
    assert len(journal_keys(out)) == 6  # the duplicate is not converted


def _journal(out: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in (out / JOURNAL_NAME).read_text().splitlines()]


def test_counts_paths_and_losses_in_report(tmp_path: Path) -> None:
    out = tmp_path / "out"
    batch([mixed_folder(tmp_path)], out)
    report = json.loads((out / "report.json").read_text())
    lossy = next(s for s in report["specs"] if s["name"] == "lossy")["targets"]["akamai"]
    assert lossy["counts"] == {"error": 0, "warning": 1, "info": 0}
    assert lossy["byCode"] == {"PATTERN_DROPPED": 1}
    assert lossy["files"] == ["lossy/akamai/akamai.json", "lossy/akamai/diagnostics.json"]
    assert all((out / f).is_file() for f in lossy["files"])
    assert json.loads((out / "lossy/akamai/diagnostics.json").read_text())[0]["code"] == "PATTERN_DROPPED"
    assert report["losses"][0] == {
        "code": "PATTERN_DROPPED", "severity": "warning",
        "meaning": "the target cannot express a pattern restriction", "count": 2, "specs": 1,
        "examples": ["lossy"]}
    assert [loss["code"] for loss in report["losses"]] == ["PATTERN_DROPPED", "MISSING_REQUIRED_FIELD"]


def test_reader_diagnostics_reach_every_target(tmp_path: Path) -> None:
    src = tmp_path / "src"
    spec(src, "a.yaml", "A", "REPAIR", "LOSSY")
    _, printed = batch([src], tmp_path / "out")
    cells = json.loads(printed)["specs"][0]["targets"]
    assert {t: c["byCode"] for t, c in cells.items()} == {
        t: {"PATTERN_DROPPED": 1, "SOURCE_VALUE_REPAIRED": 1} for t in TARGETS}
    first = json.loads((tmp_path / "out/a/akana/diagnostics.json").read_text())[0]
    assert (first["code"], first["pointer"]) == ("SOURCE_VALUE_REPAIRED", "/info")
    assert first["file"] == str(src / "a.yaml")


def test_clean_batch_exits_0_and_prints_a_text_matrix(tmp_path: Path) -> None:
    src = tmp_path / "src"
    spec(src, "a.yaml", "A")
    spec(src, "b.yaml", "B", "LOSSY")
    code, printed = batch([src], tmp_path / "out", fmt="text")
    assert code == 0
    lines = printed.splitlines()
    assert lines[0].split() == ["spec", "akamai", "akana"]
    assert lines[1].split() == ["a", "ok", "ok"]
    assert lines[2].split() == ["b", "warnings", "warnings"]
    assert "2 specs: 1 ok, 1 warnings; 0 other files skipped" in printed


def test_command_line_options_reach_every_spec(tmp_path: Path) -> None:
    src = tmp_path / "src"
    spec(src, "a.yaml", "A")
    batch([src], tmp_path / "out", options=EmitOptions(host="api.example.com"))
    assert json.loads((tmp_path / "out/a/akamai/akamai.json").read_text())["host"] == "api.example.com"


def test_parallel_workers_give_the_same_matrix(tmp_path: Path) -> None:
    src = mixed_folder(tmp_path)
    _, serial = batch([src], tmp_path / "one")
    _, parallel = batch([src], tmp_path / "two", jobs=2)
    assert matrix(json.loads(serial)) == matrix(json.loads(parallel))


def test_resume_skips_what_is_done_and_redoes_what_changed(tmp_path: Path) -> None:
    src = tmp_path / "src"
    spec(src, "a.yaml", "A")
    spec(src, "b.yaml", "B")
    out = tmp_path / "out"
    batch([src], out)
    first = _journal(out)
    spec(src, "b.yaml", "B changed", "LOSSY")
    code, printed = batch([src], out, resume=True)
    again = _journal(out)
    assert again[:2] == first
    assert [(e["name"], e["status"]) for e in again[2:]] == [("b", "warnings")]
    assert matrix(json.loads(printed)) == {"a": {"akamai": "ok", "akana": "ok"},
                                           "b": {"akamai": "warnings", "akana": "warnings"}}
    assert code == 0


def test_without_resume_the_journal_starts_again(tmp_path: Path) -> None:
    src = tmp_path / "src"
    spec(src, "a.yaml", "A")
    batch([src], tmp_path / "out")
    batch([src], tmp_path / "out")
    assert len(journal_keys(tmp_path / "out")) == 1


def test_interrupt_writes_the_report_of_what_finished_and_exits_130(tmp_path: Path) -> None:
    src = tmp_path / "src"
    spec(src, "a.yaml", "A")
    spec(src, "b.yaml", "B", "INTERRUPT")
    spec(src, "c.yaml", "C")
    out = tmp_path / "out"
    code, printed = batch([src], out, fmt="text")
    report = json.loads((out / "report.json").read_text())
    assert code == 130 and report["interrupted"] is True
    assert matrix(report) == {"a": {"akamai": "ok", "akana": "ok"}, "b": "not-run", "c": "not-run"}
    assert "run again with --resume" in printed
    (src / "b.yaml").write_text("openapi: 3.0.0\ntitle: B\n")
    code, _ = batch([src], out, resume=True)
    assert code == 0
    assert [e["name"] for e in _journal(out)] == ["a", "b", "c"]


@pytest.mark.parametrize(
    ("kw", "message"),
    [
        ({"targets": ["akamai", "mulesoft"]}, "unknown target 'mulesoft'"),
        ({"push": "mulesoft"}, "choose akamai, akana or frends"),
        ({"targets": ["akamai"], "push": "frends"}, "needs frends among the targets"),
        ({"fmt": "xml"}, "unknown format"),
        ({"jobs": 0}, "at least 1"),
    ],
)
def test_unusable_invocations_raise_usage_errors(tmp_path: Path, kw: dict[str, Any], message: str) -> None:
    src = tmp_path / "src"
    spec(src, "a.yaml", "A")
    with pytest.raises(UsageError, match=message):
        batch([src], tmp_path / "out", **kw)


def test_folder_without_specs_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("nothing here\n")
    with pytest.raises(UsageError, match="no specs found"):
        batch([tmp_path], tmp_path / "out")


def test_plain_progress_lines_when_not_a_terminal(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "src"
    spec(src, "a.yaml", "A")
    spec(src, "b.yaml", "B", "BAD")
    batch([src], tmp_path / "out", progress=True)
    assert capsys.readouterr().err.splitlines() == ["[1/2] ok        a", "[2/2] failed    b"]


def test_a_worker_that_dies_is_a_crash_and_the_others_still_finish(tmp_path: Path) -> None:
    src = tmp_path / "src"
    for name in ("a", "b", "c", "d"):
        spec(src, f"{name}.yaml", name.upper())
    spec(src, "dies.yaml", "Dies", "DIE")
    code, printed = batch([src], tmp_path / "out", jobs=2)
    report = json.loads(printed)
    statuses = {s["name"]: s["status"] for s in report["specs"]}
    assert statuses == {"a": "ok", "b": "ok", "c": "ok", "d": "ok", "dies": "crash"}
    dies = next(s for s in report["specs"] if s["name"] == "dies")
    assert dies["failure"] == "worker process died (killed or out of memory)"
    assert code == 1
    assert sorted(e["name"] for e in _journal(tmp_path / "out")) == ["a", "b", "c", "d", "dies"]


# -- a real kill -----------------------------------------------------------------------------------

RUNNER = """
import sys
from pathlib import Path
sys.path.insert(0, {fakes!r})
from fakes import FAKE
from migrate.batch.run import run_batch
from migrate.emitters.base import EmitOptions
from migrate.readers import ReadOptions
code = run_batch([Path({src!r})], ["akamai", "akana"], Path({out!r}), EmitOptions(), ReadOptions(),
                 jobs=2, resume={resume}, fmt="json", progress=False, pipeline=FAKE)
sys.exit(code)
"""


def _runner(src: Path, out: Path, resume: bool) -> list[str]:
    code = RUNNER.format(fakes=str(FIXTURES / "batch"), src=str(src), out=str(out), resume=resume)
    return [sys.executable, "-c", code]


def test_killed_batch_resumes_and_does_every_spec_exactly_once(tmp_path: Path) -> None:
    src, out = tmp_path / "src", tmp_path / "out"
    names = [f"s{i:02d}" for i in range(12)]
    for name in names:
        spec(src, f"{name}.yaml", name.upper(), "SLOW")
    proc = subprocess.Popen(_runner(src, out, False), cwd=ROOT, start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    journal = out / JOURNAL_NAME
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not (journal.exists() and journal.read_text().count("\n") >= 1):
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)  # the runner and its workers, mid-run
    proc.wait(timeout=10)
    before = len(journal_keys(out))
    assert 1 <= before < len(names), "the kill should land mid-run"
    assert not (out / "report.json").exists()
    done = subprocess.run(_runner(src, out, True), cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    keys = journal_keys(out)
    assert len(keys) == len(set(keys)) == len(names)
    report = json.loads(done.stdout)
    assert sorted(s["name"] for s in report["specs"] if s["status"] == "ok") == names


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_on_a_terminal(tmp_path: Path) -> None:
    from migrate.batch.run import Progress
    from migrate.batch.worker import SpecResult

    screen = _Terminal()
    bar = Progress(2, True, stream=screen)
    bar.advance(SpecResult("first", "a.yaml", "k1", "ok"))
    bar.advance(SpecResult("second", "b.yaml", "k2", "failed"))
    bar.close()
    shown = screen.getvalue()
    assert "2/2" in shown and "second: failed" in shown
    assert "[1/2]" not in shown  # no plain lines on a terminal


def test_an_interrupted_pool_stops_its_own_workers_only(tmp_path: Path) -> None:
    import multiprocessing

    from migrate.batch.jobs import discover
    from migrate.batch.run import _run_pool

    src = tmp_path / "src"
    for name in ("a", "b", "c", "d"):
        spec(src, f"{name}.yaml", name.upper(), "SLOW")
    jobs = discover([src], tuple(TARGETS), EmitOptions(), ReadOptions(), tmp_path / "out").jobs
    before = set(multiprocessing.active_children())  # left over by earlier tests, if any
    bystander = multiprocessing.get_context("spawn").Process(target=time.sleep, args=(60,))
    bystander.start()  # a child of the caller that the batch has no business with
    seen: list[str] = []

    def interrupt(result: Any) -> None:
        seen.append(result.name)
        raise KeyboardInterrupt

    try:
        with pytest.raises(KeyboardInterrupt):
            _run_pool(jobs, FAKE, 2, interrupt)
        assert len(seen) == 1
        assert bystander.is_alive()
        assert set(multiprocessing.active_children()) - before == {bystander}  # the pool's workers are gone
    finally:
        bystander.terminate()
        bystander.join(5)


def test_repeated_to_accumulates_and_a_bad_jobs_is_refused(tmp_path: Path) -> None:
    """``--to akamai --to frends,openapi`` converts to all three (it used to keep only the last)."""
    from click.testing import CliRunner

    from migrate.cli import main
    src = tmp_path / "src"
    src.mkdir()
    shutil.copy(SAMPLES / "orders-openapi30.yaml", src)
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["batch", str(src), "--to", "akamai", "--to", "frends,openapi", "--to",
                                       "akamai", "-o", str(out), "--no-progress", "--jobs", "1"])
    assert result.exit_code in (0, 1), result.output
    assert sorted(p.name for p in (out / "orders-openapi30").iterdir() if p.is_dir()) == ["akamai", "frends",
                                                                                          "openapi"]
    for bad in ("0", "-1"):
        refused = CliRunner().invoke(main, ["batch", str(src), "--to", "openapi", "-o", str(out), "--jobs", bad])
        assert refused.exit_code == 2 and "Invalid value for '--jobs'" in refused.output
