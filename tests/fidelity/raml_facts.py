"""Facts of a RAML 0.8 API as the RAML 0.8 reference parser (raml-js-parser 0.8.18) expands it:
tests/fixtures/raml/oracle-summary.json holds, per corpus document, its resources (full paths)
with their methods, query/header parameter names, path parameter names and response codes,
generated from the reference parser's output (not from this project's reader).

Pointers: a resource's pointer is found by walking the RAML document's own keys (nested
resources are ``/~1parent/~1child``); a parameter from a trait or resource type may be named at
its definition, so any pointer ending in ``/queryParameters/NAME`` (or ``headers``,
``uriParameters``) is accepted for it, besides its method and resource.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from tests.fidelity.facts import Facts, esc
from tests.testsupport import FIXTURES

SUMMARY = FIXTURES / "raml" / "oracle-summary.json"
#: the same for the RAML samples (tests/fixtures/raml/oracle_samples.py)
SAMPLES_SUMMARY = FIXTURES / "raml" / "oracle-samples.json"
METHODS = ("get", "post", "put", "delete", "head", "patch", "options", "trace", "connect")
_SECTION = {"query": "queryParameters", "header": "headers", "path": "uriParameters"}


class _Loader(yaml.SafeLoader):
    """RAML's !include and unknown tags read as plain values (only the resource keys matter here)."""


_Loader.add_multi_constructor("!", lambda loader, suffix, node: None)


def summaries(file: Path = SUMMARY) -> dict[str, Any]:
    return {doc: entry for doc, entry in json.loads(file.read_text()).items() if entry["ok"]}


def resource_pointers(path: Path) -> dict[str, str]:
    """Full resource path -> its pointer in the RAML document."""
    doc = yaml.load(path.read_text(encoding="utf-8-sig", errors="replace"), Loader=_Loader)
    out: dict[str, str] = {}

    def walk(node: Any, prefix: str, pointer: str) -> None:
        for key, value in (node or {}).items() if isinstance(node, dict) else []:
            if isinstance(key, str) and key.startswith("/"):
                out[prefix + key] = f"{pointer}/{esc(key)}"
                walk(value, prefix + key, f"{pointer}/{esc(key)}")

    walk(doc, "", "")
    return out


def raml_facts(path: Path, resources: dict[str, Any]) -> Facts:
    pointers, facts = resource_pointers(path), Facts()
    for full, methods in resources.items():
        at = pointers.get(full, "")
        facts.add("path", (full,), full, at)
        for method, names in methods.items():
            op_at = f"{at}/{method.lower()}"
            facts.add("operation", (full, method), True, op_at, at)
            for where in ("query", "header", "path"):
                for name in names[where]:
                    facts.add("parameter", (full, method, name, where), True, op_at, at,
                              f"*/{_SECTION[where]}/{esc(name)}")
            for code in names["responses"]:
                facts.add("response", (full, method, str(code)), True, f"{op_at}/responses/{code}", op_at)
    return facts
