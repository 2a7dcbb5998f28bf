# orchestr-lab — the commands a newcomer runs on a fresh machine (only python3 assumed):
#
#   make run         set up .venv, start JupyterLab (with orchestr-lab) on examples/
#   make quickstart  set up .venv, run examples/quickstart.py, list the runs it recorded
#   make test        set up .venv, run the whole pytest suite
#   make bench       set up .venv and the Prefect reference venv, run the engine benchmark
#
# Setup is a chain of stamp files, so a second `make` does no work. Later setup steps (apt
# packages such as chromium/postgresql, the labextension's npm build) are added as further
# prerequisites of `setup`; `run`, `test` and `bench` only ever depend on `setup`.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
MAKEFLAGS += --no-print-directory

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
# Rebuilt whenever pyproject.toml (the dependency list) is newer than the last install.
INSTALLED := $(VENV)/.installed
# The JupyterLab extension: its sources, its build output, and the venv's copy of it (stamp).
LABEXT_SRC := $(wildcard labextension/src/* labextension/style/* labextension/scripts/*) \
    labextension/package.json labextension/yarn.lock labextension/tsconfig.json labextension/install.json
LABEXT_BUILT := orchestr_lab/labextension/package.json
LABEXT := $(VENV)/.labextension
LABEXT_DEST := $(VENV)/share/jupyter/labextensions/orchestr-lab
# JupyterHub's proxy (a Node package), for the test that runs a real Hub with orchestr-lab as its
# service (tests/server_ext/test_hub_auth.py finds it at $(VENV)/chp).
CHP := $(VENV)/chp/node_modules/.bin/configurable-http-proxy
PYTEST_ARGS ?=

.PHONY: help setup run quickstart test bench bench-notebooks bench-widgets bench-claims clean distclean

help:
	@echo "make run        set up .venv, start JupyterLab with orchestr-lab on examples/ (PORT=8888)"
	@echo "make quickstart set up .venv, run examples/quickstart.py, list its runs"
	@echo "make test       set up .venv, run the test suite on 2 workers (PYTEST_ARGS='-k cli' to narrow, PYTEST_WORKERS=0 serially)"
	@echo "make screenshots re-take docs/screenshots with the browser tests"
	@echo "make api-types  regenerate labextension/src/openapi.ts after a change to the REST API's schemas"
	@echo "make bench      compare the engine with Prefect (see bench/README.md)"
	@echo "make bench-notebooks  compare notebook runs with jupyter-scheduler and papermill"
	@echo "make bench-widgets    a 10,000-task flow in a kernel, live run widget on vs off"
	@echo "make bench-claims     claims per second on SQLite and PostgreSQL, 1/4/8 racing claimers"
	@echo "make clean      remove build artefacts and caches; distclean also removes the venvs"

## setup: everything the project needs to run and test; idempotent and fast when done.
setup: $(INSTALLED) $(LABEXT) $(CHP)

# $(call apt-install,CHECK,PACKAGES,WHY,ELSE): unless the shell test CHECK passes, install Debian
# PACKAGES when we may (root + apt), saying WHY; otherwise run ELSE (a warning, or a failure).
define apt-install
if ! $(1) >/dev/null 2>&1; then \
    if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
        echo "==> installing $(3) (apt-get install $(2))"; \
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(2) >/dev/null; \
    else \
        $(4); \
    fi; \
fi
endef

# The store's tests run against a real PostgreSQL server they start themselves; they need its
# binaries (Debian's postgresql package). Installed here when missing and we may (root + apt).
.PHONY: postgres-binaries
postgres-binaries:
	@$(call apt-install,ls /usr/lib/postgresql/*/bin/initdb,postgresql,PostgreSQL server binaries,\
	    echo "warning: PostgreSQL binaries not found; the PostgreSQL tests will fail (install Debian's postgresql)" >&2)

