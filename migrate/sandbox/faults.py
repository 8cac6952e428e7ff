"""Fault injection (``--faults RATE[:SEED[:KINDS]]``): at a seeded rate, a request gets a 429 with
Retry-After, a 500 or 503, a slow response, a connection reset before any response, or a "lost"
response (the write is committed, then the connection is dropped)."""

from __future__ import annotations

import asyncio
import json
import random
import socket
import struct
import threading
from dataclasses import dataclass, field
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

KINDS = ("429", "500", "503", "slow", "reset", "lost")
#: scope["extensions"] key under which the sandbox's HTTP protocol exposes the connection's transport
TRANSPORT_KEY = "sandbox.transport"


@dataclass(frozen=True)
class FaultSpec:
    """``rate`` in [0, 1]; ``seed`` makes the sequence of faults repeatable; ``kinds`` limits them."""

    rate: float
    seed: int | None = None
    kinds: tuple[str, ...] = KINDS
    slow_seconds: float = 3.0
    retry_after: int = 1

    def __post_init__(self) -> None:
        if not 0.0 <= self.rate <= 1.0:
            raise ValueError(f"fault rate must be between 0 and 1, not {self.rate}")
        unknown = sorted(set(self.kinds) - set(KINDS))
        if unknown or not self.kinds:
            raise ValueError(f"unknown fault kinds {unknown}; choose from {', '.join(KINDS)}")

    @classmethod
    def parse(cls, text: str) -> FaultSpec:
        """``0.2``, ``0.2:42`` or ``0.2:42:429,reset`` (ValueError with a readable message)."""
        rate, _, rest = text.partition(":")
        seed, _, kinds = rest.partition(":")
        try:
            return cls(float(rate), int(seed) if seed else None,
                       tuple(k.strip() for k in kinds.split(",")) if kinds else KINDS)
        except ValueError as exc:
            raise ValueError(f"--faults {text!r}: expected RATE[:SEED[:KIND,...]] ({exc})") from None


@dataclass
class FaultLog:
    """Every injected fault, in order (shown by ``GET /_sandbox/state``)."""

    entries: list[dict[str, Any]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, vendor: str, kind: str, scope: Scope) -> None:
        with self.lock:
            self.entries.append({"vendor": vendor, "kind": kind, "method": scope["method"], "path": scope["path"]})


class FaultInjector:
    """ASGI middleware in front of one vendor's app."""

    def __init__(self, app: ASGIApp, spec: FaultSpec, vendor: str, log: FaultLog, problem_json: bool) -> None:
        self.app = app
        self.spec = spec
        self.vendor = vendor
        self.log = log
        self.problem_json = problem_json
        self.rng = random.Random(spec.seed)
        self.lock = threading.Lock()

    def choose(self) -> str | None:
        with self.lock:
            if self.rng.random() >= self.spec.rate:
                return None
            return self.rng.choice(self.spec.kinds)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        kind = self.choose() if scope["type"] == "http" else None
        if kind is None:
            await self.app(scope, receive, send)
            return
        self.log.add(self.vendor, kind, scope)
        if kind == "slow":
            await asyncio.sleep(self.spec.slow_seconds)
            await self.app(scope, receive, send)
        elif kind == "reset":
            await drop_connection(scope)
        elif kind == "lost":
            await self.app(scope, receive, _swallow)
            await drop_connection(scope)
        else:
            await self.error(int(kind), send)

    async def error(self, status: int, send: Send) -> None:
        await refuse(send, status, self.problem_json, self.spec.retry_after if status in (429, 503) else None,
                     "fault injected by the sandbox")


async def refuse(send: Send, status: int, problem_json: bool, retry_after: int | None, detail: str) -> None:
    """An error answer (429, 500 or 503) with ``Retry-After`` when given; problem+json for the
    vendors that answer so (Akamai, Frends), plain text for Akana."""
    headers = [(b"retry-after", str(retry_after).encode())] if retry_after is not None else []
    title = {429: "Too Many Requests", 500: "Internal Server Error", 503: "Service Unavailable"}[status]
    if problem_json:
        body = json.dumps({"type": "about:blank", "title": title, "status": status, "detail": detail}).encode()
        headers.append((b"content-type", b"application/problem+json"))
    else:
        body = title.encode()
        headers.append((b"content-type", b"text/plain"))
    headers.append((b"content-length", str(len(body)).encode()))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


async def _swallow(message: Message) -> None:
    """A ``send`` that loses the response."""


async def drop_connection(scope: Scope) -> None:
    """Close the client's connection with a TCP reset, before any byte of a response."""
    transport = scope.get("extensions", {}).get(TRANSPORT_KEY)
    if transport is None:
        raise RuntimeError("the sandbox's HTTP protocol is needed to drop connections")
    sock = transport.get_extra_info("socket")
    if sock is not None:  # linger 0: close() sends RST instead of FIN
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    transport.abort()
    for _ in range(3):  # let connection_lost run so the server does not answer on a closed transport
        await asyncio.sleep(0)


def drop_parameter_restrictions(body: dict[str, Any]) -> dict[str, Any]:
    """Fault mode ``drop_restrictions`` of the Akamai sandbox: the endpoint as written, but every
    path/query/header/cookie parameter's apiParameterRestriction silently dropped. This BREAKS the
    contract on purpose (the documented create and update store what they are sent; akamai.json,
    seed 002): it is there so that ``push --verify`` can be shown to catch a vendor that loses a
    field; tests that use it carry the ``breaks_contract`` marker."""
    out = json.loads(json.dumps(body))
    for resource in out.get("apiResources") or []:
        for method in resource.get("apiResourceMethods") or [] if isinstance(resource, dict) else []:
            for param in method.get("apiParameters") or [] if isinstance(method, dict) else []:
                if isinstance(param, dict) and param.get("apiParameterLocation") != "body":
                    param.pop("apiParameterRestriction", None)
    return out
