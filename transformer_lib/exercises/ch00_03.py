"""연습 문제 0–3장: 왜 어텐션인가, 셀프 어텐션, 스케일드 닷프로덕트 어텐션, 멀티헤드 어텐션.

불러오면 문제가 ``transformer_lib.exercises.EXERCISES``에 등록됩니다 (채점의 틀과 도우미는 ``__init__.py``).
풀이 문자열은 ``reference()``가 torch·math·nn·F를 넣어 실행합니다.
"""
import math

import torch
from torch import nn

from . import _call, _exercise, _gen, _judge_number, _judge_shapes, _number, _tensor_like

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
    return _judge_shapes(
        prediction, "(가중치의 모양, 출력의 모양) 두 개를 적으세요. 예: ((1, 2), (3, 4))",
        ((3, 7), (7, 3), "가중치의 행과 열이 바뀌었습니다. 행은 쿼리 하나, 열은 키 하나입니다.",
         "가중치의 모양이 다릅니다. 쿼리 하나가 키 하나마다 가중치를 하나씩 받습니다."),
        ((3, 2), (3, 5), "출력의 길이는 d_k가 아닙니다. 출력은 무엇들의 가중합인가요?",
         "출력의 모양이 다릅니다. 출력은 쿼리마다 하나씩, 밸류들의 가중합입니다."))


@_exercise("01.3", "예측", "prediction", """
prediction = 1 / 4     # 점수가 모두 같으면 exp도 모두 같아, 키 4개에 고르게 1/4씩
""", "점수가 모두 같으면 소프트맥스는 균등 분포가 되고, 출력은 밸류들의 평균이 됩니다.")
def _g013(prediction):
    return _judge_number(_number(prediction), 0.25, [
        (0, "점수가 0이어도 exp(0)은 0이 아닙니다."),
        (1, "가중치 네 개의 합이 1이어야 합니다."),
    ], "점수가 모두 같을 때 소프트맥스가 어떤 분포가 되는지 생각해 보세요.",
        rel=1e-3, miss_rel=0)


# ───────────────────────────── 2장: 스케일드 닷프로덕트 어텐션 ─────────────────────────────

@_exercise("02.1", "예측", "prediction", """
prediction = 2.0**4 * 32    # 한 항 q_i·k_i의 분산 = E[q_i²]·E[k_i²] = σ²·σ², 그런 항이 d_k개: σ⁴·d_k
""")
def _g021(prediction):
    return _judge_number(_number(prediction), 16 * 32, [
        (4 * 32, "σ²가 한 번만 곱해졌습니다. 한 항 q_i·k_i의 분산에는 q_i의 분산과 k_i의 분산이 모두 들어갑니다."),
        (32, "σ = 1일 때의 값입니다. 성분이 σ배가 되면 q·k는 몇 배가 될까요?"),
    ], "2.3절의 유도를 따라가 보세요: 한 항의 분산을 구하고, 독립인 항 d_k개를 더합니다.", rel=0.03)


@_exercise("02.2", "코드", "my_attention", """
def my_attention(q, k, v):
    scores = q @ k.transpose(-2, -1) / math.sqrt(q.shape[-1])   # ÷√d_k
    weights = torch.softmax(scores, dim=-1)
    return weights @ v, weights
""")
def _g022(f):
    from ..attention import scaled_dot_product_attention
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
    want = 4 * (64 * 64 + 64)
    return _judge_number(_number(prediction), want, [
        (4 * 64 * 64, "가중치만 셌습니다. nn.Linear에는 무엇이 더 있나요?"),
        (3 * (64 * 64 + 64), "투영이 셋만 셌습니다. 헤드들의 출력을 섞는 행렬도 있습니다."),
        ((want * 4, want // 4), "헤드 수를 곱하거나 나눴나요? 헤드는 같은 행렬을 조각으로 나눠 쓸 뿐입니다."),
    ], "투영 행렬이 몇 개이고 각각 몇 × 몇인지, 편향까지 세어 보세요.")


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

