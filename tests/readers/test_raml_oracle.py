"""RAML 0.8 reader against the corpus and the reference parser (raml-js-parser 0.8.18).

tests/fixtures/raml/oracle-summary.json was generated from the ORACLE's output by
tests/fixtures/raml/oracle_summary.py (not from this reader), so no node is needed here.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from migrate.core.errors import MigrateError
from migrate.core.model import Api, Operation
from migrate.readers import read_spec
from tests.testsupport import FIXTURES, need_shared

SUMMARY = FIXTURES / "raml" / "oracle-summary.json"


def summarize(api: Api) -> dict[str, Any]:
    """Our model in the oracle summary's shape: path -> METHOD -> names per location."""
    out: dict[str, Any] = {}
    for resource in api.resources:
        out[resource.path] = {o.method: _operation(o, resource.path) for o in resource.operations}
    return out


def _operation(op: Operation, path: str) -> dict[str, list[str]]:
    contents = op.request_body.contents if op.request_body else []
    forms = {p.name for c in contents if c.media_type in ("multipart/form-data", "application/x-www-form-urlencoded")
             and c.schema is not None for p in c.schema.properties}
    return {
        "path": sorted(set(re.findall(r"\{([^{}]+)\}", path))),
        "query": sorted(p.name for p in op.parameters if p.location == "query"),
        "header": sorted(p.name for p in op.parameters if p.location == "header"),
        "form": sorted(forms),
        "bodies": sorted(c.media_type for c in contents),
        "responses": sorted(r.status for r in op.responses),
    }


def resolved_extensions(oracle: dict[str, Any], ours: dict[str, Any]) -> dict[str, Any]:
    """The oracle's summary with the one deliberate difference applied: the reference parser keeps
    ``{mediaTypeExtension}`` in a path, our reader writes the literal when the parameter allows one
    value only (RAML 0.8 reserves the parameter; tests/readers/test_raml_fidelity.py). A path is
    renamed only when ours has exactly that path with a literal in the parameter's place."""
    out: dict[str, Any] = {}
    for path, methods in oracle.items():
        pattern = re.escape(path).replace(re.escape("{mediaTypeExtension}"), r"\.[A-Za-z0-9]+")
        literal = [q for q in ours if "{mediaTypeExtension}" in path and q not in oracle and re.fullmatch(pattern, q)]
        if len(literal) != 1:
            out[path] = methods
            continue
        out[literal[0]] = {m: {**v, "path": [n for n in v["path"] if n != "mediaTypeExtension"]}
                           for m, v in methods.items()}
    return out


def _is_raml08(path: Path) -> bool:
    return path.read_bytes()[:64].lstrip(b"\xef\xbb\xbf").startswith(b"#%RAML 0.8")


def _read(path: Path) -> tuple[str, Api | None]:
    try:
        return "ok", read_spec(path)
    except MigrateError as exc:
        return f"error: {exc}", None


@pytest.mark.corpus
def test_every_raml08_file_reads_or_fails_cleanly() -> None:
    corpus = need_shared("corpus", "raml08")
    files = [p for p in sorted(corpus.rglob("*")) if p.is_file() and _is_raml08(p)]
    results = [_read(p)[0] for p in files]  # anything but a MigrateError fails the test here
    ok = results.count("ok")
    print(f"\nRAML 0.8 corpus: {len(files)} files, {ok} read, {len(files) - ok} MigrateError")
    assert files and ok > len(files) // 2


@pytest.mark.corpus
def test_raml_apis_match_the_reference_parser() -> None:
    corpus = need_shared("corpus", "raml08", "raml-apis")
    expected = json.loads(SUMMARY.read_text())
    oracle_ok = [doc for doc, entry in sorted(expected.items()) if entry["ok"]]
    ours_ok, matched, problems = 0, 0, []
    for doc in sorted(expected):
        status, api = _read(corpus / doc)
        ours_ok += api is not None
        if not expected[doc]["ok"]:
            continue
        if api is None:
            problems.append(f"{doc}: {status}")
        elif summarize(api) != resolved_extensions(expected[doc]["resources"], summarize(api)):
            problems.append(f"{doc}: differs from the reference parser")
        else:
            matched += 1
    print(f"\nraml-apis: {len(expected)} documents; oracle reads {len(oracle_ok)}, ours {ours_ok}, match {matched}")
    assert not problems, "\n".join(problems)
