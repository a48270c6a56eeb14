"""책 전체의 그림 모양 한 곳: 글꼴, 크기, 색 (matplotlib 과 plotly 가 같은 값을 씀).

- 글꼴: 한글은 NanumGothic(koreanize-matplotlib 이 함께 배포), 기호·숫자는 DejaVu Sans.
  NanumGothic 의 √ → ‖ ∂ ω 글리프는 깨지거나 거의 보이지 않으므로(책 그림에서 확인), 그 글꼴에서 한글·영문 기본 글자만
  남긴 사본 "BookNanumGothic" 을 캐시 폴더에 한 번 만들고, 나머지 글자는 matplotlib 의 글꼴 대체(fallback)로
  DejaVu Sans 에서 가져옵니다. 사본은 cmap 표만 고치므로 0.2 초쯤 걸리고, 한 번 만든 뒤에는 다시 쓰입니다.
- 크기: 그림은 책 본문 폭(최대 800px)에 맞게 그립니다. dpi 100 에서 1pt = 1.39px 이므로 눈금 글자 10pt ≈ 14px.
  본문 폭보다 넓게 만든 그림은 IPython 에 그림을 내보낼 때 본문 폭으로 줄여 다시 배치합니다(글자 크기는 그대로).
- 색: 역할마다 한 색 (쿼리·키·값·마스크·헤드) — 모든 장에서 같은 색이 같은 뜻입니다.
"""
from __future__ import annotations

import hashlib
import os
from pathlib import Path

#: 그림 폭의 상한(px): 책 본문(가운데 열)은 넓은 화면에서 약 800px, 1280px 화면에서 688px (800px 그림이 86% 로
#: 보이고 10pt 글자가 12px). 이보다 좁게 맞추면 두 칸짜리 그림의 제목이 서로 겹쳤습니다.
CONTENT_WIDTH_PX = 800
#: 그림 해상도. 1인치 = 100px 이므로 CONTENT_WIDTH_PX 는 8인치입니다.
DPI = 100

#: 역할별 색 (colour-blind-safe Okabe–Ito 팔레트에서 고름). Q·K·V 와 마스크는 모든 그림에서 이 색입니다.
ROLE_COLORS = {
    "query": "#0072B2",   # 파랑 — 쿼리 Q
    "key": "#E69F00",     # 주황 — 키 K
    "value": "#009E73",   # 초록 — 값 V
    "mask": "#7F7F7F",    # 회색 — 가린 칸(마스크)
    "output": "#CC79A7",  # 자주 — 출력·합
    "residual": "#D55E00",  # 주홍 — 잔차 연결
}
#: 헤드 0, 1, 2, ... 의 색 (헤드가 8개보다 많으면 되풀이)
HEAD_COLORS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
#: 선 그래프의 기본 색 순서 (matplotlib prop_cycle, plotly colorway)
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#7F7F7F", "#F0E442")

#: 글자 크기(pt, dpi 100 에서 ×1.39 = px)
FONT_SIZES = {"base": 11, "title": 12, "label": 11, "tick": 10, "legend": 10}

#: NanumGothic 사본에 남길 글자: 기본 라틴·라틴-1 보충(· ÷ × 등), 한글 자모·음절, CJK 구두점·한자
_KEEP_RANGES = ((0x20, 0x7E), (0xA0, 0xFF), (0x1100, 0x11FF), (0x3000, 0x303F), (0x3130, 0x318F),
                (0x4E00, 0x9FFF), (0xAC00, 0xD7A3), (0xF900, 0xFAFF))
BOOK_FONT = "BookNanumGothic"


def _keep(codepoint: int) -> bool:
    return any(lo <= codepoint <= hi for lo, hi in _KEEP_RANGES)


def _cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "transformer_lib"


def symbol_safe_font(source: "str | os.PathLike", style: str = "Regular") -> "Path | None":
    """source(NanumGothic.ttf) 에서 한글·기본 라틴 글자만 남긴 사본(글꼴 이름 BookNanumGothic)의 경로.

    만들 수 없으면(fontTools 없음, 쓰기 권한 없음) None — 그때는 원래 글꼴을 그대로 씁니다.
    """
    source = Path(source)
    try:
        digest = hashlib.sha1(source.read_bytes()).hexdigest()[:12]
    except OSError:
        return None
    target = _cache_dir() / f"{BOOK_FONT}-{style}-{digest}.ttf"
    if target.is_file():
        return target
    try:
        from fontTools.ttLib import TTFont

        font = TTFont(str(source))
        for table in font["cmap"].tables:
            table.cmap = {cp: glyph for cp, glyph in table.cmap.items() if _keep(cp)}
        for record in font["name"].names:
            if record.nameID in (1, 4, 16):
                record.string = BOOK_FONT
            elif record.nameID == 6:
                record.string = f"{BOOK_FONT}-{style}"
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(f".{os.getpid()}.tmp")
        font.save(str(tmp))
        os.replace(tmp, target)
        return target
    except Exception:  # noqa: BLE001 - 사본은 있으면 좋은 것: 실패하면 원래 글꼴로
        return None


