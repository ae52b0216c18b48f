"""HQ includes its busiest routers first (app.py) because FastAPI tries routes in order. That is
safe only while no request path could match routes of two routers: then order is only speed."""

import re

from starlette.routing import compile_path

from hq_server.app import create_app

# Within one router, where order is the router's own and never changes.
SAME_ROUTER = {("post", "/api/v1/purchase-orders/{order_id}/receipts",
                "/api/v1/purchase-orders/{order_id}/{action}")}


def test_no_request_path_matches_two_api_routes() -> None:
    app = create_app("postgresql+psycopg://nobody:none@127.0.0.1:1/none", jwt_secret="k" * 40)
    routes = [(method, path) for path, ops in app.openapi()["paths"].items() for method in ops]
    assert len(routes) > 80
    overlaps = set()
    for method, path in routes:
        concrete = re.sub(r"\{[^}]+\}", "zz9", path)
        for other_method, other in routes:
            if other_method == method and other != path and compile_path(other)[0].match(concrete):
                overlaps.add((method, path, other))
    assert overlaps == SAME_ROUTER


def test_the_known_overlap_resolves_to_receiving() -> None:
    # The pair above: a receipt is posted to /receipts, not taken for an action named "receipts".
    app = create_app("postgresql+psycopg://nobody:none@127.0.0.1:1/none", jwt_secret="k" * 40)
    paths = list(app.openapi()["paths"])
    assert paths.index("/api/v1/purchase-orders/{order_id}/receipts") < \
        paths.index("/api/v1/purchase-orders/{order_id}/{action}")
