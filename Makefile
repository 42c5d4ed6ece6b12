# Fitness: the two commands a new user needs are `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
# Where `make run` serves: `make run PORT=8101` (or HOST=0.0.0.0). Exported, so that the default
# SITE_URL (fitness/settings.py) follows them and emails link to the right port.
export HOST ?= 127.0.0.1
export PORT ?= 8000
# Where `make emulator` listens: `make emulator EMULATOR_PORT=8766`.
EMULATOR_PORT ?= 8765
# Every target here is for a developer's machine, so each asks for DEBUG (fitness/settings.py
# leaves it off unless asked, and with it off needs a SECRET_KEY). A DEBUG you export wins.
export DEBUG ?= 1
# `make run` loads the demo into an empty site (fitness/articles/demo/loading.py); DEMO=0 skips it.
DEMO ?= 1

.PHONY: run test install install-dev migrate demo superuser lint format bench emulator worker clean css lighthouse

# The venv is rebuilt only when the requirement files change, so a second `make run` is fast.
$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(PIP) install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

# The system checks (Akismet's W001 among them) are said once, by runserver, not by each step.
migrate: install
	$(PY) manage.py migrate --no-input --skip-checks

# The command this runs is the one tests/test_first_day.py runs on an imported site.
demo: migrate
ifeq ($(DEMO),0)
	@echo "DEMO=0: the demo is skipped."
else
	$(PY) manage.py load_demo
endif

run: demo
	@echo ""
	@echo "  Fitness is running at http://$(HOST):$(PORT)/"
	@echo "  Admin: http://$(HOST):$(PORT)/admin/  (create a login with: make superuser)"
	@echo "  Another port: make run PORT=8101"
	@echo ""
	@# The scheduler (Akismet rechecks, spam purge, digests, retention) runs beside the server
	@# and stops with it; tasks run inline (TASKS_BACKEND=immediate), so nothing else is needed.
	$(PY) manage.py run_scheduler & scheduler=$$!; \
	trap 'kill $$scheduler 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver $(HOST):$(PORT)

superuser: migrate
	$(PY) manage.py createsuperuser

# The suite runs on one pytest-xdist worker per core (`make test PYTEST_WORKERS=0`: in this
# process alone); each worker runs its share in the order pytest-django gives (the tests that
# empty the database last).
PYTEST_WORKERS ?= auto
test: install-dev
	$(VENV)/bin/pytest -n $(PYTEST_WORKERS)

lint: install-dev node_modules/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	npx --no-install eslint static/js

format: install-dev
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

bench: install-dev
	$(PY) bench/run_all.py

# Node is a developer's tool here, never the site's: PurgeCSS cuts Bootstrap down to what the
# templates use (static/css/bootstrap.site.css is committed), Lighthouse audits the pages,
# ESLint reads static/js (eslint.config.mjs) for `make lint`.
node_modules/.installed: package.json package-lock.json
	npm ci --no-fund --no-audit --silent
	touch $@

css: install node_modules/.installed
	node tools/build_css.mjs

lighthouse: install node_modules/.installed
	bash bench/lighthouse.sh

emulator: install
	$(PY) -m tools.akismet_emulator --port $(EMULATOR_PORT)

worker: migrate
	$(PY) manage.py db_worker

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache test-artifacts node_modules
