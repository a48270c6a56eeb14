"""만들어진 사이트의 연습 문제 절: 풀이는 접힌 "풀이 보기" 안에만 있고, 답이나 실험 결과가 먼저 보이지 않음.

사이트(_build/html)가 없으면 tests/test_site.py 처럼 먼저 빌드합니다. HTML을 읽어 확인하므로 브라우저는 쓰지 않습니다
(접힌 <details>가 실제로 안 보이는지는 tests/test_site.py 의 브라우저 검사와 스크린숏이 봅니다).
"""
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from sitekit import ensure_built

from transformer_lib import exercises as ex

ROOT = Path(__file__).resolve().parents[1]
HTML = ROOT / "_build" / "html"
CHAPTERS = sorted({name[:2] for name in ex.EXERCISES})


def _exercise_section(chapter):
    ensure_built()
    pages = sorted((HTML / "notebooks").glob(f"{chapter}_*.html"))
    assert len(pages) == 1, f"{chapter}장 페이지: {pages}"
    soup = BeautifulSoup(pages[0].read_text(encoding="utf-8"), "html.parser")
    sections = [s for s in soup.find_all("section") if s.find("h2") and "연습 문제" in s.find("h2").get_text()]
    assert sections, f"{pages[0].name}: 연습 문제 절이 없습니다"
    return soup, sections[-1]


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_solutions_only_inside_closed_korean_toggles(chapter):
    soup, section = _exercise_section(chapter)
    names = sorted(n for n in ex.EXERCISES if n[:2] == chapter)
    folds = section.find_all("details")
    assert len(folds) == len(names), f"{chapter}장: 접힌 풀이 {len(folds)}개, 문제 {len(names)}개"
    for name, fold in zip(names, folds):
        assert not fold.has_attr("open"), f"문제 {name}의 풀이가 펼쳐진 채로 나옵니다"
        assert fold.find("summary").get_text(" ", strip=True).startswith("풀이 보기"), fold.find("summary")
        assert f"문제 {name} 풀이" in fold.get_text(), f"문제 {name}의 풀이가 그 접힌 상자 안에 없습니다"
        assert "exercises.solution" not in fold.get_text()        # 셀의 코드(입력)는 지우고 출력만 접음
    assert "Show code" not in soup.get_text() and "Hide code" not in soup.get_text(), "접기 단추가 영어입니다"


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_no_answer_or_experiment_printed_before_the_reader_asks(chapter):
    _, section = _exercise_section(chapter)
    for fold in section.find_all("details"):
        fold.decompose()                                          # 접힌 풀이를 빼고 보이는 부분만
    outputs = [o.get_text() for o in section.select("div.cell_output")]
    names = sorted(n for n in ex.EXERCISES if n[:2] == chapter)
    for name in names:
        said = [o for o in outputs if f"문제 {name}:" in o]
        assert said and all(ex.NOT_YET in o for o in said), f"문제 {name}의 확인 셀 출력: {said}"
    text = "\n".join(outputs)
    assert "맞았습니다" not in text and "실험:" not in text, text[:500]
    assert all(o.strip() not in ("True", "False") for o in outputs), "확인 셀이 True/False 를 출력합니다"
    for name in names:                                            # 풀이 코드의 줄이 보이는 곳에 없음
        for line in ex.EXERCISES[name].solution.splitlines():
            code = line.split("#")[0].strip()
            if code.startswith("prediction = ") and len(code) > 15:
                assert code not in section.get_text(), f"문제 {name}의 답이 보입니다: {code}"
