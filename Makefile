# TillHQ — every target bootstraps what it needs (Debian packages, .venv) by itself.
PY      := .venv/bin/python
STAMP   := .venv/.installed-$(shell sha1sum pyproject.toml | cut -c1-12)
BENCH   ?=
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: demo test bench lint system-deps screenshots clean

$(STAMP): pyproject.toml
	bash tools/system-deps.sh
	test -x $(PY) || python3 -m venv .venv
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	rm -f .venv/.installed-*; touch $(STAMP)

system-deps:
	bash tools/system-deps.sh

demo: $(STAMP)
	$(PY) -m tools.demo

test: $(STAMP)
	bash tools/system-deps.sh  # Chromium for tests/e2e/browser, even if .venv predates it
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q

bench: $(STAMP)
	$(PY) -m tests.bench.run $(if $(BENCH),--filter $(BENCH),)

lint: $(STAMP)
	$(PY) -m ruff check shared till hq_server tests tools

screenshots: $(STAMP)
	bash tools/system-deps.sh
	$(PY) -m tools.screenshots

clean:
	rm -rf .venv .demo .pytest_cache .ruff_cache
