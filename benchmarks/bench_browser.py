"""브라우저 안의 번역기 속도와 크기 (Chromium, 이 컴퓨터).

    .venv/bin/python benchmarks/bench_browser.py            # 먼저 책을 빌드하세요 (make book)
    .venv/bin/python benchmarks/bench_browser.py --html /tmp/live/repo/_build/html --repeats 7

잽니다
- 페이지 열기 → 첫 지도: 9장을 열 때 탐색 시작(navigation start)부터 탐색기의 히트맵이 처음 그려진 순간까지 (ms, 중앙값).
  http 와 file:// 각각. 브라우저 캐시 없는 새 창에서. 같은 페이지의 DOMContentLoaded 도 함께 적습니다: 9장 페이지는
  탐색기 말고도 plotly.js(4.8 MB)·수식·bertviz 를 싣기 때문에, 그것들을 뺀 "탐색기만 있는 페이지"(같은 세 스크립트와
  자리 하나, file://)의 값도 잽니다 — 탐색기 자체가 더하는 시작 시간입니다.
- 새 문장 → 다시 그린 지도: 입력 칸에 새 문장을 넣고 번역(탐욕적 디코딩, KV 캐시) + 모든 층·헤드의 지도 + 표 그리기 +
  레이아웃까지 걸린 시간 (ms, 문장 40개의 중앙값). 문장은 정답 파일(_build/live/golden/golden.json)에서.
- 종류·층·헤드 바꾸기: 다시 그리기만 (ms, 중앙값).
- 사이트에 더한 바이트: _static/live/ 의 파일들 (가중치·모델·조작 화면·CSS).
"""
from __future__ import annotations

import argparse
import functools
import http.server
import json
import statistics
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CH9 = "notebooks/09_attention_explorer.html"
FIRST_MAP = """() => new Promise(resolve => {
  const done = () => resolve([performance.now(), performance.timing.domContentLoadedEventStart - performance.timing.navigationStart]);
  const ok = () => document.querySelector('.tl-live[data-live=explorer] .tl-heat');
  if (ok()) return done();
  new MutationObserver((_, obs) => { if (ok()) { obs.disconnect(); done(); } })
    .observe(document.documentElement, {subtree: true, childList: true});
})"""
NEW_SENTENCE = """(texts) => {
  const root = document.querySelector('.tl-live[data-live=explorer]'), input = root.querySelector('.tl-input');
  const times = [];
  for (const t of texts) {
    const t0 = performance.now();
    input.value = t;
    root.tlAnalyse();                         // 번역 + 지도 + 표 (입력 칸의 Enter 와 같은 함수)
    root.querySelector('.tl-heat').offsetHeight;   // 레이아웃까지 강제
    times.push(performance.now() - t0);
  }
  return times;
}"""
SWITCH = """() => {
  const root = document.querySelector('.tl-live[data-live=explorer]'), times = [];
  for (const [k, l, h] of [['encoder','0','1'], ['decoder','1','2'], ['cross','0','3'], ['cross','1','mean']]) {
    const t0 = performance.now();
    for (const [sel, v] of [['.tl-kind', k], ['.tl-layer', l], ['.tl-head', h]]) {
      const s = root.querySelector(sel); s.value = v; s.dispatchEvent(new Event('change'));
    }
    root.querySelector('.tl-heat').offsetHeight;
    times.push((performance.now() - t0) / 3);     // 선택 하나 바꿀 때마다 다시 그림 → 한 번의 시간
  }
  return times;
}"""


