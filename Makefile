# 트랜스포머 인터랙티브 교과서 — 빌드·테스트 명령
#   make book    환경(.venv, node_modules) 준비 + 오프라인 자산 복사 + 책 빌드(경고 = 오류)
#   make test    make book + (root 이면) chromium·fonts-nanum 설치 + pytest (브라우저 테스트 포함)
#   make slides  강의 슬라이드(reveal.js)만 다시 만들기 — 책 빌드 뒤 (make book 이 함께 실행)
#   make serve   _build/html 을 http://localhost:8000 에서 미리 보기
#   make lock    constraints.txt(빌드·테스트에 쓰는 고정 판 목록)를 requirements*.txt 의 범위에서 새로 풀어 다시 만듦
SHELL := /bin/bash
.DEFAULT_GOAL := book

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip
JB := $(VENV)/bin/jupyter-book
TORCH_VERSION ?= 2.13.0
PORT ?= 8000
STAMP := $(VENV)/.book-deps-installed
# 빌드·테스트는 constraints.txt 의 정확한 판으로 설치합니다(범위는 requirements*.txt, 독자·Colab 용).
# 고정 목록 없이 범위대로 설치하려면: make book CONSTRAINTS=
CONSTRAINTS ?= constraints.txt
LOCK_VENV := _build/lock-venv
VENDOR_STAMP := book/_vendor/vendor/.copied
export TRANSFORMER_BOOK_BUILD := 1

.PHONY: book slides rebuild env vendor live test browser-deps nbtest serve clean clean-all lock

# --- 파이썬 환경 --------------------------------------------------------------------------------------------
# torch 를 먼저 정확한 판으로 설치합니다: 범위로 요청하면 pip 이 CUDA 판(수 GB)을 고를 수 있기 때문입니다.
$(STAMP): requirements.txt requirements-dev.txt $(wildcard pyproject.toml) $(CONSTRAINTS)
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PY) -c "import torch" 2>/dev/null || $(PIP) install "torch==$(TORCH_VERSION)"
	$(PIP) install $(if $(CONSTRAINTS),-c $(CONSTRAINTS)) -r requirements-dev.txt
	@if [ -f pyproject.toml ]; then $(PIP) install --no-deps -e .; fi
	@touch $@

env: $(STAMP)

# 고정 판 목록 새로 만들기: 빈 venv 에 torch $(TORCH_VERSION) 과 requirements-dev.txt 의 범위에서 가장 새 판을 설치하고
# 그 목록을 constraints.txt 에 적습니다 (네트워크 필요, 몇 분). 그다음 make test 로 확인하고 커밋하세요.
lock:
	rm -rf $(LOCK_VENV)
	$(PYTHON) -m venv $(LOCK_VENV)
	$(LOCK_VENV)/bin/python -m pip install -q --upgrade pip
	$(LOCK_VENV)/bin/python -m pip install -q "torch==$(TORCH_VERSION)"
	$(LOCK_VENV)/bin/python -m pip install -q -r requirements-dev.txt
	$(LOCK_VENV)/bin/python book/lock.py $(LOCK_VENV)/bin/python > constraints.txt
	rm -rf $(LOCK_VENV)
	@echo "constraints.txt 를 새로 만들었습니다: git diff constraints.txt 로 바뀐 판을 보고 make test 후 커밋하세요"

# --- 브라우저 자산 (MathJax, plotly.js, require.js, d3, jQuery, ipywidgets html-manager, 한글 웹 글꼴) ---------
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

$(VENDOR_STAMP): node_modules/.package-lock.json book/vendor.js
	node book/vendor.js
	@touch $@

vendor: $(VENDOR_STAMP)

# --- 책 ----------------------------------------------------------------------------------------------------
# execute_notebooks: cache 이므로 바뀐 노트북만 다시 실행합니다. -W: 경고를 오류로, -n: 깨진 참조도 경고로.
# 브라우저 안의 번역기: 체크포인트 → 가중치·어휘·설정·sha256(_build/live/site, 사이트에 실림) + 테스트용 정답 파일
# (_build/live/golden). 저장소에는 넣지 않습니다. 책 빌드의 book_live 확장도 없거나 낡았으면 같은 것을 만듭니다.
LIVE_STAMP := _build/live/golden/golden.json
$(LIVE_STAMP): $(STAMP) $(wildcard transformer_lib/checkpoints/*) transformer_lib/toy/web_export.py \
		transformer_lib/toy/explorer.py transformer_lib/toy/messages.json transformer_lib/decoding.py
	OMP_NUM_THREADS=1 $(PY) -m transformer_lib.toy.web_export --out _build/live

live: $(LIVE_STAMP)

book: env vendor live
	$(JB) build . --builder html -W -n --keep-going
	@$(MAKE) --no-print-directory slides

# 강의 슬라이드: 책 빌드가 실행해 둔 노트북(_build/jupyter_execute)으로 장마다 reveal.js 덱 하나를
# _build/html/slides/<장>.html 에 만듭니다(다시 실행하지 않음). 셀 표시 규칙은 book/slides/build.py 맨 위.
slides: env vendor
	$(PY) book/slides/build.py

# transformer_lib 를 고친 뒤처럼 노트북 코드는 그대로인데 결과가 바뀌어야 할 때: 실행 캐시를 지우고 다시 빌드
rebuild:
	rm -rf _build/.jupyter_cache _build/html _build/jupyter_execute _build/.doctrees
	$(MAKE) book

# --- 테스트 -------------------------------------------------------------------------------------------------
# 브라우저 테스트의 Chromium 은 BOOK_CHROMIUM 한 곳에서 고릅니다 (기본: 데비안의 /usr/bin/chromium). GitHub 의
# Ubuntu 러너처럼 chromium 이 snap 뿐인 곳에서는 Playwright 가 받은 Chromium 의 경로를 넣습니다 (.github/workflows/pages.yml).
BOOK_CHROMIUM ?= /usr/bin/chromium
export BOOK_CHROMIUM

browser-deps:
	@if [ -x "$(BOOK_CHROMIUM)" ] && fc-list 2>/dev/null | grep -qi nanum; then exit 0; fi; \
	if [ "$$(id -u)" = "0" ]; then \
	  export DEBIAN_FRONTEND=noninteractive; \
	  apt-get update -qq && apt-get install -y -qq chromium fonts-nanum fontconfig >/dev/null && \
	  rm -f $$HOME/.cache/matplotlib/fontlist-*.json; \
	else \
	  echo "chromium($(BOOK_CHROMIUM)) 과 fonts-nanum 이 필요합니다: sudo apt-get install -y chromium fonts-nanum" >&2; exit 1; \
	fi

# tests/ 의 모든 테스트. 각 장은 책 빌드가 한 번 실행하고, tests/test_colab_install.py 가 한 번 더 Colab 처럼
# (wheel 을 새 venv 에 편집 불가로 설치, 네트워크 없이, 저장소 밖 빈 폴더에서) 실행합니다.
test: book browser-deps
	node --test tests/js/
	$(PY) -m pytest tests

# 노트북만 nbmake 로 실행해 보는 검사
nbtest: env
	$(PY) -m pytest --nbmake notebooks

serve:
	@test -f _build/html/index.html || { echo "먼저 make book 을 실행하세요" >&2; exit 1; }
	@echo "http://localhost:$(PORT)/ 에서 책을 볼 수 있습니다 (Ctrl+C 로 종료)"
	$(PYTHON) -m http.server $(PORT) --bind 127.0.0.1 --directory _build/html

clean:
	rm -rf _build/html _build/screenshots

clean-all:
	rm -rf _build book/_vendor node_modules
