# Waymark: `make run` to chat in a browser, `make test` to run every test.
# Both build what they need first: the Python 3.10 virtualenv, the trained model and the
# demo database. Nothing is downloaded at run time.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV        := .venv
BIN         := $(VENV)/bin
DEPS        := $(VENV)/.deps-installed
INSTALLED   := $(VENV)/.installed
PACKAGES    := $(wildcard */__init__.py)
MODEL       := models/waymark.tar.gz
# The crisis classifier, the second net beside the crisis patterns (safety/classifier.py):
# trained in seconds from the crisis corpus's development half and nlu_data, never downloaded.
CRISIS_CLASSIFIER := models/crisis_classifier.json
CRISIS_CLASSIFIER_INPUT := safety/classifier.py safety/triage.py $(wildcard safety/data/*.tsv) \
               safety/data/heldout_fingerprints.txt $(wildcard nlu_data/*.yml)
# spaCy without a download: a blank English pipeline with an EntityRuler built from
# understanding/gazetteers, saved here at build time and loaded by SpacyNLP (config.yml).
SPACY_PIPELINE := build/spacy-en
DATABASE    := var/waymark.db
TRAIN_INPUT := config.yml $(shell find bot nlu_data -name '*.yml' 2>/dev/null) \
               $(SPACY_PIPELINE)/meta.json understanding/gazetteer_extractor.py
RASA_DATA   := --domain bot/domain --data bot/rules nlu_data --config config.yml
export RASA_TELEMETRY_ENABLED := false
export SQLALCHEMY_SILENCE_UBER_WARNING := 1
export TF_CPP_MIN_LOG_LEVEL := 2

.PHONY: help run test test-isolation test-calendar model crisis-classifier crisis-cv database chat constraints clean browser-deps bench eval eval-crisis eval-heldout

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

run: $(INSTALLED) $(MODEL) $(CRISIS_CLASSIFIER) $(DATABASE) ## serve the assistant and web chat on http://127.0.0.1:8000
	$(BIN)/waymark serve

# Two pytest workers (pytest-xdist), one per core, each with its own loaded model (~1.3 GB);
# tests in file order within each worker, browser tests last. `PYTEST_WORKERS=0` runs in one process.
PYTEST_WORKERS ?= 2
PYTEST      := $(BIN)/python -m pytest -p no:randomly -n $(PYTEST_WORKERS)
test: $(INSTALLED) $(MODEL) $(CRISIS_CLASSIFIER) browser-deps ## run the whole test suite
	$(PYTEST) $(TEST_ARGS)

# Tests must not lean on each other: the suite once in a random order (pytest-randomly; the seed
# is printed, `-p randomly --randomly-seed=N` repeats it), then every module on its own. The seed is
# not reset before each test: pytest-randomly then hands spaCy's thinc a seed above 2**32, which
# numpy refuses (every test errors).
test-isolation: $(INSTALLED) $(MODEL) $(CRISIS_CLASSIFIER) browser-deps ## run the suite in random order, then each test module alone
	$(BIN)/python -m pytest -p randomly --randomly-dont-reset-seed -n $(PYTEST_WORKERS) $(TEST_ARGS)
	@failed=""; for module in $$(find tests -name 'test_*.py' | sort); do \
	  echo "== $$module alone"; \
	  $(BIN)/python -m pytest -p no:randomly -q $$module || failed="$$failed $$module"; \
	done; \
	if [ -n "$$failed" ]; then echo "These modules fail on their own:$$failed" >&2; exit 1; fi

# The whole suite five times, with the clock moved to one year ahead, a Sunday at 23:59:30, just
# before each change of the UK clocks in 2027, and 29 February 2028 (tests/run_calendar.py --help:
# the system clock through Debian's faketime, installed here as root; CALENDAR_ARGS=--product-clock
# moves only the product's clock).
# Five suite runs: over an hour on 2 cores, so it is not part of `make test`.
test-calendar: $(INSTALLED) $(MODEL) $(CRISIS_CLASSIFIER) browser-deps ## run the whole suite at five clock-breaking dates
	@if [ ! -e /usr/bin/faketime ] && [ "$$(id -u)" = 0 ]; then \
	  echo "Installing Debian's faketime for the calendar runs"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq faketime >/dev/null; \
	fi
	$(BIN)/python tests/run_calendar.py $(CALENDAR_ARGS) -- -p no:randomly -n $(PYTEST_WORKERS) -q

chat: $(INSTALLED) $(MODEL) $(CRISIS_CLASSIFIER) $(DATABASE) ## talk to the assistant in this terminal
	$(BIN)/waymark chat

model: $(MODEL) ## train the Rasa model if its inputs changed

crisis-classifier: $(CRISIS_CLASSIFIER) ## train the crisis classifier if its inputs changed (seconds)

# How the classifier's threshold was chosen: 5-fold cross-validation on the development half,
# repeated with 2 seeds (about a minute); prints recall and false alarms at each threshold.
crisis-cv: $(INSTALLED) ## cross-validate the crisis classifier on the development half
	$(BIN)/python -m safety.classifier cv $(CRISIS_CV_ARGS)

database: $(DATABASE) ## create and seed the demo directory under var/

# Find Python 3.10 (Rasa 3.6 supports nothing newer): PATH first, then pyenv's versions.
$(DEPS): pyproject.toml constraints.txt
	@py=""; \
	for c in python3.10 $$(ls -d $${PYENV_ROOT:-$$HOME/.pyenv}/versions/3.10*/bin/python3.10 2>/dev/null) /usr/bin/python3.10 /usr/local/bin/python3.10; do \
	  if "$$c" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 10))' >/dev/null 2>&1; then py="$$c"; break; fi; \
	done; \
	if [ -z "$$py" ]; then \
	  echo "error: Waymark needs Python 3.10 (Rasa 3.6 supports nothing newer), and none was found." >&2; \
	  echo "Install it, e.g. 'pyenv install 3.10' or 'apt-get install python3.10 python3.10-venv', then run make again." >&2; \
	  exit 1; \
	fi; \
	echo "Using $$py"; \
	rm -rf $(VENV) && "$$py" -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade "pip<25"
	$(BIN)/pip install --progress-bar on -c constraints.txt -e ".[test]"
	$(BIN)/pip check
	touch $@

