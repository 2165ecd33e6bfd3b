# One venv, one pinned set (requirements.lock), used by the demo, the tests and CI alike.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: venv demo test lint unit bench golden lock clean schemas conformance conformance-record

venv: $(STAMP)

$(STAMP): requirements.lock pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $(STAMP)

## demo: render the bundled example and say what was written
demo: venv
	$(PY) -m hera_pipelines render --config examples/basic/pipelines.yaml

## test: static checks, then the whole suite
test: lint unit

# The last line lints every example's committed manifests with every rule (yamllint too).
lint: venv
	$(VENV)/bin/ruff check hera_pipelines tests bench conformance
	$(VENV)/bin/ruff format --check hera_pipelines tests bench conformance
	$(VENV)/bin/mypy hera_pipelines
	for e in examples/*/; do $(PY) -m hera_pipelines lint --config $${e}pipelines.yaml --select ALL || exit 1; done

unit: venv
	$(PY) -m pytest -n 2 tests; rc=$$?; if [ $$rc -eq 5 ]; then echo "pytest: no tests collected"; rc=0; fi; exit $$rc

## bench: performance figures (never asserted in unit tests)
bench: venv
	$(PY) bench/run.py

## golden: regenerate the committed manifests of every example (review the diff!)
golden: venv
	for cfg in examples/*/pipelines.yaml; do $(PY) -m hera_pipelines render --config $$cfg || exit 1; done

lock:
	$(PYTHON) -m venv /tmp/hp-lock && /tmp/hp-lock/bin/pip install -q -e '.' mypy ruff pytest pytest-xdist pydot types-PyYAML setuptools \
	  && /tmp/hp-lock/bin/pip freeze --exclude-editable > requirements.lock

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache

## schemas: refresh the vendored upstream schemas from ../shared
schemas:
	cp ../shared/schemas/*.json ../shared/schemas/*.yaml hera_pipelines/data/schemas/
	cp ../shared/platform/coderun-crd.yaml ../shared/platform/docsrun-crd.yaml hera_pipelines/data/schemas/

## conformance: Argo's own Go code (conformance/oracle) against the Python side; needs Go.
## Fails on a new disagreement or when a fresh run differs from conformance/vectors.
GO     ?= go
# Module and build caches: an ignored folder of the checkout by default; CI points GOCACHE_DIR at
# a folder that outlives its temporary clone (only a speed-up: a cold cache downloads again).
GOCACHE_DIR ?= $(CURDIR)/.gocache
GOENV  := GOMODCACHE=$(GOCACHE_DIR)/mod GOCACHE=$(GOCACHE_DIR)/build GOFLAGS="-modcacherw -buildvcs=false" GOTOOLCHAIN=local
ORACLE := conformance/oracle/oracle

$(ORACLE): conformance/oracle/go.mod conformance/oracle/go.sum $(wildcard conformance/oracle/*.go)
	@start=$$(date +%s); cd conformance/oracle && $(GOENV) $(GO) build -o oracle . \
	  && echo "oracle build: $$(( $$(date +%s) - start ))s"

conformance: venv $(ORACLE)
	$(PY) conformance/run.py --oracle $(ORACLE) --python $(PY)

## conformance-record: the same run, then rewrite conformance/vectors (review the diff!)
conformance-record: venv $(ORACLE)
	$(PY) conformance/run.py --oracle $(ORACLE) --python $(PY) --record
