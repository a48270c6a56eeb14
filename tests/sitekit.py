"""브라우저·사이트 테스트가 함께 쓰는 도구: 빌드된 사이트의 위치, 로컬 HTTP 서버, Chromium 실행.

tests/test_site.py, test_site_live.py, test_slides.py, test_site_exercises.py 가 씁니다. 브라우저는 내려받지 않고
BOOK_CHROMIUM(기본 /usr/bin/chromium)을 씁니다. GitHub 러너에서는 Playwright 가 설치한 Chromium 경로를 넣습니다.
"""
from __future__ import annotations

import contextlib
import functools
import http.server
import os
import subprocess
import sys
import threading
from pathlib import Path
from urllib.parse import urlparse

import pytest

ROOT = Path(__file__).resolve().parents[1]
HTML = Path(os.environ.get("BOOK_HTML", ROOT / "_build" / "html"))
SHOTS = ROOT / "_build" / "screenshots"
CHROMIUM = os.environ.get("BOOK_CHROMIUM", "/usr/bin/chromium")
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-dev-shm-usage"]
LOCAL_HOSTS = {"127.0.0.1", "localhost"}


def ensure_built() -> None:
    """`make test` 는 먼저 책을 빌드합니다. pytest 만 따로 돌렸는데 빌드가 없으면 여기서 빌드합니다."""
    if (HTML / "index.html").is_file():
        return
    env = dict(os.environ, TRANSFORMER_BOOK_BUILD="1")
    jb = Path(sys.executable).with_name("jupyter-book")
    subprocess.run([str(jb), "build", str(ROOT), "--builder", "html", "-W", "-n", "--keep-going"],
                   check=True, env=env, cwd=ROOT)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # 테스트 출력을 조용히
        pass


@contextlib.contextmanager
def serve(directory: Path = HTML):
    """directory 를 127.0.0.1 의 빈 포트에서 내보내고 기본 주소("http://127.0.0.1:PORT")를 줍니다."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()


@contextlib.contextmanager
def chromium():
    """헤드리스 Chromium 하나 (Playwright)."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} 가 없습니다: `apt-get install -y chromium fonts-nanum` (make test 가 root 일 때 설치합니다)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=LAUNCH_ARGS)
        try:
            yield b
        finally:
            b.close()


def block_offsite(target, offsite: list) -> None:
    """target(page 또는 context)의 요청 중 이 기계 밖으로 가는 것을 막고 offsite 에 주소를 적습니다.

    file:/data:/blob:/about: 과 localhost 는 그대로 보냅니다(책은 인터넷 없이 열려야 하므로 바깥 요청 = 결함)."""

    def route(r):
        url = r.request.url
        if url.startswith(("file:", "data:", "blob:", "about:")) or urlparse(url).hostname in LOCAL_HOSTS:
            r.continue_()
        else:
            offsite.append(url)
            r.abort()

    target.route("**/*", route)


def settle(page, timeout: float = 30_000) -> None:
    """페이지가 다 그려질 때까지 기다립니다: load → late-loader.js 가 늦게 실은 plotly·MathJax 가 끝남
    (data-book-late="done") → 그림 파일과 웹 글꼴. (Playwright 의 networkidle 은 늦게 실린 스크립트가 있는 페이지에서
    가끔 오지 않고, document.fonts.ready 약속은 글꼴을 새로 부르면 바뀌어 버려질 수 있어 상태를 물어봅니다.)"""
    page.wait_for_load_state("load")
    page.wait_for_function(
        """() => (!document.querySelector('script[src*="late-loader.js"]')
                   || document.documentElement.dataset.bookLate === 'done')
                 && [...document.images].every(img => img.complete)
                 && document.fonts.status === 'loaded'""", timeout=timeout)
