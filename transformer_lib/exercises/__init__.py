"""연습 문제 채점기: 각 장 끝의 연습 문제를 확인하고, 틀리면 답을 알려 주지 않는 힌트를 줍니다.

노트북에서 쓰는 법::

    from transformer_lib import exercises
    exercises.check("02.2", my_attention)          # 직접 짠 코드를 확인
    exercises.check("02.1", prediction, run=실험)   # 예측을 적은 뒤 실험을 돌려 비교 (예측 → 실행)
    exercises.solution("02.2")                      # 스스로 풀어 본 뒤에 풀이 보기

- 손대지 않은 빈칸(``...``, ``None``, 본문이 ``...``뿐인 함수)은 오류 없이 "아직 풀지 않았습니다"라고만 알립니다.
  그래서 빈칸이 그대로인 노트북도 처음부터 끝까지 실행됩니다.
- ``run``(실험)은 예측을 적은 뒤에만 실행됩니다. 예측 전에 실험 결과가 보이지 않게 하기 위해서입니다.
- 풀이(정답 예시)는 이 파일에만 있습니다. 책 사이트에서는 접힌 "풀이 보기" 아래에, Colab에서는 ``solution()``으로 봅니다.

채점 함수는 맞으면 None, 틀리면 힌트(str)를 돌려줍니다. 힌트에는 정답을 적지 않습니다.
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


# ───────────────────────────── 0장: 왜 어텐션인가 ─────────────────────────────

@_exercise("00.1", "예측", "prediction", """
prediction = math.floor(math.log(1e-3) / math.log(0.9)) + 1   # ρ^k < 10⁻³  ⇔  k > log 10⁻³ / log ρ
""", "$\\lVert W^k \\rVert_2 = \\rho^k$ 이므로 양변에 로그를 취합니다. $\\log \\rho < 0$ 이라 나눌 때 부등호 방향이 바뀝니다.")
def _g001(prediction):
    k = _number(prediction)
    want = math.floor(math.log(1e-3) / math.log(0.9)) + 1
    if k == want:
        return None
    if abs(k - want) <= 2:
        return "거의 맞았습니다. '처음으로' 10⁻³보다 작아지는 거리인지, 부등호의 경계를 다시 보세요."
    if k < want:
        return "너무 짧습니다. ρ = 0.9는 1에 가까워서 생각보다 천천히 줄어듭니다. ρ^k = 10⁻³을 로그로 풀어 보세요."
    return "너무 깁니다. 한 스텝마다 0.9배씩 곱해지면 얼마 만에 천분의 일이 되는지 로그로 풀어 보세요."


@_exercise("00.2", "코드", "bahdanau_context", """
def bahdanau_context(H, e):
    alpha = torch.exp(e) / torch.exp(e).sum()   # 에너지 → 가중치 (합이 1)
    context = alpha @ H                         # 인코더 상태의 가중합
    return alpha, context
""")
def _g002(f):
    g = _gen(2)
    H, e = torch.randn(5, 3, generator=g), torch.randn(5, generator=g) * 2
    out = _call(f, H, e)
    if not (isinstance(out, tuple) and len(out) == 2):
        return "(alpha, context) 두 개를 튜플로 돌려주세요."
    alpha, context = out
    hint = _tensor_like(alpha, torch.softmax(e, 0), "alpha")
    if hint:
        if isinstance(alpha, torch.Tensor) and alpha.shape == e.shape and not torch.isclose(alpha.sum(), torch.tensor(1.0)):
            return "가중치 alpha의 합이 1이 아닙니다. 지수를 취한 뒤 무엇으로 나눠야 할까요?"
        return hint
    hint = _tensor_like(context, torch.softmax(e, 0) @ H, "context")
    if hint:
        if isinstance(context, torch.Tensor) and torch.allclose(context, H.mean(0)):
            return "context가 인코더 상태의 단순 평균입니다. 가중치 alpha를 써서 더해야 합니다."
        return hint + " context는 인코더 상태 H의 행들을 alpha로 가중합한 벡터입니다."
    return None


@_exercise("00.3", "코드", "backward_half", """
def backward_half(out_bi, H):
    return out_bi[..., H:]     # 마지막 축의 뒤쪽 H개가 역방향 은닉 상태
""", "`nn.RNN(bidirectional=True)`의 출력은 마지막 축에 [정방향, 역방향]을 이어 붙이고, 시간 순서는 둘 다 원래 입력 순서입니다.")
def _g003(f):
    torch.manual_seed(3)
    H = 4
    rnn = nn.RNN(3, H, batch_first=True, bidirectional=True)
    with torch.no_grad():
        out, _ = rnn(torch.randn(2, 6, 3))
        got = _call(f, out, H)
    if isinstance(got, torch.Tensor) and got.shape == out[..., :H].shape and torch.allclose(got, out[..., :H]):
        return "그것은 정방향 절반입니다. 두 방향이 마지막 축에 어떤 순서로 이어 붙는지 보세요."
    if isinstance(got, torch.Tensor) and got.shape == out[..., H:].shape and torch.allclose(got, out[..., H:].flip(1)):
        return "시간 축을 뒤집을 필요가 없습니다. 출력은 두 방향 모두 원래 입력 순서로 놓여 있습니다."
    return _tensor_like(got, out[..., H:], "역방향 절반")


# ───────────────────────────── 1장: 셀프 어텐션 ─────────────────────────────

@_exercise("01.1", "코드", "unit_self_attention", """
def unit_self_attention(X):
    Xn = X / X.norm(dim=-1, keepdim=True)      # 행마다 길이 1로
    return torch.softmax(Xn @ Xn.T, dim=-1)    # Q = K = Xn, 행(쿼리)마다 소프트맥스
