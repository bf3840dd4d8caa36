# The two commands: `make run` serves the application, `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint format bench install lock clean

# Every Python package comes pinned from the lock (requirements/dev.txt: runtime and dev;
# the image installs requirements/runtime.txt); the project itself is installed editable
# without dependencies. A change to the lock or pyproject.toml reinstalls.
LOCK_RUNTIME := requirements/runtime.txt
LOCK_DEV := requirements/dev.txt

$(STAMP): pyproject.toml $(LOCK_RUNTIME) $(LOCK_DEV)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -r $(LOCK_DEV)
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch node_modules/.installed

install: $(STAMP) node_modules/.installed

run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo_data
	@echo "Samverkan körs på http://127.0.0.1:8000 (avsluta med Ctrl-C)"
	$(BIN)/python manage.py runserver 127.0.0.1:8000

test: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# The benchmark owns its database (created, migrated and filled when missing); override
# BENCH_DATABASE_URL / BENCH_REDIS_URL for another server. Figures: artifacts/bench.json.
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/samverkan_bench
BENCH_REDIS_URL ?= redis://127.0.0.1:6379/0

bench: install
	@DATABASE_URL=$(BENCH_DATABASE_URL) REDIS_URL=$(BENCH_REDIS_URL) \
		$(BIN)/python manage.py benchmark $(BENCH_ARGS)

# Regenerates the lock from pyproject.toml after a dependency changed there. Pins that still
# fit are kept; `make lock LOCK_ARGS=--upgrade` moves every pin to the newest allowed.
# The dev lock is constrained by the runtime lock, so both install the same versions.
PIP_COMPILE := $(BIN)/pip-compile --quiet --strip-extras --allow-unsafe \
	--no-emit-index-url --no-emit-find-links $(LOCK_ARGS)

lock: install
	$(PIP_COMPILE) --output-file $(LOCK_RUNTIME) pyproject.toml
	$(PIP_COMPILE) --extra dev --constraint $(LOCK_RUNTIME) --output-file $(LOCK_DEV) pyproject.toml

clean:
	rm -rf $(VENV) node_modules db.sqlite3 staticfiles
