"""Fuzz test (issue 13): structure-aware mutations of real specs through read, every emitter and
``validate``, with a fixed seed. The default run mutates the bundled samples (a few hundred
inputs); ``.ci/run`` (marker ``corpus``) mutates at least 2,000 inputs drawn from
../shared/corpus as well. Only the project's own errors may be raised, and no input may run
past 10 s. Every input that ever failed is kept in tests/fixtures/fuzz/ and re-run here."""

from __future__ import annotations

import multiprocessing
import os
import random
import re
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

from tests.fuzz.harness import Finding, check, workdir_for
from tests.fuzz.mutate import Seed, dump, mutate, parse
from tests.testsupport import CORPUS, FIXTURES, ROOT, SAMPLES, need_shared

QUICK_INPUTS = 300
CI_INPUTS = 2_000
#: Corpus seeds: (folder, how many, largest size in bytes). Bigger files make each input slow
#: without reaching code the smaller ones do not.
CORPUS_SEEDS = (("swagger20/apis-guru-2019", 45, 120_000), ("openapi3/oai-openapi-specification", 30, 120_000),
                ("raml08/raml-apis", 25, 150_000))
REGRESSIONS = FIXTURES / "fuzz"
#: Where failing inputs are kept for a person to reduce into a regression fixture (outlives
#: pytest's temporary folders; ignored by git).
FINDINGS = Path(os.environ.get("API_MIGRATE_FUZZ_FINDINGS", ROOT / "build" / "fuzz-findings"))


def seed_of(path: Path) -> Seed | None:
    head = path.read_bytes()[:2_000]
    if path.suffix == ".raml" and head.startswith(b"#%RAML 0.8"):
        return Seed(path, "raml")
    if path.suffix == ".json" and re.search(rb'"(openapi|swagger)"\s*:', head):
        return Seed(path, "json")
    if path.suffix in (".yaml", ".yml") and re.search(rb"^(openapi|swagger)\s*:", head, re.M):
        return Seed(path, "yaml")
    return None


def sample_seeds() -> list[Seed]:
    files = sorted(p for p in SAMPLES.rglob("*") if p.is_file())
    return [s for s in map(seed_of, files) if s is not None]


def corpus_seeds(rng: random.Random) -> list[Seed]:
    chosen: list[Seed] = []
    for folder, count, largest in CORPUS_SEEDS:
        files = sorted(p for p in (CORPUS / folder).rglob("*") if p.is_file() and p.stat().st_size <= largest)
        seeds = [s for s in map(seed_of, files) if s is not None]
        chosen += rng.sample(seeds, min(count, len(seeds)))
    return chosen


def fuzz(seeds: list[Seed], inputs: int, base: int, work: Path, jobs: int = 1) -> tuple[int, list[Finding]]:
    """``inputs`` mutants, spread over ``seeds`` in turn, in ``jobs`` processes; input ``n`` is
    made by ``random.Random(base * 100_003 + n)``, so the inputs do not depend on ``jobs``.
    Returns how many ran and the findings."""
    parts = [range(i, inputs, jobs) for i in range(jobs)]
    if jobs == 1:
        return inputs, _fuzz_part(seeds, parts[0], base, work)
    with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("spawn")) as pool:
        found = pool.map(_fuzz_part, [seeds] * jobs, parts, [base] * jobs, [work / f"p{i}" for i in range(jobs)])
        return inputs, [f for part in found for f in part]


def _fuzz_part(seeds: list[Seed], numbers: range, base: int, work: Path) -> list[Finding]:
    parsed = [(seed, parse(seed), workdir_for(seed.path, work / f"s{i}")) for i, seed in enumerate(seeds)]
    findings: list[Finding] = []
    for n in numbers:
        seed, data, target = parsed[n % len(parsed)]
        mutant, how = mutate(random.Random(base * 100_003 + n), data)
        target.write_text(dump(mutant, seed.fmt), encoding="utf-8")
        found = check(target, [str(seed.path), *how])
        if found:
            kept = FINDINGS / f"{n:05d}-{target.name}"
            kept.parent.mkdir(parents=True, exist_ok=True)
            kept.write_bytes(target.read_bytes())
            found.input = kept
            findings.append(found)
    return findings


def explain(findings: list[Finding]) -> str:
    lines = [f"{len(findings)} input(s) crashed or hung; copy each into tests/fixtures/fuzz/ once fixed:"]
    for f in findings[:10]:
        lines += [f"- {f.input} (from {' / '.join(f.how)})", f"  {f.error}"]
    return "\n".join(lines)


def test_fuzz_samples(tmp_path: Path) -> None:
    ran, findings = fuzz(sample_seeds(), QUICK_INPUTS, 13, tmp_path)
    print(f"fuzz: {ran} mutated inputs from {len(sample_seeds())} samples, {len(findings)} findings")
    assert not findings, explain(findings)


@pytest.mark.corpus
def test_fuzz_corpus(tmp_path: Path) -> None:
    need_shared("corpus")
    seeds = sample_seeds() + corpus_seeds(random.Random(2026))
    ran, findings = fuzz(seeds, CI_INPUTS, 2026, tmp_path, jobs=min(2, os.cpu_count() or 1))
    print(f"fuzz: {ran} mutated inputs from {len(seeds)} seeds, {len(findings)} findings")
    assert ran >= 2_000 and len(seeds) >= 50
    assert not findings, explain(findings)


@pytest.mark.parametrize("path", sorted(p for p in REGRESSIONS.rglob("*") if p.is_file() and p.suffix != ".md"),
                         ids=lambda p: p.name)
def test_inputs_that_once_failed(path: Path) -> None:
    assert check(path, [path.name]) is None
