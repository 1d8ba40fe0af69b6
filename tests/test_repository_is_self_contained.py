"""A fresh clone must build everything itself: nothing built may be tracked in git.

(.ci/run additionally checks, on CI's fresh clone, that no .venv, model or database exists
before `make test` starts.)
"""
from __future__ import annotations

import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def tracked_files() -> list[str]:
    return subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()


def test_no_built_artefacts_are_tracked():
    built = [f for f in tracked_files() if f.startswith((".venv/", "models/", "var/", ".rasa/")) or f.endswith((".tar.gz", ".db"))]
    assert built == []


def test_built_artefacts_are_ignored():
    result = subprocess.run(["git", "check-ignore", ".venv", "models/waymark.tar.gz", "var/waymark.db", ".rasa"],
                            cwd=ROOT, capture_output=True, text=True)
    assert len(result.stdout.split()) == 4, result.stdout


def test_shared_test_data_is_not_copied_into_the_tree():
    assert not [f for f in tracked_files() if f.endswith("uk-outcodes.csv") or "hsds-3.0" in f]


def test_makefile_builds_venv_model_and_database():
    makefile = (ROOT / "Makefile").read_text()
    for target in ("$(INSTALLED):", "$(MODEL):", "$(DATABASE):", "test:", "run:"):
        assert target in makefile
    assert "constraints.txt" in makefile and "Python 3.10" in makefile
