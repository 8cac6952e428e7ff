"""Akana API Platform sandbox (``/api``), serving migrate/push/contracts/akana.yaml: login cookies,
the optional CSRF header, expiring tokens with renewal, APIs and versions (legacy bodies in JSON or
XML, DLDescriptor after a dropbox upload), version info, description documents, search, and the
versions' implementations (``implementations.py``).

Settings (``start_sandbox(settings={"akana": {...}})``): ``csrf`` (default True) is the platform's
"CSRF Support for Write Requests": on, login sets the ``Csrf-Token_{fed}`` cookie and every
non-GET call but login must echo it in ``X-Csrf-Token_{fed}`` (seed 003:241,450); off, login sets
no CSRF cookie and no header is required (ref_csrfpreventionontheplatform.htm). ``echo`` (default
"all"): "sample" makes versions return tags and policies as seed 003's sample response #1 does (no
tag, only the last policy sent; akana.yaml info.x-silent: the platform need not return them).

Errors are plain status codes without a body (seed 003:439-453)."""

from __future__ import annotations

import re
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

from migrate.sandbox.akana import shapes
from migrate.sandbox.akana.apis import AkanaApis, bad_request, done, media_type, not_found
from migrate.sandbox.akana.implementations import AkanaImplementations
from migrate.sandbox.credentials import AkanaCredentials
from migrate.sandbox.responses import HTTPProblem, int_param, json_response, read_json
from migrate.sandbox.store import Store

Handler = Callable[[Request], Awaitable[Response]]
#: Accept values the platform answers (seed 003:214-224 and the operation pages); others get 404
ACCEPTED = re.compile(r"\*/\*|application/\*|text/\*|application/(json|xml)|text/(xml|plain|javascript)"
                      r"|application/vnd\.soa\.v\d+\+(json|xml)")


@dataclass
class Session:
    csrf: str | None
    expires: float


