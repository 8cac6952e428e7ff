"""Credentials that requests would refuse in a header (whitespace, control characters) are refused
before any request, by name only: requests' own error quotes the whole header."""

from __future__ import annotations

import traceback
from pathlib import Path

import pytest
import requests

from migrate.core.errors import AuthError, UsageError
from migrate.push.clients import client_for

SECRET = "s3cr3t-Value"


def _config(path: Path, vendor: str, key: str, value: str, extra: str = "") -> Path:
    values = {"client_token": "ct", "client_secret": "cs", "access_token": "at", key: value}
    lines = "".join(f'{k} = "{v}"\n' for k, v in values.items())
    path.write_text(f'[profiles.p]\nvendor = "{vendor}"\nbase_url = "http://127.0.0.1:9/x"\nhost = "h"\n'
                    f'{lines}{extra}', encoding="utf-8")
    return path


@pytest.mark.parametrize(("vendor", "key"), [("frends", "api_key"), ("akamai", "client_token"),
                                             ("akamai", "access_token"), ("akamai", "client_secret")])
@pytest.mark.parametrize("value", [f"{SECRET}\\nmore", f"{SECRET} more", f"{SECRET}\\u0007", "  "])
def test_a_credential_unfit_for_a_header_is_refused_by_name(tmp_path: Path, vendor: str, key: str,
                                                             value: str) -> None:
    with pytest.raises(AuthError) as caught:
        client_for(vendor, _config(tmp_path / "c.toml", vendor, key, value), "p")
    text = str(caught.value) + "".join(traceback.format_exception(caught.value))
    assert key.replace("api_key", "API key") in str(caught.value)
    assert SECRET not in text


def test_surrounding_whitespace_is_trimmed(tmp_path: Path) -> None:
    client = client_for("frends", _config(tmp_path / "c.toml", "frends", "api_key", f"{SECRET}\\n"), "p")
    session = client.session  # type: ignore[attr-defined]
    signed = session.prepare_request(requests.Request("GET", "http://frends.example/api/v1/x"))
    assert signed.headers["Authorization"] == f"Bearer {SECRET}"


def test_a_group_id_that_is_not_a_number_is_a_usage_error(tmp_path: Path) -> None:
    path = _config(tmp_path / "c.toml", "akamai", "contract_id", "C-1", 'group_id = "12a"\n')
    with pytest.raises(UsageError, match="group_id must be an integer"):
        client_for("akamai", path, "p")


EDGERC_CASES = [
    (f"[default]\nhost = h\nclient_token = ct\nclient_secret {SECRET}\naccess_token = at\n", "line 4"),
    (f"client_secret = {SECRET}\n", "line 1"),  # no section header
]


@pytest.mark.parametrize(("text", "where"), EDGERC_CASES)
def test_a_broken_edgerc_is_named_by_line_not_quoted(tmp_path: Path, text: str, where: str) -> None:
    rc = tmp_path / "edgerc"
    rc.write_text(text, encoding="utf-8")
    with pytest.raises(UsageError) as caught:
        client_for("akamai", _config(tmp_path / "c.toml", "akamai", "edgerc", str(rc)), "p")
    assert where in str(caught.value) and "not a valid .edgerc" in str(caught.value)
    assert SECRET not in str(caught.value) + "".join(traceback.format_exception(caught.value))


def test_an_edgerc_secret_with_a_percent_sign_is_read_as_written(tmp_path: Path) -> None:
    rc = tmp_path / "edgerc"
    rc.write_text(f"[default]\nhost = h\nclient_token = ct\nclient_secret = {SECRET}%x\naccess_token = at\n")
    client = client_for("akamai", _config(tmp_path / "c.toml", "akamai", "edgerc", str(rc)), "p")
    assert client.session.auth.ah.client_secret == f"{SECRET}%x"  # type: ignore[attr-defined]


EDGERC = "[{section}]\nhost = {host}\nclient_token = ct\nclient_secret = cs\naccess_token = at\n"


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty home folder and no credentials in the environment."""
    folder = tmp_path / "home"
    folder.mkdir()
    monkeypatch.setenv("HOME", str(folder))
    for var in ("API_MIGRATE_CONFIG", "API_MIGRATE_EDGERC", "API_MIGRATE_EDGERC_SECTION", "AKAMAI_EDGERC",
                "AKAMAI_EDGERC_SECTION"):
        monkeypatch.delenv(var, raising=False)
    return folder


def _host_of(client: object) -> str:
    return str(client.target).split("//")[1].split("/")[0]  # type: ignore[attr-defined]


def test_home_edgerc_default_section_is_found_as_the_akamai_cli_finds_it(home: Path) -> None:
    (home / ".edgerc").write_text(EDGERC.format(section="default", host="home.luna.akamaiapis.net"))
    assert _host_of(client_for("akamai")) == "home.luna.akamaiapis.net"


def test_akamai_edgerc_and_section_variables(home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (home / ".edgerc").write_text(EDGERC.format(section="default", host="home.luna.akamaiapis.net"))
    other = tmp_path / "other.edgerc"
    other.write_text(EDGERC.format(section="default", host="a.luna.akamaiapis.net")
                     + EDGERC.format(section="ops", host="ops.luna.akamaiapis.net"))
    monkeypatch.setenv("AKAMAI_EDGERC", str(other))
    assert _host_of(client_for("akamai")) == "a.luna.akamaiapis.net"
    monkeypatch.setenv("AKAMAI_EDGERC_SECTION", "ops")
    assert _host_of(client_for("akamai")) == "ops.luna.akamaiapis.net"
    assert _host_of(client_for("akamai", section="default")) == "a.luna.akamaiapis.net"  # --section wins


def test_no_credentials_anywhere_says_where_it_looked(home: Path) -> None:
    with pytest.raises(AuthError) as akamai:
        client_for("akamai")
    message = str(akamai.value)
    assert f"there is no {home / '.edgerc'}" in message and "$AKAMAI_EDGERC is unset" in message
    assert f"{home}/.config/api-migrate/config.toml (no such file" in message and "--edgerc FILE" in message
    with pytest.raises(AuthError, match=r"has no base_url \(or set \$API_MIGRATE_FRENDS_URL\); looked for a "
                                        r"profile for frends in .*config.toml \(no such file"):
        client_for("frends")


def test_a_profile_with_its_own_credentials_never_takes_akamai_edgerc(home: Path, tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """Real tokens from $AKAMAI_EDGERC must not be signed into requests to a profile's own host."""
    other = tmp_path / "real.edgerc"
    other.write_text(EDGERC.format(section="default", host="real.luna.akamaiapis.net"))
    monkeypatch.setenv("AKAMAI_EDGERC", str(other))
    config = tmp_path / "c.toml"
    config.write_text('[profiles.s]\nvendor = "akamai"\nhost = "127.0.0.1:9"\nscheme = "http"\nclient_token = "a"\n'
                      'client_secret = "b"\naccess_token = "c"\n')
    assert _host_of(client_for("akamai", config, "s")) == "127.0.0.1:9"