""", "길이가 1인 벡터끼리의 내적은 코사인 유사도라 자기 자신과의 내적(1)이 가장 큽니다. 그래서 모든 쿼리가 자기 자신을 1등으로 봅니다.")
def _g011(f):
    g = _gen(11)
    X = torch.randn(6, 16, generator=g) * (torch.rand(6, 1, generator=g) * 5 + 0.2)
    got = _call(f, X)
    if not isinstance(got, torch.Tensor) or got.shape != (6, 6):
        return "결과는 (T, T) = (6, 6) 가중치 행렬이어야 합니다."
    if not torch.allclose(got.sum(-1), torch.ones(6), atol=1e-5):
        return "각 행(쿼리 하나)의 가중치 합이 1이 아닙니다. 소프트맥스를 어느 축으로 했는지 보세요."
    Xn = X / X.norm(dim=-1, keepdim=True)
    if torch.allclose(got, torch.softmax(X @ X.T, -1), atol=1e-5):
        return "행의 길이를 1로 맞추지 않았습니다. 길이가 긴 벡터가 점수를 독차지합니다."
    return _tensor_like(got, torch.softmax(Xn @ Xn.T, -1), "가중치")


@_exercise("01.2", "예측", "prediction", """
prediction = ((3, 7), (3, 2))   # 가중치 (T_q, T_k), 출력 (T_q, d_v)
""", "가중치는 쿼리마다(행) 키마다(열) 하나씩이고, 출력은 쿼리마다 밸류들의 가중합이라 길이가 $d_v$입니다. $d_k$는 점수를 내는 데만 쓰이고 모양에 남지 않습니다.")
def _g012(prediction):
    if not (isinstance(prediction, (tuple, list)) and len(prediction) == 2):
        return "(가중치의 모양, 출력의 모양) 두 개를 적으세요. 예: ((1, 2), (3, 4))"
    w, o = _shape(prediction[0]), _shape(prediction[1])
    if w != (3, 7):
        if w == (7, 3):
            return "가중치의 행과 열이 바뀌었습니다. 행은 쿼리 하나, 열은 키 하나입니다."
        return "가중치의 모양이 다릅니다. 쿼리 하나가 키 하나마다 가중치를 하나씩 받습니다."
    if o != (3, 2):
        if o == (3, 5):
            return "출력의 길이는 d_k가 아닙니다. 출력은 무엇들의 가중합인가요?"
        return "출력의 모양이 다릅니다. 출력은 쿼리마다 하나씩, 밸류들의 가중합입니다."
    return None


@_exercise("01.3", "예측", "prediction", """
prediction = 1 / 4     # 점수가 모두 같으면 exp도 모두 같아, 키 4개에 고르게 1/4씩
""", "점수가 모두 같으면 소프트맥스는 균등 분포가 되고, 출력은 밸류들의 평균이 됩니다.")
def _g013(prediction):
    p = _number(prediction)
    if _close(p, 0.25, 1e-3):
        return None
    if p == 0:
        return "점수가 0이어도 exp(0)은 0이 아닙니다."
    if p == 1:
        return "가중치 네 개의 합이 1이어야 합니다."
    return "점수가 모두 같을 때 소프트맥스가 어떤 분포가 되는지 생각해 보세요."


# ───────────────────────────── 2장: 스케일드 닷프로덕트 어텐션 ─────────────────────────────

@_exercise("02.1", "예측", "prediction", """
prediction = 2.0**4 * 32    # 한 항 q_i·k_i의 분산 = E[q_i²]·E[k_i²] = σ²·σ², 그런 항이 d_k개: σ⁴·d_k
""")
def _g021(prediction):
    v = _number(prediction)
    if _close(v, 16 * 32, 0.03):
        return None
    if _close(v, 4 * 32, 0.03):
        return "σ²가 한 번만 곱해졌습니다. 한 항 q_i·k_i의 분산에는 q_i의 분산과 k_i의 분산이 모두 들어갑니다."
    if _close(v, 32, 0.03):
        return "σ = 1일 때의 값입니다. 성분이 σ배가 되면 q·k는 몇 배가 될까요?"
    return "2.3절의 유도를 따라가 보세요: 한 항의 분산을 구하고, 독립인 항 d_k개를 더합니다."


@_exercise("02.2", "코드", "my_attention", """
def my_attention(q, k, v):
    scores = q @ k.transpose(-2, -1) / math.sqrt(q.shape[-1])   # ÷√d_k
    weights = torch.softmax(scores, dim=-1)
    return weights @ v, weights
""")
def _g022(f):
    from .attention import scaled_dot_product_attention
    g = _gen(22)
    q, k, v = torch.randn(2, 5, 32, generator=g), torch.randn(2, 7, 32, generator=g), torch.randn(2, 7, 3, generator=g)
    out = _call(f, q, k, v)
    if not (isinstance(out, tuple) and len(out) == 2):
        return "(출력, 가중치) 두 개를 돌려주세요."
    want_out, want_w = scaled_dot_product_attention(q, k, v)
    w = out[1]
    raw = q @ k.transpose(-2, -1)
    if isinstance(w, torch.Tensor) and w.shape == want_w.shape:
        if torch.allclose(w, torch.softmax(raw, -1), atol=1e-5):
            return "점수를 나누지 않았습니다. 점수의 분산이 d_k에 비례해 커지는 것을 막아야 합니다."
        if torch.allclose(w, torch.softmax(raw / 32, -1), atol=1e-5):
            return "너무 많이 나눴습니다. 표준편차를 1로 맞추려면 무엇으로 나눠야 할까요?"
        if torch.allclose(w, torch.softmax(raw / math.sqrt(7), -1), atol=1e-5):
            return "키의 개수로 나눴습니다. d_k는 쿼리·키 벡터의 길이(마지막 축)입니다."
    return _tensor_like(w, want_w, "가중치") or _tensor_like(out[0], want_out, "출력")


@_exercise("02.3", "코드", "softmax_jacobian", """
def softmax_jacobian(a):
    return torch.diag(a) - torch.outer(a, a)     # J = diag(a) − a aᵀ
