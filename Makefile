# The two commands of the README, and a few more. Each sets up .venv itself.
# The first of python3, python3.13, python3.12, python3.11 that is Python 3.11-3.13
# (or say which: make demo PYTHON=/opt/python3.12/bin/python3).
SUITABLE := import sys; sys.exit(not (3, 11) <= sys.version_info[:2] <= (3, 13))
ifeq ($(origin PYTHON),undefined)
PYTHON := $(firstword $(foreach p,python3 python3.13 python3.12 python3.11,\
            $(shell command -v $(p) >/dev/null 2>&1 && $(p) -c '$(SUITABLE)' 2>/dev/null && echo $(p))))
endif
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: demo test crawl bench lock clean

demo: $(STAMP)          ## offline: crawl the bundled sample site into data/demo.duckdb
	$(BIN)/fundnews demo

test: $(STAMP)          ## the whole test suite, offline
	$(BIN)/python -m pytest

crawl: $(STAMP)         ## live: crawl every enabled source into data/corpus.duckdb
	$(BIN)/fundnews crawl

bench: $(STAMP)         ## throughput benchmarks, ratios against baselines
	$(BIN)/python -m bench

$(STAMP): requirements.lock pyproject.toml
	@test -x $(BIN)/python || test -n "$(PYTHON)" || { echo "fundnews needs Python 3.11, 3.12 or 3.13 \
	(none of python3, python3.13, python3.12, python3.11 is one); say which: make PYTHON=/path/to/python3" >&2; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

lock:                   ## re-pin every dependency after changing pyproject.toml
	@test -n "$(PYTHON)" || { echo "no Python 3.11-3.13 found; make lock PYTHON=..." >&2; exit 1; }
	rm -rf /tmp/fundnews-lock && $(PYTHON) -m venv /tmp/fundnews-lock
	/tmp/fundnews-lock/bin/pip install --quiet '.[test]' setuptools wheel
	/tmp/fundnews-lock/bin/pip freeze --all --exclude fundnews --exclude pip > requirements.lock

clean:
	rm -rf $(VENV) data/demo.duckdb
