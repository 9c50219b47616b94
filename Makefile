# Two commands do everything: `make run` and `make test`. See README.md.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

# The embedded default runs in debug mode; production sets DJANGO_DEBUG=0 and its own secrets.
export DJANGO_DEBUG ?= 1

.PHONY: run test install install-test messages lint worker beat clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[test]"
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

# Compiled catalogues are build output, not source: made here, ignored by git.
messages: install
	$(BIN)/python manage.py compilemessages --ignore=.venv --verbosity 0

run: install messages
	$(BIN)/python manage.py migrate --no-input --verbosity 0
	$(BIN)/python manage.py load_demo
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

test: install-test messages
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install-test
	$(BIN)/ruff check .

worker: install
	$(BIN)/celery -A okxcommunity worker -Q default --loglevel INFO \
		--without-gossip --without-mingle --without-heartbeat

beat: install
	$(BIN)/celery -A okxcommunity beat --loglevel INFO

clean:
	rm -rf $(VENV) staticfiles media db.sqlite3
	find locale -name '*.mo' -delete
