"""Colab 에서 노트북 하나만 열었을 때의 경로: 설치 셀과 링크.

- 설치 셀은 설치된 판이 책의 판과 다를 때만, 저장소의 태그 v<판>(HEAD 가 아님)을 설치하고,
  같은 커널에서 다시 실행하면 아무것도 설치하지 않습니다.
- 노트북의 링크는 절대 주소(사이트·저장소 파일)라 Colab 에서도 열리고, 책 빌드(book/_ext/book_offline.py)에서는
  저장소 안의 실제 파일을 가리키는 로컬 상대 경로로 바뀝니다.
실제 설치(비편집 wheel, 네트워크 없음, 빈 폴더에서 모든 장 실행)는 tests/test_colab_install.py 가 확인합니다.
"""
from __future__ import annotations

import json
import re
import subprocess
import sys
import types
from pathlib import Path

import colab  # book/colab.py (tests/conftest.py 가 book/ 을 경로에 넣음)
import pytest

import transformer_lib

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def _markdown(path: Path) -> str:
    nb = json.loads(path.read_text(encoding="utf-8"))
    return "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")


def _fake_colab(monkeypatch):
    google = types.ModuleType("google")
    google_colab = types.ModuleType("google.colab")
    output = types.SimpleNamespace(calls=0)
    output.enable_custom_widget_manager = lambda: setattr(output, "calls", output.calls + 1)
    google_colab.output = output
    google.colab = google_colab
    monkeypatch.setitem(sys.modules, "google", google)
    monkeypatch.setitem(sys.modules, "google.colab", google_colab)
    return output


def test_version_is_single_sourced():
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert re.search(r'^version = "([^"]+)"', text, re.M).group(1) == transformer_lib.__version__
    assert colab.book_version() == transformer_lib.__version__
    assert f'VERSION = "{transformer_lib.__version__}"' in colab.setup_cell_source()


def test_setup_cell_installs_pinned_tag_only_when_version_differs(monkeypatch):
    """가짜 Colab: 설치된 판이 다르면 태그 v<판> 을 한 번 설치하고, 같은 커널에서 다시 실행하면 설치하지 않음."""
    import subprocess
    from importlib import metadata

    output = _fake_colab(monkeypatch)
    installed = {"version": "0.0.1"}
    calls = []

    def fake_version(name):
        assert name == "transformer-lib"
        if installed["version"] is None:
            raise metadata.PackageNotFoundError(name)
        return installed["version"]

    def fake_run(cmd, check=False, **kw):
        calls.append(cmd)
        installed["version"] = transformer_lib.__version__  # pip 이 태그의 판을 설치한 것처럼
        return subprocess.CompletedProcess(cmd, 0)

    monkeypatch.setattr(metadata, "version", fake_version)
    monkeypatch.setattr(subprocess, "run", fake_run)
    code = compile(colab.setup_cell_source(), "<setup cell>", "exec")
    for start in ("0.0.1", None):  # 다른 판이 있을 때, 아무것도 없을 때
        installed["version"], calls[:] = start, []
        exec(code, {})
        exec(code, {})
        assert len(calls) == 1, calls
        spec = calls[0][-1]
        assert spec == f"transformer-lib[book] @ git+{colab.repository_url()}@v{transformer_lib.__version__}"
        assert calls[0][:4] == [sys.executable, "-m", "pip", "install"]
    assert output.calls == 4  # 위젯 관리자는 매번 켬 (가벼움)


