"""Running the sandbox: state endpoint, SQLite state file, config file, ports, no credentials in logs."""

from __future__ import annotations

import gc
import logging
import socket
import threading
import time
import tomllib
import warnings
from pathlib import Path

import pytest
import requests

from migrate.sandbox import Credentials, SandboxHandle, render_config, run_sandbox, start_sandbox, write_config
from migrate.sandbox.akamai.edgegrid import parse_authorization
from tests.sandbox.sandbox_helpers import akamai_session_for, akana_login, endpoint_body, openapi_text


def test_state_endpoint_lists_objects_of_every_vendor(sandbox: SandboxHandle, akamai: requests.Session,
                                                     frends: requests.Session) -> None:
    akamai.post(f"{sandbox.base_urls['akamai']}/endpoints", json=endpoint_body(), timeout=5)
    frends.post(f"{sandbox.base_urls['frends']}/api-management/api-specifications/import",
                files={"file": ("a.json", openapi_text("A", "/a"))}, timeout=5)
    state = requests.get(f"{sandbox.root_url('akana')}/_sandbox/state", timeout=5).json()
    assert [e["versions"]["1"]["endpoint"]["apiEndPointName"] for e in state["akamai"]["endpoints"].values()] == [
        "Bookstore"]
    assert [s["name"] for s in state["frends"]["specs"].values()] == ["A"]
    assert state["akana"] == {} and state["faults"] == []


