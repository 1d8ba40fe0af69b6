"""The training data is valid and the test conversations pass against the trained model."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RASA = str(Path(sys.executable).parent / "rasa")
ENV = {**os.environ, "RASA_TELEMETRY_ENABLED": "false"}


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([RASA, *args], cwd=ROOT, env=ENV, capture_output=True, text=True, timeout=600)


def test_rasa_data_validate_passes():
    result = run("data", "validate", "--domain", "bot/domain", "--data", "bot/rules", "nlu_data",
                 "--config", "config.yml")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]


def test_no_stray_rasa_layout_at_the_root():
    assert not (ROOT / "data").exists() and not (ROOT / "domain.yml").exists()


def test_test_stories_pass(tmp_path):
    result = run("test", "core", "--stories", "tests/stories", "--model", "models/waymark.tar.gz",
                 "--fail-on-prediction-errors", "--out", str(tmp_path))
    failed = (tmp_path / "failed_test_stories.yml")
    detail = failed.read_text() if failed.exists() else result.stderr[-3000:]
    assert result.returncode == 0, detail
