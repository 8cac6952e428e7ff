"""Credentials the sandboxes accept: random per start unless given."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field


def _token(prefix: str) -> str:
    return f"{prefix}-{secrets.token_hex(12)}"


@dataclass(frozen=True)
class AkamaiCredentials:
    """An ``.edgerc`` section's secrets (``host`` comes from the running server)."""

    client_token: str = field(default_factory=lambda: _token("akab-client"))
    client_secret: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    access_token: str = field(default_factory=lambda: _token("akab-access"))

    def __repr__(self) -> str:  # never print secrets by accident
        return f"AkamaiCredentials(client_token={self.client_token!r}, ...)"


@dataclass(frozen=True)
class AkanaCredentials:
    email: str = "sandbox@example.com"
    password: str = field(default_factory=lambda: secrets.token_urlsafe(16))
    fedmemberid: str = "sandbox"

    def __repr__(self) -> str:
        return f"AkanaCredentials(email={self.email!r}, fedmemberid={self.fedmemberid!r}, ...)"


@dataclass(frozen=True)
class FrendsCredentials:
    api_key: str = field(default_factory=lambda: secrets.token_urlsafe(24))

    def __repr__(self) -> str:
        return "FrendsCredentials(...)"


@dataclass(frozen=True)
class Credentials:
    """What every vendor sandbox accepts. ``Credentials()`` makes fresh random ones."""

    akamai: AkamaiCredentials = field(default_factory=AkamaiCredentials)
    akana: AkanaCredentials = field(default_factory=AkanaCredentials)
    frends: FrendsCredentials = field(default_factory=FrendsCredentials)
