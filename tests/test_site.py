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
import re
import sys
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
import yaml
from sitekit import HTML, LOCAL_HOSTS, SHOTS, block_offsite, settle

ROOT = Path(__file__).resolve().parents[1]


def _pages() -> list[str]:
    """사이트의 페이지: 첫 페이지, 검색 페이지, 목차(_toc.yml)의 문서마다 하나. 빌드하지 않고 목차에서 정하므로 테스트를
    모으기만 해도(pytest --collect-only) 책을 빌드하지는 않습니다. 실제 사이트와 같은지는 test_page_list_is_the_site 가 봅니다.
    (slides/: 강의 슬라이드 덱은 tests/test_slides.py 가 슬라이드를 넘기며 따로 확인합니다)"""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    docs = [toc["root"]] + [c["file"] for part in toc.get("parts", []) for c in part["chapters"]]
    return sorted(["index.html", "search.html"] + [f"{doc}.html" for doc in docs])


PAGES = _pages()


@pytest.fixture(autouse=True, scope="module")
def _site(built_site):
    """이 파일의 모든 테스트는 빌드된 사이트를 읽습니다: 없으면 첫 테스트 전에 한 번 빌드합니다(conftest.built_site)."""


def test_page_list_is_the_site():
    found = sorted(p.relative_to(HTML).as_posix() for p in HTML.rglob("*.html"))
    found = [rel for rel in found if not rel.startswith(("_static/", "_sources/", "_images/", "slides/"))]
    assert found == PAGES, "목차(_toc.yml)에서 정한 페이지 목록이 빌드된 사이트와 다릅니다"


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

    block_offsite(context, external)
    page = context.new_page()
    page.on("console", lambda m: console_errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: console_errors.append(f"pageerror: {e}"))
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    page.on("requestfailed", lambda r: failed.append(f"failed {r.url}") if urlparse(r.url).hostname in LOCAL_HOSTS else None)

    page.goto(f"{server}/{rel}", wait_until="load")
    settle(page)
    problems = _check_page(page, server + "/", rel)
    settle(page)

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
    page.goto(f"{server}/book/intro.html", wait_until="load")
    settle(page)
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


# ---------------------------------------------------------------------------------------------------------------
# 조판·레이아웃 (issue 10): 모든 페이지를 1280px 과 390px(휴대폰)에서
# ---------------------------------------------------------------------------------------------------------------
WIDTHS = (1280, 390)
_PATH_LIKE = re.compile(r"(^|/)_images/|\.(png|jpe?g|svg|gif|webp)$", re.I)

