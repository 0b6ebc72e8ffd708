# vanban: every target installs what it needs, so a fresh machine only needs `make demo` / `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# fonts: Liberation Serif 2 (every Vietnamese glyph), DejaVu Serif Condensed (a narrow face
# with every glyph) and URW Z003 (pen-written digits) for
# the sample generator the tests use
# jbig2dec: pypdf decodes JBIG2-compressed scans with it (bilevel archive scans)
# postgresql: the test suite starts a throwaway server to run the store tests on it too
# chromium: the browser tests of vanban serve (Playwright drives it)
# libjs-pdf: pdf.js, the viewer the searchable-PDF test selects text in (in chromium)
APT_PKGS := tesseract-ocr tesseract-ocr-vie poppler-utils jbig2dec fonts-liberation2 fonts-dejavu-core fonts-dejavu-extra fonts-urw-base35 postgresql chromium libjs-pdf

.PHONY: all setup sysdeps test test-slow test-all demo lint samples heldout bench eval clean screenshots

all: setup

# Debian packages, installed only when something is missing (no network needed otherwise).
sysdeps:
	@missing=""; \
	command -v tesseract >/dev/null 2>&1 || missing="$$missing tesseract-ocr"; \
	tesseract --list-langs 2>/dev/null | grep -qx vie || missing="$$missing tesseract-ocr-vie"; \
	command -v pdftoppm >/dev/null 2>&1 || missing="$$missing poppler-utils"; \
	command -v jbig2dec >/dev/null 2>&1 || missing="$$missing jbig2dec"; \
	[ -f /usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf ] || missing="$$missing fonts-liberation2"; \
	[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing="$$missing fonts-dejavu-core"; \
	[ -f /usr/share/fonts/truetype/dejavu/DejaVuSerifCondensed.ttf ] || missing="$$missing fonts-dejavu-extra"; \
	[ -f /usr/share/fonts/opentype/urw-base35/Z003-MediumItalic.otf ] || missing="$$missing fonts-urw-base35"; \
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$$missing postgresql"; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	[ -f /usr/share/javascript/pdf/web/viewer.html ] || missing="$$missing libjs-pdf"; \
	if [ -n "$$missing" ]; then \
	  echo "apt: installing$$missing"; \
	  $(SUDO) apt-get update -qq && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(APT_PKGS); \
	fi

$(STAMP): pyproject.toml
	[ -x $(BIN)/python ] || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

setup: sysdeps $(STAMP)

# make test stays under 15 minutes on 2 cores: the long end-to-end suites (marked slow:
# the README's commands, concurrency, page fuzzing, whole-folder ingests) run as test-slow,
# which CI runs after it (.ci/run); make test-all runs both.
test: setup
	$(BIN)/ruff check pipeline extractors models scripts tests
	$(BIN)/pytest -q -m "not slow"

test-slow: setup
	$(BIN)/pytest -q -m slow

test-all: test test-slow

demo: setup
	rm -f demo.db
	$(BIN)/vanban ingest data/samples --db sqlite:///demo.db
	@echo
	$(BIN)/vanban query documents --db sqlite:///demo.db
	@echo
	@echo "In a browser: $(BIN)/vanban serve --db sqlite:///demo.db   (then open http://127.0.0.1:8000/)"

# the README's pictures of vanban serve, from demo.db
screenshots: demo
	$(BIN)/python scripts/screenshots.py --db sqlite:///demo.db docs/screenshots

samples: setup
	$(BIN)/python scripts/make_samples.py data/samples

eval: setup heldout
	$(BIN)/vanban eval data/samples
	$(BIN)/vanban eval build/heldout
	$(BIN)/vanban eval build/heldout-text
	$(BIN)/vanban eval build/heldout-photocopy
	$(BIN)/vanban eval build/heldout-noisy
	$(BIN)/vanban eval ../shared/real
	$(BIN)/vanban eval ../shared/seeds

# 40 documents with tables of every layout and 40 other engines' text exports, from seeds
# no rule was written against (development used 11 and 12), and 24 pages of each harsh
# profile (a copier's, a dirty scanner's; development used seed 31): rendered, not committed
heldout: setup
	rm -rf build/heldout build/heldout-text build/heldout-photocopy build/heldout-noisy
	$(BIN)/python scripts/make_samples.py build/heldout --varied 40 --seed 2027 > /dev/null
	$(BIN)/python scripts/make_samples.py build/heldout-text --text 40 --seed 2028 > /dev/null
	$(BIN)/python scripts/make_samples.py build/heldout-photocopy --varied 24 --seed 2029 --harsh photocopy > /dev/null
	$(BIN)/python scripts/make_samples.py build/heldout-noisy --varied 24 --seed 2029 --harsh noisy > /dev/null

# The speed benchmark compares with stock ocrmypdf, so it installs it (pyvi is a main dependency).
bench: setup
	@command -v ocrmypdf >/dev/null 2>&1 || ($(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ocrmypdf)
	$(BIN)/pip install -q -e '.[bench]'
	$(BIN)/python scripts/bench.py data/samples
	$(BIN)/python scripts/bench_restore.py

lint: setup
	$(BIN)/ruff check pipeline extractors models scripts tests

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache demo.db build
