# make run   — install, start the local Neo4j, load the bundled data, open the app
# make test  — install, lint, then run every test against a real Neo4j (and chromium for e2e),
#              on two workers (pyproject.toml addopts: -n 2 --dist loadgroup)
# make lint  — ruff (lint and format check) on the code (graph/, loaders/, the app), then mypy
# make bench — benchmarks on synthetic data at real and 1M-entity size (bench/README.md);
#              make bench-quick: real list size only, under 5 minutes
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# The installer of the pinned requirements: into a fresh venv, with no cache, 14.3 s with uv
# against 36.5 s with pip (the same versions; stop 69), and CI installs from scratch every
# run. --compile-bytecode, as pip does: where PYTHONDONTWRITEBYTECODE is set (as on this
# machine) nothing else writes the .pyc files, and each process compiled the libraries it
# imports again: import graph.client took 2.5 s instead of 0.9-1.0 s, in every process.
# pip stays in the venv: the tests build and install the wheel with it (test_wheel.py).
UV := uv==0.13.10
UV_INSTALL := $(VENV)/bin/uv pip install --quiet --system-certs --compile-bytecode --python $(PY)

.PHONY: install run test lint stop bench bench-quick clean

$(STAMP): requirements.txt requirements-dev.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet $(UV)
	$(UV_INSTALL) --upgrade pip -r requirements-dev.txt
	$(UV_INSTALL) --no-deps -e .
	touch $(STAMP)

install: $(STAMP)
	$(PY) -c "from graph import settings; from graph.server import LocalServer; LocalServer(settings.load()).build()"

# The app opens at once; the bundled data loads behind it (the pages show its progress).
run: install
	$(PY) -m graph run

test: install lint
	$(PY) -m pytest

# ruff's default rules and its formatter (`ruff format graph loaders app.py app_pages` fixes
# what the check finds); then mypy, which reads what it checks from pyproject.toml's [tool.mypy]
lint: install
	$(VENV)/bin/ruff check graph loaders app.py app_pages
	$(VENV)/bin/ruff format --check graph loaders app.py app_pages
	$(VENV)/bin/mypy

bench: install
	$(PY) bench/run.py

bench-quick: install
	$(PY) bench/run.py --quick

stop:
	$(PY) -m graph stop

clean: stop
	rm -rf .local neo4j/target
