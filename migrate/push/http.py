"""One HTTP layer for every vendor client: sessions with timeouts and retries, and one mapper from
status + problem body to exceptions.

Retries of idempotent requests (GET, PUT, DELETE, HEAD, OPTIONS) on 429/5xx and lost connections
are made by ``send``, which prepares each attempt anew, so a signing auth (Akamai EdgeGrid) signs
every attempt with a fresh timestamp and nonce: Akamai treats a nonce as single-use, so a retry
must never resend a signed request as it was. urllib3 retries only connections that were never
established (nothing reached the server). Waits honour ``Retry-After`` (capped exponential backoff
with jitter otherwise). A POST is retried only when the server said it did nothing (429, or a
connection that was never established); a POST that may have been committed (5xx, dropped
response) is not retried blindly: ``create_once`` looks the object up by its natural key first.
"""

from __future__ import annotations

import email.utils
import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import urlsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3.exceptions import NameResolutionError, NewConnectionError
from urllib3.util.retry import Retry

from migrate.core.errors import AuthError, ConflictError, PushError

T = TypeVar("T")
#: ``-v`` shows each request (method, the URL without its query) and each retry; never headers or bodies.
log = logging.getLogger("migrate.http")
# urllib3 logs its connection retries at WARNING with the request's path and query, which may hold
# an accountSwitchKey; Python prints such warnings even with logging unset. Ours say it without.
logging.getLogger("urllib3").setLevel(logging.ERROR)

IDEMPOTENT = frozenset({"GET", "PUT", "DELETE", "HEAD", "OPTIONS"})
RETRY_STATUSES = (429, 500, 502, 503, 504)


@dataclass(frozen=True)
class RetryPolicy:
    """``attempts`` in all (first try included); waits ``base * 2**n`` capped at ``cap`` seconds,
    with up to ``jitter`` seconds added; a server's Retry-After wins when it is not above ``cap``.
    ``timeout``: seconds to wait for an answer; ``connect_timeout``: for the connection itself,
    and ``connect_attempts`` to make one (a vendor that cannot be reached is said so in seconds)."""

    attempts: int = 6
    base: float = 0.2
    cap: float = 10.0
    jitter: float = 0.2
    timeout: float = 30.0
    connect_timeout: float = 2.5
    connect_attempts: int = 2

    def backoff(self, attempt: int, retry_after: float | None = None, rng: random.Random | None = None) -> float:
        """Seconds to wait before retry number ``attempt`` (1-based)."""
        if retry_after is not None and 0 <= retry_after <= self.cap:
            return retry_after
        wait = min(self.cap, self.base * (2 ** (attempt - 1)))
        return wait + (rng or random).uniform(0, self.jitter)


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or HTTP date), or None."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


def make_session(policy: RetryPolicy | None = None) -> PacedSession:
    """A session that retries connections never established (``send`` retries the rest, each
    attempt prepared and signed anew)."""
    policy = policy or RetryPolicy()
    retry = Retry(
        total=policy.connect_attempts - 1,
        connect=policy.connect_attempts - 1,
        read=0,
        status=0,
        other=0,
        backoff_factor=policy.base,
        backoff_max=policy.cap,
        backoff_jitter=policy.jitter,
        allowed_methods=None,  # a connection that was never made sent nothing, whatever the method
        raise_on_status=False,
    )
    session = PacedSession()
    adapter = HTTPAdapter(max_retries=retry)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session


class VendorUnavailable(PushError):
    """Nothing more can be sent to this vendor in this run (a batch stops trying it)."""


class Unreachable(VendorUnavailable):
    """No connection could be made (refused, no such host, connect timeout): nothing was sent, so
    it is never a write of unknown outcome, and it is not retried beyond ``connect_attempts``."""


def _shown(url: str) -> str:
    """``url`` without its query (which may carry an account switch key) for a log line."""
    try:
        return f"{origin_of(url)}{urlsplit(url).path}"
    except ValueError:  # not a URL at all: requests will say so
        return "(an invalid URL)"


