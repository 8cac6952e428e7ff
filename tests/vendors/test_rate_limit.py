"""Issue 13: rate limits. The sandboxes can refuse requests above a rate with 429 + Retry-After
(``migrate.sandbox.ratelimit``); a batch push of 200 specs per vendor under 5 requests/second and
20% injected faults completes with no duplicate, honours every Retry-After, and sends no more
than the requests of an undisturbed run plus the resends and look-ups its failed answers called
for. The counts are printed (``pytest -s``)."""

from __future__ import annotations

import io
import json
import threading
from pathlib import Path
from typing import Any

import pytest
import requests

from migrate.batch.run import run_batch
from migrate.emitters.base import EmitOptions
from migrate.push.commands import Connection
from migrate.push.http import RetryPolicy
from migrate.readers import ReadOptions
from migrate.sandbox import FaultSpec, SandboxHandle, start_sandbox, write_config
from tests.vendors.vendor_helpers import spec_document

SPECS = 200
RATE = 5.0
OBJECTS = {"akamai": "endpoints", "akana": "apis", "frends": "specs"}
#: Faults a push recovers from on its own. Akana's documents give no way to find an API by name,
#: so a create whose answer is lost (500, 503, reset, lost) has an unknown outcome that only an
#: operator can settle (tests/vendors/test_faults_push.py plays that part): for Akana the rate
#: test injects only the faults that leave no doubt.
KINDS = {"akamai": ("429", "500", "503", "slow", "reset", "lost"), "akana": ("429", "slow"),
         "frends": ("429", "500", "503", "slow", "reset", "lost")}
POLICY = RetryPolicy(attempts=12, base=0.05, cap=5.0, jitter=0.05, timeout=10.0)


def test_the_rate_limit_answers_429_with_retry_after_and_logs_every_request() -> None:
    with start_sandbox("frends", rate_limit=2.0) as handle:
        url = handle.base_urls["frends"] + "/api-management/api-specifications"
        statuses = [requests.get(url, timeout=5) for _ in range(4)]
        log = handle.requests
        assert [r.status_code for r in statuses][:2] != [429, 429]
        refused = [r for r in statuses if r.status_code == 429]
        assert refused and all(r.headers["Retry-After"] == "1" for r in refused)
        assert refused[0].json()["status"] == 429  # problem+json, as Frends answers errors
        assert log.count("frends") == 4 and log.limited("frends") == len(refused)
        assert log.early_retries("frends")  # the next request came sooner than Retry-After asked


def _specs(folder: Path) -> Path:
    folder.mkdir(parents=True)
    for i in range(SPECS):
        (folder / f"s{i:03d}.json").write_text(json.dumps(spec_document(f"Rate {i:03d}", f"/rate-{i:03d}")))
    return folder


def _batch(vendor: str, src: Path, out: Path, handle: SandboxHandle, config: Path) -> int:
    conn = Connection(vendor, config, f"sandbox-{vendor}", policy=POLICY, journal=out.parent / f"{out.name}.jsonl")
    return run_batch([src], [vendor], out, EmitOptions(), ReadOptions(), 1, False, "text", False, push=vendor,
                     push_connection=conn, out=io.StringIO())


def _pushed(out: Path) -> dict[str, str]:
    return {e["name"]: e["status"] for e in json.loads((out / "push-report.json").read_text())["pushes"]}


def _baseline(src: Path, tmp: Path) -> dict[str, tuple[int, int]]:
    """Reads and writes of an undisturbed run (no limit, no faults): the minimum a push needs."""
    counts = {}
    with start_sandbox("all") as handle:
        write_config(handle, tmp / "base.toml")
        for vendor in OBJECTS:
            assert _batch(vendor, src, tmp / f"base-{vendor}", handle, tmp / "base.toml") == 0
            counts[vendor] = _split(handle.requests.of(vendor))
    return counts


def _split(entries: list[dict[str, Any]]) -> tuple[int, int]:
    reads = sum(e["method"] == "GET" for e in entries)
    return reads, len(entries) - reads


def _failed(entries: list[dict[str, Any]]) -> tuple[int, int]:
    """Failed reads and writes: answers that call for a resend (refused, failed, never received)."""
    failed = [e for e in entries if e["status"] is None or e["status"] in (429, 500, 502, 503, 504)]
    return _split(failed)


@pytest.mark.slow
def test_batch_push_under_a_rate_limit_and_faults(tmp_path: Path) -> None:
    src = _specs(tmp_path / "src")
    minimum = _baseline(src, tmp_path)
    codes: dict[str, int] = {}
    faults = {v: FaultSpec(0.2, seed=13, kinds=KINDS[v], slow_seconds=0.3) for v in OBJECTS}
    with start_sandbox("all", rate_limit=RATE, faults=faults) as handle:
        write_config(handle, tmp_path / "limited.toml")

        def run(vendor: str) -> None:
            codes[vendor] = _batch(vendor, src, tmp_path / f"out-{vendor}", handle, tmp_path / "limited.toml")

        threads = [threading.Thread(target=run, args=(v,)) for v in OBJECTS]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=900)
        state = handle.state()
        for vendor in OBJECTS:
            entries = handle.requests.of(vendor)
            (reads, writes), (failed_reads, failed_writes) = _split(entries), _failed(entries)
            (min_reads, min_writes) = minimum[vendor]
            faults = sum(f["vendor"] == vendor for f in handle.faults.entries)
            print(f"{vendor}: {SPECS} specs at {RATE:g} req/s + 20% faults: {reads} reads (minimum {min_reads}, "
                  f"{failed_reads} failed), {writes} writes (minimum {min_writes}, {failed_writes} failed); "
                  f"{handle.requests.limited(vendor)} refused by the limit, {faults} faults injected; "
                  f"{len(state[vendor][OBJECTS[vendor]])} objects")
            assert codes[vendor] == 0, vendor
            assert set(_pushed(tmp_path / f"out-{vendor}").values()) == {"pushed"}
            assert len(state[vendor][OBJECTS[vendor]]) == SPECS  # no duplicate, none missing
            assert handle.requests.early_retries(vendor) == [], vendor  # every Retry-After honoured
            # a failed write is sent again at most once, or replaced by one look-up (a read) when its
            # outcome is unknown; a failed read is sent again once
            assert writes <= min_writes + failed_writes, vendor
            assert reads <= min_reads + failed_reads + failed_writes, vendor
