'''Colab 배지, 표준 설치 셀, 노트북 링크 — 모든 장이 똑같은 글을 씁니다 (저장소에서 쓰는 관리 도구; 패키지에는 없음).

저장소 주소는 `_config.yml` 의 ``repository.url`` (가지: ``repository.branch``) 한 곳에서 읽고, 책이 실린 사이트 주소는
그 저장소의 GitHub Pages 주소(``https://<owner>.github.io/<name>/``)로 정해집니다(:func:`site_url`).
tests/test_notebooks_meta.py 가 모든 노트북의 첫 셀(배지)과 둘째 셀(설치 셀)이 아래 함수의 결과와
정확히 같은지 확인합니다. 노트북을 만들 때는 이 함수들의 출력을 그대로 넣으세요 (tests/conftest.py 가 book/ 을
sys.path 에 넣으므로 테스트에서는 `import colab`):

    first_cell  = f"# 제목\\n\\n{colab.badge_markdown('notebooks/01_self_attention.ipynb')}\\n\\n도입 문단..."
    second_cell = colab.setup_cell_source()          # 코드 셀, 태그 colab.SETUP_CELL_TAGS

    python book/colab.py              # 표준 설치 셀을 화면에 찍습니다 (복사해 넣기)
    python book/colab.py --fix        # 모든 장의 배지·설치 셀·상대 링크를 표준으로 고칩니다

설치 셀은 Colab 에서만 움직이고, 설치된 transformer_lib 의 판이 이 책의 판(pyproject.toml 의 ``version``)과
다를 때만 저장소의 태그 ``v<판>`` 을 설치합니다(HEAD 가 아님). 같은 커널에서 다시 실행하면 판만 확인하고 끝납니다.
책을 내보낼 때는 그 판의 태그를 저장소에 붙여야 합니다 (``git tag v0.2.0 && git push --tags``;
Pages 배포가 태그가 있는지 확인합니다).

링크: Colab 은 노트북 하나만 열기 때문에 ``../book/glossary.md`` 같은 저장소 상대 경로가 없습니다. 그래서 노트북에는
사이트 주소(용어집·다른 장)와 저장소 파일 주소(배지 그림, raw.githubusercontent.com)를 절대 주소로 적고
(:func:`globalize_links`), 책을 빌드할 때 book/_ext/book_offline.py 가 이 주소들을 다시 로컬 상대 경로로 바꿉니다
(:func:`localize_links`) — 그래서 오프라인 사이트의 링크는 기계 밖으로 나가지 않고, Sphinx 가 링크 대상도 확인합니다.
'''
import posixpath
import re
import sys
import tomllib
from pathlib import Path, PurePosixPath

import yaml

#: 저장소 뿌리 (book/colab.py 에서 한 단계 위)
REPO_ROOT = Path(__file__).resolve().parents[1]

#: 설치 셀에 붙이는 셀 태그: 웹 책에서는 숨기고(실행은 함) Colab·Jupyter 에서는 보입니다.
SETUP_CELL_TAGS = ["remove-cell"]

#: Colab 배지 그림 (저장소 뿌리 기준 경로; 노트북에는 저장소 파일 주소로 적음)
BADGE_IMAGE_PATH = "book/images/colab-badge.svg"
BADGE_ALT = "Colab에서 열기"

_SETUP_TEMPLATE = '''# Colab에서 열었을 때만 실행됩니다: 이 장을 쓴 판의 transformer_lib 설치 + Colab 위젯 관리자 켜기.
# 같은 판이 이미 설치되어 있으면 설치하지 않습니다(다시 실행해도 금방 끝남). Colab 밖에서는 아무 일도 하지 않습니다.
import sys

if "google.colab" in sys.modules:
    import subprocess
    from importlib import metadata

    REPO = "{repo}"
    VERSION = "{version}"  # 이 장을 쓴 transformer_lib 의 판 = 저장소의 태그 v{version}
    try:
        installed = metadata.version("transformer-lib")
    except metadata.PackageNotFoundError:
        installed = None
    if installed != VERSION:
        # torch 는 Colab 에 있는 것을 그대로 씁니다. [book] = 그림·위젯·bertviz·한글 글꼴 도구 (pyproject.toml)
        subprocess.run([sys.executable, "-m", "pip", "install", "-q",
                        f"transformer-lib[book] @ git+{{REPO}}@v{{VERSION}}"], check=True)
        if "transformer_lib" in sys.modules:
            print("다른 판의 transformer_lib 이 이미 불러와져 있습니다: 런타임 > 세션 다시 시작 후 다시 실행하세요.")
    from google.colab import output

    output.enable_custom_widget_manager()'''


