"""The HTTP layer against a real loopback server that answers from a script."""

from __future__ import annotations

import json
import random
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from migrate.core.errors import AuthError, ConflictError, PushError
from migrate.push.http import (
    MaybeCommitted,
    RetryPolicy,
    create_once,
    make_session,
    parse_retry_after,
    send,
)

FAST = RetryPolicy(attempts=4, base=0.01, cap=0.05, jitter=0.0, timeout=5)


class Script:
    def __init__(self) -> None:
        self.answers: list[tuple[int, dict[str, str], bytes]] = []
        self.seen: list[tuple[str, dict[str, str]]] = []


@pytest.fixture
def server() -> Iterator[tuple[str, Script]]:
    script = Script()

    class Handler(BaseHTTPRequestHandler):
        def _answer(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            self.rfile.read(length)
            script.seen.append((self.command, dict(self.headers)))
            status, headers, body = script.answers.pop(0) if script.answers else (200, {}, b"{}")
            self.send_response(status)
            for k, v in headers.items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST = do_PUT = _answer

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", script
    httpd.shutdown()
    httpd.server_close()


def problem(status: int, title: str) -> tuple[int, dict[str, str], bytes]:
    body = json.dumps({"type": "about:blank", "title": title, "status": status}).encode()
    return status, {"Content-Type": "application/problem+json"}, body


def test_get_is_retried_on_503_and_429(server: tuple[str, Script]) -> None:
    url, script = server
    script.answers = [problem(503, "busy"), (429, {"Retry-After": "0"}, b""), (200, {}, b'{"ok": true}')]
    response = send(make_session(FAST), "v", "GET", url + "/x", "list", FAST)
    assert response.json() == {"ok": True}
    assert [m for m, _ in script.seen] == ["GET", "GET", "GET"]


def test_post_is_retried_on_429_only(server: tuple[str, Script]) -> None:
    url, script = server
    script.answers = [(429, {"Retry-After": "0"}, b""), (201, {}, b'{"id": 1}')]
    assert send(make_session(FAST), "v", "POST", url, "create", FAST, json={}).status_code == 201
    script.answers, script.seen = [problem(500, "boom")], []
    with pytest.raises(MaybeCommitted):
        send(make_session(FAST), "v", "POST", url, "create", FAST, json={})
    assert len(script.seen) == 1  # a POST that may have been committed is not sent again


def test_errors_map_to_classes_without_request_secrets(server: tuple[str, Script]) -> None:
    url, script = server
    script.answers = [problem(401, "bad signature")]
    with pytest.raises(AuthError) as auth:
        send(make_session(FAST), "akamai", "GET", url, "list endpoints", FAST,
             headers={"Authorization": "Bearer s3cr3t-token"})
    assert "bad signature" in str(auth.value) and "s3cr3t" not in repr(auth.value.__dict__)
    assert auth.value.status == 401
    script.answers = [problem(409, "name taken")]
    with pytest.raises(ConflictError, match="name taken"):
        send(make_session(FAST), "v", "POST", url, "create", FAST)
    script.answers = [(400, {}, b"plain failure text")]
    with pytest.raises(PushError, match="plain failure text"):
        send(make_session(FAST), "v", "POST", url, "create", FAST)


def test_connection_refused_is_unreachable_not_a_write_of_unknown_outcome() -> None:
    """Nothing was sent: Unreachable (not MaybeCommitted, which would make a create look up or
    stop for the operator), naming the URL's origin, never its path."""
    from migrate.push.http import Unreachable

    refused = r"ping: cannot connect to http://127\.0\.0\.1:9 \(connection refused\)"
    with pytest.raises(Unreachable, match=refused) as info:
        send(make_session(FAST), "v", "POST", "http://127.0.0.1:9/secret-path?q=1", "ping", FAST)
    assert not isinstance(info.value, MaybeCommitted) and "secret-path" not in info.value.render()


def test_create_once_looks_up_before_creating_again() -> None:
    calls: list[str] = []
    store: dict[str, int] = {}

    def create() -> int:
        calls.append("create")
        store["api"] = 7  # committed...
        raise MaybeCommitted("v", "response lost")  # ...but the answer was lost

    def lookup() -> int | None:
        calls.append("lookup")
        return store.get("api")

    assert create_once(create, lookup, FAST, sleep=lambda s: None) == 7
    assert calls == ["create", "lookup"]


def test_create_once_retries_when_nothing_was_committed() -> None:
    attempts: Iterator[Exception | int] = iter([MaybeCommitted("v", "503"), 5])

    def create() -> int:
        value = next(attempts)
        if isinstance(value, Exception):
            raise value
        return value

    assert create_once(create, lambda: None, FAST, sleep=lambda s: None) == 5


def test_backoff_is_capped_and_honours_retry_after() -> None:
    policy = RetryPolicy(base=1, cap=8, jitter=0.5)
    rng = random.Random(1)
    waits = [policy.backoff(n, rng=rng) for n in range(1, 7)]
    assert all(w <= 8.5 for w in waits) and waits[0] < waits[3]
    assert policy.backoff(3, retry_after=2) == 2
    assert policy.backoff(3, retry_after=100) <= 8.5  # an absurd Retry-After is capped
    assert parse_retry_after("3") == 3
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412475) == 5
    assert parse_retry_after("soon") is None


