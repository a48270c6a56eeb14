"""ipywidgets 조작 도구. Jupyter/Colab 에서는 살아 있고, 정적 사이트에서는 저장된 모습(마지막 상태)만 보입니다.
커널 없이 움직여야 하는 그림은 plotly 슬라이더(`plotly_attention`)를 쓰세요."""
from ._mpl import _to_numpy


def heatmap_widget(
    weights,
    query_tokens=None,
    key_tokens=None,
    *,
    frame_labels=None,
    description="헤드",
    control="dropdown",
    **heatmap_kwargs,
):
    """(N, T_q, T_k) 어텐션 맵 중 하나를 고르는 위젯(드롭다운 또는 슬라이더) + matplotlib 히트맵.

    돌려주는 값은 ipywidgets.VBox 이며, 셀의 마지막 줄에 두면 표시됩니다.
    """
    import ipywidgets as widgets
    import matplotlib.pyplot as plt
    from IPython.display import display

    from ._mpl import attention_heatmap

    w = _to_numpy(weights)
    if w.ndim == 2:
        w = w[None]
    labels = [str(s) for s in frame_labels] if frame_labels is not None else [f"{description} {i}" for i in range(len(w))]
    if len(labels) != len(w):
        raise ValueError(f"frame_labels {len(labels)}개와 장 수 {len(w)}이 다릅니다")
    options = list(zip(labels, range(len(w))))
    if control == "slider":
        chooser = widgets.SelectionSlider(options=options, value=0, description=description)
    else:
        chooser = widgets.Dropdown(options=options, value=0, description=description)
    out = widgets.Output()

    def draw(change=None):
        k = chooser.value
        with out:
            out.clear_output(wait=True)
            fig, _ = attention_heatmap(w[k], query_tokens, key_tokens, title=labels[k], **heatmap_kwargs)
            display(fig)
            plt.close(fig)

    chooser.observe(draw, names="value")
    draw()
    return widgets.VBox([chooser, out])