# The browser tests drive Debian's Chromium (never Playwright's own browser download).
.PHONY: chromium
chromium:
	@$(call apt-install,test -x /usr/bin/chromium,chromium,Chromium for the browser tests,\
	    echo "warning: /usr/bin/chromium not found; the browser tests will fail (install Debian's chromium)" >&2)

# Node.js (>= 18) builds the JupyterLab extension (jlpm, webpack); Debian's nodejs will do.
.PHONY: nodejs
nodejs:
	@$(call apt-install,node -e 'process.exit(+process.versions.node.split(".")[0] < 18 ? 1 : 0)',nodejs npm,Node.js,\
	    echo "error: Node.js >= 18 is needed to build the JupyterLab extension; install nodejs" >&2; exit 1)

$(PY):
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 10))' \
	    || { echo "error: orchestr-lab needs Python >= 3.10 ($(PYTHON) is $$($(PYTHON) -V 2>&1))" >&2; exit 1; }
	@echo "==> creating $(VENV) with $$($(PYTHON) -V 2>&1)"
	@if ! $(PYTHON) -m venv $(VENV); then \
	    rm -rf $(VENV); \
	    if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	        echo "==> python3 -m venv failed; installing python3-venv"; \
	        apt-get update -qq && apt-get install -y -qq python3-venv >/dev/null; \
	        $(PYTHON) -m venv $(VENV); \
	    else \
	        echo "error: '$(PYTHON) -m venv' failed; install your distribution's python3-venv" >&2; exit 1; \
	    fi; \
	fi

# uv installs the same set ~15x faster than pip; pip is the fallback when uv is unavailable.
# The editable install also builds the JupyterLab extension when it is missing or older than
# labextension/src (pyproject's jupyter-builder hook: jlpm install from the committed lockfile).
$(INSTALLED): pyproject.toml | $(PY) nodejs
	@echo "==> installing orchestr-lab (editable) with its test dependencies"
	@if [ -x $(VENV)/bin/uv ] || $(PY) -m pip install -q --disable-pip-version-check uv; then \
	    UV_LINK_MODE=copy $(VENV)/bin/uv pip install -q --python $(PY) -e ".[test]" \
	        || { echo "==> uv failed; retrying with pip"; $(PY) -m pip install -q --disable-pip-version-check -e ".[test]"; }; \
	else \
	    echo "==> uv unavailable; installing with pip"; \
	    $(PY) -m pip install -q --disable-pip-version-check -e ".[test]"; \
	fi
	@touch $@

# The JupyterLab extension: rebuilt when its sources change (jlpm install uses the committed
# yarn.lock; with CI=true it refuses to change it), then copied where JupyterLab finds it.

$(LABEXT_BUILT): $(LABEXT_SRC) | $(INSTALLED) nodejs
	@echo "==> building the JupyterLab extension (labextension/)"
	@cd labextension && PATH="$(CURDIR)/$(VENV)/bin:$$PATH" ORCHESTR_LAB_PYTHON="$(CURDIR)/$(PY)" \
	    sh -c 'jlpm install && jlpm build:prod' >../$(VENV)/labextension-build.log 2>&1 \
	    || { tail -n 40 ../$(VENV)/labextension-build.log; exit 1; }
	@touch $@

$(LABEXT): $(LABEXT_BUILT)
	@rm -rf $(LABEXT_DEST) && mkdir -p $(LABEXT_DEST)
	@cp -R orchestr_lab/labextension/. labextension/install.json $(LABEXT_DEST)/
	@touch $@

.PHONY: labextension
labextension: $(LABEXT)

# The frontend's TypeScript types, generated from the server's OpenAPI document. They are committed
# (the npm build needs no Python) and tests/test_labextension.py fails when they are stale; this
# target regenerates them (after the first build, which installed openapi-typescript).
.PHONY: api-types
api-types: $(LABEXT_BUILT)
	@cd labextension && PATH="$(CURDIR)/$(VENV)/bin:$$PATH" ORCHESTR_LAB_PYTHON="$(CURDIR)/$(PY)" jlpm generate:api

