# The two commands of the README: `make run` and `make test`. Everything else is their setup.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 8000

.PHONY: setup run test lint browser bench clean

setup: $(STAMP) node_modules/.package-lock.json

$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

# The portal footer's lines for the demo, each saying it is a sample; an environment that sets
# them (a real deployment) keeps its own, and unset ones are not shown (see settings.py).
run: export WANGGE_PORTAL_HOST_ORG ?= 演示数据：管城回族区网格化服务管理中心（示例）
run: export WANGGE_PORTAL_ADDRESS ?= 演示数据：河南省郑州市管城回族区（示例地址）
run: export WANGGE_PORTAL_CONTACT ?= 演示数据：0371-00000000（示例号码）
run: export WANGGE_PORTAL_ICP ?= 演示数据：豫ICP备00000000号（非真实备案号）
run: export WANGGE_PORTAL_GOV_CODE ?= 演示数据：0000000000（非真实标识码）
run: setup
	$(BIN)/wangge migrate --noinput -v0
	$(BIN)/wangge pii rotate
	$(BIN)/wangge collectstatic --noinput -v0
	$(BIN)/wangge demo --if-empty
	@$(BIN)/wangge ensureadmin
	@$(BIN)/wangge demo accounts
	@echo "网格化基层治理平台: http://127.0.0.1:$(PORT)/  (Ctrl-C 停止)"
	PORT=$(PORT) $(BIN)/gunicorn -c python:wangge.gunicorn_conf wangge.wsgi:application

# Pages are tested in Debian's Chromium, and their screenshots need a Chinese font; install
# them when missing and we may.
browser:
	@command -v chromium >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; } || echo "chromium not installed: browser tests will fail (apt-get install chromium)"
	@fc-list :lang=zh 2>/dev/null | grep -q . || { [ "$$(id -u)" = 0 ] && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-wqy-microhei >/dev/null; } || echo "no Chinese font: screenshots will show boxes (apt-get install fonts-wqy-microhei)"

lint: setup
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/lint-imports

# On every core (pytest-xdist), each file's tests on one worker (tests/conftest.py).
test: setup browser lint
	$(BIN)/pytest -n auto --dist loadfile --no-loadscope-reorder

bench: setup
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-bench.lock
	$(BIN)/python benchmarks/bench_locator.py
	$(BIN)/python benchmarks/bench_coverage.py
	$(BIN)/python benchmarks/bench_import.py
	$(BIN)/python benchmarks/bench_case_figures.py
	$(BIN)/python benchmarks/bench_reports.py
	$(BIN)/python benchmarks/bench_portal.py
	$(BIN)/python benchmarks/bench_sensitive.py
	$(BIN)/python benchmarks/bench_delineation.py

clean:
	rm -rf $(VENV) node_modules var
