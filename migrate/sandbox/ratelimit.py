"""Request-rate limits (``--rate-limit RPS``) and the request log of a vendor's sandbox.

Each vendor's sandbox can enforce a rate of requests per second: a token bucket holding one
second's worth of requests, and above it ``429 Too Many Requests`` with a ``Retry-After`` in whole
seconds (RFC 6585, RFC 9110). None of the vendor documents in ../shared states its limits or the
body of its 429, so this is the generic HTTP behaviour the client must handle, not a copy of a
documented vendor answer; it stands outside the contract check, like injected faults. A refused
request uses no token.

The log records every request that reached the sandbox (before fault injection), so a test can
count what a client sent, and every 429 with its ``Retry-After``. For a client that sends one
request at a time, ``early_retries`` lists the requests that came before the time a 429 asked for.
"""

from __future__ import annotations

import itertools
import math
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from migrate.sandbox.faults import refuse


@dataclass
class RequestLog:
    """Per vendor: every request that reached the sandbox, in order of arrival: ``time``, method,
    path, ``limited`` (refused by the rate limit), and once answered its ``status`` and
    ``retryAfter`` (whoever set it: the limit, an injected fault or the vendor's app)."""

    entries: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, vendor: str, scope: Scope, limited: bool) -> dict[str, Any]:
        entry = {"time": time.monotonic(), "method": scope["method"], "path": scope["path"], "limited": limited,
                 "status": None, "retryAfter": None, "answered": None}
        with self.lock:
            self.entries.setdefault(vendor, []).append(entry)
        return entry

    def of(self, vendor: str) -> list[dict[str, Any]]:
        with self.lock:
            return list(self.entries.get(vendor, []))

    def count(self, vendor: str) -> int:
        return len(self.of(vendor))

    def limited(self, vendor: str) -> int:
        """How many requests the rate limit refused."""
        return sum(e["limited"] for e in self.of(vendor))

    def early_retries(self, vendor: str, slack: float = 0.05) -> list[dict[str, Any]]:
        """Requests that arrived before the ``Retry-After`` of the answer just before them had
        passed (meaningful for a client that sends one request at a time)."""
        early = []
        for before, after in itertools.pairwise(self.of(vendor)):
            wait, answered = before["retryAfter"], before["answered"]
            if wait is not None and answered is not None and after["time"] < answered + wait - slack:
                early.append(after)
        return early


def _noting(send: Send, entry: dict[str, Any]) -> Send:
    """``send`` that notes the status and Retry-After of the answer in ``entry``."""
    async def noted(message: Message) -> None:
        if message["type"] == "http.response.start":
            headers = {k.lower(): v for k, v in message.get("headers", [])}
            retry_after = headers.get(b"retry-after", b"").decode()
            entry.update(status=message["status"], answered=time.monotonic(),
                         retryAfter=float(retry_after) if retry_after.isdigit() else None)
        await send(message)
    return noted


class RateLimiter:
    """ASGI middleware in front of one vendor's sandbox (outside the fault injector)."""

    def __init__(self, app: ASGIApp, vendor: str, log: RequestLog, rate: float | None,
                 problem_json: bool) -> None:
        self.app, self.vendor, self.log, self.rate, self.problem_json = app, vendor, log, rate, problem_json
        self.capacity = max(1.0, rate or 1.0)
        self.tokens = self.capacity
        self.stamp = time.monotonic()
        self.lock = threading.Lock()

    def admit(self) -> float | None:
        """None when the request may pass; otherwise the Retry-After in whole seconds."""
        if not self.rate:
            return None
        with self.lock:
            now = time.monotonic()
            self.tokens = min(self.capacity, self.tokens + (now - self.stamp) * self.rate)
            self.stamp = now
            if self.tokens >= 1.0:
                self.tokens -= 1.0
                return None
            return float(max(1, math.ceil((1.0 - self.tokens) / self.rate)))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        wait = self.admit()
        send = _noting(send, self.log.add(self.vendor, scope, wait is not None))
        if wait is None:
            await self.app(scope, receive, send)
        else:
            await refuse(send, 429, self.problem_json, retry_after=int(wait), detail="request rate limit exceeded")
