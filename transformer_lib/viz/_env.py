"""실행 환경 판별 (표준 라이브러리만 씀)."""
import os

#: jupyter-book 빌드가 노트북을 실행할 때 켜 두는 환경 변수 (Makefile 과 book/_ext/book_offline.py 가 설정)
BOOK_BUILD_ENV = "TRANSFORMER_BOOK_BUILD"


def in_book_build() -> bool:
    """jupyter-book 이 정적 사이트를 만들려고 노트북을 실행하는 중이면 True."""
    return os.environ.get(BOOK_BUILD_ENV, "") == "1"
