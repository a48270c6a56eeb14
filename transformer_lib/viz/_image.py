"""이미지 위의 어텐션 (11장 ViT): 패치 나누기, [CLS]→패치 어텐션 겹쳐 그리기, 위치 임베딩 유사도, plotly 슬라이더.

약속: 이미지는 (H, W) 밝기 0~1, 어텐션은 패치 격자 (g, g) — 행 순서로 N = g·g 개 패치가 놓인 그대로입니다.
어텐션은 viridis 색으로, 숫자 획은 그 위에 반투명 흰색(밝을수록 진함)으로 그립니다.
"""
import math

from ._mpl import _to_numpy


def _frame(ax, color="#7F7F7F"):
    """눈금 없이 네 변 모두 얇은 테두리 (흰 패치도 칸이 보이게)."""
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_visible(True)
        spine.set_color(color)
        spine.set_linewidth(0.8)


def _row_label(ax, text):
    """줄 이름을 세우지 않고 가로로 (한글이 눕지 않게) 왼쪽에 씁니다."""
    ax.set_ylabel(str(text), rotation=0, ha="right", va="center", fontsize=10, labelpad=6)


def _labelled_grid(values, name, shape, row_labels, col_labels, margin, cell):
    """R×C 칸 그림의 공통 부분: 4차원 (R, C, …) 배열 확인, 칸 만들기, 윗줄 제목·왼쪽 줄 이름. → (배열, fig, axes)

    그림 크기(인치) = margin (가로, 세로) + 한 변 cell 인 칸 C × R 개."""
    import matplotlib.pyplot as plt

    from ._setup import korean_font

    korean_font()
    arr = _to_numpy(values)
    if arr.ndim != 4:
        raise ValueError(f"{name} 는 {shape} 4차원이어야 합니다; 받은 모양: {arr.shape}")
    R, C = arr.shape[:2]
    fig, axes = plt.subplots(R, C, figsize=(margin[0] + cell * C, margin[1] + cell * R), layout="constrained",
                             squeeze=False)
    for c, text in enumerate(col_labels if col_labels is not None else []):
        axes[0, c].set_title(str(text), fontsize=10)
    for r, text in enumerate(row_labels if row_labels is not None else []):
        _row_label(axes[r, 0], text)
    return arr, fig, axes


def image_grid(images, *, row_labels=None, col_labels=None):
    """이미지 격자 (R, C, H, W) 를 흑백(밝기 0~1, 획 = 검정)으로 그립니다. fig."""
    import numpy as np

    imgs, fig, axes = _labelled_grid(images, "images", "(R, C, H, W)", row_labels, col_labels, (0.9, 0.4), 1.1)
    for (r, c), ax in np.ndenumerate(axes):
        ax.imshow(imgs[r, c], cmap="gray_r", vmin=0, vmax=1)
        _frame(ax)
    return fig


def _mosaic(tiles, rows, cols, gap=1):
    """같은 크기의 2차원 조각들을 rows × cols 로 한 장에 늘어놓습니다(사이는 NaN = 빈칸). (그림, 조각마다 왼쪽 위 (y, x))."""
    import numpy as np

    th, tw = tiles[0].shape
    out = np.full((rows * th + (rows - 1) * gap, cols * tw + (cols - 1) * gap), np.nan)
    corners = []
    for k, tile in enumerate(tiles):
        r, c = divmod(k, cols)
        y0, x0 = r * (th + gap), c * (tw + gap)
        out[y0:y0 + th, x0:x0 + tw] = tile
        corners.append((y0, x0))
    return out, corners


def _overlay(ax, image, heat):
    """ax 에 heat (g, g) 를 이미지 크기로 늘여 viridis 로(가장 큰 값이 가장 밝게), image (H, W) 의 획을 흰색으로
    겹쳐 그립니다."""
    import numpy as np

    image, heat = _to_numpy(image), _to_numpy(heat)
    H, W = image.shape
    extent = (-0.5, W - 0.5, H - 0.5, -0.5)
    ax.imshow(heat, cmap="viridis", vmin=0.0, vmax=float(heat.max()), extent=extent, interpolation="nearest")
    strokes = np.zeros((H, W, 4))
    strokes[..., :3] = 1.0
    strokes[..., 3] = 0.6 * np.clip(image, 0.0, 1.0)
    ax.imshow(strokes, extent=extent, interpolation="nearest")
    _frame(ax)


