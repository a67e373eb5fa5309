# CCHC Inspect: `make run` starts the application with demo data; `make test` runs the whole suite.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip --disable-pip-version-check -q
MANAGE := $(PY) manage.py
PORT ?= 8000
VAR_DIR ?= var
PIP_VERSION := 26.3

.PHONY: run test lint bench bench-units bench-search bench-load bench-scoring bench-notifications messages clean install install-test prod-check lock audit

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install "pip==$(PIP_VERSION)"

# Installs exactly the locked files (hashes checked); `make lock` regenerates the locks from requirements*.txt.
$(VENV)/.installed: requirements.lock constraints-build.txt | $(VENV)/bin/python
	$(PIP) install --require-hashes --build-constraint constraints-build.txt -r requirements.lock
	touch $@

$(VENV)/.installed-test: requirements-test.lock $(VENV)/.installed
	$(PIP) install --require-hashes --build-constraint constraints-build.txt -r requirements-test.lock
	touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

## run: set up and start the web server, one Celery worker and the beat on SQLite and a local queue
run: export DEBUG = true
run: export CELERY_BEAT_ENABLED = true
run: install
	mkdir -p $(VAR_DIR)/media $(VAR_DIR)/mail $(VAR_DIR)/celery/queue $(VAR_DIR)/celery/processed $(VAR_DIR)/celery/control
	$(MANAGE) migrate --no-input
	DEBUG=true $(MANAGE) compile_translations
	$(MANAGE) import_units
	$(MANAGE) load_demo
	@echo ""
	@echo "  CCHC Inspect: http://127.0.0.1:$(PORT)/"
	@echo "  Demo logins (password: demo): admin, secretariat, lead, inspector, viewer,"
	@echo "  commune_a, commune_a_lead, commune_b. E-mails are written to $(VAR_DIR)/mail/."
	@echo "  Ctrl-C stops the server, the worker and the beat."
	@echo ""
	@trap 'kill 0' INT TERM EXIT; \
	$(VENV)/bin/celery -A cchc_inspect worker --loglevel=INFO --concurrency=1 & \
	$(VENV)/bin/celery -A cchc_inspect beat --loglevel=INFO --schedule=$(VAR_DIR)/celery/beat-schedule & \
	$(MANAGE) runserver 127.0.0.1:$(PORT)

## test: set up, start PostgreSQL and Redis, and run the whole suite against PostgreSQL
test: install-test
	bash .ci/system-deps.sh
	bash .ci/services.sh
	DEBUG=true $(MANAGE) compile_translations
	$(VENV)/bin/ruff check .
	$(VENV)/bin/pytest

lint: install-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

## messages: refresh the translation catalogues after changing user-facing text
messages: install
	DEBUG=true $(MANAGE) makemessages -l vi -l en --ignore=.venv --ignore=var --no-obsolete --add-location=file
	DEBUG=true $(MANAGE) compile_translations

## lock: pin every package, transitive included, with its hash (after changing requirements*.txt or a merge)
lock: | $(VENV)/bin/python
	$(PY) .ci/lock.py

## audit: bandit on the source, pip-audit on the locked packages (says plainly when its service is unreachable)
audit: install-test
	$(PY) .ci/audit.py

## prod-check: `check --deploy` with the production values of .env.example; fails on any warning
prod-check: install
	PY=$(PY) bash .ci/prod-check.sh

bench: install-test
	bash .ci/services.sh
	$(PY) bench/report_bench.py

## bench-search: the search, the filtered lists and the largest gaps at province scale (150 communes, PostgreSQL)
bench-search: install-test
	bash .ci/services.sh
	$(PY) bench/search_bench.py
## bench-notifications: 7-day reminders of a 150-commune round (450 people): worker under 30 s, queries flat
bench-notifications: install-test
	bash .ci/services.sh
	$(PY) bench/notifications_bench.py

## bench-units: time and peak memory of importing the official unit register (goal: 60 s, 500 MB)
bench-units: install
	bash .ci/services.sh
	$(PY) bench/units_bench.py

## bench-load: the national database (34 provinces, 3,321 communes, 3 years), CPU per page, then locust's
## 20 users against gunicorn on 127.0.0.1 (goals: p95 150 ms, p99 400 ms, 40 requests/s, 60 ms CPU per page)
BENCH_VENV := var/bench-venv
$(BENCH_VENV)/.installed: requirements-bench.txt
	$(PYTHON) -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/pip --disable-pip-version-check -q install -r requirements-bench.txt
	touch $@

bench-load: install $(BENCH_VENV)/.installed
	bash .ci/services.sh
	DEBUG=true $(MANAGE) compile_translations
	cd bench && ../$(PY) national.py --load $(BENCH_ARGS)
## bench-scoring: every total of a 150-commune round with the whole scoring method (goal: 0,5 s, constant queries)
bench-scoring: install-test
	bash .ci/services.sh
	$(PY) bench/scoring_bench.py

clean:
	rm -rf $(VENV) var
