"""matplotlib 어텐션 히트맵: 행 = 쿼리(query), 열 = 키(key), viridis."""
import math


def _to_numpy(weights):
    if hasattr(weights, "detach"):
        weights = weights.detach().cpu().float().numpy()
    import numpy as np

    return np.asarray(weights, dtype=float)


def _labels(tokens, n, what):
    if tokens is None:
        return [str(i) for i in range(n)]
    tokens = [str(t) for t in tokens]
    if len(tokens) != n:
        raise ValueError(f"{what} 토큰 {len(tokens)}개와 가중치의 길이 {n}이 다릅니다 ({what} tokens do not match weights)")
    return tokens


def attention_heatmap(
    weights,
    query_tokens=None,
    key_tokens=None,
    *,
    ax=None,
    title=None,
    annotate=True,
    fmt=".2f",
    cmap="viridis",
    vmin=0.0,
    vmax=1.0,
    colorbar=True,
    xlabel="키 (key)",
    ylabel="쿼리 (query)",
    colorbar_label="어텐션 가중치",
):
    """2차원 어텐션 가중치 (T_q, T_k) 를 히트맵으로 그립니다. (fig, ax) 를 돌려줍니다.

    행은 쿼리, 열은 키입니다. key_tokens 를 생략하면 query_tokens 를 씁니다(셀프 어텐션).
    vmin/vmax=None 이면 값 범위에 맞춥니다(점수 행렬처럼 0~1 이 아닐 때).
    """
    import matplotlib.pyplot as plt

    from ._setup import korean_font

    korean_font()
    w = _to_numpy(weights)
    if w.ndim != 2:
        raise ValueError(f"weights 는 2차원 (T_q, T_k) 이어야 합니다; 받은 모양: {w.shape}")
    t_q, t_k = w.shape
    key_tokens = query_tokens if key_tokens is None and t_q == t_k else key_tokens
    ylabels = _labels(query_tokens, t_q, "쿼리")
    xlabels = _labels(key_tokens, t_k, "키")
    if ax is None:
        fig, ax = plt.subplots(figsize=(1.8 + 0.85 * t_k, 1.2 + 0.65 * t_q), layout="constrained")
    else:
        fig = ax.figure
    im = ax.imshow(w, cmap=cmap, vmin=vmin, vmax=vmax, aspect="auto")
    ax.set_xticks(range(t_k), xlabels, rotation=45 if max(map(len, xlabels)) > 3 else 0, ha="right" if max(map(len, xlabels)) > 3 else "center")
    ax.set_yticks(range(t_q), ylabels)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.xaxis.set_label_position("bottom")
    if title:
        ax.set_title(title)
    if annotate and t_q * t_k <= 400:
        lo, hi = im.get_clim()
        mid = (lo + hi) / 2
        for i in range(t_q):
            for j in range(t_k):
                ax.text(j, i, format(w[i, j], fmt), ha="center", va="center", fontsize=9,
                        color="black" if w[i, j] > mid else "white")
    if colorbar:
        fig.colorbar(im, ax=ax, label=colorbar_label, shrink=0.9)
    return fig, ax


def attention_heatmaps(
    weights,
    query_tokens=None,
    key_tokens=None,
    *,
    titles=None,
    ncols=4,
    annotate=False,
    suptitle=None,
    **kwargs,
):
    """여러 장의 어텐션 맵 (N, T_q, T_k) — 예: 헤드별 — 을 격자로 그립니다. fig 를 돌려줍니다.

    titles 를 생략하면 "헤드 0", "헤드 1", ... 을 씁니다. 색 범위는 모든 칸이 같습니다(기본 0~1).
    """
    import matplotlib.pyplot as plt

    from ._setup import korean_font

    korean_font()
    w = _to_numpy(weights)
    if w.ndim == 4 and w.shape[0] == 1:
        w = w[0]
    if w.ndim != 3:
        raise ValueError(f"weights 는 3차원 (N, T_q, T_k) 이어야 합니다; 받은 모양: {w.shape}")
    n, t_q, t_k = w.shape
    titles = list(titles) if titles is not None else [f"헤드 {i}" for i in range(n)]
    ncols = max(1, min(ncols, n))
    nrows = math.ceil(n / ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(ncols * (0.9 + 0.45 * t_k), nrows * (0.9 + 0.42 * t_q)),
                             layout="constrained", squeeze=False)
    for idx, ax in enumerate(axes.flat):
        if idx >= n:
            ax.axis("off")
            continue
        attention_heatmap(w[idx], query_tokens, key_tokens, ax=ax, title=titles[idx], annotate=annotate,
                          colorbar=False, **kwargs)
        if idx % ncols:
            ax.set_ylabel("")
        if idx < n - ncols:
            ax.set_xlabel("")
    mappable = axes.flat[0].images[0]
    fig.colorbar(mappable, ax=axes, label=kwargs.get("colorbar_label", "어텐션 가중치"), shrink=0.8)
    if suptitle:
        fig.suptitle(suptitle)
    return fig
