"""Helpers for the OpenAPI reader tests: write a small spec to a folder and read it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from migrate.core.diagnostics import Report
from migrate.core.model import Api
from migrate.readers import ReadOptions
from migrate.readers.openapi.read import read_with_report


def write(folder: Path, doc: dict[str, Any] | str, name: str = "spec.json") -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(doc if isinstance(doc, str) else json.dumps(doc), encoding="utf-8")
    return path


def read_doc(folder: Path, doc: dict[str, Any] | str, options: ReadOptions | None = None,
             name: str = "spec.json") -> tuple[Api, Report]:
    path = write(folder, doc, name)
    return read_with_report(path, path.read_text(encoding="utf-8"), options or ReadOptions())


def swagger(paths: dict[str, Any] | None = None, **extra: Any) -> dict[str, Any]:
    return {"swagger": "2.0", "info": {"title": "T", "version": "1"}, "paths": paths or {}, **extra}


def oas(paths: dict[str, Any] | None = None, version: str = "3.0.3", **extra: Any) -> dict[str, Any]:
    return {"openapi": version, "info": {"title": "T", "version": "1"}, "paths": paths or {}, **extra}


def op_of(api: Api, path: str = "/x", method: str = "GET") -> Any:
    for resource, op in api.operations():
        if resource.path == path and op.method == method:
            return op
    raise AssertionError(f"no {method} {path}")


def codes(report: Report) -> list[str]:
    return [d.code.name for d in report]