def apply_matplotlib_style(korean: "str | None") -> None:
    """matplotlib rcParams 를 책 모양으로: 글꼴 목록, 크기, 색 순서, 격자."""
    import matplotlib
    from cycler import cycler

    rc = matplotlib.rcParams
    families = [korean] if korean else []
    rc["font.family"] = families + ["DejaVu Sans"]
    rc["axes.unicode_minus"] = True        # 빼기 기호(−)는 DejaVu Sans 에 있음
    rc["figure.dpi"] = DPI
    rc["savefig.dpi"] = DPI
    rc["figure.figsize"] = (6.4, 4.0)
    rc["font.size"] = FONT_SIZES["base"]
    rc["axes.titlesize"] = FONT_SIZES["title"]
    rc["axes.labelsize"] = FONT_SIZES["label"]
    rc["xtick.labelsize"] = FONT_SIZES["tick"]
    rc["ytick.labelsize"] = FONT_SIZES["tick"]
    rc["legend.fontsize"] = FONT_SIZES["legend"]
    rc["figure.titlesize"] = FONT_SIZES["title"] + 1
    rc["axes.prop_cycle"] = cycler(color=list(PALETTE))
    rc["axes.spines.top"] = False
    rc["axes.spines.right"] = False
    rc["axes.grid"] = False
    rc["grid.color"] = "#dddddd"
    rc["image.cmap"] = "viridis"
    rc["legend.frameon"] = False


def plotly_layout_defaults() -> dict:
    """plotly 템플릿에 넣을 책 모양(글꼴 크기·색 순서·여백). matplotlib 과 같은 px 크기."""
    px = DPI / 72
    return {
        "font": {"size": round(FONT_SIZES["tick"] * px)},
        "title": {"font": {"size": round(FONT_SIZES["title"] * px)}, "x": 0.0, "xanchor": "left"},
        "colorway": list(PALETTE),
        "legend": {"font": {"size": round(FONT_SIZES["legend"] * px)}},
    }


def fit_to_column(fig, width_px: int = CONTENT_WIDTH_PX) -> bool:
    """본문 폭보다 넓은 matplotlib 그림을 본문 폭으로 다시 배치합니다 (글자 크기는 그대로). 줄였으면 True.

    높이는 폭이 준 비율의 제곱근만큼만 줄여, 글자가 같은 크기로 남아도 세로 자리가 모자라지 않게 합니다.
    """
    w, h = fig.get_size_inches()
    dpi = fig.get_dpi() or DPI
    if w * dpi <= width_px:
        return False
    k = width_px / (w * dpi)
    fig.set_size_inches(w * k, h * k ** 0.5, forward=False)
    return True


_hooked = False


def _png_width(data) -> "int | None":
    """PNG 바이트(또는 base64 문자열)의 폭(px): IHDR 의 16–20 바이트."""
    import base64

    try:
        raw = data if isinstance(data, (bytes, bytearray)) else base64.b64decode(data[:64])
        return int.from_bytes(raw[16:20], "big") if raw[:8] == b"\x89PNG\r\n\x1a\n" else None
    except Exception:  # noqa: BLE001 - 폭을 못 읽으면 그대로 둠
        return None


def install_png_hook() -> None:
    """IPython 이 matplotlib 그림을 PNG 로 낼 때 먼저 fit_to_column 을 거치게 합니다 (Jupyter·빌드 모두)."""
    global _hooked
    if _hooked:
        return
    try:
        from IPython import get_ipython
    except ImportError:
        return
    ip = get_ipython()
    if ip is None:
        return
    from matplotlib.figure import Figure

    formatter = ip.display_formatter.formatters["image/png"]
    previous = formatter.lookup_by_type(Figure) if Figure in formatter.type_printers else None
    if previous is None:
        try:
            from matplotlib_inline.backend_inline import print_figure
        except ImportError:
            return

        def previous(fig):
            return print_figure(fig, "png", bbox_inches="tight")

    def png(fig, _previous=previous):
        fit_to_column(fig)
        data = _previous(fig)
        # bbox_inches="tight" 는 바깥의 제목·범례만큼 그림을 넓힐 수 있음: 그래도 넓으면 한 번 더 줄여 다시 그림
        width = _png_width(data)
        if width and width > CONTENT_WIDTH_PX * 1.04:
            w_in = fig.get_size_inches()[0] * CONTENT_WIDTH_PX / width
            fit_to_column(fig, int(w_in * (fig.get_dpi() or DPI)))
            data = _previous(fig)
        return data

    formatter.for_type(Figure, png)
    _hooked = True