def test_setup_cell_skips_install_when_book_version_is_installed(monkeypatch):
    import subprocess
    from importlib import metadata

    _fake_colab(monkeypatch)
    monkeypatch.setattr(metadata, "version", lambda name: transformer_lib.__version__)
    monkeypatch.setattr(subprocess, "run", lambda *a, **k: pytest.fail(f"다시 설치함: {a}"))
    exec(compile(colab.setup_cell_source(), "<setup cell>", "exec"), {})


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_links_work_outside_the_book(path):
    """Colab 은 노트북 하나만 엽니다: 저장소 상대 링크(../book/glossary.md, 02_x.ipynb, 그림)는 거기서 깨집니다."""
    text = _markdown(path)
    relative = colab.relative_links(text)
    assert not relative, (f"상대 링크 {relative[:5]} — `python book/colab.py --fix` 로 "
                          "절대 주소(사이트·저장소)로 바꾸세요 (책 빌드는 다시 로컬 링크로 바꿈)")
    missing = []
    local = colab.localize_links(text, path.relative_to(ROOT).with_suffix("").as_posix(), ROOT,
                                 on_missing=missing.append)
    assert not missing, f"저장소에 없는 파일을 가리키는 주소: {missing}"
    assert colab.site_url() not in local and colab.raw_url() not in local


def test_links_round_trip_between_repository_and_site():
    md = ("[용어](../book/glossary.md#gloss-attention) [2장](02_scaled_dot_product.ipynb) "
          "![배지](../book/images/colab-badge.svg) [밖](https://pytorch.org/docs) [절](#sec-1) [참고](../book/references.md)")
    site, raw = colab.site_url(), colab.raw_url()
    glob = colab.globalize_links(md, "notebooks/01_self_attention.ipynb")
    assert f"]({site}book/glossary.html#gloss-attention)" in glob
    assert f"]({site}notebooks/02_scaled_dot_product.html)" in glob
    assert f"]({raw}book/images/colab-badge.svg)" in glob
    assert "](https://pytorch.org/docs)" in glob and "](#sec-1)" in glob
    assert colab.relative_links(glob) == []
    assert colab.localize_links(glob, "notebooks/01_self_attention", ROOT) == md
    # 다른 폴더의 문서 기준으로는 그 폴더에서 본 경로
    assert colab.localize_links(f"[x]({site}notebooks/02_scaled_dot_product.html#a)", "book/intro", ROOT) == \
        "[x](../notebooks/02_scaled_dot_product.ipynb#a)"
    missing = []
    assert colab.localize_links(f"[x]({site}no/such.html)", "book/intro", ROOT, on_missing=missing.append) == \
        f"[x]({site}no/such.html)"
    assert missing == [f"{site}no/such.html"]


def test_site_url_follows_config(tmp_path):
    cfg = tmp_path / "_config.yml"
    cfg.write_text("repository:\n  url: https://github.com/Some-Org/book-ko\n  branch: dev\n", encoding="utf-8")
    assert colab.site_url(cfg) == "https://some-org.github.io/book-ko/"
    assert colab.raw_url(cfg) == "https://raw.githubusercontent.com/Some-Org/book-ko/dev/"
    assert 'REPO = "https://github.com/Some-Org/book-ko"' in colab.setup_cell_source(cfg)


