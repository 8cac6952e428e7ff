"""Issue 12: ``api-migrate batch`` end to end, and ``validate``, against the parse floor and the
reference tools, all measured in ONE run of this script (ratios only mean something within a run).

    python bench/batch_speed.py [--baseline GIT_REF] [--count 100] [--repeat 3] [--no-node] [--no-corpus]
                                [--no-validate] [--profile] [--json]
    python bench/batch_speed.py --steps REF,REF,... [--count 40] [--repeat 3]   # the batch of each commit

Sets (picked deterministically from ../shared/corpus, used in place, never copied):
- ``oas3-json``: every JSON OpenAPI 3.x document of the corpus (it holds far fewer than 100);
- ``swagger2-yaml``: the first ``--count`` APIs.guru Swagger 2.0 YAML specs (sorted paths);
- ``oas3-json-derived``: the same Swagger 2.0 specs converted to OpenAPI 3 JSON by
  api-spec-converter at run time into build/bench-cache/ (not committed), so that a set of 100 real
  API-sized JSON OpenAPI 3 documents exists (the corpus lacks one). Needs node.

For each set: the parse floor (``json.load`` / the PyYAML C loader, in process, best of 5),
api-spec-converter (node, one target, one process over the same files; installed with npm into
build/bench-cache/node at run time), and ``python -m migrate batch FILES --to akamai --to akana --to
frends --to openapi --jobs 2`` as a user runs it (subprocess, wall time, peak memory of the process
tree; the measured tree's bytecode compiled first, as pip compiles an installed package, and
PYTHONDONTWRITEBYTECODE left out of its environment); then in process, per stage as a batch
worker runs them (``STAGES``): read, the source's validity check, each emitter, locate (file and
line of each diagnostic), write (payloads + diagnostics.json), report.
``--no-corpus`` skips the whole-corpus batch; ``--no-validate`` the validate comparison (a mixed set of
valid and invalid specs, including the 3 MB openai spec, ``validate --no-cache`` (cold) vs. prance
+ openapi-spec-validator per file; verdicts compared). ``--profile`` prints the top cProfile costs of
the in-process conversion of the swagger2-yaml set.

Prints a table of ratios at the end (and ``--json`` the figures as JSON).
"""

from __future__ import annotations

import argparse
import compileall
import contextlib
import cProfile
import io
import json
import os
import pstats
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from _common import CORPUS, ROOT, TARGETS, machine, need_corpus, run_measured, swagger_set

os.environ.setdefault("OPENAPI_SPEC_VALIDATOR_SCHEMA_VALIDATOR_BACKEND", "jsonschema")

CACHE = ROOT / "build" / "bench-cache"
NODE_VERSION = "api-spec-converter@2.12.0"
GOLDEN = ROOT / "tests" / "fixtures" / "validate" / "osv-verdicts.json"

NODE_CONVERT = """
const converter = require('api-spec-converter');
const [from, to, list] = [process.argv[2], process.argv[3], JSON.parse(require('fs').readFileSync(process.argv[4]))];
(async () => {
  const start = process.hrtime.bigint();
  let ok = 0;
  for (const f of list) {
    try { const r = await converter.convert({from, to, source: f}); r.stringify(); ok++; } catch (e) { }
  }
  console.log(JSON.stringify({seconds: Number(process.hrtime.bigint() - start) / 1e9, ok}));
})();
"""

NODE_DERIVE = """
const converter = require('api-spec-converter');
const fs = require('fs');
const pairs = JSON.parse(fs.readFileSync(process.argv[2]));
(async () => {
  for (const [src, dest] of pairs) {
    try {
      const r = await converter.convert({from: 'swagger_2', to: 'openapi_3', source: src});
      fs.writeFileSync(dest, r.stringify());
    } catch (e) { }
  }
})();
"""


# -- sets ----------------------------------------------------------------------------------


def oas3_json_set() -> list[Path]:
    """Every JSON OpenAPI 3.x document of the corpus (sorted)."""
    found = []
    for path in sorted(need_corpus().rglob("*.json")):
        if "/invalid/" in path.as_posix():
            continue
        with contextlib.suppress(OSError, ValueError):
            with path.open("rb") as fh:
                head = fh.read(4096).decode("utf-8", "ignore")
            if '"openapi"' in head:
                data = json.loads(path.read_text(encoding="utf-8"))
                if isinstance(data, dict) and str(data.get("openapi", "")).startswith("3"):
                    found.append(path)
    return found


