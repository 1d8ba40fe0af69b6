"""The web server's own access log is redacted too: a postcode or phone number in a query
string (e.g. /oruk/services?postcode=LS1 4AP) never reaches the log in full."""
from __future__ import annotations

import io
import logging
import logging.config

from uvicorn.config import LOGGING_CONFIG

from waymark.logs import configure_logging


def test_uvicorns_access_log_keeps_the_district_only():
    logging.config.dictConfig(LOGGING_CONFIG)  # as `uvicorn.run` sets it up before the app starts
    configure_logging()
    access = logging.getLogger("uvicorn.access")
    stream = io.StringIO()
    for handler in access.handlers:
        handler.setStream(stream)
    access.info('%s - "%s %s HTTP/%s" %d', "127.0.0.1:5000", "GET",
                "/oruk/services?postcode=LS1%204AP&phone=07700900123", "1.1", 200)
    access.info('%s - "%s %s HTTP/%s" %d', "127.0.0.1:5000", "GET", "/oruk/services?postcode=LS1 4AP", "1.1", 200)
    logged = stream.getvalue()
    assert "GET /oruk/services" in logged and " 200" in logged  # still a useful access line
    assert "4AP" not in logged and "07700900123" not in logged
    assert "LS1 [postcode]" in logged
