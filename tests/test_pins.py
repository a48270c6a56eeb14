"""고정 판 목록(constraints.txt)과 독자용 범위(requirements*.txt, pyproject.toml)가 서로 맞는지.

- 범위에 적힌 모든 패키지가 constraints.txt 에 정확한 판(==)으로 있고, 그 판이 범위 안에 있어야 합니다.
- 이 환경(make book 이 constraints.txt 로 만든 .venv)에 설치된 판이 constraints.txt 와 같아야 합니다.
- Colab 을 위해: torch 는 범위로만(다시 설치하지 않음), ipywidgets 는 Colab 의 7.7.1 을 허용.
constraints.txt 가 낡았으면 `make lock` 으로 다시 만드세요.
"""
from __future__ import annotations

from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[1]


def _constraints() -> dict:
    pins = {}
    for line in (ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#")[0].strip()
        if line:
            name, _, version = line.partition("==")
            assert version, f"constraints.txt 는 == 로만 고정합니다: {line}"
            pins[canonicalize_name(name)] = version
    return pins


def _requirements(path: Path) -> list:
    reqs = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#")[0].strip()
        if not line:
            continue
        if line.startswith("-r "):
            reqs += _requirements(path.parent / line[3:].strip())
        else:
            reqs.append(Requirement(line))
    return reqs


def _pyproject() -> dict:
    try:
        import tomllib
    except ModuleNotFoundError:  # Python < 3.11
        import tomli as tomllib
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def _all_ranges() -> list:
    project = _pyproject()["project"]
    reqs = _requirements(ROOT / "requirements-dev.txt")
    reqs += [Requirement(r) for r in project["dependencies"]]
    reqs += [Requirement(r) for extra in project.get("optional-dependencies", {}).values() for r in extra]
    return reqs


@pytest.mark.parametrize("req", _all_ranges(), ids=str)
def test_every_range_is_pinned_inside_the_range(req):
    pins = _constraints()
    name = canonicalize_name(req.name)
    assert name in pins, f"{req.name} 가 constraints.txt 에 없습니다 — `make lock` 으로 다시 만드세요"
    assert req.specifier.contains(Version(pins[name]), prereleases=True), \
        f"constraints.txt 의 {req.name}=={pins[name]} 가 범위 {req.specifier} 밖입니다 — `make lock`"


def test_installed_versions_match_the_pins():
    """make book 은 constraints.txt 로 설치합니다: 이 환경의 판이 목록과 다르면 목록이 낡았거나 손으로 설치한 것."""
    pins = _constraints()
    wanted = {canonicalize_name(r.name) for r in _all_ranges()}
    wrong = {}
    for name in sorted(wanted):
        try:
            installed = metadata.version(name).split("+")[0]
        except metadata.PackageNotFoundError:
            wrong[name] = (pins.get(name), None)
            continue
        if installed != pins.get(name):
            wrong[name] = (pins.get(name), installed)
    assert not wrong, f"(고정 판, 설치된 판): {wrong} — `make lock` 또는 make book 으로 맞추세요"


def test_colab_friendly_ranges():
    project = _pyproject()["project"]
    deps = {canonicalize_name(Requirement(r).name): Requirement(r) for r in project["dependencies"]}
    book = {canonicalize_name(Requirement(r).name): Requirement(r) for r in project["optional-dependencies"]["book"]}
    assert not any(s.operator in ("==", "~=", "<", "<=") for s in deps["torch"].specifier), "torch 는 하한만 (Colab 판 유지)"
    assert book["ipywidgets"].specifier.contains("7.7.1"), "Colab 의 ipywidgets 7.7.1 을 허용해야 합니다"
    reader = {canonicalize_name(r.name): r for r in _requirements(ROOT / "requirements.txt")}
    assert reader["ipywidgets"].specifier.contains("7.7.1")
    assert not any("==" in str(r.specifier) for r in reader.values()), "독자용 requirements.txt 는 범위만"
