"""A local OAuth 2.0 provider that speaks like MediaWiki's Extension:OAuth (rest.php's
/oauth2/authorize, /oauth2/access_token and /oauth2/resource/profile with MediaWiki's
profile JSON), built on oauthlib's server, for tests only.

The wiki's own login and "Allow" page is played by `sign_in_as`: the next authorization
request is approved for that profile (or refused with `refuse_next`). Its `mode` makes the
profile endpoint answer badly: "slow", "error", "html", or "garbage" (JSON without a name).
"""

import json
import os
import secrets
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from oauthlib.oauth2 import RequestValidator, WebApplicationServer

CLIENT_ID, CLIENT_SECRET = "cohortkit-test-client", "cohortkit-test-secret"
PREFIX = "/w/rest.php"


@dataclass
class _State:
    profile: dict[str, Any] | None = None
    refuse: bool = False
    mode: str = ""
    codes: dict[str, dict[str, Any]] = field(default_factory=dict)
    tokens: dict[str, dict[str, Any]] = field(default_factory=dict)


class _Validator(RequestValidator):
    def __init__(self, state: _State) -> None:
        self.state = state

    def validate_client_id(self, client_id: str, request: Any, *args: Any, **kw: Any) -> bool:
        return client_id == CLIENT_ID

    def validate_redirect_uri(
        self, client_id: str, redirect_uri: str, request: Any, *a: Any, **k: Any
    ) -> bool:
        return redirect_uri.endswith("/wiki/oauth/callback/")

    def get_default_redirect_uri(self, client_id: str, request: Any, *a: Any, **k: Any) -> str:
        return ""

    def validate_response_type(
        self, client_id: str, response_type: str, client: Any, request: Any, *a: Any, **k: Any
    ) -> bool:
        return response_type == "code"

    def get_default_scopes(self, client_id: str, request: Any, *a: Any, **k: Any) -> list[str]:
        return ["basic"]

    def validate_scopes(
        self, client_id: str, scopes: list[str], client: Any, request: Any, *a: Any, **k: Any
    ) -> bool:
        return True

    def is_pkce_required(self, client_id: str, request: Any) -> bool:
        return False

    def save_authorization_code(
        self, client_id: str, code: dict[str, str], request: Any, *a: Any, **k: Any
    ) -> None:
        self.state.codes[code["code"]] = {
            "profile": request.user,
            "redirect_uri": request.redirect_uri,
        }

    def client_authentication_required(self, request: Any, *a: Any, **k: Any) -> bool:
        return True

    def authenticate_client(self, request: Any, *a: Any, **k: Any) -> bool:
        # MediaWiki takes the secret in the body (client_secret_post).
        if (request.client_id, request.client_secret) != (CLIENT_ID, CLIENT_SECRET):
            return False
        request.client = type("Client", (), {"client_id": CLIENT_ID})()
        return True

    def validate_code(
        self, client_id: str, code: str, client: Any, request: Any, *a: Any, **k: Any
    ) -> bool:
        grant = self.state.codes.get(code)
        if grant is None:
            return False
        request.user = grant["profile"]
        request.scopes = ["basic"]
        return True

    def confirm_redirect_uri(
        self,
        client_id: str,
        code: str,
        redirect_uri: str,
        client: Any,
        request: Any,
        *a: Any,
        **k: Any,
    ) -> bool:
        return self.state.codes[code]["redirect_uri"] == redirect_uri

    def validate_grant_type(
        self, client_id: str, grant_type: str, client: Any, request: Any, *a: Any, **k: Any
    ) -> bool:
        return grant_type == "authorization_code"

    def save_bearer_token(self, token: dict[str, Any], request: Any, *a: Any, **k: Any) -> None:
        self.state.tokens[token["access_token"]] = request.user

    def invalidate_authorization_code(
        self, client_id: str, code: str, request: Any, *a: Any, **k: Any
    ) -> None:
        self.state.codes.pop(code, None)

    def validate_bearer_token(self, token: str, scopes: list[str], request: Any) -> bool:
        if token not in self.state.tokens:
            return False
        request.user = self.state.tokens[token]
        return True


