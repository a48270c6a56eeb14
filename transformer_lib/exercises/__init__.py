"""연습 문제 채점기: 각 장 끝의 연습 문제를 확인하고, 틀리면 답을 알려 주지 않는 힌트를 줍니다.

노트북에서 쓰는 법::

    from transformer_lib import exercises
    exercises.check("02.2", my_attention)          # 직접 짠 코드를 확인
    exercises.check("02.1", prediction, run=실험)   # 예측을 적은 뒤 실험을 돌려 비교 (예측 → 실행)
    exercises.solution("02.2")                      # 스스로 풀어 본 뒤에 풀이 보기

- 손대지 않은 빈칸(``...``, ``None``, 본문이 ``...``뿐인 함수)은 오류 없이 "아직 풀지 않았습니다"라고만 알립니다.
  그래서 빈칸이 그대로인 노트북도 처음부터 끝까지 실행됩니다.
- ``run``(실험)은 예측을 적은 뒤에만 실행됩니다. 예측 전에 실험 결과가 보이지 않게 하기 위해서입니다.
- 풀이(정답 예시)는 이 패키지에만 있습니다. 책 사이트에서는 접힌 "풀이 보기" 아래에, Colab에서는 ``solution()``으로 봅니다.

채점 함수는 맞으면 None, 틀리면 힌트(str)를 돌려줍니다. 힌트에는 정답을 적지 않습니다.

파일 구성: 이 파일에는 채점의 틀(Exercise, 등록, check·grade·solution·reference, 채점 도우미)이 있고,
문제와 풀이는 장 묶음마다 한 파일입니다 (ch00_03.py: 0–3장, ch04_07.py: 4–7장, ch08_11.py: 8–11장).
장 파일은 불러올 때 문제를 EXERCISES에 등록하며, 이 파일의 맨 끝에서 모두 불러옵니다.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Callable, Optional

import torch
import torch.nn.functional as F
from torch import nn

NOT_YET = "아직 풀지 않았습니다"


class _Untouched(Exception):
    """빈칸(...)이 그대로인 답."""


@dataclass
class Exercise:
    name: str                 # "장.번호", 예: "02.1"
    kind: str                 # "예측" (예측 → 실행) 또는 "코드" (직접 짜기)
    grade: Callable[..., Optional[str]]
    solution: str             # 정답 예시 (파이썬 코드): 실행하면 답의 이름(answer)이 정의됩니다
    answer: str               # 풀이 코드가 정의하는 이름
    explanation: str = ""     # 풀이에 덧붙이는 설명


EXERCISES: dict[str, Exercise] = {}


def _exercise(name, kind, answer, solution, explanation=""):
    """채점 함수에 붙이는 데코레이터: 문제를 EXERCISES에 등록합니다."""
    def register(grade):
        EXERCISES[name] = Exercise(name, kind, grade, solution.strip("\n"), answer, explanation)
        return grade
    return register


def _is_blank(x) -> bool:
    if x is None or x is Ellipsis:
        return True
    if isinstance(x, (tuple, list)):
        return any(_is_blank(v) for v in x)
    return False


def _call(f, *args):
    """학생의 함수를 부릅니다. 본문이 아직 ...이면 _Untouched."""
    if _is_blank(f):
        raise _Untouched
    if not callable(f):
        raise TypeError(f"함수를 넘겨야 합니다 (expected a function); 받은 값: {type(f).__name__}")
    try:
        out = f(*args)
    except TypeError as e:                      # 예: torch.softmax(...)에 빈칸 ...이 들어감
        if "ellipsis" in str(e).lower():
            raise _Untouched from None
        raise
    if _is_blank(out):
        raise _Untouched
    return out


def _number(x) -> float:
    if isinstance(x, torch.Tensor):
        x = x.item()
    if isinstance(x, bool) or not isinstance(x, (int, float)):
        raise TypeError(f"숫자 하나를 적어야 합니다 (expected a number); 받은 값: {x!r}")
    return float(x)


def _shape(x) -> tuple:
    try:
        return tuple(int(v) for v in x)
    except (TypeError, ValueError):
        raise TypeError(f"모양은 정수의 튜플로 적습니다, 예: (2, 3) (expected a tuple of ints); 받은 값: {x!r}") from None


def _tensor_like(got, expected, what="결과") -> Optional[str]:
    """모양·값 비교. 맞으면 None."""
    if not isinstance(got, torch.Tensor):
        return f"{what}는 텐서여야 합니다; 받은 값의 형: {type(got).__name__}"
    if tuple(got.shape) != tuple(expected.shape):
        return f"{what}의 모양이 {tuple(got.shape)}입니다. 어떤 모양이어야 하는지 문제를 다시 읽어 보세요."
    if got.dtype != expected.dtype and (got.dtype == torch.bool or expected.dtype == torch.bool):
        return f"{what}의 자료형이 {got.dtype}입니다. 마스크는 불리언(torch.bool)이어야 합니다."
    if not torch.allclose(got.double(), expected.double(), atol=1e-5, rtol=1e-4):
        return "모양은 맞지만 값이 다릅니다."
    return None


class Result:
    """check()의 결과: if 문에서는 참/거짓으로 쓰고, 노트북 셀의 마지막 줄이어도 아무것도 더 출력하지 않습니다."""

    def __init__(self, ok: bool):
        self.ok = ok

    def __bool__(self):
        return self.ok

    def __repr__(self):
        return f"Result(ok={self.ok})"

    def _ipython_display_(self):  # 메시지는 이미 출력했으므로 True/False를 다시 보이지 않음
        pass


def grade(name: str, answer: Any, **context) -> Optional[str]:
    """출력 없이 채점만 합니다. 맞으면 None, 빈칸이면 NOT_YET, 틀리면 힌트(str)."""
    if name not in EXERCISES:
        raise KeyError(f"없는 연습 문제입니다: {name!r} (unknown exercise); 있는 것: {', '.join(EXERCISES)}")
    if _is_blank(answer):
        return NOT_YET
    try:
        return EXERCISES[name].grade(answer, **context)
    except _Untouched:
        return NOT_YET
    except Exception as e:  # 학생 코드의 오류도 힌트로 돌려줍니다 (노트북은 계속 실행)
        return f"실행 중 오류가 났습니다: {type(e).__name__}: {e}"


def check(name: str, answer: Any, run: Optional[Callable[[], Any]] = None, **context) -> Result:
    """답을 확인하고 결과를 한국어로 출력합니다. 맞으면 참(Result), 아니면 거짓.

    run: 예측 문제의 실험. 답이 빈칸이 아닐 때만 실행합니다(예측 전에 결과가 보이지 않게).
    context: 노트북에서 잰 값 등 채점에 필요한 것 (예: measured=...).
    """
    hint = grade(name, answer, **context)
    if hint == NOT_YET:
        print(f"문제 {name}: {NOT_YET}. 빈칸 `...`을 채운 뒤 이 셀을 다시 실행하세요.")
        return Result(False)
    if run is not None:
        run()
    if hint is None:
        print(f"문제 {name}: 맞았습니다! ✅")
        return Result(True)
    print(f"문제 {name}: 아직 아닙니다. 힌트: {hint}")
    return Result(False)


def solution(name: str):
    """풀이(정답 예시와 설명)를 보여 줍니다. 먼저 스스로 풀어 보세요."""
    ex = EXERCISES[name]
    text = f"**문제 {name} 풀이**\n\n```python\n{ex.solution}\n```\n"
    if ex.explanation:
        text += f"\n{ex.explanation}\n"
    try:
        from IPython import get_ipython
        from IPython.display import Markdown, display
    except ImportError:
        get_ipython = None
    if get_ipython is not None and get_ipython() is not None:   # 노트북: 코드 강조가 된 마크다운으로
        display(Markdown(text))
    else:
        print(text)


def reference(name: str, **namespace):
    """풀이 코드를 실행해 정답 예시의 값을 돌려줍니다(테스트용)."""
    ex = EXERCISES[name]
    ns = {"torch": torch, "math": math, "nn": nn, "F": F, **namespace}
    exec(ex.solution, ns)
    return ns[ex.answer]


def _close(got: float, want: float, rel: float = 0.02) -> bool:
    return abs(got - want) <= rel * abs(want)


def _gen(seed=0):
    return torch.Generator().manual_seed(seed)


def _judge_number(v: float, want: float, misses=(), otherwise: str = "", rel: float = 0.0,
                  miss_rel: Optional[float] = None) -> Optional[str]:
    """숫자 답 채점: want와 같으면(상대 오차 rel 안) None, 흔한 오답이면 그 힌트, 아니면 otherwise.

    misses: (오답 값 또는 오답 값들의 튜플, 힌트)의 목록, 위에서부터 봅니다.
    오답은 상대 오차 miss_rel 안에서 비교합니다 (없으면 rel과 같게, 0이면 정확히 같은 값만).
    """
    if _close(v, want, rel):
        return None
    miss_rel = rel if miss_rel is None else miss_rel
    for values, hint in misses:
        if any(_close(v, w, miss_rel) for w in (values if isinstance(values, tuple) else (values,))):
            return hint
    return otherwise


def _judge_shapes(prediction, ask: str, *parts) -> Optional[str]:
    """모양 두 개를 적는 예측 채점. 두 개가 아니면 ask.

    parts: 모양마다 (정답 모양, 흔한 오답 모양, 그 오답의 힌트, 그 밖의 힌트); 앞의 것부터 봅니다.
    """
    if not (isinstance(prediction, (tuple, list)) and len(prediction) == 2):
        return ask
    shapes = [_shape(p) for p in prediction]
    for got, (want, miss, miss_hint, otherwise) in zip(shapes, parts):
        if got != want:
            return miss_hint if got == miss else otherwise
    return None


def _one_index(got, many: str, not_index: str):
    """번호 하나(정수)여야 하는 답: (번호, None) 또는 (None, 힌트). 원소 하나인 텐서도 받습니다."""
    if isinstance(got, torch.Tensor):
        if got.numel() != 1:
            return None, many
        got = got.item()
    if isinstance(got, float) and not got.is_integer():
        return None, not_index
    return int(got), None


# 장 파일들이 문제를 EXERCISES에 등록합니다 (위의 도구를 쓰므로 맨 끝에서 불러옵니다).
from . import ch00_03, ch04_07, ch08_11  # noqa: E402,F401
