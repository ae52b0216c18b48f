"""Two browser tabs refreshing one expired sign-in at once stay signed in; a refresh cookie
replayed later still ends the sign-in (reuse detection keeps its teeth)."""

from __future__ import annotations

import threading

import httpx

from hq_server.auth.web import ACCESS_COOKIE, REFRESH_COOKIE
from tests.fixtures.hq import ADMIN
from tests.integration.hq.helpers import query
from tests.integration.hq.test_dashboard import signed_in


def tab(hq_server, refresh_cookie: str) -> httpx.Response:  # noqa: ANN001
    """A tab whose access token has expired: it holds only the shared refresh cookie."""
    return httpx.get(hq_server.url + "/", cookies={ACCESS_COOKIE: "expired", REFRESH_COOKIE: refresh_cookie})


def test_two_tabs_refreshing_the_same_cookie_at_once_both_stay_signed_in(hq_server):
    with signed_in(hq_server, *ADMIN) as browser:
        shared = browser.cookies[REFRESH_COOKIE]
    replies: list[httpx.Response] = []
    start = threading.Barrier(2)

    def open_tab() -> None:
        start.wait()
        replies.append(tab(hq_server, shared))

    tabs = [threading.Thread(target=open_tab) for _ in range(2)]
    for t in tabs:
        t.start()
    for t in tabs:
        t.join(30)

    assert [r.status_code for r in replies] == [200, 200], [r.headers.get("location") for r in replies]
    for reply in replies:  # each got working cookies of the same sign-in
        assert tab(hq_server, reply.cookies[REFRESH_COOKIE]).status_code == 200


def test_a_refresh_cookie_replayed_after_the_grace_ends_the_sign_in(hq_server):
    with signed_in(hq_server, *ADMIN) as browser:
        stolen = browser.cookies[REFRESH_COOKIE]
    fresh = tab(hq_server, stolen)
    assert fresh.status_code == 200
    query(hq_server.database_url, "UPDATE refresh_tokens SET used_at = used_at - interval '1 minute' "
                                  "WHERE used_at IS NOT NULL RETURNING 1")

    replay = tab(hq_server, stolen)

    assert replay.status_code == 303 and replay.headers["location"].startswith("/login")
    assert tab(hq_server, fresh.cookies[REFRESH_COOKIE]).status_code == 303  # whole sign-in ended
