# `make test` and `make demo` work on a fresh machine with Python 3: they
# create the virtual environment .venv and install what they need into it.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: test demo docs lint dist clean

$(STAMP): setup.py pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test,fs,emulator,emulator-cwl,cli,docs,lint]'
	touch $(STAMP)

test: $(STAMP)
	$(PY) -m pytest

demo: $(STAMP)
	$(PY) examples/okapi_demo.py

docs: $(STAMP)
	$(PY) -m sphinx -W --keep-going -b html -q docs docs/_build/html

lint: $(STAMP)
	$(VENV)/bin/ruff check sevenbridges tests examples benchmarks docs/_ext
	$(VENV)/bin/mypy sevenbridges

dist: $(STAMP)
	.ci/check-dist

clean:
	rm -rf $(VENV) docs/_build build dist *.egg-info
