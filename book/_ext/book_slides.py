"""각 장의 첫머리(제목 바로 아래)에 강의 슬라이드·강의 안내 링크를 붙이는 작은 Sphinx 확장.

슬라이드 덱은 책 빌드 뒤 `make slides`(book/slides/build.py)가 _build/html/slides/<노트북 이름>.html 로 만들고,
강의 안내는 book/teaching.md 의 `(teach-<장 번호>)=` 절입니다. 노트북마다 링크 셀을 두지 않으려고 여기서 넣습니다.
"""
from __future__ import annotations

import re
from html import escape

from docutils import nodes

_CHAPTER = re.compile(r"^notebooks/((\d\d)_[\w-]+)$")


def _add_links(app, doctree, docname):
    m = _CHAPTER.match(docname)
    if not m or app.builder.format != "html":
        return
    name, num = m.groups()
    section = next(iter(doctree.findall(nodes.section)), None)
    if section is None or not section.children or not isinstance(section[0], nodes.title):
        return
    guide = "teach-" + num
    has_guide = "book/teaching" in app.env.all_docs and guide in app.env.domaindata["std"]["labels"]
    links = [f'<a class="book-slides-deck" href="../slides/{escape(name)}.html">강의 슬라이드</a>']
    if has_guide:
        links.append(f'<a class="book-slides-guide" href="../book/teaching.html#{guide}">강의 안내</a>')
    html = '<p class="book-slides-link">' + " · ".join(links) + "</p>"
    section.insert(1, nodes.raw("", html, format="html"))


def setup(app):
    app.connect("doctree-resolved", _add_links)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
