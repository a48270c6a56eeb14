"""book_offline — 책을 인터넷 없이 읽을 수 있게 하는 Sphinx 로컬 확장.

1. 빌드가 노트북을 실행하기 전에 TRANSFORMER_BOOK_BUILD=1 을 켭니다. 커널이 이 값을 물려받으므로
   `transformer_lib.viz.show` / `head_view` 가 CDN 없이 그려지는 가벼운 HTML 을 냅니다.
2. 페이지마다 실제로 필요한 로컬 스크립트만 붙입니다 (모두 book/_vendor/vendor/ 에서, `node book/vendor.js` 가 복사):
     plotly 그림이 있으면   late-loader.js (작은 일반 스크립트) + plotly-fonts.js (웹 글꼴 뒤 다시 재기, 휴대폰 맞춤)
     bertviz·위젯이 있으면  d3 → jQuery → require.js → define 심(shim) → (위젯이면) html-manager embed-amd.js (defer)
   plotly.min.js (4.8 MB, 사이트에 한 벌)는 <head>에서 싣지 않습니다: late-loader.js 가 페이지를 다 읽은 뒤, 9장처럼
   브라우저 안의 그림(.tl-live)이 있으면 그것이 그려진 뒤에 싣습니다(plotly.js 를 읽고 실행하는 1초 남짓 동안 탐색기가
   기다렸음). .tl-live 가 있는 페이지에서는 MathJax 도 같은 때에 싣습니다.
   본문의 plotly 그림 코드(`Plotly.newPlot(…)`)는 빌드 때 `window.bookPlotly(…)` 줄에 세우고, bertviz 의
   `requirejs(…)`는 DOMContentLoaded 뒤로 미룹니다(_run_after_deferred; defer 스크립트는 그 전에 모두 실행됨).
   require.js 가 있는 페이지에서는 plotly 를 require()로 실어 익명 define() 충돌이 없고, d3·jQuery 는 require.js 보다
   먼저 실립니다. require.js 는 테마 스크립트(clipboard.js 등) 뒤에 와야 합니다(priority 500 보다 큼).
   http 와 file:// 에서 똑같이 동작합니다(모듈 스크립트나 fetch 를 쓰지 않음).
3. sphinx-thebe 가 두 번 넣는 설정 스크립트(`THEBE_JS_URL` 중복 선언 오류)와 thebe 스크립트를 뺍니다.
4. 저장된 상태가 없는 위젯 뷰(예: 실행 중에 닫힌 tqdm 진행 막대)는 정적 페이지에서 빈 칸이 되므로 뺍니다.
   tqdm 진행 막대(위젯·글자 모두)도 멈춘 막대로만 보이므로 뺍니다.
5. 한국어 검색 언어(korean_search.py)와 그림 번호·캡션(book_figures.py)을 등록하고, 검색 결과 요약에서 코드·LaTeX 를 빼는 book-search.js 를 싣습니다.
6. MyST 대상 `(gloss-…)=` 같은 명시적 라벨을 `문서.md#라벨` 링크로도 찾을 수 있게 등록합니다
   (MyST 는 기본으로 제목 슬러그만 확인하여 -W 에서 경고가 됩니다).
7. 노트북에 적힌 사이트·저장소 절대 주소(Colab 에서 노트북만 열려도 동작하도록)를 읽을 때 로컬 상대 경로로 되돌립니다
   (book/colab.py 의 localize_links): 오프라인 사이트의 링크는 기계 밖으로 나가지 않고, 링크 대상은
   위 6 과 MyST 가 그대로 확인합니다. 저장소에 없는 파일을 가리키는 주소는 경고(-W 에서 오류)입니다.
"""
import json
import os
import re
from pathlib import Path

from docutils import nodes
from sphinx.errors import ExtensionError

BOOK_BUILD_ENV = "TRANSFORMER_BOOK_BUILD"
VENDOR_FILES = (
    "vendor/mathjax/tex-mml-chtml.js",
    "vendor/plotly.min.js",
    "vendor/d3.min.js",
    "vendor/jquery.min.js",
    "vendor/require.min.js",
    "vendor/html-manager/embed-amd.js",
    "vendor/fonts/Pretendard-Regular.woff2",
)
PRIORITY = 510  # 테마·copybutton(500) 뒤, html_js_files(800) 앞

