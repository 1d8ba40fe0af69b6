"""The web server's own access log is redacted too: a postcode or phone number in a query
string (e.g. /oruk/services?postcode=LS1 4AP) never reaches the log in full."""
from __future__ import annotations

from support import uvicorn_access_log





def test_uvicorns_access_log_keeps_the_district_only():
    access, stream = uvicorn_access_log()
    access.info('%s - "%s %s HTTP/%s" %d', "127.0.0.1:5000", "GET",
                "/oruk/services?postcode=LS1%204AP&phone=07700900123", "1.1", 200)
    access.info('%s - "%s %s HTTP/%s" %d', "127.0.0.1:5000", "GET", "/oruk/services?postcode=LS1 4AP", "1.1", 200)
    logged = stream.getvalue()
    assert "GET /oruk/services" in logged and " 200" in logged  # still a useful access line
    assert "4AP" not in logged and "07700900123" not in logged
    assert "LS1 [postcode]" in logged
