"""Every request and response of a vendor sandbox, checked against the vendor's documented
contract (``migrate.push.contracts``). A sandbox must never answer with a status, media type or
field its vendor does not document, nor accept a request the contract forbids; each such case is
recorded as a violation. ``SandboxHandle.violations`` lists them; with
``$API_MIGRATE_CONTRACT_LOG`` set (the test suite sets it), each is also appended to that file as
one JSON line, so a sandbox in another process reports too."""

from __future__ import annotations

import json
import os
import threading
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from migrate.push.contracts.check import Contract

LOG_ENV = "API_MIGRATE_CONTRACT_LOG"


class Violations:
    """The recorded violations of one sandbox run (thread-safe)."""

    def __init__(self) -> None:
        self.items: list[dict[str, Any]] = []
        self._lock = threading.Lock()

    def add(self, entry: dict[str, Any]) -> None:
        with self._lock:
            self.items.append(entry)
            target = os.environ.get(LOG_ENV)
            if target:
                with open(target, "a", encoding="utf-8") as out:
                    out.write(json.dumps(entry, sort_keys=True) + "\n")


class ContractGuard:
    """Wraps one vendor's app: passes every exchange through unchanged and checks it afterwards."""

    def __init__(self, app: ASGIApp, vendor: str, violations: Violations) -> None:
        self.app, self.vendor, self.violations = app, vendor, violations
        self.contract = Contract.load(vendor)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = bytearray()
        response: dict[str, Any] = {"status": 0, "type": None, "body": bytearray()}

        async def receiving() -> Message:
            message = await receive()
            if message["type"] == "http.request":
                request.extend(message.get("body", b""))
            return message

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                response["status"] = message["status"]
                response["type"] = _header(message.get("headers", []), b"content-type")
            elif message["type"] == "http.response.body":
                response["body"].extend(message.get("body", b""))
            await send(message)

        await self.app(scope, receiving, sending)
        if response["status"]:
            self.check(scope, bytes(request), response)

    def check(self, scope: Scope, request: bytes, response: dict[str, Any]) -> None:
        method, path = scope["method"], scope["path"]
        status = int(response["status"])
        problems = self.contract.check_response(method, path, status, response["type"], bytes(response["body"]))
        if 200 <= status < 300:  # accepted: the request must have been one the contract allows
            content_type = _header(scope.get("headers", []), b"content-type")
            problems += [f"request accepted: {p}" for p in
                         self.contract.check_request(method, path, content_type, request)]
        for problem in problems:
            self.violations.add({"vendor": self.vendor, "method": method, "path": path, "status": status,
                                 "problem": problem})


def _header(headers: Any, name: bytes) -> str | None:
    for key, value in headers:
        if key.lower() == name:
            return bytes(value).decode("latin-1")
    return None
