"""An Akana session (akana.yaml info.x-auth-note; seed 003:240-241,450): ``POST /api/login`` sets
the ``AtmoAuthToken_{fed}`` cookie and, when the platform's CSRF prevention is on, the
``Csrf-Token_{fed}`` cookie. The ``X-Csrf-Token_{fed}`` header "may or may not be required,
depending on platform settings": it is sent, with the cookie's value, only when the platform set
the cookie. A 401 on a logged-in session means the token expired: renew it
(``/api/login/renewToken``, else a new login) and retry the call once. The password is only ever
in the login body; the login body is not read (its shape is not documented)."""

from __future__ import annotations

from typing import Any

import requests

from migrate.core.errors import AuthError, PushError
from migrate.push.http import RetryPolicy, make_session, repeat_safely, send
from migrate.push.protocol import log

V = "akana"
ACCEPT = "application/json"


class AkanaSession:
    def __init__(self, base_url: str, email: str, password: str, fedmemberid: str, policy: RetryPolicy) -> None:
        self.base_url, self.fed, self.policy = base_url, fedmemberid, policy
        self._login_body = {"email": email, "password": password}
        self.session = make_session(policy)
        self.session.headers["Accept"] = ACCEPT
        self.logged_in = False

    @property
    def csrf_header(self) -> str:
        return f"X-Csrf-Token_{self.fed}"

    def _send(self, method: str, path: str, action: str, **kwargs: Any) -> requests.Response:
        log.debug("akana %s %s", method, path)
        self._sync_csrf()  # the platform may set a new CSRF cookie on any answer (seed 003:383-384)
        return send(self.session, V, method, self.base_url + path, action, self.policy, **kwargs)

    def _sync_csrf(self) -> None:
        csrf = self.session.cookies.get(f"Csrf-Token_{self.fed}")
        if csrf:
            self.session.headers[self.csrf_header] = csrf
        else:  # CSRF prevention is off on this platform: no header (seed 003:241)
            self.session.headers.pop(self.csrf_header, None)

    def login(self) -> None:
        """Log in (a login is safe to repeat after an unknown outcome)."""
        self.session.cookies.clear()
        repeat_safely(lambda: self._send("POST", "/login", "login", json=self._login_body), self.policy)
        self._take_cookies()

    def _take_cookies(self) -> None:
        """A login succeeded when it set the token cookie; the CSRF header follows the CSRF cookie."""
        if not self.session.cookies.get(f"AtmoAuthToken_{self.fed}"):
            raise AuthError(V, f"the login answer set no AtmoAuthToken_{self.fed} cookie (is fedmemberid right?)")
        self._sync_csrf()
        self.logged_in = True

    def renew(self) -> None:
        """renewToken; when it fails (an expired token cannot be renewed), log in before the next call."""
        try:
            self._send("POST", "/login/renewToken", "renew token")
            self._take_cookies()
        except PushError:
            log.debug("akana: token renewal failed; logging in again")
            self.logged_in = False

    def call(self, method: str, path: str, action: str, **kwargs: Any) -> requests.Response:
        if not self.logged_in:
            self.login()
        try:
            return self._send(method, path, action, **kwargs)
        except AuthError as exc:
            if exc.status != 401:
                raise
        self.renew()  # a refused call did nothing: retrying it once is safe
        if not self.logged_in:
            self.login()
        return self._send(method, path, action, **kwargs)
