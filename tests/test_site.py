"""브라우저 테스트: 만들어진 책(_build/html)을 headless Chromium 으로 열어 모든 페이지를 확인합니다.

페이지마다
- 콘솔 오류 0, 페이지 오류(pageerror) 0, 로컬 요청 실패(4xx/5xx) 0
- 바깥 호스트로 가는 요청 0 (모든 요청을 가로채 localhost 가 아니면 막고 기록)
- 수식이 있으면 MathJax 출력(mjx-container)이 모든 수식 자리에 있음
- plotly 그림마다 SVG 가 있고, 슬라이더/드롭다운을 조작하면 그림이 바뀜
- bertviz 그림의 SVG 가 그려짐, ipywidgets 위젯이 그려짐
- 내부 링크(파일과 #앵커)와 이미지가 모두 열림
스크린숏: _build/screenshots/<페이지>.png (CI 산출물)

필요한 것: Debian 의 /usr/bin/chromium (`make test` 가 root 일 때 설치), python playwright 패키지.
브라우저 경로는 환경 변수 BOOK_CHROMIUM 으로 바꿀 수 있습니다.
"""
from __future__ import annotations

import functools
import http.server
import os
import re
import subprocess
import sys
import threading
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

ROOT = Path(__file__).resolve().parents[1]
HTML = ROOT / "_build" / "html"
SHOTS = ROOT / "_build" / "screenshots"
CHROMIUM = os.environ.get("BOOK_CHROMIUM", "/usr/bin/chromium")
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-dev-shm-usage"]
LOCAL_HOSTS = {"127.0.0.1", "localhost"}


def _ensure_built() -> None:
    if (HTML / "index.html").is_file():
        return
    # `make test` 는 먼저 책을 빌드합니다. pytest 만 따로 돌렸는데 빌드가 없으면 여기서 빌드합니다.
    env = dict(os.environ, TRANSFORMER_BOOK_BUILD="1")
    jb = Path(sys.executable).with_name("jupyter-book")
    subprocess.run([str(jb), "build", str(ROOT), "--builder", "html", "-W", "-n", "--keep-going"],
                   check=True, env=env, cwd=ROOT)


def _pages() -> list[str]:
    _ensure_built()
    pages = []
    for path in sorted(HTML.rglob("*.html")):
        rel = path.relative_to(HTML).as_posix()
        if rel.startswith(("_static/", "_sources/", "_images/")):
            continue
        pages.append(rel)
    return pages


PAGES = _pages()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # noqa: D401 - 테스트 출력을 조용히
        pass


@pytest.fixture(scope="session")
def server():
    handler = functools.partial(_QuietHandler, directory=str(HTML))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} 가 없습니다: `apt-get install -y chromium fonts-nanum` (make test 가 root 일 때 설치합니다)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=LAUNCH_ARGS)
        yield b
        b.close()


def _url_to_file(url: str, base: str) -> Path | None:
    if not url.startswith(base):
        return None
    path = unquote(urlparse(url).path).lstrip("/")
    target = HTML / path
    if path == "" or target.is_dir():
        target = target / "index.html"
    return target


_ID_CACHE: dict[Path, set[str]] = {}


def _ids_in(file: Path) -> set[str]:
    if file not in _ID_CACHE:
        text = file.read_text(encoding="utf-8", errors="replace")
        _ID_CACHE[file] = set(re.findall(r'\sid="([^"]+)"', text)) | set(re.findall(r'\sname="([^"]+)"', text))
    return _ID_CACHE[file]


