"""The Akana client against Akana's own example answers, verbatim (tests/fixtures/contracts/akana:
seed 003's create responses), in process through the replay transport seam (tests/replay.py): the
ids of a create answer, a login that sets no CSRF cookie (no CSRF header is sent then), a login
that sets one (the header follows it), and "unchanged" decided on the fields we own."""

from __future__ import annotations

import json
from email.message import Message
from types import SimpleNamespace
from typing import Any

import pytest
import requests

from migrate.conversion.run import convert
from migrate.core.errors import AuthError
from migrate.emitters.base import EmitOptions
from migrate.push.akana.client import AkanaClient
from migrate.push.akana.owned import Owned, projection, sent_fields, version_part
from migrate.push.http import RetryPolicy
from migrate.push.protocol import Delivery
from tests.replay import BASE, Canned, ReplayAdapter, Sent, example
from tests.testsupport import SAMPLES

FED = "acmepaymentscorp"
TOKEN = "TokenID%3Dcd36a4bd-e600-4e99-961a-c4ca0cfc93cd"  # seed 003:38, shortened
CSRF = "TokenID%3D8ed70a13-8469-11e8-b37a-b155e4eabeb8"  # seed 003:182, shortened
POLICY = RetryPolicy(attempts=2, base=0.0, cap=0.0, jitter=0.0, timeout=5.0)
NEW_SERVICE = "createAPI.200.legacy-new-service.json"
EXISTING_SERVICE = "createAPI.200.legacy-existing-service.json"


class CookieReplay(ReplayAdapter):
    """The replay seam, with the canned ``Set-Cookie`` headers (one per line) reaching the session's
    cookie jar (requests reads cookies from the raw response, which a canned answer has not)."""

    def _response(self, request: requests.PreparedRequest, canned: Canned) -> requests.Response:
        response = super()._response(request, canned)
        headers = Message()
        for key, value in canned.headers.items():
            for line in value.split("\n"):
                headers[key] = line  # Message keeps repeated headers
        response.raw = SimpleNamespace(_original_response=SimpleNamespace(msg=headers))
        return response


def cookies(csrf: bool) -> dict[str, str]:
    """Login answer headers: the token cookie, and the CSRF cookie when CSRF prevention is on."""
    headers = {"Set-Cookie": f"AtmoAuthToken_{FED}={TOKEN}; Path=/; HttpOnly"}
    if csrf:
        headers["Set-Cookie"] += f"\nCsrf-Token_{FED}={CSRF}; Path=/"
    return headers


def replayed(answer: str, csrf: bool) -> tuple[AkanaClient, CookieReplay]:
    adapter = CookieReplay({
        ("POST", "/api/login"): Canned(200, b"", None, cookies(csrf)),
        ("POST", "/api/apis"): Canned(200, example("akana", answer), "application/json",
                                      {"Atmo-Renew-Token": "renew"}),  # seed 003:262-265
        ("POST", "/api/login/renewToken"): Canned(200, b"", None, cookies(csrf)),
    })
    client = AkanaClient(f"{BASE}/api", "migrator@example.com", "secret", FED, POLICY)
    client.api.session.mount(f"{BASE}/", adapter)
    return client, adapter


def petstore() -> Delivery:
    options = EmitOptions(akana_endpoint="http://www.acmepaymentscorp.com/api/swag")
    conversion = convert(SAMPLES / "petstore-swagger2.yaml", "akana", options)
    return Delivery(conversion.source, conversion.payload)


def csrf_headers(sent: list[Sent]) -> list[str | None]:
    return [next((v for k, v in s.headers.items() if k.lower() == f"x-csrf-token_{FED}"), None) for s in sent]


def test_create_answer_gives_the_platform_ids_without_a_csrf_cookie() -> None:
    client, adapter = replayed(NEW_SERVICE, csrf=False)
    remote = client.create(petstore())
    assert remote.ids == {"apiId": "44d187c6-7aa0-492d-bb41-fa5b9c16b450.acmepaymentscorp",
                          "apiVersionId": "f9e38abc-9d29-4586-a45f-e61a6780b6a1.acmepaymentscorp"}
    assert remote.version == "1.0"
    assert [(s.method, s.path) for s in adapter.sent] == [
        ("POST", "/api/login"), ("POST", "/api/apis"), ("POST", "/api/login/renewToken")]
    assert csrf_headers(adapter.sent) == [None, None, None]  # the platform set no CSRF cookie
    create = adapter.sent[1]
    assert f"AtmoAuthToken_{FED}={TOKEN}" in create.headers["Cookie"]
    assert create.json()["Name"] == "Petstore" and "password" not in create.body.decode()


def test_create_answer_for_an_existing_service() -> None:
    client, _ = replayed(EXISTING_SERVICE, csrf=False)
    remote = client.create(petstore())
    assert remote.ids == {"apiId": "e5cbd91a-f23d-49ea-b600-a99b3dfb47b7.acmepaymentscorp",
                          "apiVersionId": "02e8e50d-d629-465e-868f-0d0771d90806.acmepaymentscorp"}


def test_with_a_csrf_cookie_every_call_after_login_carries_the_header() -> None:
    client, adapter = replayed(NEW_SERVICE, csrf=True)
    client.create(petstore())
    assert csrf_headers(adapter.sent) == [None, CSRF, CSRF]


def test_a_login_that_sets_no_token_cookie_fails() -> None:
    adapter = CookieReplay({("POST", "/api/login"): Canned(200, b"", None)})
    client = AkanaClient(f"{BASE}/api", "migrator@example.com", "secret", FED, POLICY)
    client.api.session.mount(f"{BASE}/", adapter)
    with pytest.raises(AuthError, match=f"AtmoAuthToken_{FED}"):
        client.call("GET", "/apis", "list APIs")


