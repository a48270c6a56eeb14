"""bertviz 어댑터. bertviz 의 HTML 은 cdnjs 에서 require.js·d3·jQuery 를 받으려 하므로,
책 빌드에서는 그 태그와 설정을 떼어 내고 사이트가 싣는 로컬 파일(book/_ext/book_offline.py)을 씁니다.
Jupyter/Colab 에서는 bertviz 본래 동작 그대로 표시합니다."""
import re

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
    if in_book_build():
        display(HTML(bertviz_html(view, **kwargs)))
    else:
        import bertviz

        fn = {"head": bertviz.head_view, "model": bertviz.model_view}[view]
        fn(**_prepare(kwargs))


def head_view(attention=None, tokens=None, **kwargs):
    """bertviz head_view 를 표시합니다 (셀프 어텐션: attention, tokens / 인코더-디코더: encoder_attention=, ...).

    attention 은 층별 (B=1, h, T, T) 텐서의 리스트 — `tl.Transformer(...).forward(..., return_attention=True)` 가
    돌려주는 AttentionMaps 의 각 필드를 그대로 넘기면 됩니다. 텐서 하나 (1, h, T, T) 나 (h, T, T) 도 받습니다.
    """
    _view("head", attention, tokens, kwargs)


def model_view(attention=None, tokens=None, **kwargs):
    """bertviz model_view 를 표시합니다 (모든 층 × 모든 헤드). 폭이 약 970px 이라 본문보다 넓으면 가로로 스크롤됩니다."""
    _view("model", attention, tokens, kwargs)
