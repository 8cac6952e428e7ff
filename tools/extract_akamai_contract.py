"""Regenerate migrate/push/contracts/akamai.json (and its NOTICE) from Akamai's openapi.json.

The extract is the contract of our Akamai client and of the sandbox's fake Akamai server: the
paths of the API Endpoint Definition API v2 that we use, with every method the descriptor has on
them, and every component they reference (transitively), all copied unchanged, ``x-`` keys kept.
Its known defects, checked against the vendor's seed examples, are in akamai-defects.yaml beside it.

Usage: python tools/extract_akamai_contract.py [PATH_TO_OPENAPI_JSON] [--check]
(default: ../shared/vendor/akamai/openapi.json beside the project root; ``--check`` writes
nothing and exits 1 when the committed files differ from what the descriptor gives)
"""

from __future__ import annotations

import argparse
import copy
import hashlib
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SOURCE = ROOT.parent / "shared" / "vendor" / "akamai" / "openapi.json"
CONTRACTS = ROOT / "migrate" / "push" / "contracts"
OUTPUT = CONTRACTS / "akamai.json"
NOTICE = CONTRACTS / "NOTICE"

SOURCE_URL = "https://github.com/akamai/akamai-apis/blob/main/apis/api-definitions/v2/openapi.json"
VERSION = "/endpoints/{apiEndPointId}/versions/{versionNumber}"
#: the paths we use, spelled as in the descriptor (endpoint search is GET /endpoints?contains=...)
PATHS: tuple[str, ...] = (
    "/endpoints",
    "/endpoints/files",
    "/endpoints/{apiEndPointId}",
    "/endpoints/{apiEndPointId}/versions",
    VERSION,
    f"{VERSION}/resources-detail",
    f"{VERSION}/cloneVersion",
    f"{VERSION}/activate",
    f"{VERSION}/deactivate",
    f"{VERSION}/file",
    f"{VERSION}/settings/cache",
    f"{VERSION}/settings/gzip",
    f"{VERSION}/settings/cors",
    f"{VERSION}/settings/jwt",
    f"{VERSION}/settings/api-privacy",
    "/categories",
    "/categories/{apiCategoryId}",
    "/contracts/groups",
    "/contracts/{contractId}/groups/{groupId}/hosts",
)
HTTP_METHODS = frozenset({"get", "put", "post", "delete", "options", "head", "patch", "trace"})

NOTICE_TEXT = """\
akamai.json

akamai.json is an extract, unchanged apart from its info object, of the OpenAPI definition of
Akamai's API Endpoint Definition API v2 (api-definitions/v2 openapi.json) published in the
akamai/akamai-apis repository (https://github.com/akamai/akamai-apis), Copyright Akamai
Technologies, Inc., licensed under the Apache License, Version 2.0
(https://www.apache.org/licenses/LICENSE-2.0). It holds only the paths api-migrate uses and the
components they reference. Regenerate it with tools/extract_akamai_contract.py.
"""


class ExtractError(Exception):
    """The descriptor does not have what the extract needs."""


def _unescape(token: str) -> str:
    return token.replace("~1", "/").replace("~0", "~")


def _resolve(document: dict[str, Any], ref: str) -> tuple[tuple[str, ...], Any]:
    """(pointer tokens, target) of a local ``$ref`` such as ``#/components/schemas/Endpoint``."""
    if not ref.startswith("#/"):
        raise ExtractError(f"only local references are supported, not {ref!r}")
    tokens = tuple(_unescape(token) for token in ref[2:].split("/"))
    node: Any = document
    for token in tokens:
        if isinstance(node, list):
            node = node[int(token)]
        elif isinstance(node, dict) and token in node:
            node = node[token]
        else:
            raise ExtractError(f"unresolvable reference {ref!r}")
    return tokens, node


def _referenced_components(document: dict[str, Any], roots: list[Any]) -> dict[str, dict[str, Any]]:
    """Every component reachable from ``roots`` through ``$ref``, as ``{kind: {name: value}}``."""
    found: dict[str, dict[str, Any]] = {}
    seen: set[str] = set()
    stack: list[Any] = list(roots)
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(node)
            continue
        if not isinstance(node, dict):
            continue
        ref = node.get("$ref")
        if isinstance(ref, str) and ref not in seen:
            seen.add(ref)
            tokens, target = _resolve(document, ref)
            if len(tokens) != 3 or tokens[0] != "components":
                raise ExtractError(f"a reference outside components/<kind>/<name> cannot be extracted: {ref!r}")
            found.setdefault(tokens[1], {})[tokens[2]] = target
            stack.append(target)
        stack.extend(value for key, value in node.items() if key != "$ref")
    return found