# The project itself, installed editable; redone (in seconds) when a package is added,
# so the `waymark` command can import it.
$(INSTALLED): $(DEPS) $(PACKAGES)
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

# Written whole (a scratch file, then renamed), like the model.
$(CRISIS_CLASSIFIER): $(INSTALLED) $(CRISIS_CLASSIFIER_INPUT)
	$(BIN)/python -m safety.classifier build --out $@

# The gazetteers as a saved spaCy pipeline (never downloaded); the model depends on it.
$(SPACY_PIPELINE)/meta.json: $(INSTALLED) understanding/spacy_pipeline.py $(wildcard understanding/gazetteers/*.yml)
	$(BIN)/python -m understanding.spacy_pipeline --out $(SPACY_PIPELINE)
	touch $@

# Trains into a scratch folder, then swaps the file in whole, so a running app or test
# session never reads a half-written model. Rasa's cache (.rasa/) makes retraining fast.
$(MODEL): $(INSTALLED) $(TRAIN_INPUT)
	$(BIN)/rasa train $(RASA_DATA) --out models/.training --fixed-model-name waymark
	mv models/.training/waymark.tar.gz $@
	touch $@

# Re-run when a migration is added: `init` upgrades an existing database in place, and
# seeding is idempotent, so a developer's var/ keeps working after a schema change.
$(DATABASE): $(INSTALLED) $(wildcard directory/migrations/versions/*.py)
	$(BIN)/waymark directory init
	$(BIN)/waymark directory seed --national --sample
	touch $@

# Browser tests use Debian's chromium (never a downloaded browser) and axe-core from npm.
# Without root or npm they are skipped on a developer's machine; on CI (CI=true) they fail.
browser-deps: ## install chromium (apt, needs root) and axe-core (npm) for the browser tests
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing Debian's chromium for the browser tests"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "note: no /usr/bin/chromium and not root: browser tests will be skipped"; fi; \
	fi
	@if [ ! -f node_modules/axe-core/axe.min.js ] || [ package-lock.json -nt node_modules/axe-core/axe.min.js ]; then \
	  if command -v npm >/dev/null; then npm ci --no-audit --no-fund --loglevel=error; \
	  else echo "note: no npm: the accessibility check will be skipped"; fi; \
	fi

# Directory search at 1,000 / 10,000 / 50,000 services on SQLite and (when it answers) PostgreSQL;
# results in benchmarks/results/directory_search.json. Postcode districts from ../shared/data.
# Then importing a real-shaped council feed of 1,000 services (issue 21: under 30 s), first, again
# and changed, and through `waymark directory import`: services/s and peak memory in
# benchmarks/results/directory_import.json.
# Then conversations at 1 / 10 / 50 people and saturation, Waymark's serving path beside stock
# `rasa run` + `rasa run actions`, with cold start and model size: benchmarks/results/conversations.json.
bench: $(INSTALLED) $(MODEL) $(CRISIS_CLASSIFIER) $(DATABASE) ## benchmark directory search and feed import, then conversations (Waymark vs stock Rasa)
	$(BIN)/python benchmarks/directory_search.py --sizes 1000,10000,50000 $(BENCH_ARGS)
	$(BIN)/python benchmarks/directory_import.py --sizes 1000 $(BENCH_IMPORT_ARGS)
	$(BIN)/python benchmarks/conversations.py $(BENCH_CONVERSATION_ARGS)
	$(BIN)/python benchmarks/turn_stages.py $(BENCH_STAGE_ARGS)

# Understanding quality: NLU cross-validation of Waymark's pipeline and Rasa's default side by
# side, crisis recall / false alarms on tests/safety/corpus, then the held-out set (below); the
# reports go to docs/eval/. It trains a model per fold (minutes each on 2 cores), so it is not
# part of `make test`.
EVAL_FOLDS ?= 3
eval: $(INSTALLED) $(MODEL) $(CRISIS_CLASSIFIER) ## measure understanding (cross-validation vs Rasa's default, crisis detection, held-out set) into docs/eval/
	$(BIN)/python benchmarks/nlu_eval.py --folds $(EVAL_FOLDS) $(EVAL_ARGS)
	$(BIN)/python benchmarks/heldout_eval.py $(HELDOUT_ARGS)

# The held-out set (tests/heldout/, issue 19), never trained on and never read by whoever writes
# NLU data, patterns or dialogue: the trained model in-process on every single message (intent
# accuracy, entity F1), then every journey through the web chat against a seeded directory in a
# temporary folder (pass rate per kind). Figures and failing ids only, never a text; writes
# docs/eval/heldout.json and heldout.md. About 3 minutes on 2 cores, no training.
eval-heldout: $(INSTALLED) $(MODEL) $(CRISIS_CLASSIFIER) ## measure the model on the held-out messages and journeys into docs/eval/heldout.*
	$(BIN)/python benchmarks/heldout_eval.py $(HELDOUT_ARGS)

# Crisis triage (the patterns, the classifier and both, as every channel runs them) on both halves
# of the corpus (development and held-out), with and without an invisible character in each
# crisis message: seconds, no Rasa model.
eval-crisis: $(INSTALLED) $(CRISIS_CLASSIFIER) ## measure crisis triage on the development and held-out corpus (no model)
	$(BIN)/python benchmarks/nlu_eval.py --patterns-only $(EVAL_ARGS)

constraints: ## re-pin constraints.txt from the current virtualenv
	(echo "# The whole environment, pinned: install with pip install -c constraints.txt -e '.[test]'"; \
	 echo "# Regenerate after changing dependencies: make constraints"; \
	 $(BIN)/pip freeze --all --exclude-editable | grep -v '^-e\|^waymark\|^pip==') > constraints.txt

clean: ## remove the virtualenv, trained models and local databases
	rm -rf $(VENV) models .rasa var node_modules build
