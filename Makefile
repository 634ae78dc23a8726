# zh-pipeline: every source/NAME.txt, NAME.md and NAME.docx -> dist/NAME.pdf and dist/NAME.epub.
#   make all | pdf | epub | test | check | clean | proof | preview
# Variables: PAGE=A5|A4|B5|16K (PDF page size, default A5), VARIANT=zh-Hans|zh-Hant
# (edition; zh-Hant writes NAME.zh-Hant.*), PRESS=1 (bleed, crop marks, PDF/X-4; books
# also get NAME.cover.pdf), PRESS_PROFILE=FILE.icc (CMYK output profile), PAPER_MM=0.1
# (paper per leaf, for a cover's spine), WRITING=vertical (also the vertical edition,
# NAME[.zh-Hant].vertical.pdf and .vertical.epub), SCHEDULER=tcp://HOST:PORT (the
# PDFs on a Dask cluster), PYTHON (for the venv).

PYTHON ?= python3
PAGE ?= A5
VARIANT ?= zh-Hans
PRESS ?=
PRESS_PROFILE ?=
PAPER_MM ?= 0.1
EMBED_FONTS ?=
# WRITING=vertical: the vertical edition (竖排) too, dist/NAME$(SUFFIX).vertical.pdf
# (columns laid out by pipeline/writers/vertical_layout.py) and .vertical.epub.
WRITING ?=
VENV := .venv
PY := $(VENV)/bin/python
DIST := dist
# The build's own state (config stamps, article cache, compiled templates): never in
# dist/, which holds only what is published.
STATE := .build

