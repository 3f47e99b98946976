# Two commands: `make demo` sets everything up and serves the demo shop; `make test` runs the suite.
# `make faults` runs the fault suite (faults/, see the README).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000

.PHONY: demo test faults lint setup bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.runtime: requirements.txt pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

$(VENV)/.test: requirements-test.txt $(VENV)/.runtime
	$(BIN)/pip install --quiet -r requirements-test.txt
	touch $@

setup: $(VENV)/.runtime

demo: $(VENV)/.runtime
	PORT=$(PORT) $(BIN)/yongxu demo

test: $(VENV)/.test
	$(BIN)/ruff check .
	$(BIN)/python -m yongxu.cli makemigrations --check --dry-run >/dev/null
	if command -v msgfmt >/dev/null; then for po in yongxu/locale/*/LC_MESSAGES/django.po; do msgfmt --check-format -o - "$$po" | cmp -s - "$${po%.po}.mo" || { echo "$${po%.po}.mo is stale: run compilemessages and commit it"; exit 1; }; done; fi
	$(BIN)/pytest -n 2 $(PYTEST_ARGS)

# The fault suite: its own PostgreSQL, Redis and SMTP sink on free loopback ports; kills and hangs them.
faults: $(VENV)/.test
	$(BIN)/pytest -c faults/pytest.ini faults $(PYTEST_ARGS)

lint: $(VENV)/.test
	$(BIN)/ruff check .

bench: $(VENV)/.test
	$(BIN)/python bench/checkout.py

clean:
	rm -rf $(VENV) var
