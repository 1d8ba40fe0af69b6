"""Schemathesis over Waymark's whole OpenAPI description (the admin one, /admin/openapi.json),
against `waymark serve` as a user runs it, signed in as an admin so the checks behind the
roles are reached too: every operation, with generated valid and invalid inputs, must never
answer with a server error (5xx). Twilio is configured against the local stub so the SMS
and voice routes are live (unsigned requests: 403).

Every number a client can send is also tried out of range (issue 22: `proximity=1e308` once
took the server down): the description is widened so that each numeric parameter and body
field may also be 1e308, NaN, infinity, -1 or a 21-digit page, and then each numeric query
parameter is sent each of those values in turn. Bounded: four generated inputs per operation
and a fixed list of values, a few minutes at most once the model has loaded."""
from __future__ import annotations

import copy
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import httpx

from support import free_port, start_waymark, stop_waymark, wait_healthy
from twilio_stub import ACCOUNT_SID, AUTH_TOKEN, FROM_NUMBER, TwilioStub

SCHEMATHESIS = Path(sys.executable).parent / "schemathesis"
ADMIN, ADMIN_PASSWORD = "fuzz-admin", "fuzzing-password-1"
# As they arrive in a URL: too large for a float or an integer column, not numbers at all, negative.
BAD_QUERY_NUMBERS = ["1e308", "-1e308", "1e9", "1e7", "nan", "NaN", "inf", "-inf", "Infinity", "-1", "0",
                     "999999999999999999999", "1e309"]
# As they can be written in JSON (which has no NaN or infinity).
BAD_JSON_NUMBERS = [1e308, -1e308, 1e9, -1, 0, 999999999999999999999]
SIGN_OUT = "/auth/sign-out"  # fuzzing it would revoke the run's own token; tests/test_sign_out.py covers it


def _numeric(schema: dict) -> bool:
    if schema.get("type") in ("number", "integer"):
        return True
    return any(_numeric(s) for s in schema.get("anyOf", []) + schema.get("allOf", []) + schema.get("oneOf", []))


def widened(description: dict) -> dict:
    """The description with every numeric query parameter and body field allowed to be out of
    range too, so that schemathesis generates those values as well as the valid ones."""
    out = copy.deepcopy(description)
    for path_item in out["paths"].values():
        for operation in path_item.values():
            for parameter in operation.get("parameters", []):
                if _numeric(parameter.get("schema", {})):
                    parameter["schema"] = {"anyOf": [parameter["schema"],
                                                     {"type": "string", "enum": BAD_QUERY_NUMBERS}]}
    for schema in out.get("components", {}).get("schemas", {}).values():
        for name, field in list(schema.get("properties", {}).items()):
            if _numeric(field):
                schema["properties"][name] = {"anyOf": [field, {"type": "number", "enum": BAD_JSON_NUMBERS}]}
    return out


def numeric_query_parameters(description: dict) -> list[tuple[str, str, str, list[str]]]:
    """(method, path, parameter, the operation's other query parameters) for every numeric
    query parameter."""
    found = []
    for path, path_item in description["paths"].items():
        for method, operation in path_item.items():
            query = [p["name"] for p in operation.get("parameters", []) if p.get("in") == "query"]
            for parameter in operation.get("parameters", []):
                if parameter.get("in") == "query" and _numeric(parameter.get("schema", {})):
                    found.append((method.upper(), path, parameter["name"], query))
    return found


def test_no_operation_in_the_openapi_description_gives_a_server_error(fresh_directory, tmp_path):
    from directory import editing
    from directory.db import session_scope

    with session_scope(fresh_directory) as session:
        editing.add_account(session, ADMIN, ADMIN_PASSWORD, "admin")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = (tmp_path / "serve.log").open("w")
    stub = TwilioStub().__enter__()  # SMS and voice on, so their routes are fuzzed too (unsigned: 403)
    env = {**os.environ, "WAYMARK_DATABASE_URL": fresh_directory, "WAYMARK_TRACKER_STORE_URL": "memory",
           "WAYMARK_RATE_LIMIT_PER_IP": "1000000", "WAYMARK_RATE_LIMIT_PER_CONVERSATION": "1000000",
           "WAYMARK_LOG_LEVEL": "WARNING", "TWILIO_ACCOUNT_SID": ACCOUNT_SID, "TWILIO_AUTH_TOKEN": AUTH_TOKEN,
           "TWILIO_FROM_NUMBER": FROM_NUMBER, "TWILIO_API_BASE_URL": stub.url,
           "WAYMARK_SECRET_KEY": "schemathesis-test-secret"}
    server = start_waymark(port, env=env, output=log)
    server_errors = []
    try:
        wait_healthy(port, server, timeout=600)  # a loaded two-core machine can take minutes
        with httpx.Client(base_url=base, timeout=60) as http:
            token = http.post("/auth/token", data={"username": ADMIN, "password": ADMIN_PASSWORD}).json()
            bearer = {"Authorization": f"Bearer {token['access_token']}"}
            assert http.get("/admin/openapi.json").status_code == 401  # the full description is for admins
            description = http.get("/admin/openapi.json", headers=bearer).json()
            assert len(description["paths"]) > 20
            schema = tmp_path / "openapi.json"
            schema.write_text(json.dumps(widened(description)))
            run = subprocess.run(
                [str(SCHEMATHESIS), "run", str(schema), "--url", base, "-H", f"Authorization: {bearer['Authorization']}",
                 "--exclude-path", SIGN_OUT,
                 "--checks", "not_a_server_error", "--max-examples", "4", "--phases", "examples,fuzzing",
                 "--workers", "2", "--request-timeout", "60", "--seed", "7", "--no-color"],
                cwd=tmp_path, capture_output=True, text=True, timeout=900,  # its example store stays out of the repository
            )
            # Then every numeric query parameter, each out-of-range value in turn (a long stream is cut short).
            for method, path, name, query in numeric_query_parameters(description):
                for value in BAD_QUERY_NUMBERS:
                    params = {name: value}
                    if "postcode" in query and name != "postcode":
                        params["postcode"] = "LS1 4AP"
                    if "max_seconds" in query and name != "max_seconds":
                        params["max_seconds"] = "1"
                    url = re.sub(r"\{[^}]+\}", "x", path)
                    answer = http.request(method, url, params=params, headers=bearer)
                    if answer.status_code >= 500:
                        server_errors.append((method, path, params, answer.status_code))
            assert http.get("/healthz").status_code == 200  # still standing
    finally:
        stop_waymark([server])
        stub.__exit__(None, None, None)
        log.close()
    report = run.stdout[-6000:] + run.stderr[-2000:]
    assert run.returncode == 0, report
    counted = re.search(r"(\d+) generated, (\d+) passed", run.stdout)
    assert counted and int(counted.group(1)) == int(counted.group(2)) > 40, report  # every operation was tried
    assert numeric_query_parameters(description)  # the ORUK paging and proximity at least
    assert not server_errors, server_errors
