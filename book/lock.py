"""constraints.txt 를 만듭니다: 주어진 파이썬 환경에 설치된 판을 그대로 적습니다 (`make lock` 이 부름).

    python book/lock.py .venv/bin/python > constraints.txt

- 편집 가능 설치(transformer-lib 자신)와 pip 는 빼고, setuptools 는 넣습니다(koreanize-matplotlib 이 Python 3.12+ 에서 씀).
- torch 의 지역 판 표시(+cpu)는 뺍니다: `torch==2.13.0` 은 2.13.0+cpu 와도 맞고, CPU 판을 고르는 일은 Makefile 이 합니다.
"""
import platform
import subprocess
import sys

SKIP = {"pip", "transformer-lib", "transformer_lib"}


def main(python: str) -> None:
    out = subprocess.run([python, "-m", "pip", "freeze", "--all", "--exclude-editable"],
                         capture_output=True, text=True, check=True).stdout
    ver = subprocess.run([python, "-c", "import platform; print(platform.python_version())"],
                         capture_output=True, text=True, check=True).stdout.strip()
    pins = []
    for line in out.splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "==" not in line:
            continue
        name, version = line.split("==", 1)
        if name.lower() in SKIP:
            continue
        pins.append(f"{name}=={version.split('+')[0]}")
    print("# 책을 빌드하고 테스트하는 데 쓰는 정확한 판 (pip 의 constraints 파일; Makefile·CI 가 씀).")
    print("# 손으로 고치지 말고 `make lock` 으로 다시 만드세요. 독자·Colab 용 범위는 requirements.txt 와 pyproject.toml 에 있습니다.")
    print(f"# 만든 환경: Python {ver}, {platform.system()} {platform.machine()}")
    for pin in sorted(pins, key=str.lower):
        print(pin)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else sys.executable)
