"""트랜스포머 구조도: 인코더 블록(잔차 연결 포함)과 디코더 블록, 장마다 다루는 부분을 강조.

matplotlib 으로 그리고 SVG 로 저장할 때 글자를 윤곽선(path)으로 바꿉니다 — 그림(<img>) 안의 SVG 는 페이지의
웹 글꼴을 쓸 수 없으므로, 읽는 사람의 컴퓨터에 한글 글꼴이 없어도 똑같이 보이게 하려는 것입니다.

    fig = viz.transformer_diagram(highlight=("enc_attn",))      # 3장: 인코더의 멀티헤드 어텐션
    python -m transformer_lib.viz._diagram book/images           # 책에 쓰는 SVG 를 다시 만듦

부분 이름(PARTS): embed, pe, enc_attn, enc_ffn, enc_norm, dec_self_attn, dec_cross_attn, dec_ffn, dec_norm,
memory, output, residual. 강조하지 않은 부분은 회색으로 흐리게 그립니다(강조가 없으면 모두 색).
"""
from __future__ import annotations

from ._style import ROLE_COLORS

#: 부분 이름 → 한국어 설명 (캡션·대체 글에 씀)
PARTS = {
    "embed": "임베딩", "pe": "위치 인코딩", "enc_attn": "인코더 셀프 어텐션", "enc_ffn": "인코더 피드포워드",
    "enc_norm": "인코더의 Add & Norm", "dec_self_attn": "마스크드 셀프 어텐션", "dec_cross_attn": "크로스 어텐션",
    "dec_ffn": "디코더 피드포워드", "dec_norm": "디코더의 Add & Norm", "memory": "인코더 출력(메모리)",
    "output": "선형층과 소프트맥스", "residual": "잔차 연결",
}
_FILL = {"attn": "#cfe3f3", "ffn": "#cdebe0", "norm": "#fbe8c4", "embed": "#f2dbe8", "out": "#e4e4f4"}
_EDGE = {"attn": ROLE_COLORS["query"], "ffn": ROLE_COLORS["value"], "norm": ROLE_COLORS["key"],
         "embed": ROLE_COLORS["output"], "out": "#5b5b9a"}
_DIM_FILL, _DIM_EDGE, _DIM_TEXT = "#f4f4f4", "#c4c4c4", "#9a9a9a"

#: 책에 싣는 그림: 파일 이름 → (강조할 부분, 대체 글)
BOOK_DIAGRAMS = {
    "transformer-map": ((), "인코더-디코더 트랜스포머 전체 구조도. 왼쪽 인코더 블록은 셀프 어텐션과 피드포워드, "
                        "오른쪽 디코더 블록은 마스크드 셀프 어텐션, 크로스 어텐션, 피드포워드로 이루어지고, "
                        "부분층마다 잔차 연결이 Add & Norm 으로 이어진다. 인코더 출력이 크로스 어텐션의 키와 밸류가 된다."),
    "transformer-attention": (("enc_attn", "dec_self_attn", "dec_cross_attn"),
                              "트랜스포머 구조도에서 어텐션 부분층 세 곳(인코더 셀프 어텐션, 마스크드 셀프 어텐션, "
                              "크로스 어텐션)만 색으로 강조한 그림"),
    "transformer-positional": (("embed", "pe"), "트랜스포머 구조도에서 맨 아래의 임베딩과 위치 인코딩을 강조한 그림"),
    "transformer-masking": (("dec_self_attn",), "트랜스포머 구조도에서 디코더의 마스크드 셀프 어텐션을 강조한 그림"),
    "transformer-encoder": (("enc_attn", "enc_ffn", "enc_norm", "residual"),
                            "트랜스포머 구조도에서 인코더 블록을 강조한 그림: 셀프 어텐션과 피드포워드, "
                            "각 부분층을 건너뛰는 잔차 연결과 Add & Norm"),
    "transformer-decoder": (("dec_self_attn", "dec_cross_attn", "dec_ffn", "dec_norm", "memory", "residual"),
                            "트랜스포머 구조도에서 디코더 블록을 강조한 그림: 마스크드 셀프 어텐션, 인코더 출력을 "
                            "키와 밸류로 받는 크로스 어텐션, 피드포워드와 잔차 연결"),
    "transformer-output": (("output", "embed"), "트랜스포머 구조도에서 학습에 쓰이는 입출력 부분(임베딩, 선형층과 "
                           "소프트맥스)을 강조한 그림"),
}

W, H = 600, 800  # 그림 크기(px, dpi 100)