def _read_repository(config_path=None) -> dict:
    path = Path(config_path) if config_path else REPO_ROOT / "_config.yml"
    if not path.is_file():
        raise FileNotFoundError(
            f"{path} 가 없습니다: 저장소 주소는 _config.yml 에서만 읽습니다 (repository URL lives in _config.yml)")
    values = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("repository")
    if not isinstance(values, dict):
        raise ValueError(f"{path} 에 repository: 항목이 없습니다")
    if not values.get("url"):
        raise ValueError(f"{path} 의 repository.url 이 비어 있습니다")
    return values


def repository_url(config_path=None) -> str:
    """_config.yml 의 repository.url (끝의 / 와 .git 제거)."""
    url = _read_repository(config_path)["url"].rstrip("/")
    return url[:-4] if url.endswith(".git") else url


def repository_branch(config_path=None) -> str:
    return _read_repository(config_path).get("branch") or "main"


def _owner_name(config_path=None):
    repo = repository_url(config_path)
    m = re.match(r"https://github\.com/([^/]+)/([^/]+)$", repo)
    if not m:
        raise ValueError(f"GitHub 저장소 주소가 아닙니다: {repo}")
    return m.group(1), m.group(2)


def site_url(config_path=None) -> str:
    """책이 실린 GitHub Pages 주소 (끝에 /): https://<owner>.github.io/<name>/"""
    owner, name = _owner_name(config_path)
    return f"https://{owner.lower()}.github.io/{name}/"


def raw_url(config_path=None) -> str:
    """저장소 파일(그림 등)을 그대로 받는 주소의 앞부분 (끝에 /)."""
    owner, name = _owner_name(config_path)
    return f"https://raw.githubusercontent.com/{owner}/{name}/{repository_branch(config_path)}/"


def colab_url(notebook_path: str, config_path=None) -> str:
    """노트북(저장소 뿌리 기준 경로, 예: notebooks/01_self_attention.ipynb)을 Colab 에서 여는 주소."""
    owner, name = _owner_name(config_path)
    path = notebook_path[2:] if notebook_path.startswith("./") else notebook_path
    return f"https://colab.research.google.com/github/{owner}/{name}/blob/{repository_branch(config_path)}/{path}"


def badge_markdown(notebook_path: str, config_path=None) -> str:
    """첫 셀 제목 아래에 넣는 Colab 배지 마크다운 한 줄 (그림도 절대 주소: Colab 에서 노트북만 열려도 보임)."""
    return f"[![{BADGE_ALT}]({raw_url(config_path)}{BADGE_IMAGE_PATH})]({colab_url(notebook_path, config_path)})"


def book_version() -> str:
    """이 책의 transformer_lib 판: 저장소 pyproject.toml 의 [project] version (설치하면 metadata.version 이 이 값)."""
    with open(REPO_ROOT / "pyproject.toml", "rb") as f:
        return tomllib.load(f)["project"]["version"]


def setup_cell_source(config_path=None, version=None) -> str:
    """둘째 셀(코드 셀)에 그대로 넣는 표준 설치 셀의 소스."""
    return _SETUP_TEMPLATE.format(repo=repository_url(config_path), version=version or book_version())


# --- 링크: 노트북에는 절대 주소, 책 빌드에서는 로컬 상대 경로 --------------------------------------------------
_MD_LINK = re.compile(r"(\]\()([^)\s]+)(\))")
_DOC_SUFFIXES = (".ipynb", ".md")


def _norm(path: PurePosixPath) -> str:
    parts = []
    for p in path.parts:
        if p == "..":
            if not parts:
                raise ValueError(f"저장소 밖을 가리키는 경로: {path}")
            parts.pop()
        elif p not in (".", ""):
            parts.append(p)
    return "/".join(parts)