def _without_platform_fields(value: Any) -> Any:
    """The seed's answer without what the platform adds (ids and per-endpoint/operation extras)."""
    added = {"APIVersionID", "APIID", "InterfaceQName", "WsdlOperationName", "ConnectionProperties"}
    if isinstance(value, dict):
        return {k: _without_platform_fields(v) for k, v in value.items() if k not in added}
    if isinstance(value, list):
        return [_without_platform_fields(v) for v in value]
    return value


def test_unchanged_is_decided_on_the_fields_we_own() -> None:
    answer = json.loads(example("akana", NEW_SERVICE))
    request = json.loads(example("akana", "createAPI.request.legacy-new-service.json"))
    owned = Owned.of(request["APIVersion"])
    assert owned.endpoint_fields == ("Category", "Uri", "CName", "DeploymentZoneRule") and owned.backend
    # what the platform adds does not count ...
    plain = _without_platform_fields(answer)
    assert projection(answer, answer["APIVersion"], owned) == projection(plain, plain["APIVersion"], owned)
    # ... what it changed of ours does (seed 003: rewritten path, other proxy URI and zone rule, no tags,
    # two of the three policies sent not returned)
    sent, held = version_part(request["APIVersion"], owned), version_part(answer["APIVersion"], owned)
    # (the backend is the Live implementation's, compared there: implementations.py)
    assert {k for k in sent if sent[k] != held[k]} == {"tags", "endpoints", "operations", "policies"}
    assert held["policies"] == ["10001-DetailedAuditing"]
    # tags and policies, which the platform need not return, are compared with what the push sent
    # (the journal keeps it): the seed's answer then differs only in what it returns of the rest
    kept = sent_fields(request["APIVersion"])
    assert kept == {"tags": ["api", "swagger", "test"], "policies": ["10001-CORSAllowAll", "10001-DetailedAuditing",
                                                                     "10001-acmepaymentscorpApplicationSecurityPolicy"]}
    held = version_part(answer["APIVersion"], owned, kept)
    assert {k for k in sent if sent[k] != held[k]} == {"endpoints", "operations"}


def test_a_create_with_an_unknown_outcome_is_not_sent_again_and_the_rerun_asks_the_operator(
        tmp_path: Any) -> None:
    """Akana cannot look an API up by name (akana.yaml x-silent): after a 503 on POST /api/apis the
    create is not repeated, and a re-run refuses until the operator adopts the API or says it is
    absent."""
    from migrate.core.errors import OutcomeUnknown
    from migrate.push.journal import Journal
    from migrate.push.run import run_push

    adapter = CookieReplay({
        ("POST", "/api/login"): Canned(200, b"", None, cookies(False)),
        ("POST", "/api/apis"): [Canned(503, b"Service Unavailable", "text/plain"),
                                Canned(200, example("akana", NEW_SERVICE), "application/json")],
        ("POST", "/api/login/renewToken"): Canned(200, b"", None, cookies(False)),
        # the Live implementation's answer is not retrievable (akana.yaml getAPIImplementation): not returned
        ("GET", "/api/apis/versions/[^/]+/implementations/Live"): Canned(404, b"", None),
    })
    client = AkanaClient(f"{BASE}/api", "migrator@example.com", "secret", FED, POLICY)
    client.api.session.mount(f"{BASE}/", adapter)
    journal = Journal(tmp_path / "journal.jsonl")
    with pytest.raises(OutcomeUnknown, match="not sent again"):
        run_push(petstore(), client, journal)
    assert [s.path for s in adapter.sent].count("/api/apis") == 1
    with pytest.raises(OutcomeUnknown, match=r"--adopt ID .* --assume-absent"):
        run_push(petstore(), client, journal)
    assert [s.path for s in adapter.sent].count("/api/apis") == 1  # the re-run sent nothing
    created = run_push(petstore(), client, journal, assume_absent=True)
    assert created.done[0] == "create" and [s.path for s in adapter.sent].count("/api/apis") == 2


def _reading(status: int) -> tuple[AkanaClient, CookieReplay]:
    adapter = CookieReplay({("POST", "/api/login"): Canned(200, b"", None, cookies(False)),
                            ("GET", "/api/apis/known-id"): Canned(status, b"", None)})
    client = AkanaClient(f"{BASE}/api", "migrator@example.com", "secret", FED, POLICY)
    client.api.session.mount(f"{BASE}/", adapter)
    return client, adapter


@pytest.mark.parametrize("status", [400, 405, 406, 409, 410, 415])
def test_only_a_404_for_the_journals_api_reads_as_gone(status: int) -> None:
    """Any other error status for GET /api/apis/{APIID} is an error: the plan does not turn into a
    create of a second API."""
    from migrate.core.errors import PushError

    client, _ = _reading(status)
    with pytest.raises(PushError) as caught:
        client.find(petstore(), {"ids": {"apiId": "known-id"}})
    assert caught.value.status == status


def test_a_404_to_a_documented_accept_reads_as_gone() -> None:
    """The 404 that reads as gone answered a documented Accept (seed 003:451: a wrong one gives 404)."""
    client, adapter = _reading(404)
    assert client.find(petstore(), {"ids": {"apiId": "known-id"}}) is None
    [get] = [s for s in adapter.sent if s.method == "GET"]
    assert next(v for k, v in get.headers.items() if k.lower() == "accept") == "application/json"