# -- node ----------------------------------------------------------------------------------


def node_folder() -> Path | None:
    if not shutil.which("npm") or not shutil.which("node"):
        return None
    folder = CACHE / "node"
    if not (folder / "node_modules" / "api-spec-converter").is_dir():
        folder.mkdir(parents=True, exist_ok=True)
        subprocess.run(["npm", "install", "--silent", "--no-audit", "--no-fund", "--prefix", str(folder),
                        NODE_VERSION], check=True, capture_output=True)
    (folder / "convert.js").write_text(NODE_CONVERT)
    (folder / "derive.js").write_text(NODE_DERIVE)
    return folder


def node_convert(folder: Path, files: list[Path], source: str, target: str) -> dict[str, Any]:
    """api-spec-converter over ``files`` in one node process: its own timer (excluding node start)
    and the wall time of the process."""
    listing = folder / "files.json"
    listing.write_text(json.dumps([str(f) for f in files]))
    start, cpu = time.perf_counter(), children_cpu()
    done = subprocess.run(["node", str(folder / "convert.js"), source, target, str(listing)], cwd=folder,
                          capture_output=True, text=True, check=True)
    wall, cpu = time.perf_counter() - start, children_cpu() - cpu
    inner = json.loads(done.stdout.strip().splitlines()[-1])
    return {"seconds": inner["seconds"], "wall": wall, "cpu": cpu, "ok": inner["ok"]}


def derived_files(count: int) -> list[Path]:
    """The derived set made from the first ``count`` Swagger 2.0 specs (``derived_set``); stops
    when node and npm are missing."""
    folder = node_folder()
    if folder is None:
        sys.exit("needs node and npm (the derived set is made by api-spec-converter)")
    return derived_set(folder, swagger_set(count))


def derived_set(folder: Path, sources: list[Path]) -> list[Path]:
    """OpenAPI 3 JSON made by api-spec-converter from ``sources`` (cached under build/)."""
    out = CACHE / "derived-oas3"
    out.mkdir(parents=True, exist_ok=True)
    pairs = [(str(s), str(out / f"{i:03d}-{s.parent.parent.name}.json")) for i, s in enumerate(sources)]
    missing = [p for p in pairs if not Path(p[1]).exists()]
    if missing:
        (folder / "pairs.json").write_text(json.dumps(missing))
        subprocess.run(["node", str(folder / "derive.js"), str(folder / "pairs.json")], cwd=folder,
                       capture_output=True, check=True)
    return [Path(d) for _, d in pairs if Path(d).exists()]


# -- floors ----------------------------------------------------------------------------------


def floor(files: list[Path]) -> float:
    """Parse every file with the fastest loader for its syntax (best of 5)."""
    import yaml

    def run() -> None:
        for f in files:
            text = f.read_text(encoding="utf-8")
            if f.suffix == ".json":
                json.loads(text)
            else:
                with contextlib.suppress(yaml.YAMLError):
                    yaml.load(text, Loader=yaml.CSafeLoader)

    return best(run, 5)


