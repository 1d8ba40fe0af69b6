"""The commissioner's view: the /reports page and its JSON and CSV, for admins only.

    GET /reports                       the page (static HTML, CSS and JS; it signs in itself)
    GET /reports/api/                  the reports there are
    GET /reports/api/{name}?from=&to=  one report as JSON (dates YYYY-MM-DD, UK days)
    GET /reports/api/{name}.csv        the same as CSV

Every view of a report's figures is written to the audit trail with who asked and for what dates.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, Optional

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import FileResponse, Response
from sqlalchemy.orm import Session

from directory import editing
from directory.api_deps import database_session
from directory.models import EditorAccount
from insights import export, queries
from waymark.auth import require_role, who

STATIC = Path(__file__).resolve().parent / "static"
ASSETS = {"reports.js": "text/javascript", "reports.css": "text/css"}
NO_STORE = {"Cache-Control": "no-store"}

router = APIRouter(prefix="/reports", tags=["reports"])
admin_only = require_role("admin")


@router.get("", include_in_schema=False)
def reports_page() -> FileResponse:
    return FileResponse(STATIC / "reports.html", media_type="text/html")


@router.get("/assets/{name}", include_in_schema=False)
def reports_asset(name: str) -> FileResponse:
    if name not in ASSETS:
        raise HTTPException(404, "Not found")
    return FileResponse(STATIC / name, media_type=ASSETS[name])


def report_dates(from_: Optional[str] = Query(None, alias="from", description="first day, YYYY-MM-DD"),
                 to: Optional[str] = Query(None, description="last day, YYYY-MM-DD")) -> queries.DateRange:
    try:
        return queries.date_range(from_, to)
    except queries.ReportError as e:
        raise HTTPException(422, str(e)) from None


def _viewed(request: Request, session: Session, name: str, dates: queries.DateRange,
            account: EditorAccount) -> queries.Report:
    """Build one report and write its viewing to the audit trail."""
    try:
        report = queries.build(session, name, dates, queries.min_count(),
                               request.app.state.settings.stale_after_days)
    except queries.ReportError as e:
        raise HTTPException(404, str(e)) from None
    editing.audit(session, "report", name, "viewed", who(account), "dates", None, dates.label)
    return report


@router.get("/api/")
def list_reports(account: EditorAccount = Depends(admin_only)) -> Dict[str, Any]:
    return {"reports": list(queries.REPORTS), "min_count": queries.min_count()}


@router.get("/api/{name}.csv")
def report_csv(name: str, request: Request, account: EditorAccount = Depends(admin_only),
               dates: queries.DateRange = Depends(report_dates),
               session: Session = database_session) -> Response:
    report = _viewed(request, session, name, dates, account)
    filename = f"waymark-{name}-{dates.start.isoformat()}-{dates.end.isoformat()}.csv"
    return Response(export.to_csv(report), media_type="text/csv; charset=utf-8",
                    headers={**NO_STORE, "Content-Disposition": f'attachment; filename="{filename}"'})


@router.get("/api/{name}")
def report_json(name: str, request: Request, response: Response,
                account: EditorAccount = Depends(admin_only),
                dates: queries.DateRange = Depends(report_dates),
                session: Session = database_session) -> Dict[str, Any]:
    report = _viewed(request, session, name, dates, account)
    response.headers.update(NO_STORE)
    return report.as_dict(dates, queries.min_count())
