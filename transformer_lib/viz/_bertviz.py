"""bertviz 어댑터. bertviz 의 HTML 은 cdnjs 에서 require.js·d3·jQuery 를 받으려 하므로,
- 책 빌드에서는 그 태그와 설정을 떼어 내고 사이트가 싣는 로컬 파일(book/_ext/book_offline.py)을 씁니다.
- Jupyter·JupyterLab·Colab 에서는 같은 세 파일을 이 패키지(transformer_lib/viz/vendor, npm 패키지에서 복사)에서
  출력 안에 직접 넣습니다. 그래서 인터넷이 없는 JupyterLab 에서도 그려지고("require is not defined" 오류 없음),
  노트북 출력에는 CDN 주소가 하나도 없습니다.
"""
import json
import re
from functools import lru_cache
from pathlib import Path

from ._env import in_book_build

_REQUIRE_TAG = re.compile(r'<script[^>]*src="[^"]*require(?:\.min)?\.js"[^>]*>\s*</script>', re.I)
_REQUIRE_CONFIG = re.compile(r"require\.config\(\{\s*paths:\s*\{.*?\}\s*\}\);", re.S)


def _as_list(attention):
    """텐서 (L, B, h, T, T) 나 (B, h, T, T) 하나도 받아 bertviz 가 원하는 층별 리스트로 바꿉니다."""
    if hasattr(attention, "dim"):
        if attention.dim() == 4:
            return [attention]
        if attention.dim() == 5:
            return list(attention)
        if attention.dim() == 3:  # (h, T, T)
            return [attention[None]]
    return list(attention)  # 이미 층별 리스트


def _prepare(kwargs):
    for key in ("attention", "encoder_attention", "decoder_attention", "cross_attention"):
        if key in kwargs and kwargs[key] is not None:
            kwargs[key] = [a.detach().cpu().float() for a in _as_list(kwargs[key])]
    return kwargs


def strip_cdn(html: str) -> str:
    """bertviz HTML 에서 CDN require.js 태그와 CDN 경로 설정(require.config)을 지웁니다."""
    html = _REQUIRE_TAG.sub("", html)
    return _REQUIRE_CONFIG.sub("/* d3, jquery: 책 사이트의 로컬 파일을 씁니다 */", html)


VENDOR = Path(__file__).with_name("vendor")


@lru_cache(maxsize=1)
def offline_prelude() -> str:
    """d3·jQuery·require.js 를 CDN 없이 싣는 <script> 들 (이미 있는 페이지에서는 다시 싣지 않음).

    d3 와 jQuery 는 define/module/exports 를 가린 함수 안에서 실행해 전역 변수(window.d3, window.jQuery)만 만들게
    합니다(require.js 가 이미 있는 클래식 노트북에서 익명 define() 충돌이 나지 않도록). require.js 는 전역에서
    실행해야 하므로 간접 eval 로 싣고, bertviz 가 찾는 이름 'd3'·'jquery' 를 그 전역 변수로 정의합니다.
    """
    def src(name):
        return (VENDOR / name).read_text(encoding="utf-8")

    def literal(text):  # </script> 가 HTML 을 끊지 않도록
        return json.dumps(text).replace("</", "<\\/")

    wrap = "(function (define, module, exports) {\n%s\n}).call(window);"
    return ("<script>/* transformer_lib: d3, jQuery (패키지에 들어 있는 파일, 인터넷 없이) */\n"
            "if (!window.d3 || !window.d3.scaleOrdinal) {" + wrap % src("d3.min.js") + "}\n"
            "if (!window.jQuery) {" + wrap % src("jquery.min.js") + "}\n"
            "if (!window.requirejs) { (0, eval)(" + literal(src("require.js")) + "); }\n"
            "if (!requirejs.specified('d3')) define('d3', [], function () { return window.d3; });\n"
            "if (!requirejs.specified('jquery')) define('jquery', [], function () { return window.jQuery; });\n"
            "</script>\n")


def offline_html(html: str) -> str:
    """bertviz HTML → CDN 태그를 지우고 패키지의 d3·jQuery·require.js 를 앞에 넣은 HTML (Jupyter·JupyterLab 용)."""
    return offline_prelude() + strip_cdn(html)


def bertviz_html(view: str = "head", **kwargs) -> str:
    """bertviz 의 head_view(view="head") 또는 model_view(view="model") HTML 문자열(CDN 태그 제거)을 돌려줍니다.

    kwargs 는 bertviz 에 그대로 넘깁니다: attention=, tokens= 또는 encoder_attention=, decoder_attention=,
    cross_attention=, encoder_tokens=, decoder_tokens=, sentence_b_start=, ...
    """
    import bertviz

    fn = {"head": bertviz.head_view, "model": bertviz.model_view}[view]
    result = fn(html_action="return", **_prepare(dict(kwargs)))
    return strip_cdn(result.data)


def _view(view, attention, tokens, kwargs):
    from IPython.display import HTML, display

    if attention is not None:
        kwargs["attention"] = attention
    if tokens is not None:
        kwargs["tokens"] = [str(t) for t in tokens]
    html = bertviz_html(view, **kwargs)
    display(HTML(html if in_book_build() else offline_prelude() + html))


def head_view(attention=None, tokens=None, **kwargs):
    """bertviz head_view 를 표시합니다 (셀프 어텐션: attention, tokens / 인코더-디코더: encoder_attention=, ...).

    attention 은 층별 (B=1, h, T, T) 텐서의 리스트 — `with tl.record_attention(model) as maps: model(src, tgt)` 의
    AttentionMaps 필드(maps.encoder 등)를 그대로 넘기면 됩니다. 텐서 하나 (1, h, T, T) 나 (h, T, T) 도 받습니다.
    """
    _view("head", attention, tokens, kwargs)


def model_view(attention=None, tokens=None, **kwargs):
    """bertviz model_view 를 표시합니다 (모든 층 × 모든 헤드). 폭이 약 970px 이라 본문보다 넓으면 가로로 스크롤됩니다."""
    _view("model", attention, tokens, kwargs)
