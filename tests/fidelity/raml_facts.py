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
import re
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


def _root(path: Path) -> dict[str, Any]:
    doc = yaml.load(path.read_text(encoding="utf-8-sig", errors="replace"), Loader=_Loader)
    return doc if isinstance(doc, dict) else {}


def root_facts(doc: dict[str, Any], facts: Facts) -> None:
    """Servers, their variables and the API's security, as RAML 0.8 defines them: ``baseUri``
    (``{version}`` is the API's ``version``), served over each of ``protocols`` (default: the
    baseUri's own scheme); every other ``{name}`` is a baseUriParameter (declared with its
    default and enum, or undeclared: a string with no default); ``securedBy`` names schemes
    (``null``: anonymous access, no scheme)."""
    if isinstance(doc.get("baseUri"), str):
        template = doc["baseUri"].replace("{version}", str(doc.get("version")))
        params: dict[str, Any] = doc["baseUriParameters"] if isinstance(doc.get("baseUriParameters"), dict) else {}
        names = list(dict.fromkeys(re.findall(r"\{([^{}]+)\}", template)))
        specs: dict[str, dict[str, Any]] = {n: p if isinstance(p := params.get(n), dict) else {} for n in names}
        defaults = {n: s.get("default", (s.get("enum") or [None])[0]) for n, s in specs.items()}
        _, sep, rest = template.partition("://")
        protocols = [str(p).lower() for p in doc.get("protocols") or []] if sep else []
        for url in [f"{p}://{rest}" for p in protocols] or [template]:
            value = re.sub(r"\{([^{}]+)\}", lambda m: str(defaults.get(m.group(1)) or m.group(0)), url)
            facts.add("server", (url.rstrip("/") or "/",), value, "/baseUri", "/protocols")
            for name, spec in specs.items():
                if defaults[name] is not None:
                    facts.add("server-variable", (url.rstrip("/") or "/", name),
                              (str(defaults[name]), sorted(map(str, spec.get("enum") or []))),
                              f"/baseUriParameters/{esc(name)}", "/baseUri")
    secured = doc.get("securedBy")
    if isinstance(secured, list):
        names = sorted({_name(e) for e in secured if e is not None and e != "null"})
        declared = [(i, str(n), d) for i, entry in enumerate(doc.get("securitySchemes") or [])
                    if isinstance(entry, dict) for n, d in entry.items()]  # a list of one-key maps
        types = {n: str(d.get("type")) if isinstance(d, dict) else "None" for _, n, d in declared}
        # RAML 0.8 has no API key type: each scheme is (its type, no location, no name)
        alternatives = [() if e is None or e == "null" else ((types.get(_name(e), "None"), "", ""),) for e in secured]
        facts.add("security", ("api",), names, "/securedBy", *(f"/securedBy/{i}" for i in range(len(secured))),
                  *(f"/securitySchemes/{i}/{esc(n)}" for i, n, _ in declared if n in names), detail=alternatives)


def _name(entry: Any) -> str:
    return str(next(iter(entry))) if isinstance(entry, dict) else str(entry)


def raml_facts(path: Path, resources: dict[str, Any]) -> Facts:
    pointers, facts = resource_pointers(path), Facts()
    root_facts(_root(path), facts)
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