def image_patches(image, patch_size, *, title=None):
    """이미지 (H, W) 를 P×P 패치로 나눈 모습(번호 붙은 격자)과, 패치를 한 줄로 늘어놓은 토큰 시퀀스를 그립니다. fig."""
    import matplotlib.pyplot as plt
    from matplotlib.patches import Rectangle

    from ._setup import korean_font

    korean_font()
    img = _to_numpy(image)
    H, W = img.shape
    P = patch_size
    gh, gw = H // P, W // P
    n = gh * gw
    fig = plt.figure(figsize=(7, 3.3), layout="constrained")
    left, right = fig.subfigures(1, 2, width_ratios=[1, 1.5])
    ax = left.subplots()
    ax.imshow(img, cmap="gray_r", vmin=0, vmax=1)
    for k in range(1, gh):
        ax.axhline(k * P - 0.5, color="#E69F00", lw=2)
    for k in range(1, gw):
        ax.axvline(k * P - 0.5, color="#E69F00", lw=2)
    for r in range(gh):
        for c in range(gw):
            ax.text(c * P - 0.4, r * P - 0.4, str(r * gw + c), color="#0072B2", fontsize=9, va="top", ha="left",
                    bbox=dict(boxstyle="round,pad=0.1", fc="white", ec="none", alpha=0.85))
    _frame(ax)
    ax.set_title(title or f"{H}×{W} 이미지 → {P}×{P} 패치 {n}개")
    cols = min(n, 8)
    rows = math.ceil(n / cols)
    mosaic, corners = _mosaic([img[r * P:(r + 1) * P, c * P:(c + 1) * P] for r in range(gh) for c in range(gw)],
                              rows, cols, gap=P)
    ax2 = right.subplots()
    ax2.imshow(mosaic, cmap="gray_r", vmin=0, vmax=1)
    for k, (y0, x0) in enumerate(corners):
        ax2.add_patch(Rectangle((x0 - 0.5, y0 - 0.5), P, P, fill=False, edgecolor="#7F7F7F", lw=0.8))
        ax2.text(x0 + P / 2 - 0.5, y0 - 0.7, str(k), color="#0072B2", fontsize=9, ha="center", va="bottom")
    ax2.set_xlim(-0.6, mosaic.shape[1] - 0.4)
    ax2.set_ylim(mosaic.shape[0] - 0.4, -P - 0.1)                  # 맨 윗줄 번호가 들어갈 자리
    ax2.axis("off")
    ax2.set_title(f"토큰 시퀀스: 패치 {n}개 (행 순서), 각각 {P * P}개 값", pad=16)
    return fig


def image_attention_grid(image, heats, *, row_labels=None, col_labels=None, suptitle=None):
    """이미지 한 장 위에 어텐션 격자 여러 장 heats (R, C, g, g) 를 R×C 칸으로 겹쳐 그립니다. fig.

    예: 층 × 헤드의 [CLS]→패치 어텐션. 칸마다 그 칸의 최댓값이 가장 밝은 색입니다.
    """
    import numpy as np

    h, fig, axes = _labelled_grid(heats, "heats", "(R, C, g, g)", row_labels, col_labels, (0.6, 0.5), 1.25)
    for (r, c), ax in np.ndenumerate(axes):
        _overlay(ax, image, h[r, c])
    if suptitle:
        fig.suptitle(suptitle)
    return fig


def attention_gallery(images, heats, *, titles=None):
    """여러 이미지 (N, H, W) 와 각자의 어텐션 (N, g, g): 윗줄은 이미지, 아랫줄은 그 위의 어텐션. fig."""
    import matplotlib.pyplot as plt

    from ._setup import korean_font

    korean_font()
    imgs, h = _to_numpy(images), _to_numpy(heats)
    n = imgs.shape[0]
    if h.shape[0] != n:
        raise ValueError(f"images {n}장과 heats {h.shape[0]}장의 수가 같아야 합니다")
    fig, axes = plt.subplots(2, n, figsize=(0.8 + 1.1 * n, 0.5 + 2 * 1.1), layout="constrained", squeeze=False)
    for k in range(n):
        axes[0, k].imshow(imgs[k], cmap="gray_r", vmin=0, vmax=1)
        _frame(axes[0, k])
        if titles is not None:
            axes[0, k].set_title(str(titles[k]), fontsize=10)
        _overlay(axes[1, k], imgs[k], h[k])
    _row_label(axes[0, 0], "이미지")
    _row_label(axes[1, 0], "롤아웃")
    return fig