def origin_of(url: str) -> str:
    """``scheme://host:port`` of ``url`` (no path, query or credentials)."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    return f"{parts.scheme}://{host}" + (f":{parts.port}" if parts.port else "")


def unreachable(vendor: str, url: str, action: str, exc: Exception) -> Unreachable:
    origin = origin_of(url)
    text = str(exc).lower()
    why = ("connection refused" if "refused" in text else "no such host" if "resolve" in text or "name or service"
           in text else "connect timeout" if isinstance(exc, requests.ConnectTimeout) else "no connection")
    hint = ""
    if urlsplit(url).hostname in ("127.0.0.1", "localhost", "::1"):
        hint = "; a local address: is the sandbox running? (api-migrate sandbox --write-config FILE)"
    return Unreachable(vendor, f"{action}: cannot connect to {origin} ({why}){hint}")


def _never_connected(exc: Exception) -> bool:
    """True when the request never reached the server (so nothing was sent)."""
    if isinstance(exc, requests.ConnectTimeout):
        return True
    cause: Any = exc.args[0] if exc.args else None
    reason = getattr(cause, "reason", cause)
    return isinstance(reason, NewConnectionError | NameResolutionError)


class MaybeCommitted(PushError):
    """A write whose outcome is unknown: the server failed or the response was lost."""


class RetryLater(VendorUnavailable):
    """The vendor asked to wait longer than ``RetryPolicy.cap`` before another request: nothing
    more is sent to it in this run."""


class PacedSession(requests.Session):
    """A session that remembers the last ``Retry-After`` a vendor gave: ``send`` sends no request,
    of any kind, before ``not_before`` (RFC 9110: how long to wait before a follow-up request)."""

    not_before: float = 0.0

    def hold(self, seconds: float) -> None:
        self.not_before = max(self.not_before, time.monotonic() + seconds)


def problem_of(response: requests.Response) -> Any:
    """The vendor's error body: parsed JSON (problem+json) or the first 500 characters of text."""
    try:
        return response.json()
    except ValueError:
        return response.text[:500] or None


def _problem_text(problem: Any) -> str:
    if isinstance(problem, dict):
        parts = [str(problem.get(k)) for k in ("title", "detail") if problem.get(k)]
        for err in problem.get("errors") or problem.get("problems") or []:
            if isinstance(err, dict):
                parts.append(" ".join(str(err[k]) for k in ("pointer", "detail", "title") if err.get(k)))
        return "; ".join(parts) or "error"
    return str(problem or "").strip().splitlines()[0][:200] if problem else ""


def raise_for_status(vendor: str, response: requests.Response, action: str) -> None:
    """Map an error response to PushError subclasses. The request (headers, credentials) never
    goes into the exception: only the status, the vendor's problem body and ``action``."""
    status = response.status_code
    if status < 400:
        return
    problem = problem_of(response)
    detail = _problem_text(problem)
    reason = f"{action}: {detail}" if detail else action
    if status == 401:
        raise AuthError(vendor, f"{reason} (credentials refused)", status, problem)
    if status == 403:  # Akamai also answers 403 for locked versions and foreign contracts/groups
        raise AuthError(vendor, f"{reason} (forbidden)", status, problem)
    if status == 409:
        raise ConflictError(vendor, reason, status, problem)
    if status >= 500 or status == 429:
        raise MaybeCommitted(vendor, reason, status, problem)
    raise PushError(vendor, reason, status, problem)


