"""GET /audit: who changed what at HQ, newest first, filtered by user, entity, action and dates,
50 to a page. Admin and owner only, as GET /api/v1/audit."""

from __future__ import annotations

import json
from datetime import UTC, datetime, time, timedelta
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from hq_server.dashboard import repository
from hq_server.dashboard.formats import parse_day
from hq_server.dashboard.web import AUDIT_READERS, Browser, access_refusal, page
from hq_server.deps import DbSession

router = APIRouter(tags=["dashboard"], include_in_schema=False)
PAGE_SIZE = 50


@router.get("/audit")
def audit_page(request: Request, session: DbSession, web: Browser,
               user: str = Query("", max_length=200), entity: str = Query("", max_length=100),
               action: str = Query("", max_length=100), from_: str = Query("", alias="from", max_length=10),
               to: str = Query("", max_length=10), page_no: int = Query(1, ge=1, le=100_000, alias="page")) -> Response:
    if (refused := access_refusal(request, web, AUDIT_READERS, "the audit log")) is not None:
        return refused
    first, last = parse_day(from_), parse_day(to)
    since = datetime.combine(first, time(), UTC) if first else None
    until = datetime.combine(last, time(), UTC) + timedelta(days=1) if last else None
    rows, total = repository.audit_page(session, user=user, entity=entity, action=action,
                                        since=since, until=until, limit=PAGE_SIZE,
                                        offset=(page_no - 1) * PAGE_SIZE)
    entities, actions = repository.audit_choices(session)
    filters = {"user": user, "entity": entity, "action": action, "from": first or "", "to": last or ""}
    pages = max(1, -(-total // PAGE_SIZE))
    return page(request, web, "audit.html", {
        "title": "Audit", "rows": rows, "total": total, "page": page_no, "pages": pages,
        "filters": filters, "entities": entities, "actions": actions, "change": change,
        "link": lambda n: "/audit?" + urlencode({**{k: v for k, v in filters.items() if v}, "page": n})})


def change(before: dict | None, after: dict | None) -> list[tuple[str, str, str]]:
    """(field, before, after) for each field that differs, in words a person can scan."""
    before, after = before or {}, after or {}
    return [(key, _text(before.get(key)), _text(after.get(key)))
            for key in sorted(set(before) | set(after)) if before.get(key) != after.get(key)]


def _text(value: object) -> str:
    if value is None:
        return "—"
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
