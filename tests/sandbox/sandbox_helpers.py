"""Helpers shared by the sandbox tests (imported by conftest.py and the test modules)."""

from __future__ import annotations

from typing import Any

import requests
from akamai.edgegrid import EdgeGridAuth

from migrate.sandbox import SandboxHandle


def akamai_session_for(handle: SandboxHandle) -> requests.Session:
    creds = handle.credentials.akamai
    session = requests.Session()
    session.auth = EdgeGridAuth(creds.client_token, creds.client_secret, creds.access_token)
    return session


def akana_login(handle: SandboxHandle, session: requests.Session | None = None) -> requests.Session:
    """Log in and set the CSRF header from the Csrf-Token cookie, as a client must."""
    creds = handle.credentials.akana
    session = session or requests.Session()
    response = session.post(f"{handle.base_urls['akana']}/login",
                            json={"email": creds.email, "password": creds.password}, timeout=5)
    response.raise_for_status()
    fed = creds.fedmemberid
    session.headers[f"X-Csrf-Token_{fed}"] = session.cookies.get(f"Csrf-Token_{fed}") or ""
    return session


def endpoint_body(name: str = "Bookstore", base_path: str = "/books", **extra: Any) -> dict[str, Any]:
    """A minimal valid Akamai create-endpoint body (seed 002's shape)."""
    return {
        "apiEndPointName": name, "apiEndPointHosts": ["api.sandbox.example.com"], "contractId": "C-SANDBOX",
        "groupId": 12345, "basePath": base_path,
        "apiResources": [{"apiResourceName": "book", "resourcePath": "/book/{id}",
                          "apiResourceMethods": [{"apiResourceMethod": "GET", "apiParameters": [
                              {"apiParameterName": "id", "apiParameterLocation": "path", "apiParameterRequired": True,
                               "apiParameterType": "string", "array": False}]}]}],
        **extra,
    }


def openapi_text(title: str, server: str) -> str:
    return (f'{{"openapi": "3.0.3", "info": {{"title": "{title}", "version": "1.0"}}, '
            f'"servers": [{{"url": "{server}"}}], "paths": {{}}}}')
