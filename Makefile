# Two entry points (see README): `make demo` and `make test`. Both set up the
# virtual environment first and are safe to run again.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: setup demo test bench clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	# The CPU build of torch first, pinned, so nothing pulls a CUDA build.
	$(PY) -m pip install -q torch==2.13.0
	$(PY) -m pip install -q -e '.[dev]'
	touch $(STAMP)

# The demo writes into out/ (ignored by git): running it never changes a tracked file.
demo: setup
	mkdir -p out
	$(VENV)/bin/aligner align examples/vi-nuclear-ai-statement.txt examples/id-arms-talks.txt \
		--memory examples/translation-memory.csv \
		--json out/result.json --markdown out/report.md

test: setup
	$(PY) -m pytest -q

clean:
	rm -rf $(VENV) build dist *.egg-info
