"""용어 검사 — 한 개념에 한 가지 한국어 용어 (목록: book/terms.yml, 원본: book/glossary.md).

검사 범위(독자가 읽는 글):
- notebooks/*.ipynb 의 마크다운 셀과 book/intro.md 의 본문. 단 코드 블록(```python 등; MyST 지시문
  ```{note} 같은 것의 본문은 검사), 인라인 코드(`...`), 수식($...$, $$...$$), 링크 주소, HTML 주석은 뺍니다.
- 코드 셀의 주석(# ...)과 한글이 들어 있는 문자열 리터럴(print 문장, 그림 제목·축 이름 등). 식별자와
  한글이 없는 문자열(딕셔너리 키, 'cpu' 같은 값)은 코드이므로 뺍니다. 영어 낱말 변형(예: memory)은 주석에서
  변수 이름일 수 있으므로 `where: prose` 로 표시한 것은 마크다운 본문에서만 찾습니다.
- book/glossary.md 는 원본이므로 변형을 찾지 않고, terms.yml 의 ko·en·anchor 가 용어집과 같은지만 봅니다.
- 인용처럼 변형을 남겨야 하는 줄은 terms.yml 의 allow 목록(파일·글자·이유)에 적습니다.

조사 띄어쓰기: 영문·숫자·인라인 코드·수식·닫는 괄호 뒤의 조사는 붙여 씁니다("RNN은", "`W_q`와").
고치기: `python tests/test_terms.py --fix-spacing notebooks/XX.ipynb` 는 조사 앞의 빈칸만 지웁니다
(마크다운 셀과 코드 셀의 주석·한글 문자열에서; 파일을 읽어 바로 다시 씁니다).
검사만: `python tests/test_terms.py [파일 ...]` 는 찾은 것을 모두 출력합니다.
"""
from __future__ import annotations

import io
import json
import re
import sys
import tokenize
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
TERMS = yaml.safe_load((ROOT / "book" / "terms.yml").read_text(encoding="utf-8"))
GLOSSARY = (ROOT / "book" / "glossary.md").read_text(encoding="utf-8")
FILES = sorted((ROOT / "notebooks").glob("*.ipynb")) + [ROOT / "book" / "intro.md", ROOT / "book" / "teaching.md"]
HANGUL = re.compile(r"[가-힣]")

# 영문·숫자·코드·수식·닫는 괄호 바로 뒤에 빈칸을 두고 온 조사(뒤에 빈칸·문장 부호·줄 끝).
PARTICLES = ("은|는|이|가|을|를|와|과|의|에|에서|에게|에는|에서는|에서도|에도|으로|로|으로는|로는|으로서|로서|"
             "으로써|로써|도|만|만큼|보다|처럼|까지|부터|이나|나|이고|이며|이면|이므로|이지만|이라는|라는|이라고|"
             "라고|이란|란|입니다|이다|인|와의|과의|와는|과는|와도|과도|을수록|이라|라")
SPACED_PARTICLE = re.compile(r"(?<=[A-Za-z0-9`$)\]])[ ](?=(?:" + PARTICLES + r")(?=[\s.,;:!?)\]\"'”’…]|$))")


@dataclass(frozen=True)
class Variant:
    anchor: str
    ko: str
    regex: re.Pattern
    say: str
    prose_only: bool


def _variants() -> list[Variant]:
    out = []
    for term in TERMS["terms"]:
        for item in term.get("forbidden", []):
            if isinstance(item, str):
                item = {"re": re.escape(item), "say": term["ko"]}
            out.append(Variant(term["anchor"], term["ko"], re.compile(item["re"]), item.get("say", term["ko"]),
                               item.get("where", "all") == "prose"))
    return out


VARIANTS = _variants()


# --- 읽는 글 조각 꺼내기 -------------------------------------------------------------------------------
@dataclass(frozen=True)
class Piece:
    where: str      # "파일 셀 번호 줄" 처럼 사람이 찾아갈 위치
    text: str       # 검사할 글 (코드·수식은 X 로 바꾼 것)
    prose: bool     # 마크다운 본문이면 True, 코드 주석·문자열이면 False


_CODE_DIRECTIVES = ("{code-cell", "{code", "{code-block", "{math", "{literalinclude")


def _mask_markdown_line(line: str) -> str:
    line = re.sub(r"<!--.*?-->", " ", line)
    line = re.sub(r"``.+?``|`[^`]+`", "X", line)                   # 인라인 코드 → X
    line = re.sub(r"\$\$.+?\$\$|\$[^$]+\$", "X", line)             # 수식 → X
    line = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", line)          # [글](주소) → 글
    line = re.sub(r"<[^>]+>", " ", line)                           # HTML 태그
    return line


