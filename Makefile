# The two set-up commands are `make run` and `make test`; everything else here
# is what they are made of.
PYTHON ?= python3.11
ifeq ($(shell command -v $(PYTHON) 2>/dev/null),)
PYTHON := python3
endif
VENV := .venv
BIN := $(VENV)/bin
NPM := npm --no-audit --no-fund --loglevel=error

VENV_903 := .venv-903

.PHONY: run test install install-test assets system-deps validator-903 lint format migrate demo clean

## make run: install, build assets, migrate, load demo data, start web + worker + beat.
run: install assets
	@mkdir -p var
	$(BIN)/python manage.py migrate --no-input -v0
	$(BIN)/python manage.py seed_demo
	@echo ""
	@echo "Placement assurance is starting on http://127.0.0.1:8000/ (web, Celery worker and beat)."
	@echo "Sign in with any demo username above. Stop with Ctrl-C."
	@echo ""
	$(BIN)/honcho start -f Procfile.dev

## make test: install what the tests need and run the whole suite.
test: install-test assets system-deps validator-903
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/python manage.py makemigrations --check --dry-run --settings=config.settings.test -v0
	$(BIN)/pytest

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(VENV)/bin/python
	$(BIN)/pip install -q .
	@touch $@

$(VENV)/.installed-test: pyproject.toml | $(VENV)/bin/python
	$(BIN)/pip install -q ".[test]"
	@touch $(VENV)/.installed $@

## The DfE's SSDA903 validator, in a venv of its own: it pins numpy<1.25 and pandas<2,
## which the application must not be held to. The round-trip test runs it.
validator-903: $(VENV_903)/.installed

$(VENV_903)/.installed:
	$(PYTHON) -m venv $(VENV_903)
	$(VENV_903)/bin/pip install -q --upgrade pip
	$(VENV_903)/bin/pip install -q "csc-validator-be-903==0.1.17"
	@touch $@

node_modules/.installed: package.json package-lock.json
	$(NPM) ci
	@touch $@

assets: static/dist/application.css

static/dist/application.css: node_modules/.installed assets/build.mjs $(wildcard assets/scss/*.scss)
	$(NPM) run build

## Debian packages the browser tests and PDFs need (Chromium, Pango, fonts).
system-deps:
	@command -v chromium >/dev/null 2>&1 && ldconfig -p | grep -q libpangoft2 || { \
	  echo "Installing Chromium, Pango and fonts from Debian"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	    chromium libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
	    fonts-liberation fonts-dejavu-core poppler-utils >/dev/null; }

lint:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format:
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

migrate: install
	$(BIN)/python manage.py migrate

demo: install
	$(BIN)/python manage.py seed_demo

clean:
	rm -rf $(VENV) $(VENV_903) node_modules static/dist staticfiles var

## make bench: the benchmark in bench/ (bench/README.md): seed_demo at 1,000 and 84,000
## children on PostgreSQL, pages under gunicorn and wrk, the nightly jobs. Not part of make test.
.PHONY: bench
bench: install assets
	$(BIN)/python bench/run.py
