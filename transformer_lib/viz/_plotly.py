"""plotly 히트맵 + 슬라이더/드롭다운. 조작은 브라우저에서만 일어나므로 커널 없는 정적 사이트에서도 움직입니다."""
from ._mpl import _labels, _to_numpy


def plotly_heatmap_frames(
    frames,
    x_labels=None,
    y_labels=None,
    *,
    frame_labels=None,
    control="slider",
    control_label="",
    title=None,
    frame_titles=None,
    xaxis_title="키 (key)",
    yaxis_title="쿼리 (query)",
    colorbar_title="가중치",
    colorscale="Viridis",
    zmin=0.0,
    zmax=1.0,
    annotate=True,
    fmt=".2f",
    active=0,
    height=None,
    width=None,
):
    """행렬 여러 장 (N, R, C) 을 한 히트맵에 담고 슬라이더(control="slider") 또는
    드롭다운(control="dropdown") 으로 한 장씩 고르게 합니다. plotly Figure 를 돌려줍니다 — `viz.show(fig)` 로 출력.

    frames 가 2차원이면 한 장짜리(조작 없음)로 그립니다. zmin/zmax=None 이면 모든 장의 값 범위에 맞춥니다.
    행은 위에서 아래로 y_labels 순서입니다 (matplotlib 히트맵과 같은 방향).
    """
    import plotly.graph_objects as go

    from ._setup import _setup_plotly

    _setup_plotly()
    z = _to_numpy(frames)
    if z.ndim == 2:
        z = z[None]
    if z.ndim != 3:
        raise ValueError(f"frames 는 (N, R, C) 또는 (R, C) 이어야 합니다; 받은 모양: {z.shape}")
    n, rows, cols = z.shape
    x = _labels(x_labels, cols, "열")
    y = _labels(y_labels, rows, "행")
    labels = [str(s) for s in frame_labels] if frame_labels is not None else [str(i) for i in range(n)]
    if len(labels) != n:
        raise ValueError(f"frame_labels {len(labels)}개와 장 수 {n}이 다릅니다")
    if zmin is None:
        zmin = float(z.min())
    if zmax is None:
        zmax = float(z.max())
    # 같은 글자가 두 번 나오면 plotly 가 범주를 합치므로 축에는 위치 번호를 쓰고 눈금 글자만 토큰으로 붙입니다.
    xi, yi = list(range(cols)), list(range(rows))
    fig = go.Figure()
    for k in range(n):
        fig.add_trace(go.Heatmap(
            z=z[k], x=xi, y=yi, zmin=zmin, zmax=zmax, colorscale=colorscale,
            colorbar=dict(title=dict(text=colorbar_title)),
            text=[[format(v, fmt) for v in row] for row in z[k]] if annotate and rows * cols <= 400 else None,
            texttemplate="%{text}" if annotate and rows * cols <= 400 else None,
            customdata=[[[y[r], x[c]] for c in range(cols)] for r in range(rows)],
            hovertemplate=f"{yaxis_title}: %{{customdata[0]}}<br>{xaxis_title}: %{{customdata[1]}}"
                          "<br>값: %{z:.3f}<extra></extra>",
            visible=(k == active), name=labels[k],
        ))
    titles = list(frame_titles) if frame_titles is not None else [
        (f"{title} — {labels[k]}" if title and n > 1 else (title or "")) for k in range(n)]

    def step_args(k):
        return [{"visible": [i == k for i in range(n)]}, {"title.text": titles[k]}]

    layout = dict(
        title=dict(text=titles[active]),
        xaxis=dict(title=dict(text=xaxis_title), tickmode="array", tickvals=xi, ticktext=x, side="bottom",
                   automargin=True),
        yaxis=dict(title=dict(text=yaxis_title, standoff=12), tickmode="array", tickvals=yi, ticktext=y,
                   autorange="reversed", automargin=True),
        height=height or max(320, 140 + 42 * rows + (90 if control == "slider" and n > 1 else 0)),
        margin=dict(l=90, r=20, t=60, b=40),
    )
    if width:
        layout["width"] = width
    if n > 1 and control == "slider":
        layout["sliders"] = [dict(
            active=active, currentvalue=dict(prefix=f"{control_label}: " if control_label else ""),
            pad=dict(t=50),
            steps=[dict(method="update", label=labels[k], args=step_args(k)) for k in range(n)],
        )]
    elif n > 1 and control == "dropdown":
        # 드롭다운은 그림 영역 바로 위 왼쪽, 제목은 그 위 (오른쪽 위의 plotly 도구 막대와 겹치지 않게)
        layout["margin"]["t"] = 100
        layout["height"] += 40
        layout["title"].update(y=0.97, yanchor="top", yref="container")
        layout["updatemenus"] = [dict(
            active=active, type="dropdown", x=0.0, xanchor="left", y=1.02, yanchor="bottom",
            showactive=True, pad=dict(r=4, t=4),
            buttons=[dict(method="update", label=labels[k], args=step_args(k)) for k in range(n)],
        )]
    elif n > 1:
        raise ValueError(f'control 은 "slider" 또는 "dropdown" 이어야 합니다; 받은 값: {control!r}')
    fig.update_layout(**layout)
    return fig


def plotly_attention(
    weights,
    query_tokens=None,
    key_tokens=None,
    *,
    frame_labels=None,
    control="slider",
    control_label="헤드",
    title="어텐션 가중치",
    **kwargs,
):
    """어텐션 가중치 (N, T_q, T_k) — 헤드별·층별·온도별 등 — 를 슬라이더/드롭다운 히트맵으로.

    행 = 쿼리, 열 = 키. key_tokens 를 생략하면 query_tokens 를 씁니다. (B=1 인 (1, N, T_q, T_k) 도 받습니다.)
    """
    w = _to_numpy(weights)
    if w.ndim == 4 and w.shape[0] == 1:
        w = w[0]
    if key_tokens is None:
        key_tokens = query_tokens
    if frame_labels is None and w.ndim == 3:
        frame_labels = [f"{control_label} {k}".strip() for k in range(w.shape[0])]
    return plotly_heatmap_frames(
        w, key_tokens, query_tokens, frame_labels=frame_labels, control=control,
        control_label=control_label, title=title, **kwargs,
    )
