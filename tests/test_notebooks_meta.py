"""모든 장(notebooks/*.ipynb)의 형식 검사.

- 첫 셀: 마크다운 제목(# …) + Colab 배지 — 배지 주소는 _config.yml 의 repository.url 에서 만든 것과 같아야 함
- 둘째 셀: 표준 Colab 설치 셀 (book/colab.py 의 setup_cell_source() 와 글자 하나까지 같음)
- 출력이 커밋되지 않음 (outputs 없음, execution_count 없음)
- "## 핵심 정리" 다음에 "## 연습 문제" 로 끝나고, 연습 문제에는 assert 로 답을 확인하는 셀이 있음
- _toc.yml 이 모든 장을 가르치는 순서대로 나열함
"""
from __future__ import annotations

import re
from pathlib import Path

import colab  # book/colab.py (tests/conftest.py 가 book/ 을 경로에 넣음)
import nbformat
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = [
    "00_why_attention", "01_self_attention", "02_scaled_dot_product", "03_multi_head",
    "04_positional_encoding", "05_masking", "06_encoder_block", "07_decoder", "08_training",
    "09_attention_explorer", "10_paper_results", "11_vit",
]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def _read(path: Path):
    return nbformat.read(path, as_version=4)


def _is_placeholder(nb) -> bool:
    return "작성 중" in nb.cells[0].source.splitlines()[0]


def test_config_repository_is_single_source():
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    url = config["repository"]["url"].rstrip("/")
    assert colab.repository_url() == url
    assert colab.repository_branch() == config["repository"].get("branch", "main")
    assert re.fullmatch(r"https://github\.com/[\w.-]+/[\w.-]+", url)
    assert (ROOT / "book" / "images" / "colab-badge.svg").is_file()


def test_toc_lists_every_chapter_in_order():
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    files = [ch["file"] for part in toc["parts"] for ch in part["chapters"]]
    chapters = [f for f in files if f.startswith("notebooks/")]
    assert chapters == [f"notebooks/{c}" for c in CHAPTERS]
    assert toc["root"] == "book/intro"
    for f in files + [toc["root"]]:
        assert any((ROOT / f"{f}{ext}").is_file() for ext in (".ipynb", ".md")), f"{f} 가 없습니다"


def test_every_chapter_file_exists():
    missing = [c for c in CHAPTERS if not (ROOT / "notebooks" / f"{c}.ipynb").is_file()]
    assert not missing, f"없는 장: {missing}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_badge_and_setup_cell(path):
    nb = _read(path)
    rel = path.relative_to(ROOT).as_posix()
    first, second = nb.cells[0], nb.cells[1]
    assert first.cell_type == "markdown" and first.source.startswith("# "), "첫 셀은 '# 제목' 마크다운이어야 합니다"
    assert colab.badge_markdown(rel) in first.source, (
        f"첫 셀에 Colab 배지가 없거나 주소가 _config.yml 과 다릅니다. 넣을 줄:\n{colab.badge_markdown(rel)}")
    badges = re.findall(r"colab\.research\.google\.com/github/[^)\s]+", "\n".join(c.source for c in nb.cells))
    assert badges == [colab.colab_url(rel).split("https://")[1]], f"배지 주소가 하나이고 이 노트북을 가리켜야 합니다: {badges}"
    assert second.cell_type == "code", "둘째 셀은 표준 Colab 설치 셀(코드)이어야 합니다"
    assert second.source == colab.setup_cell_source(), "둘째 셀이 표준 Colab 설치 셀과 다릅니다 (colab.setup_cell_source())"
    assert set(colab.SETUP_CELL_TAGS) <= set(second.metadata.get("tags", [])), f"설치 셀 태그 {colab.SETUP_CELL_TAGS} 필요"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_no_committed_outputs(path):
    nb = _read(path)
    dirty = [i for i, c in enumerate(nb.cells)
             if c.cell_type == "code" and (c.get("outputs") or c.get("execution_count") is not None)]
    assert not dirty, f"출력이 남은 셀 {dirty}: 출력을 지우고 커밋하세요"
    assert nb.metadata.get("kernelspec", {}).get("name") == "python3"
    assert "widgets" not in nb.metadata, "위젯 상태(metadata.widgets)도 커밋하지 않습니다"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_ends_with_summary_and_exercises(path):
    nb = _read(path)
    h2 = [(i, line.strip()) for i, c in enumerate(nb.cells) if c.cell_type == "markdown"
          for line in c.source.splitlines() if re.match(r"^##\s", line)]
    titles = [t for _, t in h2]
    assert "## 핵심 정리" in titles and "## 연습 문제" in titles, "'## 핵심 정리' 와 '## 연습 문제' 가 필요합니다"
    assert titles[-1] == "## 연습 문제" and titles[-2] == "## 핵심 정리", f"마지막 두 절의 순서: {titles[-2:]}"
    if _is_placeholder(nb):
        pytest.skip("자리 표시용 노트북(작성 중)")
    start = h2[-1][0]
    checks = [c for c in nb.cells[start:] if c.cell_type == "code" and re.search(r"\bassert\b|\.assert_\w+\(|AssertionError|exercises\.check\(", c.source)]
    assert len(checks) >= 2, f"연습 문제마다 답을 확인하는 셀(exercises.check 또는 assert)이 필요합니다 (찾은 것 {len(checks)}개)"
