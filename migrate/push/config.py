"""Credentials and endpoints for the vendor clients: a TOML config file with one profile per
target, environment variables, or (Akamai) an ``.edgerc`` section.

Config file (``--config FILE``, else ``$API_MIGRATE_CONFIG``, else
``~/.config/api-migrate/config.toml``)::

    [profiles.prod-akamai]
    vendor = "akamai"
    edgerc = "~/.edgerc"          # or inline: host, client_token, client_secret, access_token
    section = "default"
    account_key = "..."           # optional: sent as accountSwitchKey
    contract_id = "C-1A2B3C"      # defaults for converting: applied before the conversion
    group_id = 12345
    endpoint_host = "api.example.com"   # default hostname (must be one of the contract/group's hosts)
    akamai_settings = "akamai-settings.yaml"   # delivery settings file (as --akamai-settings)

    [profiles.prod-akana]
    vendor = "akana"
    base_url = "https://akana.example.com"
    email = "migrator@example.com"
    password = "..."              # or $API_MIGRATE_AKANA_PASSWORD
    fedmemberid = "tenant"
    akana_endpoint = "https://gateway.example.com/orders"   # the proxy the platform serves (never the backend)
    akana_cname = "gateway.example.com"                      # optional
    akana_zone_rule = "DMZ"                                  # optional DeploymentZoneRule
    akana_policies = { apiKey = "10001-AppSecurity" }        # security scheme (name or kind) -> policy key
    akana_sandbox_url = "https://sandbox.example.com/orders" # optional: backend of the Sandbox implementation

    [profiles.prod-frends]
    vendor = "frends"
    base_url = "https://tenant.frendsapp.com/api/v1"
    api_key = "..."               # bearer token / API key, or $API_MIGRATE_FRENDS_TOKEN

Secrets are held as ``Secret`` values whose ``str``/``repr`` never show the value.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from migrate.core.errors import AuthError, UsageError

SECRET_KEYS = frozenset({"client_secret", "access_token", "client_token", "password", "token", "api_key"})
#: environment variables that supply or override a profile value: (vendor, key) -> variable
ENV = {
    ("akamai", "edgerc"): "API_MIGRATE_EDGERC",
    ("akamai", "section"): "API_MIGRATE_EDGERC_SECTION",
    ("akamai", "account_key"): "API_MIGRATE_ACCOUNT_KEY",
    ("akana", "base_url"): "API_MIGRATE_AKANA_URL",
    ("akana", "email"): "API_MIGRATE_AKANA_EMAIL",
    ("akana", "password"): "API_MIGRATE_AKANA_PASSWORD",
    ("akana", "fedmemberid"): "API_MIGRATE_AKANA_FEDMEMBERID",
    ("frends", "base_url"): "API_MIGRATE_FRENDS_URL",
    ("frends", "api_key"): "API_MIGRATE_FRENDS_TOKEN",
}


class Secret:
    """A credential value that does not print itself."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "Secret('***')"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)


@dataclass
class Profile:
    """``looked``: for a profile built from environment variables alone, where a config file was
    looked for (said when a value is missing)."""

    name: str
    vendor: str
    values: dict[str, Any] = field(default_factory=dict)
    looked: str | None = None

    def get(self, key: str, default: Any = None) -> Any:
        return self.values.get(key, default)

    def require(self, key: str) -> Any:
        value = self.values.get(key)
        if value in (None, ""):
            env = ENV.get((self.vendor, key))
            hint = f" (or set ${env})" if env else ""
            where = f"; {self.looked}" if self.looked else ""
            raise AuthError(self.vendor, f"profile {self.name!r} has no {key}{hint}{where}")
        return value

    def secret(self, key: str) -> str:
        value = self.require(key)
        return value.reveal() if isinstance(value, Secret) else str(value)


def default_config_path() -> Path:
    env = os.environ.get("API_MIGRATE_CONFIG")
    return Path(env) if env else Path.home() / ".config" / "api-migrate" / "config.toml"


def read_config(path: Path) -> dict[str, dict[str, Any]]:
    """Profiles from a config file; a missing default file is an empty config."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"{path}: cannot read config: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"{path}: invalid TOML: {exc}") from None
    profiles = data.get("profiles", {})
    if not isinstance(profiles, dict):
        raise UsageError(f"{path}: [profiles] must be a table")
    return profiles


def load_profile(vendor: str, config: Path | None = None, profile: str | None = None) -> Profile:
    """The profile for ``vendor``: named ``profile`` from the config file, else the only/first
    profile of that vendor, else one built from environment variables alone."""
    path = config or default_config_path()
    if config is not None and not path.exists():
        raise UsageError(f"{path}: config file not found")
    profiles = read_config(path)
    if profile is not None:
        if profile not in profiles:
            raise UsageError(f"{path}: no profile {profile!r} (have: {', '.join(sorted(profiles)) or 'none'})")
        raw, name = profiles[profile], profile
    else:
        matches = [n for n, p in profiles.items() if isinstance(p, dict) and p.get("vendor") == vendor]
        name = matches[0] if matches else f"env-{vendor}"
        raw = profiles.get(name, {"vendor": vendor})
    if not isinstance(raw, dict):
        raise UsageError(f"{path}: profile {name!r} must be a table")
    found = raw.get("vendor", vendor)
    if found != vendor:
        raise UsageError(f"profile {name!r} is for {found}, not {vendor}")
    looked = None if name in profiles else (
        f"looked for a profile for {vendor} in {path} ({'it has none' if path.exists() else 'no such file'}; "
        "--config FILE or $API_MIGRATE_CONFIG names another)")
    return Profile(name, vendor, _with_env(vendor, dict(raw)), looked)


def _with_env(vendor: str, values: dict[str, Any]) -> dict[str, Any]:
    for (v, key), var in ENV.items():
        if v == vendor and os.environ.get(var):
            values[key] = os.environ[var]
    return {k: Secret(str(v)) if k in SECRET_KEYS and not isinstance(v, Secret) else v for k, v in values.items()}
