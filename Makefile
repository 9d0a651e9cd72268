# make run   — install, start the local Neo4j, load the bundled data, open the app
# make test  — install, then run every test against a real Neo4j (and chromium for e2e)
# make bench — benchmarks on synthetic data at real and 1M-entity size (bench/README.md);
#              make bench-quick: real list size only, under 5 minutes
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: install run test stop bench bench-quick clean

$(STAMP): requirements.txt requirements-dev.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	$(PY) -m pip install --quiet --no-deps -e .
	touch $(STAMP)

install: $(STAMP)
	$(PY) -c "from graph import settings; from graph.server import LocalServer; LocalServer(settings.load()).build()"

# The app opens at once; the bundled data loads behind it (the pages show its progress).
run: install
	$(PY) -m graph run

test: install
	$(PY) -m pytest

bench: install
	$(PY) bench/run.py

bench-quick: install
	$(PY) bench/run.py --quick

stop:
	$(PY) -m graph stop

clean: stop
	rm -rf .local neo4j/target