def _check_plotly(page, problems: list[str]) -> int:
    """plotly 그림마다 SVG 확인 + 슬라이더/드롭다운 조작 후 상태 변화 확인. 그림 수를 돌려줌."""
    n = page.locator(".plotly-graph-div").count()
    for k in range(n):
        gd = page.locator(".plotly-graph-div").nth(k)
        gd.scroll_into_view_if_needed()
        try:
            gd.locator("svg.main-svg").first.wait_for(state="attached", timeout=15000)
        except Exception:
            problems.append(f"plotly 그림 {k}: SVG 가 그려지지 않음")
            continue
        if gd.locator(".heatmaplayer image, .heatmaplayer rect, .trace").count() == 0 and \
                gd.locator("g.cartesianlayer .plot *").count() == 0:
            problems.append(f"plotly 그림 {k}: 그려진 데이터가 없음")
        state = lambda: gd.evaluate(  # noqa: E731
            "el => JSON.stringify([(el.layout.sliders||[]).map(s => s.active),"
            " (el.layout.updatemenus||[]).map(m => m.active), el.data.map(t => t.visible)])")
        has_slider = gd.evaluate("el => (el.layout.sliders || []).length") > 0
        has_menu = gd.evaluate("el => (el.layout.updatemenus || []).length") > 0
        if has_slider:
            before = state()
            rail = gd.locator(".slider-container .slider-rail-touch-rect").first
            box = rail.bounding_box()
            if box is None:
                problems.append(f"plotly 그림 {k}: 슬라이더가 보이지 않음")
            else:
                # 슬라이더가 이미 끝에 있으면 처음 쪽을, 아니면 끝 쪽을 누릅니다.
                at_end = gd.evaluate("el => { const s = el.layout.sliders[0];"
                                     " return (s.active || 0) >= s.steps.length - 1; }")
                frac = 0.02 if at_end else 0.98
                page.mouse.click(box["x"] + box["width"] * frac, box["y"] + box["height"] / 2)
                page.wait_for_timeout(400)
                if state() == before:
                    problems.append(f"plotly 그림 {k}: 슬라이더를 움직여도 그림이 바뀌지 않음")
        if has_menu:
            before = state()
            gd.locator(".updatemenu-header-group").first.click()
            page.wait_for_timeout(200)
            buttons = gd.locator(".updatemenu-dropdown-button-group .updatemenu-dropdown-button")
            if buttons.count() < 2:
                problems.append(f"plotly 그림 {k}: 드롭다운 항목이 펼쳐지지 않음")
            else:
                buttons.nth(buttons.count() - 1).click()
                page.wait_for_timeout(400)
                if state() == before:
                    problems.append(f"plotly 그림 {k}: 드롭다운을 바꿔도 그림이 바뀌지 않음")
    return n


def _check_page(page, base: str, rel: str) -> list[str]:
    problems: list[str] = []
    html_text = (HTML / rel).read_text(encoding="utf-8")

    # 수식: Sphinx 의 .math 자리마다 MathJax 출력이 있어야 함
    n_math = page.locator(".math").count()
    if n_math:
        try:
            page.wait_for_function("window.MathJax && MathJax.startup && MathJax.startup.promise", timeout=20000)
            page.evaluate("MathJax.startup.promise")
        except Exception as err:  # pragma: no cover - 진단용
            problems.append(f"MathJax 가 시작되지 않음: {err}")
        untypeset = page.evaluate(
            "() => [...document.querySelectorAll('.math')].filter(e => !e.querySelector('mjx-container')).length")
        if untypeset:
            problems.append(f"수식 {untypeset}/{n_math}개가 조판되지 않음 (MathJax 출력 없음)")

    # plotly
    _check_plotly(page, problems)

    # bertviz: 출력 HTML 의 id="bertviz-..." 안에 SVG 가 그려져야 함
    for k in range(page.locator("[id^='bertviz-']").count()):
        view = page.locator("[id^='bertviz-']").nth(k)
        view.scroll_into_view_if_needed()
        try:
            view.locator("svg").first.wait_for(state="attached", timeout=15000)
            page.wait_for_timeout(300)
            n_text = view.locator("svg text").count()
            n_shapes = view.locator("svg rect, svg line, svg path").count()
            if n_text == 0 or n_shapes == 0:
                problems.append(f"bertviz {k}: SVG 가 비어 있음 (text {n_text}, 도형 {n_shapes})")
        except Exception:
            problems.append(f"bertviz {k}: SVG 가 그려지지 않음")

    # ipywidgets: 저장된 위젯 뷰마다 html-manager 가 그린 위젯이 있어야 함
    n_views = html_text.count("application/vnd.jupyter.widget-view+json")
    if n_views:
        try:
            page.wait_for_function(
                f"document.querySelectorAll('.jupyter-widgets, .widget-subarea, .lm-Widget').length >= {n_views}",
                timeout=15000)
        except Exception:
            problems.append(f"ipywidgets 위젯 {n_views}개가 그려지지 않음")

    # 이미지
    broken = page.evaluate(
        "() => [...document.images].filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.getAttribute('src'))")
    problems += [f"이미지가 열리지 않음: {src}" for src in broken]

    # 내부 링크: 파일이 있고, #앵커가 그 페이지에 있어야 함
    hrefs = page.evaluate("() => [...document.querySelectorAll('a[href]')].map(a => a.href)")
    for href in sorted(set(hrefs)):
        if not href.startswith(base):
            continue
        target = _url_to_file(href.split("#")[0], base)
        if target is None or not target.is_file():
            problems.append(f"깨진 내부 링크: {href[len(base):]}")
            continue
        frag = unquote(urlparse(href).fragment)
        if frag and target.suffix == ".html" and frag not in _ids_in(target):
            problems.append(f"없는 앵커: {href[len(base):]}")
    return problems


