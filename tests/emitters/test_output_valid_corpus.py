"""Every OpenAPI 3.0.3 document the project emits (``--to openapi`` and Frends' import document)
passes openapi-spec-validator, for every spec of the corpus: all Swagger 2.0 files, every
OpenAPI 3.0 and 3.1 file, the large Swagger files and the RAML 0.8 APIs. The library is called
here directly (not the project's own validation, which runs before a file is written).

Specs the project refuses as unusable input (exit 2, tests/test_cli_errors.py) are counted
apart; every OpenAPI 3.1 source that is read must come out valid. Each spec is read once for
both targets; the library's own checks dominate the run time (about 1,600 documents: 24 minutes
on a shared, heavily loaded 2-core machine with one process; now two), hence ``slow`` as well as
``corpus``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from openapi_spec_validator import OpenAPIV30SpecValidator

from migrate.conversion.run import convert
from migrate.core.errors import MigrateError
from migrate.readers import read_spec
from tests.testsupport import CORPUS, need_shared

pytestmark = [pytest.mark.corpus, pytest.mark.slow]
SPEC_SUFFIXES = (".json", ".yaml", ".yml")
TARGETS = ("openapi", "frends")


def _head(path: Path) -> bytes:
    return path.read_bytes()[:400].lstrip(b"\xef\xbb\xbf")


def corpus_specs() -> list[Path]:
    """Swagger 2.0 / OpenAPI 3.x files (by their version key) and RAML 0.8 root documents."""
    specs = [p for folder in ("swagger20", "openapi3", "large") for p in sorted((CORPUS / folder).rglob("*"))
             if p.suffix in SPEC_SUFFIXES and any(k in _head(p) for k in (b"swagger", b"openapi"))]
    raml = [p for p in sorted((CORPUS / "raml08" / "raml-apis").rglob("*.raml")) if _head(p).startswith(b"#%RAML 0.8")]
    return specs + raml


def _errors(document: object) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}"[:300]
            for e in OpenAPIV30SpecValidator(document).iter_errors()]  # type: ignore[arg-type]


def check_spec(spec: Path) -> tuple[bool, bool, dict[str, list[str]]]:
    """(read, an OpenAPI 3.1 source, {"spec -> target": first errors}) for one spec (in a worker)."""
    try:
        api = read_spec(spec)
    except MigrateError:
        return False, False, {}  # unusable input is refused with a one-line error (tests/test_cli_errors.py)
    invalid: dict[str, list[str]] = {}
    for target in TARGETS:
        found = _errors(convert(spec, target, api=api).payload.main().document)
        if found:
            invalid[f"{spec.relative_to(CORPUS)} -> {target}"] = found[:3]
    is31 = api.source is not None and api.source.format_version.startswith("3.1")
    return True, is31, invalid


def test_every_emitted_openapi_and_frends_document_of_the_corpus_is_valid() -> None:
    """On two processes (the library's checks are CPU-bound)."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    need_shared("corpus")
    invalid: dict[str, list[str]] = {}
    converted = openapi31 = 0
    with ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("spawn")) as pool:
        for read, is31, found in pool.map(check_spec, corpus_specs(), chunksize=8):
            converted += read
            openapi31 += is31
            invalid.update(found)
    assert invalid == {}
    assert converted >= 700 and openapi31 >= 20, (converted, openapi31)
