"""The in-process transport seam (migrate.sandbox.inprocess): a client session served by a
sandbox app without sockets, checked against the contract like a served sandbox."""

from __future__ import annotations

import requests

from migrate.sandbox.credentials import Credentials
from migrate.sandbox.guard import Violations
from migrate.sandbox.inprocess import ASGIAdapter, sandbox_app

LIST = "http://sandbox/api/v1/api-management/api-specifications"


def test_a_session_is_served_in_process_and_checked() -> None:
    creds, checked = Credentials(), Violations()
    session = requests.Session()
    session.mount("http://sandbox/", ASGIAdapter(sandbox_app("frends", credentials=creds, violations=checked)))
    answer = session.get(LIST, headers={"Authorization": f"Bearer {creds.frends.api_key}"})
    assert answer.status_code == 200
    assert answer.json()["data"] == [] and answer.json()["paging"]["totalCount"] == 0
    assert checked.items == []
    refused = session.get(LIST, headers={"Authorization": "Bearer wrong"})
    assert refused.status_code == 401