def globalize_links(markdown: str, notebook_path: str, config_path=None) -> str:
    """마크다운 안의 저장소 상대 링크를 Colab 에서도 열리는 절대 주소로 바꿉니다.

    문서(.md/.ipynb) → 사이트 페이지(.html), 그 밖의 파일(그림) → 저장소 파일 주소. notebook_path 는 저장소 뿌리 기준."""
    base = PurePosixPath(notebook_path).parent
    site, raw = site_url(config_path), raw_url(config_path)

    def repl(m):
        target = m.group(2)
        if re.match(r"^[a-z][a-z0-9+.-]*:", target, re.I) or target.startswith(("#", "/")):
            return m.group(0)
        path, _, frag = target.partition("#")
        rel = _norm(base / path)
        if rel.endswith(_DOC_SUFFIXES):
            url = site + rel.rsplit(".", 1)[0] + ".html"
        else:
            url = raw + rel
        return m.group(1) + url + (f"#{frag}" if frag else "") + m.group(3)

    return _MD_LINK.sub(repl, markdown)


def relative_links(markdown: str) -> list:
    """마크다운의 저장소 상대 링크 목록 (Colab 에서 깨지는 것들)."""
    return [m.group(2) for m in _MD_LINK.finditer(markdown)
            if not re.match(r"^([a-z][a-z0-9+.-]*:|#)", m.group(2), re.I)]


def localize_links(text: str, docname: str, srcdir, config_path=None, on_missing=None) -> str:
    """globalize_links 의 반대: 사이트·저장소 파일 주소를 문서 docname(예: notebooks/01_self_attention) 기준
    상대 경로로 바꿉니다. 대상 파일이 저장소에 없으면 주소를 그대로 두고 on_missing(주소) 를 부릅니다."""
    srcdir = Path(srcdir)
    site, raw = site_url(config_path), raw_url(config_path)
    here = PurePosixPath(docname).parent
    pattern = re.compile("(" + re.escape(site) + "|" + re.escape(raw) + r")([\w./%-]*)(#[\w.%-]*)?")

    def rel_to_here(path: str) -> str:
        return posixpath.relpath(path, start=str(here))

    def repl(m):
        prefix, path, frag = m.group(1), m.group(2), m.group(3) or ""
        local = None
        if prefix == site and path.endswith(".html"):
            stem = path[: -len(".html")]
            local = next((stem + s for s in _DOC_SUFFIXES if (srcdir / (stem + s)).is_file()), None)
        elif prefix == raw and path and (srcdir / path).is_file():
            local = path
        if local is None:
            if on_missing:
                on_missing(m.group(0))
            return m.group(0)
        return rel_to_here(local) + frag

    return pattern.sub(repl, text)


def fix_notebook(path, config_path=None, notebook_path=None) -> bool:
    """노트북 하나의 배지·설치 셀·링크를 표준으로 고쳐 씁니다 (바뀐 것이 있으면 True). 출력은 건드리지 않습니다.

    notebook_path: 저장소 뿌리 기준 경로 (없으면 path 에서 구함)."""
    import json

    path = Path(path)
    rel = notebook_path or path.resolve().relative_to(REPO_ROOT).as_posix()
    text = path.read_text(encoding="utf-8")
    nb = json.loads(text)
    cells = nb["cells"]
    old_badge = re.compile(r"\[!\[" + re.escape(BADGE_ALT) + r"\]\([^)]*\)\]\([^)]*\)")
    for cell in cells:
        if cell["cell_type"] != "markdown":
            continue
        src = "".join(cell["source"])
        new = old_badge.sub(lambda m: badge_markdown(rel, config_path), src, count=1) if cell is cells[0] else src
        new = globalize_links(new, rel, config_path)
        if new != src:
            cell["source"] = new.splitlines(keepends=True)
    setup = cells[1]
    if setup["cell_type"] == "code" and "google.colab" in "".join(setup["source"]):
        setup["source"] = setup_cell_source(config_path).splitlines(keepends=True)
        tags = setup.setdefault("metadata", {}).setdefault("tags", [])
        tags.extend(t for t in SETUP_CELL_TAGS if t not in tags)
    out = json.dumps(nb, ensure_ascii=False, indent=1) + "\n"
    if out != text:
        path.write_text(out, encoding="utf-8")
        return True
    return False


def main(argv=None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if "--fix" in args:
        files = [a for a in args if a != "--fix"] or sorted((REPO_ROOT / "notebooks").glob("*.ipynb"))
        for f in files:
            if fix_notebook(f):
                print(f"고침: {f}")
        return 0
    print(setup_cell_source())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
