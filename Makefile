# The front door: `make run` and `make test` are the whole set-up on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
UV := $(BIN)/uv
UV_VERSION := 0.13.8
PORT ?= 8000
export UV_PROJECT_ENVIRONMENT := $(VENV)

.PHONY: run test lint format install messages browser-tools migrate demo fixtures bench bench-quick bench-cluster bench-scale loadtest drills audit backup restore clean cluster cluster-stop cluster-test

# The stamp is rebuilt whenever the lock file changes, so `git pull` + `make run` just works.
$(VENV)/.installed: uv.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	test -x $(UV) || $(BIN)/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)
	# --inexact keeps uv itself, which the lock file does not list. --compile-bytecode: the
	# workers import .pyc files instead of compiling every module again at start (where
	# PYTHONDONTWRITEBYTECODE is set, each kept the compiler's 16 MiB peak in its RSS).
	$(UV) sync --frozen --inexact --quiet --compile-bytecode
	touch $@

install: $(VENV)/.installed

# axe-core for the accessibility tests (tests skip with a hint where npm or chromium is missing).
node_modules/.installed: package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		npm ci --no-audit --no-fund --silent && touch $@; \
	else echo "npm not found: the accessibility tests will be skipped"; fi

browser-tools: node_modules/.installed

migrate: install
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py load_demo

run: demo
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# ruff, and the import contracts in pyproject.toml (the layers of the apps).
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

# The admin's Vietnamese: gather the project's marked strings into locale/vi/LC_MESSAGES
# (django.po, and djangojs.po for static/admin/js; then translate what is new), and compile
# the .mo files, which are committed so that running the site needs no gettext. Needs GNU gettext (`apt-get install gettext`).
MESSAGES_ARGS := --no-location --no-obsolete --ignore=.venv --ignore=node_modules --ignore=tests --ignore=bench
messages: install
	$(BIN)/python manage.py makemessages -l vi $(MESSAGES_ARGS)
	$(BIN)/python manage.py makemessages -d djangojs -l vi $(MESSAGES_ARGS)
	$(BIN)/python manage.py compilemessages -l vi --ignore=.venv

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

test: install browser-tools lint
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python -m pytest

# Throughput and latency under production settings on PostgreSQL + Redis (see bench/run.py).
bench: install
	$(BIN)/python bench/run.py --count 100000 --seconds 10 $(BENCH_ARGS)

bench-quick: install
	$(BIN)/python bench/run.py --count 10000 --seconds 5 --output bench/results-quick.md

# The cluster's rows (bench/cluster.py, into bench/results-cluster.md): the front door with
# purge-on-change caching vs nginx's static file, the uncached article on two nodes vs one.
# Uses the running cluster (`make cluster`), or starts one and stops it after.
bench-cluster: install
	$(BIN)/python bench/cluster.py --seconds 10

# The uncached pages and the workers' memory at 10,000, 100,000 and 1,000,000 articles
# (bench/scale.py; the databases are grown once, ~17 min for the million on 2 cores).
bench-scale: install
	$(BIN)/python bench/scale.py --seconds 5 $(BENCH_ARGS)

# Regenerate fixtures/demo.json from the old site's exports: import them into a throw-away
# SQLite database, then dump what the import made. A maintainer tool (CI and the site never
# read SEEDS). Sections come from a migration, so articles name them by slug (natural key).
SEEDS ?= ../shared/seeds
DEMO_PUBLISHED_AT ?= 2026-02-10T09:00:00+07:00
fixtures: install
	set -e; tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	export DATABASE_URL="sqlite:///$$tmp/demo.sqlite3"; \
	$(BIN)/python manage.py migrate --noinput --verbosity 0; \
	$(BIN)/python manage.py import_articles --verbosity 0 --published-at "$(DEMO_PUBLISHED_AT)" "$(SEEDS)"; \
	$(BIN)/python manage.py dumpdata articles.tag articles.author articles.article \
		articles.articleauthor articles.taggedarticle --natural-foreign --indent 1 \
		--output fixtures/demo.json
	@echo "fixtures/demo.json regenerated from $(SEEDS)"

# Comments posted by many clients while others read: reports lost/duplicated/5xx.
loadtest: install
	$(BIN)/python bench/loadtest.py --clients 50 --comments 1000

# The reference deployment on this machine (deploy/cluster.py, docs/scaling.md): nginx in
# front of two app nodes, a PostgreSQL primary with a streaming standby, Redis, each on its
# own ports under .cluster/. `make cluster-test` runs tests/cluster/ against it.
cluster: install
	$(BIN)/python deploy/cluster.py start

cluster-stop: install
	$(BIN)/python deploy/cluster.py stop

cluster-test: install
	NEWSROOM_CLUSTER_REQUIRED=1 $(BIN)/python -m pytest -p no:cacheprovider -m cluster tests/cluster

# Fault drills against the production shape started under /tmp/drills (own PostgreSQL, Redis,
# gunicorn, nginx) and the embedded default; exit 1 when a promise breaks (docs/reliability.md).
drills: install
	$(BIN)/python tests/reliability/drills.py --output docs/reliability-results.md

# Lighthouse, page weight and CLS on the demo site under production settings (not in CI:
# scores move with machine load).
audit/node_modules/.installed: audit/package-lock.json
	npm ci --prefix audit --no-audit --no-fund --silent && touch $@

audit: install audit/node_modules/.installed
	$(BIN)/python audit/run.py
# Database content and media files in one archive (see docs/backup.md).
backup: install
	$(BIN)/python manage.py backup $(if $(FILE),--output $(FILE))

# make restore FILE=backups/newsroom-....tar.gz   (into an empty, migrated database)
restore: migrate
	test -n "$(FILE)" || { echo "usage: make restore FILE=backups/newsroom-....tar.gz"; exit 2; }
	$(BIN)/python manage.py restore $(FILE)

clean:
	rm -rf $(VENV) node_modules staticfiles .pytest_cache
