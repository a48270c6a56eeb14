"""강의 슬라이드 만들기 (`make slides`): 각 장의 노트북 하나로 reveal.js 덱 하나.

책 빌드가 이미 실행해 둔 노트북(_build/jupyter_execute/notebooks/*.ipynb)을 그대로 씁니다(두 번 실행하지 않음).
어느 셀이 슬라이드에 오르는지는 노트북 셀 메타데이터 `slideshow.slide_type` 이 정합니다(Jupyter 의 Slide Type,
`book/slides/mark.py` 가 규칙으로 처음 채우고 사람이 고칠 수 있음):

    slide / subslide   새 슬라이드(아래 방향) — 마크다운은 제목·수식·목록·표·그림만 화면에, 문단은 발표자 노트로
    -                  앞 슬라이드에 이어서 (그림이면 입력 코드는 숨기고 그림만 크게)
    fragment           앞 슬라이드에 한 단계씩
    notes              발표자 노트 (S 키로 여는 발표자 화면)
    skip / 표시 없음    슬라이드에서 뺌 (나중에 추가된 셀도 표시가 없으면 빠집니다)

그 밖의 규칙: 셀 안의 `##`/`###` 제목은 새 슬라이드/아래 슬라이드를 엽니다. "연습 문제" 제목부터 끝까지와
`remove-cell`·`hide-cell` 셀은 싣지 않고, `hide-input` 셀은 출력만 싣습니다(연습 문제 절은 통째로 뺍니다). 위젯 출력은 커널 없이는 움직이지 않으므로 뺍니다.

결과: _build/html/slides/<노트북 이름>.html (+ theme.css, images/). reveal.js·MathJax·plotly 는 사이트의
_static/vendor/ 에서 불러오므로 인터넷 없이 열립니다.

실행: `python book/slides/build.py [--html _build/html] [--executed _build/jupyter_execute]`
"""
from __future__ import annotations

import argparse
import copy
import re
import shutil
import sys
from pathlib import Path

import nbformat
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
SLIDE_TYPES = {"slide", "subslide", "fragment", "-", "notes", "skip"}
SHOWN = {"slide", "subslide", "fragment", "-"}

_HEADING = re.compile(r"^(#{1,6})\s+\S")
_EXERCISE = re.compile(r"^#{1,6}\s*연습\s*문제")
_FIGURE_DIRECTIVE = re.compile(r"^```+\{figure\}\s*(\S+)")
_SITE = re.compile(r"https://[\w-]+\.github\.io/[\w.-]+/")
_RAW_IMAGE = re.compile(r"https://raw\.githubusercontent\.com/[^/]+/[^/]+/[^/]+/book/images/")
_BADGE = re.compile(r"\[!\[[^\]]*\]\([^)]*\)\]\([^)]*\)")
_ROLE = re.compile(r"\{[a-z:-]+\}`([^`<]*?)\s*(?:<[^>]*>)?`")


def chapters_in_toc(root: Path) -> list[str]:
    """_toc.yml 에 있는 notebooks/ 장들의 이름(확장자 없이), 목차 순서대로."""
    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    found: list[str] = []

    def walk(node):
        if isinstance(node, dict):
            f = node.get("file")
            if isinstance(f, str) and f.startswith("notebooks/"):
                found.append(f.split("/", 1)[1].removesuffix(".ipynb"))
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(toc)
    return found


def slide_type(cell) -> str:
    t = (cell.get("metadata", {}).get("slideshow") or {}).get("slide_type")
    return t if t in SLIDE_TYPES else "skip"


def _localize(md: str) -> str:
    """Colab 용 절대 주소를 사이트 안 상대 주소로, MyST 역할은 글자로 (슬라이드는 slides/ 폴더에 있음)."""
    md = _BADGE.sub("", md)
    md = _RAW_IMAGE.sub("images/", md)
    md = _SITE.sub("../", md)
    md = re.sub(r"\]\((?:\.\./)?book/images/", "](images/", md)
    md = re.sub(r"\]\(\.\./book/([\w-]+)\.md", r"](../book/\1.html", md)
    md = re.sub(r"\]\((\d\d_[\w-]+)\.ipynb", r"](../notebooks/\1.html", md)
    return _ROLE.sub(r"\1", md)