def best(func: Callable[[], Any], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return min(times)


# -- ours ----------------------------------------------------------------------------------


def children_cpu() -> float:
    """CPU seconds (user + system) of the waited-for child processes so far (workers included)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


#: the trees whose ``migrate`` package has been compiled to bytecode in this run
_COMPILED: set[Path] = set()


def source_env(src: Path | None) -> dict[str, str]:
    """The environment that runs the code in ``src`` (a baseline) or in this checkout (None) as a
    user's install runs it: with its bytecode compiled (pip compiles it at install). Without it,
    every process compiles each of our modules from source again (0.1-0.2 s per process, three per
    batch), which is what happens where PYTHONDONTWRITEBYTECODE is set, as on the machine of record."""
    tree = src or ROOT
    if tree not in _COMPILED:
        compileall.compile_dir(str(tree / "migrate"), quiet=1)
        _COMPILED.add(tree)
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    if src is not None:
        env["PYTHONPATH"] = str(src)
    return env


def baseline(ref: str) -> Path:
    """The tree of git ``ref`` extracted under build/bench-cache (the "before" of a comparison)."""
    sha = subprocess.run(["git", "rev-parse", "--short", ref], cwd=ROOT, capture_output=True, text=True,
                         check=True).stdout.strip()
    folder = CACHE / f"src-{sha}"
    if not (folder / "migrate").is_dir():
        folder.mkdir(parents=True, exist_ok=True)
        archive = subprocess.run(["git", "archive", sha], cwd=ROOT, capture_output=True, check=True).stdout
        subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)
    found = subprocess.run([sys.executable, "-c", "import migrate; print(migrate.__file__)"], cwd=folder,
                           env=source_env(folder), capture_output=True, text=True, check=True).stdout
    if not found.startswith(str(folder)):
        sys.exit(f"the baseline in {folder} is not the one imported ({found.strip()})")
    return folder


def batch_cli(files: list[Path], jobs: int = 2, src: Path | None = None) -> dict[str, Any]:
    out = Path(tempfile.mkdtemp(prefix="api-migrate-bench-"))
    try:
        cmd = [sys.executable, "-m", "migrate", "batch", *map(str, files), "-o", str(out / "out"), "--jobs",
               str(jobs), "--no-progress", "--format", "json", *[a for t in TARGETS for a in ("--to", t)]]
        # a cold verdict cache (a batch over specs never validated before), not the previous run's
        env = {**source_env(src), "API_MIGRATE_CACHE_DIR": str(out / "verdicts")}
        cpu = children_cpu()
        wall, peak, code = run_measured(cmd, stdout=subprocess.DEVNULL, env=env, cwd=src or ROOT)
        cpu = children_cpu() - cpu
        report = json.loads((out / "out" / "report.json").read_text())
    finally:
        shutil.rmtree(out, ignore_errors=True)
    return {"seconds": wall, "cpu": cpu, "peakMiB": peak // 2**20, "exit": code,
            "byStatus": report["summary"]["byStatus"]}


#: the in-process stages, in the order a batch worker runs them (``batch.worker.convert_one``)
STAGES = ("read", "validity", *TARGETS, "locate", "write", "report")


def stages(files: list[Path]) -> dict[str, float]:
    """In process, as a batch worker runs each spec (``convert_one``: the source parsed once for the
    validity check and the read, the cyclic collector paused for the spec, a cold verdict cache),
    after one warm-up spec that is not counted: the seconds of each of ``STAGES`` summed over
    ``files``. ``locate`` is the file and line of every diagnostic; ``write`` the payload files and
    diagnostics.json."""
    import gc

    from migrate.batch.worker import source_validity

    totals = dict.fromkeys(STAGES, 0.0)
    out = Path(tempfile.mkdtemp(prefix="api-migrate-stages-"))
    saved = os.environ.get("API_MIGRATE_CACHE_DIR")
    os.environ["API_MIGRATE_CACHE_DIR"] = str(out / "verdicts")
    try:
        if files:
            _spec_stages(files[0], out / "warm-up", dict.fromkeys(STAGES, 0.0), source_validity)
        jobs, results = [], {}
        for index, path in enumerate(files):
            name = f"spec{index}"
            found = _spec_stages(path, out / name, totals, source_validity)
            if found is not None:
                jobs.append(found[0])
                results[name] = found[1]
        t = time.perf_counter()
        from migrate.batch.report import BatchOutcome, write_reports

        write_reports(BatchOutcome(jobs, results, 0, False, 1.0), out, None)
        totals["report"] = time.perf_counter() - t
    finally:
        gc.unfreeze()
        if saved is None:
            os.environ.pop("API_MIGRATE_CACHE_DIR", None)
        else:
            os.environ["API_MIGRATE_CACHE_DIR"] = saved
        shutil.rmtree(out, ignore_errors=True)
    return totals


def _spec_stages(path: Path, folder: Path, totals: dict[str, float], validity: Any) -> tuple[Any, Any] | None:
    """One spec's stages into ``totals``; its job and result for the report (None: not read)."""
    import gc

    from migrate.batch.jobs import Job
    from migrate.batch.worker import SpecResult, TargetResult, read_with_diagnostics
    from migrate.conversion.run import locate
    from migrate.core.diagnostics import Report
    from migrate.core.pointers import forget_positions
    from migrate.emitters.base import EmitOptions, emit, write_payload
    from migrate.emitters.render import dumps_records
    from migrate.readers import ReadOptions
    from migrate.source.load import shared_parse

    def timed(stage: str, call: Any) -> Any:
        t = time.perf_counter()
        try:
            return call()
        finally:
            totals[stage] += time.perf_counter() - t

    gc.disable()
    try:
        with shared_parse():
            with contextlib.suppress(Exception):
                timed("validity", lambda: validity(path, ReadOptions()))
            try:
                api, source = timed("read", lambda: read_with_diagnostics(path, ReadOptions()))
            except Exception:
                return None
        targets = []
        for target in TARGETS:
            try:
                payload = timed(target, lambda: emit(api, target, EmitOptions()))  # noqa: B023
            except Exception:
                continue
            report = Report()
            timed("locate", lambda: report.extend(locate([*source, *payload.report], str(path))))  # noqa: B023
            written = timed("write", lambda: _write(payload, folder / target, report, write_payload, dumps_records))  # noqa: B023
            targets.append(TargetResult(target, "ok", report.counts(), report.by_code(), [str(w) for w in written]))
        job = Job(path, TARGETS, EmitOptions(), ReadOptions(), folder.parent, folder.name, folder.name)
        return job, SpecResult(folder.name, str(path), folder.name, "ok", targets)
    finally:  # as a worker ends a spec: its survivors collected once and frozen (``stages`` thaws them)
        gc.enable()
        forget_positions()
        gc.collect()
        gc.freeze()


def _write(payload: Any, folder: Path, report: Any, write_payload: Any, dumps_records: Any) -> list[Path]:
    written: list[Path] = write_payload(payload, folder)
    (folder / "diagnostics.json").write_text(dumps_records([d.to_json() for d in report]) + "\n", encoding="utf-8")
    return written


def profile(files: list[Path], top: int = 20) -> str:
    from migrate.batch.worker import read_with_diagnostics
    from migrate.emitters.base import EmitOptions, emit
    from migrate.readers import ReadOptions

    def run() -> None:
        for path in files:
            with contextlib.suppress(Exception):
                api, _ = read_with_diagnostics(path, ReadOptions())
                for target in TARGETS:
                    with contextlib.suppress(Exception):
                        emit(api, target, EmitOptions())

    prof = cProfile.Profile()
    prof.runcall(run)
    text = io.StringIO()
    pstats.Stats(prof, stream=text).sort_stats("tottime").print_stats(top)
    return text.getvalue()


# -- validate --------------------------------------------------------------------------------


def validate_set(size: int) -> list[Path]:
    """Valid and invalid specs from the openapi-spec-validator verdict file (every ``step``-th of the
    sorted names, so repeatable), plus the 3 MB openai spec."""
    names = sorted(json.loads(GOLDEN.read_text())["verdicts"])
    step = max(1, len(names) // size)
    chosen = names[::step][:size]
    big = "openapi3/openai-openapi/openapi.yaml"
    if big in names and big not in chosen:
        chosen.append(big)
    return [CORPUS / n for n in chosen]


def prance_osv(path: Path) -> bool:
    import prance

    try:
        prance.ResolvingParser(str(path), backend="openapi-spec-validator", strict=False)
    except Exception:
        return False
    return True


def validate_cli(files: list[Path], src: Path | None = None) -> tuple[float, float, dict[str, bool]]:
    """``validate --no-cache`` (cold) over ``files`` in one process: wall and CPU seconds, verdicts."""
    start, cpu = time.perf_counter(), children_cpu()
    done = subprocess.run([sys.executable, "-m", "migrate", "validate", "--no-cache", "--format", "json",
                           *map(str, files)], cwd=src or ROOT, capture_output=True, text=True, check=False,
                          env=source_env(src))
    seconds, cpu = time.perf_counter() - start, children_cpu() - cpu
    doc = json.loads(done.stdout)
    return seconds, cpu, {r["path"]: (r.get("error") is None and
                                      not any(d["severity"] == "error" for d in r["diagnostics"]))
                          for r in doc["files"]}


def validate_compare(files: list[Path], src: Path | None) -> dict[str, Any]:
    golden = json.loads(GOLDEN.read_text())["verdicts"]
    before = validate_cli(files, src) if src is not None else None
    ours_seconds, ours_cpu, ours = validate_cli(files)
    base_seconds, differ, prance_differs = 0.0, [], 0
    for path in files:
        t = time.perf_counter()
        verdict = prance_osv(path)
        base_seconds += time.perf_counter() - t
        osv = golden[path.relative_to(CORPUS).as_posix()] == "valid"
        prance_differs += verdict != osv
        if ours.get(str(path)) != osv:
            differ.append(path.relative_to(CORPUS).as_posix())
    return {"files": len(files), "valid": sum(golden[p.relative_to(CORPUS).as_posix()] == "valid" for p in files),
            "oursSeconds": ours_seconds, "oursCpu": ours_cpu, "pranceSeconds": base_seconds,
            "ratio": base_seconds / ours_seconds, "beforeSeconds": before[0] if before else None,
            "beforeDiffer": sum(before[2].get(str(p)) != ours.get(str(p)) for p in files) if before else None,
            "differFromOsv": differ, "pranceDiffersFromOsv": prance_differs}


# -- main ------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=100)
    parser.add_argument("--no-node", action="store_true")
    parser.add_argument("--no-corpus", action="store_true")
    parser.add_argument("--no-validate", action="store_true")
    parser.add_argument("--validate-count", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=3, help="runs of api-spec-converter, the before and the "
                        "batch per set, alternating; the median run is reported (default 3)")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--baseline", metavar="GIT_REF", help="also run the batch/validate of this commit "
                        "(extracted under build/bench-cache) in the same run: the before of a change")
    parser.add_argument("--steps", metavar="REF,REF,...", help="only: the batch of the swagger2-yaml and "
                        "oas3-json-derived sets by each of these commits and this tree, in one run (a table)")
    args = parser.parse_args()
    if args.steps:
        return steps(args.steps.split(","), args.count, args.repeat)
    src = baseline(args.baseline) if args.baseline else None
    swagger = swagger_set(args.count)
    sets: dict[str, tuple[list[Path], str, str]] = {
        "oas3-json": (oas3_json_set(), "openapi_3", "swagger_2"),
        "swagger2-yaml": (swagger, "swagger_2", "openapi_3"),
    }
    folder = None if args.no_node else node_folder()
    if folder is not None:
        sets["oas3-json-derived"] = (derived_set(folder, swagger), "openapi_3", "swagger_2")
    figures: dict[str, Any] = {"baseline": args.baseline, "repeat": args.repeat, "machine": machine(),
                               "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
                               "load": os.getloadavg(), "sets": {}}
    for name, (files, source, target) in sets.items():
        row: dict[str, Any] = {"files": len(files), "megabytes": round(sum(f.stat().st_size for f in files) / 2**20, 2)}
        row["floor"] = floor(files)
        runs: dict[str, list[dict[str, Any]]] = {"node": [], "before": [], "batch": []}
        for _ in range(args.repeat):  # alternating, so that a slow minute of the machine hits all three
            if folder is not None:
                runs["node"].append(node_convert(folder, files, source, target))
            if src is not None:
                runs["before"].append(batch_cli(files, src=src))
            runs["batch"].append(batch_cli(files))
        for key, found in runs.items():
            if found:
                row[key] = median_run(found, "wall" if key == "node" else "seconds")
        row["stages"] = stages(files)
        figures["sets"][name] = row
        print(f"... {name}: {len(files)} files measured", file=sys.stderr)
    if not args.no_corpus:
        if src is not None:
            figures["corpusBefore"] = batch_cli([need_corpus()], src=src)
        figures["corpus"] = batch_cli([need_corpus()])
        print("... whole corpus measured", file=sys.stderr)
    if not args.no_validate:
        figures["validate"] = validate_compare(validate_set(args.validate_count), src)
    if args.profile:
        print(profile(swagger), file=sys.stderr)
    if args.json:
        print(json.dumps(figures, indent=2))
    print(table(figures))
    return 0


def median_run(runs: list[dict[str, Any]], key: str) -> dict[str, Any]:
    """The run whose ``key`` is the median of ``runs`` (the upper one of an even count), with every
    run's ``key`` under ``"runs"``."""
    ordered = sorted(runs, key=lambda run: float(run[key]))
    return {**ordered[len(ordered) // 2], "runs": [round(float(run[key]), 2) for run in runs]}


def steps(refs: list[str], count: int, repeat: int = 3) -> int:
    """The batch of each commit in ``refs`` and of this tree on two sets, in one run: ``repeat``
    rounds over all of them (alternating), the median reported."""
    swagger = swagger_set(count)
    folder = node_folder()
    sets = {"swagger2-yaml": swagger}
    if folder is not None:
        sets["oas3-json-derived"] = derived_set(folder, swagger)
    sources: list[tuple[str, Path | None]] = [(ref, baseline(ref)) for ref in refs] + [("this tree", None)]
    floors = {name: floor(files) for name, files in sets.items()}
    print(f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; load average {os.getloadavg()[0]:.1f}; "
          f"wall s [CPU s of the process tree], median of {repeat} alternating runs; ratio to the parse floor",
          flush=True)
    print("| commit | " + " | ".join(sets) + " |\n|---" * 1 + "|---" * len(sets) + "|")
    found: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for _ in range(repeat):
        for label, src in sources:
            for name, files in sets.items():
                found.setdefault((label, name), []).append(batch_cli(files, src=src))
    for label, _src in sources:
        cells = []
        for name in sets:
            r = median_run(found[(label, name)], "seconds")
            cells.append(f"{r['seconds']:.2f} [{r['cpu']:.2f}] = {r['seconds'] / floors[name]:.0f}x")
        print(f"| {label} | " + " | ".join(cells) + " |", flush=True)
    print("floors: " + ", ".join(f"{n} {t:.3f} s" for n, t in floors.items()))
    return 0


def table(f: dict[str, Any]) -> str:
    m = f["machine"]
    load = ", ".join(f"{x:.1f}" for x in f["load"])
    lines = [f"{f['date']}; {m['cpus']} cores, {m['processor']}, Python {m['python']}; load average at start "
             f"{load}" + (f"; before = {f['baseline']}" if f.get("baseline") else ""), "",
             "Wall seconds (CPU seconds of the process tree in brackets), each the median of "
             f"{f.get('repeat', 1)} alternating runs (all of them under `runs` in --json); ratios are wall/wall "
             "from this run.", "",
             "| set | files | MB | floor | api-spec-converter (1 target) | batch (4 targets, 2 jobs) | batch/node"
             " | batch/floor | read+4 emitters in process/floor | peak MiB | before | before/after |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for name, r in f["sets"].items():
        node, batch, st = r.get("node"), r["batch"], r["stages"]
        inproc = st["read"] + sum(st[t] for t in TARGETS)
        before = r.get("before")
        lines.append(
            f"| {name} | {r['files']} | {r['megabytes']} | {r['floor']:.3f} | "
            + (f"{node['wall']:.2f} [{node['cpu']:.2f}] ({node['ok']} ok)" if node else "-")
            + f" | {batch['seconds']:.2f} [{batch['cpu']:.2f}] | "
            + (f"{batch['seconds'] / node['wall']:.2f}x" if node else "-")
            + f" | {batch['seconds'] / r['floor']:.1f}x | {inproc / r['floor']:.1f}x | {batch['peakMiB']} | "
            + (f"{before['seconds']:.2f} [{before['cpu']:.2f}] | {before['seconds'] / batch['seconds']:.2f}x |"
               if before else "- | - |"))
    lines += ["", "| set | " + " | ".join(STAGES) + " | all |", "|---" * (len(STAGES) + 2) + "|"]
    for name, r in f["sets"].items():
        lines.append(f"| {name} (s, in process) | "
                     + " | ".join(f"{r['stages'].get(k, 0.0):.3f}" for k in STAGES)
                     + f" | {sum(r['stages'].values()):.2f} |")
    if "corpus" in f:
        c, b = f["corpus"], f.get("corpusBefore")
        lines += ["", f"whole corpus through batch: {c['seconds']:.1f} s [{c['cpu']:.1f}], peak {c['peakMiB']} MiB, "
                  f"exit {c['exit']}, {c['byStatus']}"
                  + (f"; before {b['seconds']:.1f} s [{b['cpu']:.1f}], peak {b['peakMiB']} MiB = "
                     f"{b['seconds'] / c['seconds']:.2f}x" if b else "")]
    if "validate" in f:
        v = f["validate"]
        lines += ["", f"validate --no-cache, {v['files']} files ({v['valid']} valid): ours {v['oursSeconds']:.2f} s "
                  f"[{v['oursCpu']:.2f}] vs prance+osv {v['pranceSeconds']:.2f} s = {v['ratio']:.1f}x on the totals; "
                  f"our verdict differs from openapi-spec-validator on {len(v['differFromOsv'])} "
                  f"{v['differFromOsv']}; prance+osv differs on {v['pranceDiffersFromOsv']}"
                  + (f"; before {v['beforeSeconds']:.2f} s ({v['pranceSeconds'] / v['beforeSeconds']:.1f}x), "
                     f"{v['beforeDiffer']} verdicts differ from before" if v.get("beforeSeconds") else "")]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
