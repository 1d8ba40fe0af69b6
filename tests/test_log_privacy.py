"""Nothing personal in the logs at WARNING and above (issue 22, item 4): Python warnings go
through logging and its redacting filter (Rasa's "Failed to parse arguments in line '…'" once
logged a whole message: phone number, email, postcode and drug use), exception text is
redacted (withheld at WARNING+), and SQLAlchemy errors carry no bound parameters.

Run in a fresh interpreter: pytest captures warnings itself, which would hide the path a
served app takes."""
from __future__ import annotations

import subprocess
import sys
import textwrap

SECRETS = ["07700 900123", "07700900123", "sam@example.org", "LS7 4AA", "heroin", "XYZZY"]

SCRIPT = textwrap.dedent("""
    import logging, sys, warnings
    from waymark.logs import configure_logging
    configure_logging("INFO")
    log = logging.getLogger("waymark.test")

    # 1. Rasa's warning about a message that looks like an intent payload.
    import rasa.shared.utils.io
    text = "/greet{\\"x\\": \\"XYZZY my number is 07700 900123, sam@example.org, LS7 4AA, I use heroin\\"}"
    rasa.shared.utils.io.raise_warning(f"Failed to parse arguments in line '{text}'. Continuing without {text}")
    warnings.warn("Could not featurize the message 'XYZZY I use heroin, 07700900123' with this model")

    # 2. An exception whose text is what someone wrote.
    try:
        raise ValueError("XYZZY could not understand: I use heroin, ring 07700 900123")
    except ValueError:
        log.exception("The assistant failed on a message")

    # 3. A database error: the statement's parameters would be the message.
    from sqlalchemy import text as sql
    from directory.db import make_engine
    engine = make_engine("sqlite:///" + sys.argv[1])
    try:
        with engine.connect() as c:
            c.execute(sql("INSERT INTO no_such_table VALUES (:a)"), {"a": "XYZZY I use heroin 07700 900123"})
    except Exception:
        log.exception("Could not save")
    try:
        with engine.connect() as c:
            c.execute(sql("SELECT :a + "), {"a": "XYZZY heroin"})
    except Exception as e:
        log.error("Database said: %s", e)

    # 4. Our own warning lines keep their words.
    log.warning("Refused a request to %s with a missing or wrong Twilio signature", "/twilio/sms")
    print("done", file=sys.stderr)
""")


def test_warnings_exceptions_and_database_errors_leave_nothing_personal_in_the_log(tmp_path):
    result = subprocess.run([sys.executable, "-c", SCRIPT, str(tmp_path / "x.db")], capture_output=True,
                            text=True, timeout=120, env={"RASA_TELEMETRY_ENABLED": "false",
                                                         "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
                                                         "PATH": "/usr/bin:/bin"})
    log = result.stderr
    assert result.returncode == 0 and log.rstrip().endswith("done"), log[-3000:]
    for secret in SECRETS:
        assert secret not in log, (secret, log[-3000:])
    assert "Failed to parse arguments in line" in log  # the warning is still there, through logging
    assert "py.warnings" in log
    assert "ValueError: [withheld]" in log and 'File "<string>"' in log  # the type and the frames stay
    assert "no_such_table" in log or "OperationalError" in log
    assert "Refused a request to /twilio/sms with a missing or wrong Twilio signature" in log


def test_below_warning_emails_phones_and_postcodes_are_still_redacted():
    import logging

    from waymark.privacy import RedactingFilter

    record = logging.LogRecord("waymark.x", logging.INFO, __file__, 1, "from %s at %s", ("sam@example.org", "LS7 4AA"),
                               None)
    RedactingFilter().filter(record)
    assert record.getMessage() == "from [email] at LS7 [postcode]"