def _blocks(md: str) -> list[str]:
    """마크다운을 덩어리로: 빈 줄로 나누되 ``` / ::: 울타리와 $$ 수식은 한 덩어리로 둡니다."""
    blocks, cur, fence, math = [], [], None, False
    for line in md.split("\n"):
        s = line.strip()
        if fence:
            cur.append(line)
            if s.startswith(fence) and s.strip("`:") == "":
                blocks.append("\n".join(cur)); cur, fence = [], None
            continue
        if math:
            cur.append(line)
            if s.endswith("$$"):
                blocks.append("\n".join(cur)); cur, math = [], False
            continue
        m = re.match(r"^(`{3,}|:{3,})", s)
        if m:
            if cur:
                blocks.append("\n".join(cur)); cur = []
            fence = m.group(1)
            cur.append(line)
            continue
        if s.startswith("$$") and not (len(s) > 2 and s.endswith("$$")):
            if cur:
                blocks.append("\n".join(cur)); cur = []
            math = True
            cur.append(line)
            continue
        if _HEADING.match(line):
            if cur:
                blocks.append("\n".join(cur)); cur = []
            blocks.append(line)
            continue
        if not s:
            if cur:
                blocks.append("\n".join(cur)); cur = []
            continue
        cur.append(line)
    if cur:
        blocks.append("\n".join(cur))
    return blocks


def _figure_html(block: str) -> str:
    lines = block.split("\n")
    src = _FIGURE_DIRECTIVE.match(lines[0].strip()).group(1)
    name = Path(src).name
    opts = [ln for ln in lines[1:-1] if ln.strip().startswith(":")]
    caption = " ".join(ln.strip() for ln in lines[1:-1] if ln.strip() and not ln.strip().startswith(":"))
    alt = next((ln.split(":", 2)[2].strip() for ln in opts if ln.strip().startswith(":alt:")), caption)
    alt = alt.replace('"', "&quot;")
    return f'<figure class="book-figure"><img src="images/{name}" alt="{alt}" /></figure>'


def condense(md: str) -> tuple[str, str]:
    """슬라이드에 올릴 마크다운을 (화면, 발표자 노트)로 나눕니다.

    화면: 제목, 떨어진 수식($$), 목록, 표, 그림. 노트: 나머지 문단(장의 설명 = 말로 할 내용)."""
    show, notes = [], []
    for b in _blocks(md):
        first = b.lstrip().split("\n", 1)[0]
        if _FIGURE_DIRECTIVE.match(first.strip()):
            show.append(_figure_html(b))
        elif first.lstrip().startswith(("```", ":::")):
            continue  # literalinclude·코드 울타리·상자: 슬라이드에는 싣지 않음(책에서 봄)
        elif (_HEADING.match(first) or first.lstrip().startswith(("$$", "|", "\\begin"))
              or re.match(r"^\s*(?:[-*+]|\d+\.)\s", first)):
            show.append(b)
        else:
            notes.append(b)
    return "\n\n".join(show), "\n\n".join(notes)


def _split_at_headings(md: str) -> list[tuple[str, str | None]]:
    """셀 안의 ## / ### 제목마다 나눕니다: [(마크다운, 그 조각이 여는 슬라이드 종류 또는 None)]."""
    parts: list[tuple[str, str | None]] = []
    cur: list[str] = []
    kind: str | None = None
    fence = False
    for line in md.split("\n"):
        if line.strip().startswith(("```", ":::")):
            fence = not fence
        m = None if fence else _HEADING.match(line)
        if m and len(m.group(1)) >= 2 and cur and any(x.strip() for x in cur):
            parts.append(("\n".join(cur), kind))
            cur = []
        if m and len(m.group(1)) >= 2 and not cur:
            kind = "slide" if len(m.group(1)) == 2 else "subslide"
        cur.append(line)
    if cur:
        parts.append(("\n".join(cur), kind))
    return parts


GUIDE = ROOT / "book" / "teaching.md"
GOALS, QUESTIONS = "학습 목표", "교실에서 던질 질문"


def guide_lists(chapter_number: str, guide: Path = GUIDE) -> dict[str, list[str]]:
    """강의 안내(book/teaching.md)의 `(teach-NN)=` 절에서 학습 목표와 교실 질문 목록을 꺼냅니다."""
    if not guide.is_file():
        return {}
    text = guide.read_text(encoding="utf-8")
    m = re.search(rf"^\(teach-{chapter_number}\)=\s*$(.*?)(?=^\(teach-\d\d\)=|\Z)", text, re.M | re.S)
    if not m:
        return {}
    out: dict[str, list[str]] = {}
    for title in (GOALS, QUESTIONS):
        sec = re.search(rf"^###\s*{title}\s*$(.*?)(?=^#|\Z)", m.group(1), re.M | re.S)
        if sec:
            items = re.findall(r"^(?:[-*]|\d+\.)\s+(?:\[ \]\s*)?(.+)$", sec.group(1), re.M)
            out[title] = [_ROLE.sub(r"\1", re.sub(r"\]\((?:\.\./)?notebooks/", "](../notebooks/", it)) for it in items]
    return out


