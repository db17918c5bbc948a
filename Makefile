# dangvu — the two commands of the Quick start are `make demo` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DANGVU := $(BIN)/dangvu
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
export DANGVU_DEMO_PASSWORD ?= dangvu-demo-2021

.PHONY: demo setup serve test lint format clean

demo: setup serve

$(STAMP): pyproject.toml requirements/constraints.txt
	@$(PYTHON) -c 'import sys, venv, ensurepip; sys.exit(sys.version_info < (3, 11))' 2>/dev/null || { \
	  echo "dangvu needs Python 3.11+ with its venv module (Debian/Ubuntu: apt install python3-venv)."; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c requirements/constraints.txt -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)
	$(DANGVU) migrate --no-input
	$(DANGVU) demo_load

serve: $(STAMP)
	@echo ""
	@echo "  dangvu: http://$(HOST):$(PORT)/"
	@echo "  Tài khoản demo (mật khẩu: $(DANGVU_DEMO_PASSWORD)):"
	@echo "    khoi  - Văn phòng Đảng ủy Khối (toàn bộ cây)"
	@echo "    coso  - một đảng bộ cơ sở"
	@echo "    chibo - một chi bộ trực thuộc"
	@echo "    xem   - chỉ xem, toàn bộ cây"
	@echo ""
	$(DANGVU) runserver --insecure $(HOST):$(PORT)

test: $(STAMP)
	$(BIN)/pytest -p no:cacheprovider -q

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) var/dangvu.sqlite3*
