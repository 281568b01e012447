# Every target creates .venv on first use, so a fresh clone needs only Python 3.11+ and make.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
LAKE ?= lake
# Port of the dashboard that `make demo` starts.
PORT ?= 8501
# Log events of the benchmark's sample, such as 200k or 10M.
SIZE ?= 200k
BENCH_STAMP := $(VENV)/.bench-installed

.PHONY: test check demo package bench clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and f"loglake needs Python 3.11 or newer; {sys.executable} is {sys.version.split()[0]}. Run: make PYTHON=python3.11 $(MAKECMDGOALS)")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

test: $(STAMP)
	$(BIN)/python -m pytest -n 2 -q

check: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/cfn-lint template.yaml

demo: $(STAMP)
	$(BIN)/loglake demo --lake $(LAKE)
	@echo
	@echo "The sample covers yesterday (UTC). Open the dashboard at"
	@echo "    http://127.0.0.1:$(PORT)/?range=7d"
	@echo "and press Ctrl-C here to stop it."
	@echo
	$(BIN)/loglake dashboard --lake $(LAKE) --port $(PORT)

# The two zips that template.yaml deploys: ingest (also the X-Ray poller and compaction) and alerts.
package: $(STAMP)
	$(BIN)/python deploy/package.py build/ingest-lambda.zip
	$(BIN)/python deploy/package.py build/alerts-lambda.zip --function alerts

# The benchmark's own tools (chDB) go into the venv only here, never into loglake's extras.
$(BENCH_STAMP): bench/requirements.txt $(STAMP)
	$(BIN)/python -m pip install --quiet -r bench/requirements.txt
	touch $(BENCH_STAMP)

bench: $(BENCH_STAMP)
	$(BIN)/python -m bench.run --size $(SIZE)

clean:
	rm -rf $(VENV) build dist $(LAKE)