def _explorer_alone_page(html: Path) -> Path:
    """사이트의 세 스크립트와 CSS, 탐색기 자리 하나만 있는 페이지 (임시 폴더)."""
    import shutil
    import tempfile

    d = Path(tempfile.mkdtemp(prefix="bench_live_"))
    shutil.copytree(html / "_static" / "live", d / "live")
    opts = json.dumps({"sentence": "소년은 공원에서 빨간 사과를 먹는다", "kinds": ["cross", "encoder", "decoder"],
                       "steps": True, "detail": True}, ensure_ascii=False).replace('"', "&quot;")
    (d / "alone.html").write_text(
        '<!doctype html><meta charset="utf-8"><link rel="stylesheet" href="live/live.css">'
        + "".join(f'<script async src="live/{n}"></script>' for n in
                  ("ko_en_weights.js", "transformer_live.js", "live_widgets.js"))
        + f'<div class="tl-live" data-live="explorer" data-options="{opts}"></div>', encoding="utf-8")
    return d / "alone.html"


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--html", type=Path, default=ROOT / "_build" / "html")
    p.add_argument("--golden", type=Path, default=None)
    p.add_argument("--repeats", type=int, default=7)
    p.add_argument("--chromium", default="/usr/bin/chromium")
    args = p.parse_args(argv)
    html = args.html.resolve()
    golden = args.golden or html.parent / "live" / "golden" / "golden.json"
    texts = [g["text"] for g in json.loads(golden.read_text(encoding="utf-8"))["sentences"] if g["level"] != "error"]
    texts = texts[::max(1, len(texts) // 40)][:40]
    alone = _explorer_alone_page(html)

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(html)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    urls = {"http": f"http://127.0.0.1:{httpd.server_address[1]}/{CH9}", "file": (html / CH9).as_uri(),
            "explorer alone, file": alone.as_uri()}

    from playwright.sync_api import sync_playwright

    results = {}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=args.chromium, args=["--no-sandbox", "--disable-gpu"])
        for via, url in urls.items():
            first, dcl = [], []
            for _ in range(args.repeats):
                ctx = browser.new_context(viewport={"width": 1280, "height": 900})
                page = ctx.new_page()
                page.goto(url, wait_until="commit")
                t_map, _ = page.evaluate(FIRST_MAP)        # performance.now() 는 탐색 시작부터의 ms
                page.wait_for_load_state("domcontentloaded")
                first.append(t_map)
                dcl.append(page.evaluate("performance.timing.domContentLoadedEventStart - performance.timing.navigationStart"))
                ctx.close()
            results[f"page load → first map ({via}), ms"] = statistics.median(first)
            results[f"  same page: DOMContentLoaded ({via}), ms"] = float(statistics.median(dcl))
        ctx = browser.new_context(viewport={"width": 1280, "height": 900})
        page = ctx.new_page()
        page.goto(urls["http"])
        page.wait_for_selector(".tl-live[data-ready=yes] .tl-heat")
        page.evaluate(NEW_SENTENCE, texts[:5])               # 데우기(JIT)
        new = []
        for _ in range(args.repeats):
            new += page.evaluate(NEW_SENTENCE, texts)
        results["new sentence → redrawn map, ms (median)"] = statistics.median(new)
        results["new sentence → redrawn map, ms (p90)"] = sorted(new)[int(0.9 * len(new))]
        results["kind/layer/head change → redraw, ms (median)"] = statistics.median(page.evaluate(SWITCH))
        ctx.close()
        browser.close()
    httpd.shutdown()

    live = html / "_static" / "live"
    sizes = {f.name: f.stat().st_size for f in sorted(live.iterdir())}
    results["bytes added (_static/live)"] = sum(sizes.values())
    import os

    print(f"Chromium, {len(texts)} sentences × {args.repeats} repeats, 1-min load average {os.getloadavg()[0]:.1f}"
          f" on {os.cpu_count()} CPUs")
    for k, v in results.items():
        print(f"  {k:48s} {v:10.1f}" if isinstance(v, float) else f"  {k:48s} {v:10,d}")
    for name, size in sizes.items():
        print(f"    {name:28s} {size:10,d} bytes")
    import subprocess

    node = subprocess.run(["node", str(ROOT / "benchmarks" / "bench_live_node.js"), str(html.parent / "live")],
                          capture_output=True, text=True)
    print("  Node (same model code):", (node.stdout or node.stderr).strip())
    return results


if __name__ == "__main__":
    main()