def test_fix_notebook_is_idempotent(tmp_path):
    src = NOTEBOOKS[0]
    copy = tmp_path / "99_copy.ipynb"
    nb = json.loads(src.read_text(encoding="utf-8"))
    nb["cells"][0]["source"] = ["# 제목\n", "\n", "[![Colab에서 열기](../book/images/colab-badge.svg)](x)\n",
                                "[용어](../book/glossary.md#gloss-token)\n"]
    nb["cells"][1]["source"] = ["import sys\n", 'if "google.colab" in sys.modules:\n', "    pass"]
    copy.write_text(json.dumps(nb, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    assert colab.fix_notebook(copy, notebook_path="notebooks/99_copy.ipynb") is True
    fixed = json.loads(copy.read_text(encoding="utf-8"))
    assert colab.badge_markdown("notebooks/99_copy.ipynb") in "".join(fixed["cells"][0]["source"])
    assert "".join(fixed["cells"][1]["source"]) == colab.setup_cell_source()
    assert fixed["cells"][1]["metadata"]["tags"] == colab.SETUP_CELL_TAGS
    assert colab.relative_links("".join(fixed["cells"][0]["source"])) == []
    assert colab.fix_notebook(copy, notebook_path="notebooks/99_copy.ipynb") is False


def test_built_site_links_stay_on_the_machine():
    """책 빌드(book_offline)는 노트북의 사이트·저장소 절대 주소를 로컬 링크로 바꿉니다: 만든 페이지에는 남지 않아야 함."""
    html = ROOT / "_build" / "html"
    pages = sorted((html / "notebooks").glob("*.html")) if html.is_dir() else []
    if not pages:
        pytest.skip("책이 아직 빌드되지 않았습니다 (make book; make test 는 먼저 빌드함)")
    site, raw = colab.site_url(), colab.raw_url()
    leaks = {p.name: n for p in pages if (n := p.read_text(encoding="utf-8").count(site) +
                                                   p.read_text(encoding="utf-8").count(raw))}
    assert not leaks, f"바깥 주소가 남은 페이지: {leaks}"
    badge = (html / "notebooks" / NOTEBOOKS[0].with_suffix(".html").name).read_text(encoding="utf-8")
    assert re.search(r'<img alt="Colab에서 열기" src="\.\./_images/colab-badge\.svg"', badge), "배지 그림이 로컬 파일이 아님"
    assert 'href="../book/glossary.html#gloss-' in "".join(p.read_text(encoding="utf-8") for p in pages)


def test_colab_setup_cell_is_noop_outside_colab(monkeypatch):
    import subprocess as sp

    monkeypatch.delitem(sys.modules, "google.colab", raising=False)
    monkeypatch.setattr(sp, "run", lambda *a, **k: pytest.fail("Colab 밖에서 pip 를 실행함"))
    source = colab.setup_cell_source()
    assert colab.repository_url() in source
    exec(compile(source, "<setup cell>", "exec"), {})


def test_colab_badge_points_at_repository():
    badge = colab.badge_markdown("notebooks/01_self_attention.ipynb")
    assert badge.startswith(f"[![Colab에서 열기]({colab.raw_url()}book/images/colab-badge.svg)](https://colab.research.google.com/github/")
    assert badge.endswith("/blob/main/notebooks/01_self_attention.ipynb)")
    assert colab.repository_url().split("github.com/")[1] in badge


def test_colab_reads_other_config(tmp_path):
    cfg = tmp_path / "_config.yml"
    cfg.write_text("title: x\nrepository:\n  url: https://github.com/a/b.git  # 주석\n  branch: dev\nhtml:\n  x: 1\n",
                   encoding="utf-8")
    assert colab.repository_url(cfg) == "https://github.com/a/b"
    assert colab.colab_url("notebooks/x.ipynb", cfg) == "https://colab.research.google.com/github/a/b/blob/dev/notebooks/x.ipynb"
    with pytest.raises(FileNotFoundError):
        colab.repository_url(tmp_path / "missing.yml")
    cfg.write_text('repository: {url: "https://github.com/c/d", branch: "x"}\n', encoding="utf-8")   # YAML 그대로 읽음
    assert (colab.repository_url(cfg), colab.repository_branch(cfg)) == ("https://github.com/c/d", "x")
    cfg.write_text("title: x\n", encoding="utf-8")
    with pytest.raises(ValueError, match="repository"):
        colab.repository_url(cfg)


def test_runs_as_a_script_from_the_checkout(tmp_path):
    """관리 도구는 저장소에서 `python book/colab.py [--fix]` 로 돌립니다: 설치된 패키지 없이도(다른 폴더에서도) 동작."""
    out = subprocess.run([sys.executable, str(ROOT / "book" / "colab.py")], capture_output=True, text=True,
                         check=True, cwd=tmp_path, env={"PATH": "/usr/bin:/bin", "PYTHONNOUSERSITE": "1"})
    assert out.stdout.strip() == colab.setup_cell_source().strip()
    assert not (ROOT / "transformer_lib" / "viz" / "colab.py").exists()     # 패키지(wheel)에는 들어가지 않음
