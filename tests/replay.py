"""The transport seam for client tests in process: a requests adapter that answers from canned
responses (the vendors' own examples, verbatim) and records what the client sent. Mount it on a
client's session: ``client.session.mount("http://replay/", adapter)`` with the client's base URL
under ``http://replay``."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests
from requests.adapters import BaseAdapter
from requests.structures import CaseInsensitiveDict

from tests.testsupport import ROOT

FIXTURES = ROOT / "tests" / "fixtures" / "contracts"
BASE = "http://replay"


def example(vendor: str, name: str) -> bytes:
    """A vendor's example, byte for byte as the vendor documents it."""
    return (FIXTURES / vendor / name).read_bytes()


@dataclass
class Canned:
    status: int
    body: bytes = b""
    content_type: str | None = "application/json"
    headers: Mapping[str, str] = field(default_factory=dict)


@dataclass
class Sent:
    method: str
    path: str
    query: str
    headers: Mapping[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body or b"null")


class ReplayAdapter(BaseAdapter):
    """Routes ``(METHOD, path regex)`` to a canned response, or a list of them served in turn (the
    last one repeats). An unrouted request fails the test with the request shown."""

    def __init__(self, routes: dict[tuple[str, str], Canned | list[Canned]]) -> None:
        super().__init__()
        self.routes = [(m, re.compile(p + r"\Z"), r if isinstance(r, list) else [r]) for (m, p), r in routes.items()]
        self.sent: list[Sent] = []

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        url = requests.utils.urlparse(request.url or "")
        body = request.body or b""
        raw = body.encode("utf-8") if isinstance(body, str) else body if isinstance(body, bytes) else b"<stream>"
        headers = {str(k): v if isinstance(v, str) else v.decode("latin-1") for k, v in request.headers.items()}
        self.sent.append(Sent(request.method or "", url.path, url.query, headers, raw))
        for method, pattern, answers in self.routes:
            if method == request.method and pattern.match(url.path):
                answer = answers.pop(0) if len(answers) > 1 else answers[0]
                return self._response(request, answer)
        raise AssertionError(f"the client sent an unexpected request: {request.method} {url.path}?{url.query}")

    def _response(self, request: requests.PreparedRequest, canned: Canned) -> requests.Response:
        response = requests.Response()
        response.status_code = canned.status
        headers = dict(canned.headers)
        if canned.content_type and canned.body:
            headers["Content-Type"] = canned.content_type
        response.headers = CaseInsensitiveDict(headers)
        response._content = canned.body
        response.request = request
        response.url = request.url or ""
        response.encoding = "utf-8"
        return response

    def close(self) -> None:
        """Nothing to release."""


def canned_file(vendor: str, name: str, status: int = 200, content_type: str = "application/json") -> Canned:
    return Canned(status, example(vendor, name), content_type)


__all__ = ["BASE", "FIXTURES", "Canned", "Path", "ReplayAdapter", "Sent", "canned_file", "example"]
