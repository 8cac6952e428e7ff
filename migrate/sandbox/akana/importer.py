"""Akana 8.1+ "create an API based on an API description document" (m_apis_createAPI.htm): the
document uploaded to the dropbox becomes an API and its first version. How the platform maps a
document is not documented; the sandbox takes the plain reading: the title (or the
ServiceName) as the name, info.description and info.version, one operation per path and method
with its path, query and header parameters as inputs, and the first server as the backend.

Reads the document with its own code (json, else YAML), sharing nothing with the readers."""

from __future__ import annotations

import json
import re
from typing import Any

import yaml

METHODS = ("get", "put", "post", "delete", "head", "patch", "options")
LOCATIONS = ("path", "query", "header")
_NAME_BAD = re.compile(r"[^0-9A-Za-z_]+")


def parse_document(text: str) -> dict[str, Any]:
    """The uploaded document as an object; ValueError when it is neither JSON nor YAML of an object."""
    try:
        data = json.loads(text)
    except ValueError:
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            raise ValueError(f"not JSON or YAML: {exc}") from None
    if not isinstance(data, dict) or not isinstance(data.get("paths", {}), dict):
        raise ValueError("not an API description document")
    return data


def api_from_document(document: dict[str, Any], service_name: str | None) -> tuple[dict[str, Any], dict[str, Any]]:
    """(API fields, APIVersion) for ``document``; ValueError when it names no API."""
    info = _object(document.get("info"))
    name = service_name or info.get("title")
    if not isinstance(name, str) or not name.strip():
        raise ValueError("no ServiceName and no title in the document")
    description = str(info.get("description") or "")
    operations = [op for path, item in sorted(document.get("paths", {}).items()) if isinstance(item, dict)
                  for op in _operations(str(path), item)]
    version: dict[str, Any] = {"Name": str(info.get("version") or "1.0"), "Description": description,
                               "Type": "shttp", "Operations": {"Operation": operations},
                               "TargetAPI": {"Type": "shttp", "Endpoints": {"Endpoint": _backend(document)},
                                             "Operations": {"Operation": operations}}}
    return {"Name": name, "Description": description}, version


def _object(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _operations(path: str, item: dict[str, Any]) -> list[dict[str, Any]]:
    shared = _list(item.get("parameters"))
    out = []
    for method in METHODS:
        op = item.get(method)
        if not isinstance(op, dict):
            continue
        params = [*shared, *_list(op.get("parameters"))]
        inputs = [{"Name": str(p["name"]), "Type": p["in"]} for p in params
                  if isinstance(p, dict) and p.get("in") in LOCATIONS and "name" in p]
        name = op.get("operationId") or _NAME_BAD.sub("_", f"{method}{path}").strip("_")
        out.append({"Name": str(name), "Method": method.upper(), "Path": path, "Input": inputs,
                    "InputContentType": "*/*", "OutputContentType": "*/*", "FaultContentType": "*/*"})
    return out


def _backend(document: dict[str, Any]) -> list[dict[str, str]]:
    urls = [s["url"] for s in _list(document.get("servers")) if isinstance(s, dict) and "://" in str(s.get("url", ""))]
    if not urls and document.get("host"):  # Swagger 2.0
        scheme = (_list(document.get("schemes")) or ["https"])[0]
        urls = [f"{scheme}://{document['host']}{document.get('basePath') or ''}"]
    return [{"Category": "Production", "Uri": str(urls[0])}] if urls else []
