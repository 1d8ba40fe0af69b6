"""`waymark serve` as a user runs it: one process, healthy, answering, and gone on Ctrl-C."""
from __future__ import annotations

import json
import subprocess
import time
import urllib.request

from support import free_port, start_waymark, stop_waymark, wait_healthy


def test_serve_starts_answers_and_stops_cleanly_on_ctrl_c(seeded_directory, tmp_path):
    port = free_port()
    log = open(tmp_path / "serve.log", "w")  # a file, not a pipe nobody reads (it would fill and block)
    proc = start_waymark(port, output=log)
    try:
        wait_healthy(port, proc)
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/webhooks/rest/webhook",
            data=json.dumps({"sender": "serve-test", "message": "I need help with my drinking near LS1 4AP"}).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=30) as r:
            replies = json.load(r)
        assert "Kirkgate Recovery Hub" in replies[0]["text"]
    finally:
        stop_waymark([proc])  # SIGINT: what Ctrl-C sends
        log.close()
    assert proc.returncode is not None
    # No orphans: nothing is left in the process group the server started.
    time.sleep(0.5)
    leftover = subprocess.run(["pgrep", "-g", str(proc.pid)], capture_output=True, text=True).stdout.split()
    assert leftover == []
