"""How well Waymark understands messages, measured (`make eval`).

1. Intent and entity quality by cross-validation (`rasa test nlu --cross-validation`) of the
   training data in nlu_data/, under Waymark's pipeline (config.yml) and, side by side,
   under Rasa's default pipeline (what `rasa init` trains with), so the choice of
   pipeline rests on a number. Rasa's own reports and confusion matrices are kept.
2. Crisis detection on the crisis corpus, for each half separately: the development half
   (safety/data/crisis_train.tsv, near_miss_train.tsv: the lines the patterns were written
   against) and the held-out half (tests/safety/corpus/heldout/crisis.tsv, near_miss.tsv: written apart
   and never read while writing patterns; its figures are the ones to quote). Recall on
   the crises and false alarms on the near misses, for crisis triage (safety/: the patterns
   in triage.py, OR the crisis classifier in classifier.py at its threshold where no pattern
   fired), the model's `crisis` intent at the confidence the assistant uses,
   and both together as every channel runs them; and the patterns' recall again with one
   invisible character (soft hyphen, zero-width space, ...) put inside a word of every
   crisis message. Held-out lines are counted, never printed.

Writes docs/eval/README.md (the summary), docs/eval/summary.json and one folder of Rasa
reports per pipeline. Cross-validation trains one model per fold: about 2-4 minutes a fold
on 2 cores. Run from the project folder:

    .venv/bin/python benchmarks/nlu_eval.py --folds 3

`--patterns-only` (`make eval-crisis`) measures crisis triage on both halves in a few seconds
(the patterns alone, and with the crisis classifier as every channel runs them): no Rasa
model is trained or loaded, and nothing but the crisis figures is written (docs/eval/
crisis.json, and a table on standard output). It needs the crisis classifier's weights
(`make crisis-classifier`, a dependency of `make eval-crisis`).
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Optional

import yaml

ROOT = Path(__file__).resolve().parent.parent
# The development half is the product's training data (safety/data/: the patterns were written
# against it and the classifier learns from it); the held-out half is only ever measured.
HALVES = {
    "development": (ROOT / "safety" / "data", "crisis_train.tsv", "near_miss_train.tsv"),
    "heldout": (ROOT / "tests" / "safety" / "corpus" / "heldout", "crisis.tsv", "near_miss.tsv"),
}
# One of these goes inside a word of each crisis message for the "invisible" figures:
# soft hyphen, zero-width space / non-joiner / joiner, word joiner, byte-order mark.
INVISIBLE = ("\u00ad", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff")
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


def _corpus(name: str, folder: Path) -> list[tuple[str, str]]:
    rows = (folder / name).read_text(encoding="utf-8").splitlines()
    return [tuple(r.split("\t", 1)) for r in rows if r.strip() and not r.startswith("#")]  # type: ignore[misc]


def _half(name: str) -> Optional[tuple[list[tuple[str, str]], list[tuple[str, str]]]]:
    """(crises, near misses) of one half of the corpus, or None if it is not in this checkout."""
    folder, crisis, near = HALVES[name]
    if not ((folder / crisis).exists() and (folder / near).exists()):
        return None
    return _corpus(crisis, folder), _corpus(near, folder)


def with_invisible(text: str, number: int) -> str:
    """The message with one invisible character in the middle of its longest word."""
    words = [m for m in re.finditer(r"[^\W\d_]{2,}", text)]
    if not words:
        return text
    word = max(words, key=lambda m: m.end() - m.start())
    at = (word.start() + word.end()) // 2
    return text[:at] + INVISIBLE[number % len(INVISIBLE)] + text[at:]


def pattern_rates(crisis: list[tuple[str, str]], near: list[tuple[str, str]]) -> dict:
    """Crisis triage on one half, as every channel runs it (patterns, then the classifier where
    no pattern fired): recall (plain and with an invisible character in each crisis message),
    false alarms and recall by type; and the same counts for the patterns alone."""
    from safety import classifier
    from safety.triage import triage, triage_patterns

    classifier.require()  # measuring triage without its second net would mislead
    plain = [triage(t) is not None for _, t in crisis]
    invisible = [triage(with_invisible(t, n)) is not None for n, (_, t) in enumerate(crisis)]
    alarms = [triage(t) is not None for _, t in near]
    patterns_plain = [triage_patterns(t) is not None for _, t in crisis]
    patterns_invisible = [triage_patterns(with_invisible(t, n)) is not None for n, (_, t) in enumerate(crisis)]
    patterns_alarms = [triage_patterns(t) is not None for _, t in near]
    by_type: dict[str, list[int]] = {}
    for (label, _), hit in zip(crisis, plain):
        row = by_type.setdefault(label, [0, 0])
        row[0] += int(hit)
        row[1] += 1
    return {
        "crises": len(crisis), "caught": sum(plain), "recall": sum(plain) / len(crisis),
        "caught_invisible": sum(invisible), "recall_invisible": sum(invisible) / len(crisis),
        "near_misses": len(near), "false_alarms": sum(alarms),
        "false_alarm_rate": sum(alarms) / len(near),
        "recall_by_type": {k: {"caught": v[0], "of": v[1]} for k, v in sorted(by_type.items())},
        "classifier_threshold": classifier.THRESHOLD,
        "patterns": {
            "caught": sum(patterns_plain), "recall": sum(patterns_plain) / len(crisis),
            "caught_invisible": sum(patterns_invisible),
            "recall_invisible": sum(patterns_invisible) / len(crisis),
            "false_alarms": sum(patterns_alarms), "false_alarm_rate": sum(patterns_alarms) / len(near),
        },
    }


def patterns_only() -> dict:
    """`--patterns-only`: both halves, no model; the held-out lines are counted, not shown."""
    found = {}
    for name in HALVES:
        half = _half(name)
        found[name] = None if half is None else pattern_rates(*half)
    return found


def pattern_table(halves: dict) -> list[str]:
    lines = [
        "| half | net | crises | recall | recall, one invisible character | near misses | false alarms |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, row in halves.items():
        if row is None:
            lines.append(f"| {name} | | - | not in this checkout | | | |")
            continue
        for net, figures in (("patterns alone", row["patterns"]), ("patterns + classifier", row)):
            lines.append(
                f"| {name} | {net} | {row['crises']} | {figures['caught']}/{row['crises']} "
                f"({figures['recall']:.1%}) | {figures['caught_invisible']}/{row['crises']} "
                f"({figures['recall_invisible']:.1%}) | {row['near_misses']} | "
                f"{figures['false_alarms']}/{row['near_misses']} ({figures['false_alarm_rate']:.1%}) |")
    return lines


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
    """Each half of the corpus: recall and false alarms for each net and both."""
    halves = {}
    for name in HALVES:
        half = _half(name)
        if half is None:
            say(f"crisis corpus: no {name} half in this checkout")
            halves[name] = None
            continue
        halves[name] = crisis_detection_half(model, threshold, *half, show_lines=name == "development")
    return {"threshold": threshold, "halves": halves}


def crisis_detection_half(model: Path, threshold: float, crisis: list[tuple[str, str]],
                          near: list[tuple[str, str]], show_lines: bool) -> dict:
    """Recall on the crises and false alarms on the near misses, for each net and both."""
    from safety.triage import triage

    texts = [t for _, t in crisis] + [t for _, t in near]  # triage: the patterns, then the classifier
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
        "patterns_invisible": pattern_rates(crisis, near),
        "model_only": {str(t): rates(t, False) for t in (0.5, 0.9, threshold)},
        "both": rates(threshold, True),
        "recall_by_type": {k: {"caught": v[0], "of": v[1]} for k, v in sorted(by_type.items())},
        # held-out lines are never written out: reading them would make them development lines
        "missed": missed if show_lines else [],
        "false_alarms": false_alarms if show_lines else [],
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
    if "halves" not in crisis:  # a summary.json written before the corpus was split
        crisis = {"threshold": crisis["threshold"], "halves": {"development": crisis}}
    lines += [
        "",
        "## Crisis detection (the crisis corpus)",
        "",
        "Two halves, measured separately. The development half (`safety/data/crisis_train.tsv`, "
        "`near_miss_train.tsv`) "
        "is what the patterns were written against; the held-out half (`tests/safety/corpus/heldout/`) was written "
        "apart and never read while writing them, so its figures are the ones to quote. The "
        f"model's `crisis` intent counts when its confidence is at least {crisis['threshold']} "
        "(`CRISIS_NLU_CONFIDENCE` in waymark/assistant.py). \"One invisible character\" puts a "
        "soft hyphen, zero-width space, joiner, word joiner or byte-order mark inside the "
        "longest word of every crisis message.",
        "",
    ]
    for name, half in crisis["halves"].items():
        if half is None:
            lines += [f"### {name}", "", "Not in this checkout.", ""]
            continue
        p = half["patterns_only"]
        inv = half.get("patterns_invisible") or {"caught_invisible": "-", "crises": p["crises"],
                                                 "recall_invisible": float("nan")}
        lines += [
            f"### {name}: {p['crises']} crises, {p['near_misses']} near misses",
            "",
            "| net | recall | false-alarm rate |",
            "|---|---|---|",
            f"| triage: patterns + crisis classifier (safety/) | {p['caught']}/{p['crises']} ({p['recall']:.1%}) | "
            f"{p['false_alarms']}/{p['near_misses']} ({p['false_alarm_rate']:.1%}) |",
            f"| triage, one invisible character in each crisis | {inv['caught_invisible']}/"
            f"{inv['crises']} ({inv['recall_invisible']:.1%}) | |",
        ]
        for threshold, row in half["model_only"].items():
            lines.append(f"| model `crisis` intent >= {threshold} | {row['caught']}/{row['crises']} "
                         f"({row['recall']:.1%}) | {row['false_alarms']}/{row['near_misses']} "
                         f"({row['false_alarm_rate']:.1%}) |")
        both = half["both"]
        lines += [
            f"| **both, as every channel runs them** | **{both['caught']}/{both['crises']} "
            f"({both['recall']:.1%})** | **{both['false_alarms']}/{both['near_misses']} "
            f"({both['false_alarm_rate']:.1%})** |",
            "",
            "Recall by type (both nets): " + ", ".join(
                f"{k} {v['caught']}/{v['of']}" for k, v in half["recall_by_type"].items()) + ".",
            "",
        ]
        if half["false_alarms"]:
            lines += ["False alarms: " + "; ".join(f"\"{t}\"" for t in half["false_alarms"][:10]), ""]
        if half["missed"]:
            lines += ["Missed: " + "; ".join(f"\"{t}\"" for t in half["missed"][:10]), ""]
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


def halves_threshold(halves: dict) -> str:
    return next((str(row["classifier_threshold"]) for row in halves.values() if row), "-")


def run_patterns_only(out: Path) -> int:
    started = time.monotonic()
    halves = patterns_only()
    out.mkdir(parents=True, exist_ok=True)
    result = {"date": time.strftime("%Y-%m-%d"), "patterns": halves}
    (out / "crisis.json").write_text(json.dumps(result, indent=2) + "\n")
    print("\n".join(["Crisis triage (safety/triage.py patterns; safety/classifier.py at threshold "
                      f"{halves_threshold(halves)}) on the crisis corpus:", ""] + pattern_table(halves)))
    say(f"wrote {out / 'crisis.json'} in {time.monotonic() - started:.1f} s")
    heldout = halves.get("heldout")
    return 0 if heldout is None or (heldout["recall"] == 1.0 and heldout["recall_invisible"] == 1.0
                                    and heldout["false_alarm_rate"] <= 0.01) else 1


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
    parser.add_argument("--patterns-only", action="store_true",
                        help="measure only crisis triage (the patterns, and with the crisis classifier) on "
                             "both halves of the corpus, in seconds: no Rasa model is trained or loaded; "
                             "writes --out/crisis.json")
    parser.add_argument("--summary-only", action="store_true",
                        help="train and load nothing: rewrite the summary from the reports and crisis numbers in --out")
    args = parser.parse_args(argv)
    if args.patterns_only:
        return run_patterns_only(args.out)
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
