"""The `make eval` summary from Rasa's reports (no training here): weak intents are flagged,
both pipelines sit side by side, and the crisis numbers are shown as counts and rates."""
from __future__ import annotations

import json
import subprocess
import sys

from support import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))
import nlu_eval  # noqa: E402


def write_reports(folder, intents, entity_f1):
    folder.mkdir(parents=True)
    report = {name: {"precision": f1, "recall": f1, "f1-score": f1, "support": 10,
                     "confused_with": {"ask_complaint": 2} if f1 < 0.9 else {}} for name, f1 in intents.items()}
    report.update({"accuracy": 0.9, "weighted avg": {"precision": 0.9, "recall": 0.9, "f1-score": 0.91, "support": 20},
                   "macro avg": {"precision": 0.9, "recall": 0.9, "f1-score": 0.9, "support": 20}})
    (folder / "intent_report.json").write_text(json.dumps(report))
    (folder / "cv_seconds.json").write_text(json.dumps({"seconds": 90, "folds": 3}))
    (folder / "DIETClassifier_report.json").write_text(json.dumps(
        {"substance": {"precision": 1, "recall": 1, "f1-score": entity_f1, "support": 5}}))


def test_summary_flags_weak_intents_and_compares_pipelines(tmp_path):
    write_reports(tmp_path / "waymark", {"ask_advocacy": 0.8, "greet": 1.0}, 0.95)
    write_reports(tmp_path / "rasa_default", {"ask_advocacy": 0.7, "greet": 0.97}, 0.9)
    rates = {"recall": 1.0, "caught": 4, "crises": 4, "false_alarm_rate": 0.25, "false_alarms": 1, "near_misses": 4}
    summary = {
        "date": "2026-11-27", "folds": 3, "examples": 20, "intents": 2,
        "pipelines": {name: nlu_eval.pipeline_summary(tmp_path / name) for name in ("waymark", "rasa_default")},
        "crisis": {"threshold": 0.99, "patterns_only": rates, "model_only": {"0.99": rates}, "both": rates,
                   "recall_by_type": {"overdose": {"caught": 4, "of": 4}}, "missed": [],
                   "false_alarms": ["nearly died laughing"]},
    }
    page = nlu_eval.markdown(summary)
    assert "| ask_advocacy | 10 | 0.800 **below 0.9** | 0.700 | ask_complaint (2) |" in page
    assert "| greet | 10 | 1.000 | 0.970 |" in page
    assert "| entity F1, substance | 0.950 (DIETClassifier) | 0.900 (DIETClassifier) |" in page
    assert "| cross-validation time | 1.5 min | 1.5 min |" in page
    assert "4/4 (100.0%)" in page and "1/4 (25.0%)" in page and "nearly died laughing" in page


def test_eval_command_has_help():
    result = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "nlu_eval.py"), "--help"],
                            capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0 and "--folds" in result.stdout and "crisis" in result.stdout
