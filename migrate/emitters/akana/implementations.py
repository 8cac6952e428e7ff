"""The Sandbox implementation of the Akana API version (``akana-implementations.json``).

The Live implementation is made by the platform with the API ("When you create your initial API
definition, the API platform creates the Live implementation automatically", docs.akana.com
apiadmin_implementations.htm): its backend is the legacy body's ``TargetAPI``. A Sandbox
implementation is added with ``POST /api/apis/versions/{APIVersionID}/implementations``, whose
documented sample request #1 (m_apis_addAPIImplementation.htm) this file holds, without the
``APIVersionID`` the push client fills in::

    {"Sandbox": {"ImplementationCode": "Sandbox", "Description": "...", "CreateMechanism": "PROXY",
                 "ProxyImplementationRequest": {"TargetEndpointURL": ["https://sandbox.example.com"]}}}

Its backend URL is ``--akana-sandbox-url`` (or the profile's ``akana_sandbox_url``), else the first
absolute server of the spec whose description names it a sandbox (the word "sandbox").
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import urlsplit

from migrate.core.model import Api
from migrate.emitters.base import EmitOptions, PayloadFile

FILE_NAME = "akana-implementations.json"
#: m_apis_addAPIImplementation.htm: "ImplCode ... Valid values: Live or Sandbox"
SANDBOX = "Sandbox"
_SANDBOX_WORD = re.compile(r"\bsandbox\b", re.IGNORECASE)


def sandbox_server(api: Api) -> int | None:
    """The index of the first absolute server whose description names it a sandbox."""
    for i, server in enumerate(api.servers):
        parts = urlsplit(server.url)
        if parts.scheme and parts.netloc and _SANDBOX_WORD.search(server.description or ""):
            return i
    return None


def sandbox_url(api: Api, options: EmitOptions) -> tuple[str | None, str | None]:
    """(the Sandbox implementation's backend URL, where it came from) or (None, None)."""
    if options.akana_sandbox_url:
        return options.akana_sandbox_url, "--akana-sandbox-url"
    index = sandbox_server(api)
    if index is None:
        return None, None
    return api.servers[index].url, f"server {index}"


def implementations_file(url: str) -> PayloadFile:
    """The documented AddAPIImplementationRequest for a Sandbox implementation proxying ``url``."""
    document: dict[str, Any] = {SANDBOX: {
        "ImplementationCode": SANDBOX,
        "Description": "Sandbox implementation.",
        "CreateMechanism": "PROXY",
        "ProxyImplementationRequest": {"TargetEndpointURL": [url]},
    }}
    text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    return PayloadFile(FILE_NAME, text, "application/json", document)
