# The two commands a new user runs: `make demo` and `make test`.
# `make test` runs the store and resume tests on SQLite and on a throwaway PostgreSQL
# (.ci/with-postgres.sh: Debian's package, installed with apt-get when missing).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test kernel browser clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# droneworks itself with every optional part (extras: see droneworks/core/extras.py).
$(VENV)/.installed-run: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[all]'
	touch $@

# droneworks with every extra and the test, lint and peer-benchmark dependencies.
$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test,cluster,web]'
	touch $@ $(VENV)/.installed-run

# Set-up step of demo and test: load the simulation kernel, compiling it first when the
# cache (in the user cache folder) is cold, with a line saying so, so no command later
# sits silent for a minute.
kernel: $(VENV)/.installed-run
	$(BIN)/python -m droneworks.cli.kernel

demo: $(VENV)/.installed-run kernel
	$(BIN)/droneworks demo --out out/demo --force

# The dashboard's end-to-end test drives Debian's Chromium (never a downloaded browser).
browser:
	@command -v chromium >/dev/null || { echo "installing Debian's chromium for the browser tests"; \
	  (apt-get update -qq && apt-get install -y -qq chromium >/dev/null) || \
	  echo "could not install chromium: the browser test will fail (apt-get install chromium)"; }

test: $(VENV)/.installed-test kernel browser
	$(BIN)/ruff check
	$(BIN)/ruff format --check
	$(BIN)/mypy
	.ci/with-postgres.sh $(BIN)/pytest -n 2 --dist loadgroup

clean:
	rm -rf $(VENV) out .pytest_cache .mypy_cache .ruff_cache
