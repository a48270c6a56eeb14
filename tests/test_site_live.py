"""브라우저 테스트: 책 사이트의 살아 있는 그림(issue 8). 만들어진 _build/html 을 http 로, 그리고 디스크에서(file://) 엽니다.

- 9장 탐색기에 새 문장을 넣으면 번역과 히트맵이 바뀌고, 그 값이 PyTorch 로 만든 정답 파일과 같음
  (정답 파일: 빌드의 book_live 확장이나 `make live` 가 쓰는 _build/live/golden/golden.json)
- 잘못된 입력에는 파이썬 탐색기와 같은 안내 문구
- 단계별 디코딩: 단계를 옮기면 그 단계의 크로스 어텐션 행과 상위 5개 확률
- 1장의 "배율 c" 슬라이더가 그림을 바꿈, 5장·7장의 작은 그림이 그려짐
- 콘솔 오류 0, 바깥으로 나가는 요청 0, 390 px 에서 옆으로 밀리지 않음
- 사이트 어디에도 움직이지 않는 ipywidgets 조작(슬라이더·드롭다운·입력 칸)이 남아 있지 않음
"""
from __future__ import annotations

import json
import math
import re
from pathlib import Path

import pytest
from sitekit import block_offsite

ROOT = Path(__file__).resolve().parents[1]
HTML = ROOT / "_build" / "html"
GOLDEN = ROOT / "_build" / "live" / "golden" / "golden.json"
CH9 = "notebooks/09_attention_explorer.html"
TOL = 2e-3   # 사이트의 16비트 가중치 (tests/js 가 1e-3 이하임을 확인)



