"""강의 슬라이드 테스트: 만들어진 덱(_build/html/slides/*.html)을 인터넷 없이 Chromium 으로 열어 끝까지 넘깁니다.

덱마다
- 콘솔 오류 0, 페이지 오류 0, 로컬 요청 실패 0, 바깥 호스트로 가는 요청 0 (모든 요청을 가로채 기록)
- 모든 슬라이드를 차례로 넘기며: 수식 원문($…$, \\(…\\))이 남지 않고 MathJax 가 그렸음, plotly 그림은 SVG 가
  그 슬라이드 크기로 그려짐, 글자는 1280×720 에서 24px 이상, 내용이 슬라이드(720px) 밖으로 넘치지 않음
- 슬라이드 수 15~30, 연습 문제·정답이 슬라이드에 없음, 발표자 노트가 있음
- 그림이 있는 첫 슬라이드의 스크린숏: _build/screenshots/slides-<장>.png
그리고 장마다 첫머리에 덱 링크가 있고, '강의 자료' 페이지가 모든 덱에 링크합니다.

덱은 `make slides`(make book 이 함께 실행)가 만듭니다. 사이트 위치는 BOOK_HTML 로 바꿀 수 있습니다.
"""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from sitekit import HTML, SHOTS, block_offsite

ROOT = Path(__file__).resolve().parents[1]
MIN_SLIDES, MAX_SLIDES = 15, 30
MIN_TEXT_PX = 24

sys.path.insert(0, str(ROOT / "book" / "slides"))
import build as slides_build  # noqa: E402

CHAPTERS = slides_build.chapters_in_toc(ROOT)


def _ensure_decks() -> None:
    if not (HTML / "index.html").is_file():
        # 책도 없으면 make book (책 + 덱). 책만 있으면 덱만 만듭니다.
        subprocess.run(["make", "book"], check=True, cwd=ROOT)
    if any(not (HTML / "slides" / f"{name}.html").is_file() for name in CHAPTERS):
        slides_build.build(HTML, HTML.parent / "jupyter_execute")


@pytest.fixture(scope="module")
def deck_server(server):
    _ensure_decks()
    return server


# 지금 슬라이드를 재는 스크립트: 수식 원문, 그림, 글자 크기, 넘침
_INSPECT = r"""
() => {
  const s = Reveal.getCurrentSlide();
  const scale = Reveal.getScale();
  const clone = s.cloneNode(true);
  clone.querySelectorAll('aside.notes, pre, code, mjx-container, script, style, .js-plotly-plot, svg')
       .forEach(e => e.remove());
  const text = clone.textContent;
  const rawMath = (text.match(/\$[^$\s][^$]*\$|\\\(|\\\[|\$\$/g) || []);
  const small = [];
  s.querySelectorAll('p, li, td, th, pre, h1, h2, h3, h4').forEach(e => {
    if (e.closest('aside.notes') || !e.textContent.trim() || e.offsetParent === null) return;
    const px = parseFloat(getComputedStyle(e).fontSize) * scale;
    if (px < %MIN% - 0.01) small.push(e.tagName + ' ' + px.toFixed(1) + 'px: ' + e.textContent.trim().slice(0, 40));
  });
  const plots = [...s.querySelectorAll('.js-plotly-plot')].map(gd => {
    const svg = gd.querySelector('svg.main-svg');
    const r = svg ? svg.getBoundingClientRect() : null;
    return {svg: !!svg, w: r ? r.width : 0, h: r ? r.height : 0,
            traces: gd.querySelectorAll('.trace, .heatmaplayer image, .cartesianlayer .plot path').length};
  });
  // 넘침: 슬라이드 안 마지막 요소의 아래 끝이 슬라이드(720px) 안에 있어야 함
  const frame = document.querySelector('.reveal .slides').getBoundingClientRect();  // 1280×720 화면
  const top = frame.top, left = frame.left;
  let bottom = 0, right = 0;
  s.querySelectorAll('h1,h2,h3,h4,p,li,table,img,pre,.js-plotly-plot,mjx-container[display="true"],figure')
   .forEach(e => { if (!e.closest('aside.notes') && e.offsetParent !== null) {
     const r = e.getBoundingClientRect();
     bottom = Math.max(bottom, (r.bottom - top) / scale); right = Math.max(right, (r.right - left) / scale); } });
  const figures = s.querySelectorAll('.jp-OutputArea-output img, figure img, .js-plotly-plot, .bv-container, svg#vis').length;
  return {rawMath, small, plots, bottom, right, figures, mjx: s.querySelectorAll('mjx-container').length,
          merror: s.querySelectorAll('mjx-merror').length,
          title: (s.querySelector('h1,h2,h3') || {textContent: ''}).textContent.trim().slice(0, 50)};
}
""".replace("%MIN%", str(MIN_TEXT_PX))


