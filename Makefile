# exobench: `make bench` publishes the tables in results/, `make test` runs the suite.
# Both create .venv and install everything on first use; only Python 3 and pip are needed.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
EXT    := exobench/.built
CSRC   := $(wildcard csrc/*.c csrc/*.h include/r3000.h include/board.h)

.PHONY: all setup build test bench bench-quick sensitivity clean distclean

all: build

$(STAMP): pyproject.toml setup.py
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	@# setuptools' advice about editable installs is for packages, not this checkout: keep it quiet
	PYTHONWARNINGS=ignore $(PY) -m pip install --quiet -e '.[test]'
	touch $@

setup: $(STAMP)

# Rebuild the emulator extension in place whenever its C sources change.
$(EXT): $(STAMP) $(CSRC) exobench/_build.py
	$(PY) -m exobench._build
	touch $@

build: $(EXT)

test: build
	$(PY) -m pytest -q tests

bench: build
	$(PY) -m exobench bench

bench-quick: build
	$(PY) -m exobench bench --quick

# The headline ratios over the plausible cost models (make bench runs it too).
sensitivity: build
	$(PY) -m exobench sensitivity

clean:
	rm -rf build exobench/_machine*.so exobench/.built
	find . -name __pycache__ -prune -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV) .cache
