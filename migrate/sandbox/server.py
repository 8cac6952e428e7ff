"""Running the sandboxes: one uvicorn server on loopback, one listening socket per vendor (the
local port tells which vendor a request is for), in a background thread."""

from __future__ import annotations

import asyncio
import json
import logging
import socket
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any

import uvicorn
from starlette.types import ASGIApp, Receive, Scope, Send
from uvicorn.protocols.http.h11_impl import H11Protocol

from migrate.sandbox.credentials import Credentials
from migrate.sandbox.faults import TRANSPORT_KEY, FaultInjector, FaultLog, FaultSpec
from migrate.sandbox.guard import ContractGuard, Violations
from migrate.sandbox.ratelimit import RateLimiter, RequestLog
from migrate.sandbox.store import VENDORS, Store

HOST = "127.0.0.1"
#: each vendor's API base path below the server root, as in the real services
API_BASE = {"akamai": "/api-definitions/v2", "akana": "/api", "frends": "/api/v1"}

class SandboxH11Protocol(H11Protocol):
    """uvicorn's h11 protocol, exposing the connection's transport to the app so that the fault
    injector can drop a connection (``scope["extensions"]["sandbox.transport"]``)."""

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        inner = self.app

        async def app(scope: Scope, receive: Receive, send: Send) -> None:
            scope.setdefault("extensions", {})[TRANSPORT_KEY] = transport
            await inner(scope, receive, send)

        self.app = app

class Committing:
    """Persists a vendor's state after every non-GET request (also when the response is lost)."""

    def __init__(self, app: ASGIApp, store: Store, vendor: str) -> None:
        self.app, self.store, self.vendor = app, store, vendor

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await self.app(scope, receive, send)
        finally:
            if scope["type"] == "http" and scope["method"] != "GET":
                self.store.commit(self.vendor)

class Dispatcher:
    """Routes by local port; ``GET /_sandbox/state`` on any port returns every vendor's objects."""

    def __init__(self, by_port: dict[int, ASGIApp], store: Store, log: FaultLog) -> None:
        self.by_port, self.store, self.log = by_port, store, log

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        if scope["path"] == "/_sandbox/state":
            body = json.dumps({**self.store.snapshot(), "faults": list(self.log.entries)}, sort_keys=True)
            await _send(send, 200, body.encode(), "application/json")
            return
        app = self.by_port.get(scope["server"][1]) if scope.get("server") else None
        if app is None:
            await _send(send, 404, b"Not Found", "text/plain")
            return
        await app(scope, receive, send)

async def _send(send: Send, status: int, body: bytes, media_type: str) -> None:
    headers = [(b"content-type", media_type.encode()), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})

def _vendor_app(vendor: str, store: Store, creds: Credentials, token_ttl: float,
                settings: dict[str, Any]) -> ASGIApp:
    """One vendor's app; ``settings`` are that vendor's behaviour knobs (see each sandbox)."""
    if vendor == "akamai":
        from migrate.sandbox.akamai.app import AkamaiSandbox

        return AkamaiSandbox(store, creds.akamai, **settings).app()
    if vendor == "akana":
        from migrate.sandbox.akana.app import AkanaSandbox

        return AkanaSandbox(store, creds.akana, token_ttl, **settings).app()
    from migrate.sandbox.frends.app import FrendsSandbox

    return FrendsSandbox(store, creds.frends, **settings).app()

@dataclass
class SandboxHandle:
    """A running sandbox. ``base_urls[vendor]`` is the API base (as a client's ``base_url``),
    ``hosts[vendor]`` the ``host:port`` (Akamai's ``.edgerc`` host), ``credentials`` what it accepts."""

    base_urls: dict[str, str]
    hosts: dict[str, str]
    credentials: Credentials
    store: Store
    _server: uvicorn.Server
    _thread: threading.Thread
    _sockets: list[socket.socket] = field(default_factory=list)
    checked: Violations = field(default_factory=Violations)
    requests: RequestLog = field(default_factory=RequestLog)
    faults: FaultLog = field(default_factory=FaultLog)

    @property
    def violations(self) -> list[dict[str, Any]]:
        """Every exchange so far that broke the vendor's documented contract (``sandbox.guard``)."""
        return list(self.checked.items)

    @property
    def vendors(self) -> list[str]:
        return list(self.base_urls)

    def root_url(self, vendor: str) -> str:
        return f"http://{self.hosts[vendor]}"

    def state(self) -> dict[str, Any]:
        """Every stored object of every vendor (what ``GET /_sandbox/state`` returns, minus faults)."""
        return self.store.snapshot()

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=15)
        _close(self._sockets)

    def __enter__(self) -> SandboxHandle:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()