@pytest.mark.parametrize("name", CHAPTERS)
def test_deck(name, deck_server, browser):
    ctx = browser.new_context(viewport={"width": 1280, "height": 720})
    page = ctx.new_page()
    errors, offsite, failed = [], [], []

    block_offsite(page, offsite)
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)

    page.goto(f"{deck_server}/slides/{name}.html", wait_until="load")
    page.wait_for_function("window.Reveal && Reveal.isReady()", timeout=30000)
    page.wait_for_function("window.MathJax && MathJax.startup && MathJax.startup.promise", timeout=30000)
    page.evaluate("MathJax.startup.promise")
    page.evaluate("document.fonts.ready.then(() => true)")

    total = page.evaluate("Reveal.getTotalSlides()")
    problems = []
    assert MIN_SLIDES <= total <= MAX_SLIDES, f"{name}: 슬라이드 {total}장 (50분 강의에 {MIN_SLIDES}~{MAX_SLIDES}장)"
    shot = SHOTS / f"slides-{name}.png"
    shot_taken, seen, n_math, n_plots = False, 0, 0, 0
    page.evaluate("Reveal.slide(0, 0)")
    while True:
        page.wait_for_timeout(60)
        info = page.evaluate(_INSPECT)
        idx = page.evaluate("JSON.stringify(Reveal.getIndices())")
        where = f"{name} 슬라이드 {idx} «{info['title']}»"
        seen += 1
        n_math += info["mjx"]
        if info["rawMath"]:
            problems.append(f"{where}: 조판되지 않은 수식 {info['rawMath'][:3]}")
        if info["merror"]:
            problems.append(f"{where}: MathJax 오류 {info['merror']}개")
        if info["small"]:
            problems.append(f"{where}: {MIN_TEXT_PX}px 보다 작은 글자 {info['small'][:2]}")
        if info["bottom"] > 720 + 1:
            problems.append(f"{where}: 내용이 슬라이드 밖으로 넘침 (아래 끝 {info['bottom']:.0f}px > 720px)")
        if info["right"] > 1280 + 1:
            problems.append(f"{where}: 내용이 슬라이드 오른쪽 밖으로 넘침 ({info['right']:.0f}px > 1280px)")
        for k, plot in enumerate(info["plots"]):
            n_plots += 1
            if not plot["svg"] or plot["w"] < 300 or plot["h"] < 200 or plot["traces"] == 0:
                problems.append(f"{where}: plotly 그림 {k} 이 그려지지 않음 {plot}")
        if info["figures"] and not shot_taken:
            SHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(shot))
            shot_taken = True
        if page.evaluate("Reveal.isLastSlide()"):
            break
        page.evaluate("Reveal.next()")

    html = (HTML / "slides" / f"{name}.html").read_text(encoding="utf-8")
    ctx.close()
    assert not errors, f"{name}: 콘솔 오류 {errors[:5]}"
    assert not offsite, f"{name}: 바깥으로 나간 요청 {offsite[:5]}"
    assert not failed, f"{name}: 실패한 요청 {failed[:5]}"
    assert seen == total, f"{name}: {total}장 중 {seen}장만 넘김"
    assert not problems, "\n".join(problems)
    assert shot_taken, f"{name}: 그림이 있는 슬라이드가 없음"
    assert n_math > 0 or "$" not in html, f"{name}: 수식이 하나도 조판되지 않음"
    assert n_plots > 0 or "plotly-graph-div" not in html, f"{name}: plotly 그림을 하나도 보지 못함"
    assert '<aside class="notes">' in html, f"{name}: 발표자 노트가 없음"
    assert not re.search(r"<h\d[^>]*>\s*연습\s*문제", html), f"{name}: 슬라이드에 연습 문제 절이 들어감"
    assert "정답 예시" not in html, f"{name}: 슬라이드에 정답이 들어감"


def test_links_to_decks(deck_server):
    """각 장 첫머리와 '강의 자료' 페이지에서 덱으로 가는 링크가 있고, 그 파일이 있습니다."""
    teaching = (HTML / "book" / "teaching.html").read_text(encoding="utf-8")
    for name in CHAPTERS:
        page = (HTML / "notebooks" / f"{name}.html").read_text(encoding="utf-8")
        assert f'href="../slides/{name}.html"' in page, f"{name}: 장 첫머리에 슬라이드 링크가 없음"
        assert f'href="../slides/{name}.html"' in teaching, f"강의 자료 페이지에 {name} 덱 링크가 없음"
        assert (HTML / "slides" / f"{name}.html").is_file()
        guide = re.search(r'href="\.\./book/teaching\.html#(teach-\d\d)"', page)
        assert guide and f'id="{guide.group(1)}"' in teaching, f"{name}: 강의 안내 절로 가는 링크가 없거나 깨짐"


def test_deck_rules():
    """덱 규칙: 표시 없는 셀은 빠지고, 연습 문제부터는 싣지 않으며, 문단은 발표자 노트로 갑니다."""
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("# 1. 제목\n\n소개 문단입니다.", metadata={"slideshow": {"slide_type": "slide"}}),
        nbformat.v4.new_code_cell("x = 1"),  # 표시 없음 → 빠짐
        nbformat.v4.new_markdown_cell("설명 $$a = b$$\n\n$$\nQK^\\top\n$$\n\n## 1.1 다음 절\n\n- 요점",
                                      metadata={"slideshow": {"slide_type": "-"}}),
        nbformat.v4.new_markdown_cell("## 핵심 정리\n\n- 하나\n\n## 연습 문제\n\n문제", metadata={"slideshow": {"slide_type": "slide"}}),
        nbformat.v4.new_code_cell("answer = 42  # 정답 예시", metadata={"slideshow": {"slide_type": "slide"}}),
    ]
    deck = slides_build.deck_notebook(nb)
    kinds = [(c.cell_type, c.metadata["slideshow"]["slide_type"], c.source) for c in deck.cells]
    assert kinds[0] == ("markdown", "slide", "# 1. 제목")
    assert kinds[1] == ("markdown", "notes", "소개 문단입니다.")
    assert ("markdown", "slide", "## 1.1 다음 절\n\n- 요점") in kinds
    assert all("x = 1" not in s and "정답" not in s and "연습 문제" not in s for _, _, s in kinds)
    assert ("markdown", "slide", "## 핵심 정리\n\n- 하나") in kinds