class AkanaSandbox:
    def __init__(self, store: Store, creds: AkanaCredentials, token_ttl: float, csrf: bool = True,
                 echo: str = "all") -> None:
        self.creds = creds
        self.token_ttl = token_ttl
        self.csrf = csrf
        self.sessions: dict[str, Session] = {}  # login tokens are not part of the stored state
        self.apis = AkanaApis(store, creds.fedmemberid, echo)

    @property
    def token_cookie(self) -> str:
        return f"AtmoAuthToken_{self.creds.fedmemberid}"

    @property
    def csrf_cookie(self) -> str:
        return f"Csrf-Token_{self.creds.fedmemberid}"

    def app(self) -> Starlette:
        a, i, g = self.apis, AkanaImplementations(self.apis), self.guard
        routes = [
            Route("/api/login", g(self.login, login=False), methods=["POST"]),
            Route("/api/login/renewToken", g(self.renew), methods=["POST"]),
            Route("/api/dropbox/readfiledetails", g(self.upload), methods=["POST"]),
            Route("/api/search", g(self.search, login=False), methods=["GET"]),
            Route("/api/apis", g(self.list_apis), methods=["GET"]),
            Route("/api/apis", g(a.create_api), methods=["POST"]),
            # literal segments first, as the contract routes them
            Route("/api/apis/versions/{version_id}", g(a.get_version), methods=["GET"]),
            Route("/api/apis/versions/{version_id}", g(a.update_version), methods=["PUT"]),
            Route("/api/apis/versions/{version_id}", g(a.delete_version), methods=["DELETE"]),
            Route("/api/apis/versions/{version_id}/info", g(a.update_info), methods=["PUT"]),
            Route("/api/apis/versions/{version_id}/implementations", g(i.add), methods=["POST"]),
            Route("/api/apis/versions/{version_id}/implementations/{impl_code}", g(i.get), methods=["GET"]),
            Route("/api/apis/versions/{version_id}/implementations/{impl_code}/services/{service_id}/endpoints",
                  g(i.get_endpoints), methods=["GET"]),
            Route("/api/apis/versions/{version_id}/implementations/{impl_code}/services/{service_id}/endpoints",
                  g(i.put_endpoints), methods=["PUT"]),
            Route("/api/apis/versions/{version_id}/definition/{spec}", g(a.get_document), methods=["GET"]),
            Route("/api/apis/versions/{version_id}/definition/{spec}/{doc}", g(a.get_document), methods=["GET"]),
            Route("/api/apis/{api_id}", g(a.get_api), methods=["GET"]),
            Route("/api/apis/{api_id}", g(a.update_api), methods=["PUT"]),
            Route("/api/apis/{api_id}", g(a.delete_api), methods=["DELETE"]),
            Route("/api/apis/{api_id}/versions", g(a.list_versions), methods=["GET"]),
            Route("/api/apis/{api_id}/versions", g(a.create_version), methods=["POST"]),
        ]
        return Starlette(routes=routes)

    def guard(self, handler: Handler, login: bool = True) -> Handler:
        async def guarded(request: Request) -> Response:
            try:
                if login:
                    self.check_session(request)
                check_accept(request)
                return await handler(request)
            except HTTPProblem as problem:
                return Response(status_code=problem.status)  # a plain status code, no body

        return guarded

    def check_session(self, request: Request) -> Session:
        """Seed 003:240-241,450: the login cookie on every call; with CSRF on, the header on every
        non-GET call. 401 otherwise."""
        session = self.sessions.get(request.cookies.get(self.token_cookie, ""))
        if session is None or time.time() >= session.expires:
            raise HTTPProblem(401, "Unauthorized")
        if session.csrf is not None and request.method != "GET":
            header = request.headers.get(f"X-Csrf-Token_{self.creds.fedmemberid}", "")
            if not secrets.compare_digest(header, session.csrf):
                raise HTTPProblem(401, "Unauthorized")
        return session

    async def login(self, request: Request) -> Response:
        body = await read_json(request)
        if not isinstance(body, dict) or not all(isinstance(body.get(k), str) for k in ("email", "password")):
            raise bad_request("expected {email, password}")
        email_ok = secrets.compare_digest(body["email"], self.creds.email)
        password_ok = secrets.compare_digest(body["password"], self.creds.password)
        if not (email_ok and password_ok):
            raise HTTPProblem(401, "Unauthorized")  # not documented (akana.yaml PlainError)
        return self.issue(done())

    async def renew(self, request: Request) -> Response:
        self.sessions.pop(request.cookies.get(self.token_cookie, ""), None)
        return self.issue(done())

    def issue(self, response: Response) -> Response:
        """A new token (and, with CSRF on, a CSRF value) as cookies, valid for ``token_ttl`` s."""
        now = time.time()
        token = f"TokenID%3D{uuid.uuid4()}%2CissueTime%3D{int(now * 1000)}"
        csrf = f"TokenID%3D{uuid.uuid4()}" if self.csrf else None
        self.sessions[token] = Session(csrf, now + self.token_ttl)
        response.set_cookie(self.token_cookie, token, httponly=True, path="/")
        if csrf is not None:
            response.set_cookie(self.csrf_cookie, csrf, path="/")
        return response

    async def upload(self, request: Request) -> Response:
        """Akana 8.1+ dropbox: the document in the multipart field ``FileName`` (the curl sample's
        ``-F 'FileName=@...'``) -> ``DropboxFileId``."""
        if media_type(request) != "multipart/form-data":
            raise not_found()
        async with request.form() as form:
            upload = form.get("FileName")
            if not isinstance(upload, UploadFile):
                raise bad_request("expected the document in the multipart field FileName")
            raw = await upload.read()
            name = upload.filename or "upload"
        return json_response(self.apis.store_file(name, raw))

    async def list_apis(self, request: Request) -> Response:
        return json_response(shapes.rss("APIs", len(self.apis.apis)))

    async def search(self, request: Request) -> Response:
        """GET /api/search: names and descriptions matched word by word (Pay*, *ment wildcards)."""
        int_param(request, "start", 0, low=0)
        int_param(request, "count", 0, low=0)
        if request.query_params.get("q", "").count('"') % 2:
            raise bad_request("an invalid search expression")
        words = [w for w in request.query_params.get("q", "").split() if w.upper() not in ("AND", "OR")]
        found = [e for e in self.apis.apis.values() if all(_matches(w, e["api"]) for w in words)]
        return json_response(shapes.rss("Search Results", len(found)))


def _matches(word: str, api: dict[str, object]) -> bool:
    pattern = re.compile(r"\b" + re.escape(word.strip('"')).replace(r"\*", r"\w*") + r"\b", re.IGNORECASE)
    return any(pattern.search(str(api.get(k) or "")) for k in ("Name", "Description"))


def check_accept(request: Request) -> None:
    """Seed 003:451: a wrong Accept header gives 404."""
    accept = request.headers.get("accept", "*/*")
    kinds = [part.split(";")[0].strip().lower() for part in accept.split(",")]
    if not any(ACCEPTED.fullmatch(k) for k in kinds):
        raise not_found()