def markdown_pieces(text: str, where: str) -> list[Piece]:
    pieces, fence = [], None
    in_math = False
    for n, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        m = re.match(r"^(`{3,}|~{3,})(.*)$", stripped)
        if m:
            if fence is None:
                info = m.group(2).strip()
                skip = not info.startswith("{") or info.split("}")[0] in _CODE_DIRECTIVES
                fence = (m.group(1), skip)
                continue
            if stripped.startswith(fence[0]) and not m.group(2).strip():
                fence = None
                continue
        if fence is not None and fence[1]:
            continue
        if stripped.startswith("$$") and stripped.count("$$") == 1:
            in_math = not in_math
            continue
        if in_math:
            continue
        pieces.append(Piece(f"{where} 줄 {n}", _mask_markdown_line(line), True))
    return pieces


def _code_tokens(src: str):
    """(토큰 종류, 시작 (줄, 열), 끝, 글자). 셀 매직(%, !)은 빈 줄로 바꿔 tokenize 가 읽게 합니다."""
    clean = "\n".join("" if l.lstrip().startswith(("%", "!")) else l for l in src.splitlines()) + "\n"
    try:
        return [t for t in tokenize.generate_tokens(io.StringIO(clean).readline)
                if t.type in (tokenize.COMMENT, tokenize.STRING)]
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return []


def code_pieces(src: str, where: str) -> list[Piece]:
    pieces = []
    for tok in _code_tokens(src):
        if tok.type == tokenize.STRING and not HANGUL.search(tok.string):
            continue
        text = tok.string
        if tok.type == tokenize.STRING:
            text = re.sub(r"\{[^{}]*\}", "X", text)        # f-문자열의 {식} → X
        pieces.append(Piece(f"{where} 줄 {tok.start[0]}", text, False))
    return pieces


def _is_setup_cell(src: str) -> bool:
    """모든 장 둘째 셀의 표준 Colab 설치 셀은 book/colab.py 가 만들므로 여기서 검사하지 않습니다."""
    import colab  # book/colab.py
    return src.strip() == colab.setup_cell_source().strip()


def _rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix() if path.is_relative_to(ROOT) else path.name


def file_pieces(path: Path) -> list[Piece]:
    rel = _rel(path)
    if path.suffix == ".md":
        return markdown_pieces(path.read_text(encoding="utf-8"), rel)
    nb = json.loads(path.read_text(encoding="utf-8"))
    pieces = []
    for i, cell in enumerate(nb["cells"]):
        src = "".join(cell["source"])
        where = f"{rel} 셀 {i}"
        if cell["cell_type"] == "markdown":
            pieces += markdown_pieces(src, where)
        elif cell["cell_type"] == "code" and not _is_setup_cell(src):
            pieces += code_pieces(src, where)
    return pieces


# --- 찾기 -----------------------------------------------------------------------------------------------
def _allowed(rel: str, text: str) -> dict | None:
    for entry in TERMS.get("allow", []):
        if entry["file"] == rel and entry["contains"] in text:
            return entry
    return None


def find_problems(path: Path, used_allow: list | None = None) -> list[str]:
    rel = _rel(path)
    problems = []
    for piece in file_pieces(path):
        # 영어 원어를 괄호 안에 밝힌 것 "(concatenation, concat)" 은 변형이 아니라 원어 표기입니다.
        text = re.sub(r"\([^()가-힣]*\)", "(…)", piece.text)
        for v in VARIANTS:
            if v.prose_only and not piece.prose:
                continue
            for m in v.regex.finditer(text):
                entry = _allowed(rel, piece.text)
                if entry is not None:
                    if used_allow is not None:
                        used_allow.append(id(entry))
                    continue
                problems.append(f"{piece.where}: '{m.group(0)}' → {v.say}  [{v.anchor}]  …{piece.text.strip()[:90]}")
        for m in SPACED_PARTICLE.finditer(piece.text):
            ctx = piece.text[max(0, m.start() - 12): m.end() + 6].strip()
            problems.append(f"{piece.where}: 조사 띄어쓰기 '{ctx}' → 조사를 붙여 씁니다")
    return problems


# --- 테스트 ---------------------------------------------------------------------------------------------
def _glossary_entry(anchor: str) -> str | None:
    m = re.search(r"^\(" + re.escape(anchor) + r"\)=\n(.+)$", GLOSSARY, re.M)
    return m.group(1).strip() if m else None


@pytest.mark.parametrize("term", TERMS["terms"], ids=lambda t: t["anchor"])
def test_term_matches_glossary(term):
    """terms.yml 은 용어집을 따라야 합니다: 뜻풀이 머리 "ko (en)" 과 목록의 [ko](#anchor) 가 같아야 합니다."""
    assert _glossary_entry(term["anchor"]) == f"{term['ko']} ({term['en']})", (
        f"book/glossary.md 의 ({term['anchor']})= 다음 줄이 '{term['ko']} ({term['en']})' 가 아닙니다")
    assert f"[{term['ko']}](#{term['anchor']})" in GLOSSARY, f"용어집 목록에 [{term['ko']}](#{term['anchor']}) 가 없습니다"


