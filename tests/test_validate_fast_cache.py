"""The validation verdict cache (migrate.validation.fast.cache) through validate_source."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import migrate.validation.run as validate
from migrate.core.errors import RefError
from migrate.readers import ReadOptions
from migrate.validation.fast.cache import cache_dir
from migrate.validation.run import run_validate, validate_source

OPTS = ReadOptions()
DUP = {"swagger": "2.0", "info": {"title": "t", "version": "1"}, "paths": {
    "/a": {"get": {"operationId": "x", "responses": {"200": {"description": "ok"}}}},
    "/b": {"get": {"operationId": "x", "responses": {"200": {"description": "ok"}}}}}}


def oas_with_ref(target: str) -> dict[str, Any]:
    content = {"application/json": {"schema": {"$ref": target}}}
    return {"openapi": "3.0.3", "info": {"title": "t", "version": "1"},
            "paths": {"/a": {"get": {"responses": {"200": {"description": "ok", "content": content}}}}}}


@pytest.fixture
def calls(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Private cache folder; records every validation that was not answered from the cache."""
    monkeypatch.setenv("API_MIGRATE_CACHE_DIR", str(tmp_path / "cache"))
    seen: list[Path] = []
    real = validate._openapi

    def counting(path: Path, *args: Any, **kwargs: Any) -> Any:
        seen.append(path)
        return real(path, *args, **kwargs)

    monkeypatch.setattr(validate, "_openapi", counting)
    return seen


def write(path: Path, data: dict[str, Any]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data))
    return path


def test_unchanged_file_is_answered_from_the_cache(tmp_path: Path, calls: list[Path]) -> None:
    spec = write(tmp_path / "api" / "dup.json", DUP)
    first = validate_source(spec, OPTS, cache=True)
    assert first and validate_source(spec, OPTS, cache=True) == first
    assert len(calls) == 1
    assert validate_source(spec, OPTS) == first  # cache=False: validated again
    assert len(calls) == 2


def test_a_change_in_a_referenced_file_is_a_miss(tmp_path: Path, calls: list[Path]) -> None:
    spec = write(tmp_path / "api" / "main.json", oas_with_ref("parts/s.json#/S"))
    part = write(tmp_path / "api" / "parts" / "s.json", {"S": {"type": "string"}})
    assert validate_source(spec, OPTS, cache=True) == []
    write(part, {"S": {"type": "string", "minLength": -1}})
    assert validate_source(spec, OPTS, cache=True) != []
    assert len(calls) == 2


@pytest.mark.parametrize("key", ["\\u0024ref", "\\u0024\\u0072ef"])
def test_a_ref_key_written_with_escapes_still_keys_the_cache_on_its_file(tmp_path: Path, calls: list[Path],
                                                                        key: str) -> None:
    """Review finding: "\\u0024ref" is "$ref" once parsed, but the text holds no "$ref": the
    referenced file was left out of the cache key, and a change to it was answered stale."""
    text = json.dumps(oas_with_ref("parts/s.json#/S")).replace('"$ref"', f'"{key}"')
    spec = tmp_path / "api" / "main.json"
    spec.parent.mkdir(parents=True)
    spec.write_text(text)
    part = write(tmp_path / "api" / "parts" / "s.json", {"S": {"type": "string"}})
    assert validate_source(spec, OPTS, cache=True) == []
    write(part, {"S": {"type": "string", "minLength": -1}})
    assert validate_source(spec, OPTS, cache=True) != []
    assert len(calls) == 2


def test_ref_outside_the_root_is_never_cached(tmp_path: Path, calls: list[Path]) -> None:
    write(tmp_path / "s.json", {"S": {"type": "string"}})
    spec = write(tmp_path / "api" / "main.json", oas_with_ref("../s.json#/S"))
    for _ in range(2):
        with pytest.raises(RefError, match="outside the root folder"):
            validate_source(spec, OPTS, cache=True)
    assert not cache_dir().exists() or not list(cache_dir().iterdir())


def test_corrupt_entry_is_a_miss_and_is_replaced(tmp_path: Path, calls: list[Path]) -> None:
    spec = write(tmp_path / "api" / "dup.json", DUP)
    expected = validate_source(spec, OPTS, cache=True)
    (entry,) = cache_dir().iterdir()
    entry.write_text('{"findings": [{"code": "NO_SUCH"')
    assert validate_source(spec, OPTS, cache=True) == expected
    assert json.loads(entry.read_text())["findings"][0]["code"] == "SPEC_INVALID"


def test_run_validate_uses_the_cache_only_when_asked(tmp_path: Path, calls: list[Path]) -> None:
    spec = str(write(tmp_path / "api" / "dup.json", DUP))
    assert run_validate([spec], OPTS, "json", None, cache=True)[1] == 1
    assert run_validate([spec], OPTS, "json", None, cache=True)[1] == 1
    assert run_validate([spec], OPTS, "json", None)[1] == 1
    assert len(calls) == 2
