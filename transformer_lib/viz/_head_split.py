"""헤드 나누기 그림: (B, T, d_model) → view → (B, T, h, d_k) → transpose(1, 2) → (B, h, T, d_k), B = 1.

    fig = viz.head_split_diagram(T=5, d_model=16, n_heads=4, tokens=["나는", ...])

위에서 아래로 세 줄입니다. 맨 위는 토큰 T개 × d_model 차원(칸의 색 = 그 차원이 속한 헤드, HEAD_COLORS), 가운데는 같은
숫자를 헤드 h개 × d_k 차원으로 다시 읽은 모습(view: 숫자는 그대로), 맨 아래는 헤드 축을 앞으로 옮겨 헤드마다 (T, d_k)
카드 한 장이 된 모습(transpose)입니다. 그림은 책 본문 폭(8인치 = 800px)으로 그립니다.
"""
from __future__ import annotations

from ._style import HEAD_COLORS

_CELL_W, _CELL_H, _HEAD_GAP = 0.3, 0.32, 0.45   # 칸의 가로·세로, 가운데 줄에서 헤드 사이 간격 (그림 좌표)
_DECK_DX, _DECK_DY = 0.55, 0.3                   # 맨 아래 카드 뭉치에서 카드끼리 어긋난 정도


def head_split_diagram(T: int, d_model: int, n_heads: int, tokens=None):
    """d_model 차원을 헤드 n_heads 개로 나누는 모양 바꾸기를 칸 그림으로 그립니다. Figure 를 돌려줌."""
    import matplotlib.pyplot as plt
    from matplotlib.patches import FancyArrowPatch, Rectangle

    from ._setup import korean_font

    if d_model % n_heads:
        raise ValueError(f"d_model(={d_model})은 n_heads(={n_heads})로 나누어떨어져야 합니다 "
                         "(d_model must be divisible by n_heads)")
    if tokens is not None and len(tokens) != T:
        raise ValueError(f"tokens 는 T(={T})개여야 합니다; 받은 값: {len(tokens)}개")
    korean_font()
    d_k = d_model // n_heads
    colors = [HEAD_COLORS[i % len(HEAD_COLORS)] for i in range(n_heads)]
    cw, ch = _CELL_W, _CELL_H
    H = T * ch                                   # 행렬 한 장의 높이
    W = d_model * cw + (n_heads - 1) * _HEAD_GAP  # 가장 넓은 줄(가운데)의 폭
    fig, ax = plt.subplots(layout="constrained")

    def grid(x0, y0, cols, color, edge=None):     # (T, cols) 칸; 행 0(첫 토큰)이 맨 위
        for r in range(T):
            for j in range(cols):
                ax.add_patch(Rectangle((x0 + j * cw, y0 + (T - 1 - r) * ch), cw, ch, fc=color, ec="white", lw=0.4))
        if edge:
            ax.add_patch(Rectangle((x0, y0), cols * cw, H, fill=False, ec=edge, lw=0.8))

    def token_labels(x0, y0):
        for t, tok in enumerate(tokens or []):
            ax.text(x0 - 0.1, y0 + (T - 1 - t) * ch + ch / 2, tok, ha="right", va="center", fontsize=10)

    def arrow(y_from, y_to, label):
        ax.add_patch(FancyArrowPatch((W / 2, y_from), (W / 2, y_to), arrowstyle="-|>", mutation_scale=18, color="0.3"))
        ax.text(W / 2 + 0.25, (y_from + y_to) / 2, label, va="center", fontsize=10.5, family="monospace")

    # (1) 맨 위: (B, T, d_model). 칸의 색 = 그 차원이 속한 헤드
    y1 = 2 * (H + 2.2) + 1.2
    x1 = (W - d_model * cw) / 2
    for i in range(n_heads):
        grid(x1 + i * d_k * cw, y1, d_k, colors[i])
    token_labels(x1, y1)
    ax.text(W / 2, y1 + H + 0.25, f"(B, T, d_model) = (1, {T}, {d_model}): 토큰마다 d_model 차원 벡터 하나",
            ha="center", fontsize=11)
    arrow(y1 - 0.15, y1 - 1.05, f"view(B, T, {n_heads}, {d_k})")

    # (2) 가운데: (B, T, h, d_k). 숫자는 그대로, 마지막 차원을 h 조각으로 다시 읽기
    y2 = y1 - 1.2 - H - 0.55
    for i in range(n_heads):
        x = i * (d_k * cw + _HEAD_GAP)
        grid(x, y2, d_k, colors[i])
        ax.text(x + d_k * cw / 2, y2 + H + 0.12, f"헤드 {i}", ha="center", fontsize=10)
    token_labels(0, y2)
    ax.text(W / 2, y2 + H + 0.5, f"(B, T, h, d_k) = (1, {T}, {n_heads}, {d_k}): 숫자는 그대로, 마지막 차원만 h 조각으로",
            ha="center", fontsize=11)
    arrow(y2 - 0.15, y2 - 1.05, "transpose(1, 2)")

    # (3) 맨 아래: (B, h, T, d_k). 헤드마다 (T, d_k) 행렬 한 장 (카드 뭉치; 헤드 0 이 맨 앞)
    y3 = y2 - 1.2 - H - (n_heads - 1) * _DECK_DY
    x3 = W / 2 - (d_k * cw + (n_heads - 1) * _DECK_DX) / 2
    for i in reversed(range(n_heads)):
        ox, oy = x3 + i * _DECK_DX, y3 + i * _DECK_DY
        grid(ox, oy, d_k, colors[i], edge="black")
        ax.text(x3 + (n_heads - 1) * _DECK_DX + d_k * cw + 0.15, oy + H - 0.15, f"헤드 {i}", fontsize=10,
                va="center", color=colors[i])
    token_labels(x3, y3)
    ax.text(W / 2, y3 - 0.35, f"(B, h, T, d_k) = (1, {n_heads}, {T}, {d_k}): 헤드마다 (T, d_k) 행렬 한 장",
            ha="center", va="top", fontsize=11)

    xlim, ylim = (-1.9, W + 0.3), (y3 - 0.8, y1 + H + 0.55)
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    fig.set_size_inches(8, 8 * (ylim[1] - ylim[0]) / (xlim[1] - xlim[0]))
    ax.set_aspect("equal")
    ax.axis("off")
    return fig
