# The two commands of the README, and a few more. Each sets up .venv itself.
PYTHON ?= python3.11
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
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

lock:                   ## re-pin every dependency after changing pyproject.toml
	rm -rf /tmp/fundnews-lock && $(PYTHON) -m venv /tmp/fundnews-lock
	/tmp/fundnews-lock/bin/pip install --quiet '.[test]' setuptools wheel
	/tmp/fundnews-lock/bin/pip freeze --all --exclude fundnews --exclude pip > requirements.lock

clean:
	rm -rf $(VENV) data/demo.duckdb
