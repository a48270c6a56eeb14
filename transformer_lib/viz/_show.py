"""plotly 그림 출력 한 곳: 책 빌드에서는 가벼운 HTML, 그 밖에서는 fig.show()."""
import itertools

from ._env import in_book_build

_counter = itertools.count(1)


def show(fig, *, config=None):
    """plotly 그림을 보여 줍니다.

    - 책 빌드(TRANSFORMER_BOOK_BUILD=1): ``fig.to_html(full_html=False, include_plotlyjs=False,
      include_mathjax=False)`` 를 HTML 출력으로 냅니다. plotly.js 는 사이트가 한 번만 싣습니다(오프라인 동작).
    - Jupyter/Colab/VS Code: 평소처럼 ``fig.show()``.
    matplotlib Figure 를 넘기면 IPython 으로 그대로 표시합니다.
    """
    from IPython.display import HTML, display

    if not hasattr(fig, "to_html"):  # matplotlib 등
        display(fig)
        return
    if in_book_build():
        html = fig.to_html(
            full_html=False,
            include_plotlyjs=False,
            include_mathjax=False,
            div_id=f"book-plotly-{next(_counter)}",
            config=config or {"responsive": True, "displaylogo": False},
        )
        display(HTML(html))
    else:
        fig.show(config=config)