_LAYOUT_JS = r"""
() => {
  const out = {keepAll: [], wide: null, shrunk: [], noCaption: [], badAlt: [], tqdm: [], stars: []};
  const W = document.documentElement.clientWidth;
  if (document.documentElement.scrollWidth > W + 1) {
    // 무엇이 넘치는지: 스크롤 상자 안에 있지 않은, 화면 밖으로 나간 요소
    const culprits = [];
    for (const e of document.querySelectorAll('body *')) {
      const r = e.getBoundingClientRect();
      if (r.width === 0 || r.right <= W + 1) continue;
      let a = e.parentElement, clipped = false;
      while (a) { const o = getComputedStyle(a).overflowX; if (o !== 'visible') { clipped = true; break; } a = a.parentElement; }
      if (!clipped) culprits.push(`${e.tagName}.${e.className} «${(e.textContent || '').trim().slice(0, 40)}»`);
      if (culprits.length > 3) break;
    }
    out.wide = `${document.documentElement.scrollWidth}px > ${W}px: ${culprits.join(' | ')}`;
  }
  const textSel = '.bd-article p, .bd-article li, .bd-article h1, .bd-article h2, .bd-article h3, ' +
                  '.bd-sidebar-primary .logo__title, .bd-sidebar-primary li a, .prev-next-title';
  for (const e of document.querySelectorAll(textSel)) {
    if (!/[가-힣]/.test(e.textContent)) continue;
    if (getComputedStyle(e).wordBreak !== 'keep-all') out.keepAll.push(`${e.tagName} «${e.textContent.trim().slice(0, 30)}»`);
  }
  const figures = [...document.querySelectorAll('.bd-article .cell_output img, .bd-article figure img, .bd-article .plotly-graph-div')]
    .filter(e => !(e.getAttribute('src') || '').includes('colab-badge'));
  for (const e of figures) {
    const fig = e.closest('figure');
    const label = e.tagName === 'IMG' ? (e.getAttribute('src') || '') : (e.id || 'plotly');
    if (!fig || !fig.querySelector('figcaption') || !fig.querySelector('figcaption').textContent.trim())
      out.noCaption.push(label);
    const alt = e.tagName === 'IMG' ? (e.getAttribute('alt') || '')
                                    : (e.getAttribute('aria-label') || (fig && fig.getAttribute('aria-label')) || '');
    if (!alt.trim() || PATH_LIKE.test(alt.trim())) out.badAlt.push(`${label}: alt=«${alt}»`);
    if (e.tagName === 'IMG' && e.naturalWidth) {
      const shown = e.getBoundingClientRect().width;
      // 그려진 크기보다 20% 넘게 줄여 보이면 글자가 11px 아래로 내려갑니다 (그림 글자는 10pt = 14px 로 그림)
      if (shown < 0.8 * e.naturalWidth) out.shrunk.push(`${label}: ${Math.round(shown)}/${e.naturalWidth}px`);
    }
  }
  // 본문 글자(코드·수식 제외: 파이썬의 x ** 2 는 마크다운이 아님)
  const article = document.querySelector('.bd-article');
  const clone = article ? article.cloneNode(true) : document.createElement('div');
  clone.querySelectorAll('pre, code, .cell_input, .math, mjx-container, script, style').forEach(e => e.remove());
  const text = clone.textContent;
  const all = article ? article.innerText : '';
  for (const m of all.matchAll(/\d+%\|[^\n]*\|[^\n]*(it\/s|s\/it)[^\n]*/g)) out.tqdm.push(m[0].slice(0, 60));
  if (article && article.querySelector('.widget-hprogress, .progress, progress')) out.tqdm.push('진행 막대 위젯');
  for (const m of text.matchAll(/\*\*[^*\n]+\*\*/g)) out.stars.push(m[0].slice(0, 60));
  return out;
}
""".replace("PATH_LIKE", "/(^|\\/)_images\\/|\\.(png|jpe?g|svg|gif|webp)$/i")


#: plotly 그림마다: 제목·메뉴(updatemenus)가 그림 상자 안에 있고, 메뉴끼리 겹치지 않고, 메뉴 머리에 글자가 보임
#: (좁은 화면에서 메뉴가 "▼" 만 남거나 제목이 잘리던 문제: book/assets/plotly-fonts.js 가 그린 뒤에 맞춤)
_PLOTLY_FIT_JS = r"""
() => [...document.querySelectorAll('.bd-article .js-plotly-plot')].flatMap((gd, k) => {
  const out = [], g = gd.getBoundingClientRect();
  const name = `plotly ${k} (${gd.id})`;
  const px = r => `${Math.round(r.left - g.left)}..${Math.round(r.right - g.left)} × ${Math.round(r.top - g.top)}..${Math.round(r.bottom - g.top)}`;
  const inside = r => r.left >= g.left - 1 && r.right <= g.right + 1 && r.top >= g.top - 1 && r.bottom <= g.bottom + 1;
  const title = gd.querySelector('.g-gtitle text');
  if (title && title.textContent.trim()) {
    const r = title.getBoundingClientRect();
    if (!inside(r)) out.push(`${name}: 제목이 그림(${Math.round(g.width)}×${Math.round(g.height)}) 밖으로 나감: ${px(r)} «${title.textContent.slice(0, 30)}»`);
  }
  const menus = [...gd.querySelectorAll('.updatemenu-header-group')].map(e => {
    const label = e.querySelector('text');
    return {r: e.getBoundingClientRect(), text: label ? label.textContent.trim() : '',
            label: label ? label.getBoundingClientRect() : null};
  });
  menus.forEach((m, i) => {
    if (!inside(m.r)) out.push(`${name}: 메뉴 ${i} «${m.text.slice(0, 20)}» 가 그림 밖으로 나감: ${px(m.r)}`);
    if (!m.text || !m.label || m.label.width < 4 || m.label.right > m.r.right + 1)
      out.push(`${name}: 메뉴 ${i} 의 글자가 보이지 않음(«${m.text}»)`);
    menus.slice(0, i).forEach((o, j) => {
      const a = m.r, b = o.r;
      if (a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1)
        out.push(`${name}: 메뉴 ${j} «${o.text.slice(0, 15)}» 와 메뉴 ${i} «${m.text.slice(0, 15)}» 가 겹침`);
    });
  });
  return out;
})
"""