def test_other_request_errors_are_push_errors_without_the_request() -> None:
    with pytest.raises(PushError, match=r"InvalidURL|MissingSchema") as err:
        send(make_session(FAST), "v", "GET", "http://[::1/x", "list", FAST, headers={"Authorization": "tok-123"})
    assert "tok-123" not in repr(err.value.__dict__) and err.value.__cause__ is None


def test_a_retry_after_longer_than_the_cap_is_said_not_ignored(server: tuple[str, Script]) -> None:
    url, script = server
    script.answers = [(429, {"Retry-After": "60"}, b"")]
    with pytest.raises(PushError, match="asks to retry after 60 s") as caught:
        send(make_session(FAST), "v", "POST", url + "/x", "create", FAST)
    assert not isinstance(caught.value, MaybeCommitted) and len(script.seen) == 1  # not re-sent early


def test_a_retry_after_holds_every_later_request_of_the_session(server: tuple[str, Script]) -> None:
    """A 503 with Retry-After on a POST (no retry: its outcome is unknown) still holds the look-up
    that follows, and the next request of any kind, until the wait is over."""
    url, script = server
    policy = RetryPolicy(attempts=3, base=0.01, cap=2.0, jitter=0.0, timeout=5)
    session, slept = make_session(policy), list[float]()

    def sleep(seconds: float) -> None:
        slept.append(seconds)

    script.answers = [(503, {"Retry-After": "1"}, b"")]
    with pytest.raises(MaybeCommitted):
        send(session, "v", "POST", url + "/x", "create", policy, sleep)
    send(session, "v", "GET", url + "/x", "look up", policy, sleep)
    assert len(slept) == 1 and 0.9 < slept[0] <= 1.0  # the GET waited out the POST's Retry-After


def test_a_wait_longer_than_the_cap_stops_every_later_request(server: tuple[str, Script]) -> None:
    """Retry-After: 3600 on a create: the look-up is not sent (nor slept for an hour); the create
    stays a write of unknown outcome, never "failed"."""
    from migrate.push.http import RetryLater

    url, script = server
    policy = RetryPolicy(attempts=3, base=0.01, cap=2.0, jitter=0.0, timeout=5)
    session, slept = make_session(policy), list[float]()
    script.answers = [(503, {"Retry-After": "3600"}, b"")]

    def create() -> int:
        send(session, "v", "POST", url + "/x", "create", policy, slept.append)
        return 1

    def lookup() -> int | None:
        send(session, "v", "GET", url + "/x", "look up", policy, slept.append)
        return None

    with pytest.raises(MaybeCommitted):
        create_once(create, lookup, policy, sleep=slept.append)
    assert [c for c, _ in script.seen] == ["POST"] and all(s < 5 for s in slept)
    with pytest.raises(RetryLater, match="asked to wait 3600 s more"):
        send(session, "v", "GET", url + "/y", "list", policy, slept.append)
    assert len(script.seen) == 1
