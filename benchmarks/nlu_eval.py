"""How well Waymark understands messages, measured (`make eval`).

1. Intent and entity quality by cross-validation (`rasa test nlu --cross-validation`) of the
   training data in nlu_data/, under Waymark's pipeline (config.yml) and, side by side,
   under Rasa's default pipeline (what `rasa init` trains with), so the choice of
   pipeline rests on a number. Rasa's own reports and confusion matrices are kept.
2. Crisis detection on the crisis corpus (tests/safety/corpus): recall on crisis.tsv and
   false alarms on near_miss.tsv, for the deterministic triage (safety/triage.py), the
   model's `crisis` intent at the confidence the assistant uses, and both together as
   every channel runs them.

Writes docs/eval/README.md (the summary), docs/eval/summary.json and one folder of Rasa
reports per pipeline. Cross-validation trains one model per fold: about 2-4 minutes a fold
on 2 cores. Run from the project folder:

    .venv/bin/python benchmarks/nlu_eval.py --folds 3
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Optional

import yaml

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "safety" / "corpus"
DEFAULT_OUT = ROOT / "docs" / "eval"
RASA = str(Path(sys.executable).parent / "rasa")
ENV = {**os.environ, "RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "2"}
F1_TARGET = 0.9
PIPELINES = ("waymark", "rasa_default")
# Rasa's default English pipeline, as `rasa init` trains it (rasa/engine/recipes/
# config_files/default_config.yml in Rasa 3.6). It needs no download, so nothing was
# substituted; only the core policies are left out (NLU evaluation never trains them).
RASA_DEFAULT_PIPELINE = {
    "recipe": "default.v1",
    "language": "en",
    "assistant_id": "rasa_default_for_comparison",
    "pipeline": [
        {"name": "WhitespaceTokenizer"},
        {"name": "RegexFeaturizer"},
        {"name": "LexicalSyntacticFeaturizer"},
        {"name": "CountVectorsFeaturizer"},
        {"name": "CountVectorsFeaturizer", "analyzer": "char_wb", "min_ngram": 1, "max_ngram": 4},
        {"name": "DIETClassifier", "epochs": 100, "constrain_similarities": True},
        {"name": "EntitySynonymMapper"},
        {"name": "ResponseSelector", "epochs": 100, "constrain_similarities": True},
        {"name": "FallbackClassifier", "threshold": 0.3, "ambiguity_threshold": 0.1},
    ],
}


def say(text: str) -> None:
    print(f"[eval {time.strftime('%H:%M:%S')}] {text}", flush=True)


def cross_validate(config: Path, out: Path, folds: int, label: str) -> float:
    """Run Rasa's cross-validation, showing its progress; returns the seconds it took."""
    out.mkdir(parents=True, exist_ok=True)
    say(f"{label}: {folds}-fold cross-validation with {config.name} (one model per fold)")
    started = time.monotonic()
    command = [RASA, "test", "nlu", "--nlu", "nlu_data", "--config", str(config),
               "--cross-validation", "--folds", str(folds), "--out", str(out)]
    process = subprocess.Popen(command, cwd=ROOT, env=ENV, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
    fold = 0
    assert process.stdout is not None
    for line in process.stdout:
        if "Starting to train component 'DIETClassifier'" in line:
            fold += 1
            say(f"{label}: training fold {fold}/{folds}")
        elif "Accumulated test folds" in line:
            say(f"{label}: {line.split(' - ', 1)[-1].strip()}")
    if process.wait() != 0:
        raise SystemExit(f"rasa test nlu failed for {label} (exit {process.returncode})")
    seconds = time.monotonic() - started
    (out / "cv_seconds.json").write_text(json.dumps({"seconds": round(seconds), "folds": folds}) + "\n")
    return seconds


def _read_json(path: Path) -> dict:
    return json.loads(path.read_text()) if path.exists() else {}


def intent_scores(folder: Path) -> dict[str, dict]:
    report = _read_json(folder / "intent_report.json")
    return {name: row for name, row in report.items() if isinstance(row, dict) and "f1-score" in row}


def entity_scores(folder: Path) -> dict[str, dict]:
    """{extractor: {entity or 'weighted avg': row}} from Rasa's <Extractor>_report.json."""
    found = {}
    for path in sorted(folder.glob("*_report.json")):
        if path.name in ("intent_report.json", "response_selection_report.json"):
            continue
        report = _read_json(path)
        found[path.name[: -len("_report.json")]] = {
            name: row for name, row in report.items() if isinstance(row, dict) and "f1-score" in row
        }
    return found


def _corpus(name: str) -> list[tuple[str, str]]:
    rows = (CORPUS / name).read_text(encoding="utf-8").splitlines()
    return [tuple(r.split("\t", 1)) for r in rows if r.strip() and not r.startswith("#")]  # type: ignore[misc]


async def _crisis_confidences(model: Path, texts: list[str]) -> list[float]:
    from rasa.core.agent import Agent

    agent = Agent.load(str(model))
    confidences = []
    for number, text in enumerate(texts, start=1):
        parsed = await agent.parse_message(text)
        ranking = {r["name"]: r["confidence"] for r in parsed.get("intent_ranking") or []}
        confidences.append(float(ranking.get("crisis", 0.0)) if parsed["intent"].get("name") == "crisis" else 0.0)
        if number % 200 == 0:
            say(f"crisis corpus: {number}/{len(texts)} messages through the model")
    return confidences


def crisis_detection(model: Path, threshold: float) -> dict:
    """Recall on crisis.tsv and false alarms on near_miss.tsv, for each net and both."""
    from safety.triage import triage

    crisis, near = _corpus("crisis.tsv"), _corpus("near_miss.tsv")
    texts = [t for _, t in crisis] + [t for _, t in near]
    say(f"crisis corpus: {len(crisis)} crises and {len(near)} near misses; loading {model.name}")
    confidences = asyncio.run(_crisis_confidences(model, texts))
    patterns = [triage(t) is not None for t in texts]

    def rates(model_threshold: Optional[float], use_patterns: bool) -> dict:
        hits = [(use_patterns and p) or (model_threshold is not None and c >= model_threshold)
                for p, c in zip(patterns, confidences)]
        caught, alarms = sum(hits[: len(crisis)]), sum(hits[len(crisis):])
        return {"recall": caught / len(crisis), "caught": caught, "crises": len(crisis),
                "false_alarm_rate": alarms / len(near), "false_alarms": alarms, "near_misses": len(near)}

    by_type: dict[str, list[int]] = {}
    for (label, _), p, c in zip(crisis, patterns, confidences):
        row = by_type.setdefault(label, [0, 0])
        row[0] += int(p or c >= threshold)
        row[1] += 1
    missed = [t for (_, t), p, c in zip(crisis, patterns, confidences) if not (p or c >= threshold)]
    false_alarms = [t for (_, t), p, c in zip(near, patterns[len(crisis):], confidences[len(crisis):])
                    if p or c >= threshold]
    return {
        "threshold": threshold,
        "patterns_only": rates(None, True),
        "model_only": {str(t): rates(t, False) for t in (0.5, 0.9, threshold)},
        "both": rates(threshold, True),
        "recall_by_type": {k: {"caught": v[0], "of": v[1]} for k, v in sorted(by_type.items())},
        "missed": missed,
        "false_alarms": false_alarms,
    }


def _f1(row: Optional[dict]) -> str:
    return "-" if not row else f"{row['f1-score']:.3f}"


def markdown(summary: dict) -> str:
    waymark, default = summary["pipelines"]["waymark"], summary["pipelines"]["rasa_default"]
    lines = [
        "# Understanding quality",
        "",
        f"Measured {summary['date']} with `make eval` "
        f"(`.venv/bin/python benchmarks/nlu_eval.py --folds {summary['folds']}`): "
        f"{summary['examples']} training examples in {summary['intents']} intents, "
        f"{summary['folds']}-fold cross-validation (`rasa test nlu --cross-validation`).",
        "",
        "## Pipelines side by side",
        "",
        "| | Waymark (`config.yml`) | Rasa default (`rasa init`) |",
        "|---|---|---|",
    ]
    for key, name in (("weighted avg", "intent F1, weighted"), ("macro avg", "intent F1, macro")):
        lines.append(f"| {name} | {_f1(waymark['intents'].get(key))} | {_f1(default['intents'].get(key))} |")
    lines.append(f"| intent accuracy | {waymark['accuracy']:.3f} | {default['accuracy']:.3f} |")
    for entity in ("substance", "place", "need", "persona"):
        lines.append(f"| entity F1, {entity} | {waymark['best_entity'].get(entity, '-')} | "
                     f"{default['best_entity'].get(entity, '-')} |")
    lines.append(f"| cross-validation time | {waymark['seconds'] / 60:.1f} min | {default['seconds'] / 60:.1f} min |")
    lines += [
        "",
        "Entity F1 is the best extractor for that entity (DIET or the gazetteer EntityRuler; "
        "see `*/<Extractor>_report.json`). Rasa's default pipeline needs no download, so nothing "
        "was substituted in it; Waymark's adds the spaCy EntityRuler over the gazetteers "
        "(`understanding/`), a fixed seed, fewer epochs and a higher fallback threshold "
        "(low-confidence messages become `nlu_fallback`, which counts as a miss here).",
        "",
        f"With {summary['folds']} folds each model learns from {summary['folds'] - 1}/{summary['folds']} of the "
        "examples and is scored on the rest, so these figures are for phrasings the model has never "
        "seen, with fewer examples than the shipped model has; small intents suffer most. The "
        "shipped dialogue is also checked on whole conversations by `rasa test` in `make test`.",
        "",
        "## Intent F1 per intent",
        "",
        "| intent | examples | Waymark F1 | Rasa default F1 | most often confused with (Waymark) |",
        "|---|---|---|---|---|",
    ]
    for name, row in sorted(waymark["intents"].items(), key=lambda kv: (kv[1]["f1-score"], kv[0])):
        if name.endswith(" avg") or name in ("accuracy", "micro avg"):
            continue
        confused = ", ".join(f"{k} ({v})" for k, v in list((row.get("confused_with") or {}).items())[:2])
        flag = " **below 0.9**" if row["f1-score"] < F1_TARGET else ""
        lines.append(f"| {name} | {row['support']} | {row['f1-score']:.3f}{flag} | "
                     f"{_f1(default['intents'].get(name))} | {confused} |")
    crisis = summary["crisis"]
    lines += [
        "",
        "## Crisis detection (tests/safety/corpus)",
        "",
        f"Crises: {crisis['both']['crises']} messages (crisis.tsv); near misses: "
        f"{crisis['both']['near_misses']} (near_miss.tsv). The model's `crisis` intent counts "
        f"when its confidence is at least {crisis['threshold']} (`CRISIS_NLU_CONFIDENCE` in "
        "waymark/assistant.py).",
        "",
        "| net | recall | false-alarm rate |",
        "|---|---|---|",
        f"| patterns (safety/triage.py) | {crisis['patterns_only']['caught']}/{crisis['patterns_only']['crises']} "
        f"({crisis['patterns_only']['recall']:.1%}) | {crisis['patterns_only']['false_alarms']}/"
        f"{crisis['patterns_only']['near_misses']} ({crisis['patterns_only']['false_alarm_rate']:.1%}) |",
    ]
    for threshold, row in crisis["model_only"].items():
        lines.append(f"| model `crisis` intent >= {threshold} | {row['caught']}/{row['crises']} ({row['recall']:.1%}) | "
                     f"{row['false_alarms']}/{row['near_misses']} ({row['false_alarm_rate']:.1%}) |")
    both = crisis["both"]
    lines += [
        f"| **both, as every channel runs them** | **{both['caught']}/{both['crises']} ({both['recall']:.1%})** | "
        f"**{both['false_alarms']}/{both['near_misses']} ({both['false_alarm_rate']:.1%})** |",
        "",
        "Recall by type (both nets): " + ", ".join(
            f"{k} {v['caught']}/{v['of']}" for k, v in crisis["recall_by_type"].items()) + ".",
        "",
    ]
    if crisis["false_alarms"]:
        lines += ["False alarms: " + "; ".join(f"\"{t}\"" for t in crisis["false_alarms"][:10]), ""]
    if crisis["missed"]:
        lines += ["Missed: " + "; ".join(f"\"{t}\"" for t in crisis["missed"][:10]), ""]
    lines += [
        "## Files",
        "",
        "- `waymark/`, `rasa_default/`: Rasa's reports for each pipeline: `intent_report.json`, "
        "`intent_confusion_matrix.png`, `intent_histogram.png`, `<Extractor>_report.json`, "
        "`intent_errors.json` (the examples it got wrong).",
        "- `summary.json`: every number on this page.",
        "",
    ]
    return "\n".join(lines)


def pipeline_summary(folder: Path) -> dict:
    seconds = float(_read_json(folder / "cv_seconds.json").get("seconds", 0.0))
    intents = intent_scores(folder)
    report = _read_json(folder / "intent_report.json")
    best: dict[str, str] = {}
    for extractor, rows in entity_scores(folder).items():
        for entity, row in rows.items():
            if entity.endswith(" avg"):
                continue
            current = best.get(entity)
            if current is None or float(current.split()[0]) < row["f1-score"]:
                best[entity] = f"{row['f1-score']:.3f} ({extractor})"
    return {"intents": intents, "accuracy": report.get("accuracy", 0.0),
            "entities": entity_scores(folder), "best_entity": best, "seconds": seconds}


def training_data_size() -> tuple[int, int]:
    examples, intents = 0, set()
    for path in sorted((ROOT / "nlu_data").glob("*.yml")):
        for item in (yaml.safe_load(path.read_text()) or {}).get("nlu") or []:
            if "intent" in item:
                intents.add(item["intent"])
                examples += sum(1 for line in str(item.get("examples", "")).splitlines() if line.strip().startswith("- "))
    return examples, len(intents)


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(
        prog="benchmarks/nlu_eval.py",
        description="Cross-validate Waymark's NLU against Rasa's default pipeline and measure "
                    "crisis detection on the crisis corpus; writes docs/eval/.",
    )
    parser.add_argument("--folds", type=int, default=3, help="cross-validation folds (default 3)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="where to write (default docs/eval)")
    parser.add_argument("--model", type=Path, default=ROOT / "models" / "waymark.tar.gz",
                        help="trained model for the crisis measurement (default models/waymark.tar.gz)")
    parser.add_argument("--config", type=Path, default=ROOT / "config.yml", help="Waymark's config (default config.yml)")
    parser.add_argument("--only", choices=PIPELINES, help="cross-validate one pipeline; reuse the other's reports in --out")
    parser.add_argument("--crisis-only", action="store_true", help="skip cross-validation; reuse the reports in --out")
    parser.add_argument("--summary-only", action="store_true",
                        help="train and load nothing: rewrite the summary from the reports and crisis numbers in --out")
    args = parser.parse_args(argv)
    if args.folds < 2:
        parser.error("--folds must be at least 2")
    if not args.model.exists():
        parser.error(f"no trained model at {args.model}: run `make model` first")

    from waymark.assistant import CRISIS_NLU_CONFIDENCE

    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    default_config = out / "rasa_default_config.yml"
    default_config.write_text("# Rasa's default pipeline (what `rasa init` trains with), for comparison.\n"
                              + yaml.safe_dump(RASA_DEFAULT_PIPELINE, sort_keys=False))
    configs = {"waymark": (args.config, "Waymark pipeline"), "rasa_default": (default_config, "Rasa default pipeline")}
    for name in PIPELINES if not (args.crisis_only or args.summary_only) else ():
        if args.only in (None, name):
            cross_validate(configs[name][0], out / name, args.folds, configs[name][1])
    examples, intents = training_data_size()
    summary = {
        "date": time.strftime("%Y-%m-%d"),
        "folds": _read_json(out / "waymark" / "cv_seconds.json").get("folds", args.folds),
        "examples": examples,
        "intents": intents,
        "pipelines": {name: pipeline_summary(out / name) for name in PIPELINES},
        "crisis": (_read_json(out / "summary.json")["crisis"] if args.summary_only
                   else crisis_detection(args.model, CRISIS_NLU_CONFIDENCE)),
    }
    (out / "summary.json").write_text(json.dumps(summary, indent=2) + "\n")
    (out / "README.md").write_text(markdown(summary))
    below = [name for name, row in summary["pipelines"]["waymark"]["intents"].items()
             if not name.endswith(" avg") and name != "accuracy" and row["f1-score"] < F1_TARGET]
    say(f"wrote {out / 'README.md'}; intents below F1 {F1_TARGET}: {', '.join(sorted(below)) or 'none'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
