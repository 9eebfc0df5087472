# Qwen Lineage — every target bootstraps .venv from the pinned requirements first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.requirements.sha256
REQ_SHA := $(shell sha256sum requirements.txt | cut -d' ' -f1)
HOST ?= 127.0.0.1:8000
export NO_MKDOCS_2_WARNING := 1

NODE_STAMP := node_modules/.package-lock.json

.PHONY: serve build test test-fast lint test-properdocs validate clean assets linkcheck new-model

# Rebuild the stamp whenever the recorded hash differs from requirements.txt (a pin changed).
ifneq ($(shell cat $(STAMP) 2>/dev/null),$(REQ_SHA))
.PHONY: $(STAMP)
endif

# Recreate the virtualenv when it is missing or when requirements.txt changed.
$(STAMP): requirements.txt
	@if [ ! -x $(BIN)/python ]; then $(PYTHON) -m venv $(VENV); fi
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@echo $(REQ_SHA) > $(STAMP)

# Front-end assets from the npm registry at the versions pinned in package-lock.json (plotly.js partial bundle).
$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $(NODE_STAMP)

assets: $(NODE_STAMP)

# Serve with live reload of docs/, data/ and macros/ (see `watch:` in mkdocs.yml).
serve: $(STAMP) $(NODE_STAMP)
	$(BIN)/mkdocs serve --dev-addr $(HOST)

# A strict build: any warning (broken link, anchor, macro error) fails it.
build: $(STAMP) $(NODE_STAMP)
	$(BIN)/mkdocs build --strict

# The whole suite: code checks, data, validator, renderers, builds, links, browsers.
test: lint $(NODE_STAMP)
	$(BIN)/python -m pytest

# The edit-test loop: everything but site builds and browsers (a few seconds to a minute).
test-fast: $(STAMP)
	$(BIN)/python -m pytest -m "not build and not browser"

# ruff and mypy on macros/ (settings in pyproject.toml).
lint: $(STAMP)
	$(BIN)/ruff check macros
	$(BIN)/ruff format --check macros
	$(BIN)/mypy

# The strict build and the link checks, on a build made by ProperDocs (the maintained fork of MkDocs 1.x).
test-properdocs: $(STAMP) $(NODE_STAMP)
	QWEN_LINEAGE_BUILDER=properdocs $(BIN)/python -m pytest tests/test_build.py -k "strict or links or core_page"

# Check the data without building; prints every problem with file and line.
validate: $(STAMP)
	$(BIN)/python -m macros.dataset

# Scaffold a release entry: make new-model ID=qwen9-example NAME="Qwen9-Example" DATE=2026-11-20
new-model: $(STAMP)
	$(BIN)/python -m macros.new --id "$(ID)" --name "$(NAME)" --date "$(DATE)"

# Check every external URL in the data and pages online (opt-in: needs the network; weekly in CI).
linkcheck: $(STAMP)
	$(BIN)/python -m macros.linkcheck

clean:
	rm -rf site .pytest_cache
