"""The API descriptions: the Open Referral UK feed's is public, everything else is for admins.

    GET /openapi.json        the ORUK feed (/oruk/...), for councils' validators and importers
    GET /docs                the same, as a page
    GET /admin/openapi.json  every operation (editor, console, staff, reports...): admin only

The full description is a map of every route and its parameters; it helps nobody who is not
running Waymark, so it is not published.
"""
from __future__ import annotations

from fastapi import Depends, FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.openapi.utils import get_openapi
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.routing import APIRoute

from waymark.auth import NO_STORE, require_role

PUBLIC_PREFIX = "/oruk"
FULL_DESCRIPTION = "/admin/openapi.json"


def _description(app: FastAPI, public_only: bool) -> dict:
    key = "openapi_public" if public_only else "openapi_full"
    cached = getattr(app.state, key, None)
    if cached is None:
        routes = [r for r in app.routes if not public_only
                  or (isinstance(r, APIRoute) and r.path.startswith(PUBLIC_PREFIX))]
        title = f"{app.title}: Open Referral UK feed" if public_only else app.title
        cached = get_openapi(title=title, version=app.version, routes=routes)
        setattr(app.state, key, cached)
    return cached


def add_api_docs(app: FastAPI) -> None:
    """For an app built with openapi_url=None (FastAPI's own routes would publish everything)."""

    @app.get("/openapi.json", include_in_schema=False)
    def public_description() -> JSONResponse:
        return JSONResponse(_description(app, public_only=True))

    @app.get("/docs", include_in_schema=False)
    def public_docs() -> HTMLResponse:
        return get_swagger_ui_html(openapi_url="/openapi.json", title=f"{app.title}: Open Referral UK feed")

    @app.get(FULL_DESCRIPTION, include_in_schema=False, dependencies=[Depends(require_role("admin"))])
    def full_description() -> JSONResponse:
        return JSONResponse(_description(app, public_only=False), headers=NO_STORE)
