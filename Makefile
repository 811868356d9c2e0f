# Two entry points: `make run` (the app, on demo data) and `make test` (every check).
# Both create .venv and install into it on first use.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
DEMO_DIR ?= $(CURDIR)/.demo-data
COVERAGE_FLOOR ?= 92
# The app alone for `make run`; the test and build tools on top for `make test` and `make package`.
# Every install is held to the versions in constraints.txt, so a build is reproducible.
APP_STAMP := $(VENV)/.installed-app
STAMP := $(VENV)/.installed-test
PIP_INSTALL := $(BIN)/python -m pip install --quiet --constraint constraints.txt

.PHONY: run test lint install package screenshots mutation constraints clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit("Python 3.11 or newer is needed; found " + sys.version.split()[0]) if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)

$(APP_STAMP): pyproject.toml setup.py constraints.txt | $(BIN)/python
	$(PIP_INSTALL) -e .
	@touch $(APP_STAMP)

$(STAMP): $(APP_STAMP)
	$(PIP_INSTALL) -e '.[test]'
	@touch $(STAMP)

install: $(STAMP)

run: $(APP_STAMP)
	$(BIN)/amie-desktop --data-dir "$(DEMO_DIR)" demo --if-empty
	$(BIN)/amie-desktop --data-dir "$(DEMO_DIR)"

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache

# axe-core, which the phone station's browser tests inject into each page, from npm's lock file.
AXE := tests/web/node_modules/axe-core/axe.min.js
$(AXE): tests/web/package.json tests/web/package-lock.json
	@if command -v npm >/dev/null; then npm ci --prefix tests/web --no-audit --no-fund --silent; \
	else echo "npm was not found: the phone station's accessibility checks will be skipped"; fi

# Coverage of amie_desktop is measured on every run; below the floor the run fails.
test: lint $(AXE)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest --cov=amie_desktop --cov-report=term:skip-covered --cov-fail-under=$(COVERAGE_FLOOR)

# A self-contained app folder in dist/amie-desktop (for this system: Linux, Windows or macOS).
package: $(STAMP)
	$(BIN)/pyinstaller --noconfirm --clean --log-level WARN \
		--distpath dist --workpath build/pyinstaller packaging/amie-desktop.spec
	@echo "Built dist/amie-desktop/amie-desktop"

# Mutation testing of domain/ and services/ (mutmut): each mutant of the code is run against the
# unit and report tests; a mutant that no test notices is listed as "survived". Bounded by
# MUTATION_MINUTES (the run stops there and `make mutation` again carries on where it was);
# MUTANTS narrows it, e.g. MUTANTS='amie_desktop.domain.*'. See docs/architecture.md for timings.
MUTATION_MINUTES ?= 120
MUTANTS ?=
mutation: $(STAMP)
	$(PIP_INSTALL) -e '.[mutation]'
	QT_QPA_PLATFORM=offscreen timeout --signal=INT $(MUTATION_MINUTES)m \
		$(BIN)/mutmut run --max-children 2 $(MUTANTS) || true
	$(BIN)/mutmut results
	$(BIN)/mutmut export-cicd-stats && cat mutants/mutmut-cicd-stats.json

# The user guide's pictures, from the real app on demo data.
screenshots: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python scripts/make_screenshots.py

# Write constraints.txt again from a fresh environment with every extra (after changing a dependency).
constraints:
	rm -rf build/constraints-venv
	$(PYTHON) -m venv build/constraints-venv
	build/constraints-venv/bin/python -m pip install --quiet '.[test]'
	{ echo '# Versions every install is held to (make install, make package, .ci/run). Regenerate with `make constraints`.'; \
	  build/constraints-venv/bin/python -m pip freeze --exclude amie-desktop; } > constraints.txt
	rm -rf build/constraints-venv

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .mypy_cache .ruff_cache
