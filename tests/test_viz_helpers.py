"""여러 장이 함께 쓰는 viz 도구: show_table, power_of_ten_ticks, js_divergence, head_split_diagram."""
from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pytest
import torch

import transformer_lib.viz as viz
from transformer_lib.viz._tables import table_markdown
from transformer_lib.viz._ticks import power_of_ten_label


# ---- show_table ----
def test_table_markdown_rows_and_escapes():
    text = table_markdown(["토큰", "패치 $P$"], [["<bos>", 4], ["a|b", "$T^2$"]])
    lines = text.splitlines()
    assert lines[0] == "| 토큰 | 패치 $P$ |"
    assert lines[1] == "|---|---|"
    assert lines[2] == "| &lt;bos&gt; | 4 |"           # 태그로 읽혀 사라지지 않게
    assert lines[3] == r"| a\|b | $T^2$ |"              # | 는 칸을 나누지 않게, 수식은 그대로
    assert len(lines) == 4


def test_table_markdown_rejects_ragged_rows_and_empty_header():
    with pytest.raises(ValueError, match="행 1 의 값은 칸 수\\(2\\)"):
        table_markdown(["a", "b"], [[1, 2], [3]])
    with pytest.raises(ValueError, match="header"):
        table_markdown([], [])


def test_show_table_displays_markdown(monkeypatch):
    import IPython.display

    shown = []
    monkeypatch.setattr(IPython.display, "display", shown.append)
    viz.show_table(["헤드 수 h", "d_k"], [[1, 64], [8, 8]])
    assert len(shown) == 1 and isinstance(shown[0], IPython.display.Markdown)
    assert shown[0].data == "| 헤드 수 h | d_k |\n|---|---|\n| 1 | 64 |\n| 8 | 8 |"


# ---- power_of_ten_ticks ----
@pytest.mark.parametrize("value, label", [(1e-3, "$10^{-3}$"), (1.0, "$10^{0}$"), (100.0, "$10^{2}$"), (0.0, "0")])
def test_power_of_ten_label(value, label):
    assert power_of_ten_label(value) == label


@pytest.mark.parametrize("axis", ["x", "y", "both"])
def test_power_of_ten_ticks_formats_only_the_named_axis(axis):
    fig, ax = plt.subplots()
    ax.loglog([1e-4, 1e2], [1e-3, 1e1])
    viz.power_of_ten_ticks(ax, axis)
    fig.canvas.draw()
    x = [t.get_text() for t in ax.get_xticklabels() if t.get_text()]
    y = [t.get_text() for t in ax.get_yticklabels() if t.get_text()]
    mine = {"x": x, "y": y, "both": x + y}[axis]
    assert "$10^{-3}$" in mine and all(s.startswith("$10^{") for s in mine)
    if axis != "both":   # 다른 축은 matplotlib 기본 글자(\mathdefault)를 그대로 씀
        other = y if axis == "x" else x
        assert other and all("mathdefault" in s for s in other)
    plt.close(fig)


def test_power_of_ten_ticks_rejects_unknown_axis():
    fig, ax = plt.subplots()
    with pytest.raises(ValueError, match='axis 는 "x", "y", "both"'):
        viz.power_of_ten_ticks(ax, "z")
    plt.close(fig)


# ---- js_divergence ----
def test_js_divergence_bounds_and_symmetry():
    p = torch.tensor([1.0, 0.0, 0.0])
    q = torch.tensor([0.0, 0.5, 0.5])
    assert viz.js_divergence(p, p).item() == pytest.approx(0.0, abs=1e-7)
    assert viz.js_divergence(p, q).item() == pytest.approx(1.0)          # 겹치는 칸이 없으면 1 비트
    g = torch.Generator().manual_seed(0)
    a, b = torch.softmax(torch.randn(2, 4, 6, 6, generator=g), -1)      # (h, T_q, T_k) 두 벌
    d = viz.js_divergence(a, b)
    assert d.shape == (4, 6)                                            # 마지막 축(분포)만 줄어듦
    torch.testing.assert_close(d, viz.js_divergence(b, a))
    assert ((d > 0) & (d < 1)).all()


def test_js_divergence_matches_scipy():
    from scipy.spatial.distance import jensenshannon

    g = torch.Generator().manual_seed(1)
    p, q = torch.softmax(torch.randn(2, 7, generator=g, dtype=torch.float64), -1)
    expected = jensenshannon(p.numpy(), q.numpy(), base=2) ** 2       # scipy 는 발산의 제곱근(거리)을 돌려줌
    assert viz.js_divergence(p, q).item() == pytest.approx(expected, rel=1e-9)


def test_js_divergence_rejects_different_supports():
    with pytest.raises(ValueError, match="마지막 축"):
        viz.js_divergence(torch.ones(3) / 3, torch.ones(4) / 4)


# ---- head_split_diagram ----
def test_head_split_diagram_draws_three_views_at_column_width():
    from matplotlib.patches import Rectangle

    T, d_model, h = 3, 8, 2
    fig = viz.head_split_diagram(T, d_model, h, ["가", "나", "다"])
    ax = fig.axes[0]
    cells = [p for p in ax.patches if isinstance(p, Rectangle) and p.get_fill()]
    assert len(cells) == 3 * T * d_model                                # 세 줄 모두 같은 숫자 T × d_model 개
    colours = {tuple(round(c, 3) for c in p.get_facecolor()) for p in cells}
    assert len(colours) == h                                            # 칸의 색 = 헤드
    texts = [t.get_text() for t in ax.texts]
    assert "view(B, T, 2, 4)" in texts and "transpose(1, 2)" in texts
    assert texts.count("헤드 1") == 2 and texts.count("나") == 3
    assert fig.get_size_inches()[0] * fig.get_dpi() == pytest.approx(800)   # 책 본문 폭
    plt.close(fig)


def test_head_split_diagram_errors():
    with pytest.raises(ValueError, match="나누어떨어져야"):
        viz.head_split_diagram(3, 10, 4)
    with pytest.raises(ValueError, match="tokens 는 T\\(=3\\)개"):
        viz.head_split_diagram(3, 8, 2, ["가"])