def _is_figure_output(out) -> bool:
    data = out.get("data", {})
    if "image/png" in data or "image/svg+xml" in data:
        return True
    html = data.get("text/html", "")
    html = "".join(html) if isinstance(html, list) else html
    return "plotly-graph-div" in html or "require" in html


def deck_notebook(nb, guide: dict[str, list[str]] | None = None):
    """실행된 노트북 → 슬라이드용 노트북(원본은 건드리지 않음).

    guide(강의 안내의 학습 목표·교실 질문)가 있으면 제목 다음과 맨 끝에 한 장씩 둡니다."""
    guide = guide or {}
    nb = copy.deepcopy(nb)
    nb.metadata.pop("widgets", None)
    cells = []
    for cell in nb.cells:
        tags = set(cell.metadata.get("tags", []))
        src = cell.source
        if cell.cell_type == "markdown":
            m = re.search(r"^#{1,6}\s*연습\s*문제.*$", src, re.M)
            if m:  # 연습 문제부터 끝까지는 싣지 않음 (답이 슬라이드에 보이지 않도록)
                cell.source = src[: m.start()]
                if cell.source.strip():
                    cells.append(cell)
                break
        if "remove-cell" in tags or "hide-cell" in tags:
            continue
        cells.append(cell)

    out = []
    for cell in cells:
        kind = slide_type(cell)
        if kind == "skip":
            continue
        if cell.cell_type == "markdown":
            for i, (part, opens) in enumerate(_split_at_headings(_localize(cell.source))):
                k = kind if i == 0 else opens or "-"
                if i == 0 and opens and kind in ("-", "notes", "fragment"):
                    k = opens
                if k == "notes":
                    out.append(nbformat.v4.new_markdown_cell(part, metadata={"slideshow": {"slide_type": "notes"}}))
                    continue
                show, notes = condense(part)
                if part.lstrip().startswith("# ") and "\n" in show.strip():
                    # 장 제목 화면은 제목만 크게; 첫 셀의 수식·목록(이 장의 차례)은 다음 화면 "이 장에서 할 일"로
                    head, rest = show.strip().split("\n", 1)
                    out.append(nbformat.v4.new_markdown_cell(head, metadata={"slideshow": {"slide_type": k}}))
                    k, show = "slide", "## 이 장에서 할 일\n\n" + rest.strip()
                if show.strip():
                    out.append(nbformat.v4.new_markdown_cell(show, metadata={"slideshow": {"slide_type": k}}))
                elif k in ("slide", "subslide"):
                    out.append(nbformat.v4.new_markdown_cell("", metadata={"slideshow": {"slide_type": k}}))
                if notes.strip():
                    out.append(nbformat.v4.new_markdown_cell(notes, metadata={"slideshow": {"slide_type": "notes"}}))
        elif cell.cell_type == "code":
            cell.outputs = [
                o for o in cell.get("outputs", [])
                if "application/vnd.jupyter.widget-view+json" not in o.get("data", {})
                and not (o.get("output_type") == "stream" and o.get("name") == "stderr")
            ]
            tags = set(cell.metadata.get("tags", []))
            if "remove-output" in tags:
                cell.outputs = []
            if any(_is_figure_output(o) for o in cell.outputs):  # 그림 셀: 그림만 크게 (찍은 글자는 책에서)
                cell.outputs = [o for o in cell.outputs if o.get("output_type") != "stream"]
            if any(_is_figure_output(o) for o in cell.outputs) or tags & {"remove-input", "hide-input"}:
                cell.metadata["transient"] = {"remove_source": True}
                cell.metadata.setdefault("tags", []).append("book-figure")
            if not cell.outputs and cell.metadata.get("transient", {}).get("remove_source"):
                continue
            out.append(cell)
    if guide.get(GOALS):
        goals = "## 학습 목표\n\n" + "\n".join(f"- {g}" for g in guide[GOALS])
        at = 1 if out and out[0].source.startswith("# ") else 0
        while at < len(out) and out[at].metadata["slideshow"]["slide_type"] == "notes":
            at += 1
        out.insert(at, nbformat.v4.new_markdown_cell(goals, metadata={"slideshow": {"slide_type": "slide"}}))
    if guide.get(QUESTIONS):
        qs = "## 생각해 볼 질문\n\n" + "\n".join(f"{i}. {q}" for i, q in enumerate(guide[QUESTIONS], 1))
        out.append(nbformat.v4.new_markdown_cell(qs, metadata={"slideshow": {"slide_type": "slide"}}))
    nb.cells = out
    return nb


