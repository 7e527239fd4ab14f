# Catalog Explorer: `make run` opens the GUI on the demo catalog, `make test` checks everything.
PYTHON ?= python3.11
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test lint format bench demo clean

$(PY):
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11+ is needed ($(PYTHON) not found); set PYTHON=python3.x"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

run: $(STAMP)
	@echo "The explorer command of this checkout is $(VENV)/bin/explorer (e.g. $(VENV)/bin/explorer --help);"
	@echo "$(VENV)/bin/explorer install-desktop adds the window to your desktop's launcher."
	$(VENV)/bin/explorer --demo

test: $(STAMP)
	$(PY) -m ruff check explorer tests benchmarks scripts
	$(PY) -m ruff format --check explorer tests benchmarks scripts
	$(PY) -m mypy
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q

lint: $(STAMP)
	$(PY) -m ruff check explorer tests benchmarks scripts
	$(PY) -m ruff format --check explorer tests benchmarks scripts
	$(PY) -m mypy

format: $(STAMP)
	$(PY) -m ruff check --fix explorer tests benchmarks scripts
	$(PY) -m ruff format explorer tests benchmarks scripts

bench: $(STAMP)
	$(PY) benchmarks/run_all.py

demo: $(STAMP)
	$(PY) -m explorer demo

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