def _security_schemes(document: dict[str, Any], paths: dict[str, Any]) -> dict[str, Any]:
    """The security schemes named by the top-level or an extracted operation's ``security``."""
    requirements: list[dict[str, Any]] = list(document.get("security") or [])
    for item in paths.values():
        for method, operation in item.items():
            if method in HTTP_METHODS:
                requirements.extend(operation.get("security") or [])
    defined = document.get("components", {}).get("securitySchemes", {})
    names = {name for requirement in requirements for name in requirement}
    missing = names - set(defined)
    if missing:
        raise ExtractError(f"undefined security schemes: {sorted(missing)}")
    return {name: defined[name] for name in names}


def _info(source: dict[str, Any], digest: str) -> dict[str, Any]:
    info: dict[str, Any] = copy.deepcopy(source["info"])
    info["description"] = (
        "Extract of Akamai's own OpenAPI description of the API Endpoint Definition API v2 "
        f"({SOURCE_URL}; Copyright Akamai Technologies, Inc.; Apache License 2.0, see NOTICE): "
        "the paths api-migrate's Akamai client and sandbox use, with every method the descriptor has on them "
        "and every component they reference, copied unchanged. Written by tools/extract_akamai_contract.py; "
        "the descriptor's known defects are listed in akamai-defects.yaml."
    )
    info["x-api-migrate-extract"] = {
        "license": "Apache-2.0",
        "paths": list(PATHS),
        "source": SOURCE_URL,
        "sourceSha256": digest,
        "tool": "tools/extract_akamai_contract.py",
    }
    return info


def extract_contract(source: dict[str, Any], digest: str) -> dict[str, Any]:
    """The extract of ``source`` (the parsed descriptor, whose bytes hash to ``digest``)."""
    missing = [path for path in PATHS if path not in source.get("paths", {})]
    if missing:
        raise ExtractError(f"paths missing from the descriptor: {missing}")
    paths = {path: copy.deepcopy(source["paths"][path]) for path in PATHS}
    out: dict[str, Any] = {key: copy.deepcopy(value) for key, value in source.items() if key.startswith("x-")}
    out["openapi"] = source["openapi"]
    out["info"] = _info(source, digest)
    for key in ("servers", "externalDocs", "security"):
        if key in source:
            out[key] = copy.deepcopy(source[key])
    out["paths"] = paths
    used_tags = {
        tag
        for item in paths.values()
        for method, op in item.items()
        if method in HTTP_METHODS
        for tag in op.get("tags", [])
    }
    tags = [tag for tag in source.get("tags", []) if tag.get("name") in used_tags]
    if tags:
        out["tags"] = copy.deepcopy(tags)
    components = _referenced_components(source, [paths, out.get("security", [])])
    schemes = _security_schemes(source, paths)
    for scheme in schemes.values():
        components_of_scheme = _referenced_components(source, [scheme])
        for kind, named in components_of_scheme.items():
            components.setdefault(kind, {}).update(named)
    if schemes:
        components.setdefault("securitySchemes", {}).update(schemes)
    if components:
        out["components"] = copy.deepcopy(components)
    return out


def dump(document: dict[str, Any]) -> str:
    """Deterministic text of the extract (sorted keys, indent 1, UTF-8 kept)."""
    return json.dumps(document, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def build(source_path: Path) -> dict[Path, str]:
    """Every file the tool writes, with its text."""
    raw = source_path.read_bytes()
    source = json.loads(raw)
    return {OUTPUT: dump(extract_contract(source, hashlib.sha256(raw).hexdigest())), NOTICE: NOTICE_TEXT}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("source", nargs="?", type=Path, default=DEFAULT_SOURCE, help="Akamai's openapi.json")
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if the files are stale")
    args = parser.parse_args(argv)
    try:
        files = build(args.source)
    except (OSError, ValueError, KeyError, ExtractError) as exc:
        print(f"extract_akamai_contract: {exc}", file=sys.stderr)
        return 2
    if args.check:
        stale = [path for path, text in files.items() if not path.exists() or path.read_text(encoding="utf-8") != text]
        for path in stale:
            print(f"stale: {path.relative_to(ROOT)}", file=sys.stderr)
        return 1 if stale else 0
    CONTRACTS.mkdir(parents=True, exist_ok=True)
    for path, text in files.items():
        path.write_text(text, encoding="utf-8", newline="\n")
        print(f"wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