def executed_notebook(source: Path, executed: Path, cache_dir: Path):
    """장의 실행 결과: 원본 노트북(지금의 글·슬라이드 표시) + 책 빌드의 실행 캐시(jupyter-cache)에 든 출력.

    글만 고친 뒤의 빌드에서 myst-nb 는 캐시를 다시 쓰고 _build/jupyter_execute 에는 출력 없는 사본을 남길 수 있어,
    캐시에서 직접 합칩니다. 캐시가 없거나 맞는 기록이 없을 때만 jupyter_execute 의 사본을 씁니다."""
    nb = nbformat.read(source, as_version=4)
    if cache_dir.is_dir():
        from jupyter_cache import get_cache

        try:
            return get_cache(str(cache_dir)).merge_match_into_notebook(nb)[1]
        except KeyError:  # 이 원본 코드로 실행한 기록이 캐시에 없음
            pass
    src = executed / "notebooks" / source.name
    if not src.is_file():
        sys.exit(f"실행된 노트북이 없습니다(executed notebook missing): {src} — 먼저 `make book` 을 실행하세요.")
    return nbformat.read(src, as_version=4)


def build(html: Path, executed: Path, root: Path = ROOT) -> list[Path]:
    from nbconvert import SlidesExporter
    from traitlets.config import Config

    if not (html / "index.html").is_file():
        sys.exit(f"책이 아직 없습니다(book not built): {html}/index.html — 먼저 `make book` 을 실행하세요.")
    static = html / "_static"
    for need in ("vendor/reveal.js/reveal.js", "vendor/mathjax/tex-mml-chtml.js", "vendor/plotly.min.js"):
        if not (static / need).is_file():
            sys.exit(f"없음(missing): {static / need} — `make vendor` 뒤에 책을 다시 빌드하세요.")
    dest = html / "slides"
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy2(HERE / "theme.css", dest / "theme.css")
    shutil.copytree(root / "book" / "images", dest / "images", dirs_exist_ok=True)

    c = Config()
    c.SlidesExporter.extra_template_basedirs = [str(HERE / "templates")]
    c.SlidesExporter.template_name = "book_slides"
    c.SlidesExporter.exclude_input_prompt = True
    c.SlidesExporter.exclude_output_prompt = True
    exporter = SlidesExporter(config=c)

    written = []
    for name in chapters_in_toc(root):
        nb = executed_notebook(root / "notebooks" / f"{name}.ipynb", executed, html.parent / ".jupyter_cache")
        if not any("slideshow" in c.metadata for c in nb.cells):
            # 아직 표시가 하나도 없는 새 장: mark.py 의 규칙을 그 자리에서 적용 (노트북 파일은 그대로)
            import mark

            ids = {c.get("id") for c in nb.cells if any(_is_figure_output(o) for o in c.get("outputs", []))}
            outs = {c.get("id"): c.get("outputs", []) for c in nb.cells}
            for i, kind in mark.propose(nb, ids, outs).items():
                nb.cells[i].metadata["slideshow"] = {"slide_type": kind}
            print(f"  {name}: 슬라이드 표시가 없어 규칙으로 골랐습니다 — `python book/slides/mark.py {src.name}` 로 "
                  "노트북에 적어 두면 고칠 수 있습니다")
        deck = deck_notebook(nb, guide_lists(name[:2]))
        title = next((ln.lstrip("# ").strip() for c_ in nb.cells if c_.cell_type == "markdown"
                      for ln in c_.source.split("\n") if ln.startswith("# ")), name)
        blob = "\n".join(str(o.get("data", {}).get("text/html", "")) for c_ in deck.cells
                         for o in c_.get("outputs", []))
        resources = {"book": {"static": "../_static", "title": title,
                              "plotly": "plotly-graph-div" in blob,
                              "amd": "require(" in blob or "requirejs(" in blob}}
        body, _ = exporter.from_notebook_node(deck, resources=resources)
        path = dest / f"{name}.html"
        path.write_text(body, encoding="utf-8")
        n = body.count("<section")
        written.append(path)
        print(f"슬라이드: {path.relative_to(html.parent.parent) if html.parent.parent in path.parents else path}"
              f" ({n} sections)")
    return written


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--html", type=Path, default=ROOT / "_build" / "html")
    ap.add_argument("--executed", type=Path, default=ROOT / "_build" / "jupyter_execute")
    a = ap.parse_args(argv)
    build(a.html, a.executed)


if __name__ == "__main__":
    main()