RAW := $(sort $(wildcard source/*.txt))
MD := $(sort $(wildcard source/*.md))
DOCX := $(sort $(wildcard source/*.docx))
NAMES := $(basename $(notdir $(RAW) $(MD) $(DOCX)))
SUFFIX := $(if $(filter zh-Hant,$(VARIANT)),.zh-Hant,)
PDFS := $(NAMES:%=$(DIST)/%$(SUFFIX).pdf)
EPUBS := $(NAMES:%=$(DIST)/%$(SUFFIX).epub)
PRESS_FLAGS := $(if $(PRESS),--press $(if $(PRESS_PROFILE),--press-profile $(PRESS_PROFILE)),)
PDF_FLAGS := --page $(PAGE) --variant $(VARIANT) $(PRESS_FLAGS)
VERTICAL := $(if $(filter vertical,$(WRITING)),$(NAMES:%=$(DIST)/%$(SUFFIX).vertical.epub),)
VERTICAL_PDFS := $(if $(filter vertical,$(WRITING)),$(NAMES:%=$(DIST)/%$(SUFFIX).vertical.pdf),)
VERTICAL_STYLES := styles/vertical-print.css
EPUB_OPTS := --variant $(VARIANT) $(if $(EMBED_FONTS),--embed-fonts,)
BUILD := $(PY) -m pipeline build --state $(STATE)
# SCHEDULER=tcp://HOST:PORT: the batch of PDFs is built on that Dask cluster's workers
# (pipeline/cluster.py); the same bytes, so not part of the config stamps below.
SCHEDULER ?=
ON_CLUSTER := $(if $(SCHEDULER),--scheduler $(SCHEDULER),)

# What every output depends on besides its source: the pipeline's code, templates, styles.
CODE := $(shell find pipeline -name '*.py' -o -name '*.j2') pyproject.toml
PRINT_STYLES := styles/base.css styles/print.css styles/press.css
EPUB_STYLES := styles/base.css styles/epub.css
ASSETS := $(shell find source -type f ! -name '*.txt' ! -name '*.md' ! -name '*.docx' ! -name '*.toml')

# A source's summary line and warnings are printed once: by the PDF build when PDFs are made.
GOALS := $(or $(MAKECMDGOALS),all)
EPUB_FLAGS := $(if $(filter all pdf,$(GOALS)),--quiet,)

# Page size and press output are part of a PDF's inputs: a stamp that changes
# only when they do.
CONFIG := $(STATE)/config-pdf$(SUFFIX)
EPUB_CONFIG := $(STATE)/config-epub$(SUFFIX)
$(shell mkdir -p $(STATE) && (echo "$(PDF_FLAGS)" | cmp -s - $(CONFIG) || echo "$(PDF_FLAGS)" > $(CONFIG)))
$(shell echo "$(EPUB_OPTS)" | cmp -s - $(EPUB_CONFIG) || echo "$(EPUB_OPTS)" > $(EPUB_CONFIG))
COVER_CONFIG := $(STATE)/config-cover
$(shell echo "$(PAPER_MM)" | cmp -s - $(COVER_CONFIG) || echo "$(PAPER_MM)" > $(COVER_CONFIG))

.PHONY: all pdf epub books dist test check clean golden names bench proof preview
.DELETE_ON_ERROR:
.SECONDEXPANSION:

all: pdf epub books dist
# make decides what is out of date; one pipeline run builds all of it in warm
# worker processes (pipeline/batch.py; as many as make's -j, else the cores): make
# asks itself with -n which PDFs its rules below would rebuild (BATCH=0: those rules
# alone, one process per article, as before).
# A recipe that runs $(MAKE) runs even under make -n: the batch then only says what
# it would build.
DRY_RUN := $(findstring n,$(firstword -$(MAKEFLAGS)))
ifeq ($(BATCH),0)
pdf: names $(PDFS) $(VERTICAL_PDFS)
else
# The vertical PDFs are made one process each, beside the batch.
pdf: names $(VERTICAL_PDFS) | $(VENV)/.installed
	@outdated="$$($(if $(PDFS),$(MAKE) --no-print-directory -n BATCH=0 $(PDFS),true) | sed -n 's/^.* -m pipeline build .* \(source\/[^ ]*\) --format pdf .*/\1/p')"; \
	if [ -n "$$outdated" ]; then \
	  echo $(BUILD) $$outdated --format pdf $(PDF_FLAGS) --out $(DIST) $(ON_CLUSTER); \
	  $(if $(DRY_RUN),true,$(BUILD) $$outdated --format pdf $(PDF_FLAGS) --out $(DIST) $(ON_CLUSTER)); \
	fi
# Each PDF is then made by that run: the EPUB of the same edition, which needs the
# PDF for its page-list, waits for it.
$(PDFS): pdf ;
endif
epub: names $(EPUBS) $(VERTICAL)

# Books: books/NAME.toml -> dist/NAME.pdf and dist/NAME.epub from articles in source/.
BOOKS := $(sort $(wildcard books/*.toml))
BOOK_FILES := $(foreach b,$(BOOKS:books/%.toml=%),$(DIST)/$(b).pdf $(DIST)/$(b).epub)
# With PRESS=1 a book also gets its cover for the printer, NAME.cover.pdf: back, spine
# (as thick as the press PDF's leaves times PAPER_MM) and front.
COVERS := $(if $(PRESS),$(BOOKS:books/%.toml=$(DIST)/%.cover.pdf),)
books: names $(BOOK_FILES) $(COVERS)
# When the articles' PDFs are being made too, a book waits for them and takes the
# trees and lines they computed from .build/cache (pipeline/cache.py).
BOOK_AFTER := $(if $(filter all pdf,$(GOALS)),$(PDFS),)
# A book depends on the articles it lists (and their manifests, and its cover), not
# on every source: tools/bookdeps.py reads the book file when make considers it.
book_inputs = $(if $(wildcard books/$(1).toml),$(shell $(PYTHON) tools/bookdeps.py books/$(1).toml))
$(DIST)/%.pdf: books/%.toml $$(call book_inputs,%) $(ASSETS) $(CODE) $(PRINT_STYLES) $(CONFIG) | $(VENV)/.installed $(BOOK_AFTER)
	$(BUILD) $< --format pdf --page $(PAGE) $(PRESS_FLAGS) --out $(DIST)
$(DIST)/%.cover.pdf: books/%.toml $(DIST)/%.pdf $(ASSETS) $(CODE) $(PRINT_STYLES) $(CONFIG) $(COVER_CONFIG) | $(VENV)/.installed
	$(BUILD) $< --format cover --page $(PAGE) --paper-mm $(PAPER_MM) $(PRESS_FLAGS) --pages-from $(DIST)/$*.pdf --out $(DIST)
$(DIST)/%.epub: books/%.toml $$(call book_inputs,%) $(ASSETS) $(CODE) $(EPUB_STYLES) $(EPUB_CONFIG) $(DIST)/%.pdf | $(VENV)/.installed
	$(BUILD) $< --format epub $(if $(EMBED_FONTS),--embed-fonts,) --pages-from $(DIST)/$*.pdf --out $(DIST)

# Distribution: dist/index.html, the OPDS catalog dist/opds.xml, covers, SHA256SUMS.
DIST_FILES := $(DIST)/index.html $(DIST)/opds.xml $(DIST)/SHA256SUMS
dist: $(DIST)/SHA256SUMS
$(DIST)/SHA256SUMS: $(PDFS) $(EPUBS) $(VERTICAL) $(VERTICAL_PDFS) $(BOOK_FILES) $(COVERS) $(CODE) | $(VENV)/.installed
	$(PY) -m pipeline.catalog $(DIST)

# make splits names at spaces: a source named so is refused here with a clear
# message (the command line builds it: python -m pipeline build "source/NAME.txt" ...).
SPACED := $(shell find source -maxdepth 1 \( -name '*.txt' -o -name '*.md' -o -name '*.docx' \) -name '* *')
# A book and an article of one name would both be dist/NAME.pdf.
CLASHES := $(filter $(NAMES),$(BOOKS:books/%.toml=%))
names:
	@if [ -n '$(SPACED)' ]; then echo "error: make cannot build sources whose names contain spaces: $(SPACED); rename them" >&2; exit 2; fi
	@if [ -n '$(CLASHES)' ]; then echo "error: books/NAME.toml and source/NAME share a name, and both would be dist/NAME.pdf: $(CLASHES); rename one" >&2; exit 2; fi

# Bootstrap: Debian packages (fonts, HarfBuzz subsetter), then the venv from pyproject.toml.
$(VENV)/.system: tools/bootstrap-system.sh
	@tools/bootstrap-system.sh
	@mkdir -p $(VENV) && touch $@
$(VENV)/.installed: pyproject.toml | $(VENV)/.system
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[test,cluster]'
	@$(PY) -m compileall -q pipeline
	@# WeasyPrint's C declarations in cffi's out-of-line form (writers/weasy_startup.py, fix 9)
	@$(PY) -c 'from pipeline.writers.weasy import import_weasyprint; import_weasyprint()'
	@touch $@
$(VENV)/.system-test: tools/bootstrap-system.sh tools/bootstrap-ace.sh | $(VENV)/.system
	@tools/bootstrap-system.sh --test
	@tools/bootstrap-ace.sh
	@touch $@

# A raw source's manifest, when it has one, is a dependency too.
manifest = $(wildcard source/$(1).toml)

$(DIST)/%$(SUFFIX).pdf: source/%.txt $$(call manifest,%) $(CODE) $(PRINT_STYLES) $(CONFIG) | $(VENV)/.installed
	$(BUILD) $< --format pdf $(PDF_FLAGS) --out $(DIST)
$(DIST)/%$(SUFFIX).pdf: source/%.md $(ASSETS) $(CODE) $(PRINT_STYLES) $(CONFIG) | $(VENV)/.installed
	$(BUILD) $< --format pdf $(PDF_FLAGS) --out $(DIST)
# A Word source carries its pictures; its manifest may override [article].
$(DIST)/%$(SUFFIX).pdf: source/%.docx $$(call manifest,%) $(CODE) $(PRINT_STYLES) $(CONFIG) | $(VENV)/.installed
	$(BUILD) $< --format pdf $(PDF_FLAGS) --out $(DIST)
# An EPUB's page-list follows the PDF of the same edition, so the PDF comes first.
$(DIST)/%$(SUFFIX).epub: source/%.txt $$(call manifest,%) $(CODE) $(EPUB_STYLES) $(EPUB_CONFIG) $(DIST)/%$(SUFFIX).pdf | $(VENV)/.installed
	$(BUILD) $< --format epub $(EPUB_OPTS) --pages-from $(DIST)/$*$(SUFFIX).pdf --out $(DIST) $(EPUB_FLAGS)
$(DIST)/%$(SUFFIX).epub: source/%.docx $$(call manifest,%) $(CODE) $(EPUB_STYLES) $(EPUB_CONFIG) $(DIST)/%$(SUFFIX).pdf | $(VENV)/.installed
	$(BUILD) $< --format epub $(EPUB_OPTS) --pages-from $(DIST)/$*$(SUFFIX).pdf --out $(DIST) $(EPUB_FLAGS)
$(DIST)/%$(SUFFIX).epub: source/%.md $(ASSETS) $(CODE) $(EPUB_STYLES) $(EPUB_CONFIG) $(DIST)/%$(SUFFIX).pdf | $(VENV)/.installed
	$(BUILD) $< --format epub $(EPUB_OPTS) --pages-from $(DIST)/$*$(SUFFIX).pdf --out $(DIST) $(EPUB_FLAGS)
# The vertical EPUB has no page-list: its print edition's pages are not the horizontal one's.
$(DIST)/%$(SUFFIX).vertical.epub: source/%.txt $$(call manifest,%) $(CODE) $(EPUB_STYLES) styles/vertical.css $(EPUB_CONFIG) | $(VENV)/.installed
	$(BUILD) $< --format epub $(EPUB_OPTS) --writing vertical --out $(DIST) --quiet
$(DIST)/%$(SUFFIX).vertical.epub: source/%.md $(ASSETS) $(CODE) $(EPUB_STYLES) styles/vertical.css $(EPUB_CONFIG) | $(VENV)/.installed
	$(BUILD) $< --format epub $(EPUB_OPTS) --writing vertical --out $(DIST) --quiet
$(DIST)/%$(SUFFIX).vertical.epub: source/%.docx $$(call manifest,%) $(CODE) $(EPUB_STYLES) styles/vertical.css $(EPUB_CONFIG) | $(VENV)/.installed
	$(BUILD) $< --format epub $(EPUB_OPTS) --writing vertical --out $(DIST) --quiet
# The vertical PDF (A5 unless PAGE says otherwise; not for the press yet).
$(DIST)/%$(SUFFIX).vertical.pdf: source/%.txt $$(call manifest,%) $(CODE) $(VERTICAL_STYLES) $(CONFIG) | $(VENV)/.installed
	$(BUILD) $< --format pdf --page $(PAGE) --variant $(VARIANT) --writing vertical --out $(DIST) --quiet
$(DIST)/%$(SUFFIX).vertical.pdf: source/%.md $(ASSETS) $(CODE) $(VERTICAL_STYLES) $(CONFIG) | $(VENV)/.installed
	$(BUILD) $< --format pdf --page $(PAGE) --variant $(VARIANT) --writing vertical --out $(DIST) --quiet
$(DIST)/%$(SUFFIX).vertical.pdf: source/%.docx $$(call manifest,%) $(CODE) $(VERTICAL_STYLES) $(CONFIG) | $(VENV)/.installed
	$(BUILD) $< --format pdf --page $(PAGE) --variant $(VARIANT) --writing vertical --out $(DIST) --quiet

# Proof pages for the editors (not published, so not in dist/): proof/NAME.html for
# every raw source, its lines beside the recovered article (pipeline/proof.py).
PROOFS := $(RAW:source/%.txt=proof/%.html)
proof: $(PROOFS)
proof/%.html: source/%.txt $$(call manifest,%) $(CODE) | $(VENV)/.installed
	$(PY) -m pipeline proof $< -o $@

test: $(VENV)/.installed $(VENV)/.system-test
	$(PY) -m pytest

golden: $(VENV)/.installed
	$(PY) -m pytest tests/test_golden.py --update-golden

check: $(VENV)/.installed $(VENV)/.system-test
	$(PY) -m pipeline.check $(wildcard $(DIST)/*.epub) $(wildcard $(DIST)/*.pdf)

clean:
	rm -rf $(DIST) $(STATE)

# Live preview of every source and book on http://127.0.0.1:8000/ (PORT=N to change;
# Ctrl-C stops it). Its outputs stay in .build/preview/, never in dist/.
PORT ?= 8000
preview: names | $(VENV)/.installed
	$(PY) -m pipeline preview $(RAW) $(MD) $(DOCX) $(BOOKS) --port $(PORT)

# Benchmarks against peers in the same run (pandoc is installed when missing and root).
bench: $(VENV)/.installed $(VENV)/.system-test
	$(PY) tools/bench.py