class Provider:
    def __init__(self, base: str, state: _State) -> None:
        self.base = base
        self.rest_url = base + PREFIX
        self._state = state

    def sign_in_as(self, username: str, central_id: int, **extra: Any) -> None:
        """The next authorization is approved by this wiki account (MediaWiki's profile)."""
        self._state.profile = {
            "sub": str(central_id),
            "username": username,
            "editcount": 12,
            "confirmed_email": True,
            "blocked": False,
            "registered": "20200115120000",
            "groups": ["*", "user", "autoconfirmed"],
            "rights": ["read", "edit"],
            "grants": ["basic"],
            **extra,
        }
        self._state.refuse = False
        self._state.mode = ""

    def refuse_next(self) -> None:
        self._state.refuse = True

    def answer_badly(self, mode: str) -> None:
        self._state.mode = mode


# How the profile endpoint answers when told to answer badly (`Provider.answer_badly`).
_BAD_PROFILES = {
    "error": (500, "text/html", "<h1>Internal error</h1>"),
    "html": (200, "text/html", "<!doctype html><p>Login</p>"),
    "garbage": (200, "application/json", '{"sub": 5}'),
}


class _Handler(BaseHTTPRequestHandler):
    """MediaWiki's OAuth 2.0 endpoints; `_handler` makes one bound to a provider's state."""

    state: _State
    oauth: WebApplicationServer

    def _send(self, status: int, headers: dict[str, str], body: str) -> None:
        payload = body.encode()
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        try:
            self.wfile.write(payload)
        except (BrokenPipeError, ConnectionResetError):
            return  # the client stopped waiting

    def _uri(self) -> str:
        return f"http://{self.headers['Host']}{self.path}"

    def do_GET(self) -> None:
        path = urlsplit(self.path).path
        if path == PREFIX + "/oauth2/authorize":
            self._authorize()
        elif path == PREFIX + "/oauth2/resource/profile":
            self._profile()
        else:
            self._send(404, {}, "not found")

    def _authorize(self) -> None:
        if self.state.refuse:
            query = parse_qs(urlsplit(self.path).query)
            answer = {"error": "access_denied", "state": query["state"][0]}
            self._send(302, {"Location": f"{query['redirect_uri'][0]}?{urlencode(answer)}"}, "")
            return
        headers, body, status = self.oauth.create_authorization_response(
            self._uri(),
            "GET",
            None,
            dict(self.headers),
            scopes=["basic"],
            credentials={"user": self.state.profile},
        )
        self._send(status, headers, body or "")

    def _profile(self) -> None:
        valid, request = self.oauth.verify_request(
            self._uri(), "GET", None, dict(self.headers), ["basic"]
        )
        if not valid:
            self._send(401, {"Content-Type": "application/json"}, '{"error": "invalid_token"}')
            return
        if self.state.mode in _BAD_PROFILES:
            status, content_type, body = _BAD_PROFILES[self.state.mode]
            self._send(status, {"Content-Type": content_type}, body)
            return
        if self.state.mode == "slow":
            time.sleep(2)
        self._send(200, {"Content-Type": "application/json"}, json.dumps(request.user))

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()
        if urlsplit(self.path).path != PREFIX + "/oauth2/access_token":
            self._send(404, {}, "not found")
            return
        headers, answer, status = self.oauth.create_token_response(
            self._uri(), "POST", body, dict(self.headers)
        )
        self._send(status, headers, answer or "")

    def log_message(self, format: str, *args: object) -> None:
        pass


def _handler(state: _State, server: WebApplicationServer) -> type[BaseHTTPRequestHandler]:
    return type("Handler", (_Handler,), {"state": state, "oauth": server})


@contextmanager
def running_provider() -> Iterator[Provider]:
    # oauthlib refuses plain HTTP unless told: this provider only ever listens on 127.0.0.1.
    os.environ["OAUTHLIB_INSECURE_TRANSPORT"] = "1"
    state = _State()
    server = WebApplicationServer(
        _Validator(state), token_generator=lambda request: secrets.token_hex(16)
    )
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state, server))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield Provider(f"http://127.0.0.1:{httpd.server_address[1]}", state)
    finally:
        httpd.shutdown()
        httpd.server_close()


@contextmanager
def wiki_sign_in(settings: Any, monkeypatch: Any) -> Iterator[Provider]:
    """A running provider, and the site's wiki sign-in configured to use it."""
    # authlib, like oauthlib, wants HTTPS unless told: the provider listens on 127.0.0.1.
    monkeypatch.setenv("AUTHLIB_INSECURE_TRANSPORT", "1")
    with running_provider() as running:
        settings.WIKI_OAUTH_URL = running.rest_url
        settings.WIKI_OAUTH_CLIENT_ID = CLIENT_ID
        settings.WIKI_OAUTH_CLIENT_SECRET = CLIENT_SECRET
        settings.WIKI_OAUTH_NAME = "Test Wiki"
        yield running
