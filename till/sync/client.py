"""HTTP client for HQ's sync API (shared.wire messages over requests)."""

from __future__ import annotations

import threading
from typing import Any

import requests

from shared.wire import API_PREFIX, PullResponse, PushRequest, PushResponse

CONNECT_TIMEOUT = 3.0


class HQUnavailable(ConnectionError):
    """HQ could not be reached or failed (network error, timeout, 5xx): retry later."""


class HQRefused(RuntimeError):
    """HQ answered and refused (401/403/409/422): retrying the same request will not help."""

    def __init__(self, status: int, code: str, message: str, expected_seq: int | None = None):
        super().__init__(f"HQ refused ({status} {code}): {message}")
        self.status, self.code, self.expected_seq = status, code, expected_seq


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
    return HQRefused(response.status_code, code, message, body.get("expected_seq"))


class SyncClient:
    """One requests.Session per thread: the push and pull threads never share a connection."""

    def __init__(self, hq_url: str, token: str | None = None, timeout: float = 10.0) -> None:
        self.hq_url = hq_url.rstrip("/")
        self.base = self.hq_url + API_PREFIX
        self.token = token
        self.timeout = timeout
        self._local = threading.local()
        self._sessions: list[requests.Session] = []

    def _session(self) -> requests.Session:
        session = getattr(self._local, "session", None)
        if session is None:
            session = requests.Session()
            if self.token:
                session.headers["Authorization"] = f"Bearer {self.token}"
            self._local.session = session
            self._sessions.append(session)
        return session

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
        return response.json()

    def push(self, request: PushRequest) -> PushResponse:
        body = self.request("POST", "/sync/push", data=request.model_dump_json(),
                            headers={"Content-Type": "application/json"})
        return PushResponse.model_validate(body)

    def pull(self, cursor: int, limit: int = 500, wait: float = 0) -> PullResponse:
        body = self.request("GET", "/sync/pull", params={"cursor": cursor, "limit": limit,
                                                         "wait": wait},
                            read_timeout=self.timeout + wait)
        return PullResponse.model_validate(body)

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