$(CHP): | $(PY) nodejs
	@echo "==> installing configurable-http-proxy (npm) for the JupyterHub test"
	@npm install --prefix $(VENV)/chp --no-audit --no-fund configurable-http-proxy@5.3.0 \
	    >$(VENV)/chp-install.log 2>&1 || { tail -n 20 $(VENV)/chp-install.log; exit 1; }

# JupyterLab on the examples, with the server extension (REST API, scheduler, local worker).
# --allow-root only when we are root (containers, CI machines); Ctrl-C stops it.
PORT ?= 8888
# JupyterLab's settings for `make run`, as defaults in the venv's own app settings (overrides.d),
# never in the user's: no "get notified about official Jupyter news?" prompt on the first start.
# A choice the user makes in JupyterLab's settings still wins.
LAB_SETTINGS := $(VENV)/share/jupyter/lab/settings/overrides.d/orchestr-lab.json

$(LAB_SETTINGS): jupyter-config/lab-settings/orchestr-lab.json
	install -D -m 644 $< $@

run: setup $(LAB_SETTINGS)
	$(VENV)/bin/jupyter lab --no-browser --port=$(PORT) --ServerApp.root_dir=examples \
	    $$([ "$$(id -u)" = 0 ] && echo --allow-root)

quickstart: setup
	$(PY) examples/quickstart.py
	@echo
	@echo "==> recorded runs ($(VENV)/bin/orchestr-lab runs ls --limit 10)"
	@$(VENV)/bin/orchestr-lab runs ls --limit 10

# The suite runs on PYTEST_WORKERS pytest-xdist processes (0: serially, in this process). Most tests
# wait on subprocesses (kernels, servers, Chromium, PostgreSQL), so two workers suit a 2-core machine.
# --dist loadfile: a test file runs whole on one worker, so module-scoped fixtures (dask clusters,
# jupyter servers) are built once, not once per worker that gets a share of the file (tests/browser
# goes whole to one worker: tests/_xdist.py). --no-loadscope-reorder: files are handed out in
# collection order, where the files of minutes (marked long_running) come first, so that none of
# them ends the run alone (xdist's default order, most tests first, would start them last).
PYTEST_WORKERS ?= 2
PYTEST_XDIST = $(if $(filter-out 0,$(PYTEST_WORKERS)),-n $(PYTEST_WORKERS) --dist loadfile --no-loadscope-reorder)

# pytest exits 5 when it collected nothing; that is a failure here, and says so.
test: setup postgres-binaries chromium
	@rc=0; $(PY) -m pytest -q -ra -p no:cacheprovider --durations=15 $(PYTEST_XDIST) $(PYTEST_ARGS) || rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "error: pytest collected no tests" >&2; fi; \
	exit $$rc

# Re-take docs/screenshots/*.png (shown in the README) with the browser tests.
screenshots: setup chromium
	ORCHESTR_LAB_SCREENSHOTS=$(CURDIR)/docs/screenshots $(PY) -m pytest -q -p no:cacheprovider tests/browser

bench: setup
	bash bench/setup_prefect.sh
	$(PY) bench/bench_engine.py

bench-notebooks: setup
	bash bench/setup_jupyter_scheduler.sh
	$(PY) bench/bench_notebooks.py

# What the live run widget costs a big flow in a real kernel (bench/README.md, "Run widgets").
bench-widgets: setup
	$(PY) bench/bench_widgets.py

# Claims per second on SQLite and on a throwaway PostgreSQL server (bench/README.md, "Claims per second").
bench-claims: setup postgres-binaries
	$(PY) bench/bench_claims.py

clean:
	rm -rf build dist *.egg-info .pytest_cache labextension/lib labextension/tsconfig.tsbuildinfo
	find . -path ./$(VENV) -prune -o -path './bench/.venv-*' -prune -o -name __pycache__ -type d -print0 \
	    | xargs -0 rm -rf

distclean: clean
	rm -rf $(VENV) bench/.venv-*