""")
def _g023(f):
    s = torch.tensor([0.3, -1.2, 2.0, 0.5])
    a = torch.softmax(s, -1)
    J = _call(f, a)
    want = torch.autograd.functional.jacobian(lambda x: torch.softmax(x, dim=-1), s)
    if isinstance(J, torch.Tensor) and J.shape == want.shape:
        if torch.allclose(J, -want, atol=1e-6):
            return "부호가 반대입니다. a_i가 자기 점수 s_i를 올리면 커져야 합니다(대각선이 양수)."
        if torch.allclose(J, torch.diag(a), atol=1e-6):
            return "대각선만 있습니다. 한 점수를 올리면 다른 가중치들은 어떻게 될까요?"
    if isinstance(J, torch.Tensor) and J.shape == (4,):
        return "결과는 (n, n) 행렬이어야 합니다. a a^T는 바깥곱(outer product)입니다."
    return _tensor_like(J, want, "야코비 행렬")


# ───────────────────────────── 3장: 멀티헤드 어텐션 ─────────────────────────────

@_exercise("03.1", "예측", "prediction", """
prediction = 4 * (64 * 64 + 64)   # W_q, W_k, W_v, W_o 네 개 × (가중치 64×64 + 편향 64), 헤드 수와 무관
""", "헤드는 $d_{model}$ 차원을 나눠 쓸 뿐 행렬을 새로 만들지 않으므로, 파라미터 수는 $h$와 무관합니다.")
def _g031(prediction):
    n = _number(prediction)
    want = 4 * (64 * 64 + 64)
    if n == want:
        return None
    if n == 4 * 64 * 64:
        return "가중치만 셌습니다. nn.Linear에는 무엇이 더 있나요?"
    if n == 3 * (64 * 64 + 64):
        return "투영이 셋만 셌습니다. 헤드들의 출력을 섞는 행렬도 있습니다."
    if n in (want * 4, want // 4):
        return "헤드 수를 곱하거나 나눴나요? 헤드는 같은 행렬을 조각으로 나눠 쓸 뿐입니다."
    return "투영 행렬이 몇 개이고 각각 몇 × 몇인지, 편향까지 세어 보세요."


@_exercise("03.2", "코드", "split_heads", """
def split_heads(x, h):
    B, T, d_model = x.shape
    return x.view(B, T, h, d_model // h).transpose(1, 2)    # (B, T, h, d_k) → (B, h, T, d_k)
""", "먼저 마지막 축 $d_{model}$을 $h \\times d_k$로 나누고, 그다음 헤드 축을 앞으로 옮깁니다. `view`로 바로 `(B, h, T, d_k)`를 만들면 모양은 맞아도 한 헤드에 여러 토큰의 값이 섞입니다.")
def _g032(f):
    g = _gen(32)
    x = torch.randn(2, 5, 12, generator=g)
    got = _call(f, x, 3)
    want = x.view(2, 5, 3, 4).transpose(1, 2)
    if isinstance(got, torch.Tensor):
        if got.shape == (2, 5, 3, 4):
            return "모양이 (B, T, h, d_k)입니다. 어텐션은 헤드마다 (T, d_k)를 다뤄야 하니 축 순서를 바꿔야 합니다."
        if got.shape == want.shape and not torch.allclose(got, want):
            return "모양은 맞지만 값이 섞였습니다. 헤드 하나는 각 토큰의 특징 d_model개 중 한 조각을 가져야 합니다."
    return _tensor_like(got, want, "나눈 텐서")


@_exercise("03.3", "코드", "wo_columns", """
def wo_columns(W_o, i, d_k):
    cols = slice(i * d_k, (i + 1) * d_k)      # W_o의 입력이 이어 붙인 헤드 출력이므로, 헤드 i의 몫은 열
    return W_o.weight[:, cols]                # (d_model, d_k)
""", "`W_q`, `W_k`, `W_v`에서는 헤드가 **출력** 쪽(행)을 나눠 갖지만, `W_o`에서는 이어 붙인 헤드 출력이 **입력**이므로 헤드 $i$의 몫은 열입니다. 그래서 $\\text{concat} \\, W_O^\\top = \\sum_i \\text{head}_i \\, (W_i^O)^\\top$.")
def _g033(f):
    torch.manual_seed(33)
    W_o = nn.Linear(8, 8)
    heads = torch.randn(3, 4, 2)                          # 헤드 4개, d_k = 2: 이어 붙이면 (3, 8)
    concat = heads.reshape(3, 8)
    with torch.no_grad():
        cols = [_call(f, W_o, i, 2) for i in range(4)]
        if not all(isinstance(c, torch.Tensor) for c in cols):
            return "가중치 조각(텐서)을 돌려주세요."
        if cols[0].shape == (2, 8):
            return "행을 잘랐습니다. W_o에 들어가는 것(입력)이 이어 붙인 헤드 출력이라는 점을 떠올려 보세요."
        if cols[0].shape != (8, 2):
            return f"조각의 모양은 (d_model, d_k)여야 합니다; 받은 모양 {tuple(cols[0].shape)}"
        total = sum(heads[:, i] @ cols[i].T for i in range(4)) + W_o.bias
        if not torch.allclose(total, W_o(concat), atol=1e-5):
            return "헤드별 기여를 더한 것이 W_o(concat)과 다릅니다. 헤드 i의 몫은 어디서 시작하나요(0부터 셈)?"
    return None


# ───────────────────────────── 4장: 위치 인코딩 ─────────────────────────────

@_exercise("04.1", "코드", "pe_column", """
def pe_column(j, max_len, d_model):
    pos = torch.arange(max_len, dtype=torch.float64)
    i = j // 2                                          # 열 2i는 sin, 열 2i+1은 cos (같은 주파수)
    angle = pos / 10000 ** (2 * i / d_model)
    return torch.sin(angle) if j % 2 == 0 else torch.cos(angle)
""")
def _g041(f):
    from .positional import sinusoidal_positional_encoding
    pe = sinusoidal_positional_encoding(40, 16).double()
    for j in (0, 1, 6, 7, 15):
        got = _call(f, j, 40, 16)
        if not isinstance(got, torch.Tensor) or got.shape != (40,):
            return "결과는 위치마다 값 하나인 (max_len,) 모양의 열이어야 합니다."
        got = got.double()
        if torch.allclose(got, pe[:, j], atol=1e-5):
            continue
        if j % 2 == 1 and torch.allclose(got, pe[:, j - 1], atol=1e-5):
            return f"열 {j}(홀수)에 sin을 썼습니다. 짝수 열과 홀수 열에 각각 무엇을 쓰나요?"
        if j % 2 == 0 and j + 1 < 16 and torch.allclose(got, pe[:, j + 1], atol=1e-5):
            return f"열 {j}(짝수)에 cos을 썼습니다. 짝수 열과 홀수 열에 각각 무엇을 쓰나요?"
        return f"열 {j}의 값이 다릅니다. 홀수 열과 그 앞의 짝수 열은 같은 차원 쌍 i(같은 파장)를 씁니다. 지수 2i/d_model의 i가 맞는지 보세요."
    return None


@_exercise("04.2", "예측", "prediction", """
prediction = 6     # M_3 M_3 PE(pos) = M_3 PE(pos+3) = PE(pos+6): 회전각이 더해진다
""", "$M_k$는 차원 쌍마다 각도 $k\\omega_i$만큼 돌리는 회전이라, 두 번 돌리면 각도가 더해집니다: $M_a M_b = M_{a+b}$.")
def _g042(prediction):
    k = _number(prediction)
    if k == 6:
        return None
    if k == 9:
        return "칸 수가 곱해지지 않습니다. M_3을 한 번 곱하면 3칸, 그 결과에 또 곱하면?"
    return "M_3은 모든 위치를 3칸 옮깁니다. 그것을 두 번 하면 모두 몇 칸일까요?"


@_exercise("04.3", "예측", "prediction", """
prediction = 64 / 2    # 차원 쌍마다 sin² + cos² = 1, 쌍이 d_model/2개
""", "어느 위치든 길이가 같으므로, 위치 인코딩을 더해도 어떤 위치가 더 '세게' 들어가지 않습니다.")
def _g043(prediction):
    v = _number(prediction)
    if _close(v, 32, 1e-3):
        return None
    if _close(v, 64, 1e-3):
        return "성분 하나하나가 1이 아닙니다. 한 쌍(sin, cos)의 제곱합을 먼저 구해 보세요."
    if _close(v, 1, 1e-3):
        return "PE 벡터는 길이 1로 정규화되어 있지 않습니다. 쌍이 몇 개인지 세어 보세요."
    return "위치마다 다를 것 같나요? sin²θ + cos²θ를 떠올려 보세요."


# ───────────────────────────── 5장: 마스킹 ─────────────────────────────

@_exercise("05.1", "코드", "window_mask", """
def window_mask(T, w):
    i = torch.arange(T)[:, None]          # 쿼리 (행)
    j = torch.arange(T)[None, :]          # 키 (열)
    return (j <= i) & (i - j < w)         # 미래는 가리고, 자기 자신 포함 최근 w개만
""")
def _g051(f):
    i, j = torch.arange(7)[:, None], torch.arange(7)[None, :]
    want = (j <= i) & (i - j < 3)
    got = _call(f, 7, 3)
    if not isinstance(got, torch.Tensor) or got.shape != (7, 7):
        return "결과는 (T, T) 모양이어야 합니다."
    if got.dtype != torch.bool:
        return "마스크는 불리언(True = 참여)이어야 합니다."
    if torch.equal(got, j <= i):
        return "룩어헤드 마스크와 같습니다. 창 밖의 먼 과거도 가려야 합니다."
    if torch.equal(got, (i - j).abs() < 3):
        return "미래 쪽도 열려 있습니다. 창은 자기 자신과 그 앞쪽만입니다."
    if torch.equal(got, (j <= i) & (i - j <= 3)):
        return "창이 한 칸 넓습니다. 자기 자신을 포함해 w개입니다."
    if not torch.equal(got, want):
        return "T = 7, w = 3에서 틀린 칸이 있습니다. 행 = 쿼리, 열 = 키로 몇 줄을 직접 그려 보세요."
    if not torch.equal(_call(f, 5, 5), torch.ones(5, 5, dtype=torch.bool).tril()):
        return "w = T이면 룩어헤드 마스크와 같아야 합니다."
    return None


@_exercise("05.2", "코드", "to_torch_mha_mask", """
def to_torch_mha_mask(mask):
    return ~mask          # 이 책: True = 참여 → nn.MultiheadAttention: True = 가림
""", "float 마스크로 바꿔도 됩니다: `torch.zeros(mask.shape).masked_fill(~mask, float('-inf'))` (점수에 더해지는 값).")
def _g052(f):
    i, j = torch.arange(5)[:, None], torch.arange(5)[None, :]
    mask = (j <= i) & (i - j < 2)
    got = _call(f, mask)
    if not isinstance(got, torch.Tensor) or got.shape != mask.shape:
        return "마스크와 같은 모양의 텐서를 돌려주세요."
    if got.dtype == torch.bool:
        if torch.equal(got, mask):
            return "그대로 넘겼습니다. 두 라이브러리에서 True의 뜻이 같은가요?"
        return None if torch.equal(got, ~mask) else "가리는 칸이 맞지 않습니다."
    # float 마스크는 점수에 더해집니다: 참여 칸 0, 가린 칸 -inf (또는 아주 큰 음수)
    if bool((got[mask] == 0).all()) and bool((got[~mask] < -1e4).all()):
        return None
    return "float 마스크는 점수에 '더해지는' 값입니다. 0과 1을 더해서는 아무것도 가려지지 않습니다."


@_exercise("05.3", "예측", "prediction", """
prediction = 3     # 앞쪽 <pad> 쿼리 p개는 자기와 그 앞(모두 <pad>)만 볼 수 있어 행 전체가 가려짐
""")
def _g053(prediction):
    n = _number(prediction)
    if n == 3:
        return None
    if n == 0:
        return "맨 앞 쿼리가 룩어헤드 마스크로 볼 수 있는 키는 무엇이고, 그것은 패딩 마스크에서 어떻게 되나요?"
    if n == 6:
        return "뒤쪽의 진짜 토큰들은 자기 자신을 볼 수 있습니다."
    return "행 하나씩, '볼 수 있는 키가 하나라도 남는가'를 따져 보세요."


# ───────────────────────────── 6장: 인코더 블록 ─────────────────────────────

@_exercise("06.1", "예측", "prediction", """
prediction = 2 * 512 * 2048 + 2048 + 512   # W1 (512×2048) + b1 (2048) + W2 (2048×512) + b2 (512)
""")
def _g061(prediction):
    n = _number(prediction)
    want = 2 * 512 * 2048 + 2048 + 512
    if n == want:
        return None
    if n == 2 * 512 * 2048:
        return "가중치만 셌습니다. 두 nn.Linear의 편향은 길이가 각각 얼마인가요?"
    if n in (512 * 2048, 512 * 2048 + 2048):
        return "nn.Linear가 하나뿐인가요? FFN은 넓혔다가 다시 좁힙니다."
    return "두 nn.Linear의 가중치 모양과 편향 길이를 적고 더해 보세요."


@_exercise("06.2", "코드", "layer_norm_by_hand", """
def layer_norm_by_hand(x, eps=1e-5):
    mean = x.mean(dim=-1, keepdim=True)                  # 토큰 하나의 특징 d개 = 마지막 축
    var = x.var(dim=-1, keepdim=True, unbiased=False)
    return (x - mean) / torch.sqrt(var + eps)
""")
def _g062(f):
    g = _gen(62)
    x = torch.randn(4, 7, 10, generator=g) * 3 + 1
    got = _call(f, x)
    want = F.layer_norm(x, (10,))
    if isinstance(got, torch.Tensor) and got.shape == want.shape and not torch.allclose(got, want, atol=1e-4):
        if torch.allclose(got.mean(-1), torch.zeros(4, 7), atol=1e-4):
            return "평균은 맞게 뺐습니다. 분산을 n으로 나눴는지(unbiased=False) 보세요."
        return "평균과 분산을 낸 축이 다릅니다. 층 정규화는 토큰 하나의 특징들로만 통계를 냅니다(다른 토큰·문장과 무관)."
    return _tensor_like(got, want, "정규화 결과")


@_exercise("06.3", "코드", "make_skip", """
def make_skip(d_in, d_out):
    return nn.Linear(d_in, d_out, bias=False)    # 잔차 경로에서 길이만 맞추는 선형 투영
""")
def _g063(f):
    torch.manual_seed(63)
    m = _call(f, 16, 24)
    if not isinstance(m, nn.Module):
        return "nn.Module(층)을 돌려주세요."
    a, b = torch.randn(2, 5, 16), torch.randn(2, 5, 16)
    with torch.no_grad():
        ya = m(a)
        if tuple(ya.shape) != (2, 5, 24):
            return f"지름길의 출력 모양이 {tuple(ya.shape)}입니다. 부분층의 출력 (…, 24)와 더할 수 있어야 합니다."
        if not torch.allclose(m(a + b), ya + m(b), atol=1e-5) or not torch.allclose(m(2 * a), 2 * ya, atol=1e-5):
            return "지름길이 선형이 아닙니다. 활성화 함수가 끼면 지름길의 장점(기울기가 그대로 흐름)이 사라집니다."
    return None


# ───────────────────────────── 7장: 디코더 ─────────────────────────────

@_exercise("07.1", "예측", "prediction", """
prediction = ((2, 8, 6, 9), (2, 6, 64))   # 크로스 어텐션 (B, h, T_tgt, S_src), 출력 (B, T_tgt, d_model)
""", "크로스 어텐션의 쿼리는 번역문(디코더), 키·밸류는 원문(메모리)입니다. 출력은 쿼리마다 하나이므로 원문 길이와 무관합니다.")
def _g071(prediction):
    if not (isinstance(prediction, (tuple, list)) and len(prediction) == 2):
        return "(크로스 어텐션 가중치의 모양, 층 출력의 모양) 두 개를 적으세요."
    w, o = _shape(prediction[0]), _shape(prediction[1])
    if w != (2, 8, 6, 9):
        if w == (2, 8, 9, 6):
            return "크로스 어텐션의 행(쿼리)과 열(키)이 바뀌었습니다. 쿼리는 어느 쪽에서 오나요?"
        return "크로스 어텐션 가중치의 모양이 다릅니다. (B, h, 쿼리 수, 키 수)입니다."
    if o != (2, 6, 64):
        if o == (2, 9, 64):
            return "층 출력은 쿼리마다 하나입니다. 원문 길이가 출력에 남을까요?"
        return "층 출력의 모양이 다릅니다. 디코더 층은 입력과 같은 모양을 냅니다."
    return None


@_exercise("07.2", "코드", "pick_next", """
def pick_next(logits):
    return logits[0, -1].argmax().item()    # 마지막 위치(-1)에서 가장 큰 로짓의 번호
""")
def _g072(f):
    g = _gen(72)
    logits = torch.randn(1, 4, 10, generator=g)
    logits[0, 0, 3] = 9.0                                  # 첫 위치의 최댓값을 가장 크게 (전체 argmax도 여기)
    logits[0, -1, 7] = 5.5                                 # 마지막 위치에서 고를 토큰
    want = int(logits[0, -1].argmax())
    got = _call(f, logits)
    if isinstance(got, torch.Tensor):
        if got.numel() != 1:
            return "토큰 번호 하나(정수)를 돌려주세요."
        got = got.item()
    if isinstance(got, float) and not got.is_integer():
        return "로짓의 값이 아니라 그 번호(argmax)를 돌려주세요."
    if int(got) == want:
        return None
    if int(got) == int(logits[0, 0].argmax()):
        return "첫 위치의 로짓을 봤습니다. 다음 토큰은 어느 위치의 출력이 예측하나요?"
    if int(got) == int(logits.argmax()):
        return "텐서 전체에서 argmax를 했습니다. 위치 하나를 먼저 고르세요."
    return "다음 토큰은 마지막 위치의 로짓 중 가장 큰 것의 번호입니다."


@_exercise("07.3", "코드", "shift_right", """
def shift_right(tgt, bos):
    start = torch.full((tgt.shape[0], 1), bos, dtype=tgt.dtype)
    return torch.cat([start, tgt[:, :-1]], dim=1)      # <bos> + 정답의 마지막 하나를 뺀 것
""", "위치 $i$의 입력이 $y_{i-1}$이 되어야 위치 $i$의 출력이 $y_i$를 예측합니다(교사 강요). 길이는 그대로입니다.")
def _g073(f):
    tgt = torch.tensor([[5, 6, 7, 2], [8, 9, 2, 0]])
    want = torch.tensor([[1, 5, 6, 7], [1, 8, 9, 2]])
    got = _call(f, tgt, 1)
    if isinstance(got, torch.Tensor):
        if got.shape == (2, 5):
            return "길이가 하나 늘었습니다. 디코더 입력과 정답은 길이가 같아야 위치마다 짝이 맞습니다."
        if got.shape == want.shape and torch.equal(got, tgt):
            return "정답을 그대로 넣으면 위치 i가 자기가 맞혀야 할 토큰을 입력으로 봅니다."
        if got.shape == (2, 3) and torch.equal(got, tgt[:, 1:]):
            return "반대 방향으로 밀었습니다. 디코더 입력은 <bos>로 시작합니다."
    return _tensor_like(got, want, "디코더 입력")


# ───────────────────────────── 8장: 학습 ─────────────────────────────

@_exercise("08.1", "코드", "noam", """
def noam(step, d_model, warmup):
    return d_model ** -0.5 * min(step ** -0.5, step * warmup ** -1.5)
""", "워밍업 동안은 둘째 항(선형 증가)이 작고, 그 뒤에는 첫째 항($1/\\sqrt{step}$)이 작습니다. 두 항은 `step = warmup`에서 만납니다.")
def _g081(f):
    from .training import noam_lr
    for step in (1, 10, 99, 100, 101, 400):
        got = _number(_call(f, step, 64, 100))
        want = noam_lr(step, 64, 100)
        if _close(got, want, 1e-6):
            continue
        if _close(got, want * 64 ** 0.5, 1e-6):
            return "d_model에 따른 배율이 빠졌습니다."
        if step < 100:
            return "워밍업 동안의 값이 다릅니다. 학습률은 처음에 작게 시작해 선형으로 올라가야 합니다."
        return "워밍업이 끝난 뒤의 값이 다릅니다. 그 뒤에는 1/√step으로 줄어야 합니다."
    return None


@_exercise("08.2", "예측", "prediction", """
prediction = (4000, 512 ** -0.5 * 4000 ** -0.5)   # 두 항이 같아지는 step = warmup에서 최대
""")
def _g082(prediction):
    if not (isinstance(prediction, (tuple, list)) and len(prediction) == 2):
        return "(스텝, 학습률) 두 개를 적으세요."
    step, lr = _number(prediction[0]), _number(prediction[1])
    if step != 4000:
        return "가장 큰 스텝이 다릅니다. 학습률이 오르다가 내려가기 시작하는 곳은 어디인가요?"
    if not _close(lr, 512 ** -0.5 * 4000 ** -0.5, 0.05):
        return "스텝은 맞았습니다. 그 스텝을 공식에 넣어 학습률을 계산해 보세요(두 항이 같아집니다)."
    return None


@_exercise("08.3", "코드", "smoothing_floor", """
def smoothing_floor(eps, V):
    q = torch.full((V,), eps / V)      # 스무딩된 정답 분포: 모든 단어에 ε/V
    q[0] += 1 - eps                    # 정답 단어에 1 − ε 더
    return -(q * q.log()).sum().item()  # 예측이 q와 같을 때의 손실 = q의 엔트로피
""", "손실의 바닥은 모델의 예측이 스무딩된 분포 $q$와 똑같을 때의 교차 엔트로피, 곧 $q$의 엔트로피입니다.")
def _g083(f):
    from .training import LabelSmoothingLoss
    for eps, V in ((0.1, 30), (0.2, 50)):
        q = torch.full((1, 1, V), eps / V)
        q[..., 3] += 1 - eps
        want = LabelSmoothingLoss(eps)(q.log(), torch.tensor([[3]])).item()
        got = _number(_call(f, eps, V))
        if _close(got, want, 1e-4):
            continue
        other = torch.full((V,), eps / (V - 1))
        other[0] = 1 - eps
        if _close(got, -(other * other.log()).sum().item(), 1e-4):
            return "ε를 정답이 아닌 V−1개에만 나눴습니다. 이 책의 LabelSmoothingLoss는 ε/V를 정답을 포함한 모든 단어에 줍니다."
        return "손실이 가장 작아지는 것은 예측 분포가 스무딩된 정답 분포와 같을 때입니다. 그때의 교차 엔트로피를 계산해 보세요."
    return None


@_exercise("08.4", "코드", "combine_losses", """
def combine_losses(parts):
    total = sum(loss * n for loss, n in parts)       # 몫의 손실 합 = 평균 × 토큰 수
    return total / sum(n for _, n in parts)          # 전체 토큰 수로 나눔
""")
def _g084(f):
    parts = [(2.0, 30), (1.0, 10)]
    want = (2.0 * 30 + 1.0 * 10) / 40
    got = _number(_call(f, parts))
    if _close(got, want, 1e-6):
        return None
    if _close(got, 1.5, 1e-6):
        return "몫의 손실을 그냥 평균했습니다. 몫마다 토큰 수가 다르면 토큰 하나의 무게가 달라집니다."
    if _close(got, 3.0, 1e-6) or _close(got, 70.0, 1e-6):
        return "합이 아니라 토큰 하나당 평균 손실이어야 합니다."
    return "전체 배치의 손실은 모든 토큰의 손실을 더해 전체 토큰 수로 나눈 값입니다."


# ───────────────────────────── 9장: 어텐션 탐색기 ─────────────────────────────

@_exercise("09.1", "예측", "prediction", """
prediction = "책을"    # "book"을 낼 때 크로스 어텐션은 그 뜻의 원문 토큰을 가장 많이 봅니다
""")
def _g091(prediction, measured: str = "책을"):
    if not isinstance(prediction, str):
        return "한국어 토큰 하나를 문자열로 적으세요, 예: \"나는\""
    if prediction.strip() == measured:
        return None
    if prediction.strip().isascii():
        return "크로스 어텐션의 키는 원문, 곧 한국어 토큰입니다."
    return "실험 결과를 보고, 번역에서 'book'과 짝이 되는 원문 토큰이 무엇인지 생각해 보세요."


@_exercise("09.2", "코드", "most_self_attending_head", """
def most_self_attending_head(maps):
    self_weight = maps.diagonal(dim1=-2, dim2=-1).mean(-1)   # 헤드마다 자기 자신에게 주는 가중치의 평균
    return int(self_weight.argmax())
""")
def _g092(f):
    g = _gen(92)
    maps = torch.softmax(torch.randn(4, 6, 6, generator=g), -1)
    maps[1] = torch.softmax(torch.randn(6, 6, generator=g) + 3 * torch.eye(6), -1)   # 자기 자신을 많이 보는 헤드
    maps[2] = torch.softmax(torch.randn(6, 6, generator=g) * 0.1, -1) * 0.2            # 첫 열(키 0)만 큰 헤드
    maps[2, :, 0] += 0.8
    maps[3] *= 1.5                                                                     # 합이 가장 큰 헤드 (대각선은 보통)
    want = int(maps.diagonal(dim1=-2, dim2=-1).mean(-1).argmax())
    got = _call(f, maps)
    if isinstance(got, torch.Tensor):
        if got.numel() != 1:
            return "헤드 번호 하나를 돌려주세요."
        got = got.item()
    if isinstance(got, float) and not float(got).is_integer():
        return "가중치 값이 아니라 헤드 번호를 돌려주세요."
    if int(got) == want:
        return None
    if int(got) == int(maps.mean((1, 2)).argmax()) or int(got) == int(maps.sum((1, 2)).argmax()):
        return "맵 전체를 평균했습니다. 자기 자신에게 주는 가중치는 맵의 어디에 있나요?"
    return "헤드마다 (쿼리 i → 키 i) 칸들의 평균을 구하고, 가장 큰 헤드의 번호를 고르세요."


@_exercise("09.3", "예측", "prediction", """
prediction = True    # 주어와 동사를 따로따로 배웠다면, 처음 보는 짝도 맞게 번역합니다
""")
def _g093(prediction, measured: bool = True):
    if not isinstance(prediction, bool):
        return "True(맞게 번역한다) 또는 False(틀린다)로 적으세요."
    if prediction == measured:
        return None
    if measured:
        return "모델은 문장을 통째로 외운 것이 아니라, 주어와 동사를 각각 번역하는 법을 배웠습니다."
    return "처음 보는 조합은 모델에게 어려울 수 있습니다. 학습 데이터에서 이 짝이 어떻게 빠졌는지 보세요."


# ───────────────────────────── 11장: 비전 트랜스포머 ─────────────────────────────

@_exercise("11.1", "예측", "prediction", """
prediction = (224 // 16) ** 2 + 1    # 패치 14 × 14개 + [CLS] 1개
""", "채널 수는 토큰 수가 아니라 토큰 하나의 길이($C \\cdot P \\cdot P$)에 들어갑니다.")
def _g111(prediction):
    n = _number(prediction)
    want = (224 // 16) ** 2 + 1
    if n == want:
        return None
    if n == want - 1:
        return "패치 수는 맞았습니다. 인코더 입력 맨 앞에 무엇이 하나 더 붙나요?"
    if n in (3 * (want - 1), 3 * (want - 1) + 1):
        return "채널마다 토큰을 따로 만들지 않습니다. 채널은 토큰 하나의 길이에 들어갑니다."
    if n in (224 // 16, 224 // 16 + 1):
        return "한 변의 패치 수만 셌습니다. 이미지는 가로세로 모두 잘립니다."
    return "224×224 이미지를 16×16 조각으로 자르면 조각이 몇 개인지, 그리고 [CLS]를 생각해 보세요."


@_exercise("11.2", "코드", "my_patchify", """
def my_patchify(x, P):
    return F.unfold(x, kernel_size=P, stride=P).transpose(1, 2)   # (B, C·P·P, N) → (B, N, C·P·P)
""")
def _g112(f):
    from .vit import patchify
    g = _gen(112)
    x = torch.rand(2, 3, 8, 8, generator=g)
    for P in (2, 4):
        got = _call(f, x, P)
        want = patchify(x, P)
        if isinstance(got, torch.Tensor):
            if got.shape == want.shape[:1] + want.shape[1:][::-1]:
                return "모양이 (B, C·P·P, N)입니다. 트랜스포머에는 패치(토큰)가 둘째 축에 와야 합니다."
            if got.shape == want.shape and not torch.allclose(got, want):
                return "모양은 맞지만 값이 섞였습니다. 축을 바꾸는 것과 모양만 바꾸는 것(reshape)은 다릅니다."
            if got.shape[1] != want.shape[1]:
                return f"P = {P}에서 패치 수가 다릅니다. 패치끼리 겹치지 않게 자르려면 보폭(stride)이 얼마여야 하나요?"
        hint = _tensor_like(got, want, "패치")
        if hint:
            return hint
    return None


@_exercise("11.3", "예측", "prediction", """
prediction = 0    # 위치 정보가 없으면 패치 순서를 바꿔도 [CLS]의 출력은 같음 (순열 불변)
""", "위치 인코딩이 없으면 인코더는 순열 등변이고, [CLS]는 자리가 그대로이므로 그 출력은 패치 순서와 무관합니다.")
def _g113(prediction, measured: int = 0):
    n = _number(prediction)
    if n == measured:
        return None
    if n > measured:
        return "위치 인코딩이 없는 모델에게 패치 순서는 보이는 정보일까요? 11.11절의 논리를 다시 보세요."
    return "실험 결과와 다릅니다. 모델이 패치의 자리를 알 수 있는지 생각해 보세요."


# ───────────────────────────── 10장: 논문은 무엇을 보였나 ─────────────────────────────

@_exercise("10.1", "예측", "prediction", """
prediction = 2 * 512    # 2(4nd² + 2n²d) = 2·8nd²  →  4n²d = 8nd²  →  n = 2d
""", "두 식이 같아지는 $n$을 풀면 $n = 2d$입니다. 문장이 $d_{model}$의 두 배보다 짧으면 셀프 어텐션 층이 더 쌉니다.")
def _g101(prediction):
    n = _number(prediction)
    if abs(n - 1024) <= 1:
        return None
    if n == 512:
        return "n = d에서는 아직 어텐션이 더 쌉니다. 두 식을 같게 놓고 n에 대해 풀어 보세요."
    if n < 1024:
        return "너무 짧습니다. n²d 항이 8nd²에서 4nd²를 뺀 만큼을 따라잡아야 합니다."
    return "너무 깁니다. 두 식을 같게 놓고 양변을 2nd로 나눠 보세요."


@_exercise("10.2", "코드", "rope_rotate", """
def rope_rotate(x, m, base=10000.0):
    d = x.shape[-1]
    theta = base ** (-torch.arange(0, d, 2, dtype=torch.float64) / d)   # (d/2,)
    x1, x2 = x[: d // 2].double(), x[d // 2:].double()
    c, s = torch.cos(m * theta), torch.sin(m * theta)                  # 위치 m에 비례하는 각도
    return torch.cat([x1 * c - x2 * s, x1 * s + x2 * c])              # 짝마다 2차원 회전
""")
def _g102(f):
    from .positional import RotaryEmbedding
    g = _gen(102)
    x = torch.randn(8, generator=g)
    rope = RotaryEmbedding(8, max_len=16)
    table = rope(x.expand(16, 8))
    for m in (0, 1, 5):
        got = _call(f, x, m)
        if not isinstance(got, torch.Tensor) or got.shape != (8,):
            return "결과는 x와 같은 모양 (d,)이어야 합니다."
        got = got.double()
        want = table[m].double()
        if torch.allclose(got, want, atol=1e-5):
            continue
        if m > 0 and torch.allclose(got, rope(x.expand(16, 8))[1].double(), atol=1e-5):
            return "각도가 위치에 비례하지 않습니다. 위치 m에서는 각도가 몇 배인가요?"
        if m > 0 and torch.allclose(got.norm(), x.double().norm(), atol=1e-4):
            return f"위치 {m}에서 값이 다릅니다(길이는 그대로이니 회전은 맞습니다). 회전 방향과, 어느 두 차원을 짝지었는지 보세요."
        return f"위치 {m}에서 값이 다릅니다. 회전은 벡터의 길이를 바꾸지 않아야 하고, m = 0이면 그대로여야 합니다."
    return None


@_exercise("10.3", "예측", "prediction", """
prediction = (True, False)    # 차이가 2로 같으면 같은 점수, 차이가 2와 1이면 다른 점수
""", "RoPE에서 $\\langle R(m)q, R(n)k \\rangle = \\langle q, R(n-m)k \\rangle$이므로 점수는 위치의 차이 $m - n$에만 달려 있습니다.")
def _g103(prediction):
    if not (isinstance(prediction, (tuple, list)) and len(prediction) == 2
            and all(isinstance(v, bool) for v in prediction)):
        return "(True 또는 False, True 또는 False) 두 개를 적으세요."
    same, diff = prediction
    if not same:
        return "score(3, 1)과 score(10, 8)에서 두 위치의 차이를 비교해 보세요."
    if diff:
        return "점수가 위치에 전혀 달려 있지 않다면 위치 정보가 없는 셈입니다. score(3, 2)의 위치 차이는?"
    return None
