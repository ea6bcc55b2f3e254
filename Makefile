# The two commands: `make run` runs the product, `make test` runs the tests.
# Each creates .venv from the lock file on first use; nothing else needs installing.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test test-clock install catalogues extract lint check-image bench clean

$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -c 'import sys; sys.exit("aftercare needs Python >= 3.11") if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check -r requirements.lock
	$(BIN)/pip install -q --disable-pip-version-check --no-deps -e .
	touch $(STAMP)

install: $(STAMP) catalogues

# What clients read, in their language: the catalogues compiled from bot/locales/*/*.po.
LOCALES := bot/locales
MO := $(patsubst %.po,%.mo,$(wildcard $(LOCALES)/*/LC_MESSAGES/aftercare.po))

catalogues: $(MO)

$(LOCALES)/%/LC_MESSAGES/aftercare.mo: $(LOCALES)/%/LC_MESSAGES/aftercare.po $(STAMP)
	$(BIN)/pybabel compile -d $(LOCALES) -D aftercare -l $*

# After changing a text in bot/texts/: the template, then each language's .po to translate.
extract: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg --no-location --sort-output \
		--omit-header -o $(LOCALES)/aftercare.pot .
	$(BIN)/pybabel update -i $(LOCALES)/aftercare.pot -d $(LOCALES) -D aftercare \
		--no-fuzzy-matching

run: $(STAMP) catalogues
	$(BIN)/aftercare db upgrade
	@$(BIN)/python -c 'from bot.config import Settings; s = Settings(); print("clinic console:", s.public_url if s.run_console else "off (RUN_CONSOLE=false)")'
	$(BIN)/aftercare run

test: $(STAMP) catalogues
	$(BIN)/pytest

# The date-sensitive tests again, the clock a year ahead and on the eve of a DST change (SQLite):
# a test that only passes on today's date fails the day it is written.
test-clock: $(STAMP) catalogues
	for clock in year dst; do \
		TEST_DATABASE_URL= AFTERCARE_SKIP_RASA=1 $(BIN)/pytest -q --clock $$clock \
			--ignore=tests/nlu --ignore=tests/taper || exit 1; \
	done

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

# What the Dockerfile installs (pyproject's runtime dependencies only) imports every module.
check-image: $(STAMP)
	$(BIN)/python scripts/check_image_imports.py

# Every bench (bench/README.md): about 15-20 minutes on 2 cores. Figures only, never a failure
# for a missed goal. The conversations at a human pace; under 20% faults on PostgreSQL only.
bench: $(STAMP)
	$(BIN)/python bench/dispatch.py
	$(BIN)/python bench/crash.py
	$(BIN)/python bench/conversation.py --think 5,15
	$(BIN)/python bench/conversation.py --think 5,15 --faults 0.2 --backends postgres
	$(BIN)/python bench/nlu.py
	if [ -f bench/console.py ]; then $(BIN)/python bench/console.py; fi
	$(BIN)/python bench/sign_in.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
