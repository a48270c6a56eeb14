"""transformer_lib.viz 의 그림·출력 도구 검사 (브라우저 없이)."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import pytest
import torch

import transformer_lib.viz as viz

ROOT = Path(__file__).resolve().parents[1]
TOKENS = ["나는", "어제", "학교에서", "친구를", "만났다"]
HEAVY = ("matplotlib", "plotly", "bertviz", "ipywidgets", "koreanize_matplotlib", "IPython")


def _weights(n=3, t=5, seed=0):
    g = torch.Generator().manual_seed(seed)
    return torch.softmax(torch.randn(n, t, t, generator=g), dim=-1)


@pytest.mark.parametrize("module", ["transformer_lib", "transformer_lib.viz"])
def test_import_stays_light(module):
    code = f"import sys, {module}; print([m for m in {HEAVY!r} if m in sys.modules])"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "[]", f"{module} 가 무거운 모듈을 불러옴: {out.stdout}"


def test_korean_font_has_hangul():
    from matplotlib import font_manager
    from matplotlib.ft2font import FT2Font

    name = viz.korean_font()
    assert name
    path = font_manager.findfont(font_manager.FontProperties(family=name), fallback_to_default=False)
    assert FT2Font(path).get_char_index(ord("한")) != 0, f"{path} 에 한글 글리프가 없음"
    assert matplotlib.rcParams["font.family"][0] == name
    # 기호(−)는 목록 뒤의 DejaVu Sans 에서 옵니다
    assert matplotlib.rcParams["font.family"][-1] == "DejaVu Sans"


@pytest.mark.parametrize("symbol", list("√→‖∂ω−ᵀₖ"))
def test_figure_symbols_come_from_a_font_that_draws_them(symbol):
    """그림 글자의 기호는 DejaVu Sans 로 그려짐: matplotlib 은 글꼴 목록에서 그 글자가 있는 첫 글꼴을 씁니다.

    NanumGothic 은 √ → ‖ ∂ 글리프가 깨져 있어(→ 는 거의 빈칸), 목록 맨 앞에 그대로 두면 이 테스트가 실패합니다."""
    from matplotlib import font_manager
    from matplotlib.ft2font import FT2Font

    viz.korean_font()
    prop = font_manager.FontProperties(family=matplotlib.rcParams["font.family"])
    paths = font_manager.fontManager._find_fonts_by_props(prop)
    first = next((p for p in paths if FT2Font(str(p)).get_char_index(ord(symbol)) != 0), None)
    assert first is not None, f"{symbol!r} 를 그릴 글꼴이 없음"
    assert FT2Font(str(first)).family_name == "DejaVu Sans", f"{symbol!r} 를 {first} 로 그림"
    assert FT2Font(str(paths[0])).get_char_index(ord("한")) != 0  # 한글은 여전히 첫 글꼴


def test_wide_figure_is_refit_to_the_column():
    from matplotlib.figure import Figure

    from transformer_lib.viz import _style

    fig = Figure(figsize=(12, 4), dpi=100)
    assert _style.fit_to_column(fig)
    assert _style._png_width(b"\x89PNG\r\n\x1a\n" + bytes(8) + (700).to_bytes(4, "big") + bytes(8)) == 700
    w, h = fig.get_size_inches()
    assert w * 100 == pytest.approx(_style.CONTENT_WIDTH_PX) and 2.5 < h < 4
    assert not _style.fit_to_column(Figure(figsize=(6, 4), dpi=100))


# 글꼴 대체 경로 테스트는 조건을 직접 만듭니다: 새 프로세스에서 matplotlib 이 시스템 글꼴(fonts-nanum 등)을 보지 못하게
# 하고(글꼴 목록을 matplotlib 기본 글꼴만 남기고 findSystemFonts 를 바꿈), koreanize-matplotlib 의 import 를 실패시키거나
# 패키지를 아예 숨깁니다. 그래서 이 기계에 fonts-nanum 이 있든 없든 같은 경로를 시험합니다.
_FONT_CASE = """
import json, os, sys, warnings
case, system = sys.argv[1], json.loads(sys.argv[2])
if case == "bundled":      # Python 3.12 처럼 distutils 가 없어 koreanize-matplotlib 0.1.1 의 import 가 실패
    sys.modules["distutils"] = None; sys.modules["distutils.version"] = None