@pytest.fixture(scope="module")
def golden(built_site):
    """정답 파일: 책 빌드(conftest.built_site, 없으면 한 번 빌드)가 book_live 확장으로 함께 만듭니다."""
    return json.loads(GOLDEN.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def base_urls(server):
    return {"http": server + "/", "file": HTML.as_uri() + "/"}


def _open(browser, url, width=1280):
    """페이지를 열고 (page, 콘솔 오류 목록, 막은 바깥 요청 목록)을 돌려줍니다."""
    ctx = browser.new_context(viewport={"width": width, "height": 900})
    page = ctx.new_page()
    errors, offsite = [], []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" and "favicon" not in m.text else None)
    page.on("pageerror", lambda e: errors.append(str(e)))

    block_offsite(page, offsite)
    page.goto(url)
    page.wait_for_selector(".tl-live[data-ready=yes]", timeout=20_000)
    return page, errors, offsite


def _heat(root):
    """히트맵 표 → (값 행렬, 행 이름, 열 이름). 가려진 칸은 data-v 의 값(0)."""
    return root.evaluate("""r => {
        const t = r.querySelector('.tl-heat');
        return [Array.from(t.tBodies[0].rows, tr => Array.from(tr.cells).slice(1).map(td => +td.dataset.v)),
                Array.from(t.tBodies[0].rows, tr => tr.cells[0].textContent),
                Array.from(t.tHead.rows[0].cells).slice(1).map(th => th.textContent)]; }""")


def _close(a, b):
    return len(a) == len(b) and all(len(r) == len(s) and all(abs(x - y) <= TOL for x, y in zip(r, s))
                                    for r, s in zip(a, b))


def _type(page, root, text):
    box = root.locator(".tl-input")
    box.fill(text)
    box.press("Enter")


def _pick(golden):
    """정답 파일에서 성격이 다른 새 문장 넷: 보류한 조합, 더 긴 문장, 문장부호, 모르는 단어(경고)."""
    s = golden["sentences"]
    picks = [next(g for g in s if g["level"] == "ok"),
             next(g for g in s if len(g["src_tokens"]) >= 11 and g["level"] != "error"),
             next(g for g in s if g["text"].endswith("?") and g["level"] != "error"),
             next(g for g in s if g["level"] == "warning" and "<unk>" in g["message"])]
    return picks


@pytest.mark.parametrize("via", ["http", "file"])
def test_ch9_explorer_translates_new_sentences_like_pytorch(browser, base_urls, golden, via):
    page, errors, offsite = _open(browser, base_urls[via] + CH9)
    root = page.locator(".tl-live[data-live=explorer]").first
    assert root.locator(".tl-kind option").count() == 3
    assert root.locator(".tl-layer option").all_text_contents() == ["층 0", "층 1"]
    assert root.locator(".tl-head option").first.text_content() == "헤드 0"
    for g in _pick(golden):
        before = root.locator(".tl-heatmap").inner_html()
        _type(page, root, g["text"])
        page.wait_for_function("([r, t]) => r.querySelector('.tl-en') && r.querySelector('.tl-en').textContent === t",
                               arg=[root.element_handle(), g["translation"]], timeout=5000)
        assert root.locator(".tl-heatmap").inner_html() != before, g["text"]
        # 기본 선택: 크로스 어텐션, 마지막 층(1), 헤드 0
        w, rows, cols = _heat(root)
        assert rows == g["outputs"] and cols == g["src_tokens"]
        assert _close(w, g["maps"]["cross"][1][0]), g["text"]
        if g["message"]:
            assert root.locator(".tl-message").text_content().endswith(g["message"])
    # 다른 종류·층·헤드
    root.locator(".tl-kind").select_option("encoder")
    root.locator(".tl-layer").select_option("0")
    root.locator(".tl-head").select_option("2")
    w, rows, cols = _heat(root)
    assert rows == cols == g["src_tokens"] and _close(w, g["maps"]["encoder"][0][2])
    root.locator(".tl-kind").select_option("decoder")
    w, rows, cols = _heat(root)
    assert _close(w, g["maps"]["decoder"][0][2]) and cols == g["dec_inputs"]
    n = len(rows)
    assert root.locator(".tl-heat td.tl-masked").count() == n * (n - 1) // 2   # 룩어헤드 마스크
    assert not errors, errors
    assert not offsite, offsite
    page.context.close()


_FIRST_MAP_WATCH = """new MutationObserver((records, obs) => {
    const root = document.querySelector('.tl-live[data-live=explorer]');
    if (root && root.getAttribute('data-ready') === 'yes') {
        window.__atFirstMap = {plotly: !!window.Plotly, mathjax: !!(window.MathJax && window.MathJax.startup)};
        obs.disconnect();
    }
}).observe(document, {subtree: true, childList: true, attributes: true, attributeFilter: ['data-ready']});"""


@pytest.mark.parametrize("via", ["http", "file"])
def test_ch9_first_map_does_not_wait_for_plotly_or_mathjax(browser, base_urls, via):
    """late-loader.js: plotly.js(4.8 MB)와 MathJax 는 탐색기의 첫 지도가 그려진 뒤에 실리고, 그다음 그림과 수식이
    그려집니다 (그 둘을 먼저 실으면 첫 지도가 1초 넘게 늦었음: benchmarks/bench_browser.py)."""
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    page = ctx.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.add_init_script(_FIRST_MAP_WATCH)
    page.goto(base_urls[via] + CH9)
    page.wait_for_function("() => window.Plotly && document.querySelector('.js-plotly-plot .main-svg')"
                           " && document.querySelector('mjx-container')", timeout=30_000)
    at_first_map = page.evaluate("window.__atFirstMap")
    ctx.close()
    assert at_first_map == {"plotly": False, "mathjax": False}, at_first_map
    assert not errors


def test_ch9_step_through_decoding(browser, base_urls, golden):
    page, errors, _ = _open(browser, base_urls["http"] + CH9)
    root = page.locator(".tl-live[data-live=explorer]").first
    g = _pick(golden)[0]
    _type(page, root, g["text"])
    page.wait_for_function("([r, t]) => r.querySelector('.tl-en').textContent === t",
                           arg=[root.element_handle(), g["translation"]])
    for step in (1, 2):
        root.locator(".tl-next").click()
        assert root.locator(".tl-step-label").text_content().startswith(f"{step} / {len(g['outputs']) - 1}")
        top5 = root.locator(".tl-top5 .tl-bar-name").all_text_contents()
        assert top5[0] == g["outputs"][step] and len(top5) == 5
        probs = [float(v) for v in root.locator(".tl-top5 .tl-bar-val").all_text_contents()]
        assert all(abs(p - q) < 2e-3 for p, q in zip(probs, g["top5_probs"][step]))
        cross = [float(v) for v in root.locator(".tl-cross-row .tl-bar-val").all_text_contents()]
        assert all(abs(p - q) < 2e-3 for p, q in zip(cross, g["maps"]["cross"][1][0][step]))
        assert root.locator(".tl-heat tr.tl-current th").text_content() == g["outputs"][step]
    root.locator(".tl-detail summary").click()
    root.locator(".tl-detail table").nth(5).wait_for()
    assert root.locator(".tl-detail table").count() == 6     # Q, K, V, 점수, 마스크, 소프트맥스
    assert not errors, errors
    page.context.close()


@pytest.mark.parametrize("via", ["http", "file"])
def test_ch9_bad_inputs_get_the_python_messages(browser, base_urls, golden, via):
    page, errors, offsite = _open(browser, base_urls[via] + CH9)
    root = page.locator(".tl-live[data-live=explorer]").first
    checks = {c["text"]: c for c in golden["checks"]}
    for text in ["가" * 1000, "소년은 🍎를 먹는다", "", "I like apples", "소년은 사과가 먹는다"]:
        c = checks[text]
        _type(page, root, text)
        page.wait_for_function("([r, m]) => r.querySelector('.tl-message').textContent.endsWith(m)",
                               arg=[root.element_handle(), c["message"]], timeout=5000)
        if c["level"] == "error":
            assert root.locator(".tl-heat").count() == 0 and root.locator(".tl-en").count() == 0
        else:
            assert root.locator(".tl-en").text_content() == c["translation"]
    assert "1000자" in checks["가" * 1000]["message"] and "🍎" in checks["소년은 🍎를 먹는다"]["message"]
    assert not errors and not offsite, (errors, offsite)
    page.context.close()


def test_ch1_scale_slider_changes_the_chart(browser, base_urls):
    page, errors, offsite = _open(browser, base_urls["file"] + "notebooks/01_self_attention.html")
    root = page.locator(".tl-live[data-live=softmax-scale]")
    assert root.count() == 1
    opts = json.loads(root.get_attribute("data-options"))
    before = root.locator(".tl-bar-val").all_text_contents()
    root.locator("input[type=range]").fill("1.8")
    assert "× 1.80" in root.locator(".tl-sub").text_content()
    after = [float(v) for v in root.locator(".tl-bar-val").all_text_contents()]
    e = [math.exp(1.8 * s) for s in opts["scores"]]
    assert all(abs(a - x / sum(e)) < 1e-3 for a, x in zip(after, e))
    assert [f"{v:.3f}" for v in after] != before
    assert not errors and not offsite, (errors, offsite)
    page.context.close()


@pytest.mark.parametrize("chapter, kind, masked", [("05_masking", "디코더 셀프 어텐션", True),
                                                   ("07_decoder", "크로스 어텐션", False)])
def test_small_live_figures(browser, base_urls, chapter, kind, masked):
    page, errors, offsite = _open(browser, base_urls["http"] + f"notebooks/{chapter}.html")
    root = page.locator(".tl-live[data-live=explorer]")
    assert root.count() == 1 and root.locator(".tl-kind").count() == 0          # 종류가 하나뿐이면 고르는 칸 없음
    assert (root.locator(".tl-heat td.tl-masked").count() > 0) == masked
    assert root.locator(".tl-caption").text_content().startswith(kind)
    assert not errors and not offsite, (errors, offsite)
    page.context.close()


def test_phone_width_controls_stack_and_page_never_scrolls_sideways(browser, base_urls, golden):
    page, errors, _ = _open(browser, base_urls["http"] + CH9, width=390)
    root = page.locator(".tl-live[data-live=explorer]").first
    longest = max((g for g in golden["sentences"] if g["level"] != "error"), key=lambda g: len(g["src_tokens"]))
    _type(page, root, longest["text"])
    page.wait_for_function("r => r.querySelector('.tl-en')", arg=root.element_handle())
    ys = [root.locator(sel).bounding_box()["y"] for sel in (".tl-input", ".tl-kind", ".tl-layer", ".tl-head")]
    assert ys == sorted(ys) and len(set(round(y) for y in ys)) == 4, ys          # 세로로 쌓임
    box = root.locator(".tl-heatmap")
    assert box.bounding_box()["x"] + box.bounding_box()["width"] <= 390
    assert box.evaluate("e => e.scrollWidth > e.clientWidth")                   # 표는 자기 상자 안에서만 스크롤
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    assert not errors, errors
    page.context.close()


_CONTROL_MODELS = re.compile(r'"_model_name":\s*"(\w*(Slider|Dropdown|Text|Textarea|Button|Checkbox|Select\w*|Toggle\w*|'
                             r'Play|Combobox|Picker)Model)"')


def test_no_dead_ipywidgets_controls_on_the_site(built_site):
    """커널 없는 사이트에서 움직이지 않는 ipywidgets 조작은 하나도 없어야 합니다 (움직이는 그림이나 정적인 그림으로)."""
    dead = {}
    for page in HTML.rglob("*.html"):
        found = sorted({m.group(1) for m in _CONTROL_MODELS.finditer(page.read_text(encoding="utf-8"))})
        if found:
            dead[str(page.relative_to(HTML))] = found
    assert not dead, dead
