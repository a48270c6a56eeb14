"""탐색기의 그리기: HTML 히트맵 표(위젯용)와 정적 사이트용 plotly 그림. 계산은 explorer.py 의 Explorer 가 합니다.

(예전처럼 `from transformer_lib.toy.explorer import attention_figure, heatmap_table` 로도 부를 수 있습니다.)
"""
from __future__ import annotations

import functools
import html

# -------------------------------------------------------------------------------------------------------------------
# HTML 히트맵: 표 한 장. matplotlib을 쓰지 않으므로 한글 글꼴 문제도 없고 빠릅니다.
# -------------------------------------------------------------------------------------------------------------------
@functools.cache
def _viridis() -> list:
    """viridis 256색 (#rrggbb). 처음 한 번만 만듭니다."""
    try:
        from matplotlib import colormaps
        cmap = colormaps["viridis"]
        return ["#%02x%02x%02x" % tuple(int(255 * c) for c in cmap(i / 255)[:3]) for i in range(256)]
    except Exception:  # matplotlib이 없으면 회색조
        return ["#%02x%02x%02x" % (i, i, i) for i in range(256)]


def heatmap_table(w, rows, cols, caption: str = "", masked=None) -> str:
    """가중치 (T_q, T_k)를 칸마다 색(viridis, 0~1)과 숫자가 있는 HTML 표로 만듭니다.

    masked="causal"이면 룩어헤드 마스크로 가려진 칸(열 > 행)을 회색 빈칸으로 그립니다.
    """
    from .explorer import MESSAGES

    pal = _viridis()
    vals = w.tolist() if hasattr(w, "tolist") else w
    cell = "width:3.6em;height:1.9em;text-align:center;font-size:0.8em;padding:0;border:1px solid #fff"
    out = ["<div style='overflow-x:auto'><table style='border-collapse:collapse;font-family:sans-serif'>"]
    if caption:
        out.append(f"<caption style='caption-side:bottom;font-size:0.85em;color:#444;padding-top:4px'>"
                   f"{html.escape(caption)}</caption>")
    out.append("<tr><th></th>" + "".join(
        f"<th style='font-weight:normal;font-size:0.8em;padding:2px 3px;white-space:nowrap'>{html.escape(c)}</th>"
        for c in cols) + "</tr>")
    for qi, (r, row) in enumerate(zip(rows, vals)):
        tds = []
        for ki, v in enumerate(row):
            if masked == "causal" and ki > qi:
                tds.append(f"<td style='{cell};background:#eeeeee' title='{MESSAGES['masked_cell']}'></td>")
                continue
            i = max(0, min(255, int(round(v * 255))))
            fg = "#000" if i > 150 else "#fff"
            tds.append(f"<td style='{cell};background:{pal[i]};color:{fg}' title='{v:.3f}'>{v:.2f}</td>")
        out.append(f"<tr><th style='font-weight:normal;font-size:0.8em;text-align:right;padding-right:6px;"
                   f"white-space:nowrap'>{html.escape(r)}</th>{''.join(tds)}</tr>")
    out.append("</table></div>")
    return "".join(out)