def _plotly_fit(page) -> list[str]:
    """plotly 그림의 제목·메뉴 상자 검사(_PLOTLY_FIT_JS). 사이트 스크립트가 그림을 맞출 때까지(data-book-fit) 잠깐 기다림."""
    try:
        page.wait_for_function(
            "[...document.querySelectorAll('.bd-article .js-plotly-plot')].every(g => g.dataset.bookFit)", timeout=8000)
    except Exception:  # 맞춤 스크립트가 없거나 멈춘 경우에도 지금 모습을 검사함
        pass
    return page.evaluate(_PLOTLY_FIT_JS)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("rel", PAGES)
def test_layout(rel, width, server, browser):
    """한글 낱말이 음절 사이에서 끊기지 않음(keep-all), 페이지가 화면보다 넓지 않음, 그림이 80% 아래로 줄지 않음,
    그림마다 캡션과 (파일 경로가 아닌) 대체 글, tqdm 글자·`**` 없음, plotly 제목·메뉴가 그림 안에 있고 메뉴끼리 겹치지 않음. 스크린숏: _build/screenshots/<페이지>-<폭>.png"""
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="ko-KR")
    context.route("**/*", lambda r: r.continue_() if urlparse(r.request.url).hostname in LOCAL_HOSTS
                  or r.request.url.startswith(("data:", "blob:", "about:")) else r.abort())
    page = context.new_page()
    page.goto(f"{server}/{rel}", wait_until="load")
    settle(page)
    if page.locator(".math").count():
        page.wait_for_function("window.MathJax && MathJax.startup && MathJax.startup.promise", timeout=20000)
        page.evaluate("MathJax.startup.promise")
    page.evaluate("document.fonts.ready")
    page.wait_for_timeout(300)
    found = page.evaluate(_LAYOUT_JS)
    plotly_problems = _plotly_fit(page) if page.locator(".bd-article .js-plotly-plot").count() else []
    SHOTS.mkdir(parents=True, exist_ok=True)
    name = rel[:-5].replace("/", "__")
    page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)
    context.close()

    problems = []
    if found["wide"]:
        problems.append(f"페이지가 화면보다 넓음(옆으로 스크롤): {found['wide']}")
    problems += [f"keep-all 이 아님: {x}" for x in found["keepAll"][:5]]
    problems += [f"그림이 80% 아래로 줄어 보임: {x}" for x in found["shrunk"]]
    problems += [f"그림 캡션 없음: {x}" for x in found["noCaption"]]
    problems += [f"대체 글(alt)이 없거나 파일 경로: {x}" for x in found["badAlt"]]
    problems += [f"진행 막대(tqdm) 글자: {x}" for x in found["tqdm"]]
    problems += [f"마크다운 ** 가 그대로 보임: {x}" for x in found["stars"]]
    problems += plotly_problems
    assert not problems, f"{rel} @ {width}px:\n  " + "\n  ".join(problems)


