"""연습 문제 8–11장: 학습, 어텐션 탐색기, 논문은 무엇을 보였나, 비전 트랜스포머.

불러오면 문제가 ``transformer_lib.exercises.EXERCISES``에 등록됩니다 (채점의 틀과 도우미는 ``__init__.py``).
풀이 문자열은 ``reference()``가 torch·math·nn·F를 넣어 실행합니다.
"""
import torch

from . import _call, _close, _exercise, _gen, _judge_number, _number, _one_index, _tensor_like

# ───────────────────────────── 8장: 학습 ─────────────────────────────

@_exercise("08.1", "코드", "noam", """
def noam(step, d_model, warmup):
    return d_model ** -0.5 * min(step ** -0.5, step * warmup ** -1.5)
""", "워밍업 동안은 둘째 항(선형 증가)이 작고, 그 뒤에는 첫째 항($1/\\sqrt{step}$)이 작습니다. 두 항은 `step = warmup`에서 만납니다.")
def _g081(f):
    from ..training import noam_lr
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
    from ..training import LabelSmoothingLoss
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
    return _judge_number(_number(_call(f, parts)), want, [
        (1.5, "몫의 손실을 그냥 평균했습니다. 몫마다 토큰 수가 다르면 토큰 하나의 무게가 달라집니다."),
        ((3.0, 70.0), "합이 아니라 토큰 하나당 평균 손실이어야 합니다."),
    ], "전체 배치의 손실은 모든 토큰의 손실을 더해 전체 토큰 수로 나눈 값입니다.", rel=1e-6)


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
    got, hint = _one_index(_call(f, maps), "헤드 번호 하나를 돌려주세요.", "가중치 값이 아니라 헤드 번호를 돌려주세요.")
    if hint or got == want:
        return hint
    if got == int(maps.mean((1, 2)).argmax()) or got == int(maps.sum((1, 2)).argmax()):
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
    want = (224 // 16) ** 2 + 1
    return _judge_number(_number(prediction), want, [
        (want - 1, "패치 수는 맞았습니다. 인코더 입력 맨 앞에 무엇이 하나 더 붙나요?"),
        ((3 * (want - 1), 3 * (want - 1) + 1), "채널마다 토큰을 따로 만들지 않습니다. 채널은 토큰 하나의 길이에 들어갑니다."),
        ((224 // 16, 224 // 16 + 1), "한 변의 패치 수만 셌습니다. 이미지는 가로세로 모두 잘립니다."),
    ], "224×224 이미지를 16×16 조각으로 자르면 조각이 몇 개인지, 그리고 [CLS]를 생각해 보세요.")


@_exercise("11.2", "코드", "my_patchify", """
def my_patchify(x, P):
    return F.unfold(x, kernel_size=P, stride=P).transpose(1, 2)   # (B, C·P·P, N) → (B, N, C·P·P)
""")
def _g112(f):
    from ..vit import patchify
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
    from ..positional import RotaryEmbedding
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
