# Route Guide: `make run` serves the site locally; `make test` runs every check CI runs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
BROWSER_INSTALLED := $(VENV)/.installed-browser
# axe-core and Lighthouse, from npm, at the versions package-lock.json pins.
NODE_TOOLS := tools/browser
NODE_INSTALLED := $(NODE_TOOLS)/node_modules/.installed
# Local development runs with debug on and SQLite unless DATABASE_URL says otherwise.
DEV_ENV := DJANGO_DEBUG=1
# Tests run with debug off, as production does; the key is for tests only. Browsers and the
# test client speak plain HTTP to the test servers, where production has a TLS proxy in
# front: no redirect to HTTPS (tests/test_security.py checks it).
POSTGRES_URL := postgres://route_guide:route_guide@127.0.0.1:5432/route_guide
TEST_ENV := DJANGO_SECRET_KEY=test-only-not-secret DJANGO_ALLOWED_HOSTS=localhost \
	SITE_URL=https://routeguide.test DJANGO_SECURE_SSL_REDIRECT=0

.DEFAULT_GOAL := help
.PHONY: help install lock run migrate seed lint test test-postgres test-browser deploy-deps test-deploy browser-deps docs-screenshots bench-deps bench redis-deps test-redis loadtest clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

# Every dependency comes from a lock file in requirements/, pinned with hashes (make lock);
# the project itself is installed on top, without dependencies of its own choosing.
$(INSTALLED): requirements/development.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements/development.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(INSTALLED)

install: $(INSTALLED) ## Create .venv and install the project with its dev tools

LOCK := $(BIN)/uv pip compile pyproject.toml --universal --python-version 3.11 --generate-hashes \
	--quiet $(if $(UPGRADE),--upgrade)

lock: install ## Re-resolve requirements/*.txt after editing pyproject.toml (UPGRADE=1: newest allowed)
	$(LOCK) -o requirements/production.txt
	$(LOCK) --extra dev -c requirements/production.txt -o requirements/development.txt
	$(LOCK) --extra dev --extra browser -c requirements/development.txt -o requirements/browser.txt

migrate: install ## Apply database migrations
	$(DEV_ENV) $(BIN)/python manage.py migrate --noinput

seed: migrate ## Load the seed content into an empty database
	$(DEV_ENV) $(BIN)/python manage.py seed

run: seed ## Install, migrate, seed and serve on http://127.0.0.1:8000
	$(DEV_ENV) $(BIN)/python manage.py runserver 127.0.0.1:8000

lint: install ## ruff, hadolint, Django's system checks, missing migrations
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/hadolint Dockerfile
	$(TEST_ENV) $(BIN)/python manage.py check
	$(TEST_ENV) $(BIN)/python manage.py makemigrations --check --dry-run

test: lint ## Lint, then run the test suite (on DATABASE_URL, SQLite by default)
	$(TEST_ENV) $(BIN)/pytest -m "not postgres and not browser and not redis and not load and not deploy"

test-postgres: install ## Run the PostgreSQL-only tests (DATABASE_URL must be PostgreSQL)
	$(TEST_ENV) $(BIN)/pytest -m postgres

redis-deps: install ## Redis from Debian, for make test-redis
	@if ! command -v redis-server >/dev/null; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && apt-get install -y -qq redis-server >/dev/null; \
	  else \
	    echo "The Redis tests need Redis: sudo apt-get install redis-server" >&2; \
	    exit 1; \
	  fi; \
	fi

test-redis: redis-deps ## Two app processes sharing one Redis (DATABASE_URL must be PostgreSQL)
	$(TEST_ENV) $(BIN)/pytest -m redis

loadtest: redis-deps bench-deps ## 60 s of mixed load while editing; again with PostgreSQL restarted, with Redis stopped (root)
	@bash .ci/start-postgres >/dev/null || { echo "make loadtest needs PostgreSQL: .ci/start-postgres failed (run as root)" >&2; exit 1; }
	DATABASE_URL=$(POSTGRES_URL) $(TEST_ENV) $(BIN)/pytest -m load -s

$(BROWSER_INSTALLED): $(INSTALLED) requirements/browser.txt
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements/browser.txt
	touch $(BROWSER_INSTALLED)

$(NODE_INSTALLED): $(NODE_TOOLS)/package-lock.json
	@if ! command -v npm >/dev/null; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && apt-get install -y -qq npm >/dev/null; \
	  else \
	    echo "The browser tests need Node.js and npm: sudo apt-get install npm" >&2; \
	    exit 1; \
	  fi; \
	fi
	npm ci --prefix $(NODE_TOOLS) --no-audit --no-fund --silent
	touch $(NODE_INSTALLED)

browser-deps: $(BROWSER_INSTALLED) $(NODE_INSTALLED) ## Playwright, the HTML validator, axe-core, Lighthouse, Debian's Chromium and Java
	@if ! command -v chromium >/dev/null || ! command -v java >/dev/null; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && apt-get install -y -qq chromium default-jre-headless >/dev/null; \
	  else \
	    echo "The browser tests need Chromium and Java: sudo apt-get install chromium default-jre-headless" >&2; \
	    exit 1; \
	  fi; \
	fi

test-browser: browser-deps ## Headless Chromium: axe, Lighthouse, journeys, print, layout, valid HTML
	$(TEST_ENV) $(BIN)/pytest -m browser

docs-screenshots: browser-deps ## Retake the admin screenshots in docs/images (the review cycle)
	$(TEST_ENV) DOCS_SCREENSHOTS=1 $(BIN)/pytest -m browser tests/browser/test_review_cycle.py

deploy-deps: install ## nginx, systemd-analyze, openssl and sudo from Debian, for make test-deploy
	@if ! command -v nginx >/dev/null || ! command -v systemd-analyze >/dev/null \
	    || ! command -v openssl >/dev/null || ! command -v sudo >/dev/null; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && apt-get install -y -qq nginx systemd openssl sudo >/dev/null; \
	  else \
	    echo "The deploy checks need nginx, systemd, openssl and sudo: sudo apt-get install nginx systemd openssl sudo" >&2; \
	    exit 1; \
	  fi; \
	fi

test-deploy: deploy-deps ## nginx and the systemd units checked; docs/deploy.md followed on this machine (root; CI)
	$(TEST_ENV) $(BIN)/pytest -m deploy
	bash .ci/deploy-drill

bench-deps: install ## wrk and GNU time from Debian, for make bench
	@if ! command -v wrk >/dev/null || [ ! -x /usr/bin/time ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && apt-get install -y -qq wrk time >/dev/null; \
	  else \
	    echo "The benchmark needs wrk and GNU time: sudo apt-get install wrk time" >&2; \
	    exit 1; \
	  fi; \
	fi

bench: bench-deps browser-deps ## Load benchmark (gunicorn, wrk) on SQLite and PostgreSQL; Lighthouse performance
	@if bash .ci/start-postgres >/dev/null 2>&1; then \
	  BENCH_POSTGRES_URL=$(POSTGRES_URL) $(BIN)/python bench/load.py; \
	else \
	  echo "PostgreSQL could not be started (.ci/start-postgres needs root): SQLite only."; \
	  $(BIN)/python bench/load.py; \
	fi

clean: ## Remove the virtualenv, local database and collected static files
	rm -rf $(VENV) db.sqlite3 staticfiles $(NODE_TOOLS)/node_modules artefacts
