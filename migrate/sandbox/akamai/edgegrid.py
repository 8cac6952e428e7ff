"""Server side of Akamai EdgeGrid (EG1-HMAC-SHA256): recompute a request's signature with
``edgegrid-python``'s own signing code and compare it with the one the client sent."""

from __future__ import annotations

import calendar
import hmac
import time
from collections.abc import MutableMapping
from dataclasses import dataclass
from typing import Any

from akamai.edgegrid.edgegrid import EdgeGridAuthHeaders
from requests.structures import CaseInsensitiveDict

from migrate.sandbox.credentials import AkamaiCredentials

SCHEME = "EG1-HMAC-SHA256 "
#: how far a request's timestamp may be from the server clock (seconds)
MAX_SKEW = 300


@dataclass
class SignedRequest:
    """Just what ``EdgeGridAuthHeaders.make_data_to_sign`` reads from a ``requests`` request."""

    method: str
    url: str
    headers: CaseInsensitiveDict[str]
    body: bytes


def parse_authorization(header: str) -> dict[str, str] | None:
    """The ``key=value`` fields of an EdgeGrid Authorization header, or None when malformed."""
    if not header.startswith(SCHEME):
        return None
    fields: dict[str, str] = {}
    for part in header[len(SCHEME):].split(";"):
        key, sep, value = part.partition("=")
        if sep:
            fields[key.strip()] = value.strip()
    wanted = {"client_token", "access_token", "timestamp", "nonce", "signature"}
    return fields if wanted <= fields.keys() else None


def _timestamp_ok(stamp: str, now: float) -> bool:
    try:
        parsed = calendar.timegm(time.strptime(stamp, "%Y%m%dT%H:%M:%S+0000"))
    except ValueError:
        return False
    return abs(parsed - now) <= MAX_SKEW


def verify(request: SignedRequest, creds: AkamaiCredentials, max_body: int = 131072,
           now: float | None = None) -> str | None:
    """None when the request is correctly signed with ``creds``, else the reason (no secrets)."""
    fields = parse_authorization(request.headers.get("Authorization", ""))
    if fields is None:
        return "missing or malformed EG1-HMAC-SHA256 Authorization header"
    tokens_ok = hmac.compare_digest(fields["client_token"], creds.client_token) & hmac.compare_digest(
        fields["access_token"], creds.access_token)
    if not tokens_ok:
        return "unknown client_token or access_token"
    if not _timestamp_ok(fields["timestamp"], time.time() if now is None else now):
        return "timestamp is malformed or too far from the server clock"
    signer = EdgeGridAuthHeaders(creds.client_token, creds.client_secret, creds.access_token, max_body=max_body)
    expected = signer.make_auth_header(request, fields["timestamp"], fields["nonce"])
    sent = request.headers["Authorization"]
    if not hmac.compare_digest(expected.encode(), sent.encode()):
        return "the signature does not match"
    return None


def signed_request_from_scope(scope: MutableMapping[str, Any], body: bytes) -> SignedRequest:
    """Rebuild the URL as the client signed it: scheme, Host header, raw path and query."""
    headers: CaseInsensitiveDict[str] = CaseInsensitiveDict()
    for key, value in scope["headers"]:
        headers[key.decode("latin-1")] = value.decode("latin-1")
    path = scope.get("raw_path") or scope["path"].encode()
    query = scope.get("query_string", b"")
    url = f"{scope['scheme']}://{headers.get('Host', '')}{path.decode('latin-1')}"
    if query:
        url += "?" + query.decode("latin-1")
    return SignedRequest(scope["method"], url, headers, body)
