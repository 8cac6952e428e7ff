"""Akana API Platform sandbox (``/api``), seed 003 and vendors.md: login cookies, CSRF header,
expiring tokens with renewal, ``POST /api/apis`` (JSON or XML, legacy body or DLDescriptor after a
dropbox upload), API versions. Errors are plain status codes, as Akana's are."""

from __future__ import annotations

import secrets
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from starlette.applications import Starlette
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from migrate.sandbox.akana.apis import MEDIA, AkanaApis
from migrate.sandbox.credentials import AkanaCredentials
from migrate.sandbox.responses import HTTPProblem, json_response, read_json
from migrate.sandbox.store import Store

Handler = Callable[[Request], Awaitable[Response]]


@dataclass
class Session:
    csrf: str
    expires: float


class AkanaSandbox:
    def __init__(self, store: Store, creds: AkanaCredentials, token_ttl: float) -> None:
        self.creds = creds
        self.token_ttl = token_ttl
        self.sessions: dict[str, Session] = {}  # login tokens are not part of the stored state
        self.apis = AkanaApis(store, creds.fedmemberid)

    @property
    def token_cookie(self) -> str:
        return f"AtmoAuthToken_{self.creds.fedmemberid}"

    @property
    def csrf_name(self) -> str:
        return f"Csrf-Token_{self.creds.fedmemberid}"

    def app(self) -> Starlette:
        a = self.apis
        routes = [
            Route("/api/login", self.guard(self.login, public=True), methods=["POST"]),
            Route("/api/login/renewToken", self.guard(self.renew), methods=["POST"]),
            Route("/api/dropbox/readfiledetails", self.guard(self.upload), methods=["POST"]),
            Route("/api/apis", self.guard(a.list_apis), methods=["GET"]),
            Route("/api/apis", self.guard(a.create_api), methods=["POST"]),
            Route("/api/apis/{api_id}", self.guard(a.get_api), methods=["GET"]),
            Route("/api/apis/{api_id}", self.guard(a.delete_api), methods=["DELETE"]),
            Route("/api/apis/{api_id}/versions", self.guard(a.list_versions), methods=["GET"]),
            Route("/api/apis/{api_id}/versions", self.guard(a.create_version), methods=["POST"]),
            Route("/api/apis/{api_id}/versions/{version_id}", self.guard(a.get_version), methods=["GET"]),
            Route("/api/apis/{api_id}/versions/{version_id}", self.guard(a.delete_version), methods=["DELETE"]),
        ]
        return Starlette(routes=routes)

    def guard(self, handler: Handler, public: bool = False) -> Handler:
        async def guarded(request: Request) -> Response:
            try:
                if not public:
                    self.check_session(request)
                check_accept(request)
                return await handler(request)
            except HTTPProblem as problem:
                return Response(problem.detail or problem.title, problem.status, media_type="text/plain")

        return guarded

    def check_session(self, request: Request) -> Session:
        """Seed 003: the login cookie on every call; the CSRF header on every non-GET call."""
        session = self.sessions.get(request.cookies.get(self.token_cookie, ""))
        if session is None:
            raise HTTPProblem(401, "Unauthorized", "login required")
        if time.time() >= session.expires:
            raise HTTPProblem(401, "Unauthorized", "the authorization token has expired")
        header = request.headers.get(f"X-Csrf-Token_{self.creds.fedmemberid}", "")
        if request.method != "GET" and not secrets.compare_digest(header, session.csrf):
            raise HTTPProblem(401, "Unauthorized", f"missing or wrong X-Csrf-Token_{self.creds.fedmemberid} header")
        return session

    async def login(self, request: Request) -> Response:
        body = await read_json(request)
        if not isinstance(body, dict):
            raise HTTPProblem(400, "Bad Request", "expected {email, password}")
        email_ok = secrets.compare_digest(str(body.get("email", "")), self.creds.email)
        password_ok = secrets.compare_digest(str(body.get("password", "")), self.creds.password)
        if not (email_ok and password_ok):
            raise HTTPProblem(401, "Unauthorized", "wrong email or password")
        return self.issue(json_response({"loginStatus": True, "userName": self.creds.email}))

    async def renew(self, request: Request) -> Response:
        token = request.cookies.get(self.token_cookie, "")
        self.sessions.pop(token, None)
        return self.issue(json_response({"renewed": True}))

    def issue(self, response: Response) -> Response:
        """A new token and CSRF value, as cookies, valid for ``token_ttl`` seconds."""
        now = time.time()
        token = f"TokenID%3D{uuid.uuid4()}%2CissueTime%3D{int(now * 1000)}"
        csrf = f"TokenID%3D{uuid.uuid4()}"
        self.sessions[token] = Session(csrf, now + self.token_ttl)
        response.set_cookie(self.token_cookie, token, httponly=True, path="/")
        response.set_cookie(self.csrf_name, csrf, path="/")
        return response

    async def upload(self, request: Request) -> Response:
        """Akana 8.1+ dropbox: multipart upload of a spec file -> ``DropboxFileId``."""
        async with request.form() as form:
            files = [v for v in form.values() if isinstance(v, UploadFile)]
            if not files:
                raise HTTPProblem(400, "Bad Request", "expected a multipart file")
            raw = await files[0].read()
            name = files[0].filename or "upload"
        return json_response(self.apis.store_file(name, raw))


def check_accept(request: Request) -> None:
    """Seed 003: a wrong Accept header gives 404."""
    accept = request.headers.get("accept", "*/*")
    kinds = [part.split(";")[0].strip() for part in accept.split(",")]
    if not any(k in ("*/*", "application/*") or MEDIA.match(k) for k in kinds):
        raise HTTPProblem(404, "Not Found", "no representation for this Accept header")
