"""그림 번호와 캡션: 모든 장의 그림에 "그림 3.2 …" 처럼 장 번호가 붙은 한국어 번호를 답니다.

쓰는 법 (노트북 셀 메타데이터 — 코드와 본문은 건드리지 않음):

    "metadata": {"mystnb": {"figure": {"caption": "헤드마다 다른 어텐션 맵"},
                            "image": {"alt": "헤드 4개의 8×8 어텐션 히트맵; 헤드 0은 바로 앞 토큰을 봄"}}}

- matplotlib 그림(image/png)과 plotly 그림(text/html) 모두 myst-nb 가 캡션이 달린 figure 로 감쌉니다
  (myst-nb 는 셀의 display_data 출력마다 figure 를 만듭니다).
- 이 확장은 페이지를 쓰기 직전(doctree-resolved)에 그 페이지의 figure 를 문서 순서대로 세어 캡션 앞에
  "그림 <장>.<n>" 을 붙이고, plotly 그림에는 image.alt 를 role="img" aria-label 로 붙입니다.
  장 번호는 문서 이름의 앞 숫자(notebooks/03_multi_head → 3)이고, 없으면 "그림 n" 입니다.
- 마크다운 셀의 ```{figure}``` 지시문(구조도 SVG 등)도 같은 방법으로 번호가 붙습니다.
"""
from __future__ import annotations

import html
import re

from docutils import nodes

_CHAPTER = re.compile(r"(?:^|/)(\d+)_")


def chapter_number(docname: str) -> "int | None":
    m = _CHAPTER.search(docname)
    return int(m.group(1)) if m else None


def _cell_alt(node) -> str:
    """figure 를 담은 노트북 셀의 mystnb.image.alt (없으면 빈 문자열)."""
    while node is not None:
        meta = node.get("cell_metadata") if isinstance(node, nodes.Element) else None
        if isinstance(meta, dict):
            return str(meta.get("mystnb", {}).get("image", {}).get("alt", "") or "")
        node = node.parent
    return ""


def number_figures(app, doctree, docname) -> None:
    chapter = chapter_number(docname)
    count = 0
    for figure in doctree.findall(nodes.figure):
        captions = [c for c in figure.children if isinstance(c, nodes.caption)]
        if not captions:
            continue
        count += 1
        label = f"그림 {chapter}.{count}" if chapter is not None else f"그림 {count}"
        captions[0].insert(0, nodes.inline("", label + " ", classes=["caption-number"]))
        figure["classes"].append("book-figure")
        alt = _cell_alt(figure)
        for raw in list(figure.findall(nodes.raw)):
            if "plotly-graph-div" in raw.astext() and alt:
                figure["classes"].append("book-plotly-figure")
                text = raw.astext().replace(
                    'class="plotly-graph-div"',
                    f'class="plotly-graph-div" role="img" aria-label="{html.escape(alt, quote=True)}"', 1)
                raw.replace_self(nodes.raw("", text, format="html"))


def _no_sphinx_numbers(app, config):
    # jupyter-book 은 numfig 를 켜므로 Sphinx 가 "그림 36" 같은 책 전체 번호를 또 붙입니다: 이 확장의 번호만 씁니다.
    config.numfig = False


def setup(app):
    app.connect("config-inited", _no_sphinx_numbers, priority=900)
    app.connect("doctree-resolved", number_figures)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
