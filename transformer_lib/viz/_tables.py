"""작은 결과 표 한 곳: 실험 결과를 Jupyter·Colab·웹 책 모두에서 같은 표로 보여 줍니다.

    viz.show_table(["헤드 수 h", "d_k"], [[1, 64], [8, 8]])

표는 마크다운으로 냅니다. 웹 책(myst-nb, nb_render_markdown_format: myst)과 Jupyter·Colab 이 모두 표로 그리고,
칸의 `$...$` 는 수식으로 보입니다. 칸의 글자 가운데 표를 깨뜨리는 `|` 와, 태그로 읽혀 사라질 `<`, `>`(예: `<bos>`)만
바꿔 씁니다.
"""
from __future__ import annotations

_ESCAPES = {"|": r"\|", "<": "&lt;", ">": "&gt;", "\n": " "}


def _cell(value) -> str:
    return "".join(_ESCAPES.get(ch, ch) for ch in str(value))


def table_markdown(header, rows) -> str:
    """header (칸 이름 n개) 와 rows (행마다 값 n개) 로 마크다운 표 글자를 만듭니다."""
    header = list(header)
    if not header:
        raise ValueError("header 는 칸 이름이 하나 이상이어야 합니다; 받은 값: 빈 목록 (empty table header)")
    lines = ["| " + " | ".join(map(_cell, header)) + " |", "|" + "---|" * len(header)]
    for i, row in enumerate(rows):
        row = list(row)
        if len(row) != len(header):
            raise ValueError(f"행 {i} 의 값은 칸 수({len(header)})만큼이어야 합니다; 받은 값: {len(row)}개 {row!r} "
                             "(row length must match the header)")
        lines.append("| " + " | ".join(map(_cell, row)) + " |")
    return "\n".join(lines)


def show_table(header, rows) -> None:
    """작은 표를 보여 줍니다 (마크다운: 한글이 섞여도 칸이 맞고, `$...$` 는 수식)."""
    from IPython.display import Markdown, display

    display(Markdown(table_markdown(header, rows)))
