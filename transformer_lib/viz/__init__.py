"""transformer_lib.viz — 책의 모든 장이 함께 쓰는 그림·위젯 도구.

`import transformer_lib.viz as viz` 는 표준 라이브러리만 불러옵니다. matplotlib, plotly, ipywidgets, bertviz 는
각 함수를 처음 부를 때 불러오므로 `import transformer_lib` 은 여전히 torch 만 씁니다.

환경 판별
    in_book_build()       jupyter-book 빌드(정적 사이트) 중인가 — 환경 변수 TRANSFORMER_BOOK_BUILD=1
준비
    setup(seed=None)      장 첫머리에서 한 번: matplotlib 한글 글꼴, plotly 템플릿(한글 글꼴), 난수 고정(선택)
    korean_font()         matplotlib 에 한글 글꼴을 등록하고 글꼴 이름을 돌려줌
출력
    show(fig)             plotly 그림 출력: 책 빌드에서는 가벼운 HTML(plotly.js 는 사이트에 한 번만), 그 밖에는 fig.show()
matplotlib
    attention_heatmap(weights, query_tokens, key_tokens=None, ...) -> (fig, ax)
    attention_heatmaps(weights, query_tokens, key_tokens=None, titles=None, ncols=4, ...) -> fig
plotly (커널 없이도 움직이는 슬라이더/드롭다운)
    plotly_attention(weights, query_tokens, key_tokens=None, frame_labels=None, control="slider", ...) -> go.Figure
    plotly_heatmap_frames(frames, x_labels, y_labels, frame_labels=None, control="slider", ...) -> go.Figure
책 사이트에서 움직이는 그림 (빌드에서는 자리 HTML, Jupyter/Colab 에서는 fallback 위젯)
    live(kind, fallback, **options)        kind: "explorer"(번역기 탐색기) | "softmax-scale"(1장의 배율 c)
이미지 위의 어텐션 (11장 ViT)
    image_patches(image, patch_size) -> fig                 이미지를 패치로 나눈 모습과 토큰 시퀀스
    image_attention_grid(image, heats (R, C, g, g)) -> fig  층 × 헤드 어텐션을 이미지 위에 겹쳐 그림
    position_similarity_grid(pos_embed (N, d), grid) -> fig 위치 임베딩의 코사인 유사도 격자
    attention_gallery(images (N, H, W), heats (N, g, g)) -> fig  여러 이미지와 각자의 어텐션
    image_grid(images (R, C, H, W), row_labels=None, col_labels=None) -> fig  흑백 이미지 격자
    plotly_image_attention(images, heats, probs, true_labels=...) -> go.Figure  테스트 이미지 슬라이더
책 전체의 그림 모양 (_style.py: setup 이 적용)
    ROLE_COLORS           역할별 색 한 벌: query·key·value·mask·output·residual (모든 장에서 같은 색 = 같은 뜻)
    HEAD_COLORS, PALETTE  헤드 0, 1, ... 의 색과 선 그래프 색 순서 (Okabe–Ito)
구조도
    transformer_diagram(highlight=()) -> fig   인코더·디코더 블록과 잔차 연결; highlight 한 부분만 색으로
    head_split_diagram(T, d_model, n_heads, tokens=None) -> fig   (T, d_model) → (T, h, d_k) → (h, T, d_k) 칸 그림
여러 장이 함께 쓰는 작은 도구
    show_table(header, rows)          결과 표 (마크다운: Jupyter·Colab·웹 책에서 같은 표, $...$ 는 수식)
    power_of_ten_ticks(ax, axis="y")  로그 축 눈금을 $10^{k}$ 꼴로
    js_divergence(p, q) -> (...)      두 어텐션 분포의 젠슨-섀넌 발산 (비트, 0~1)
bertviz
    head_view(attention, tokens=None, **kw) / model_view(attention, tokens=None, **kw)  화면에 표시
    bertviz_html(view="head", **kw) -> str   CDN require.js 태그를 뺀 HTML

행 = 쿼리(query), 열 = 키(key) 가 모든 어텐션 그림의 약속입니다.
"""
from ._env import BOOK_BUILD_ENV, in_book_build

__all__ = [
    "BOOK_BUILD_ENV", "in_book_build", "setup", "korean_font", "show",
    "attention_heatmap", "attention_heatmaps", "plotly_attention", "plotly_heatmap_frames",
    "head_view", "model_view", "bertviz_html", "KOREAN_FONT_STACK",
    "image_patches", "image_attention_grid", "position_similarity_grid", "plotly_image_attention",
    "attention_gallery", "image_grid", "live",
    "ROLE_COLORS", "HEAD_COLORS", "PALETTE", "transformer_diagram",
    "head_split_diagram", "show_table", "power_of_ten_ticks", "js_divergence",
]

_LAZY = {
    "setup": "._setup", "korean_font": "._setup", "KOREAN_FONT_STACK": "._setup",
    "show": "._show",
    "attention_heatmap": "._mpl", "attention_heatmaps": "._mpl",
    "plotly_attention": "._plotly", "plotly_heatmap_frames": "._plotly",
    "image_patches": "._image", "image_attention_grid": "._image", "position_similarity_grid": "._image",
    "plotly_image_attention": "._image", "attention_gallery": "._image",
    "image_grid": "._image",
    "head_view": "._bertviz", "model_view": "._bertviz", "bertviz_html": "._bertviz",
    "live": "._live",
    "ROLE_COLORS": "._style", "HEAD_COLORS": "._style", "PALETTE": "._style",
    "transformer_diagram": "._diagram",
    "head_split_diagram": "._head_split", "show_table": "._tables", "power_of_ten_ticks": "._ticks",
    "js_divergence": "._compare",
}


def __getattr__(name):
    if name in _LAZY:
        import importlib

        module = importlib.import_module(_LAZY[name], __name__)
        value = getattr(module, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(__all__))