def test_state_file_survives_a_restart(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite"
    with start_sandbox("akamai", state=path) as first:
        created = akamai_session_for(first).post(f"{first.base_urls['akamai']}/endpoints", json=endpoint_body(),
                                                  timeout=5)
        assert created.status_code == 201
    with start_sandbox("akamai", state=path) as second:
        session = akamai_session_for(second)
        listed = session.get(f"{second.base_urls['akamai']}/endpoints", timeout=5).json()["apiEndPoints"]
        assert [e["apiEndPointName"] for e in listed] == ["Bookstore"]
        again = session.post(f"{second.base_urls['akamai']}/endpoints", json=endpoint_body("Two", "/two"), timeout=5)
        assert again.json()["apiEndPointId"] == created.json()["apiEndPointId"] + 1


def test_write_config_has_one_profile_per_vendor(sandbox: SandboxHandle, tmp_path: Path) -> None:
    path = tmp_path / "sandbox.toml"
    write_config(sandbox, path)
    assert path.stat().st_mode & 0o077 == 0
    profiles = tomllib.loads(path.read_text())["profiles"]
    assert sorted(profiles) == ["sandbox-akamai", "sandbox-akana", "sandbox-frends"]
    akamai = profiles["sandbox-akamai"]
    assert akamai["client_secret"] == sandbox.credentials.akamai.client_secret
    assert akamai["base_url"] == f"http://{akamai['host']}/api-definitions/v2"
    frends = profiles["sandbox-frends"]
    listing = requests.get(f"{frends['base_url']}/api-management/api-specifications",
                           headers={"Authorization": f"Bearer {frends['api_key']}"}, timeout=5)
    assert listing.status_code == 200


def test_given_credentials_and_ports_are_used() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    creds = Credentials()
    try:
        handle = start_sandbox(["frends", "akana"], port=port, credentials=creds)
    except OSError:
        pytest.skip("the probed port range was taken meanwhile")
    with handle:
        assert handle.hosts == {"akana": f"127.0.0.1:{port}", "frends": f"127.0.0.1:{port + 1}"}
        assert handle.credentials is creds
        assert "akamai" not in render_config(handle)


def test_unknown_vendor_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown vendor"):
        start_sandbox("mulesoft")


def test_credentials_never_reach_the_logs(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    with start_sandbox("all", access_log=True) as handle:
        akamai_session_for(handle).get(f"{handle.base_urls['akamai']}/endpoints", timeout=5)
        akana_login(handle).get(f"{handle.base_urls['akana']}/apis", timeout=5)
        requests.get(f"{handle.base_urls['frends']}/api-management/api-specifications",
                     headers={"Authorization": handle.credentials.frends.api_key}, timeout=5)
    text = caplog.text
    assert "/api-definitions/v2/endpoints" in text  # access logging did happen
    c = handle.credentials
    for secret in (c.akamai.client_secret, c.akamai.access_token, c.akamai.client_token, c.akana.password,
                   c.frends.api_key, "TokenID"):
        assert secret not in text
    assert c.akamai.client_secret not in repr(c)


def test_run_sandbox_blocks_until_stopped(tmp_path: Path) -> None:
    stop, lines = threading.Event(), list[str]()
    thread = threading.Thread(target=run_sandbox, kwargs={
        "vendor": "frends", "write_config_to": tmp_path / "c.toml", "echo": lines.append, "stop": stop})
    thread.start()
    deadline = time.monotonic() + 10
    while not (tmp_path / "c.toml").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert thread.is_alive()
    stop.set()
    thread.join(10)
    assert not thread.is_alive()
    assert lines[0].startswith("frends  http://127.0.0.1:")
    key = tomllib.loads((tmp_path / "c.toml").read_text())["profiles"]["sandbox-frends"]["api_key"]
    assert all(key not in line for line in lines)


def test_parse_authorization() -> None:
    header = "EG1-HMAC-SHA256 client_token=a;access_token=b;timestamp=20240101T00:00:00+0000;nonce=n;signature=x=="
    assert parse_authorization(header) == {"client_token": "a", "access_token": "b",
                                           "timestamp": "20240101T00:00:00+0000", "nonce": "n", "signature": "x=="}
    assert parse_authorization("Bearer abc") is None


def test_verify_refuses_old_timestamps_and_other_credentials() -> None:
    from akamai.edgegrid import EdgeGridAuth
    from requests.structures import CaseInsensitiveDict

    from migrate.sandbox import AkamaiCredentials
    from migrate.sandbox.akamai.edgegrid import SignedRequest, verify

    creds = AkamaiCredentials()
    prepared = requests.Request("POST", "http://127.0.0.1:9/api-definitions/v2/endpoints?x=1", json={"a": 1}).prepare()
    EdgeGridAuth(creds.client_token, creds.client_secret, creds.access_token)(prepared)
    headers = CaseInsensitiveDict({**prepared.headers, "Host": "127.0.0.1:9"})
    signed = SignedRequest("POST", prepared.url or "", headers, prepared.body)  # type: ignore[arg-type]
    assert verify(signed, creds) is None
    assert verify(signed, creds, now=time.time() + 3600) == "timestamp is malformed or too far from the server clock"
    assert verify(signed, AkamaiCredentials()) == "unknown client_token or access_token"


def _free_port_pair() -> tuple[socket.socket, int]:
    """A listening socket on port P+1 and the port P below it (free when probed)."""
    for _ in range(20):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        taken = socket.socket()
        try:
            taken.bind(("127.0.0.1", port + 1))
        except OSError:
            taken.close()
            continue
        taken.listen(1)
        return taken, port
    pytest.skip("no free pair of ports found")


def test_a_taken_port_leaves_no_socket_open() -> None:
    taken, port = _free_port_pair()
    with taken, warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with pytest.raises(OSError):
            start_sandbox(["akamai", "akana"], port=port)
        gc.collect()
    assert [w for w in caught if issubclass(w.category, ResourceWarning)] == []  # closed, not collected
    with socket.socket() as again:  # the socket bound to `port` before the failure was closed
        again.bind(("127.0.0.1", port))


def test_a_state_file_that_is_not_one_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite"
    path.write_text("not a database, just text\n" * 100, encoding="utf-8")
    with pytest.raises(ValueError, match="not a sandbox state file"):
        start_sandbox("akamai", state=path)
