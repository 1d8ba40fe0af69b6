"""Schemathesis over Waymark's own OpenAPI description (/openapi.json), against `waymark
serve` as a user runs it: every operation, with generated valid and invalid inputs, must
never answer with a server error (5xx). Twilio is configured against the local stub so the SMS
and voice routes are live (unsigned requests: 403). Bounded: four generated inputs per
operation, about a minute once the model has loaded."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from support import free_port, start_waymark, stop_waymark, wait_healthy
from twilio_stub import ACCOUNT_SID, AUTH_TOKEN, FROM_NUMBER, TwilioStub

SCHEMATHESIS = Path(sys.executable).parent / "schemathesis"


def test_no_operation_in_the_openapi_description_gives_a_server_error(fresh_directory, tmp_path):
    port = free_port()
    log = (tmp_path / "serve.log").open("w")
    stub = TwilioStub().__enter__()  # SMS and voice on, so their routes are fuzzed too (unsigned: 403)
    env = {**os.environ, "WAYMARK_DATABASE_URL": fresh_directory, "WAYMARK_TRACKER_STORE_URL": "memory",
           "WAYMARK_RATE_LIMIT_PER_IP": "1000000", "WAYMARK_RATE_LIMIT_PER_CONVERSATION": "1000000",
           "WAYMARK_LOG_LEVEL": "WARNING", "TWILIO_ACCOUNT_SID": ACCOUNT_SID, "TWILIO_AUTH_TOKEN": AUTH_TOKEN,
           "TWILIO_FROM_NUMBER": FROM_NUMBER, "TWILIO_API_BASE_URL": stub.url,
           "WAYMARK_SECRET_KEY": "schemathesis-test-secret"}
    server = start_waymark(port, env=env, output=log)
    try:
        wait_healthy(port, server, timeout=600)  # a loaded two-core machine can take minutes
        run = subprocess.run(
            [str(SCHEMATHESIS), "run", f"http://127.0.0.1:{port}/openapi.json",
             "--checks", "not_a_server_error", "--max-examples", "4", "--phases", "examples,fuzzing",
             "--workers", "2", "--request-timeout", "60", "--seed", "7", "--no-color"],
            cwd=tmp_path, capture_output=True, text=True, timeout=600,  # its example store stays out of the repository
        )
    finally:
        stop_waymark([server])
        stub.__exit__(None, None, None)
        log.close()
    report = run.stdout[-6000:] + run.stderr[-2000:]
    assert run.returncode == 0, report
    counted = re.search(r"(\d+) generated, (\d+) passed", run.stdout)
    assert counted and int(counted.group(1)) == int(counted.group(2)) > 40, report  # every operation was tried
