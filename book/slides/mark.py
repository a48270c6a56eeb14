"""노트북 셀에 슬라이드 표시(`slideshow.slide_type`)를 규칙으로 채웁니다 — 처음 한 번, 또는 새 셀이 생겼을 때.

이미 표시가 있는 셀은 그대로 둡니다(사람이 고친 표시를 지키려고). "연습 문제" 제목 뒤의 셀은 건드리지 않습니다
(슬라이드에 싣지 않으며, build.py 가 어차피 뺍니다). 출력이 필요하므로 책 빌드가 실행해 둔 노트북을 함께 봅니다.

규칙 (제목 + 핵심 그림 + 핵심 수식 + 정리):
- 첫 셀(장 제목) → slide
- `##` 로 시작하는 마크다운 → slide, `###` → subslide
- 그림(```{figure}```) 이 든 마크다운 → slide
- 떨어진 수식($$)·목록·표가 든 설명 셀 → "-" (수식·목록만 화면에, 문단은 노트로)
- 그 밖의 설명 셀 → notes (발표자 노트: 장의 설명이 곧 말할 거리)
- 그림(PNG·plotly·bertviz)을 내는 코드 셀 → 제목만 있는 슬라이드면 "-", 아니면 subslide (그림 하나에 화면 하나)
- 나머지 코드 셀 → skip (무엇을 직접 실행할지는 강의 안내 페이지가 말함)

실행: `python book/slides/mark.py notebooks/03_multi_head.ipynb ... [--executed _build/jupyter_execute]`
"""
from __future__ import annotations

import argparse
import json
import re
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
_EXERCISE = re.compile(r"^#{1,6}\s*연습\s*문제", re.M)


def _src(cell) -> str:
    s = cell.get("source", "")
    return "".join(s) if isinstance(s, list) else s


def _executed(executed: Path) -> tuple[set, dict]:
    if not executed.is_file():
        raise SystemExit(f"실행된 노트북이 없습니다(executed notebook missing): {executed}")
    nb = json.loads(executed.read_text(encoding="utf-8"))
    ids, outputs = set(), {c.get("id"): c.get("outputs", []) for c in nb["cells"]}
    for c in nb["cells"]:
        for o in c.get("outputs", []):
            data = o.get("data", {})
            html = data.get("text/html", "")
            html = "".join(html) if isinstance(html, list) else html
            if "image/png" in data or "image/svg+xml" in data or "plotly-graph-div" in html or "require" in html:
                ids.add(c.get("id"))
    return ids, outputs


FULL = 2  # 그림 하나면 화면이 참


