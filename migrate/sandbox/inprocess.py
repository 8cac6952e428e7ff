"""The sandboxes without sockets: a requests transport adapter that hands each request to a
vendor sandbox's ASGI app in this process (the same app stack as ``start_sandbox``: the vendor
app, state commits and the contract guard). Client tests mount it on a client's session, so most
of them run in process; a set of end-to-end tests still runs against the real servers."""

from __future__ import annotations

import asyncio
from typing import Any
from urllib.parse import urlsplit

import requests
from requests.adapters import BaseAdapter
from requests.structures import CaseInsensitiveDict
from starlette.types import ASGIApp, Message

from migrate.sandbox.credentials import Credentials
from migrate.sandbox.guard import ContractGuard, Violations
from migrate.sandbox.server import Committing, _vendor_app
from migrate.sandbox.store import Store


def sandbox_app(vendor: str, store: Store | None = None, credentials: Credentials | None = None,
                settings: dict[str, Any] | None = None, token_ttl: float = 1800.0,
                violations: Violations | None = None) -> ASGIApp:
    """One vendor's sandbox as an ASGI app, checked against its contract like a served one."""
    store = store or Store()
    app = Committing(_vendor_app(vendor, store, credentials or Credentials(), token_ttl, settings or {}), store,
                     vendor)
    return ContractGuard(app, vendor, violations or Violations())


class ASGIAdapter(BaseAdapter):
    """``session.mount("http://sandbox/", ASGIAdapter(app))``: requests to that prefix are served
    by ``app`` in process (one event loop run per request)."""

    def __init__(self, app: ASGIApp) -> None:
        super().__init__()
        self.app = app

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        url = urlsplit(request.url or "")
        body = request.body or b""
        if not isinstance(body, str | bytes):
            raise ValueError("streamed request bodies are not supported in process")
        raw = body.encode("utf-8") if isinstance(body, str) else body
        headers = [(k.lower().encode("latin-1"), (v if isinstance(v, str) else v.decode()).encode("latin-1"))
                   for k, v in request.headers.items()]
        scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": request.method,
                 "scheme": url.scheme, "path": url.path, "raw_path": url.path.encode(), "query_string":
                 url.query.encode(), "headers": [(b"host", url.netloc.encode()), *headers],
                 "server": (url.hostname or "sandbox", url.port or 80), "client": ("127.0.0.1", 0)}
        status, out_headers, chunks = asyncio.run(self._call(scope, raw))
        response = requests.Response()
        response.status_code = status
        response.headers = CaseInsensitiveDict({k.decode("latin-1"): v.decode("latin-1") for k, v in out_headers})
        response._content = b"".join(chunks)
        response.request, response.url, response.encoding = request, request.url or "", "utf-8"
        return response

    async def _call(self, scope: dict[str, Any], body: bytes) -> tuple[int, list[Any], list[bytes]]:
        status, headers, chunks = 500, [], []
        pending = [{"type": "http.request", "body": body, "more_body": False}]

        async def receive() -> Message:
            return pending.pop() if pending else {"type": "http.disconnect"}

        async def send(message: Message) -> None:
            nonlocal status, headers
            if message["type"] == "http.response.start":
                status, headers = message["status"], list(message.get("headers", []))
            elif message["type"] == "http.response.body":
                chunks.append(bytes(message.get("body", b"")))

        await self.app(scope, receive, send)
        return status, headers, chunks

    def close(self) -> None:
        """Nothing to release."""