# ---------------------------------------------------------------------------------------------------------------
# 한국어 검색 (issue 10): 사이트 자신의 검색(searchtools.js + searchindex.js)을 Chromium 에서 돌림
# ---------------------------------------------------------------------------------------------------------------
#: 용어집의 낱말(한 단어짜리) 30개
SEARCH_TERMS = (
    "어텐션", "쿼리", "밸류", "헤드", "마스크", "마스킹", "임베딩", "토큰", "소프트맥스", "인코더", "디코더", "내적",
    "잔차", "기울기", "손실", "드롭아웃", "배치", "어휘", "엔트로피", "역전파", "워밍업", "패딩", "편향", "학습률",
    "가중합", "로짓", "투영", "멀티헤드", "체크포인트", "일반화",
)
#: "낱말이 쓰였다" 의 정의: 낱말 그대로이거나 뒤에 조사가 붙은 꼴 (검색 언어의 목록과 따로 적은 목록)
_TEST_PARTICLES = ("", "은", "는", "이", "가", "을", "를", "의", "에", "에서", "으로", "로", "와", "과", "도", "만",
                   "들", "별", "에는", "에서는", "까지", "부터", "처럼", "마다", "이나", "라는", "이라는", "과는", "와는")


def _with_particles(term: str) -> list[str]:
    """낱말 + 받침에 맞는 조사 (은/는, 이/가, 을/를, 의, 에서)."""
    batchim = (ord(term[-1]) - 0xAC00) % 28 != 0
    return [term + p for p in (("은", "이", "을") if batchim else ("는", "가", "를"))] + [term + "의", term + "에서"]


@functools.cache
def _prose_words() -> dict[str, set[str]]:
    """페이지(docname)마다 본문(코드 셀·출력·수식 제외)의 낱말 집합."""
    from bs4 import BeautifulSoup

    word = re.compile(r"[가-힣A-Za-z0-9_]+")
    out = {}
    for rel in PAGES:
        if rel in ("search.html", "genindex.html", "index.html"):
            continue
        soup = BeautifulSoup((HTML / rel).read_text(encoding="utf-8"), "html.parser")
        article = soup.select_one("article.bd-article")
        if article is None:
            continue
        for junk in article.select(".cell_input, .cell_output, script, style, .math, pre"):
            junk.decompose()
        out[rel[:-5]] = set(word.findall(article.get_text(" ")))
    return out


def _pages_using(term: str) -> set[str]:
    """본문에 term 이 낱말로(그대로 또는 조사가 붙어) 나오는 페이지의 docname."""
    forms = {term + p for p in _TEST_PARTICLES}
    return {doc for doc, words in _prose_words().items() if words & forms}


def _search_recall(page, server: str) -> tuple[float, list[str]]:
    page.goto(f"{server}/search.html", wait_until="load")
    page.wait_for_function("typeof Search !== 'undefined' && Search._index !== null", timeout=20000)
    queries = {q: term for term in SEARCH_TERMS for q in [term] + _with_particles(term)}
    found = page.evaluate("""queries => Object.fromEntries(queries.map(q => {
        const [query, terms, excluded, highlight, objects] = Search._parseQuery(q);
        return [q, Search._performSearch(query, terms, excluded, highlight, objects).map(r => r[0])];
    }))""", list(queries))
    expected = {term: _pages_using(term) for term in SEARCH_TERMS}
    hits = total = bare_hits = bare_total = 0
    misses = []
    for q, term in queries.items():
        want = expected[term]
        got = want & set(found[q])
        hits += len(got)
        total += len(want)
        if q == term:
            bare_hits += len(got)
            bare_total += len(want)
        if want - got:
            misses.append(f"«{q}»: {len(got)}/{len(want)} — 못 찾은 페이지 {sorted(want - got)}")
    print(f"검색 재현율: 낱말 그대로 {bare_hits}/{bare_total} = {bare_hits / max(bare_total, 1):.3f}, "
          f"조사 포함 전체 {hits}/{total} = {hits / max(total, 1):.3f} ({len(queries)}개 검색어)")
    return (hits / total if total else 1.0), misses


def test_korean_search_finds_every_page_using_the_word(server, browser):
    """용어 30개 × (그대로 + 은/는·이/가·을/를·의·에서) 검색이, 본문에 그 낱말을 쓴 모든 페이지를 찾음.

    이 책의 검색 언어(book/_ext/korean_search.py)가 색인과 검색어에서 조사를 똑같이 떼기 때문입니다.
    Sphinx 기본(언어 ko 가 없어 영어 색인)으로 같은 테스트를 돌리면 낱말 그대로 159/170 = 0.935,
    조사를 붙인 검색어까지 388/1020 = 0.380 이었습니다 (2026-12-01, 그때의 책)."""
    context = browser.new_context()
    page = context.new_page()
    recall, misses = _search_recall(page, server)
    context.close()
    print(f"한국어 검색 재현율(recall) = {recall:.3f}")
    assert not misses, f"재현율 {recall:.3f}:\n  " + "\n  ".join(misses[:20])