def position_similarity_grid(pos_embed, grid, *, title=None):
    """위치 임베딩 (N, d) (N = grid²) 의 코사인 유사도: 블록 (r, c) 에 '패치 (r, c) 와 모든 패치의 유사도' 격자. fig.

    블록 안에서 기준 패치 자신의 칸(유사도 1)은 흰 테두리로 표시합니다.
    """
    import matplotlib.pyplot as plt
    import numpy as np
    from matplotlib.patches import Rectangle

    from ._setup import korean_font

    korean_font()
    e = _to_numpy(pos_embed)
    if e.shape[0] != grid * grid:
        raise ValueError(f"위치 임베딩 {e.shape[0]}개가 격자 {grid}×{grid} 와 맞지 않습니다 (expected grid² rows)")
    unit = e / np.linalg.norm(e, axis=1, keepdims=True)
    sim = unit @ unit.T                                            # (N, N)
    mosaic, corners = _mosaic([sim[k].reshape(grid, grid) for k in range(grid * grid)], grid, grid, gap=1)
    fig, ax = plt.subplots(figsize=(5.4, 4.6), layout="constrained")
    cmap = plt.get_cmap("viridis").with_extremes(bad="white")      # 블록 사이의 빈칸(NaN)은 흰색
    im = ax.imshow(mosaic, cmap=cmap, vmin=-1, vmax=1)
    centers = [(grid - 1) / 2 + i * (grid + 1) for i in range(grid)]
    ax.set_xticks(centers, [f"열 {c}" for c in range(grid)])
    ax.set_yticks(centers, [f"행 {r}" for r in range(grid)])
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    for k, (y0, x0) in enumerate(corners):          # 기준 패치 자신의 칸을 흰 테두리로
        r, c = divmod(k, grid)
        ax.add_patch(Rectangle((x0 + c - 0.5, y0 + r - 0.5), 1, 1, fill=False, edgecolor="white", lw=1.2))
    ax.set_xlabel("기준 패치의 열")
    ax.set_ylabel("기준 패치의 행")
    fig.colorbar(im, ax=ax, label="코사인 유사도", shrink=0.85)
    if title:
        fig.suptitle(title)
    return fig


def plotly_image_attention(images, heats, probs, *, true_labels, frame_labels=None, active=0):
    """테스트 이미지를 슬라이더로 한 장씩: 왼쪽 이미지, 가운데 어텐션(이미지 크기로 늘림), 오른쪽 부류별 확률.

    images (N, H, W), heats (N, g, g), probs (N, K). 커널 없이 브라우저에서 움직입니다 — `viz.show(fig)`.
    """
    import numpy as np
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    from ._setup import _setup_plotly

    _setup_plotly()
    imgs, h, p = _to_numpy(images), _to_numpy(heats), _to_numpy(probs)
    n, H, W = imgs.shape
    g = h.shape[-1]
    if h.shape[0] != n or p.shape[0] != n:
        raise ValueError(f"images {n}장, heats {h.shape[0]}장, probs {p.shape[0]}장의 수가 같아야 합니다")
    K = p.shape[1]
    names = [str(c) for c in range(K)]
    labels = [str(s) for s in frame_labels] if frame_labels is not None else [str(i) for i in range(n)]
    up = H // g
    fig = make_subplots(rows=1, cols=3, column_widths=[0.3, 0.3, 0.4], horizontal_spacing=0.06,
                        subplot_titles=("이미지", "롤아웃", "확률"))
    titles = []
    for k in range(n):
        pred = int(p[k].argmax())
        big = np.kron(h[k], np.ones((up, up)))                     # (g, g) → (H, W): 패치 하나 = P×P 픽셀
        fig.add_trace(go.Heatmap(z=imgs[k], colorscale="Greys", zmin=0, zmax=1, showscale=False,
                                 hovertemplate="행 %{y}, 열 %{x}<br>밝기 %{z:.2f}<extra></extra>",
                                 visible=(k == active)), row=1, col=1)
        fig.add_trace(go.Heatmap(z=big, colorscale="Viridis", zmin=0, zmax=float(h[k].max()), showscale=False,
                                 hovertemplate="픽셀 행 %{y}, 열 %{x}<br>몫 %{z:.3f}<extra></extra>",
                                 visible=(k == active)), row=1, col=2)
        colors = ["#D55E00" if c == pred and pred != int(true_labels[k]) else
                  "#009E73" if c == int(true_labels[k]) else "#7F7F7F" for c in range(K)]
        fig.add_trace(go.Bar(x=names, y=p[k], marker_color=colors, showlegend=False,
                             hovertemplate="숫자 %{x}: %{y:.3f}<extra></extra>", visible=(k == active)),
                      row=1, col=3)
        mark = "맞음" if pred == int(true_labels[k]) else "틀림"
        titles.append(f"테스트 이미지 {labels[k]}: 정답 {int(true_labels[k])}, 예측 {pred} ({mark})")
    for col in (1, 2):
        fig.update_xaxes(showticklabels=False, constrain="domain", row=1, col=col)
        fig.update_yaxes(autorange="reversed", showticklabels=False, scaleanchor=f"x{'' if col == 1 else col}",
                         constrain="domain", row=1, col=col)
    fig.update_yaxes(range=[0, 1], row=1, col=3)
    fig.update_xaxes(title=dict(text="숫자"), type="category", row=1, col=3)

    def step(k):
        vis = [False] * (3 * n)
        vis[3 * k:3 * k + 3] = [True, True, True]
        return [{"visible": vis}, {"title.text": titles[k]}]

    fig.update_layout(
        title=dict(text=titles[active], font=dict(size=14)), height=430, margin=dict(l=20, r=20, t=80, b=20),
        sliders=[dict(active=active, currentvalue=dict(prefix="이미지: "), pad=dict(t=30),
                      steps=[dict(method="update", label=labels[k], args=step(k)) for k in range(n)])],
    )
    return fig