@pytest.mark.parametrize("rel", PAGES)
def test_page(rel, server, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ko-KR")
    external: list[str] = []
    console_errors: list[str] = []
    failed: list[str] = []

    def route(r):
        host = urlparse(r.request.url).hostname
        if r.request.url.startswith(("data:", "blob:", "about:")) or host in LOCAL_HOSTS:
            r.continue_()
        else:
            external.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.on("console", lambda m: console_errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: console_errors.append(f"pageerror: {e}"))
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    page.on("requestfailed", lambda r: failed.append(f"failed {r.url}") if urlparse(r.url).hostname in LOCAL_HOSTS else None)

    page.goto(f"{server}/{rel}", wait_until="load")
    page.wait_for_load_state("networkidle")
    problems = _check_page(page, server + "/", rel)
    page.wait_for_load_state("networkidle")

    SHOTS.mkdir(parents=True, exist_ok=True)
    name = rel[:-5].replace("/", "__") if rel.endswith(".html") else rel.replace("/", "__")
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
    context.close()

    problems += [f"콘솔 오류: {m}" for m in console_errors]
    problems += [f"바깥 요청: {u}" for u in sorted(set(external))]
    problems += [f"로컬 요청 실패: {u}" for u in sorted(set(failed))]
    assert not problems, f"{rel}:\n  " + "\n  ".join(problems)


def test_korean_web_font_fallback(server, browser):
    """읽는 사람에게 한글 글꼴이 없을 때 쓰는 웹 글꼴(BookKorean)이 사이트 안에서 실제로 불러와짐."""
    context = browser.new_context()
    external: list[str] = []
    context.route("**/*", lambda r: r.continue_() if urlparse(r.request.url).hostname in LOCAL_HOSTS
                  else (external.append(r.request.url), r.abort()))
    page = context.new_page()
    page.goto(f"{server}/book/intro.html", wait_until="networkidle")
    loaded = page.evaluate("async () => (await document.fonts.load('16px BookKorean', '한글')).length")
    stack = page.evaluate("() => getComputedStyle(document.body).fontFamily")
    context.close()
    assert loaded >= 1, "BookKorean 웹 글꼴을 불러오지 못함"
    assert "BookKorean" in stack, f"본문 글꼴 목록에 대체 글꼴이 없음: {stack}"
    assert not external


def test_orphan_widget_views_are_dropped():
    """실행 중에 닫힌 위젯(저장된 상태 없음)의 뷰는 정적 페이지에서 빈 칸이 되므로 book_offline 이 뺍니다."""
    sys.path.insert(0, str(ROOT / "book" / "_ext"))
    try:
        import book_offline
    finally:
        sys.path.pop(0)
    view = '<script type="application/vnd.jupyter.widget-view+json">{{"version_major": 2, "model_id": "{}"}}</script>'
    body = "<p>앞</p>" + view.format("saved") + view.format("closed") + "<p>뒤</p>"
    out = book_offline._drop_orphan_widget_views(body, {"saved"})
    assert view.format("saved") in out and "closed" not in out and out.startswith("<p>앞</p>")
