'''Colab 배지와 표준 설치 셀 — 모든 장이 똑같은 글을 씁니다.

저장소 주소는 `_config.yml` 의 ``repository.url`` (가지: ``repository.branch``) 한 곳에서 읽습니다.
tests/test_notebooks_meta.py 가 모든 노트북의 첫 셀(배지)과 둘째 셀(설치 셀)이 아래 함수의 결과와
정확히 같은지 확인합니다. 노트북을 만들 때는 이 함수들의 출력을 그대로 넣으세요:

    from transformer_lib.viz import colab
    first_cell  = f"# 제목\\n\\n{colab.badge_markdown('notebooks/01_self_attention.ipynb')}\\n\\n도입 문단..."
    second_cell = colab.setup_cell_source()          # 코드 셀, 태그 colab.SETUP_CELL_TAGS

표준 설치 셀 (저장소 주소가 https://github.com/transformer-book-ko/transformer-book 일 때):

    # Colab에서 열었을 때만 실행됩니다: transformer_lib 설치 + Colab 위젯 관리자 켜기. (다른 곳에서는 아무 일도 하지 않습니다.)
    import sys

    if "google.colab" in sys.modules:
        import subprocess

        REPO = "https://github.com/transformer-book-ko/transformer-book"
        # torch 는 Colab 에 있는 것을 그대로 씁니다. [book] = 그림·위젯·bertviz·한글 글꼴 도구 (pyproject.toml)
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", f"transformer-lib[book] @ git+{REPO}"], check=True)
        from google.colab import output

        output.enable_custom_widget_manager()

배지 (책 빌드에서 바깥 이미지 요청이 생기지 않도록 배지 그림은 저장소 안의 book/images/colab-badge.svg):

    [![Colab에서 열기](../book/images/colab-badge.svg)](https://colab.research.google.com/github/transformer-book-ko/transformer-book/blob/main/notebooks/01_self_attention.ipynb)
'''
import re
from pathlib import Path

#: 저장소 뿌리 (transformer_lib/viz/colab.py 에서 두 단계 위)
REPO_ROOT = Path(__file__).resolve().parents[2]

#: 설치 셀에 붙이는 셀 태그: 웹 책에서는 숨기고(실행은 함) Colab·Jupyter 에서는 보입니다.
SETUP_CELL_TAGS = ["remove-cell"]

#: Colab 배지 그림 (노트북 폴더 기준 상대 경로)
BADGE_IMAGE = "../book/images/colab-badge.svg"
BADGE_ALT = "Colab에서 열기"

_SETUP_TEMPLATE = '''# Colab에서 열었을 때만 실행됩니다: transformer_lib 설치 + Colab 위젯 관리자 켜기. (다른 곳에서는 아무 일도 하지 않습니다.)
import sys

if "google.colab" in sys.modules:
    import subprocess

    REPO = "{repo}"
    # torch 는 Colab 에 있는 것을 그대로 씁니다. [book] = 그림·위젯·bertviz·한글 글꼴 도구 (pyproject.toml)
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", f"transformer-lib[book] @ git+{{REPO}}"], check=True)
    from google.colab import output

    output.enable_custom_widget_manager()'''


def _read_repository(config_path=None) -> dict:
    path = Path(config_path) if config_path else REPO_ROOT / "_config.yml"
    if not path.is_file():
        raise FileNotFoundError(
            f"{path} 가 없습니다: 저장소 주소는 _config.yml 에서만 읽습니다 (repository URL lives in _config.yml)")
    text = path.read_text(encoding="utf-8")
    block = re.search(r"^repository:\s*\n((?:[ \t]+.*\n?)+)", text, re.M)
    if not block:
        raise ValueError(f"{path} 에 repository: 항목이 없습니다")
    values = dict(re.findall(r"^[ \t]+(\w+):[ \t]*([^#\n]*?)[ \t]*(?:#.*)?$", block.group(1), re.M))
    values = {k: v.strip().strip('"').strip("'") for k, v in values.items()}
    if not values.get("url"):
        raise ValueError(f"{path} 의 repository.url 이 비어 있습니다")
    return values


def repository_url(config_path=None) -> str:
    """_config.yml 의 repository.url (끝의 / 와 .git 제거)."""
    url = _read_repository(config_path)["url"].rstrip("/")
    return url[:-4] if url.endswith(".git") else url


def repository_branch(config_path=None) -> str:
    return _read_repository(config_path).get("branch") or "main"


def colab_url(notebook_path: str, config_path=None) -> str:
    """노트북(저장소 뿌리 기준 경로, 예: notebooks/01_self_attention.ipynb)을 Colab 에서 여는 주소."""
    repo = repository_url(config_path)
    m = re.match(r"https://github\.com/([^/]+/[^/]+)$", repo)
    if not m:
        raise ValueError(f"GitHub 저장소 주소가 아닙니다: {repo}")
    return (f"https://colab.research.google.com/github/{m.group(1)}/blob/"
            f"{repository_branch(config_path)}/{notebook_path.removeprefix('./')}")


def badge_markdown(notebook_path: str, config_path=None) -> str:
    """첫 셀 제목 아래에 넣는 Colab 배지 마크다운 한 줄."""
    return f"[![{BADGE_ALT}]({BADGE_IMAGE})]({colab_url(notebook_path, config_path)})"


def setup_cell_source(config_path=None) -> str:
    """둘째 셀(코드 셀)에 그대로 넣는 표준 설치 셀의 소스."""
    return _SETUP_TEMPLATE.format(repo=repository_url(config_path))
