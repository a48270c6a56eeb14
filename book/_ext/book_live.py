"""book_live — 책 사이트에서 학습된 번역기와 어텐션 지도가 브라우저 안에서 돌게 하는 Sphinx 로컬 확장.

1. 빌드를 시작할 때(config-inited) 체크포인트에서 내보낸 자산이 없거나 낡았으면 만듭니다:
   `python -m transformer_lib.toy.web_export --out _build/live` 와 같은 일 (Makefile 의 `make live` 도 같은 것을 부름).
   _build/live/site 를 html_static_path 에 더해 _static/live/ko_en_weights.js 로 싣습니다(저장소에는 넣지 않음).
2. 노트북 출력에 `<div class="tl-live">` 자리(transformer_lib/viz/_live.py)가 있는 페이지에만
   live.css, ko_en_weights.js(가중치), transformer_live.js(모델), live_widgets.js(조작 화면)를 붙입니다.
   모두 일반 스크립트(async: 페이지의 나머지를 다 읽기 전에 첫 지도를 그림)라서 디스크에서 연 사이트(file://)에서도
   됩니다(file:// 에서는 모듈 스크립트와 fetch 가 막힘).
"""
from pathlib import Path

LIVE_MARK = 'class="tl-live"'
SCRIPTS = ("live/ko_en_weights.js", "live/transformer_live.js", "live/live_widgets.js")
PRIORITY = 900  # 다른 스크립트 뒤


def _sources(root: Path):
    pkg = root / "transformer_lib"
    return [p for p in (pkg / "checkpoints").glob("*") if p.is_file()] + [
        pkg / "toy" / "web_export.py", pkg / "toy" / "explorer.py", pkg / "toy" / "messages.json", pkg / "decoding.py"]


def _ensure_assets(app, config):
    root = Path(app.srcdir)
    out = root / "_build" / "live"
    target = out / "site" / SCRIPTS[0]
    golden = out / "golden" / "golden.json"
    newest = max((p.stat().st_mtime for p in _sources(root) if p.exists()), default=0)
    if not (target.exists() and golden.exists()) or min(target.stat().st_mtime, golden.stat().st_mtime) < newest:
        from transformer_lib.toy.web_export import export

        for path, size in export(out).items():
            print(f"book_live: {path} ({size / 1e6:.2f} MB)")
    config.html_static_path.append(str(out / "site"))


def _add_page_assets(app, pagename, templatename, context, doctree):
    if LIVE_MARK not in (context.get("body", "") or ""):
        return
    app.add_css_file("live/live.css")
    for i, name in enumerate(SCRIPTS):
        # async: 페이지를 다 읽기 전에 실행. fetchpriority=high: http 에서 글꼴·다른 스크립트보다 먼저 받음(9장 첫 지도)
        app.add_js_file(name, priority=PRIORITY + i, **{"async": "async", "fetchpriority": "high"})   # 순서는 live_widgets.js 가 맞춤


def setup(app):
    app.connect("config-inited", _ensure_assets)
    app.connect("html-page-context", _add_page_assets)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
