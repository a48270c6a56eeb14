"""책 사이트에서 살아 움직이는 그림의 자리(placeholder).

커널이 없는 정적 사이트에서는 ipywidgets 가 움직이지 않습니다. 그래서 책 빌드(`in_book_build()`)에서는 위젯 대신
`<div class="tl-live" data-live="…">` 자리를 출력하고, 사이트의 스크립트(book/assets/live/live_widgets.js, 모델은
transformer_live.js)가 그 자리에 같은 계산을 하는 조작 화면을 만듭니다(book/_ext/book_live.py 가 그런 페이지에만
스크립트를 싣습니다). Jupyter·Colab 에서는 fallback(보통 ipywidgets 위젯)을 그대로 씁니다.
"""
import html
import json

from ._env import in_book_build

KINDS = ("explorer", "softmax-scale")


class LiveFigure:
    """노트북 출력으로 표시되면 사이트 스크립트가 채울 자리 HTML 이 되는 객체. options 는 JSON 으로 data-options 에 실립니다."""

    def __init__(self, kind: str, **options):
        if kind not in KINDS:
            raise ValueError(f"kind는 {KINDS} 중 하나여야 합니다; 받은 값: {kind!r}")
        data = html.escape(json.dumps(options, ensure_ascii=False), quote=True)
        self.html = (f'<div class="tl-live" data-live="{kind}" data-options="{data}">'
                     '<p class="tl-live-loading">브라우저에서 그림을 준비하는 중입니다… '
                     "(JavaScript 가 꺼져 있으면 이 그림은 움직이지 않습니다.)</p></div>")

    def _repr_html_(self):
        return self.html


def live(kind: str, fallback, **options):
    """책 빌드에서는 사이트에서 움직이는 그림의 자리(셀의 마지막 줄이면 표시됨)를 돌려줍니다. 그 밖에서는 fallback()
    을 부르고 None 을 돌려줍니다 — fallback 이 스스로 표시합니다(widgets.interact, print, display).

    예 (1장):
        viz.live("softmax-scale", fallback=lambda: widgets.interact(...), tokens=tokens, scores=S[i].tolist(), ...)
    """
    figure = LiveFigure(kind, **options)        # kind 가 틀리면 어디서든 ValueError
    if in_book_build():
        return figure
    fallback()
    return None
