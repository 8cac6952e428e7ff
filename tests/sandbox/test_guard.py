"""The contract guard (migrate.sandbox.guard): a sandbox exchange that breaks the vendor's
documented contract is recorded, one that keeps it is not."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from starlette.types import Message, Receive, Scope, Send

from migrate.sandbox.guard import ContractGuard, Violations

SPEC = "/api/v1/api-management/api-specifications/1"


def app_answering(status: int, body: Any, content_type: str = "application/json") -> Any:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        await receive()
        raw = json.dumps(body).encode()
        await send({"type": "http.response.start", "status": status,
                    "headers": [(b"content-type", content_type.encode())]})
        await send({"type": "http.response.body", "body": raw})
    return app


def exchange(guard: ContractGuard, method: str, path: str, body: bytes = b"") -> list[Message]:
    sent: list[Message] = []
    scope: Scope = {"type": "http", "method": method, "path": path, "headers": [(b"content-type", b"application/json")]}

    async def receive() -> Message:
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: Message) -> None:
        sent.append(message)

    asyncio.run(guard(scope, receive, send))
    return sent


@pytest.mark.breaks_contract
def test_an_invented_field_is_recorded_and_the_response_passes_unchanged() -> None:
    checked = Violations()
    document = {"data": {"id": 1, "name": "n", "activeVersion": 1, "description": "d", "specification": "{}"}}
    guard = ContractGuard(app_answering(200, document), "frends", checked)
    sent = exchange(guard, "GET", SPEC)
    assert json.loads(sent[1]["body"]) == document  # the client still sees what the sandbox said
    (violation,) = checked.items
    assert violation["status"] == 200 and "'specification'" in violation["problem"]


@pytest.mark.breaks_contract
def test_an_undocumented_status_and_an_undocumented_route_are_recorded() -> None:
    checked = Violations()
    exchange(ContractGuard(app_answering(418, {}), "frends", checked), "GET", SPEC)
    exchange(ContractGuard(app_answering(404, "no", "text/plain"), "akamai", checked), "GET",
             "/api-definitions/v2/made-up")
    problems = [v["problem"] for v in checked.items]
    assert any("418" in p for p in problems) and any("made-up" in p or "no documented" in p for p in problems)


def test_a_documented_answer_is_not_recorded() -> None:
    checked = Violations()
    document = {"data": {"id": 1, "name": "n", "activeVersion": 1, "description": "d"}}
    exchange(ContractGuard(app_answering(200, document), "frends", checked), "GET", SPEC)
    assert checked.items == []


@pytest.mark.breaks_contract
def test_an_accepted_request_that_breaks_the_contract_is_recorded() -> None:
    checked = Violations()
    answer = {"data": {"id": 1, "name": "n", "activeVersion": 1, "description": "d"}}
    guard = ContractGuard(app_answering(200, answer), "akamai", checked)
    exchange(guard, "POST", "/api-definitions/v2/endpoints", json.dumps({"apiEndPointName": 5}).encode())
    assert any(v["problem"].startswith("request accepted:") for v in checked.items)
