# zh-pipeline: every source/NAME.txt and source/NAME.md -> dist/NAME.pdf and dist/NAME.epub.
#   make all | pdf | epub | test | check | clean
# Variables: PAGE=A5|A4|B5|16K (PDF page size, default A5), PYTHON (for the venv).

PYTHON ?= python3
PAGE ?= A5
VENV := .venv
PY := $(VENV)/bin/python
DIST := dist

RAW := $(sort $(wildcard source/*.txt))
MD := $(sort $(wildcard source/*.md))
NAMES := $(basename $(notdir $(RAW) $(MD)))
PDFS := $(NAMES:%=$(DIST)/%.pdf)
EPUBS := $(NAMES:%=$(DIST)/%.epub)

# What every output depends on besides its source: the pipeline's code, templates, styles.
CODE := $(shell find pipeline -name '*.py' -o -name '*.j2') pyproject.toml
PRINT_STYLES := styles/base.css styles/print.css $(wildcard styles/page-*.css)
EPUB_STYLES := styles/base.css styles/epub.css
ASSETS := $(shell find source -type f ! -name '*.txt' ! -name '*.md' ! -name '*.toml')

# The summary line of a raw article is printed once: by the PDF build when PDFs are made.
GOALS := $(or $(MAKECMDGOALS),all)
EPUB_FLAGS := $(if $(filter all pdf,$(GOALS)),--quiet,)

# Page size is part of a PDF's inputs: a stamp that changes only when PAGE does.
CONFIG := $(DIST)/.config-pdf
$(shell mkdir -p $(DIST) && (echo "PAGE=$(PAGE)" | cmp -s - $(CONFIG) || echo "PAGE=$(PAGE)" > $(CONFIG)))

.PHONY: all pdf epub test check clean golden
.DELETE_ON_ERROR:
.SECONDEXPANSION:

all: pdf epub
pdf: $(PDFS)
epub: $(EPUBS)

# Bootstrap: Debian packages (fonts, HarfBuzz subsetter), then the venv from pyproject.toml.
$(VENV)/.system: tools/bootstrap-system.sh
	@tools/bootstrap-system.sh
	@mkdir -p $(VENV) && touch $@
$(VENV)/.installed: pyproject.toml | $(VENV)/.system
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[test]'
	@touch $@
$(VENV)/.system-test: tools/bootstrap-system.sh | $(VENV)/.system
	@tools/bootstrap-system.sh --test
	@touch $@

# A raw source's manifest, when it has one, is a dependency too.
manifest = $(wildcard source/$(1).toml)

$(DIST)/%.pdf: source/%.txt $$(call manifest,%) $(CODE) $(PRINT_STYLES) $(CONFIG) | $(VENV)/.installed
	$(PY) -m pipeline build $< --format pdf --page $(PAGE) --out $(DIST)
$(DIST)/%.pdf: source/%.md $(ASSETS) $(CODE) $(PRINT_STYLES) $(CONFIG) | $(VENV)/.installed
	$(PY) -m pipeline build $< --format pdf --page $(PAGE) --out $(DIST)
$(DIST)/%.epub: source/%.txt $$(call manifest,%) $(CODE) $(EPUB_STYLES) | $(VENV)/.installed
	$(PY) -m pipeline build $< --format epub --out $(DIST) $(EPUB_FLAGS)
$(DIST)/%.epub: source/%.md $(ASSETS) $(CODE) $(EPUB_STYLES) | $(VENV)/.installed
	$(PY) -m pipeline build $< --format epub --out $(DIST)

test: $(VENV)/.installed $(VENV)/.system-test
	$(PY) -m pytest

golden: $(VENV)/.installed
	$(PY) -m pytest tests/test_golden.py --update-golden

check: $(VENV)/.installed $(VENV)/.system-test
	$(PY) -m pipeline.check $(wildcard $(DIST)/*.epub) $(wildcard $(DIST)/*.pdf)

clean:
	rm -rf $(DIST)
