"""브라우저 안의 번역기(issue 8)를 파이썬 쪽에서 확인합니다.

- 안내 문구 표 하나(transformer_lib/toy/messages.json)를 탐색기가 쓰고, 고친 두 경우(1000 × "가", 이모지)가 맞는 말을 함
- 내보내기(web_export)가 2 MB 이하의 가중치 파일을 쓰고, 그 안의 값·sha256 이 라이브러리 모델과 맞음
  (브라우저 코드와의 수치 일치는 tests/js/transformer_live.test.js 가 node --test 로 확인)
- viz.live: 책 빌드에서는 사이트용 자리, 그 밖에서는 ipywidgets(fallback)
- bertviz: 노트북 출력에 CDN 주소가 없고, 패키지에 넣은 d3·jQuery·require.js 가 npm 패키지의 파일과 같음
"""
import base64
import hashlib
import json
import re
import zlib
from pathlib import Path

import pytest
import torch

from transformer_lib.toy import explorer as ex_mod
from transformer_lib.toy import web_export

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def pretrained():
    from transformer_lib.toy.train import load_pretrained

    torch.set_num_threads(1)
    return load_pretrained()


@pytest.fixture(scope="module")
def explorer(pretrained):
    model, sv, tv, extra = pretrained
    return ex_mod.Explorer(model, sv, tv, max_train_tokens=extra["info"]["max_train_tokens"])


# --------------------------------------------------------------------------------------------- 안내 문구
def test_messages_come_from_the_shared_table(explorer):
    table = json.loads((ROOT / "transformer_lib/toy/messages.json").read_text(encoding="utf-8"))
    assert ex_mod.MESSAGES == table
    level, message, _ = explorer.check("")
    assert (level, message) == ("error", ex_mod.msg("empty", example=ex_mod.msg("example", sentence=ex_mod.EXAMPLE)))


def test_long_input_names_the_limit_it_broke(explorer):
    a = explorer.analyze("가" * 1000)
    assert a.level == "error"
    assert "1000자" in a.message and "240자" in a.message
    assert "토큰 1개" not in a.message
    b = explorer.analyze(" ".join(["사과를"] * 25))
    assert "토큰 25개" in b.message and "20개 이하" in b.message


def test_symbol_is_not_silently_turned_into_a_word(explorer):
    a = explorer.analyze("소년은 🍎를 먹는다")
    assert a.level == "error" and a.translation == ""
    assert "🍎" in a.message
    assert explorer.analyze("소년은 사과를 먹는다!").translation == "the boy eats the apple"  # 문장부호는 지움


def test_nfd_input_is_normalised(explorer):
    import unicodedata

    s = "소년은 공원에서 빨간 사과를 먹는다"
    assert explorer.analyze(unicodedata.normalize("NFD", s)).translation == explorer.analyze(s).translation


def test_labels_count_from_zero(explorer):
    html = explorer.heatmap_html(explorer.analyze(ex_mod.EXAMPLE), "cross", 0, 0)
    assert "층 0" in html and "헤드 0" in html


def test_suggestions(explorer):
    assert explorer.suggest("사과가")[0] == "사과를"
    assert ex_mod.similarity("먹는다", "먹늗다") == pytest.approx(2 / 3)


# --------------------------------------------------------------------------------------------- 내보내기
def _unpack(w):
    width = 2 if w["dtype"] == "i16" else 4
    planes = zlib.decompress(base64.b64decode(w["data"]))
    n = w["n"]
    raw = bytearray(n * width)
    for b in range(width):
        raw[b::width] = planes[(width - 1 - b) * n:(width - b) * n]
    return bytes(raw)


def test_export_writes_small_weights_that_match_the_model(tmp_path, pretrained):
    model = pretrained[0]
    written = web_export.export(tmp_path, golden_files=False)
    path = tmp_path / "site" / "live" / web_export.WEIGHTS_JS
    assert list(written) == [str(path)]
    assert path.stat().st_size <= 2_000_000
    text = path.read_text(encoding="utf-8")
    prefix = f"globalThis.{web_export.GLOBAL_NAME} = "
    man = json.loads(text[text.index(prefix) + len(prefix):].rstrip().rstrip(";"))
    assert man["src_itos"] == pretrained[1].itos and man["tgt_itos"] == pretrained[2].itos
    assert man["config"]["d_model"] == model.config.d_model
    w = man["weights"]
    raw = _unpack(w)
    assert hashlib.sha256(raw).hexdigest() == w["sha256"]
    ints = torch.frombuffer(bytearray(raw), dtype=torch.int16).float()
    row = 0
    for name, shape, offset in w["tensors"]:
        t = model.state_dict()[name].float()
        rows = t.reshape(t.shape[0], -1) if t.dim() > 1 else t.reshape(1, -1)
        scales = torch.tensor(w["scales"][row:row + rows.shape[0]])[:, None]
        got = ints[offset:offset + t.numel()].reshape(rows.shape) * scales
        assert (got - rows).abs().max() <= scales.max() * 0.5 + 1e-7, name   # 반올림 오차 이내
        row += rows.shape[0]
    assert row == len(w["scales"])


def test_golden_set_covers_the_required_cases():
    s = web_export.golden_sentences()
    assert len(s) >= 200
    assert any(x.endswith(("!", "?", ".")) for x in s)                       # 문장부호
    assert any("컴퓨터를" in x for x in s)                                    # 모르는 단어
    assert max(len(x.split()) for x in s) > 8                                # 학습 때보다 긴 문장