# -------------------------------------------------------------------------------------------------------------------
# 정적 사이트용 plotly 그림
# -------------------------------------------------------------------------------------------------------------------
def attention_figure(sentences, explorer=None, height: int = 560):
    """예문들의 어텐션을 미리 계산해, 드롭다운 네 개(문장·종류·층·헤드)로 고르는 plotly 그림을 만듭니다.

    커널 없이 브라우저에서만 움직이도록, 드롭다운 네 개가 서로 다른 속성을 바꿉니다:
      문장 → 모든 trace의 데이터(z, x, y),  종류 → visible,  층 → opacity(와 칸 글자·호버),
      헤드 → trace가 놓인 축(고른 헤드만 보이는 축에, 나머지는 화면 밖 축에).
    그래서 네 선택이 서로를 지우지 않고 함께 적용됩니다. trace는 (종류, 층, 헤드)마다 하나입니다.
    """
    import plotly.graph_objects as go

    from .explorer import KINDS, Explorer, msg

    ex = explorer or Explorer()
    analyses = []
    for s in sentences:
        a = ex.analyze(s)
        if not a.ok:
            raise ValueError(f"예문을 분석할 수 없습니다: {s!r} — {a.message}")
        analyses.append(a)
    L, H = ex.n_layers, ex.n_heads
    combos = [(k, l, h) for k in KINDS for l in range(L) for h in range(H)]
    init = dict(sentence=0, kind="cross", layer=L - 1, head=0)

    def data_for(a):
        zs, xs, ys = [], [], []
        for k, l, h in combos:
            w, rows, cols = ex.attention(a, k, l, h)
            zs.append([[round(v, 3) for v in r] for r in w.tolist()])
            # 같은 토큰이 두 번 나와도 칸이 합쳐지지 않도록 위치 번호를 붙입니다
            xs.append([f"{c} ·{i + 1}" for i, c in enumerate(cols)])
            ys.append([f"{r} ·{i + 1}" for i, r in enumerate(rows)])
        return zs, xs, ys

    per_sentence = [data_for(a) for a in analyses]
    zs, xs, ys = per_sentence[init["sentence"]]
    fig = go.Figure()
    for i, (k, l, h) in enumerate(combos):
        shown_axis = h == init["head"]
        fig.add_trace(go.Heatmap(
            z=zs[i], x=xs[i], y=ys[i], coloraxis="coloraxis", name=f"{k} L{l} H{h}",
            visible=(k == init["kind"]), opacity=1.0 if l == init["layer"] else 0.0,
            hoverinfo="all" if l == init["layer"] else "skip",
            xaxis="x" if shown_axis else "x2", yaxis="y" if shown_axis else "y2",
            texttemplate="%{z:.2f}" if l == init["layer"] else "", textfont=dict(size=10),
            hovertemplate="쿼리 %{y}<br>키 %{x}<br>가중치 %{z:.3f}<extra></extra>",
        ))

    def menu(buttons, label, active, x, y):
        return dict(buttons=buttons, active=active, direction="down", x=x, y=y, xanchor="left", yanchor="top",
                    showactive=True, pad=dict(r=4, t=2), name=label)

    sent_buttons = [dict(label=f"문장 {j + 1}: {a.text}", method="restyle",
                         args=[{"z": d[0], "x": d[1], "y": d[2]}]) for j, (a, d) in
                    enumerate(zip(analyses, per_sentence))]
    kind_buttons = [dict(label=v, method="restyle", args=[{"visible": [c[0] == k for c in combos]}])
                    for k, v in KINDS.items()]
    layer_buttons = [dict(label=msg("layer", i=l), method="restyle",
                          args=[{"opacity": [1.0 if c[1] == l else 0.0 for c in combos],
                                 "hoverinfo": ["all" if c[1] == l else "skip" for c in combos],
                                 "texttemplate": ["%{z:.2f}" if c[1] == l else "" for c in combos]}])
                     for l in range(L)]
    head_buttons = [dict(label=msg("head", i=h), method="restyle",
                         args=[{"xaxis": ["x" if c[2] == h else "x2" for c in combos],
                                "yaxis": ["y" if c[2] == h else "y2" for c in combos]}])
                    for h in range(H)]
    # 메뉴 위치: 위쪽 세 줄 (문장 / 종류 / 층·헤드). 390 px 폭의 휴대전화에서도 메뉴끼리 겹치지 않도록 긴 메뉴는
    # 한 줄에 하나씩 둡니다(한 줄에 셋을 두면 좁은 화면에서 겹쳤습니다). 위쪽 여백은 픽셀로 고정입니다.
    top = 175
    row = lambda k: 1 + (top - 12 - 40 * k) / (height - top - 10)  # noqa: E731  (k번째 줄의 y, 위에서부터)
    menus = [menu(sent_buttons, "문장", init["sentence"], 0.0, row(0)),
             menu(kind_buttons, "종류", list(KINDS).index(init["kind"]), 0.0, row(1)),
             menu(layer_buttons, "층", init["layer"], 0.0, row(2)),
             menu(head_buttons, "헤드", init["head"], 0.28, row(2))]
    fig.update_layout(
        updatemenus=menus, height=height, margin=dict(l=10, r=10, t=top, b=10),
        coloraxis=dict(colorscale="Viridis", cmin=0, cmax=1, colorbar=dict(title="가중치", thickness=12)),
        xaxis=dict(title="키(key)", side="bottom", tickangle=-45, type="category"),
        yaxis=dict(title="쿼리(query)", autorange="reversed", type="category"),
        # 화면 밖 "주차" 축: 고르지 않은 헤드의 trace가 여기에 놓여 보이지 않습니다
        xaxis2=dict(overlaying="x", visible=False, range=[1000, 1001], type="category", fixedrange=True),
        yaxis2=dict(overlaying="y", visible=False, range=[1000, 1001], type="category", fixedrange=True),
        plot_bgcolor="white",
    )
    return fig
