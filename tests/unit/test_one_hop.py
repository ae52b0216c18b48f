"""@one_hop keeps an endpoint's contract (parameters, OpenAPI) and refuses shapes it cannot run
in one hop, at import time rather than on the first request."""

from typing import Annotated

import pytest
from fastapi import Depends, FastAPI, Query

from hq_server.auth.deps import CurrentUser, Scope, require_role
from hq_server.auth.identity import Actor
from hq_server.deps import DbSession
from hq_server.one_hop import one_hop


def test_openapi_is_the_same_with_and_without_one_hop() -> None:
    def items(session: DbSession, user: CurrentUser, store: str,
              limit: int = Query(50, ge=1, le=500)) -> dict[str, int]:
        """Items of a store."""
        return {"n": limit}

    plain, hopped = FastAPI(), FastAPI()
    plain.get("/items")(items)
    hopped.get("/items")(one_hop(items))
    assert hopped.openapi() == plain.openapi()
    assert "authorization" in str(hopped.openapi()["paths"]["/items"]["get"]["parameters"])


def test_a_role_bound_user_keeps_its_openapi_too() -> None:
    Buyer = Annotated[Actor, require_role("admin", "buyer")]

    def orders(session: DbSession, user: Buyer, limit: int = 20) -> dict[str, int]:
        return {"n": limit}

    plain, hopped = FastAPI(), FastAPI()
    plain.get("/orders")(orders)
    hopped.get("/orders")(one_hop(orders))
    assert hopped.openapi() == plain.openapi()


def test_an_endpoint_without_session_and_user_is_refused() -> None:
    def no_user(session: DbSession, store: str) -> None: ...

    with pytest.raises(TypeError, match="must take session: DbSession, user: CurrentUser"):
        one_hop(no_user)


def test_another_dependency_is_refused_it_would_sign_in_twice() -> None:
    def scoped(session: DbSession, user: CurrentUser, scope: Scope) -> None: ...

    def by_default(session: DbSession, user: CurrentUser, other: int = Depends(lambda: 1)) -> None: ...

    def annotated(session: DbSession, user: CurrentUser,
                  other: Annotated[int, Depends(lambda: 1)]) -> None: ...

    for endpoint in (scoped, by_default, annotated):
        with pytest.raises(TypeError, match="may take no other dependency"):
            one_hop(endpoint)