# --------------------------------------------------------------------------------------------- viz.live
def test_live_placeholder_in_book_build_and_fallback_elsewhere(monkeypatch):
    import transformer_lib.viz as viz

    calls = []
    monkeypatch.setenv("TRANSFORMER_BOOK_BUILD", "1")
    fig = viz.live("softmax-scale", fallback=lambda: calls.append(1), tokens=["가"], scores=[1.0])
    assert 'class="tl-live"' in fig._repr_html_() and "softmax-scale" in fig._repr_html_() and not calls
    monkeypatch.delenv("TRANSFORMER_BOOK_BUILD")
    assert viz.live("softmax-scale", fallback=lambda: calls.append(1)) is None and calls == [1]
    with pytest.raises(ValueError, match="kind"):            # 틀린 kind 는 노트북에서도 바로 알림
        viz.live("nope", fallback=lambda: calls.append(1))
    assert calls == [1]


def test_explorer_widget_is_live_on_the_site_and_ipywidgets_in_jupyter(monkeypatch, explorer):
    monkeypatch.setenv("TRANSFORMER_BOOK_BUILD", "1")
    assert 'data-live="explorer"' in explorer.widget("소년은 사과를 먹는다")._repr_html_()
    monkeypatch.delenv("TRANSFORMER_BOOK_BUILD")
    ui = explorer.widget("소년은 사과를 먹는다")
    ui.controls["text"].value = "소년은 🍎를 먹는다"
    assert "🍎" in ui.controls["message"].value
    assert [o[0] for o in ui.controls["layer"].options] == ["층 0", "층 1"]


# --------------------------------------------------------------------------------------------- bertviz 오프라인
CDN = re.compile(r"cdnjs|cdn\.jsdelivr|unpkg\.com|<script[^>]+src=[\"']https?:|[\"']https?://[^\"']*\.min[\"']", re.I)


def test_bertviz_output_names_no_cdn():
    from transformer_lib.viz import _bertviz

    attn = [torch.rand(1, 2, 3, 3).softmax(-1)]
    html = _bertviz.offline_html(_bertviz.bertviz_html("head", attention=attn, tokens=list("abc")))
    assert not CDN.search(html)
    assert "define('d3'" in html and "define('jquery'" in html


@pytest.mark.parametrize("name, npm", [("d3.min.js", "d3/dist/d3.min.js"), ("jquery.min.js", "jquery/dist/jquery.min.js"),
                                       ("require.js", "requirejs/require.js")])
def test_vendored_files_are_the_npm_packages(name, npm):
    src = ROOT / "node_modules" / npm
    if not src.exists():
        pytest.skip("node_modules 가 없습니다 (npm ci)")
    assert (ROOT / "transformer_lib/viz/vendor" / name).read_bytes() == src.read_bytes()


def test_notebook_output_names_no_cdn(tmp_path):
    """커널에서 실제로 head_view 를 부르고, 노트북에 저장되는 출력에 CDN 주소가 없는지 봅니다."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(
        "import torch, transformer_lib.viz as viz\n"
        "viz.head_view([torch.rand(1, 2, 3, 3).softmax(-1)], list('abc'))\n"
        "viz.model_view([torch.rand(1, 2, 3, 3).softmax(-1)], list('abc'))")]
    import os

    env_backup = os.environ.pop("TRANSFORMER_BOOK_BUILD", None)
    try:
        NotebookClient(nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}).execute()
    finally:
        if env_backup is not None:
            os.environ["TRANSFORMER_BOOK_BUILD"] = env_backup
    outputs = nb.cells[0].outputs
    htmls = [o["data"]["text/html"] for o in outputs if "text/html" in o.get("data", {})]
    assert len(htmls) == 2, outputs
    for html in htmls:
        assert not CDN.search(html)
        assert "window.requirejs" in html
    assert not any("application/javascript" in o.get("data", {}) for o in outputs)


@pytest.mark.parametrize("require_already_loaded", [False, True])
def test_bertviz_renders_offline_in_a_browser(tmp_path, require_already_loaded, browser):
    """인터넷이 막힌 Chromium 에서 head_view 가 그려지는지 (JupyterLab 처럼 require.js 가 없는 페이지, 그리고 클래식
    노트북처럼 이미 있는 페이지). 두 번 출력해도 오류가 없어야 합니다. 브라우저는 세션이 같이 쓰는 것(conftest)."""
    from transformer_lib.viz import _bertviz

    attn = [torch.rand(1, 2, 3, 3).softmax(-1)]
    views = [_bertviz.offline_html(_bertviz.bertviz_html("head", attention=attn, tokens=list("abc"))) for _ in range(2)]
    pre = ""
    if require_already_loaded:
        pre = "<script>" + (_bertviz.VENDOR / "require.js").read_text(encoding="utf-8") + "</script>"
    page_file = tmp_path / "nb.html"
    page_file.write_text(f"<!doctype html><meta charset='utf-8'><body>{pre}{views[0]}{views[1]}</body>", encoding="utf-8")
    context = browser.new_context()
    page = context.new_page()
    errors, offsite = [], []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:")
               else (offsite.append(r.request.url), r.abort()))
    page.goto(page_file.as_uri())
    try:
        page.wait_for_function("document.querySelectorAll('svg text').length >= 12", timeout=10_000)
    finally:
        n_text = page.evaluate("document.querySelectorAll('svg text').length")
        context.close()
    assert n_text >= 12, (n_text, errors)
    assert not errors and not offsite, (errors, offsite)
