"""An Akana session (seed 003): ``POST /api/login`` sets the ``AtmoAuthToken_{fed}`` and
``Csrf-Token_{fed}`` cookies; every non-GET call echoes the CSRF value in ``X-Csrf-Token_{fed}``.
A 401 on a logged-in session means the token expired: renew it (``/api/login/renewToken``, else a
new login) and retry the call once. The password is only ever in the login body."""

from __future__ import annotations

from typing import Any

import requests

from migrate.core.errors import AuthError, PushError
from migrate.push.akana.xml import parse_api_xml
from migrate.push.http import MaybeCommitted, RetryPolicy, make_session, send
from migrate.push.protocol import log

V = "akana"
ACCEPT = "application/json"
#: elements that are lists in the JSON form even when they occur once (Akana's XML binding)


class AkanaSession:
    def __init__(self, base_url: str, email: str, password: str, fedmemberid: str, policy: RetryPolicy) -> None:
        self.base_url, self.fed, self.policy = base_url, fedmemberid, policy
        self._login_body = {"email": email, "password": password}
        self.session = make_session(policy)
        self.session.headers["Accept"] = ACCEPT
        self.logged_in = False

    def _send(self, method: str, path: str, action: str, **kwargs: Any) -> requests.Response:
        log.debug("akana %s %s", method, path)
        return send(self.session, V, method, self.base_url + path, action, self.policy, **kwargs)

    def login(self) -> None:
        """Log in (a login is safe to repeat after an unknown outcome)."""
        self.session.cookies.clear()
        for attempt in range(1, self.policy.attempts + 1):
            try:
                self._send("POST", "/login", "login", json=self._login_body)
                break
            except MaybeCommitted:
                if attempt == self.policy.attempts:
                    raise
        self._take_csrf()

    def _take_csrf(self) -> None:
        csrf = self.session.cookies.get(f"Csrf-Token_{self.fed}")
        if not csrf:
            raise AuthError(V, "the login response set no Csrf-Token cookie")
        self.session.headers[f"X-Csrf-Token_{self.fed}"] = csrf
        self.logged_in = True

    def refresh(self) -> None:
        """renewToken, else a new login."""
        try:
            self._send("POST", "/login/renewToken", "renew token")
            self._take_csrf()
        except PushError:
            log.debug("akana: token renewal failed; logging in again")
            self.login()

    def renew_if_asked(self, response: requests.Response) -> None:
        """Seed 003 asks the client to renew its token after ``POST /api/apis``."""
        if response.headers.get("Atmo-Renew-Token"):
            try:
                self._send("POST", "/login/renewToken", "renew token")
                self._take_csrf()
            except PushError:
                self.logged_in = False  # log in again before the next call

    def call(self, method: str, path: str, action: str, **kwargs: Any) -> requests.Response:
        if not self.logged_in:
            self.login()
        try:
            return self._send(method, path, action, **kwargs)
        except AuthError as exc:
            if exc.status != 401:
                raise
        self.refresh()  # a refused call did nothing: retrying it once is safe
        return self._send(method, path, action, **kwargs)


def xml_to_dict(raw: bytes) -> dict[str, Any]:
    """Akana's XML form of an API object as the JSON form's dict (refuses DOCTYPE/ENTITY)."""
    try:
        return parse_api_xml(raw)
    except ValueError as exc:
        raise PushError(V, f"unreadable XML answer: {exc}") from None
