# OCOP Market — the two commands a newcomer needs are `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/ocop_market
TEST_REDIS_URL ?= redis://127.0.0.1:6379/0
# The address links and certificate QR codes point at; every command `make run` starts gets it.
PUBLIC_URL ?= http://$(HOST):$(PORT)
RUN_ENV = PUBLIC_URL=$(PUBLIC_URL)
# The browser tests' screenshots, kept as test artefacts.
SCREENSHOTS ?= $(CURDIR)/tests/artefacts/screenshots

.PHONY: install run marketplaces test bench lint services test-tools map

$(STAMP): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $(STAMP)

install: $(STAMP)

## run: the demo shop on the embedded default (SQLite, local media, in-process tasks).
run: install
	$(RUN_ENV) $(BIN)/python manage.py migrate --noinput
	$(RUN_ENV) $(BIN)/python manage.py populatedb
	$(RUN_ENV) $(BIN)/python manage.py collectstatic --noinput --verbosity 0
	$(RUN_ENV) $(BIN)/python manage.py runserver $(HOST):$(PORT)

## marketplaces: the demo shop with the local Shopee, Lazada, TikTok Shop and Tiki (ports
## 8601-8604) connected to the demo producers' shops: a shop order changes the stock on all four.
marketplaces: install
	$(RUN_ENV) $(BIN)/python manage.py migrate --noinput
	$(RUN_ENV) $(BIN)/python manage.py populatedb
	$(RUN_ENV) $(BIN)/python manage.py collectstatic --noinput --verbosity 0
	$(RUN_ENV) $(BIN)/python manage.py marketplace_sandbox $(HOST):$(PORT)

## services: start PostgreSQL and Redis when they are down (as the machines run them).
services:
	@pg_isready -q -h 127.0.0.1 -p 5432 || pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql) main start
	@for i in $$(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
	@redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 || redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no
	@for i in $$(seq 1 30); do redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && break; sleep 1; done

## test-tools: Debian's chromium for the Playwright tests (never `playwright install`) and, where
## a docker client exists without compose, Debian's docker-compose to check docker-compose.yml.
test-tools:
	@test -x /usr/bin/chromium || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null)
	@if command -v docker >/dev/null && ! docker compose version >/dev/null 2>&1 && ! command -v docker-compose >/dev/null; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker-compose >/dev/null; fi

## test: the whole suite on PostgreSQL and Redis.
test: install services test-tools
	DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) \
		STOREFRONT_SCREENSHOTS=$(SCREENSHOTS) \
		$(BIN)/python -m pytest $(PYTEST_ARGS)

## bench: speed figures on PostgreSQL with generated catalogues (each bench has its own database).
bench: install services
	$(BIN)/python bench/catalog_api.py
	$(BIN)/python bench/search.py
	$(BIN)/python bench/flash_sale.py
	$(BIN)/python bench/office_dashboard.py
	$(BIN)/python bench/photo_upload.py
	$(BIN)/python bench/sync.py
	$(BIN)/python bench/livestream.py
	$(BIN)/python bench/storefront.py

## map: rebuild the map of the 34 provinces from the pinned geodata packages (needs npm).
map: install
	$(BIN)/python manage.py build_province_map

lint: install
	$(BIN)/ruff check .
	$(BIN)/lint-imports
