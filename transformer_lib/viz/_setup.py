"""장 첫머리의 준비: matplotlib 한글 글꼴, plotly 템플릿, 난수 고정."""
import importlib.util
import warnings
from pathlib import Path

from . import _style

#: 브라우저용 글꼴 목록 (plotly SVG 글자). 끝의 "BookKorean" 은 책 사이트가 싣고 있는 웹 글꼴(Pretendard)입니다.
KOREAN_FONT_STACK = (
    '"Open Sans", verdana, arial, "Apple SD Gothic Neo", "Malgun Gothic", "Noto Sans KR", '
    '"Noto Sans CJK KR", "NanumGothic", "BookKorean", sans-serif'
)

#: 이미 설치되어 있을 수 있는 한글 글꼴들 (koreanize-matplotlib 이 없을 때 찾아봄)
_SYSTEM_KOREAN_FONTS = (
    "NanumGothic", "Noto Sans CJK KR", "Noto Sans KR", "Malgun Gothic", "AppleGothic",
    "Apple SD Gothic Neo", "UnDotum", "Baekmuk Gulim",
)

_font_name = None
_plotly_ready = False


def _bundled_font_dir():
    """koreanize-matplotlib 패키지 안의 fonts/ 폴더 (패키지를 import 하지 않고 찾음)."""
    try:
        spec = importlib.util.find_spec("koreanize_matplotlib")
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(list(spec.submodule_search_locations)[0]) / "fonts"
    return folder if folder.is_dir() else None


def _system_korean_font(font_manager):
    """이미 설치된 한글 글꼴 찾기. matplotlib 의 글꼴 캐시가 설치 전에 만들어졌을 수 있어 파일도 직접 훑습니다."""
    installed = {f.name for f in font_manager.fontManager.ttflist}
    found = next((n for n in _SYSTEM_KOREAN_FONTS if n in installed), None)
    if found:
        return found
    hints = ("nanum", "notosanscjk", "notosanskr", "malgun", "applegothic", "undotum")
    for path in font_manager.findSystemFonts():
        if any(h in Path(path).name.lower().replace("-", "") for h in hints):
            try:
                font_manager.fontManager.addfont(path)
            except Exception:  # 읽을 수 없는 글꼴 파일은 건너뜀
                continue
    installed = {f.name for f in font_manager.fontManager.ttflist}
    return next((n for n in _SYSTEM_KOREAN_FONTS if n in installed), None)


def korean_font() -> "str | None":
    """matplotlib 에 한글 글꼴을 등록하고 그 이름을 돌려줍니다 (찾지 못하면 None, 경고 한 번).

    1) koreanize-matplotlib (NanumGothic 을 함께 배포)을 import 합니다.
    2) 그 패키지의 0.1.1 판은 distutils 를 import 하므로 Python 3.12+ 에서 setuptools 가 없으면 실패합니다.
       그때는 패키지를 실행하지 않고 안에 든 글꼴 파일만 직접 등록합니다.
    3) 패키지가 아예 없으면 시스템에 설치된 한글 글꼴을 찾습니다.
    """
    global _font_name
    if _font_name is not None:
        return _font_name
    import matplotlib
    from matplotlib import font_manager

    name = None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            import koreanize_matplotlib  # noqa: F401  (import 하면 NanumGothic 을 등록합니다)
        name = "NanumGothic"
    except Exception:  # ImportError(distutils) 등: 글꼴 파일만 직접 등록
        folder = _bundled_font_dir()
        if folder is not None:
            for path in sorted(folder.glob("*.ttf")):
                font_manager.fontManager.addfont(str(path))
            name = "NanumGothic"
    if name is None:
        name = _system_korean_font(font_manager)
    if name is None:
        warnings.warn(
            "한글 글꼴을 찾지 못해 그림의 한글이 네모로 보일 수 있습니다. "
            "`pip install koreanize-matplotlib` 를 실행하세요 (no Korean font found for matplotlib).",
            stacklevel=2,
        )
        return None
    # NanumGothic 의 기호 글리프(√ → ‖ ∂)는 깨져 보이므로 한글·영문만 남긴 사본을 쓰고, 나머지 글자는
    # 목록의 DejaVu Sans 로 넘어가게 합니다 (_style.symbol_safe_font).
    if "nanum" in name.lower():
        try:
            path = font_manager.findfont(font_manager.FontProperties(family=name), fallback_to_default=False)
        except ValueError:
            path = None
        safe = _style.symbol_safe_font(path) if path else None
        if safe is not None:
            font_manager.fontManager.addfont(str(safe))
            name = _style.BOOK_FONT
            bold = Path(path).with_name(Path(path).stem + "Bold.ttf")  # NanumGothicBold.ttf (굵은 글자)
            safe_bold = _style.symbol_safe_font(bold, "Bold") if bold.is_file() else None
            if safe_bold is not None:
                font_manager.fontManager.addfont(str(safe_bold))
    _style.apply_matplotlib_style(name)
    _font_name = name
    return name


def _setup_plotly():
    global _plotly_ready
    if _plotly_ready:
        return
    try:
        import plotly.graph_objects as go
        import plotly.io as pio
    except ImportError:
        return
    template = go.layout.Template(pio.templates["plotly_white"])
    template.layout.update(_style.plotly_layout_defaults())
    template.layout.font.family = KOREAN_FONT_STACK
    template.layout.coloraxis.colorscale = "Viridis"
    pio.templates["book"] = template
    pio.templates.default = "book"
    _plotly_ready = True


def setup(seed: "int | None" = None, *, dpi: int = 100, threads: "int | None" = 1) -> "str | None":
    """장 첫머리에서 한 번 부릅니다. 한글 글꼴 이름(또는 None)을 돌려줍니다.

    - matplotlib: 한글 글꼴(+ 기호는 DejaVu Sans), 책 전체의 글자 크기·색 (_style.py), 그림 해상도(dpi),
      본문 폭(약 700px)보다 넓은 그림은 Jupyter 에 낼 때 본문 폭으로 다시 배치
    - plotly: 한글 글꼴 목록과 같은 글자 크기·색을 쓰는 기본 템플릿 "book" (plotly 가 설치된 경우)
    - seed 가 주어지면 random, numpy, torch 난수를 고정합니다.
    - torch 의 계산 스레드를 threads 개(기본 1)로 둡니다: 책의 모델은 작아서 스레드를 나누는 비용이 이득보다 크고,
      다른 프로그램이 CPU를 함께 쓰는 기계(강의실, Colab, CI)에서 여러 스레드가 서로 기다리며 크게 느려지는 일을 막습니다.
      None 이면 torch 의 기본값을 그대로 둡니다.
    """
    import matplotlib
    import matplotlib.pyplot as plt

    # Jupyter 의 inline 백엔드는 처음 쓰일 때 rcParams 일부를 덮어쓰고 그림 출력기(PNG)를 등록합니다.
    # 먼저 백엔드를 불러 두어야 아래의 책 모양과 본문 폭 맞춤이 덮이지 않습니다.
    plt._get_backend_mod()
    name = korean_font()
    matplotlib.rcParams["figure.dpi"] = dpi
    matplotlib.rcParams["savefig.dpi"] = dpi
    _style.install_png_hook()
    _setup_plotly()
    if threads is not None:
        try:
            import torch

            torch.set_num_threads(threads)
        except ImportError:
            pass
    if seed is not None:
        import random

        random.seed(seed)
        try:
            import numpy as np

            np.random.seed(seed)
        except ImportError:
            pass
        try:
            import torch

            torch.manual_seed(seed)
        except ImportError:
            pass
    return name