def test_search_stemmer_is_the_same_in_python_and_javascript(server, browser):
    """색인(파이썬)과 검색어(브라우저 JS)가 같은 규칙으로 조사를 뗌: 색인의 모든 낱말 + 조사 붙인 꼴로 비교."""
    sys.path.insert(0, str(ROOT / "book" / "_ext"))
    try:
        import korean_search
    finally:
        sys.path.pop(0)
    text = (HTML / "searchindex.js").read_text(encoding="utf-8")
    # 한글이 든 낱말만 (영어 낱말의 Porter 어간은 Sphinx 영어 검색과 같은 코드이고, 어간을 다시 자르면 달라짐)
    words = sorted(set(re.findall(r'"([가-힣A-Za-z0-9_]*[가-힣][가-힣A-Za-z0-9_]*)":', text)))
    samples = words + [w + p for w in words if re.search(r"[가-힣]$", w) for p in ("를", "은", "에서는", "들의")]
    samples += ["키를", "층의", "길이", "결과", "주의", "정확도", "헤드별", "QK를", "d_k의", "attention", "heads"]
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{server}/search.html", wait_until="load")
    page.wait_for_function("typeof Stemmer !== 'undefined'", timeout=20000)
    js = page.evaluate("ws => { const s = new Stemmer(); return ws.map(w => s.stemWord(w)); }", samples)
    context.close()
    py = [korean_search.stem_ko(w) for w in samples]
    diff = [(w, a, b) for w, a, b in zip(samples, py, js) if a != b]
    assert not diff, f"파이썬과 JS 가 다르게 뗌 (낱말, 파이썬, JS): {diff[:10]}"
    # 규칙이 실제로 일하는지 (이 테스트가 실패할 수 있도록)
    assert korean_search.stem_ko("헤드를") == "헤드" and korean_search.stem_ko("키를") == "키"
    assert korean_search.stem_ko("길이") == "길이" and korean_search.stem_ko("정확도") == "정확도"


def test_web_font_has_every_glyph_the_book_uses():
    """사이트가 싣는 웹 글꼴(Pretendard = BookKorean, 기호 BookSymbols)에 책이 쓰는 모든 글자(√, →, ᵀ, 아래 첨자 …)가 있음.

    읽는 사람에게 한글 글꼴이 없을 때 이 글꼴 하나로 모든 글자가 보여야 합니다 (수식은 MathJax 글꼴이 그림)."""
    import unicodedata

    from bs4 import BeautifulSoup
    from fontTools.ttLib import TTFont

    fonts = ROOT / "book" / "_vendor" / "vendor" / "fonts"
    symbols = set(TTFont(str(fonts / "BookSymbols.woff")).getBestCmap())   # 기호 대체 글꼴 (book_offline 이 만듦)
    cmaps = [set(TTFont(str(fonts / f"Pretendard-{w}.woff2")).getBestCmap()) | symbols for w in ("Regular", "Bold")]
    missing: dict[str, set[str]] = {}
    for rel in PAGES:
        soup = BeautifulSoup((HTML / rel).read_text(encoding="utf-8"), "html.parser")
        for junk in soup.select("script, style, .math, mjx-container"):
            junk.decompose()
        for ch in set(soup.get_text()):
            if ch.isspace() or unicodedata.category(ch).startswith("C"):
                continue
            if any(ord(ch) not in cmap for cmap in cmaps):
                missing.setdefault(ch, set()).add(rel)
    report = [f"{ch!r} U+{ord(ch):04X} {unicodedata.name(ch, '?')}: {sorted(p)[:3]}" for ch, p in sorted(missing.items())]
    assert not missing, "웹 글꼴에 없는 글자:\n  " + "\n  ".join(report)