else:                      # koreanize-matplotlib 이 설치되어 있지 않음
    sys.modules["koreanize_matplotlib"] = None
import matplotlib; matplotlib.use("Agg")
from matplotlib import font_manager as fm
data = matplotlib.get_data_path()
fm.fontManager.ttflist = [f for f in fm.fontManager.ttflist if f.fname.startswith(data)]   # 시스템 글꼴 숨김
fm.findSystemFonts = lambda *a, **k: list(system)
import transformer_lib.viz as viz
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    name = viz.korean_font()
path = fm.findfont(fm.FontProperties(family="NanumGothic"), fallback_to_default=False) if name else None
print(json.dumps({"name": name, "path": path, "koreanize_imported": bool(sys.modules.get("koreanize_matplotlib")),
                  "registered": any(f.name == name for f in fm.fontManager.ttflist),
                  "warnings": [str(w.message) for w in caught]}))
"""


def _font_case(case, system=()):
    out = subprocess.run([sys.executable, "-c", _FONT_CASE, case, json.dumps([str(p) for p in system])],
                         capture_output=True, text=True, check=True, cwd=ROOT)
    return json.loads(out.stdout.strip().splitlines()[-1])


def _bundled_nanum() -> Path:
    from transformer_lib.viz import _setup

    folder = _setup._bundled_font_dir()
    assert folder is not None, "koreanize-matplotlib 이 설치되어 있어야 합니다 (requirements.txt)"
    return folder / "NanumGothic.ttf"


def test_korean_font_without_importable_koreanize():
    """koreanize-matplotlib 의 import 가 실패하고 시스템 한글 글꼴도 없을 때: 패키지 안의 글꼴 파일을 직접 등록."""
    from transformer_lib.viz import _style

    r = _font_case("bundled")
    assert r["koreanize_imported"] is False, "조건이 만들어지지 않음: koreanize-matplotlib 의 import 가 성공함"
    assert r["name"] == _style.BOOK_FONT and r["registered"], r
    assert Path(r["path"]) == _bundled_nanum(), f"패키지 안의 글꼴이 아닌 {r['path']} 를 씀"


def test_korean_font_falls_back_to_a_system_font(tmp_path):
    """koreanize-matplotlib 이 없을 때: 시스템에 설치된 한글 글꼴(여기서는 만든 '시스템 글꼴' 폴더의 NanumGothic)."""
    from transformer_lib.viz import _style

    system_font = tmp_path / "fonts" / "NanumGothic.ttf"
    system_font.parent.mkdir()
    shutil.copy(_bundled_nanum(), system_font)
    r = _font_case("system", [system_font])
    assert r["name"] == _style.BOOK_FONT and r["registered"], r
    assert Path(r["path"]) == system_font


def test_korean_font_missing_everywhere_warns_and_returns_none():
    r = _font_case("none")
    assert r["name"] is None
    assert any("한글 글꼴을 찾지 못해" in w for w in r["warnings"]), r


def test_setup_seeds_and_plotly_template():
    import plotly.io as pio

    viz.setup(seed=123)
    a = torch.rand(3)
    viz.setup(seed=123)
    assert torch.equal(a, torch.rand(3))
    assert pio.templates.default == "book"
    assert "BookKorean" in pio.templates["book"].layout.font.family


def test_setup_runs_torch_single_threaded_by_default():
    """책의 모든 장이 viz.setup 을 부르므로, 작은 모델은 기본으로 스레드 하나 (바쁜 기계에서도 장 시간이 버팀)."""
    before = torch.get_num_threads()
    try:
        torch.set_num_threads(2)
        viz.setup(seed=0)
        assert torch.get_num_threads() == 1
        torch.set_num_threads(2)
        viz.setup(seed=0, threads=None)           # None: torch 의 설정을 건드리지 않음
        assert torch.get_num_threads() == 2
    finally:
        torch.set_num_threads(before)


def test_attention_heatmap_rows_are_queries_cols_are_keys():
    import matplotlib.pyplot as plt

    w = _weights(1)[0]
    fig, ax = viz.attention_heatmap(w, TOKENS, title="테스트")
    assert [t.get_text() for t in ax.get_yticklabels()] == TOKENS
    assert [t.get_text() for t in ax.get_xticklabels()] == TOKENS
    assert "쿼리" in ax.get_ylabel() and "키" in ax.get_xlabel()
    img = ax.images[0]
    assert img.get_cmap().name == "viridis"
    assert torch.allclose(torch.as_tensor(img.get_array().data, dtype=torch.float32), w)
    assert len(ax.texts) == 25  # 칸마다 값
    plt.close(fig)


def test_attention_heatmap_cross_attention_shapes_and_errors():
    import matplotlib.pyplot as plt

    w = torch.softmax(torch.randn(2, 4), dim=-1)
    fig, ax = viz.attention_heatmap(w, ["I", "met"], ["나는", "친구를", "만났다", "<eos>"])
    assert [t.get_text() for t in ax.get_xticklabels()] == ["나는", "친구를", "만났다", "<eos>"]
    plt.close(fig)
    with pytest.raises(ValueError, match="쿼리"):
        viz.attention_heatmap(w, ["한 개뿐"], ["a", "b", "c", "d"])
    with pytest.raises(ValueError, match="2차원"):
        viz.attention_heatmap(torch.rand(2, 2, 2))


def test_attention_heatmaps_grid():
    import matplotlib.pyplot as plt

    fig = viz.attention_heatmaps(_weights(4)[None], TOKENS, ncols=2)
    titles = [ax.get_title() for ax in fig.axes if ax.get_title()]
    assert titles == ["헤드 0", "헤드 1", "헤드 2", "헤드 3"]
    plt.close(fig)


@pytest.mark.parametrize("control", ["slider", "dropdown"])
def test_plotly_attention_controls(control):
    w = _weights(3)
    fig = viz.plotly_attention(w, TOKENS, control=control, title="헤드별")
    assert len(fig.data) == 3
    assert [bool(t.visible) for t in fig.data] == [True, False, False]
    steps = fig.layout.sliders[0].steps if control == "slider" else fig.layout.updatemenus[0].buttons
    assert [s.label for s in steps] == ["헤드 0", "헤드 1", "헤드 2"]
    for k, s in enumerate(steps):
        assert s.method == "update" and s.args[0]["visible"] == [i == k for i in range(3)]
    assert list(fig.layout.yaxis.ticktext) == TOKENS and fig.layout.yaxis.autorange == "reversed"
    assert list(fig.layout.xaxis.ticktext) == TOKENS
    assert torch.allclose(torch.tensor(fig.data[1].z, dtype=torch.float32), w[1])


def test_plotly_heatmap_keeps_repeated_tokens():
    fig = viz.plotly_attention(_weights(1, 3)[0], ["the", "cat", "the"])
    assert list(fig.layout.xaxis.ticktext) == ["the", "cat", "the"]
    assert len(fig.data[0].x) == 3
    with pytest.raises(ValueError):
        viz.plotly_heatmap_frames(torch.rand(2, 3, 3), control="wheel")


def _capture_display(monkeypatch):
    import IPython.display

    shown = []
    monkeypatch.setattr(IPython.display, "display", lambda *objs, **kw: shown.extend(objs))
    return shown


def test_show_in_book_build_emits_light_html(monkeypatch):
    monkeypatch.setenv(viz.BOOK_BUILD_ENV, "1")
    shown = _capture_display(monkeypatch)
    viz.show(viz.plotly_attention(_weights(2), TOKENS))
    assert len(shown) == 1
    html = shown[0].data
    assert "Plotly.newPlot" in html and "plotly-graph-div" in html
    assert "<script src" not in html and "cdn" not in html.lower() and "mathjax" not in html.lower()
    assert len(html) < 200_000, "plotly.js 가 그림마다 들어가면 안 됩니다"


def test_show_outside_book_calls_fig_show(monkeypatch):
    monkeypatch.delenv(viz.BOOK_BUILD_ENV, raising=False)
    fig = viz.plotly_attention(_weights(1)[0], TOKENS)
    called = []
    monkeypatch.setattr(type(fig), "show", lambda self, *a, **k: called.append(True))
    viz.show(fig)
    assert called == [True]


def test_bertviz_html_has_no_cdn():
    html = viz.bertviz_html("head", attention=[_weights(2)[None]], tokens=TOKENS)
    assert "cdnjs" not in html and "require.js" not in html and "require.min.js" not in html
    assert "require.config" not in html and "requirejs(" in html
    assert "bertviz" in html
    assert json.dumps("학교에서")[1:-1] in html or "학교에서" in html
    model = viz.bertviz_html("model", attention=[_weights(2)[None], _weights(2, seed=1)[None]], tokens=TOKENS)
    assert "cdnjs" not in model


def test_head_view_in_book_build_displays_stripped_html(monkeypatch):
    monkeypatch.setenv(viz.BOOK_BUILD_ENV, "1")
    shown = _capture_display(monkeypatch)
    viz.head_view(_weights(2), TOKENS)  # (h, T, T) 하나도 받음
    assert len(shown) == 1 and "cdnjs" not in shown[0].data


def test_environment_detection(monkeypatch):
    monkeypatch.setenv(viz.BOOK_BUILD_ENV, "1")
    assert viz.in_book_build() is True
    monkeypatch.setenv(viz.BOOK_BUILD_ENV, "0")
    assert viz.in_book_build() is False


def test_role_colours_are_one_per_role_and_used_by_both_plot_libraries():
    import plotly.io as pio

    viz.setup()
    roles = viz.ROLE_COLORS
    assert len(set(roles.values())) == len(roles), "역할마다 다른 색"
    assert {"query", "key", "value", "mask"} <= set(roles)
    assert list(pio.templates["book"].layout.colorway) == list(viz.PALETTE)
    assert matplotlib.rcParams["axes.prop_cycle"].by_key()["color"] == list(viz.PALETTE)


def test_transformer_diagram_highlights_only_the_named_parts():
    from matplotlib.colors import to_hex
    from matplotlib.patches import FancyBboxPatch

    def fills(fig):
        return [to_hex(p.get_facecolor()) for p in fig.axes[0].patches if isinstance(p, FancyBboxPatch)]

    plain = fills(viz.transformer_diagram())
    enc = fills(viz.transformer_diagram(("enc_attn",)))
    assert len(plain) == len(enc)
    assert sum(a != b for a, b in zip(plain, enc)) >= 5, "강조하지 않은 부분은 회색이어야 함"
    with pytest.raises(ValueError, match="모르는 부분"):
        viz.transformer_diagram(("encoder",))


def test_book_diagrams_are_up_to_date(tmp_path):
    """book/images/transformer-*.svg 는 transformer_lib.viz._diagram 이 그린 그대로 (코드를 고치면 다시 만들 것:
    `python -m transformer_lib.viz._diagram book/images`)."""
    from transformer_lib.viz import _diagram

    for path in _diagram.save_diagrams(tmp_path):
        committed = ROOT / "book" / "images" / path.name
        assert committed.is_file(), f"{committed} 가 없음"
        assert committed.read_bytes() == path.read_bytes(), f"{committed.name} 가 코드와 다름: 다시 만드세요"