def transformer_diagram(highlight=(), *, ax=None):
    """트랜스포머 구조도를 그립니다. highlight 에 든 부분(PARTS)만 색으로, 나머지는 회색. Figure 를 돌려줌."""
    import matplotlib.pyplot as plt
    from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

    from ._setup import korean_font

    korean_font()
    import logging

    # 굵은 글자(600)가 DejaVu Sans 에 없다는 findfont 안내를 끔 (700 으로 그려짐)
    logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)
    unknown = set(highlight) - set(PARTS)
    if unknown:
        raise ValueError(f"모르는 부분 {sorted(unknown)}; 가능한 이름: {sorted(PARTS)} (unknown diagram part)")
    on = (lambda part: True) if not highlight else (lambda part: part in highlight)
    if ax is None:
        fig = plt.figure(figsize=(W / 100, H / 100), dpi=100)
        ax = fig.add_axes((0, 0, 1, 1))
    else:
        fig = ax.figure
    ax.set_xlim(0, W)
    ax.set_ylim(H, 0)
    ax.axis("off")

    def box(cx, y, w, h, text, kind, part, size=12.5):
        lit = on(part)
        ax.add_patch(FancyBboxPatch((cx - w / 2, y), w, h, boxstyle="round,pad=0,rounding_size=7",
                                    fc=_FILL[kind] if lit else _DIM_FILL, ec=_EDGE[kind] if lit else _DIM_EDGE,
                                    lw=2.2 if lit and highlight else 1.3))
        ax.text(cx, y + h / 2, text, ha="center", va="center", fontsize=size,
                color="#1a1a1a" if lit else _DIM_TEXT, fontweight="semibold" if lit and highlight else "normal")

    def arrow(points, part=None, color="#555555", lw=1.4, label=None, label_at=None, **kw):
        lit = part is None or (part != "_dim" and on(part))
        c = (ROLE_COLORS["residual"] if part == "residual" else color) if lit else _DIM_EDGE
        for (x0, y0), (x1, y1) in zip(points[:-2], points[1:-1]):
            ax.plot([x0, x1], [y0, y1], color=c, lw=lw, solid_capstyle="round")
        ax.add_patch(FancyArrowPatch(points[-2], points[-1], arrowstyle="-|>", mutation_scale=13, color=c, lw=lw,
                                     shrinkA=0, shrinkB=0))
        if label:
            x, y = label_at
            ax.text(x, y, label, fontsize=10.5, color=c if lit else _DIM_TEXT, **kw)

    enc, dec, bw = 170, 430, 190
    # ---- 블록 테두리 ----
    for x0, y0, h, part, name in ((enc - 125, 385, 250, "enc", "인코더 블록"), (dec - 125, 220, 415, "dec", "디코더 블록")):
        lit = on(f"{part}_attn") or on(f"{part}_self_attn") or on(f"{part}_ffn") or on(f"{part}_norm")
        ax.add_patch(FancyBboxPatch((x0, y0), 250, h, boxstyle="round,pad=0,rounding_size=12", fc="none",
                                    ec="#777777" if lit else _DIM_EDGE, lw=1.2, ls=(0, (5, 3))))
        ax.text(x0 + 8 if part == "enc" else x0 + 242, y0 - 8, name, fontsize=11,
                ha="left" if part == "enc" else "right", va="bottom", color="#444444" if lit else _DIM_TEXT)
        ax.text(x0 - 8 if part == "enc" else x0 + 258, y0 + h / 2, "N×", fontsize=13, fontweight="semibold",
                ha="right" if part == "enc" else "left", va="center", color="#444444" if lit else _DIM_TEXT)

    # ---- 입력 쪽 ----
    ax.text(enc, 780, "원문 토큰", ha="center", va="center", fontsize=12)
    ax.text(dec, 780, "번역문 토큰 (한 칸 밀림)", ha="center", va="center", fontsize=12)
    for cx, name in ((enc, "입력 임베딩"), (dec, "출력 임베딩")):
        arrow([(cx, 765), (cx, 738)])
        box(cx, 700, bw, 36, name, "embed", "embed")
        arrow([(cx, 700), (cx, 672)], part=None)
        lit = on("pe")
        ax.add_patch(plt.Circle((cx, 660), 12, fc="white", ec=_EDGE["embed"] if lit else _DIM_EDGE, lw=1.6))
        ax.text(cx, 660, "+", ha="center", va="center", fontsize=15, color="#1a1a1a" if lit else _DIM_TEXT)
        side = -1 if cx == enc else 1
        ax.text(cx + side * 22, 660, "위치\n인코딩", ha="right" if side < 0 else "left", va="center", fontsize=10.5,
                color="#1a1a1a" if lit else _DIM_TEXT, fontweight="semibold" if lit and highlight else "normal")
        arrow([(cx, 648), (cx, 597 if cx == enc else 597)])

    # ---- 부분층 하나 = 부분층 상자 + 잔차 화살표 + Add & Norm ----
    def sublayer(cx, y_sub, name, kind, part, norm_part, entry, side=-1):
        box(cx, y_sub, bw, 38, name, kind, part)
        box(cx, y_sub - 58, bw, 28, "Add & Norm", "norm", norm_part, size=11.5)
        arrow([(cx, y_sub), (cx, y_sub - 30)])
        xr = cx + side * (bw / 2 + 18)  # 잔차 길: 상자 바깥으로 돌아 Add & Norm 으로
        # 잔차 연결은 "residual" 을 강조하고 그 부분층이나 Add & Norm 도 강조할 때만 색으로
        lit = not highlight or (on("residual") and (on(part) or on(norm_part)))
        arrow([(cx, entry), (xr, entry), (xr, y_sub - 44), (cx + side * bw / 2, y_sub - 44)],
              part="residual" if lit else "_dim", lw=1.8)

    sublayer(enc, 559, "멀티헤드 셀프 어텐션", "attn", "enc_attn", "enc_norm", entry=612)
    arrow([(enc, 501), (enc, 479)])
    sublayer(enc, 441, "피드포워드 (FFN)", "ffn", "enc_ffn", "enc_norm", entry=490)
    sublayer(dec, 559, "마스크드 셀프 어텐션", "attn", "dec_self_attn", "dec_norm", entry=612, side=1)
    arrow([(dec, 501), (dec, 479)])
    sublayer(dec, 441, "크로스 어텐션", "attn", "dec_cross_attn", "dec_norm", entry=490, side=1)
    arrow([(dec, 383), (dec, 361)])
    sublayer(dec, 323, "피드포워드 (FFN)", "ffn", "dec_ffn", "dec_norm", entry=372, side=1)

    # ---- 인코더 출력 → 크로스 어텐션의 K, V ----
    arrow([(enc, 383), (enc, 345), (300, 345), (300, 460), (dec - bw / 2, 460)], part="memory",
          color=ROLE_COLORS["key"], lw=2.0, label="메모리 (K, V)", label_at=(enc + 8, 338), ha="left", va="bottom")

    # ---- 출력 쪽 ----
    arrow([(dec, 265), (dec, 192)])
    box(dec, 154, bw, 36, "선형층", "out", "output")
    arrow([(dec, 154), (dec, 128)])
    box(dec, 90, bw, 36, "소프트맥스", "out", "output")
    arrow([(dec, 90), (dec, 62)])
    ax.text(dec, 48, "다음 토큰의 확률", ha="center", va="center", fontsize=12)

    # ---- 범례 ----
    lx, ly = 20, 40
    for i, (kind, name) in enumerate((("attn", "어텐션"), ("ffn", "피드포워드"), ("norm", "Add & Norm"))):
        ax.add_patch(FancyBboxPatch((lx, ly + i * 24), 18, 14, boxstyle="round,pad=0,rounding_size=3",
                                    fc=_FILL[kind], ec=_EDGE[kind], lw=1.2))
        ax.text(lx + 26, ly + i * 24 + 7, name, fontsize=10.5, va="center")
    ax.plot([lx, lx + 18], [ly + 79, ly + 79], color=ROLE_COLORS["residual"], lw=1.8)
    ax.text(lx + 26, ly + 79, "잔차 연결", fontsize=10.5, va="center")
    return fig


def save_diagrams(folder) -> list:
    """BOOK_DIAGRAMS 의 그림을 folder/<이름>.svg 로 저장합니다(글자는 윤곽선). 저장한 경로 목록을 돌려줌."""
    from pathlib import Path

    import matplotlib
    import matplotlib.pyplot as plt

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    with matplotlib.rc_context({"svg.fonttype": "path", "svg.hashsalt": "transformer-book"}):
        for name, (highlight, _alt) in BOOK_DIAGRAMS.items():
            fig = transformer_diagram(highlight)
            path = folder / f"{name}.svg"
            fig.savefig(path, format="svg", metadata={"Date": None, "Creator": "transformer_lib.viz"})
            plt.close(fig)
            paths.append(path)
    return paths


if __name__ == "__main__":  # python -m transformer_lib.viz._diagram book/images
    import sys

    for p in save_diagrams(sys.argv[1] if len(sys.argv) > 1 else "book/images"):
        print(p)
