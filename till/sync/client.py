"""HTTP client for HQ's sync API (shared.wire messages over requests)."""

from __future__ import annotations

import threading
from typing import Any

import requests

from shared.wire import (
    API_PREFIX,
    ROTATE_HEADER,
    TILL_VERSION_HEADER,
    CredentialRotated,
    PullResponse,
    PushRequest,
    PushResponse,
)

from .backlog import Backlog
from .version import APP_VERSION

CONNECT_TIMEOUT = 3.0


class HQUnavailable(ConnectionError):
    """HQ could not be reached or failed (network error, timeout, 5xx): retry later."""


class HQRefused(RuntimeError):
    """HQ answered and refused (401/403/409/422): retrying the same request will not help."""

    def __init__(self, status: int, code: str, message: str, expected_seq: int | None = None):
        super().__init__(f"HQ refused ({status} {code}): {message}")
        self.status, self.code, self.expected_seq = status, code, expected_seq
        self.message = message


class TillTooOld(HQRefused):
    """HQ refuses this till's version (HTTP 426): only an update helps."""

    def __str__(self) -> str:
        return f"Update needed: {self.message}"


def _refusal(response: requests.Response) -> HQRefused:
    try:
        body: Any = response.json()
    except ValueError:
        body = {}
    if not isinstance(body, dict):
        body = {}
    detail = body.get("detail")
    if isinstance(detail, dict):  # FastAPI HTTPException(detail={...}) nests the SyncError
        body = detail
    code = str(body.get("error") or f"http_{response.status_code}")
    message = str(body.get("message") or detail or response.text[:200] or response.reason)
    if response.status_code == 426:
        return TillTooOld(426, code, message)
    return HQRefused(response.status_code, code, message, body.get("expected_seq"))


class SyncClient:
    """One requests.Session per thread: the push and pull threads never share a connection."""

    def __init__(self, hq_url: str, token: str | None = None, timeout: float = 10.0,
                 app_version: str = APP_VERSION) -> None:
        self.hq_url = hq_url.rstrip("/")
        self.base = self.hq_url + API_PREFIX
        self.token = token
        self.timeout = timeout
        self.app_version = app_version
        # Set from HQ's answers: a person at HQ asked this till to rotate its credential.
        self.rotation_requested = False
        self._local = threading.local()
        self._sessions: list[requests.Session] = []

    def _session(self) -> requests.Session:
        session = getattr(self._local, "session", None)
        if session is None:
            session = requests.Session()
            session.headers[TILL_VERSION_HEADER] = self.app_version
            if self.token:
                session.headers["Authorization"] = f"Bearer {self.token}"
            self._local.session = session
            self._sessions.append(session)
        return session

    def set_token(self, token: str) -> None:
        """Use `token` from the next request on, on every thread's connection."""
        self.token = token
        for session in list(self._sessions):
            session.headers["Authorization"] = f"Bearer {token}"

    def request(self, method: str, path: str, *, read_timeout: float | None = None,
                **kwargs: Any) -> Any:
        try:
            response = self._session().request(
                method, self.base + path,
                timeout=(CONNECT_TIMEOUT, read_timeout or self.timeout), **kwargs)
        except requests.RequestException as exc:
            raise HQUnavailable(_in_words(self.hq_url, exc)) from exc
        if response.status_code >= 500 or response.status_code in (408, 429):
            raise HQUnavailable(f"HQ error {response.status_code}: {response.text[:200]}")
        if response.status_code >= 400:
            raise _refusal(response)
        if ROTATE_HEADER in response.headers:
            self.rotation_requested = True
        return response.json() if response.content else None

    def push(self, request: PushRequest, backlog: Backlog | None = None) -> PushResponse:
        """`backlog`: what will still wait once HQ has taken this batch (reported to HQ)."""
        headers = {"Content-Type": "application/json", **(backlog.headers() if backlog else {})}
        body = self.request("POST", "/sync/push", data=request.model_dump_json(), headers=headers)
        return PushResponse.model_validate(body)

    def pull(self, cursor: int, limit: int = 500, wait: float = 0,
             backlog: Backlog | None = None) -> PullResponse:
        body = self.request("GET", "/sync/pull", params={"cursor": cursor, "limit": limit,
                                                         "wait": wait},
                            read_timeout=self.timeout + wait,
                            headers=backlog.headers() if backlog else None)
        return PullResponse.model_validate(body)

    def rotate_credential(self) -> CredentialRotated:
        """A new token from HQ (the current one keeps working until the new one is used)."""
        return CredentialRotated.model_validate(self.request("POST", "/sync/credential"))

    def confirm_credential(self) -> None:
        """Call HQ with the new token: from then on HQ refuses the old one."""
        self.request("POST", "/sync/credential/confirm")

    def close(self) -> None:
        for session in self._sessions:
            session.close()


def _in_words(base: str, exc: requests.RequestException) -> str:
    """What went wrong reaching HQ, as the status bar and `till enrol` should say it."""
    if isinstance(exc, requests.Timeout):
        return f"HQ unreachable: {base} did not answer in time"
    if isinstance(exc, requests.ConnectionError):
        return f"HQ unreachable: no connection to {base}"
    if isinstance(exc, requests.exceptions.InvalidURL | requests.exceptions.MissingSchema
                  | requests.exceptions.InvalidSchema):
        return f"HQ unreachable: {base!r} is not an HQ address (expected e.g. https://hq.example.com)"
    return f"HQ unreachable: {type(exc).__name__}"