def _bind(port: int) -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((HOST, port))
        sock.listen(128)
    except BaseException:
        sock.close()
        raise
    sock.set_inheritable(True)
    return sock

def _bind_all(port: int, count: int) -> list[socket.socket]:
    """``count`` listening sockets (free ports when ``port`` is 0); none stays open on failure."""
    sockets: list[socket.socket] = []
    try:
        for i in range(count):
            sockets.append(_bind(port + i if port else 0))
    except BaseException:
        _close(sockets)
        raise
    return sockets

def _close(sockets: list[socket.socket]) -> None:
    for sock in sockets:
        sock.close()

def _vendor_list(vendors: str | Iterable[str]) -> list[str]:
    names = list(VENDORS) if vendors == "all" else [vendors] if isinstance(vendors, str) else list(vendors)
    unknown = sorted(set(names) - set(VENDORS))
    if unknown or not names:
        raise ValueError(f"unknown vendor(s) {unknown}; choose from {', '.join(VENDORS)} or all")
    return [v for v in VENDORS if v in names]

def start_sandbox(vendors: str | Iterable[str] = "all", port: int = 0,
                  faults: FaultSpec | dict[str, FaultSpec] | None = None,
                  state: Path | None = None, credentials: Credentials | None = None,
                  token_ttl: float = 1800.0, access_log: bool = False,
                  settings: dict[str, dict[str, Any]] | None = None, rate_limit: float | None = None) -> SandboxHandle:
    """Start the sandboxes on 127.0.0.1 in a background thread and return once they accept
    connections. ``port`` 0 picks free ports; otherwise vendors get ``port``, ``port+1``, ... in the
    order akamai, akana, frends. ``token_ttl``: Akana token lifetime in seconds. ``settings``:
    per vendor, keyword arguments of its sandbox class (behaviour knobs such as Akamai's
    activation delay or Akana's CSRF setting). ``rate_limit``: requests per second each vendor
    accepts before answering 429 with Retry-After (``sandbox.ratelimit``); every request is
    counted in ``SandboxHandle.requests`` either way. ``faults``: one spec for every vendor, or
    one per vendor."""
    names = _vendor_list(vendors)
    creds = credentials or Credentials()
    store, log, checked, requests = Store(state), FaultLog(), Violations(), RequestLog()
    sockets = _bind_all(port, len(names))
    by_port: dict[int, ASGIApp] = {}
    for vendor, sock in zip(names, sockets, strict=True):
        app: ASGIApp = Committing(_vendor_app(vendor, store, creds, token_ttl, (settings or {}).get(vendor, {})),
                                  store, vendor)
        app = ContractGuard(app, vendor, checked)  # inside the fault injector: injected faults are not the vendor
        spec = faults.get(vendor) if isinstance(faults, dict) else faults
        if spec is not None and spec.rate > 0:
            app = FaultInjector(app, spec, vendor, log, problem_json=vendor != "akana")
        app = RateLimiter(app, vendor, requests, rate_limit, problem_json=vendor != "akana")
        by_port[sock.getsockname()[1]] = app
    server = _make_server(Dispatcher(by_port, store, log), access_log)
    thread = threading.Thread(target=lambda: asyncio.run(server.serve(sockets=sockets)),
                              name="api-migrate-sandbox", daemon=True)
    thread.start()
    try:
        _wait_started(server, thread)
    except BaseException:
        thread.join(timeout=15)
        _close(sockets)
        raise
    hosts = {v: f"{HOST}:{s.getsockname()[1]}" for v, s in zip(names, sockets, strict=True)}
    return SandboxHandle({v: f"http://{hosts[v]}{API_BASE[v]}" for v in names}, hosts, creds, store,
                         server, thread, sockets, checked, requests, log)

def _make_server(app: ASGIApp, access_log: bool) -> uvicorn.Server:
    # edgegrid-python logs signing keys at DEBUG: keep its logger quiet whatever the root level
    logging.getLogger("akamai.edgegrid").setLevel(logging.WARNING)
    config = uvicorn.Config(app, http=SandboxH11Protocol, ws="none", lifespan="off", log_config=None,
                            access_log=access_log, timeout_graceful_shutdown=2, loop="asyncio")
    return uvicorn.Server(config)

def _wait_started(server: uvicorn.Server, thread: threading.Thread, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            server.should_exit = True
            raise RuntimeError("the sandbox server did not start")
        time.sleep(0.01)

