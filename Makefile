# Two commands for a newcomer: `make run` and `make test`. Everything installs into .venv.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

WORKERS ?= 3

.PHONY: run test chromium install install-test migrate demo lint format migrations-check ci clean serve loadtest bench extract-eval

# Settings default to production (DEBUG off, DJANGO_SECRET_KEY required). The development targets
# run as a developer's machine unless the environment says otherwise; `serve` never does.
run demo migrate migrations-check: export DJANGO_DEBUG ?= 1

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed pyproject.toml
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

# A developer's checkout runs with DEBUG on (settings.read_env_file); production has no .env.
.env:
	printf '# Local settings for a developer machine (not used in production).\nDJANGO_DEBUG=1\n' > $@

install: $(VENV)/.installed .env

install-test: $(VENV)/.installed-test .env

migrate: install
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py load_demo

## run: install, migrate, load the demo data and serve on http://127.0.0.1:8000 (SQLite by default)
run: demo
	$(PY) manage.py ensure_admin --address $(HOST):$(PORT)
	$(PY) manage.py runserver $(HOST):$(PORT)

## test: install what the tests need and run the whole suite (set DATABASE_URL for PostgreSQL)
test: install-test chromium
	$(PY) -m pytest

# The browser tests drive Debian's chromium. Installed when missing and apt-get is usable as root;
# otherwise those tests are skipped and say why.
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    apt-get update -qq && apt-get install -y -qq chromium; \
	  else \
	    echo "chromium is not installed and apt-get needs root: the browser tests will be skipped"; \
	  fi; }

lint: install-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

format: install-test
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

migrations-check: install
	$(PY) manage.py makemigrations --check --dry-run

ci:
	bash .ci/run

## serve: production server: gunicorn, with whitenoise serving the collected static files.
## Needs the production environment (README, Operations): DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS …
serve: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput --verbosity 0
	$(VENV)/bin/gunicorn project.wsgi --bind $(HOST):$(PORT) --workers $(WORKERS) \
		--access-logfile - --timeout 120 --graceful-timeout 30

## loadtest: public pages under load on loopback while an import runs (see docs/performance.md)
loadtest: install-test
	$(PY) scripts/loadtest.py

$(VENV)/.installed-bench: $(VENV)/.installed-test pyproject.toml
	$(PY) -m pip install --quiet -e '.[test,bench]'
	touch $@

## bench: import, export, page and admin timings on a synthetic PostgreSQL database (not a test),
## then the public pages against Datasette on one SQLite file of 100k claims.
## DATABASE_URL defaults to postgres://postgres@127.0.0.1:5432/claims_bench, dropped and rebuilt.
## Larger run: make bench ARGS="--claims 1000000"; the comparison's: DATASETTE_ARGS="--rebuild".
## Figures: docs/performance.md.
bench: $(VENV)/.installed-bench .env
	$(PY) -m benchmarks.run $(ARGS)
	$(PY) -m benchmarks.datasette $(DATASETTE_ARGS)

## extract-eval: the extraction measured on the seed documents (gated by the targets) and the held-out ones (demo/heldout/, printed)
extract-eval: install
	$(PY) -m claims.evaluation

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