os.environ[BOOK_BUILD_ENV] = "1"
# 빌드가 실행하는 노트북에서는 tqdm 진행 막대를 만들지 않습니다(정적 페이지에서 멈춘 막대로 남기 때문).
# 실행 캐시에 이미 든 막대는 아래 _progress_bar_ids / _drop_text_progress_bars 가 페이지에서 뺍니다.
os.environ.setdefault("TQDM_DISABLE", "1")


def _check_vendor(app):
    root = Path(app.srcdir) / "book" / "_vendor"
    missing = [f for f in VENDOR_FILES if not (root / f).is_file()]
    if missing:
        raise ExtensionError(
            "오프라인 자산이 없습니다: " + ", ".join(missing)
            + " — `make vendor` (npm ci && node book/vendor.js) 를 먼저 실행하세요 "
            "(vendored browser assets missing; run `make vendor`)."
        )


def _load_colab_links(srcdir):
    """book/colab.py 를 파일에서 바로 불러옵니다 (book/ 은 import 경로에 없음)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("_book_colab_links", Path(srcdir) / "book" / "colab.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _localize_links(app, docname, source):
    from sphinx.util import logging

    colab = getattr(app, "_book_colab_links", None)
    if colab is None:
        colab = app._book_colab_links = _load_colab_links(app.srcdir)

    def missing(url):
        logging.getLogger(__name__).warning(
            f"저장소에 없는 파일을 가리키는 주소입니다 (link target not in the repository): {url}", location=docname)

    source[0] = colab.localize_links(source[0], docname, app.srcdir, Path(app.srcdir) / "_config.yml", on_missing=missing)


#: 기호 대체 웹 글꼴(BookSymbols)에 담는 유니코드 범위: 한글 웹 글꼴(Pretendard)에 없는 기호들 (ᵀ ⊙ 등)
SYMBOL_RANGES = ((0x02B0, 0x02FF), (0x0370, 0x03FF), (0x1D00, 0x1DBF), (0x2000, 0x206F), (0x2070, 0x209F),
                 (0x2100, 0x214F), (0x2190, 0x21FF), (0x2200, 0x22FF), (0x2300, 0x23FF), (0x2500, 0x25FF),
                 (0x2600, 0x26FF), (0x2700, 0x27BF))
SYMBOL_FONT = "vendor/fonts/BookSymbols.woff"


def _make_symbol_font(app):
    """matplotlib 에 들어 있는 DejaVu Sans 에서 기호 범위만 잘라 웹 글꼴(BookSymbols.woff, 약 100KB)을 만듭니다.

    Pretendard 에는 ᵀ(U+1D40), ⊙(U+2299) 같은 글자가 없어, 읽는 사람의 컴퓨터에 그 글자를 가진 글꼴이 없으면 빈칸이
    됩니다. DejaVu 글꼴은 자유 라이선스(Bitstream Vera 계열)입니다. 이미 있으면 다시 만들지 않습니다."""
    target = Path(app.srcdir) / "book" / "_vendor" / SYMBOL_FONT
    if target.is_file():
        return
    import matplotlib
    from fontTools import subset

    source = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"
    options = subset.Options()
    options.flavor = "woff"          # zlib 압축 (woff2 는 brotli 가 필요)
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    font = subset.load_font(str(source), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[cp for lo, hi in SYMBOL_RANGES for cp in range(lo, hi + 1)])
    subsetter.subset(font)
    target.parent.mkdir(parents=True, exist_ok=True)
    subset.save_font(font, str(target), options)
    (target.parent / "LICENSE-DejaVu.txt").write_text(
        "BookSymbols.woff 는 DejaVu Sans (matplotlib 에 포함) 의 기호 부분입니다.\n"
        "DejaVu fonts: Bitstream Vera license + public domain changes, https://dejavu-fonts.github.io/License.html\n",
        encoding="utf-8")


def _register_label_anchors(app, doctree):
    """명시적 라벨 id 를 MyST 의 myst_slugs 에 더해 `glossary.md#gloss-attention` 링크를 확인 가능하게 합니다."""
    env = app.env
    meta = env.metadata.setdefault(env.docname, {})
    slugs = meta.get("myst_slugs")
    if slugs is None:
        slugs = meta["myst_slugs"] = {}
    for target in doctree.findall(nodes.target):
        ids = list(target.get("ids", []))
        refid = target.get("refid")
        if refid:
            ids.append(refid)
        for label in ids:
            if label and label not in slugs:
                slugs[label] = (target.line or 0, label, label)


_WIDGET_VIEW = re.compile(
    r'<script type="application/vnd\.jupyter\.widget-view\+json">(.*?)</script>', re.S)
_WIDGET_STATE = "application/vnd.jupyter.widget-state+json"


def _saved_widget_state(scripts) -> dict:
    state = {}
    for js in scripts or []:
        attrs = getattr(js, "attributes", None) or {}
        if attrs.get("type") == _WIDGET_STATE and attrs.get("body"):
            try:
                state.update(json.loads(attrs["body"]).get("state", {}))
            except ValueError:
                pass
    return state


def _saved_widget_ids(scripts) -> set:
    return set(_saved_widget_state(scripts))


def _progress_bar_ids(state: dict) -> set:
    """tqdm.auto 가 노트북에서 만드는 진행 막대(HBox[설명 HTML, FloatProgress, 숫자 HTML])의 모델 id.

    정적 페이지에서는 멈춘 막대로만 보이므로 뺍니다 (책 빌드는 TQDM_DISABLE=1 로 새로 만들지도 않습니다)."""
    ids = set()
    for model_id, model in state.items():
        if model.get("model_name") not in ("HBoxModel", "VBoxModel"):
            continue
        children = [c.replace("IPY_MODEL_", "") for c in model.get("state", {}).get("children", [])]
        kinds = {state.get(c, {}).get("model_name") for c in children}
        if kinds & {"FloatProgressModel", "IntProgressModel"}:
            ids.add(model_id)
    return ids


_EMPTY_OUTPUT = re.compile(r'<div class="cell_output docutils container">\s*</div>')


def _drop_orphan_widget_views(body: str, saved: set, drop: frozenset = frozenset()) -> str:
    """저장된 상태가 없는 위젯 뷰와 drop 에 든 뷰(진행 막대)를 빼고, 그래서 빈 출력 상자도 뺍니다."""
    def keep(match):
        try:
            model_id = json.loads(match.group(1)).get("model_id")
        except ValueError:
            return match.group(0)
        return match.group(0) if model_id in saved and model_id not in drop else ""

    return _EMPTY_OUTPUT.sub("", _WIDGET_VIEW.sub(keep, body))


# 글자 모드 tqdm (ipywidgets 가 없을 때): "학습: 100%|██████| 300/300 [00:03<00:00, 95.1it/s]"
_TQDM_TEXT = re.compile(r"\d+%\|.*?\|\s*\d+/\d+\s*\[[^\]]*(?:it/s|s/it)[^\]]*\]")
_STDERR_BLOCK = re.compile(
    r'<div class="output stderr highlight-myst-ansi notranslate"><div class="highlight"><pre>(.*?)</pre></div>\s*</div>',
    re.S)


def _drop_text_progress_bars(body: str) -> str:
    def clean(match):
        text = match.group(1)
        if not _TQDM_TEXT.search(text):
            return match.group(0)
        lines = [ln for ln in text.split("\n") if not _TQDM_TEXT.search(ln) and "\r" not in ln]
        rest = "\n".join(lines)
        if not re.sub(r"<[^>]+>", "", rest).strip():
            return ""
        return match.group(0).replace(text, rest)

    return _EMPTY_OUTPUT.sub("", _STDERR_BLOCK.sub(clean, body))


# 본문의 인라인 스크립트 중 나중에 실리는 라이브러리를 부르는 것: plotly 그림은 late-loader.js 의 줄에 세우고
# (plotly.js 가 실린 뒤 그려짐), bertviz 의 require 호출은 DOMContentLoaded 뒤로 미룹니다(require.js 는 defer).
_INLINE_SCRIPT = re.compile(r"<script(?P<attrs>(?:\s+type=\"text/javascript\")?)>(?P<code>.*?)</script>", re.S)
_WRAPS = (
    (("Plotly.newPlot(",), "window.bookPlotly(function () {"),
    (("requirejs(", "require(["), 'document.addEventListener("DOMContentLoaded", function () {'),
)


def _run_after_deferred(body: str) -> str:
    """Plotly·require.js 를 부르는 인라인 스크립트를 그 라이브러리가 실린 뒤에 실행되게 감쌉니다."""
    def wrap(match):
        code = match.group("code")
        for keys, opener in _WRAPS:
            if any(k in code for k in keys) and not code.lstrip().startswith(opener):
                return f"<script{match.group('attrs')}>{opener}\n{code}\n}});</script>"
        return match.group(0)

    return _INLINE_SCRIPT.sub(wrap, body)


def _add_page_assets(app, pagename, templatename, context, doctree):
    body = context.get("body", "") or ""
    if "application/vnd.jupyter.widget-view+json" in body:
        state = _saved_widget_state(context.get("script_files"))
        body = context["body"] = _drop_orphan_widget_views(body, set(state), frozenset(_progress_bar_ids(state)))
    if "%|" in body:
        body = context["body"] = _drop_text_progress_bars(body)
    # thebe 설정 스크립트(두 번 선언되어 콘솔 오류)와 thebe 스크립트 제거
    scripts = context.get("script_files")
    no_views = "application/vnd.jupyter.widget-view+json" not in body
    if scripts is not None:
        kept = [
            js for js in scripts
            if "THEBE_JS_URL" not in str(getattr(js, "attributes", {}).get("body", ""))
            and "thebe" not in str(js)
            # 위젯 뷰가 하나도 남지 않았으면(진행 막대뿐이었으면) 저장된 위젯 상태도 필요 없음
            and not (no_views and (getattr(js, "attributes", None) or {}).get("type") == _WIDGET_STATE)
        ]
        scripts[:] = kept
    has_plotly = "plotly-graph-div" in body
    has_widgets = "application/vnd.jupyter.widget-view+json" in body
    has_bertviz = "requirejs([" in body or "require([" in body
    prio = PRIORITY
    if has_plotly or has_bertviz:
        body = context["body"] = _run_after_deferred(body)
    # 무거운 스크립트는 late-loader.js 가 나중에 싣습니다: plotly.js 는 언제나, MathJax 는 브라우저 안의 그림이 있는
    # 페이지에서 (Sphinx 가 붙인 MathJax 스크립트를 빼고 같은 파일을 넘김). 이 처리기는 Sphinx 의 MathJax 처리기 뒤에 돕니다.
    late = {}
    if has_plotly:
        late["data-plotly"] = "vendor/plotly.min.js"
    if 'class="tl-live"' in body and scripts is not None:
        mathjax = [js for js in scripts if str(getattr(js, "filename", js)).endswith(app.config.mathjax_path)]
        if mathjax:
            scripts.remove(mathjax[0])
            late["data-mathjax"] = app.config.mathjax_path
    if late:
        app.add_js_file("late-loader.js", priority=prio, **late)   # 작은 일반 스크립트
    if has_plotly:
        app.add_js_file("plotly-fonts.js", priority=prio, defer="defer")
    if has_widgets or has_bertviz:
        for name in ("vendor/d3.min.js", "vendor/jquery.min.js", "vendor/require.min.js", "amd-shim.js"):
            prio += 1
            app.add_js_file(name, priority=prio, defer="defer")
    if has_widgets:
        app.add_js_file("vendor/html-manager/embed-amd.js", priority=prio + 1, defer="defer")
    if pagename == "search":
        app.add_js_file("book-search.js", priority=PRIORITY)  # 검색 결과 요약에서 코드·수식 원문을 뺌


def setup(app):
    # 한국어 검색 언어 (language: ko 이므로 Sphinx 가 이것으로 색인): 조사를 떼어 색인하고 검색어에서도 같게 뗌
    from korean_search import SearchKorean, rules_digest

    app.add_search_language(SearchKorean)
    # 그림 번호("그림 3.2")와 plotly 그림의 대체 글 (book_figures.py)
    import book_figures

    book_figures.setup(app)
    # 규칙이 바뀌면 모든 페이지를 다시 색인하도록: html_search_options 는 .buildinfo 해시에 들어가므로 모든 페이지가
    # 다시 쓰이고(색인도 다시), 바뀌지 않은 페이지의 낡은 색인 낱말이 searchindex.js 에 남지 않습니다.
    app.connect("config-inited", lambda app, config: config.html_search_options.update(
        {"book_ko_rules": rules_digest()}))
    app.connect("builder-inited", _check_vendor)
    app.connect("builder-inited", _make_symbol_font)
    app.connect("source-read", _localize_links)
    app.connect("doctree-read", _register_label_anchors)
    app.connect("html-page-context", _add_page_assets, priority=800)   # sphinx.ext.mathjax(500) 뒤
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
