"""book_offline — 책을 인터넷 없이 읽을 수 있게 하는 Sphinx 로컬 확장.

1. 빌드가 노트북을 실행하기 전에 TRANSFORMER_BOOK_BUILD=1 을 켭니다. 커널이 이 값을 물려받으므로
   `transformer_lib.viz.show` / `head_view` 가 CDN 없이 그려지는 가벼운 HTML 을 냅니다.
2. 페이지마다 실제로 필요한 로컬 스크립트만 붙입니다 (모두 book/_vendor/vendor/ 에서, `node book/vendor.js` 가 복사):
     plotly 그림이 있으면   plotly.min.js (사이트에 한 벌, 브라우저가 캐시) + 웹 글꼴 도착 뒤 다시 그리기
     bertviz·위젯이 있으면  d3 → jQuery → require.js → define 심(shim) → (위젯이면) html-manager embed-amd.js
   순서가 중요합니다: plotly·d3·jQuery 는 require.js 보다 먼저 일반 스크립트로 실어야 익명 define() 충돌이 없고,
   require.js 는 테마 스크립트(clipboard.js 등) 뒤에 와야 합니다(priority 500 보다 큼).
3. sphinx-thebe 가 두 번 넣는 설정 스크립트(`THEBE_JS_URL` 중복 선언 오류)와 thebe 스크립트를 뺍니다.
4. 저장된 상태가 없는 위젯 뷰(예: 실행 중에 닫힌 tqdm 진행 막대)는 정적 페이지에서 빈 칸이 되므로 뺍니다.
5. MyST 대상 `(gloss-…)=` 같은 명시적 라벨을 `문서.md#라벨` 링크로도 찾을 수 있게 등록합니다
   (MyST 는 기본으로 제목 슬러그만 확인하여 -W 에서 경고가 됩니다).
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


def _check_vendor(app):
    root = Path(app.srcdir) / "book" / "_vendor"
    missing = [f for f in VENDOR_FILES if not (root / f).is_file()]
    if missing:
        raise ExtensionError(
            "오프라인 자산이 없습니다: " + ", ".join(missing)
            + " — `make vendor` (npm ci && node book/vendor.js) 를 먼저 실행하세요 "
            "(vendored browser assets missing; run `make vendor`)."
        )


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


def _saved_widget_ids(scripts) -> set:
    ids = set()
    for js in scripts or []:
        attrs = getattr(js, "attributes", None) or {}
        if attrs.get("type") == _WIDGET_STATE and attrs.get("body"):
            try:
                ids |= set(json.loads(attrs["body"]).get("state", {}))
            except ValueError:
                pass
    return ids


def _drop_orphan_widget_views(body: str, saved: set) -> str:
    def keep(match):
        try:
            model_id = json.loads(match.group(1)).get("model_id")
        except ValueError:
            return match.group(0)
        return match.group(0) if model_id in saved else ""

    return _WIDGET_VIEW.sub(keep, body)


def _add_page_assets(app, pagename, templatename, context, doctree):
    body = context.get("body", "") or ""
    if "application/vnd.jupyter.widget-view+json" in body:
        body = context["body"] = _drop_orphan_widget_views(body, _saved_widget_ids(context.get("script_files")))
    # thebe 설정 스크립트(두 번 선언되어 콘솔 오류)와 thebe 스크립트 제거
    scripts = context.get("script_files")
    if scripts is not None:
        kept = [
            js for js in scripts
            if "THEBE_JS_URL" not in str(getattr(js, "attributes", {}).get("body", ""))
            and "thebe" not in str(js)
        ]
        scripts[:] = kept
    has_plotly = "plotly-graph-div" in body
    has_widgets = "application/vnd.jupyter.widget-view+json" in body
    has_bertviz = "requirejs([" in body or "require([" in body
    prio = PRIORITY
    if has_plotly:
        app.add_js_file("vendor/plotly.min.js", priority=prio)
        app.add_js_file("plotly-fonts.js", priority=prio)
    if has_widgets or has_bertviz:
        for name in ("vendor/d3.min.js", "vendor/jquery.min.js", "vendor/require.min.js", "amd-shim.js"):
            prio += 1
            app.add_js_file(name, priority=prio)
    if has_widgets:
        app.add_js_file("vendor/html-manager/embed-amd.js", priority=prio + 1)


def setup(app):
    app.connect("builder-inited", _check_vendor)
    app.connect("doctree-read", _register_label_anchors)
    app.connect("html-page-context", _add_page_assets)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