def test_forbidden_variants_are_not_glossary_terms():
    """금지 변형이 다른 용어의 정식 이름과 겹치면 안 됩니다(겹치면 그 용어를 쓸 수 없게 됨)."""
    names = re.findall(r"^\* - \[([^\]]+)\]\(#gloss-", GLOSSARY, re.M)
    for v in VARIANTS:
        clash = [n for n in names if v.regex.fullmatch(n)]
        assert not clash, f"금지 변형 {v.regex.pattern!r} 이 용어집 용어 {clash} 와 겹칩니다"


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_no_forbidden_variants(path):
    problems = find_problems(path)
    assert not problems, (f"{path.name}: 용어집(book/terms.yml)과 다른 표현 {len(problems)}곳\n  " + "\n  ".join(problems))


def test_glossary_particle_spacing():
    """용어집은 변형을 설명하느라 금지어를 적기도 하므로 조사 띄어쓰기만 봅니다."""
    bad = [p.where for p in markdown_pieces(GLOSSARY, "book/glossary.md") if SPACED_PARTICLE.search(p.text)]
    assert not bad, f"조사를 붙여 씁니다: {bad}"


def test_allow_entries_are_used():
    """쓰이지 않는 allow 항목(고쳐진 인용 등)은 지웁니다. 안 그러면 나중의 진짜 변형을 가릴 수 있습니다."""
    used: list = []
    for path in FILES:
        find_problems(path, used)
    stale = [e for e in TERMS.get("allow", []) if id(e) not in used]
    assert not stale, f"쓰이지 않는 allow 항목: {stale}"


def test_checker_catches_a_variant(tmp_path):
    """검사기가 실제로 잡는지: 변형·띄어 쓴 조사를 넣은 가짜 노트북은 걸리고, 코드·원어 표기는 걸리지 않아야 합니다."""
    def nb(md, code):
        return {"cells": [{"cell_type": "markdown", "source": md, "metadata": {}},
                          {"cell_type": "code", "source": code, "metadata": {}, "outputs": [], "execution_count": None}],
                "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    bad = tmp_path / "bad.ipynb"
    bad.write_text(json.dumps(nb("헤드 출력을 결합합니다. memory 를 씁니다. 300 걸음 학습합니다.",
                                 "x = 1  # 입력 프로젝션\nprint('가중 평균')\n")), encoding="utf-8")
    found = "\n".join(find_problems(bad))
    for expected in ("'결합'", "'memory'", "'걸음'", "'프로젝션'", "'가중 평균'", "조사 띄어쓰기"):
        assert expected in found, f"{expected} 를 잡지 못했습니다:\n{found}"
    good = tmp_path / "good.ipynb"
    good.write_text(json.dumps(nb("[이어 붙이기](g.md#gloss-concatenation)(concatenation, concat)한 뒤 `memory`와 "
                                  "$W^O$를 씁니다. 한 걸음씩 따라갑니다.\n```python\nconcat = 1  # memory\n```",
                                  "memory = torch.cat(heads)  # memory: 인코더 출력\nd = {'memory': 1}\n")),
                    encoding="utf-8")
    assert find_problems(good) == []


# --- 명령줄: 검사 출력 / 조사 띄어쓰기 고치기 -------------------------------------------------------------
def _fix_text(text: str, code: bool) -> str:
    if not code:
        out, fence = [], None
        for line in text.split("\n"):
            m = re.match(r"^(`{3,}|~{3,})(.*)$", line.strip())
            if m and fence is None:
                info = m.group(2).strip()
                fence = (m.group(1), not info.startswith("{") or info.split("}")[0] in _CODE_DIRECTIVES)
            elif m and line.strip().startswith(fence[0]) and not m.group(2).strip():
                fence = None
            elif fence is None or not fence[1]:
                line = SPACED_PARTICLE.sub("", line)
            out.append(line)
        return "\n".join(out)
    lines = text.split("\n")
    for tok in sorted(_code_tokens(text), key=lambda t: t.start, reverse=True):
        if tok.type == tokenize.STRING and not HANGUL.search(tok.string):
            continue
        (r0, c0), (r1, c1) = tok.start, tok.end
        if r0 != r1:
            continue
        line = lines[r0 - 1]
        lines[r0 - 1] = line[:c0] + SPACED_PARTICLE.sub("", line[c0:c1]) + line[c1:]
    return "\n".join(lines)


def fix_spacing(path: Path) -> int:
    nb = json.loads(path.read_text(encoding="utf-8"))
    changed = 0
    for cell in nb["cells"]:
        if cell["cell_type"] not in ("markdown", "code") or _is_setup_cell("".join(cell["source"])):
            continue
        src = "".join(cell["source"])
        new = _fix_text(src, cell["cell_type"] == "code")
        if new != src:
            changed += 1
            cell["source"] = new.splitlines(keepends=True)
    path.write_text(json.dumps(nb, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return changed


if __name__ == "__main__":
    args = sys.argv[1:]
    if args and args[0] == "--fix-spacing":
        for a in args[1:]:
            print(a, fix_spacing(Path(a).resolve()), "cells changed")
    else:
        for p in ([Path(a).resolve() for a in args] or FILES):
            for problem in find_problems(p):
                print(problem)
