"""`@one_hop`: a signed-in endpoint's whole unit of work in one worker-thread hop.

    @router.get("/on-hand")
    @one_hop
    def on_hand(session: DbSession, user: CurrentUser, product: str) -> Response: ...

`user` may also be a `require_role(...)` user: the role is checked in the same hop (403).

The endpoint is written as every other one (`session: DbSession, user: CurrentUser`); what
changes is how FastAPI runs it. Without this, a request hops to a worker thread three times
(the sign-in check, the endpoint, the commit), each hop costing about as much CPU as the query
it carries; 200 reads a second on two cores cannot afford that. Here FastAPI sees an async
endpoint, and one hop does it all, in the same order as the dependencies did: open the
transaction, check the bearer token against the database (auth.deps.signed_in_user), run the
endpoint, commit (roll back if it raised). Errors are the same (401, 403, domain errors, 503),
and so is /openapi.json: the Authorization header is still a declared parameter.
"""

from __future__ import annotations

import asyncio
import functools
import inspect
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Annotated, Any, get_type_hints

from fastapi import Depends, Header, Request, params

from hq_server.auth.deps import CurrentUser, client_ip, signed_in_user, with_role
from hq_server.db.session import transaction
from hq_server.deps import DbSession

# More threads than the pool has connections (10 + 20 overflow): under a stall, a request
# still reaches the pool and is refused after its timeout (503), not parked in a queue here.
_THREADS = 32


@functools.cache
def _executor() -> ThreadPoolExecutor:
    # asyncio's executor hop costs about half of anyio's (no cancel scope, no limiter), and a
    # cancelled request (client gone) still lets its thread commit or roll back.
    return ThreadPoolExecutor(_THREADS, thread_name_prefix="one-hop")


async def in_one_hop(work: Callable[..., Any], *args: Any, pool: ThreadPoolExecutor | None = None) -> Any:
    """`work(*args)` in a worker thread, for an endpoint that opens its own unit of work; in
    `pool` when the endpoint keeps its own (sync pushes: a few at a time)."""
    return await asyncio.get_running_loop().run_in_executor(pool or _executor(), work, *args)


class _Call:
    """What the event loop hands the worker thread: the app's state and the caller's token."""

    __slots__ = ("request", "authorization")

    def __init__(self, request: Request, authorization: str | None) -> None:
        self.request, self.authorization = request, authorization


async def _call(request: Request, authorization: str | None = Header(default=None)) -> _Call:
    return _Call(request, authorization)  # async and no I/O: FastAPI runs it on the loop


def _roles(user_type: Any) -> tuple[str, ...] | None:
    """() for CurrentUser, the roles of a require_role(...) user, None for anything else."""
    if user_type == CurrentUser:
        return ()
    depends = [m for m in getattr(user_type, "__metadata__", ()) if isinstance(m, params.Depends)]
    return getattr(depends[0].dependency, "roles", None) if len(depends) == 1 else None


def one_hop(endpoint: Callable[..., Any]) -> Callable[..., Any]:
    hints = get_type_hints(endpoint, include_extras=True)
    roles = _roles(hints.get("user"))
    if hints.get("session") != DbSession or roles is None:
        raise TypeError(f"@one_hop: {endpoint.__name__} must take session: DbSession, "
                        "user: CurrentUser (or a require_role(...) user)")
    others = [p for p in inspect.signature(endpoint).parameters.values() if p.name not in ("session", "user")]
    if any(isinstance(m, params.Depends) for p in others
           for m in (p.default, *getattr(hints.get(p.name), "__metadata__", ()))):
        # Another dependency (Scope, require_role, ...) would sign in again in a second session.
        raise TypeError(f"@one_hop: {endpoint.__name__} may take no other dependency")
    kept = [p.replace(kind=inspect.Parameter.KEYWORD_ONLY, annotation=hints.get(p.name, p.annotation))
            for p in others]

    def unit(call: _Call, kwargs: dict[str, Any]) -> Any:
        request = call.request
        with transaction(request.app.state.session_factory) as session:
            user = signed_in_user(session, request.app.state.jwt_secret, call.authorization,
                                  client_ip(request))
            if roles:
                with_role(user, roles)
            return endpoint(session=session, user=user, **kwargs)

    async def hopped(one_hop_call: _Call, **kwargs: Any) -> Any:
        return await in_one_hop(unit, one_hop_call, kwargs)

    call_param = inspect.Parameter("one_hop_call", inspect.Parameter.KEYWORD_ONLY,
                                   annotation=Annotated[_Call, Depends(_call)])
    hopped.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [call_param, *kept], return_annotation=hints.get("return", inspect.Signature.empty))
    for name in ("__name__", "__qualname__", "__doc__", "__module__"):  # operationId, summary
        setattr(hopped, name, getattr(endpoint, name))
    return hopped
