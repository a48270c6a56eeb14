"""Colab 에서 공부하는 사람이 하는 일을 CI 에서 그대로: 패키지를 wheel 로 만들어 **새 venv 에 편집 불가(non-editable)로**
설치하고, **네트워크 없이**, 저장소 **밖의 빈 폴더**에서 모든 장을 처음부터 끝까지 실행합니다.

- wheel: 저장소의 pyproject.toml·README.md·transformer_lib/ 만 임시 폴더에 복사해 `pip wheel --no-deps --no-index
  --no-build-isolation` 으로 만듭니다 (저장소에 build/ 가 생기지 않고, package-data 에 빠진 파일은 여기서 드러남).
- 새 venv: pip 없이 만들고, 바깥 pip 으로 `--no-index --no-deps` 설치합니다. 의존 패키지(torch, matplotlib …)는
  내려받지 않고 이 저장소의 .venv 것을 씁니다: 새 venv 의 site-packages 에 .venv 의 site-packages 경로 한 줄을 담은
  .pth 를 둡니다. 새 venv 의 site-packages 가 sys.path 에서 앞서므로 `transformer_lib` 은 wheel 로 설치한 것이 잡히고,
  .pth 로 붙인 경로 안의 .pth(.venv 의 편집 설치 훅)는 파이썬이 실행하지 않으므로 저장소의 소스가 섞이지 않습니다.
  (--system-site-packages 는 시스템 파이썬의 패키지를 보일 뿐 .venv 의 것은 못 보고, 의존 패키지를 wheel 로 다시
  설치하면 torch 만 수백 MB 를 복사해야 해서 이 방법을 골랐습니다.) 커널 안에서 transformer_lib 이 새 venv 에서
  왔는지 확인합니다.
- Colab 흉내: 커널에 가짜 google.colab 모듈을 넣어 설치 셀이 Colab 쪽 갈래를 실제로 실행하게 하고, 설치 셀을 두 번
  실행합니다. 설치된 판이 책의 판과 같으므로 pip 이 한 번도 불리지 않아야 합니다(불리면 셀이 실패).
  TRANSFORMER_BOOK_BUILD 는 끕니다(책 빌드가 아닌 보통 노트북).
책 빌드가 모든 장을 이미 한 번 실행하므로, make test 는 예전의 `pytest --nbmake notebooks` 대신 이 테스트를 돌립니다.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import colab  # book/colab.py (tests/conftest.py 가 book/ 을 경로에 넣음)
import nbformat
import pytest

import transformer_lib

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))

# 설치 셀 앞에 넣는 셀: 가짜 google.colab + pip 호출 감시 (네트워크 없이 pip 이 불리면 곧바로 실패)
FAKE_COLAB = r'''
import subprocess, sys, types
_google = types.ModuleType("google"); _colab = types.ModuleType("google.colab")
_colab.output = types.SimpleNamespace(enable_custom_widget_manager=lambda: None)
_google.colab = _colab
sys.modules["google"], sys.modules["google.colab"] = _google, _colab
_PIP_CALLS = []
_real_run = subprocess.run
def _watch(cmd, *a, **k):
    if "pip" in list(map(str, cmd)):
        _PIP_CALLS.append(cmd)
        raise RuntimeError(f"설치 셀이 pip 을 불렀습니다 (reinstall attempted): {cmd}")
    return _real_run(cmd, *a, **k)
subprocess.run = _watch
'''

CHECK_INSTALL = r'''
import subprocess, sys, transformer_lib
from importlib import metadata
from pathlib import Path
subprocess.run = _real_run
assert _PIP_CALLS == [], _PIP_CALLS
assert Path(transformer_lib.__file__).resolve().is_relative_to(Path(sys.prefix).resolve()), transformer_lib.__file__
assert metadata.version("transformer-lib") == {version!r}
assert "google.colab" in sys.modules
'''

RUNNER = r'''
import json, sys
import nbformat
from nbclient import NotebookClient
src, cwd, timeout = sys.argv[1], sys.argv[2], int(sys.argv[3])
nb = nbformat.read(src, as_version=4)
NotebookClient(nb, timeout=timeout, kernel_name="python3", resources={"metadata": {"path": cwd}}).execute()
print(json.dumps({"ok": True}))
'''


def _site_packages(python: str) -> str:
    return subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          capture_output=True, text=True, check=True).stdout.strip()


@pytest.fixture(scope="module")
def colab_env(tmp_path_factory):
    """→ (새 venv 의 python, 빈 작업 폴더)."""
    base = tmp_path_factory.mktemp("colab")
    src = base / "src"
    src.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, src / name)
    shutil.copytree(ROOT / "transformer_lib", src / "transformer_lib",
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    wheels = base / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-index", "--no-build-isolation",
                    "-w", str(wheels), str(src)], check=True, cwd=base)
    (wheel,) = wheels.glob("transformer_lib-*.whl")
    venv = base / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = str(venv / "bin" / "python")
    subprocess.run([sys.executable, "-m", "pip", "--python", python, "install", "-q", "--no-index", "--no-deps",
                    str(wheel)], check=True)
    # 의존 패키지는 이 저장소의 .venv 에서 (위 설명). .pth 한 줄 = sys.path 에 붙일 경로.
    Path(_site_packages(python), "zz_outer_venv_deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    work = base / "work"
    work.mkdir()
    return python, work


def _env():
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "TRANSFORMER_BOOK_BUILD", "VIRTUAL_ENV")}
    env.update(OMP_NUM_THREADS="1", MKL_NUM_THREADS="1", PIP_NO_INDEX="1", MPLBACKEND="Agg")
    env["TQDM_DISABLE"] = "1"
    return env


def test_wheel_installs_non_editable_with_the_checkpoint(colab_env):
    python, work = colab_env
    code = ("import json, transformer_lib, sys\nfrom importlib import metadata\nfrom transformer_lib.toy import train\n"
            "d = metadata.distribution('transformer-lib')\n"
            "print(json.dumps({'file': transformer_lib.__file__, 'prefix': sys.prefix, 'version': d.version,"
            " 'direct_url': d.read_text('direct_url.json'), 'ckpt': str(train.CHECKPOINT),"
            " 'ckpt_exists': train.CHECKPOINT.is_file()}))")
    r = json.loads(subprocess.run([python, "-c", code], capture_output=True, text=True, check=True, cwd=work,
                                  env=_env()).stdout)
    assert Path(r["file"]).resolve().is_relative_to(Path(r["prefix"]).resolve()), r
    assert not Path(r["file"]).resolve().is_relative_to(ROOT), "저장소의 소스를 불러옴 (편집 설치가 섞임)"
    assert r["version"] == transformer_lib.__version__
    assert r["direct_url"] is None or '"editable": true' not in r["direct_url"]
    assert r["ckpt_exists"], f"wheel 에 체크포인트가 없습니다 (package-data): {r['ckpt']}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_chapter_runs_like_colab_from_an_empty_folder(colab_env, path, tmp_path):
    python, work = colab_env
    nb = nbformat.read(path, as_version=4)
    setup = nb.cells[1]
    assert setup.source == colab.setup_cell_source(), "둘째 셀이 표준 설치 셀이 아닙니다"
    again = nbformat.v4.new_code_cell(setup.source)
    cells = [nb.cells[0], nbformat.v4.new_code_cell(FAKE_COLAB), setup, again,
             nbformat.v4.new_code_cell(CHECK_INSTALL.format(version=transformer_lib.__version__))]
    nb.cells = cells + nb.cells[2:]
    folder = work / path.stem
    folder.mkdir()
    prepared = tmp_path / path.name
    nbformat.write(nb, prepared)
    out = subprocess.run([python, "-c", RUNNER, str(prepared), str(folder), "600"], capture_output=True, text=True,
                         cwd=folder, env=_env())
    assert out.returncode == 0, (out.stdout + out.stderr)[-6000:]
