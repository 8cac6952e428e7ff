"""``--write-config FILE``: a TOML config with one profile per running vendor sandbox."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from migrate.sandbox.akamai.state import GROUPS
from migrate.sandbox.server import SandboxHandle


def profiles(handle: SandboxHandle) -> dict[str, dict[str, Any]]:
    """``sandbox-<vendor>`` -> settings (URL and credentials) for every running vendor."""
    creds = handle.credentials
    found: dict[str, dict[str, Any]] = {}
    if "akamai" in handle.base_urls:
        from migrate.sandbox.akamai.state import HOSTS

        contract, group = GROUPS[0]["contractId"], GROUPS[0]["groupId"]
        found["sandbox-akamai"] = {
            "vendor": "akamai", "base_url": handle.base_urls["akamai"], "scheme": "http",
            "host": handle.hosts["akamai"], "client_token": creds.akamai.client_token,
            "client_secret": creds.akamai.client_secret, "access_token": creds.akamai.access_token,
            "contract_id": contract, "group_id": group,
            "endpoint_host": HOSTS[(str(contract), int(group))][0],  # a hostname of the contract and group
        }
    if "akana" in handle.base_urls:
        found["sandbox-akana"] = {
            "vendor": "akana", "base_url": handle.base_urls["akana"], "email": creds.akana.email,
            "password": creds.akana.password, "fedmemberid": creds.akana.fedmemberid,
            # the proxy endpoint pushes default to: a listener on the sandbox platform's host
            "akana_endpoint": f"{handle.root_url('akana')}/gateway",
        }
    if "frends" in handle.base_urls:
        found["sandbox-frends"] = {"vendor": "frends", "base_url": handle.base_urls["frends"],
                                   "api_key": creds.frends.api_key, "agent_group_id": 1}
    return found


def _value(value: Any) -> str:
    # a JSON string or number is a valid TOML basic string / integer
    return json.dumps(value, ensure_ascii=False)


def render_config(handle: SandboxHandle) -> str:
    lines = ["# Written by `api-migrate sandbox`: valid while that sandbox runs (credentials change per start).", ""]
    for name, settings in profiles(handle).items():
        lines.append(f'[profiles."{name}"]')
        lines.extend(f"{key} = {_value(value)}" for key, value in settings.items())
        lines.append("")
    return "\n".join(lines)


def write_config(handle: SandboxHandle, path: Path) -> None:
    """Write the config readable by the owner only (it holds credentials)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(render_config(handle))
