"""Logging set-up: quiet Rasa/TensorFlow chatter, our own lines at INFO."""
from __future__ import annotations

import logging
import os


def configure_logging(level: str | None = None) -> None:
    level = (level or os.environ.get("WAYMARK_LOG_LEVEL", "INFO")).upper()
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    from waymark.privacy import install_log_redaction

    # Python warnings (Rasa's among them, which can quote a whole message) go through logging,
    # and so through the redacting filter, instead of straight to stderr.
    logging.captureWarnings(True)
    install_log_redaction(logging.getLogger().handlers)
    install_log_redaction(logging.getLogger("py.warnings").handlers)
    for server in ("uvicorn", "uvicorn.error", "uvicorn.access"):  # uvicorn's own handlers: the
        install_log_redaction(logging.getLogger(server).handlers)   # access log holds query strings
    for noisy in ("rasa", "tensorflow", "absl", "matplotlib", "apscheduler", "sqlalchemy", "asyncio"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, logging.getLogger().level))
    try:  # Rasa logs through structlog at debug level unless told otherwise
        from rasa.utils.log_utils import configure_structlog

        configure_structlog(logging.WARNING)
    except Exception:  # noqa: BLE001 - older/newer Rasa without structlog: nothing to do
        pass
