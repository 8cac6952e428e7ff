"""What compiling the hot modules with mypyc would buy each in-process stage (issue 12).

    python bench/compiled_bound.py [--count 100] [--repeat 3] [--json]

Copies the package (``git ls-files migrate templates``, the working tree's text) into two temporary
folders, compiles the modules of ``COMPILED`` in one of them with mypyc (the compiler ships with
mypy, from the test extra; it needs gcc and the Python headers, about a minute), then times the
in-process stages of a batch worker (``batch_speed.stages``) on the derived set of ``batch_speed.py``,
each copy in its own process, alternating, ``--repeat`` times; each figure is the median. It also
hashes every payload file the four emitters make for each spec in both copies, and stops when
they differ: the compiled copy must give the same bytes.

Modules mypyc cannot compile as they are written are left as Python (``LEFT``, with the reason).
Nothing is installed and nothing in the project changes: this measures an option, it is not a build.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from _common import ROOT, machine
from batch_speed import STAGES, derived_files

#: the packages whose modules are compiled (every module in them but ``__init__`` and ``LEFT``), and
#: single modules elsewhere: the reader, the emitters, the validity check's walk, loading, positions
COMPILED = ("migrate/readers/openapi", "migrate/emitters", "migrate/validation/fast", "migrate/source",
            "migrate/conversion", "migrate/core/pointers.py", "migrate/core/jsonpos.py")
#: modules mypyc does not compile as written (found by compiling them), left as Python
LEFT = {
    "migrate/source/raml_yaml.py": "a class inherits from a builtin type (mypyc: unimplemented)",
    "migrate/emitters/render.py": "Jinja reads an attribute on its filter functions (jinja_pass_arg), "
                                  "which a compiled function cannot carry",
    "migrate/core/model.py": "its dataclasses compiled have no __dict__, which the reader's vars() reads",
    "migrate/core/diagnostics.py": "an Enum with __init__ fails at import when compiled",
}

#: run in each copy: the stages (as ``batch_speed.stages``), then a digest of every payload file
_CHILD = """
import hashlib, json, sys
from pathlib import Path
sys.path.insert(0, {bench!r})
from batch_speed import stages
from migrate.emitters.base import EmitOptions, emit
from migrate.batch.worker import read_with_diagnostics
from migrate.readers import ReadOptions
import migrate
files = [Path(p) for p in json.loads(sys.argv[1])]
totals = stages(files)
digest = hashlib.sha256()
for path in files:
    try:
        api, _ = read_with_diagnostics(path, ReadOptions())
    except Exception as exc:
        digest.update(repr(exc).encode())
        continue
    for target in ("akamai", "akana", "frends", "openapi"):
        try:
            payload = emit(api, target, EmitOptions())
        except Exception as exc:
            digest.update(repr(exc).encode())
            continue
        for item in payload.files:
            digest.update(item.name.encode() + b"\\0" + item.text.encode())
        digest.update(json.dumps([d.to_json() for d in payload.report]).encode())
print(json.dumps({{"stages": totals, "digest": digest.hexdigest(), "package": migrate.__file__}}))
"""


def copy_package(folder: Path) -> None:
    listed = subprocess.run(["git", "ls-files", "migrate", "templates"], cwd=ROOT, capture_output=True,
                            text=True, check=True).stdout.split()
    for name in listed:
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, target)


def modules(folder: Path) -> list[str]:
    found: list[str] = []
    for entry in COMPILED:
        path = folder / entry
        names = [path] if path.suffix == ".py" else sorted(path.rglob("*.py"))
        found += [p.relative_to(folder).as_posix() for p in names if p.name != "__init__.py"]
    return [m for m in found if m not in LEFT]


def compile_copy(folder: Path) -> tuple[int, float]:
    """mypyc over ``modules`` in ``folder`` (its extension modules are built in place)."""
    names = modules(folder)
    mypyc = shutil.which("mypyc", path=str(Path(sys.executable).parent)) or shutil.which("mypyc")
    if mypyc is None:
        sys.exit("needs mypyc (it ships with mypy: pip install -e '.[test]')")
    start = time.perf_counter()
    done = subprocess.run([mypyc, "--ignore-missing-imports", *names], cwd=folder, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit("mypyc failed:\n" + (done.stdout + done.stderr)[-4000:])
    return len(names), time.perf_counter() - start


def run_stages(folder: Path, files: list[Path]) -> dict[str, Any]:
    env = {"PYTHONPATH": str(folder), "PATH": "/usr/bin:/bin", "PYTHONHASHSEED": "1"}
    done = subprocess.run([sys.executable, "-c", _CHILD.format(bench=str(ROOT / "bench")),
                           json.dumps([str(f) for f in files])], cwd=folder, env=env, capture_output=True,
                          text=True)
    if done.returncode != 0:
        sys.exit(f"the stages failed in {folder}:\n{done.stderr[-4000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    if not str(result["package"]).startswith(str(folder)):
        sys.exit(f"the stages imported {result['package']}, not the copy in {folder}")
    return result


def measure(files: list[Path], repeat: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="api-migrate-compiled-") as tmp:
        pure, compiled = Path(tmp) / "pure", Path(tmp) / "compiled"
        copy_package(pure)
        copy_package(compiled)
        count, seconds = compile_copy(compiled)
        runs: dict[str, list[dict[str, Any]]] = {"pure": [], "compiled": []}
        for _ in range(repeat):
            for name, folder in (("compiled", compiled), ("pure", pure)):
                runs[name].append(run_stages(folder, files))
    digests = {name: {r["digest"] for r in found} for name, found in runs.items()}
    if len(digests["pure"] | digests["compiled"]) != 1:
        sys.exit(f"the compiled copy's payloads differ from the pure copy's: {digests}")
    medians = {name: {stage: statistics.median(r["stages"][stage] for r in found) for stage in STAGES}
               for name, found in runs.items()}
    rows = {stage: {"pure": medians["pure"][stage], "compiled": medians["compiled"][stage],
                    "ratio": medians["pure"][stage] / medians["compiled"][stage]
                    if medians["compiled"][stage] else None} for stage in STAGES}
    # the write stage is mostly the file system's (it drifts run after run): the sum leaves it out
    summed = [s for s in STAGES if s != "write"]
    total = {name: sum(medians[name][s] for s in summed) for name in medians}
    return {"machine": machine(), "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
            "files": len(files), "repeat": repeat, "compiledModules": count, "compileSeconds": seconds,
            "left": LEFT, "payloadsIdentical": True, "stages": rows,
            "withoutWrite": {**total, "ratio": total["pure"] / total["compiled"]}}


def table(result: dict[str, Any]) -> str:
    lines = [f"{result['compiledModules']} modules compiled by mypyc in {result['compileSeconds']:.0f} s; "
             f"payloads identical; median of {result['repeat']} alternating runs, {result['files']} specs",
             f"{'stage':10} {'pure s':>8} {'mypyc s':>8} {'pure/mypyc':>10}"]
    for stage, row in result["stages"].items():
        ratio = f"{row['ratio']:9.2f}x" if row["ratio"] else f"{'-':>10}"
        lines.append(f"{stage:10} {row['pure']:8.3f} {row['compiled']:8.3f} {ratio}")
    total = result["withoutWrite"]
    lines.append(f"{'all - write':10} {total['pure']:8.3f} {total['compiled']:8.3f} {total['ratio']:9.2f}x")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    files = derived_files(args.count)
    result = measure(files, args.repeat)
    print(json.dumps(result, indent=2) if args.json else table(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
