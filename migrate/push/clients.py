"""``client_for``: a vendor client from a config profile, environment variables and (Akamai) an
``.edgerc`` section. Secrets are revealed only to the auth objects, never logged or raised."""

from __future__ import annotations

import configparser
import os
from pathlib import Path
from typing import Any

from akamai.edgegrid import EdgeGridAuth, EdgeRc

from migrate.core.errors import AuthError, UsageError
from migrate.core.targets import VENDORS
from migrate.push.akamai.client import AkamaiClient
from migrate.push.akana.client import AkanaClient
from migrate.push.config import Profile, load_profile
from migrate.push.frends.client import FrendsClient
from migrate.push.http import RetryPolicy
from migrate.push.protocol import Client, header_value

AKAMAI_KEYS = ("host", "client_token", "client_secret", "access_token")


def client_for(vendor: str, config: Path | None = None, profile: str | None = None, edgerc: Path | None = None,
               section: str | None = None, account_key: str | None = None,
               policy: RetryPolicy | None = None) -> Client:
    """The client for ``vendor`` (akamai, akana or frends). ``edgerc``/``section``/``account_key``
    (Akamai only) win over the profile's values."""
    if vendor not in VENDORS:
        raise UsageError(f"unknown vendor {vendor!r}; choose from {', '.join(VENDORS)}")
    found = load_profile(vendor, config, profile)
    if vendor == "akamai":
        return akamai_client(found, edgerc, section, account_key, policy)
    if vendor == "akana":
        proxy = {k: found.get(k) for k in ("akana_endpoint", "akana_cname", "akana_zone_rule", "akana_visibility",
                                           "akana_auto_approve", "akana_policies", "akana_sandbox_url")}
        return AkanaClient(found.require("base_url"), str(found.require("email")), found.secret("password"),
                           str(found.require("fedmemberid")), policy, proxy)
    mode = found.get("frends_mode")
    return FrendsClient(found.require("base_url"), found.secret("api_key"), policy, str(mode) if mode else None)


def edgerc_location(edgerc: Path | None, found: Profile) -> Path | None:
    """The ``.edgerc`` to read, found as the Akamai CLI finds it: ``--edgerc``, the profile's
    ``edgerc`` (or ``$API_MIGRATE_EDGERC``); when the profile holds no credentials of its own,
    ``$AKAMAI_EDGERC``, else ``~/.edgerc``. None: the profile's inline credentials."""
    for given in (edgerc, found.get("edgerc")):
        if given:
            return Path(str(given)).expanduser()
    if found.get("host"):  # the profile's own credentials: never sent with another file's tokens
        return None
    if os.environ.get("AKAMAI_EDGERC"):
        return Path(os.environ["AKAMAI_EDGERC"]).expanduser()
    home = Path.home() / ".edgerc"
    if home.is_file():
        return home
    where = f"; {found.looked}" if found.looked else f" (profile {found.name!r} has no host)"
    raise AuthError("akamai", f"no Akamai credentials: no --edgerc, $AKAMAI_EDGERC is unset and there is no "
                    f"{home}{where}. Pass --edgerc FILE [--section NAME] or add them to a profile")


def akamai_client(found: Profile, edgerc: Path | None, section: str | None, account_key: str | None,
                  policy: RetryPolicy | None) -> AkamaiClient:
    rc_path = edgerc_location(edgerc, found)
    chosen = section or found.get("section") or os.environ.get("AKAMAI_EDGERC_SECTION") or "default"
    values = edgerc_values(rc_path, chosen) if rc_path else {k: found.secret(k) for k in AKAMAI_KEYS}
    tokens = [header_value("akamai", k, str(values[k])) for k in AKAMAI_KEYS[1:]]  # all signed into a header
    auth = EdgeGridAuth(*tokens, max_body=_integer(values.get("max_body") or 131072, "max_body"))
    scheme = found.get("scheme") or "https"
    base_url = found.get("base_url") or f"{scheme}://{str(values['host']).rstrip('/')}/api-definitions/v2"
    group = found.get("group_id")
    client = AkamaiClient(base_url, auth, found.get("contract_id"), _integer(group, "group_id") if group else None,
                          account_key or found.get("account_key"), policy, found.get("endpoint_host"))
    if found.get("akamai_settings"):  # the profile's delivery settings file (--akamai-settings wins)
        client.settings_file = Path(str(found.get("akamai_settings"))).expanduser()
    return client


def _integer(value: Any, what: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise UsageError(f"akamai: {what} must be an integer, not {value!r}") from None


def edgerc_values(path: Path, section: str) -> dict[str, Any]:
    """One ``.edgerc`` section (UsageError naming the file and section, never a value)."""
    if not path.is_file():
        raise UsageError(f"{path}: .edgerc file not found")
    rc = _parse_edgerc(path)
    if not rc.has_section(section):
        raise UsageError(f"{path}: no section [{section}]")
    missing = [k for k in AKAMAI_KEYS if not rc.get(section, k, raw=True, fallback="")]
    if missing:
        raise UsageError(f"{path} [{section}]: missing {', '.join(missing)}")
    return {k: rc.get(section, k, raw=True) for k in (*AKAMAI_KEYS, "max_body") if rc.has_option(section, k)}


def _parse_edgerc(path: Path) -> EdgeRc:
    """The parsed file. configparser's errors quote the offending line, which may hold a secret:
    only its line number is kept."""
    try:
        return EdgeRc(str(path))
    except configparser.Error as exc:
        line = getattr(exc, "lineno", None) or _first_error_line(exc)
        where = f" (line {line})" if line else ""
        raise UsageError(f"{path}: not a valid .edgerc file{where}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"{path}: cannot read .edgerc: {type(exc).__name__}") from None


def _first_error_line(exc: configparser.Error) -> int | None:
    errors = getattr(exc, "errors", None) or []
    return int(errors[0][0]) if errors else None
