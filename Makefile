# Kabinet developer tasks. `make` (or `make help`) lists them.
# Everything runs from the project's .venv (made by scripts/bootstrap.sh); nothing global is used.

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

BIN := .venv/bin
PROFILE ?= all
TEST_SETTINGS := kabinet.config.settings.test
# mypy: the kernel whole, and every domain's reads and writes (STYLE.md)
MYPY_DOMAIN := $(filter-out src/kabinet/core/% src/kabinet/identity/%,$(sort $(wildcard \
  src/kabinet/*/services.py src/kabinet/*/selectors.py src/kabinet/customers/account_*.py \
  src/kabinet/notifications/broadcast_*.py src/kabinet/notifications/template_*.py)))

.PHONY: help install dev-env demo test lint fmt check bench bench-load messages audit cluster-smoke

help: ## list the targets
	@echo "Kabinet — make targets:"
	@grep -E '^[a-z][a-z-]*:.*## ' $(MAKEFILE_LIST) | sed -E 's/^([a-z-]+):.*## (.*)/  \1\t\2/' | expand -t 14
	@echo "Variables: PROFILE=$(PROFILE) (for demo)"

install: ## set up system packages + .venv with the runtime lock (scripts/bootstrap.sh)
	scripts/bootstrap.sh

dev-env: ## set up system packages + .venv with the dev lock (scripts/bootstrap.sh --dev)
	scripts/bootstrap.sh --dev

demo: install ## migrate, load demo data, serve on 127.0.0.1:8000 (PROFILE=all|...)
	$(BIN)/kabinet demo --profile $(PROFILE)

test: ## the test suite on SQLite, then on a throwaway PostgreSQL (scripts/test.sh)
	scripts/test.sh

cluster-smoke: dev-env ## the distributed mode on loopback: PostgreSQL, Redis, S3, 2 app servers + nginx, 2 workers (docs/deploy.md)
	scripts/cluster-smoke.sh

lint: dev-env ## ruff check, ruff format --check, djlint --check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/djlint --check src/kabinet

fmt: dev-env ## ruff format, ruff check --fix, djlint --reformat
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .
	$(BIN)/djlint --reformat src/kabinet

check: dev-env lint ## lint + missing migrations + import layers + mypy
	DJANGO_SETTINGS_MODULE=$(TEST_SETTINGS) $(BIN)/python manage.py makemigrations --check --dry-run
	PYTHONPATH=src $(BIN)/lint-imports
	$(BIN)/mypy src/kabinet/core src/kabinet/identity $(MYPY_DOMAIN)

# Benchmarks (benchmarks/README.md): pytest-benchmark, on SQLite, in one process (xdist would
# switch them off). Not part of `make test` (outside pyproject's testpaths) nor of CI.
bench: dev-env ## time key pages and services on SQLite (pytest-benchmark; benchmarks/README.md)
	env -u DJANGO_SETTINGS_MODULE DATABASE_URL=sqlite:///$(CURDIR)/var/bench-kabinet.sqlite3 \
	  $(BIN)/pytest -p no:xdist benchmarks \
	  --benchmark-columns=min,median,max,rounds --benchmark-sort=name

# The load benchmark (benchmarks/load/README.md): generated data (the run's size and 1,000 accounts,
# for the queries column), gunicorn with the production settings, wrk against the customer pages,
# the POST journeys and the floor page; writes docs/performance.md (the new run on top). Minutes
# long, machine-dependent: not part of `make test`. Sizes and database:
#   make bench-load ACCOUNTS=100000 MONTHS=12 REQUESTS=200000 DB=postgresql
# DB=postgresql starts a throwaway cluster (scripts/pg.sh, port BENCH_PGPORT=55440) unless
# DATABASE_URL names a PostgreSQL server (databases kabinet_load and kabinet_load_1000 are re-created there).
ACCOUNTS ?= 10000
MONTHS ?= 12
REQUESTS ?= 20000
CLIENTS ?= 1,10,50
SECONDS ?= 5
DB ?= sqlite
bench-load: dev-env ## load benchmark with wrk against gunicorn (DB=sqlite|postgresql; benchmarks/load/README.md)
	@command -v wrk >/dev/null || { echo "bench-load: wrk is not installed (Debian: sudo apt-get install wrk, or scripts/bootstrap.sh --dev as root)" >&2; exit 1; }
	ACCOUNTS=$(ACCOUNTS) MONTHS=$(MONTHS) REQUESTS=$(REQUESTS) CLIENTS=$(CLIENTS) SECONDS=$(SECONDS) DB=$(DB) \
	  benchmarks/load/bench.sh

# Release step, not CI: pip-audit asks its vulnerability service (PyPI's advisory data) over the
# network about every pinned, hashed package of both lock files (runtime and dev).
audit: dev-env ## known vulnerabilities in requirements/*.txt (pip-audit; needs the network)
	$(BIN)/pip-audit --disable-pip --require-hashes --progress-spinner off \
	  -r requirements/base.txt -r requirements/dev.txt

messages: dev-env ## makemessages -l en over src/kabinet, then compilemessages
	cd src/kabinet && KABINET_HOME=$(CURDIR) DJANGO_SETTINGS_MODULE=$(TEST_SETTINGS) \
	  $(CURDIR)/$(BIN)/python $(CURDIR)/manage.py makemessages -l en --ignore='static/vendor/*'
	DJANGO_SETTINGS_MODULE=$(TEST_SETTINGS) $(BIN)/python manage.py compilemessages --ignore=.venv
