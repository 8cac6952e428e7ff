"""No credential value appears in logs (DEBUG, every logger), printed output, exception text or
repr, or the journal: for successful and failing plans and pushes to every vendor."""

from __future__ import annotations

import logging
import traceback
from pathlib import Path

import pytest

from migrate.core.errors import MigrateError
from migrate.push.commands import Connection, plan_command, push_command
from migrate.sandbox import SandboxHandle
from tests.vendors.vendor_helpers import EXTRA, FAST, ConnMaker, SpecMaker, secrets_of

VENDORS = ("akamai", "akana", "frends")


def _wrong_config(handle: SandboxHandle, path: Path) -> Path:
    """Profiles whose secrets are the other vendors' real ones (refused, but scanned for)."""
    c = handle.credentials
    path.write_text(
        f'[profiles.akamai]\nvendor = "akamai"\nbase_url = "{handle.base_urls["akamai"]}"\nhost = "x"\n'
        f'client_token = "{c.akamai.client_token}"\nclient_secret = "{c.frends.api_key}"\n'
        f'access_token = "{c.akamai.access_token}"\ncontract_id = "C-SANDBOX"\ngroup_id = 12345\n'
        f'[profiles.akana]\nvendor = "akana"\nbase_url = "{handle.base_urls["akana"]}"\n'
        f'email = "sandbox@example.com"\npassword = "{c.akamai.client_secret}"\nfedmemberid = "sandbox"\n'
        f'[profiles.frends]\nvendor = "frends"\nbase_url = "{handle.base_urls["frends"]}"\n'
        f'api_key = "{c.akana.password}"\n', encoding="utf-8")
    return path


def test_no_credentials_anywhere(sandbox: SandboxHandle, conn: ConnMaker, make_spec: SpecMaker, tmp_path: Path,
                                 caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str]) -> None:
    caplog.set_level(logging.DEBUG)
    texts: list[str] = []
    spec, changed = make_spec("Books", "/books"), make_spec("Books", "/books", name="v2.json", post=True)
    for vendor in VENDORS:
        for path in (spec, changed, changed):
            texts.append(plan_command(path, conn(vendor), fmt="json"))
            texts.append(push_command(path, conn(vendor), **EXTRA[vendor]))
            print(texts[-1])
    bad = _wrong_config(sandbox, tmp_path / "bad.toml")
    for vendor in VENDORS:
        wrong = Connection(vendor, bad, vendor, journal=tmp_path / "bad.jsonl", policy=FAST)
        with pytest.raises(MigrateError) as caught:
            push_command(spec, wrong)
        assert caught.value.exit_code == 2
        texts += [str(caught.value), repr(caught.value), repr(caught.value.__dict__),
                  "".join(traceback.format_exception(caught.value))]
    texts += [caplog.text, *capsys.readouterr()]
    texts += [p.read_text() for p in tmp_path.glob("*.jsonl")]
    assert "akana POST /login" in caplog.text  # DEBUG logging was captured
    everything = "\n".join(texts)
    for secret in secrets_of(sandbox):
        assert secret not in everything
