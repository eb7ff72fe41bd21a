# Two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= $(or $(SCREENING_HOST),127.0.0.1)
PORT ?= $(or $(SCREENING_PORT),5000)
WORKERS ?= 2

.PHONY: run test lint serve clean translations

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed

# The interface's words in each language: the catalogs (translations/<code>/LC_MESSAGES/
# messages.po, edited by translators) compiled into what the app reads (.mo, not in git).
CATALOGS := $(wildcard translations/*/LC_MESSAGES/messages.po)
COMPILED := $(CATALOGS:.po=.mo)
translations/%/LC_MESSAGES/messages.mo: translations/%/LC_MESSAGES/messages.po $(VENV)/.installed
	$(BIN)/pybabel compile --statistics -d translations -l $*

translations: $(VENV)/.installed  ## Extract the interface's words and update every catalog
	$(BIN)/pybabel extract -F pyproject.toml -k _l -o translations/messages.pot --sort-by-file \
	  --msgid-bugs-address="" --project="Ketamine use check" .
	$(BIN)/pybabel update -i translations/messages.pot -d translations --ignore-obsolete

run: $(VENV)/.installed $(COMPILED)  ## Start the development server on http://$(HOST):$(PORT)
	SCREENING_HOST=$(HOST) SCREENING_PORT=$(PORT) $(BIN)/python run.py

# The browser tests' tools from npm: HTML_CodeSniffer (beside axe), html-validate, Lighthouse.
# Without npm their tests are skipped with the reason (in CI they fail instead).
ENGINE := tests/browser/node_modules/.installed
$(ENGINE): tests/browser/package.json tests/browser/package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
	  cd tests/browser && npm ci --no-audit --no-fund --loglevel=error && touch node_modules/.installed; \
	else echo "npm not found: the tests that need its tools will be skipped"; fi

test: $(VENV)/.installed-test $(ENGINE) $(COMPILED)  ## Lint, then run every test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest

lint: $(VENV)/.installed-test
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

serve: $(VENV)/.installed $(COMPILED)  ## Production: gunicorn; needs SCREENING_SECRET_KEY
	$(BIN)/gunicorn --workers $(WORKERS) --bind $(HOST):$(PORT) --preload 'screening:create_app()'

.PHONY: bench
bench: $(VENV)/.installed  ## Load test under gunicorn vs a bare Flask app; e.g. BENCH_ARGS="--workers 4"
	$(BIN)/python bench/load.py $(BENCH_ARGS)
	$(BIN)/python bench/inprocess.py
	$(BIN)/python bench/result_height.py
	$(BIN)/python bench/stats_page.py

clean:
	rm -rf $(VENV)
