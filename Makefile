# One-word tasks, in the order a newcomer runs them. See README.md.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PAINPATH := $(BIN)/painpath
DEMO_DIR := var/demo-extract
HOST ?= 127.0.0.1:8000

.PHONY: demo test check bench install messages clean

$(BIN)/activate: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(BIN)/activate

install: $(BIN)/activate

# Made once and never again: new keys would make every patient a stranger to the database.
.env: | $(BIN)/activate
	test -f .env || ( umask 077; \
	  echo "# painpath keys for this checkout. Keep them: without them the encrypted" > .env; \
	  echo "# personnummer cannot be read. Never commit this file." >> .env; \
	  $(BIN)/python -m painpath keys >> .env )

demo: install .env  ## venv, keys, database, a synthetic clinic, the server with demo logins
	$(PAINPATH) migrate --verbosity 0
	$(PAINPATH) synth clinic --out $(DEMO_DIR) --seed 1
	$(PAINPATH) import $(DEMO_DIR) || test $$? -eq 3
	$(PAINPATH) demousers --clinic habo --name 'Habo vårdcentral (syntetisk)'
	$(PAINPATH) demopathway --clinic habo
	$(PAINPATH) democare --clinic habo
	$(PAINPATH) demoimprovement --clinic habo
	@echo "painpath körs på http://$(HOST)/ — avsluta med Ctrl+C"
	PAINPATH_DEBUG=1 $(PAINPATH) runserver $(HOST)

test: install  ## the whole suite (DATABASE_URL selects PostgreSQL)
	$(BIN)/pytest

check: install  ## lint, format check, then the suite
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m django check --settings=tests.settings
	$(MAKE) test

bench: install  ## region-scale timings against baselines; figures go to benchmarks/README.md
	$(BIN)/python -m benchmarks

messages: install  ## refresh the English catalogue after changing UI text (needs gettext)
	cd painpath && ../$(PAINPATH) makemessages -l en --ignore 'management/*' --no-location
	@echo "Translate the new entries in painpath/locale/en/LC_MESSAGES/django.po, then:"
	@echo "  cd painpath && ../$(PAINPATH) compilemessages -l en"

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache *.egg-info