def _rows(line: str, cols: int = 76) -> int:
    """슬라이드(24~25px 고정폭 글꼴, 폭 약 1200px)에서 한 줄이 차지하는 줄 수 (한글은 두 칸)."""
    width = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)
    return max(1, -(-width // cols))


def _short_text_cell(cell, outs) -> bool:
    """슬라이드에 코드와 출력을 함께 올려도 넘치지 않는 셀: 글자 출력만 있고, 줄바꿈까지 쳐서 14줄 이하."""
    code = [ln for ln in _src(cell).split("\n") if ln.strip()]
    text = []
    for o in outs:
        if o.get("output_type") != "stream" or o.get("name") != "stdout":
            return False
        text += "".join(o.get("text", "")).rstrip("\n").split("\n")
    return bool(text) and sum(_rows(ln) for ln in code + text) <= 14


TARGET = 22  # 50분 강의에 알맞은 화면 수(15~30)의 가운데쯤


def propose(nb: dict, figure_ids: set, outputs: dict | None = None) -> dict[int, str]:
    """셀 번호 → slide_type (표시가 없는 셀만, 연습 문제 앞까지).

    먼저 제목·그림·수식만으로 화면 수를 세고, TARGET 에 모자라면 절마다 짧은 코드 셀 하나(코드 + 출력)를
    "직접 실행" 화면으로 더합니다."""
    marks, n = _propose(nb, figure_ids, outputs or {}, 0)
    if n < TARGET:
        marks, n = _propose(nb, figure_ids, outputs or {}, TARGET - n)
    return marks


def _propose(nb: dict, figure_ids: set, outputs: dict, code_budget: int) -> tuple[dict[int, str], int]:
    marks: dict[int, str] = {}
    n_slides = 0
    section_code = False  # 이 절에 코드 화면이 이미 있는가
    weight = 0  # 지금 슬라이드에 든 것: 0 = 제목뿐, 1 이상 = 수식·목록·그림
    for i, cell in enumerate(nb["cells"]):
        src = _src(cell)
        tags = cell.get("metadata", {}).get("tags", [])
        has_mark = "slideshow" in cell.get("metadata", {})
        if cell["cell_type"] == "markdown":
            first = src.lstrip().split("\n", 1)[0]
            if _EXERCISE.match(first):
                break  # 연습 문제 절: 표시하지 않음
            if i == 0 or first.startswith("## ") or first.startswith("# "):
                kind = "slide"
            elif first.startswith("###"):
                kind = "subslide"
            elif "{figure}" in src:
                kind = "slide"
            elif re.search(r"^\s*(\$\$|\||[-*]\s|\d+\.\s)", src, re.M):
                kind = "subslide" if weight >= FULL else "-"  # 그림이 이미 있는 화면이면 새 화면에
            else:
                kind = "notes"
            if not has_mark:
                marks[i] = kind
            kind = cell.get("metadata", {}).get("slideshow", {}).get("slide_type", kind)
            body = "\n".join(ln for ln in src.split("\n") if not ln.startswith("#"))
            if kind in ("slide", "subslide"):
                weight = 0
                n_slides += 1
                section_code = False
            if kind != "notes" and re.search(r"\$\$|^\s*\||^\s*[-*]\s|\{figure\}", body, re.M):
                weight += 1
            if re.search(r"^#{2,3}\s", src[len(first):], re.M):  # 셀 가운데의 제목: build.py 가 새 슬라이드로 나눔
                n_slides += len(re.findall(r"^#{2,3}\s", src[len(first):], re.M))
                section_code = False
                weight = 1 if re.search(r"\$\$|^\s*\|", src.split("\n##")[-1], re.M) else 0
            if _EXERCISE.search(src):
                break
        elif cell["cell_type"] == "code":
            if "remove-cell" in tags or "hide-input" in tags:
                kind = "skip"
            elif cell.get("id") in figure_ids:
                kind = "-" if weight == 0 else "subslide"
                n_slides += kind == "subslide"
                weight = FULL
            elif weight == 0 and _short_text_cell(cell, outputs.get(cell.get("id"), [])):
                kind = "-"  # 제목뿐인 화면: 그 절의 짧은 코드와 출력을 함께 (강의 중 직접 실행할 거리)
                weight = 1
                section_code = True
            elif (code_budget > 0 and not section_code
                  and _short_text_cell(cell, outputs.get(cell.get("id"), []))):
                kind = "subslide"  # 절마다 하나: 코드와 출력을 한 화면에
                code_budget -= 1
                n_slides += 1
                weight = 1
                section_code = True
            else:
                kind = "skip"
            if not has_mark:
                marks[i] = kind
    return marks, n_slides


def mark(path: Path, executed_dir: Path) -> dict[int, str]:
    figure_ids, outputs = _executed(executed_dir / "notebooks" / path.name)
    nb = json.loads(path.read_text(encoding="utf-8"))  # 읽고 곧바로 고쳐 씀 (다른 사람의 편집과 겹치지 않게)
    marks = propose(nb, figure_ids, outputs)
    for i, kind in marks.items():
        nb["cells"][i].setdefault("metadata", {})["slideshow"] = {"slide_type": kind}
    path.write_text(json.dumps(nb, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return marks


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("notebooks", nargs="+", type=Path)
    ap.add_argument("--executed", type=Path, default=ROOT / "_build" / "jupyter_execute")
    a = ap.parse_args(argv)
    for p in a.notebooks:
        marks = mark(p, a.executed)
        shown = sum(1 for k in marks.values() if k in ("slide", "subslide"))
        print(f"{p}: {len(marks)} cells marked, {shown} slides/subslides")


if __name__ == "__main__":
    main()