def send(session: requests.Session, vendor: str, method: str, url: str, action: str,
         policy: RetryPolicy | None = None, sleep: Callable[[float], None] = time.sleep,
         **kwargs: Any) -> requests.Response:
    """One request with the layer's rules: timeout, retries and status mapping. Idempotent
    requests are retried on 429/5xx and on a lost connection or timeout; a POST/PATCH only on 429,
    where the server said it did nothing. Every attempt is prepared anew (and so signed anew)."""
    policy = policy or RetryPolicy()
    read_timeout = kwargs.pop("timeout", policy.timeout)
    kwargs["timeout"] = (policy.connect_timeout, read_timeout)
    idempotent = method.upper() in IDEMPOTENT
    for attempt in range(1, policy.attempts + 1):
        last = attempt == policy.attempts
        _wait_for_vendor(session, vendor, action, policy, sleep)
        try:
            log.info("%s %s %s", vendor, method, _shown(url))
            response = session.request(method, url, **kwargs)
        except (requests.Timeout, requests.ConnectionError) as exc:
            if _never_connected(exc):
                raise unreachable(vendor, url, action, exc) from None
            if idempotent and not last:
                sleep(policy.backoff(attempt))
                continue
            lost = (f"timed out after {read_timeout:g} s" if isinstance(exc, requests.Timeout)
                    else "connection failed or lost")
            raise MaybeCommitted(vendor, f"{action}: {lost}") from None
        except requests.RequestException as exc:  # invalid URL, broken chunked body, ...: never the request itself
            raise PushError(vendor, f"{action}: {type(exc).__name__}") from None
        status = response.status_code
        wait = parse_retry_after(response.headers.get("Retry-After")) if status >= 400 else None
        if wait is not None and isinstance(session, PacedSession):
            session.hold(wait)  # every later request to this vendor waits too, whatever it is
        if not last and (status == 429 or (idempotent and status in RETRY_STATUSES)):
            if wait is not None and wait > policy.cap:  # never sooner than the vendor asks; too long: say so
                kind = RetryLater if status == 429 or idempotent else MaybeCommitted
                raise kind(vendor, f"{action}: the vendor asks to retry after {wait:g} s (HTTP {status}); "
                           "re-run later", status, problem_of(response))
            pause = policy.backoff(attempt, wait)
            log.info("%s %s %s -> %s; retrying in %.1f s", vendor, method, _shown(url), status, pause)
            sleep(pause)
            continue
        raise_for_status(vendor, response, action)
        return response
    raise MaybeCommitted(vendor, f"{action}: gave up after {policy.attempts} attempts")  # pragma: no cover


def _wait_for_vendor(session: requests.Session, vendor: str, action: str, policy: RetryPolicy,
                     sleep: Callable[[float], None]) -> None:
    """Sleep until the session's ``not_before``; RetryLater when that is further than ``cap``."""
    left = getattr(session, "not_before", 0.0) - time.monotonic()
    if left <= 0:
        return
    if left > policy.cap:
        raise RetryLater(vendor, f"{action}: not sent; the vendor asked to wait {left:.0f} s more before another "
                         "request; re-run later")
    sleep(left)


def create_once(create: Callable[[], T], lookup: Callable[[], T | None], policy: RetryPolicy | None = None,
                sleep: Callable[[float], None] = time.sleep) -> T:
    """Create an object exactly once on a flaky network: after an outcome-unknown failure, look the
    object up by its natural key; only when it is not there is the create tried again."""
    policy = policy or RetryPolicy()
    last: MaybeCommitted | None = None
    for attempt in range(1, policy.attempts + 1):
        try:
            return create()
        except MaybeCommitted as exc:
            last = exc
        try:
            found = _lookup_quietly(lookup, policy, sleep)
        except PushError:  # the look-up failed otherwise: the create's outcome stays unknown
            raise last from None
        if found is not None:
            return found
        sleep(policy.backoff(attempt))
    assert last is not None
    raise last


def repeat_safely(call: Callable[[], T], policy: RetryPolicy | None = None,
                  sleep: Callable[[float], None] = time.sleep) -> T:
    """A POST that is safe to repeat (a login, an upload that only stores a file), tried again
    with backoff after an outcome-unknown failure."""
    policy = policy or RetryPolicy()
    for attempt in range(1, policy.attempts + 1):
        try:
            return call()
        except MaybeCommitted:
            if attempt == policy.attempts:
                raise
            sleep(policy.backoff(attempt))
    raise AssertionError("unreachable")  # pragma: no cover


def _lookup_quietly(lookup: Callable[[], T | None], policy: RetryPolicy, sleep: Callable[[float], None]) -> T | None:
    for attempt in range(1, policy.attempts + 1):
        try:
            return lookup()
        except MaybeCommitted:
            sleep(policy.backoff(attempt))
    return None
